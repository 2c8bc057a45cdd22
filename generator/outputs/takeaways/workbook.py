"""The data workbook (downloads/records.xlsx): one sheet of records, one of their figures, put
together from each record's rows, compressed once when its page rendered.

XlsxWriter makes the package: styles, the header row, the frozen pane, the autofilter, column
widths and properties. The records' rows then go into its sheets as deflate segments
(zipjoin.py). A row is written without its number: a `row` without `r` follows the one before it
and a `c` without `r` the cell before it (ECMA-376 Part 1, 18.3.1.73 and 18.3.1.4; Excel,
LibreOffice and openpyxl read them so). A record's rows are then the same bytes wherever it
stands, and an edit compresses only the edited record's rows again, where XlsxWriter would write
each of about 600,000 cells again at 10,000 records (3–4 s).

Every cell of a record's row is present (an empty one as `<c/>`), so that each value stays in
its column. Text is an inline string, escaped; a figure that reads back as exactly the same
number is a number cell (`number`), so that a spreadsheet can sum it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from .. import escape
from .zipjoin import Deflated, Entry, zip_of

Columns = Sequence[tuple[str, str]]  # (key, label)
_MOST = 32767  # characters a cell holds in Excel
WIDEST = 60  # a column's width at most, in Excel's units
_WIDE = re.compile("[\u2e81-\U0010ffff]")  # characters about two units wide (CJK and after)
SIZED_BY = 500  # rows whose widths size the columns
_PLACEHOLDER = -1.5  # a number in the template's last row, so that XlsxWriter sizes the sheet


def number(text: str) -> int | float | None:
    """The figure as a number when it reads back as exactly the same text ("1200", "3.5"; not
    "1200余", "3.50" or "007"), else None: the value as printed stays as printed."""
    try:
        value: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return None
    return value if str(value) == text and abs(value) < 1e15 else None


def width(text: str) -> int:
    """Display width in Excel's units (a Chinese character is about two), as far as it sizes a
    column: only the first WIDEST characters count, as that many make a column as wide as any."""
    counted = text[:WIDEST]
    return 2 * len(counted) - len(_WIDE.sub("", counted))  # one for each character, one more for each wide one


def _cell(text: str, numeric: bool) -> str:
    if not text:
        return "<c/>"
    if numeric and number(text) is not None:
        return f"<c><v>{text}</v></c>"  # reads back as the same text
    text = escape.xml_text(text[:_MOST])
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[str]], numeric: int = -1) -> Deflated:
    """Rows of a sheet, compressed; numeric: the column whose figures may be numbers."""
    xml = "".join(["<row>" + "".join(_cell(t, c == numeric) for c, t in enumerate(row)) + "</row>" for row in rows])
    return Deflated.of(xml.encode("utf-8"))


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Columns
    count: int  # rows below the header
    widths: Sequence[Sequence[int]]  # the width (`width`) of each cell of the first rows, which size the columns
    rows: Sequence[Deflated]  # every record's rows (rows_xml), in order: a segment a record, or a run of them joined


def workbook(sheets: Sequence[Sheet], made: dt.datetime) -> bytes:
    """The .xlsx of these sheets; made: its creation date, from the data."""
    import xlsxwriter  # only a build that writes the downloads needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_urls": False, "strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties({"title": "产改经验库数据", "created": made, "author": "", "comments": ""})
    header = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    for s in sheets:
        sheet = book.add_worksheet(s.name)
        sheet.write_row(0, 0, [label for _, label in s.columns], header)
        if s.count:
            sheet.write_number(s.count, 0, _PLACEHOLDER)  # taken out below; the dimension then covers every row
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, s.count, len(s.columns) - 1)
        for c, (_, label) in enumerate(s.columns):
            widest = max([width(label), *(row[c] for row in s.widths[:SIZED_BY])])
            sheet.set_column(c, c, min(max(widest + 2, 6), WIDEST))
    book.close()
    with zipfile.ZipFile(out) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    entries = []
    for name, raw in parts.items():
        n = int(name[len("xl/worksheets/sheet") : -len(".xml")]) if name.startswith("xl/worksheets/sheet") else 0
        if not n:
            entries.append(Entry.whole(name, raw))
            continue
        s = sheets[n - 1]
        head, _, tail = raw.partition(b"</sheetData>")
        if s.count:  # the placeholder's row is the last
            head = head[: head.rindex(b"<row ")]
        entries.append(Entry.of(name, [Deflated.of(head), *s.rows, Deflated.of(b"</sheetData>" + tail)]))
    return zip_of(entries)
