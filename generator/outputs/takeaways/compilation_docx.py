"""The .docx of a compilation (汇编): a cover, a table of contents, then each record in full.

A `DocxWriter` serves every compilation of one build. python-docx makes the base document once
(styles, page set-up, footer, settings) and, in it, one prototype of each kind of paragraph and
table row; each record's block is made once from those; a document is then the base's parts
with a new body, core properties and hyperlink relationships.

Speed. At 10,000 records a clean build writes about 3,200 documents holding about 74,000 record
blocks, so nothing is built per document that can be built once:
- the base package is saved by python-docx once, and its parts other than the body, the body's
  relationships and the core properties are compressed once;
- the prototypes are serialized once, with a slot where python-docx wrote a placeholder text
  (`Template`); a paragraph is its template with the text put in, escaped as lxml escapes it
  (the tests compare the bytes with python-docx's own paragraph). Adding paragraphs with
  python-docx cost about 1 ms each (it resolves the style name every time), and copying
  prototypes with lxml about 20 µs each, moving the copy into place included;
- each record block is compressed once as a raw deflate segment that ends on a byte boundary
  (`Z_SYNC_FLUSH`). Deflate segments that reference nothing before themselves may be
  concatenated, so a document's body is the head (cover, contents) compressed anew, the cached
  segments of its records, the tail, and one final empty block; only the CRC-32 runs over the
  whole text. That is why the zip is written by zipjoin.py: zipfile compresses what it is given
  and cannot take compressed data. The cache holds each block's compressed segment only (about
  1.7 KB a record against 9.5 KB of XML).

Fonts. The conventions of official documents (GB/T 9704, 党政机关公文格式): titles 方正小标宋简体
二号, first-level headings 黑体 三号, second-level headings and the line under each title
楷体_GB2312 三号, body 仿宋_GB2312 三号, tables 仿宋_GB2312 四号, page numbers 宋体 四号. The
fonts are set on named styles only (Normal, Title, Heading 1–3, TOC 1, and a few of ours), as
`w:eastAsia` with Times New Roman for Latin text, and every theme font reference is removed
(a theme attribute wins over a named font). When a named font is missing:
- Word looks up the font's entry in the font table (word/fontTable.xml) and tries its
  `w:altName` before substituting by the panose number, charset and family stored there. So
  each font we name has an entry with charset 86 (GB2312) and an altName that ships with
  Windows: 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体 (黑体 and 宋体 ship with
  Windows themselves). WPS reads the same table; it also maps the _GB2312 names itself.
- Elsewhere (LibreOffice on Linux) fontconfig chooses: the runs are tagged `zh-CN`
  (`w:lang w:eastAsia`), so a missing family falls back to the installed Simplified Chinese
  font (Noto Serif/Sans CJK SC, Source Han, WenQuanYi) instead of a Japanese or a Latin one.
python-docx has no API for the font table, so its entries are set with a few lxml calls, as
are the `w:eastAsia` attributes, the TOC and PAGE fields and the hyperlinks.

Contents. A real TOC field (`TOC \\o "1-1" \\h \\z \\u`, over the record titles, which are
Heading 1) whose current result is a numbered plain list of the titles: WPS and python-docx
readers show that list as it is; Word asks to update fields on opening (`w:updateFields`) and
puts page numbers in.

Every value from YAML reaches the document as the text of a run (lxml escapes it); characters
XML cannot hold are dropped. Only http(s) addresses, validated on load, become hyperlinks.
The output is the same bytes for the same input: zip entries carry 1980-01-01, the core
properties carry the date the compilation was made, a fixed author and no last-printed date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from typing import NamedTuple

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from lxml import etree

from ...model.fields import Metric
from ...model.labels import CASE_KIND, RECORD_KIND
from ...model.link import Brief, Graph
from ...model.ordering import Ordering
from ...model.records import Case, Practice
from .. import escape
from .zipjoin import Deflated, Entry, zip_of

AUTHOR = "产改经验库"
LATIN = "Times New Roman"
# name -> (altName that ships with Windows, panose-1, family), each with charset 86 (GB2312)
FONTS = {
    "方正小标宋简体": ("宋体", "02000000000000000000", "script"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern"),
    "宋体": ("SimSun", "02010600030101010101", "auto"),
}
TITLE_FONT, HEADING_FONT, KAI, BODY_FONT, SONG = FONTS
STATUS_MARK = {"draft": "【草稿】", "reviewed": "【已审核待发布】"}
NUMERALS = "一二三四五六七八九十"

# Our own paragraph styles, besides Word's built-in Normal, Title, Heading 1-3 and TOC 1.
COVER_LINE, CONTENTS_TITLE, RECORD_LINE, TABLE_TEXT, SOURCE_LINE, NOTE = (
    "封面信息",
    "目录标题",
    "记录信息",
    "表格文字",
    "列表条目",
    "状态说明",
)
STYLE_IDS = {
    COVER_LINE: "CoverLine",
    CONTENTS_TITLE: "ContentsTitle",
    RECORD_LINE: "RecordLine",
    TABLE_TEXT: "TableText",
    SOURCE_LINE: "ListEntry",
    NOTE: "StatusNote",
}
KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid", "Footer", "Hyperlink"}

_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def text(value: object) -> str:
    """One line of text: whitespace folded to single spaces, characters XML cannot hold dropped."""
    return escape.NOT_XML.sub("", " ".join(str(value).split()))


def paragraphs(value: str) -> list[str]:
    """Text whose blank lines separate paragraphs (as escape.paragraphs reads it), one string each."""
    return [text(p) for p in re.split(r"\n\s*\n", value) if p.strip()]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def counts_line(kinds: Sequence[str]) -> str:
    """The cover's count of the records of these kinds ("Practice" or "Case")."""
    practices = kinds.count("Practice")
    parts = [f"经验做法 {practices} 条"] if practices or len(kinds) == 0 else []
    parts += [f"典型案例 {len(kinds) - practices} 个"] if len(kinds) > practices else []
    return "共收录" + "、".join(parts)


