"""The documents editors receive: Word files, PDF exports and WeChat pages read as articles, the rest refused.

The Word and PDF files are made here (tests/documents.py): one county report, laid out as GB/T 9704
lays out official documents, with a table of figures and a 落款 dated in Chinese numerals. Each
format must give the importer every fact of it: region, date, publisher, title, figures, measures.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from documents import CLOSING_DATE, ISSUER, MEASURES, SECTIONS, TITLE, long_report, make_docx, make_pdf
from repo_paths import FIXTURES, REPO

from generator.sources.articles import ArticleError, read_document
from generator.tools.importer import build_draft

WECHAT = FIXTURES / "documents" / "wechat-page.html"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the project's gazetteer and themes, and no records."""
    root = tmp_path_factory.mktemp("articles") / "data"
    root.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", root / "themes.yaml")
    shutil.copytree(REPO / "data" / "regions", root / "regions")
    return root


def facts(raw: bytes, name: str, data: Path) -> dict:
    result = build_draft(raw, name, data)
    draft = result.draft
    return {
        "region": draft.region,
        "date": draft.date.isoformat() if draft.date else None,
        "date from": result.date_origin,
        "title": draft.title,
        "publisher": draft.publisher,
        "author": draft.author,
        "figures": {(m.value, m.unit) for m in draft.metrics},
        "measures": [title for title, _ in draft.measures],
    }


REPORT = {
    "region": "410223",  # 尉氏县, named in the title; 开封市 is only the addressee
    "date": "2025-01-03",  # 二〇二五年一月三日 in the 落款, not the template's creation date 2019-05-06
    "date from": "signature",
    "title": TITLE,  # not the template's title property 工作报告模板, nor the 版头 尉氏县总工会文件
    "publisher": ISSUER,
    "author": None,  # the author property, Administrator, is no reporter
    "figures": {
        ("2360", "人"),
        ("86", "期"),
        ("5200余", "人次"),
        ("3", "个"),
        ("12", "个"),
        ("1600多", "名"),
        ("32", "名"),
        ("26", "家"),
        ("约300", "元"),
        ("45", "家"),
        ("128.6", "万元"),
        ("1100余", "名"),
        ("418", "人"),  # in the table alone
    },
    "measures": MEASURES,
}
FORMATS = {
    "report.docx": make_docx,
    "report.pdf": make_pdf,
    "report-columns.pdf": lambda: make_pdf(page_numbers="第{}页", columns_page=True),
}


@pytest.mark.parametrize("name", FORMATS)
def test_a_report_in_word_or_pdf_is_drafted_with_every_fact(data, name):
    assert facts(FORMATS[name](), name, data) == REPORT


def test_the_table_row_becomes_a_figure_that_says_where_it_came_from(data):
    metrics = build_draft(make_docx(), "report.docx", data).draft.metrics
    assert [(m.indicator, m.value, m.unit, m.note) for m in metrics if m.value == "418"] == [
        ("其中高技能人才", "418", "人", "取自原文的表格")
    ]
    # 新增技能人才 2360 人 is in the text too: the table does not give it twice.
    assert [m.value for m in metrics].count("2360") == 1


def test_the_same_report_pasted_into_a_text_file_gives_the_same_figures_and_place(data):
    text = "\n".join([TITLE, "开封市总工会：", *(part for section in SECTIONS for part in section if part), ISSUER, CLOSING_DATE])
    pasted = facts(text.encode(), "report.txt", data)
    word = facts(make_docx(), "report.docx", data)
    assert pasted["region"] == word["region"] and pasted["title"] == word["title"]
    assert pasted["figures"] == word["figures"] - {("418", "人")}


def test_the_core_properties_are_a_fallback_for_a_document_that_gives_no_title_or_date(data):
    import docx

    document = docx.Document()
    for _, text in SECTIONS:
        document.add_paragraph(text)
    document.core_properties.title = "尉氏县产改工作情况"
    document.core_properties.created = __import__("datetime").datetime(2024, 12, 30, 9, 0)
    out = io.BytesIO()
    document.save(out)
    result = build_draft(out.getvalue(), "plain.docx", data)
    assert (result.draft.title, str(result.draft.date), result.date_origin) == (
        "尉氏县产改工作情况",
        "2024-12-30",
        "document properties",
    )
    assert "# 日期：取自文件属性中的创建日期（模板常带旧日期，请务必核对）。" in result.text


# --- PDF: reading order, page furniture, wrapped lines -------------------------------------------


