"""Word documents (.docx, as Word and WPS save them): paragraphs and tables in order, with their roles.

Roles come from the document first: a Title or Heading style (标题, 标题 1 in Chinese Word), an
outline level; then from the layout official documents follow (GB/T 9704): the title centred
above the text (below the 版头 and the 发文字号, which are not the title), headings numbered
一、 or （一）, and the 落款 at the end, issuing unit and 成文日期 set to the right or on their own
lines. The core properties (title, author, created) are kept as metadata: a fallback, since
templates carry stale ones.

Bounded: the package is checked before it is opened (at most MAX_ENTRIES parts, expanding to at
most MAX_EXPANDED_BYTES, the text part to at most MAX_DOCUMENT_BYTES), and only its XML parts are
handed to python-docx, so pictures and embedded files are never expanded.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile

from .document import ArticleError, Block, Document, cut_blocks, megabytes
from .refused import zip_refusal

MAX_ENTRIES = 5_000
MAX_EXPANDED_BYTES = 200_000_000
MAX_DOCUMENT_BYTES = 30_000_000  # word/document.xml: a 500-page report is a few MB

DAMAGED = "the Word file is damaged ({}); open it in Word or WPS and save it again as .docx, or as PDF"
_LETTERHEAD = re.compile(r"文件$|〔\d{4}〕|\[\d{4}\]|第\s*\d+\s*号$|^签发人")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[章节部分])"
)
_CLOSING_DATE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)\s*$"
)


def _entries(raw: bytes) -> int:
    """The number of parts the package's end record declares (read before zipfile lists them all)."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or end + 22 > len(raw):
        raise ArticleError(DAMAGED.format("its zip directory is missing"))
    (count,) = struct.unpack_from("<H", raw, end + 10)
    return count


def _xml_only(raw: bytes) -> bytes:
    """The package with its XML parts only (pictures and embedded files emptied), after checking its size."""
    if _entries(raw) > MAX_ENTRIES:
        raise ArticleError(f"the Word file holds more than {MAX_ENTRIES:,} parts; no report does: it cannot be read safely")
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
        infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ArticleError(DAMAGED.format(f"not a readable zip package: {exc}")) from None
    names = {info.filename: info for info in infos}
    if "word/document.xml" not in names:
        raise ArticleError(zip_refusal(set(names)))
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_EXPANDED_BYTES:
        raise ArticleError(
            f"the Word file expands to {megabytes(expanded)}, more than the {megabytes(MAX_EXPANDED_BYTES)} the importer "
            "reads; a report is a few MB: save its text alone as .docx"
        )
    if names["word/document.xml"].file_size > MAX_DOCUMENT_BYTES:
        raise ArticleError(
            f"the Word file's text part is {megabytes(names['word/document.xml'].file_size)}, more than the "
            f"{megabytes(MAX_DOCUMENT_BYTES)} the importer reads"
        )
    out = io.BytesIO()
    try:
        with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            warnings.simplefilter("ignore")  # a part named twice: the copy keeps both, as the original had them
            for info in infos:
                keep = info.filename.endswith((".xml", ".rels")) and not info.is_dir()
                copy.writestr(info.filename, package.read(info) if keep else b"")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise ArticleError(DAMAGED.format(f"a part cannot be unpacked: {exc}")) from None
    return out.getvalue()


def _style_names(document) -> dict[str, str]:
    """Style id → lower-case name ('1' → 'heading 1' in a Chinese Word): asked of python-docx once, not per paragraph."""
    try:
        return {style.style_id: (style.name or "").lower() for style in document.styles}
    except (KeyError, ValueError, AttributeError):
        return {}


def _style(paragraph, names: dict[str, str]) -> str:
    found = paragraph._p.xpath("./w:pPr/w:pStyle/@w:val")
    return names.get(str(found[0]), "") if found else ""


def _outline_level(paragraph) -> int | None:
    found = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(found[0]) if found and str(found[0]).isdigit() else None


def _layout(paragraph, text: str) -> str:
    """'center', 'right' (set right, or pushed right with spaces or a wide indent, as 落款 lines are) or ''."""
    try:
        value = paragraph.alignment
        indent = paragraph.paragraph_format.left_indent
    except (ValueError, KeyError):
        return ""
    name = str(value).split(".")[-1].split(" ")[0].lower() if value is not None else ""
    if name == "center":
        return "center"
    if name == "right" or re.match(r"^(?: {6}|\u3000{3}|\t{2})", text) or (indent is not None and indent > 2_500_000):
        return "right"
    return ""


