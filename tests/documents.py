"""Word and PDF submissions made by the tests, laid out as counties and unions send them (GB/T 9704).

A report has a 版头, a title, a 主送 line, numbered headings, paragraphs, a table of figures and the
落款 (issuing unit and 成文日期 in Chinese numerals). make_docx writes it with python-docx; make_pdf
draws the same report with reportlab on A4 pages, as Word's export would: lines broken at the
margin inside sentences (and inside numbers), a running header and page numbers on every page,
paragraphs indented two characters, and optionally a page set in two columns.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

LETTERHEAD = "尉氏县总工会文件"
TITLE = "尉氏县总工会关于推进产业工人队伍建设改革工作情况的报告"
ADDRESSEE = "开封市总工会："
SECTIONS = [
    (
        None,
        "今年以来，尉氏县总工会在县委和市总工会的领导下，围绕纺织、装备制造两大主导产业推进产业工人队伍建设改革，"
        "全县新增技能人才2360人，组织职工技能培训86期、培训职工5200余人次。现将有关情况报告如下。",
    ),
    (
        "一、搭建技能提升平台",
        "县总工会联合县人社局在产业集聚区建成职工技能实训基地3个，开展焊工、电工、纺织挡车工等12个工种的岗位练兵和技术比武，"
        "参赛职工1600多名，32名职工通过比赛晋升技能等级。",
    ),
    (
        "二、畅通职业发展通道",
        "推动26家规模以上企业开展技能等级自主评价，出台《尉氏县技能人才薪酬分配指引》，引导企业建立以技提薪机制，"
        "一线职工月均收入提高约300元。",
    ),
    (
        "三、强化服务保障",
        "建成职工服务驿站45家，为困难职工发放帮扶资金128.6万元，惠及职工1100余名。",
    ),
]
TABLE = [("指标", "数值", "单位"), ("新增技能人才", "2360", "人"), ("其中高技能人才", "418", "人"), ("帮扶资金", "128.6", "万元")]
ISSUER = "尉氏县总工会"
CLOSING_DATE = "二〇二五年一月三日"

# What the importer must find in the report, whichever file it comes in.
FACTS = {
    "region": "410223",
    "date": "2025-01-03",
    "date from": "signature",
    "title": TITLE,
    "publisher": ISSUER,
}
FIGURES = {
    ("新增技能人才", "2360", "人"),
    ("组织职工技能培训", "86", "期"),
    ("培训职工", "5200余", "人次"),
    ("建成职工技能实训基地", "3", "个"),
    ("参赛职工", "1600多", "名"),
    ("推动规模以上企业", "26", "家"),
    ("一线职工月均收入提高", "约300", "元"),
    ("建成职工服务驿站", "45", "家"),
    ("为困难职工发放帮扶资金", "128.6", "万元"),
    ("惠及职工", "1100余", "名"),
    ("其中高技能人才", "418", "人"),  # from the table only
}
MEASURES = ["搭建技能提升平台", "畅通职业发展通道", "强化服务保障"]


@dataclass
class Report:
    sections: list[tuple[str | None, str]] = field(default_factory=lambda: list(SECTIONS))
    table: list[tuple[str, ...]] = field(default_factory=lambda: list(TABLE))
    title: str = TITLE
    issuer: str = ISSUER
    closing_date: str = CLOSING_DATE
    properties_title: str = "工作报告模板"  # what a template leaves in the core properties
    properties_author: str = "Administrator"
    properties_created: dt.datetime = dt.datetime(2019, 5, 6, 8, 0)


def long_report(pages: int) -> Report:
    """A report of about `pages` A4 pages (as make_pdf lays it out): the sections again and again, with other figures."""
    sections: list[tuple[str | None, str]] = [SECTIONS[0]]
    numbers = "一二三四五六七八九十"
    for i in range(pages * 9 // 2):
        heading = f"{numbers[i % 10]}、第{i + 1}项工作"
        text = (
            f"第{i + 1}项工作中，县总工会组织职工技能培训{10 + i}期，培训职工{300 + 7 * i}人次，建成职工服务驿站{i + 2}家，"
            f"发放帮扶资金{12 + i}.5万元，惠及职工{200 + 3 * i}余名。各乡镇工会结合本地产业特点，分批组织一线职工参加岗位练兵、"
            f"技术比武和技能等级评价，把培训课堂开到车间和班组，帮助职工在本岗位上学技术、长本领、增收入。"
        )
        sections.append((heading, text))
    return Report(sections=sections)


def make_docx(report: Report | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    report = report or Report()
    document = docx.Document()
    head = document.add_paragraph(LETTERHEAD)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph("尉工〔2025〕1号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(report.title)
    run.font.size = Pt(22)
    document.add_paragraph(ADDRESSEE)
    for heading, text in report.sections:
        if heading:
            document.add_paragraph(heading)
        document.add_paragraph(text).paragraph_format.first_line_indent = Pt(32)
    document.add_paragraph("附表：主要数据")
    table = document.add_table(rows=0, cols=len(report.table[0]))
    for row in report.table:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    for line in (report.issuer, report.closing_date):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（此件公开发布）")
    properties = document.core_properties
    properties.title = report.properties_title
    properties.author = report.properties_author
    properties.created = report.properties_created
    properties.modified = report.properties_created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _wrap(text: str, width: float, size: float, indent: int = 2) -> list[str]:
    """Text broken at the margin as a Chinese paragraph is: anywhere, numbers included; the first line indented."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], "\u3000" * indent
    for char in text:
        if stringWidth(line + char, "STSong-Light", size) > width:
            lines.append(line)
            line = ""
        line += char
    if line.strip():
        lines.append(line)
    return lines