# --- the base document ------------------------------------------------------------------------


def _set_fonts(rpr, east_asia: str) -> None:
    """Latin text in Times New Roman, Chinese in east_asia, no theme fonts; tagged zh-CN (rpr: a w:rPr)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(
    doc: DocxDocument,
    name: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: float = 0,
    line: float | None = None,
    before: float = 0,
    after: float = 0,
    page_break: bool = False,
    outline: int | None = None,
) -> BaseStyle:
    styles = doc.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name not in ("Normal",):
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
    style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
    style.font.color.rgb = None
    _set_fonts(style.element.get_or_add_rPr(), font)
    f = style.paragraph_format
    f.alignment = align
    f.first_line_indent = Pt(indent) if indent else Pt(0)
    f.left_indent = Pt(0)
    f.space_before, f.space_after = Pt(before), Pt(after)
    if line is None:
        f.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        f.line_spacing, f.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
    f.page_break_before = page_break
    f.keep_with_next = outline is not None
    for node in style.element.xpath("w:link | w:rsid | w:pPr/w:pBdr | w:rPr/w:color | w:rPr/w:spacing"):
        node.getparent().remove(node)  # links to removed styles, the rule under Title, colours and letter spacing
    if outline is None:
        return style
    ppr = style.element.get_or_add_pPr()
    level = ppr.find(qn("w:outlineLvl"))
    if level is None:
        level = OxmlElement("w:outlineLvl")
        ppr.append(level)
    level.set(qn("w:val"), str(outline))
    return style


def _field(paragraph: Paragraph, kind: str, instruction: str | None = None) -> None:
    """A field character (begin, separate, end) or a field instruction, as a run of the paragraph."""
    run = paragraph.add_run()._r
    if instruction is not None:
        code = OxmlElement("w:instrText")
        code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        code.text = instruction
        run.append(code)
        return
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)


def _font_table(part_xml: bytes) -> bytes:
    """The font table with an entry for each font the styles name (see the module docstring)."""
    root = etree.fromstring(part_xml)
    for font in root.findall(qn("w:font")):
        if font.get(qn("w:name")) in FONTS or font.get(qn("w:name")) in ("ＭＳ 明朝", "ＭＳ ゴシック"):
            root.remove(font)
    for name, (alt, panose, family) in FONTS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alt), ("panose1", panose), ("charset", "86"), ("family", family), ("pitch", "variable")):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _base() -> DocxDocument:
    """python-docx's default document made into the compilation's: styles, A4 with 公文 margins, page numbers."""
    doc = Document()
    package = doc.part.package
    # Parts Word does not need: the template's thumbnail, custom XML and Word 2010's copy of the styles.
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rId]
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML or rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rId]
    for style in list(doc.styles):
        if style.name not in KEEP_STYLES and not (style.name or "").startswith(("Heading ", "Title")):
            style.delete()
        elif style.name.startswith("Heading ") and style.name not in ("Heading 1", "Heading 2", "Heading 3"):
            style.delete()
    for style in [s for s in doc.styles if s.type == WD_STYLE_TYPE.CHARACTER and s.name.endswith(" Char")]:
        style.delete()  # linked character styles of the headings, with theme fonts
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), BODY_FONT)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.getparent().remove(spacing)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _style(doc, "Normal", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=32, line=28)
    _style(doc, "Title", TITLE_FONT, 22, align=center, line=None, before=120, after=48)
    _style(doc, "Heading 1", TITLE_FONT, 22, align=center, after=16, page_break=True, outline=0)
    _style(doc, "Heading 2", HEADING_FONT, 16, indent=32, line=28, before=8, outline=1)
    _style(doc, "Heading 3", KAI, 16, indent=32, line=28, outline=2)
    _style(doc, COVER_LINE, KAI, 16, align=center, line=28, after=8)
    _style(doc, CONTENTS_TITLE, HEADING_FONT, 22, align=center, after=24, page_break=True)
    _style(doc, "TOC 1", BODY_FONT, 14, line=24)
    _style(doc, RECORD_LINE, KAI, 16, align=center, line=28)
    _style(doc, NOTE, KAI, 14, align=center, line=24, after=8)
    _style(doc, TABLE_TEXT, BODY_FONT, 14)
    _style(doc, SOURCE_LINE, BODY_FONT, 14, indent=28, line=24)
    for name, style_id in STYLE_IDS.items():
        doc.styles[name].style_id = style_id  # ASCII ids, as Word's own; the names are what Word shows
    hyperlink = (
        doc.styles["Hyperlink"] if "Hyperlink" in doc.styles else doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    )
    hyperlink.font.underline = True
    hyperlink.font.color.rgb = None

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the page number about 7 mm under the text, as GB/T 9704 places it
    footer = section.footer.paragraphs[0]
    footer.style = _style(doc, "Footer", SONG, 14, align=center)
    footer.add_run("— ")
    _field(footer, "begin")
    _field(footer, "", " PAGE ")
    _field(footer, "separate")
    footer.add_run("1")
    _field(footer, "end")
    footer.add_run(" —")

    settings = doc.settings.element
    for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture"):
        for node in settings.findall(qn(tag)):
            settings.remove(node)
    language = settings.find(qn("w:themeFontLang"))
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.find(qn("w:compat")).addprevious(update)  # Word puts page numbers into the contents on opening
    return doc


# --- the writer -------------------------------------------------------------------------------


class Block(NamedTuple):  # a tuple: thousands are read back from the cache on every build
    """One record as the body of a document shows it: its text, compressed, and the addresses it links."""

    body: Deflated
    links: tuple[tuple[str, str], ...]  # (relationship id, URL)


_NAMESPACES = {"w": qn("w:x")[1:].split("}")[0], "r": qn("r:x")[1:].split("}")[0]}
_SLOT = b"<w:t>-</w:t>"  # where a prototype's text goes: python-docx wrote "-" there
_LINK_SLOT = b'r:id="rId0"'


def body_xml(*elements: etree._Element) -> bytes:
    """The elements as they read inside w:body: in a wrapper that declares the namespaces once for all of them."""
    wrapper = OxmlElement("w:body", nsdecls=_NAMESPACES)
    wrapper.extend(elements)
    xml = etree.tostring(wrapper, encoding="UTF-8")
    return xml[xml.index(b">") + 1 : -len(b"</w:body>")]


def run_text(value: str) -> bytes:
    """A w:t element holding value, byte for byte as lxml writes it when python-docx sets run.text."""
    if not value:
        return b"<w:t/>"
    if value != value.strip():
        return b'<w:t xml:space="preserve">' + escape.xml_text(value).encode() + b"</w:t>"
    return b"<w:t>" + escape.xml_text(value).encode() + b"</w:t>"


class Template:
    """A paragraph or table row made with python-docx, serialized once, with slots for its texts.

    python-docx resolves a style name on every paragraph it adds (about 1 ms a paragraph with
    a table), and an lxml copy of a finished paragraph costs about 20 µs to fill and move into
    place; filling the slots of its serialized form costs about 1 µs and gives the same bytes
    (tests/test_compilation_docx.py compares them).
    """

    def __init__(self, element: etree._Element) -> None:
        self.pieces = body_xml(element).split(_SLOT)

    def fill(self, *values: str, link: str = "") -> bytes:
        """The texts in their slots; link: the relationship id of the template's hyperlink."""
        pieces = [p.replace(_LINK_SLOT, f'r:id="{link}"'.encode()) for p in self.pieces] if link else self.pieces
        out = [pieces[0]]
        for value, piece in zip(values, pieces[1:], strict=True):
            out += (run_text(value), piece)
        return b"".join(out)


