"""The .docx of a compilation, read back with python-docx as a reader of the file would see it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.shared import Pt
from repo_paths import FIXTURES

from generator.engine.build import check
from generator.model.link import Graph, visible
from generator.model.ordering import Ordering
from generator.model.records import Case, Practice
from generator.outputs.takeaways.compilation_docx import DocxWriter, Template, body_xml
from generator.outputs.takeaways.zipjoin import Deflated, Entry

TITLE = "《技能竞赛主题经验做法汇编》"
MADE = dt.date(2024, 5, 20)


def writer_for(data: Path, preview: bool = False) -> tuple[DocxWriter, Graph]:
    graph, problems = check(data, warnings=False)
    assert graph is not None, problems
    graph = visible(graph, preview)
    return DocxWriter(graph, Ordering(graph)), graph


@pytest.fixture(scope="module")
def fixture_writer() -> tuple[DocxWriter, Graph]:
    return writer_for(FIXTURES / "data")


def records(graph: Graph, *ids: str) -> list[Practice | Case]:
    return [graph.record(i) for i in ids]


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def texts(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def block_of(document, title: str) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs of one record, from its title to the next record's."""
    out: list[tuple[str, str]] = []
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            if out:
                break
            if p.text != title:
                continue
        if p.style.name == "Heading 1" or out:
            out.append((p.style.name, p.text))
    return out


ALL = (
    "wucheng-skills",
    "zhang-studio",
    "hostile-values",
    "changzhi-practice",
    "chongqing-practice",
    "minhang-practice",
    "shanxian-practice",
    "zhangzi-practice",
    "jinchang-station",
)


def test_the_cover_shows_the_title_the_month_it_was_made_and_the_counts(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, *ALL)))
    assert texts(document, "Title") == [TITLE]
    assert texts(document, "封面信息") == ["2024年5月", "共收录经验做法 7 条、典型案例 2 个"]
    only_practices = read(writer.document(TITLE, MADE, records(graph, "wucheng-skills")))
    assert texts(only_practices, "封面信息")[1] == "共收录经验做法 1 条"
    only_cases = read(writer.document(TITLE, MADE, records(graph, "zhang-studio", "jinchang-station")))
    assert texts(only_cases, "封面信息")[1] == "共收录典型案例 2 个"


def test_records_follow_in_the_order_given_after_a_numbered_contents_list(fixture_writer) -> None:
    writer, graph = fixture_writer
    given = records(graph, "zhangzi-practice", "jinchang-station", "wucheng-skills")
    document = read(writer.document(TITLE, MADE, given))
    assert texts(document, "Heading 1") == ["长子县班组长培训", "金昌市工会驿站", "婺城区以技能比赛拓宽晋升通道"]
    assert texts(document, "toc 1") == ["1. 长子县班组长培训", "2. 金昌市工会驿站", "3. 婺城区以技能比赛拓宽晋升通道"]


def test_the_contents_is_a_toc_field_over_the_record_titles_whose_result_is_the_plain_list(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "zhangzi-practice", "wucheng-skills")))
    contents = [p._p for p in document.paragraphs if p.style.name == "toc 1"]
    kinds = [c.get(qn("w:fldCharType")) for p in contents for c in p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [t.text for t in contents[0].iter(qn("w:instrText"))] == [' TOC \\o "1-1" \\h \\z \\u ']
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    empty = read(writer.document(TITLE, MADE, []))
    assert texts(empty, "toc 1") == ["（无）"]
    assert texts(empty, "封面信息")[1] == "共收录经验做法 0 条"


def test_a_practice_shows_place_date_themes_summary_measures_policies_cases_and_sources(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "wucheng-skills")))
    assert block_of(document, "婺城区以技能比赛拓宽晋升通道") == [
        ("Heading 1", "婺城区以技能比赛拓宽晋升通道"),
        ("记录信息", "（浙江省 金华市 婺城区　2021年4月8日）"),
        ("列表条目", "类别：经验做法"),
        ("列表条目", "主题：劳动和技能竞赛、关爱帮扶"),
        ("列表条目", "标签：高技能人才"),
        ("Heading 2", "一、概述"),
        ("Normal", "婺城区通过技能比赛和培训，让一线工人从“工”走向“匠”。"),  # two paragraphs in YAML, two here
        ("Normal", "去年新增高技能人才1185人。"),
        ("Heading 2", "二、主要做法"),
        ("Heading 3", "（一）以赛促学"),
        ("Normal", "举办技能比赛，优胜者破格晋升。"),
        ("Heading 2", "三、主要数据"),
        ("Heading 2", "四、相关政策文件"),
        ("列表条目", "《关于深化产业工人队伍建设改革的意见》，中共中央 国务院"),
        ("Heading 2", "五、典型案例"),
        ("列表条目", "张小彬技能大师工作室"),
        ("Heading 2", "六、资料来源"),
        ("列表条目", "1. 暢通晉升通道 保障工人權益，金华新闻网，周垚，2021年4月8日，https://example.org/news?id=1&x=(2)"),
    ]


