"""PDF files with a text layer (Word and WPS exports): the text in reading order, as paragraphs.

pypdf gives each piece of text with its place on the page. From those the reader makes lines
(pieces on one baseline), then:
- drops running headers and footers (a line at the top or bottom of the page that repeats on
  other pages) and page numbers (— 3 —, 第3页, 3/10, - 3 -) wherever they stand at an edge;
- reads a two-column page column by column (a gutter that no line crosses, with full lines of
  text on both sides), a line across both columns (a title) where it stands;
- keeps a row of cells set apart by wide gaps, with more rows like it, as a table;
- joins the lines of a paragraph: a line that runs to the right margin continues on the next
  unless that one is indented, so a sentence wrapped at the margin is one sentence again, with
  no space between Chinese characters (the next page's first line too);
- marks the largest text at the top of the first page as the title, larger or numbered short
  lines as headings, and short lines set right at the end (issuing unit, 成文日期) as the 落款.

A PDF without text (a scan) is refused with a message saying so. Bounded: at most MAX_PAGES pages
are read (a note says when more were left), with pypdf's limits on every stream tightened.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .document import MAX_TEXT_CHARS, ArticleError, Block, Document, cut_blocks, megabytes

MAX_PAGES = 300  # a report is tens of pages; the first 300 are read of a longer file
_LIMITS: dict[str, Any] = {
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "stream_decoding_work_maximum_length": 60_000_000,
    "jbig2dec_binary": None,  # never run another program on an input
}
EDGE = 0.08  # the share of the page height at top and bottom where headers, footers and page numbers stand
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~\s]*\d{1,4}[-—–－―~\s]*|第\s*\d{1,4}\s*页(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}|"
    r"[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|[-—–]?\s*[一二三四五六七八九十]{1,3}\s*[-—–]?)$"
)
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])")
_CLOSING_DATE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)
_SENTENCE_END = tuple("。！？；：…”）")
_LABEL = re.compile(r"^(?:附件|附表|附图|附：|注：)|^.{1,20}[：:]$")


@dataclass
class Piece:
    """Text pypdf drew in one go: where it starts, its size, and an estimate of where it ends."""

    x: float
    y: float
    size: float
    text: str
    end: float = 0.0

    def __post_init__(self) -> None:
        wide = sum(1 for c in self.text if unicodedata.east_asian_width(c) in "WF")
        self.end = self.x + self.size * (wide + 0.55 * (len(self.text) - wide))


@dataclass
class Line:
    page: int
    y: float
    size: float
    pieces: list[Piece] = field(default_factory=list)
    left: float = 0.0  # the margins of the column the line stands in
    right: float = 0.0
    cells: tuple[str, ...] = ()

    @property
    def x(self) -> float:
        return self.pieces[0].x

    @property
    def end(self) -> float:
        return max(p.end for p in self.pieces)

    @property
    def text(self) -> str:
        return "  ".join(self.cells) if len(self.cells) > 1 else _join([p.text for p in self.pieces])


def _join(parts: list[str]) -> str:
    """Pieces or lines: no space between Chinese characters nor inside a number, one between Latin words."""
    out = ""
    for part in parts:
        part = part.strip()
        if out and part and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return out


def _pieces(page) -> list[Piece]:
    pieces: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        # The text matrix in the page's space: the current matrix applied after the text matrix.
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = max(abs(d), abs(a), abs(b), abs(c)) or 1.0
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                pieces.append(Piece(x, y - i * size * scale * 1.2, (size or 1.0) * scale, part))

    page.extract_text(visitor_text=visit)
    return pieces


def _lines(pieces: list[Piece], page: int) -> list[Line]:
    """Pieces on one baseline, left to right; lines top to bottom."""
    lines: list[Line] = []
    for piece in sorted(pieces, key=lambda p: (-p.y, p.x)):
        line = lines[-1] if lines else None
        if line is not None and abs(line.y - piece.y) <= 0.45 * max(line.size, piece.size):
            line.pieces.append(piece)
            line.size = max(line.size, piece.size)
        else:
            lines.append(Line(page, piece.y, piece.size, [piece]))
    for line in lines:
        line.pieces.sort(key=lambda p: p.x)
    return lines


def _cells(lines: list[Line]) -> None:
    """A line of pieces set apart by wide gaps is a row of cells."""
    for line in lines:
        gaps = [b.x - a.end for a, b in zip(line.pieces, line.pieces[1:], strict=False)]
        if gaps and all(g >= 1.5 * line.size for g in gaps):
            line.cells = tuple(_join([p.text]) for p in line.pieces)


def _sides(line: Line, gutter: float) -> tuple[list[Piece], list[Piece]] | None:
    """The pieces of a line left and right of a gutter, if none crosses it and each side is one run of text."""
    if any(p.x < gutter - 2 and p.end > gutter + 2 for p in line.pieces):
        return None
    left = [p for p in line.pieces if p.end <= gutter + 2]
    right = [p for p in line.pieces if p.x >= gutter - 2 and p not in left]
    for side in (left, right):
        if any(b.x - a.end >= 1.5 * line.size for a, b in zip(side, side[1:], strict=False)):
            return None  # a row of cells, not a line of a column
    return left, right


def _gutter(lines: list[Line], width: float) -> float | None:
    """The x of the gutter of two columns: many lines with text on both sides, and no text across it."""
    if sum(1 for line in lines if len(line.pieces) > 1) < 3:
        return None  # a page of single runs of text: no line has two sides
    best: tuple[int, float] | None = None
    for step in range(30, 71):
        g = width * step / 100
        sides = [_sides(ln, g) for ln in lines]
        both = sum(1 for s in sides if s and s[0] and s[1])
        if both >= 3 and (best is None or both > best[0]):
            best = (both, g)
    return best[1] if best else None


def _columns(lines: list[Line], gutter: float) -> list[tuple[int, int]]:
    """Stretches (start, end) of consecutive lines set in two columns of full lines of text."""
    stretches: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _sides(lines[i], gutter) is None:
            i += 1
            continue
        j = i
        while j < len(lines) and _sides(lines[j], gutter) is not None:
            j += 1
        sides = [_sides(lines[k], gutter) or ([], []) for k in range(i, j)]
        both = [i + n for n, (left, right) in enumerate(sides) if left and right]
        if len(both) >= 3:
            start, end = both[0], both[-1] + 1
            pitch = min((lines[k].y - lines[k + 1].y for k in range(start, end - 1)), default=0.0)
            while end < j and lines[end - 1].y - lines[end].y <= 1.3 * pitch:
                end += 1  # a column one line longer than the other
            left = [p for k in range(start, end) for p in _sides(lines[k], gutter)[0]]  # type: ignore[index]
            right = [p for k in range(start, end) for p in _sides(lines[k], gutter)[1]]  # type: ignore[index]
            if _full(left, gutter - min(p.x for p in left)) and _full(right, max(p.end for p in right) - gutter):
                stretches.append((start, end))
        i = j
    return stretches


def _full(pieces: list[Piece], width: float) -> bool:
    return sum(1 for p in pieces if p.end - p.x > 0.6 * width) >= 2


def _reading_order(lines: list[Line], width: float) -> list[Line]:
    """Lines of a page in reading order: a stretch in two columns column by column, where it stands."""
    gutter = _gutter(lines, width)
    stretches = _columns(lines, gutter) if gutter is not None else []
    out: list[Line] = []
    at = 0
    for start, end in stretches + [(len(lines), len(lines))]:
        plain = lines[at:start]
        _cells(plain)
        _set_margins(plain)
        out.extend(plain)
        columns: tuple[list[Line], list[Line]] = ([], [])
        for line in lines[start:end]:
            for column, pieces in zip(columns, _sides(line, gutter), strict=True):  # type: ignore[arg-type]
                if pieces:
                    column.append(Line(line.page, line.y, max(p.size for p in pieces), list(pieces)))
        for column in columns:
            _set_margins(column)
            out.extend(column)
        at = end
    return out


def _set_margins(lines: list[Line]) -> None:
    if not lines:
        return
    counts = Counter(round(line.x) for line in lines)
    left = min(x for x, n in counts.items() if n == max(counts.values())) if lines else 0.0
    left = min(left, min(line.x for line in lines))
    right = max(line.end for line in lines)
    for line in lines:
        line.left, line.right = left, right


def _furniture(pages: list[list[Line]], heights: list[float]) -> set[int]:
    """ids of the lines that are page numbers, running headers or footers."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.replace(" ", ""))

    edge: list[Line] = []
    for lines, height in zip(pages, heights, strict=True):
        edge.extend(line for line in lines if line.y > height * (1 - EDGE) or line.y < height * EDGE)
    seen = Counter(key(line.text) for line in edge)
    pages_with: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        for text in {key(ln.text) for ln in lines if ln.y > height * (1 - EDGE) or ln.y < height * EDGE}:
            pages_with[text] += 1
    many = max(2, (len(pages) + 2) // 3)
    return {
        id(line)
        for line in edge
        if _PAGE_NUMBER.match(line.text.strip()) or (seen[key(line.text)] >= 2 and pages_with[key(line.text)] >= many)
    }


def _continues(line: Line, after: Line) -> bool:
    """after goes on with the sentence of line: line runs to its margin and after is not indented, nor a new kind of text.

    The next page's first line, or the top of the next column, may go on with the last line of the one before.
    """
    if line.cells or after.cells or abs(line.size - after.size) > 0.15 * line.size:
        return False
    full = line.right - line.end < 2.2 * line.size
    first = after.pieces[0].text
    indented = after.x - after.left > 0.9 * after.size or first.startswith(("\u3000", "  "))
    moved_on = after.page != line.page or after.y > line.y  # a new page or the next column
    close = moved_on or 0 < line.y - after.y < 2.4 * line.size
    label = line.text.endswith(_SENTENCE_END) and _LABEL.match(after.text)  # 附表：… after a full stop starts anew
    return full and not indented and close and not _NUMBERED.match(after.text) and not label


def _blocks(lines: list[Line], body_size: float) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[Line] = []
    table: list[Line] = []

    def flush_paragraph() -> None:
        if paragraph:
            text = _join([ln.text for ln in paragraph])
            size = max(ln.size for ln in paragraph)
            heading = (size > 1.12 * body_size or _NUMBERED.match(text)) and len(text) <= 40 and not text.endswith(_SENTENCE_END)
            blocks.append(Block(text, "heading" if heading else "paragraph"))
            paragraph.clear()

    def flush_table() -> None:
        if len(table) >= 2:
            rows = tuple(ln.cells for ln in table)
            blocks.append(Block("\n".join("  ".join(row) for row in rows), "table", rows))
        else:
            blocks.extend(Block(ln.text) for ln in table)
        table.clear()

    for line in lines:
        if line.cells:
            flush_paragraph()
            table.append(line)
            continue
        flush_table()
        if paragraph and not _continues(paragraph[-1], line):
            flush_paragraph()
        paragraph.append(line)
    flush_paragraph()
    flush_table()
    return blocks


def _title_and_signature(blocks: list[Block], first_page: list[Line], body_size: float, last: list[Line]) -> list[Block]:
    """The largest text at the top of the first page is the title; short lines set right at the end, the 落款."""
    big = [ln for ln in first_page[:6] if ln.size > 1.25 * body_size and not ln.cells]
    if big:
        largest = max(ln.size for ln in big)
        title = _join([ln.text for ln in big if ln.size >= 0.95 * largest])
        for i, block in enumerate(blocks[:6]):
            if block.text == title or (block.text and block.text in title and len(block.text) >= 4):
                blocks[i] = Block(title, "title")
                del blocks[i + 1 : i + 1 + sum(1 for b in blocks[i + 1 : i + 4] if b.text in title)]
                break
    right = {ln.text for ln in last if ln.x > (ln.left + ln.right) / 2 and len(ln.text) <= 40}
    end = len(blocks)
    while end > 0 and len(blocks) - end < 4:
        text = blocks[end - 1].text
        if blocks[end - 1].role == "table" or not (text in right or _CLOSING_DATE.match(text)):
            break
        end -= 1
    for i in range(end, len(blocks)):
        blocks[i] = Block(blocks[i].text, "signature")
    return blocks


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """The library's log messages about a damaged file held back while it is read: the error says it once.

    Its modules log to children of `name`; a handler that drops them, with propagation stopped, keeps them
    from Python's last-resort printing to stderr, for this read only.
    """
    logger = logging.getLogger(name)
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read_pdf(raw: bytes) -> Document:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    notes: list[str] = []
    with apply_configuration(**_LIMITS), _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ArticleError("the PDF is protected by a password; ask for a copy without one, or for the Word file")
            count = len(reader.pages)
        except ArticleError:
            raise
        except Exception as exc:  # pypdf raises many kinds on a broken file (PdfReadError, KeyError, ValueError…)
            raise ArticleError(f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc}); export it again") from None
        if count > MAX_PAGES:
            notes.append(f"the PDF has {count:,} pages; the first {MAX_PAGES} were read")
        pages: list[list[Line]] = []
        heights: list[float] = []
        widths: list[float] = []
        images = 0
        chars = 0
        failures: list[str] = []
        for number in range(min(count, MAX_PAGES)):
            try:
                page = reader.pages[number]
                box = page.mediabox
                width, height = float(box.width), float(box.height)
                pieces = _pieces(page)
                if not pieces:
                    images += len(page.images)
            except LimitReachedError:
                limit = megabytes(_LIMITS["zlib_maximum_output_length"])
                failures.append(f"page {number + 1} expands to more than the {limit} a page may")
                continue
            except Exception as exc:  # one damaged page does not lose the others
                failures.append(f"page {number + 1} could not be read ({type(exc).__name__}: {exc})")
                continue
            pages.append(_lines(pieces, number))
            heights.append(height)
            widths.append(width)
            chars += sum(len(p.text) for p in pieces)
            if chars > MAX_TEXT_CHARS:
                notes.append(f"the PDF was read up to page {number + 1} of {count}: its text is longer than the importer takes")
                break
    if failures and not any(pages):
        raise ArticleError(f"the PDF is damaged: no page could be read ({failures[0]}); export it again")
    notes.extend(f"{failure}; the others were read" for failure in failures)
    if not any(pages):
        if images:
            raise ArticleError(
                "the PDF has no text layer (its pages are pictures, as a scan is): ask for the Word file, "
                "or run it through OCR and import the text"
            )
        if count:
            raise ArticleError("the PDF has no text on its pages (they are blank, or their text is drawn as shapes)")
        raise ArticleError("the PDF has no pages")
    furniture = _furniture(pages, heights)
    ordered: list[Line] = []
    for lines, width in zip(pages, widths, strict=True):
        ordered.extend(_reading_order([ln for ln in lines if id(ln) not in furniture], width))
    sizes = Counter(round(ln.size, 1) for ln in ordered for _ in ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    blocks = _blocks(ordered, body_size)
    first = [ln for ln in ordered if ln.page == ordered[0].page] if ordered else []
    last = [ln for ln in ordered if ordered and ln.page == ordered[-1].page]
    blocks = _title_and_signature(blocks, first, body_size, last)
    meta = {}
    try:
        info = reader.metadata
        if info is not None:
            meta = {"title": str(info.title or "").strip(), "author": str(info.author or "").strip()}
            if info.creation_date is not None:
                meta["created"] = info.creation_date.date().isoformat()
    except Exception:  # metadata is a fallback: a damaged info dictionary is simply not used
        meta = {}
    return Document("pdf", tuple(cut_blocks(blocks, notes)), {k: v for k, v in meta.items() if v}, notes=tuple(notes))