@pytest.mark.parametrize("footer", ["— {} —", "第{}页", "第 {} 页 共 9 页", "- {} -", "{}"])
def test_a_pdf_loses_its_running_header_and_page_numbers_and_its_wrapped_lines_join(footer):
    report = long_report(3)
    document = read_document(make_pdf(report, page_numbers=footer), "long.pdf")
    paragraphs = [block.text for block in document.blocks if block.role == "paragraph"]
    # Every paragraph whole, as written (broken at the margin inside words and numbers: 3 / 00人次),
    # and nothing else: no running header 尉氏县总工会工作报告, no page number.
    assert paragraphs == ["开封市总工会：", *(text for _, text in report.sections), "附表：主要数据"]
    assert [b.text for b in document.blocks if b.role == "heading"] == [h for h, _ in report.sections if h]
    assert [b.role for b in document.blocks][-3:] == ["table", "signature", "signature"]


def test_a_page_in_two_columns_is_read_column_by_column():
    document = read_document(make_pdf(columns_page=True), "columns.pdf")
    paragraphs = [block.text for block in document.blocks if block.role == "paragraph"]
    # The sidebar page repeats the first and third sections in two columns, between sections two and three.
    at = paragraphs.index(SECTIONS[2][1])
    assert paragraphs[at + 1 : at + 3] == [SECTIONS[1][1], SECTIONS[3][1]]


def test_a_scanned_pdf_is_refused_with_what_to_do():
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawImage(ImageReader(Image.new("L", (200, 280), 255)), 40, 40, 500, 700)
    page.showPage()
    page.save()
    with pytest.raises(ArticleError) as raised:
        read_document(out.getvalue(), "scan.pdf")
    assert str(raised.value) == (
        "the PDF has no text layer (its pages are pictures, as a scan is): ask for the Word file, "
        "or run it through OCR and import the text"
    )


# --- WeChat pages ---------------------------------------------------------------------------------


def test_a_wechat_page_gives_title_account_and_publish_time_and_its_article_alone(data):
    result = build_draft(WECHAT.read_bytes(), WECHAT.name, data)
    got = facts(WECHAT.read_bytes(), WECHAT.name, data)
    assert got == {
        "region": "320583",
        "date": "2024-11-16",  # ct = 1731687600: 00:20 in Beijing, still the 15th in UTC
        "date from": "page metadata",
        "title": "昆山市总工会：“技能夜校”点亮产业工人成长路",
        "publisher": "昆山工会",  # the account (nickname), not the 来源 line at the end
        "author": None,
        "figures": {
            ("32", "所"),
            ("186", "期"),
            ("1.2万", "人次"),
            ("48", "门"),
            ("2300余", "名"),
            ("460", "人"),
            ("约500", "元"),
        },
        "measures": ["课程跟着岗位走", "学习成果能兑现"],
    }
    assert result.draft.url == "http://mp.weixin.qq.com/s?__biz=MzA5NjE2MzQ1Mw==&mid=2650123456&idx=1&sn=8f3c2a"
    for boilerplate in [
        "点击上方蓝字",
        "关注我们",
        "长按识别",
        "点个在看",
        "阅读原文",
        "喜欢此内容",
        "微信扫一扫",
        "继续滑动",
        "▲",
        "1.6万",
    ]:
        assert boilerplate not in result.text


# --- what is not read, and why ----------------------------------------------------------------------


def _zip(**parts: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, text in parts.items():
            package.writestr(name.replace("__", "/"), text)
    return out.getvalue()


SAVE_AS = "open it in Word or WPS and save it as .docx (or export a PDF), then import that"
PICTURE = (
    "the file is a picture ({}), not text: the importer cannot read text in pictures; ask for the Word file or a PDF "
    "with text, or run the picture through OCR and import the text"
)
REFUSED = [
    (
        "report.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024),
        f"the file is an old Word or WPS document (.doc, .wps): the importer reads .docx, PDF and web pages; {SAVE_AS}",
    ),
    (
        "report.wps",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024),
        f"the file is an old Word or WPS document (.doc, .wps): the importer reads .docx, PDF and web pages; {SAVE_AS}",
    ),
    (
        "report.ofd",
        _zip(**{"OFD.xml": "<ofd:OFD/>", "Doc_0__Document.xml": "<ofd:Document/>"}),
        "the file is an OFD document (版式文件): the importer reads .docx, PDF and web pages; export it as PDF from "
        "the OFD reader, or ask for the Word file",
    ),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), PICTURE.format("JPEG")),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), PICTURE.format("PNG")),
    ("scan.tif", b"II*\x00" + bytes(64), PICTURE.format("TIFF")),
    (
        "figures.xlsx",
        _zip(**{"xl__workbook.xml": "<workbook/>"}),
        "the file is a spreadsheet, not an article: copy its table into the Word report it belongs to",
    ),
    (
        "report.docx",
        "尉氏县总工会工作报告".encode(),
        "the file is named .docx but is not a Word document (its first bytes say otherwise): it may be damaged or "
        "renamed; open it and save it again",
    ),
    (
        "report.pdf",
        b"<html><body><p>not a PDF</p></body></html>",
        "the file is named .pdf but is not a PDF (its first bytes say otherwise): it may be damaged or renamed; open "
        "it and save it again",
    ),
    (
        "report.docx",
        make_docx()[:4000],
        "the Word file is damaged (its zip directory is missing); open it in Word or WPS and save it again as .docx, or as PDF",
    ),
    (
        "report.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
        "the PDF is damaged and cannot be read (PdfStreamError: Stream has ended unexpectedly); export it again",
    ),
]