def test_figures_are_a_table_with_value_and_unit_exactly_as_recorded(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "wucheng-skills", "jinchang-station")))
    rows = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert rows == [
        [["指标", "数值", "年份", "说明"], ["新增高技能人才", "1185人", "2020", ""], ["技能提升补贴", "1338余万元", "", ""]],
        [["指标", "数值", "年份", "说明"], ["工会驿站", "75家", "", ""]],
    ]


def test_a_source_address_is_a_hyperlink_to_exactly_that_address(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "zhang-studio", "wucheng-skills")))
    links = [(h.text, h.url) for p in document.paragraphs for h in p.hyperlinks]
    assert links == [("https://example.org/news?id=1&x=(2)", "https://example.org/news?id=1&x=(2)")]


def test_a_case_shows_its_kind_organization_narrative_and_the_practices_it_illustrates(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "zhang-studio")))
    assert block_of(document, "张小彬技能大师工作室") == [
        ("Heading 1", "张小彬技能大师工作室"),
        ("记录信息", "（浙江省 金华市 婺城区　2021年4月8日）"),
        ("列表条目", "类别：典型案例"),
        ("列表条目", "类型：工作室"),
        ("列表条目", "单位：浙江润华机电有限公司"),
        ("列表条目", "主题：劳动和技能竞赛"),
        ("Heading 2", "一、案例介绍"),
        ("Normal", "张小彬从焊工成长为高级技师，企业以他的名字成立工作室。"),
        ("Heading 2", "二、主要数据"),
        ("Heading 2", "三、所属经验做法"),
        ("列表条目", "婺城区以技能比赛拓宽晋升通道"),
        ("Heading 2", "四、资料来源"),
        ("列表条目", "1. 暢通晉升通道 保障工人權益，金华新闻网，2021年4月8日"),
    ]


def test_hostile_values_arrive_as_literal_text(fixture_writer) -> None:
    writer, graph = fixture_writer
    document = read(writer.document("<b>汇编</b> & 《x》 w:t", MADE, records(graph, "hostile-values")))
    assert texts(document, "Title") == ["<b>汇编</b> & 《x》 w:t"]
    assert texts(document, "toc 1") == ["1. </title><script>alert(1)</script>"]
    block = block_of(document, "</title><script>alert(1)</script>")
    assert ("Normal", "<img src=x onerror=alert(1)> | pipe [link](http://evil.example) *stars* `code`") in block
    assert ("Heading 3", "（一）# not a heading") in block
    assert ("Normal", "1. not a list") in block and ("Normal", "- not a list either") in block
    assert ("列表条目", "1. <b>bold</b>，P&G，2023年4月11日") in block
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert cells[4:] == ["a|b", "29.79万人 | x", "", "[x](javascript:alert(1))"]
    assert document.core_properties.title == "<b>汇编</b> & 《x》 w:t"


def test_unpublished_records_are_marked_in_the_preview(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "practices" / "zhangzi-practice.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["status"] = "draft"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    writer, graph = writer_for(data_dir, preview=True)
    document = read(writer.document(TITLE, MADE, records(graph, "zhangzi-practice", "wucheng-skills")))
    assert texts(document, "Heading 1") == ["【草稿】长子县班组长培训", "婺城区以技能比赛拓宽晋升通道"]
    assert texts(document, "toc 1")[0] == "1. 【草稿】长子县班组长培训"
    assert texts(document, "状态说明") == ["【草稿】本条记录尚未公开发布"]


def east_asia_font(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Normal", "仿宋_GB2312", 16),
        ("Title", "方正小标宋简体", 22),
        ("Heading 1", "方正小标宋简体", 22),
        ("Heading 2", "黑体", 16),
        ("Heading 3", "楷体_GB2312", 16),
        ("记录信息", "楷体_GB2312", 16),
        ("表格文字", "仿宋_GB2312", 14),
        ("Footer", "宋体", 14),
    ],
)
def test_styles_name_the_fonts_of_official_documents_in_chinese_and_times_for_latin(fixture_writer, style, font, size) -> None:
    writer, graph = fixture_writer
    document = read(writer.document(TITLE, MADE, records(graph, "wucheng-skills")))
    named = document.styles[style]
    assert east_asia_font(named) == font and named.font.size == Pt(size)
    assert named.font.name == "Times New Roman"
    theme_fonts = [a for a in named.element.rPr.rFonts.attrib if a.endswith("Theme") or a.endswith("theme")]
    assert theme_fonts == []