def _role(paragraph, text: str, styles: dict[str, str]) -> str:
    style = _style(paragraph, styles)
    if style in ("title", "标题") or style.startswith("title"):
        return "title"
    if re.match(r"^(?:heading|标题)\s*\d", style) or _outline_level(paragraph) is not None:
        return "heading"
    if _NUMBERED.match(text) and len(text) <= 40 and not text.endswith(("。", "；", "：")):
        return "heading"
    return "paragraph"


def _table_rows(table) -> tuple[tuple[str, ...], ...]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # a merged cell is given once per column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(tuple(cells))
    return tuple(rows)


def _split_run_in(text: str) -> list[Block]:
    """一、强化思想引领。全县…: a numbered heading run into its paragraph becomes a heading and a paragraph."""
    found = re.match(r"^(.{2,30}?[。：:])(.{20,})$", text) if _NUMBERED.match(text) else None
    if found:
        return [Block(found.group(1).rstrip("。：:"), "heading"), Block(found.group(2).strip())]
    return [Block(text)]


_AFTER_SIGNATURE = re.compile(r"^[（(]此件|^抄送|印发$|^联系人|^联系电话|^附件")


def _mark_front_and_end(items: list[tuple[Block, str]]) -> list[Block]:
    """The centred lines above the text are the title (less the 版头 and 发文字号); the lines set right at the end, the 落款."""
    blocks = [block for block, _ in items]
    if not any(block.role == "title" for block in blocks):
        first_text = next((i for i, b in enumerate(blocks) if len(b.text) > 40 or b.role == "table"), len(blocks))
        title = [
            i for i, (block, layout) in enumerate(items[:first_text]) if layout == "center" and not _LETTERHEAD.search(block.text)
        ]
        if title and title == list(range(title[0], title[-1] + 1)) and len(title) <= 3:
            for i in title:
                blocks[i] = Block(blocks[i].text, "title")
    end = len(blocks)
    while end > 0 and _AFTER_SIGNATURE.search(blocks[end - 1].text):
        end -= 1  # the 附注 and 版记 (此件公开发布, 抄送, 印发) come after the 落款
    start = end
    while start > 0 and end - start < 4:
        block, layout = items[start - 1]
        closing = layout == "right" or _CLOSING_DATE.match(block.text)
        if block.role == "table" or not closing or len(block.text) > 40:
            break
        start -= 1
    for i in range(start, end):
        blocks[i] = Block(blocks[i].text, "signature")
    return blocks


def read_docx(raw: bytes) -> Document:
    import docx  # the Word reader is needed by the importer alone
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(_xml_only(raw)))
    except ArticleError:
        raise
    except Exception as exc:  # python-docx raises what its parts give it (KeyError, ValueError, lxml errors…)
        raise ArticleError(DAMAGED.format(f"{type(exc).__name__}: {exc}")) from None
    items: list[tuple[Block, str]] = []
    try:
        styles = _style_names(document)
        for part in document.iter_inner_content():
            if isinstance(part, Table):
                rows = _table_rows(part)
                if rows:
                    items.append((Block("\n".join("  ".join(row) for row in rows), "table", rows), ""))
                continue
            text = part.text
            if not text.strip():
                continue
            role = _role(part, text.strip(), styles)
            layout = _layout(part, text)
            if role == "paragraph":
                items.extend((block, layout) for block in _split_run_in(text.strip()))
            else:
                items.append((Block(text.strip(), role), layout))  # type: ignore[arg-type]
        properties = document.core_properties
        meta = {
            "title": (properties.title or "").strip(),
            "author": (properties.author or "").strip(),
            "created": properties.created.date().isoformat() if properties.created else "",
        }
    except Exception as exc:  # a damaged part is only found as it is read
        raise ArticleError(DAMAGED.format(f"{type(exc).__name__}: {exc}")) from None
    notes: list[str] = []
    blocks = cut_blocks(_mark_front_and_end(items), notes)
    return Document("docx", tuple(blocks), {k: v for k, v in meta.items() if v}, notes=tuple(notes))