class Prototypes:
    """What a document is made of, each made once with python-docx in the base document and taken out."""

    def __init__(self, doc: DocxDocument) -> None:
        self._body = doc.element.body
        self.paragraph = {style: Template(self._take(doc.add_paragraph("-", style)._p)) for style in PARAGRAPH_STYLES}
        source = doc.add_paragraph("-", SOURCE_LINE)
        source.add_run("，")
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), "rId0")
        link.append(source.add_run("-", "Hyperlink")._r)  # moves the run into the hyperlink
        source._p.append(link)
        self.linked_source = Template(self._take(source._p))
        table = doc.add_table(rows=2, cols=len(FIGURE_COLUMNS))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for column, width in zip(table.columns, FIGURE_WIDTHS, strict=True):
            column.width = Mm(width)
        for n, row in enumerate(table.rows):
            for cell, name, width in zip(row.cells, FIGURE_COLUMNS, FIGURE_WIDTHS, strict=True):
                cell.width = Mm(width)
                cell.paragraphs[0].style = TABLE_TEXT
                cell.paragraphs[0].add_run("-" if n else name).bold = n == 0 or None
        header = table.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page the table runs onto
        row = table._tbl.tr_lst[1]
        table._tbl.remove(row)
        self.figure_row = Template(row)
        self.figure_table = body_xml(self._take(table._tbl)).split(b"</w:tbl>")  # (the table and its header row, the end)
        toc = doc.add_paragraph(style="TOC 1")
        _field(toc, "begin")
        _field(toc, "", ' TOC \\o "1-1" \\h \\z \\u ')
        _field(toc, "separate")
        toc.add_run("-")
        self.toc_first = Template(deepcopy(toc._p))
        _field(toc, "end")
        self.toc_only = Template(self._take(toc._p))  # the field begins and ends in one paragraph
        toc = doc.add_paragraph("-", "TOC 1")
        _field(toc, "end")
        self.toc_last = Template(self._take(toc._p))

    def _take(self, element: etree._Element) -> etree._Element:
        self._body.remove(element)
        return element