def test_the_font_table_names_a_font_windows_ships_for_each_font_the_styles_name(fixture_writer) -> None:
    writer, graph = fixture_writer
    data = writer.document(TITLE, MADE, records(graph, "wucheng-skills"))
    table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml")
    root = docx.oxml.parse_xml(table)
    alternatives = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val")) for f in root if f.find(qn("w:altName")) is not None
    }
    assert alternatives == {
        "方正小标宋简体": "宋体",
        "黑体": "SimHei",
        "楷体_GB2312": "楷体",
        "仿宋_GB2312": "仿宋",
        "宋体": "SimSun",
    }


def test_pages_are_a4_with_the_margins_of_official_documents_and_numbered_in_the_footer(fixture_writer) -> None:
    writer, graph = fixture_writer
    section = read(writer.document(TITLE, MADE, records(graph, "wucheng-skills"))).sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731  (Word stores twentieths of a point)
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [mm(m) for m in margins] == [37, 35, 28, 26]
    footer = section.footer.paragraphs[0]._p
    assert [t.text for t in footer.iter(qn("w:instrText"))] == [" PAGE "]


def test_the_same_input_gives_the_same_bytes_dated_when_the_compilation_was_made(fixture_writer) -> None:
    writer, graph = fixture_writer
    given = records(graph, *ALL)
    first = writer.document(TITLE, MADE, given)
    writer.document("《另一本》", dt.date(2020, 1, 1), given[::-1])  # a document in between changes nothing
    assert writer.document(TITLE, MADE, given) == first
    assert writer_for(FIXTURES / "data")[0].document(TITLE, MADE, given) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.testzip() is None
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = read(first).core_properties
    assert core.created == core.modified == dt.datetime(2024, 5, 20, tzinfo=dt.UTC)
    assert (core.author, core.last_modified_by, core.last_printed, core.title) == ("产改经验库", "产改经验库", None, TITLE)


def test_a_record_block_is_the_same_each_time_and_joins_into_the_same_document(fixture_writer) -> None:
    writer, graph = fixture_writer
    given = records(graph, "zhang-studio", "wucheng-skills")
    blocks = [writer.block(r) for r in given]
    assert blocks == [writer.block(r) for r in given]  # so a block kept from an earlier build is as good as a new one
    briefs = [graph.briefs[r.id] for r in given]
    assert writer.join(TITLE, MADE, briefs, blocks) == writer.document(TITLE, MADE, given)


@pytest.mark.parametrize(
    "value",
    [
        "</w:t><w:r>x",
        "<script>alert(1)</script>",
        "P&G &amp; &#60;",
        "a > b",
        "「引号」\"'",
        "]]>",
        " 前后有空格 ",
        'r:id="rId0"',
    ],
)
def test_a_filled_template_is_the_paragraph_python_docx_writes_for_that_text(value: str) -> None:
    document = docx.Document()
    template = Template(document.add_paragraph("-", "Heading 2")._p)
    assert template.fill(value) == body_xml(document.add_paragraph(value, "Heading 2")._p)


def test_compressed_segments_made_once_join_into_the_whole_text_with_its_crc() -> None:
    pieces = [b"", "<w:p>婺城区</w:p>".encode() * 50, bytes(range(256)) * 5000, b"</w:body>"]  # one longer than 1 MB
    entry = Entry.of("word/document.xml", [Deflated.of(p) for p in pieces])
    whole = b"".join(pieces)
    assert zlib.decompress(entry.packed, wbits=-15) == whole
    assert (entry.crc, entry.size) == (zlib.crc32(whole), len(whole))


@pytest.mark.parametrize("cut", [[4], [1, 3], [2, 2], [1, 1, 1, 1]])
def test_segments_joined_in_runs_are_the_segments_joined_one_by_one(cut: list[int]) -> None:
    """The downloads keep runs of records' segments joined (Deflated.joined); a run of a few
    megabytes combines its CRC arithmetically rather than over as many zeros."""
    pieces = [b"<row/>" * 3, bytes(range(256)) * 9000, "<c>北仑</c>".encode() * 40000, b"</sheetData>"]
    segments = [Deflated.of(p) for p in pieces]
    runs, at = [], 0
    for size in cut:
        runs.append(Deflated.joined(segments[at : at + size]))
        at += size
    assert Entry.of("x", runs) == Entry.of("x", segments)
    whole = Deflated.joined(runs)
    text = b"".join(pieces)
    assert (whole.crc, whole.size, whole.zeros_crc) == (zlib.crc32(text), len(text), zlib.crc32(bytes(len(text))))
    assert Deflated.joined([]) == Deflated.of(b"")[:3] + (b"",)