def make_pdf(report: Report | None = None, *, page_numbers: str = "— {} —", columns_page: bool = False) -> bytes:
    """The report drawn on A4 pages; page_numbers is the footer's format ("第{}页" …); columns_page adds a page in two columns."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    report = report or Report()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(report.properties_title)
    pdf.setAuthor(report.properties_author)
    width, height = A4
    left, size, per_line = 80, 15, 28  # 28 characters of 15 pt: a line runs from 80 to 500
    state = {"y": height - 90.0, "page": 1}

    def furniture() -> None:
        pdf.setFont("STSong-Light", 9)
        pdf.drawCentredString(width / 2, height - 40, "尉氏县总工会工作报告")
        pdf.setFont("STSong-Light", 11)
        pdf.drawCentredString(width / 2, 36, page_numbers.format(state["page"]))

    def new_page() -> None:
        pdf.showPage()
        state["page"] += 1
        state["y"] = height - 90.0
        furniture()

    def line(text: str, *, font: float = size, x: float = left, centre: bool = False, right: bool = False) -> None:
        if state["y"] < 80:
            new_page()
        pdf.setFont("STSong-Light", font)
        if centre:
            pdf.drawCentredString(width / 2, state["y"], text)
        elif right:
            pdf.drawRightString(left + per_line * size, state["y"], text)
        else:
            pdf.drawString(x, state["y"], text)
        state["y"] -= font * 1.6

    def columns() -> None:
        """A page of two columns: the first and third sections again, as a newsletter sets a sidebar."""
        new_page()
        text = _wrap(SECTIONS[1][1], 13 * size, size) + _wrap(SECTIONS[3][1], 13 * size, size)
        half = (len(text) + 1) // 2
        pdf.setFont("STSong-Light", size)
        for i, (a, b) in enumerate(zip(text[:half], text[half:] + [""] * (2 * half - len(text)), strict=True)):
            pdf.drawString(left, state["y"] - i * size * 1.6, a)
            pdf.drawString(left + 15 * size, state["y"] - i * size * 1.6, b)
        state["y"] -= half * size * 1.6 + 10

    furniture()
    line(report.title[:20], font=22, centre=True)
    line(report.title[20:], font=22, centre=True)
    state["y"] -= 10
    line(ADDRESSEE)
    for n, (heading, text) in enumerate(report.sections):
        if heading:
            line("\u3000\u3000" + heading)
        for part in _wrap(text, per_line * size, size):
            line(part)
        if columns_page and n == 2:
            columns()
    line("附表：主要数据")
    for row in report.table:
        if state["y"] < 80:
            new_page()
        pdf.setFont("STSong-Light", size)
        for x, cell in zip((left, left + 12 * size, left + 20 * size), row, strict=False):
            pdf.drawString(x, state["y"], cell)
        state["y"] -= size * 1.6
    state["y"] -= 20
    line(report.issuer, right=True)
    line(report.closing_date, right=True)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