PARAGRAPH_STYLES = (
    "Title",
    COVER_LINE,
    CONTENTS_TITLE,
    "TOC 1",
    "Heading 1",
    RECORD_LINE,
    NOTE,
    SOURCE_LINE,
    "Heading 2",
    "Heading 3",
    "Normal",
)
FIGURE_COLUMNS = ("指标", "数值", "年份", "说明")
FIGURE_WIDTHS = (52, 36, 18, 50)  # mm, together the width of the text (210 - 28 - 26)
_CORE, _BODY, _BODY_RELS = "docProps/core.xml", "word/document.xml", "word/_rels/document.xml.rels"


class DocxWriter:
    """Every compilation of one build: the base document once, each record's block once."""

    def __init__(self, graph: Graph, ordering: Ordering) -> None:
        self.graph, self.ordering = graph, ordering
        self._doc = _base()
        self._prototypes = Prototypes(self._doc)
        # Word's own name of the style its TOC field gives the entries (python-docx looks styles up as "TOC 1").
        self._doc.styles["TOC 1"].element.name_val = "toc 1"
        package = io.BytesIO()
        self._doc.save(package)
        with zipfile.ZipFile(package) as saved:
            parts = {info.filename: saved.read(info) for info in saved.infolist()}
        parts["word/fontTable.xml"] = _font_table(parts["word/fontTable.xml"])
        self._names = list(parts)
        self._constant = {name: Entry.whole(name, xml) for name, xml in parts.items() if name not in (_CORE, _BODY, _BODY_RELS)}
        at = parts[_BODY].rfind(b"<w:sectPr")  # the section's properties, last in the body: records go before them
        self._body_head, self._body_tail = parts[_BODY][:at], Deflated.of(parts[_BODY][at:])
        self._rels = parts[_BODY_RELS]
        self._no_links = Entry.whole(_BODY_RELS, self._rels)
        self._cores: dict[dt.date, list[bytes]] = {}

    # --- one document -----------------------------------------------------------------------
    def document(self, title: str, made: dt.date, records: Sequence[Practice | Case]) -> bytes:
        """The .docx of one compilation: cover, table of contents, then each record in the order given."""
        return self.join(title, made, [Brief.of(r) for r in records], [self.block(r) for r in records])

    def join(self, title: str, made: dt.date, records: Sequence[Brief], blocks: Sequence[Block]) -> bytes:
        """The .docx of these records, whose blocks (block()) are made already, in the order given."""
        segments = [Deflated.of(self._body_head + self._front(title, made, records)), *(b.body for b in blocks), self._body_tail]
        parts = {
            _BODY: Entry.of(_BODY, segments),
            _BODY_RELS: self._relationships(blocks),
            _CORE: self._core(title, made),
        }
        return zip_of(parts.get(name) or self._constant[name] for name in self._names)

    def _front(self, title: str, made: dt.date, records: Sequence[Brief]) -> bytes:
        """The cover and the contents, serialized."""
        proto, paragraph = self._prototypes, self._prototypes.paragraph
        out = [
            paragraph["Title"].fill(text(title)),
            paragraph[COVER_LINE].fill(f"{made.year}年{made.month}月"),
            paragraph[COVER_LINE].fill(counts_line([r.kind for r in records])),
            paragraph[CONTENTS_TITLE].fill("目　录"),
        ]
        entries = [f"{n}. {self._marked_title(r)}" for n, r in enumerate(records, 1)] or ["（无）"]
        if len(entries) == 1:
            out.append(proto.toc_only.fill(entries[0]))
        else:
            out.append(proto.toc_first.fill(entries[0]))
            out += [paragraph["TOC 1"].fill(entry) for entry in entries[1:-1]]
            out.append(proto.toc_last.fill(entries[-1]))
        return b"".join(out)

    def _relationships(self, blocks: Sequence[Block]) -> Entry:
        links = dict(link for b in blocks for link in b.links)
        if not links:
            return self._no_links
        rels = etree.fromstring(self._rels)
        for rId, url in links.items():
            etree.SubElement(rels, f"{{{_RELS}}}Relationship", Id=rId, Type=RT.HYPERLINK, Target=url, TargetMode="External")
        return Entry.whole(_BODY_RELS, etree.tostring(rels, encoding="UTF-8", standalone=True))

    def _core(self, title: str, made: dt.date) -> Entry:
        """The core properties: made with python-docx once per date, then the title put in."""
        if made not in self._cores:
            core = self._doc.core_properties
            core.title, core.author, core.last_modified_by = "-", AUTHOR, AUTHOR
            core.comments, core.language, core.revision = "", "zh-CN", 1
            core.created = core.modified = dt.datetime(made.year, made.month, made.day, tzinfo=dt.UTC)
            xml = etree.tostring(core._element, encoding="UTF-8", standalone=True)
            self._cores[made] = xml.split(b"<dc:title>-</dc:title>")
        before, after = self._cores[made]
        return Entry.whole(_CORE, before + b"<dc:title>" + escape.xml_text(text(title)).encode() + b"</dc:title>" + after)

    @staticmethod
    def _marked_title(record: Practice | Case | Brief) -> str:
        return STATUS_MARK.get(record.status, "") + text(record.title)

    # --- one record -------------------------------------------------------------------------
    def block(self, record: Practice | Case) -> Block:
        """The record's block: the same in every document that holds it (compilations.py keeps it)."""
        body: list[bytes] = []
        links = self._record(record, body)
        return Block(Deflated.of(b"".join(body)), links)

    def _record(self, record: Practice | Case, body: list[bytes]) -> tuple[tuple[str, str], ...]:
        """Append the record's paragraphs and tables to body; return the hyperlinks they use."""
        paragraph = self._prototypes.paragraph

        def add(style: str, value: str) -> None:
            body.append(paragraph[style].fill(value))

        add("Heading 1", self._marked_title(record))
        place = " ".join(r.name for r in self.ordering.region_chain(record.region))
        add(RECORD_LINE, f"（{text(place)}　{chinese_date(record.date)}）")
        if record.status in STATUS_MARK:
            add(NOTE, f"{STATUS_MARK[record.status]}本条记录尚未公开发布")
        facts = [f"类别：{RECORD_KIND[type(record).__name__]}"]
        if isinstance(record, Case):
            facts += [f"类型：{CASE_KIND[record.kind]}", f"单位：{text(record.organization)}"]
        facts.append("主题：" + "、".join(text(self.graph.themes[t].name) for t in record.themes if t in self.graph.themes))
        if record.tags:
            facts.append("标签：" + "、".join(text(t) for t in record.tags))
        for fact in facts:
            add(SOURCE_LINE, fact)

        numbers = iter(NUMERALS)

        def section(name: str) -> None:
            add("Heading 2", f"{next(numbers)}、{name}")

        if isinstance(record, Practice):
            section("概述")
            for p in paragraphs(record.summary):
                add("Normal", p)
            if record.measures:
                section("主要做法")
                for n, measure in enumerate(record.measures, 1):
                    add("Heading 3", f"（{NUMERALS[n - 1] if n <= 10 else n}）{text(measure.title)}")
                    for p in paragraphs(measure.text):
                        add("Normal", p)
        else:
            section("案例介绍")
            for p in paragraphs(record.narrative):
                add("Normal", p)
        if record.metrics:
            section("主要数据")
            body.append(self._figures(record.metrics))
        if isinstance(record, Practice) and record.policies:
            section("相关政策文件")
            for policy in record.policies:
                line = f"《{text(policy.title)}》" + (f"，{text(policy.issuer)}" if policy.issuer else "")
                add(SOURCE_LINE, line + (f"，{policy.year}年" if policy.year else ""))
        partners = self._partners(record)
        if partners:
            section("典型案例" if isinstance(record, Practice) else "所属经验做法")
            for title in partners:
                add(SOURCE_LINE, title)
        section("资料来源")
        links = []
        for n, source in enumerate(record.sources, 1):
            parts = [f"{n}. {text(source.title)}", text(source.publisher)]
            parts += [text(source.author)] if source.author else []
            line = "，".join([*parts, chinese_date(source.date)])
            if source.url is None:
                add(SOURCE_LINE, line)
                continue
            rId = f"url-{record.id}-{n}"  # the record's own: a document holds each record once
            body.append(self._prototypes.linked_source.fill(line, text(source.url), link=rId))
            links.append((rId, source.url))
        return tuple(links)

    def _figures(self, metrics: Sequence[Metric]) -> bytes:
        start, end = self._prototypes.figure_table
        row = self._prototypes.figure_row
        rows = [row.fill(text(m.indicator), text(f"{m.value}{m.unit}"), str(m.year or ""), text(m.note or "")) for m in metrics]
        return b"".join([start, *rows, b"</w:tbl>", end])

    def _partners(self, record: Practice | Case) -> list[str]:
        """Titles of the records this one names that the build shows, in display order (as the record page lists them)."""
        return [text(b.title) for b in self.ordering.partners(record.id)]
