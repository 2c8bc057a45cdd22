"""The data workbook's writer: records' rows compressed once, joined into XlsxWriter's package,
read back with openpyxl as a spreadsheet would read them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib

import openpyxl
import pytest
from lxml import etree

from generator.outputs.takeaways.workbook import Sheet, number, rows_xml, width, workbook

COLUMNS = [("id", "编号"), ("title", "标题"), ("value", "数值"), ("note", "说明")]
MADE = dt.datetime(2024, 5, 20)


def book_of(records: list[list[tuple[str, ...]]], numeric: int = 2) -> bytes:
    """A one-sheet workbook of these records, each a list of rows."""
    rows = [row for record in records for row in record]
    widths = [[width(t) for t in row] for row in rows]
    sheet = Sheet("数据", COLUMNS, len(rows), widths, [rows_xml(r, numeric=numeric) for r in records])
    return workbook([sheet], MADE)


def values(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_each_value_reads_back_in_its_own_row_and_column() -> None:
    records = [
        [("a", "第一条", "1200", "")],
        [("b", "", "3.50", "有说明"), ("b", "第二条", "1200余", "")],
        [],  # a record without figures adds no row
        [("c", "第三条", "", "末尾")],
    ]
    assert values(book_of(records)) == [
        ["编号", "标题", "数值", "说明"],
        ["a", "第一条", 1200, ""],
        ["b", "", "3.50", "有说明"],  # an empty cell keeps the next value in its column
        ["b", "第二条", "1200余", ""],
        ["c", "第三条", "", "末尾"],
    ]


@pytest.mark.parametrize(
    "text",
    ["<b>粗体</b> & 《x》", "</t></is></c><c><v>1", "  前后有空格  ", "多行\n文字", '\'=HYPERLINK("http://x")'],
)
def test_text_reads_back_as_written_never_as_markup(text: str) -> None:
    assert values(book_of([[("a", text, "1", "")]]))[1][1] == text


def test_characters_xml_cannot_hold_are_dropped() -> None:
    assert values(book_of([[("a", "控制\x01字符\x1f", "1", "")]]))[1][1] == "控制字符"


def test_a_figure_is_a_number_only_when_it_reads_back_as_the_same_text() -> None:
    assert [number(t) for t in ("1200", "-3", "3.5", "3.50", "007", "1200余", "1e3", "")] == [1200, -3, 3.5, *[None] * 5]


def test_the_package_is_sound_and_its_ranges_cover_every_row() -> None:
    data = book_of([[("a", "一", "1", "")], [("b", "二", "2", ""), ("b", "三", "3", "")]])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None  # every entry's CRC matches its text
        sheet = etree.fromstring(package.read("xl/worksheets/sheet1.xml"))
        book = package.read("xl/workbook.xml").decode("utf-8")
    ns = {"x": sheet.nsmap[None]}
    assert sheet.find("x:dimension", ns).get("ref") == "A1:D4"
    assert sheet.find("x:autoFilter", ns).get("ref") == "A1:D4"
    assert re.search(r"_FilterDatabase[^>]*>数据!\$A\$1:\$D\$4<", book)
    assert len(sheet.findall("x:sheetData/x:row", ns)) == 4  # the header and three rows, nothing left of the template


def test_an_empty_sheet_has_its_header_only() -> None:
    assert values(book_of([])) == [["编号", "标题", "数值", "说明"]]


def test_a_record_rows_are_the_same_bytes_wherever_it_stands() -> None:
    """What lets an edit compress only the edited record's rows again: a row holds no row number."""
    first, second = [("a", "一", "1", "")], [("b", "二", "2", "")]
    segment = rows_xml(first, numeric=2)
    assert b" r=" not in zlib.decompressobj(-15).decompress(segment.packed)
    assert values(book_of([second, first]))[1:] == [["b", "二", 2, ""], ["a", "一", 1, ""]]