@pytest.mark.parametrize("name, raw, message", REFUSED, ids=[f"{i}-{row[0]}" for i, row in enumerate(REFUSED)])
def test_a_file_that_is_not_read_gets_a_message_that_says_what_to_do(name, raw, message):
    with pytest.raises(ArticleError) as raised:
        read_document(raw, name)
    assert str(raised.value) == message


def test_the_command_names_the_file_and_a_batch_lists_each_refusal(data, tmp_path):
    (tmp_path / "report.docx").write_bytes(make_docx())
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    (tmp_path / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64))
    (tmp_path / "report.pdf").write_bytes(make_pdf())
    (tmp_path / "notes.md").write_text("not listed: no article kind", encoding="utf-8")
    target = tmp_path / "data"
    shutil.copytree(data, target)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "generator", "import", *args, "--data", str(target)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )

    single = run(str(tmp_path / "old.doc"))
    assert (single.returncode, single.stderr) == (
        1,
        f"error: {tmp_path / 'old.doc'}: the file is an old Word or WPS document (.doc, .wps): the importer reads .docx, "
        f"PDF and web pages; {SAVE_AS}\n",
    )
    batch = run(str(tmp_path))
    assert batch.returncode == 1
    rows = {line.split()[0].rsplit("/", 1)[-1]: " ".join(line.split()[1:]) for line in batch.stdout.splitlines()[1:-1]}
    assert set(rows) == {"old.doc", "report.docx", "report.pdf", "scan.jpg"}
    assert rows["old.doc"].startswith("not drafted the file is an old Word or WPS document")
    assert rows["scan.jpg"].startswith("not drafted the file is a picture (JPEG)")
    # The Word file and its PDF are the same report: the first drafted, the second refused as already drafted.
    assert rows["report.docx"].split()[:5] == ["weishi-2025-zghgyt", "410223", "尉氏县", "2025-01-03", "(signature)"]
    assert rows["report.pdf"] == (
        "not drafted already in data/: data/practices/weishi-2025-zghgyt.yaml (weishi-2025-zghgyt): 85% of "
        "that record's text is in this article; nothing was written (import it anyway with --force)"
    )
    assert batch.stdout.splitlines()[-1].startswith("1 of 4 article(s) drafted")


FRAME = ("尉氏县总工会文件", "尉工〔2025〕1号", "开封市总工会：", "附表：主要数据", "（此件公开发布）")


@pytest.mark.parametrize("name, make", [("long.docx", make_docx), ("long.pdf", make_pdf)])
def test_a_long_report_keeps_every_paragraph_in_order(name, make):
    report = long_report(12)
    paragraphs = [block.text for block in read_document(make(report), name).blocks if block.role == "paragraph"]
    assert [p for p in paragraphs if p not in FRAME] == [text for _, text in report.sections]


def test_a_page_with_a_few_damaged_bytes_is_still_read_and_one_of_noise_is_not(data):
    page = (REPO / "tests" / "fixtures" / "articles" / "03-portal-breadcrumbs.html").read_bytes()
    damaged = page[:2000] + b"\xff\xfe" + page[2000:]
    assert facts(damaged, "page.html", data)["region"] == "350582"
    with pytest.raises(ArticleError, match="^the article is a binary file: it is neither UTF-8 nor GB18030 text$"):
        read_document(bytes(range(128, 256)) * 40, "noise.txt")
