"""The data downloads: every record shown, as tables (CSV, Excel) and as validated JSON; and each
record as YAML and JSON beside its page.

Each record's share of the tables (its `Rows`) is made when its page renders and kept in the
cache; the files of docs/downloads/ are then put together from every shown record's rows
(`records_csv`, `metrics_csv`, `records_json`, `records_xlsx`), so they hold exactly the records the
site shows and a change to one record never reads the others again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from itertools import islice
from typing import Any, NamedTuple, TypeVar

from ...model import reads
from ...model.labels import RECORD_KIND
from ...model.records import Case, Practice
from ..paths import DOWNLOADS_FOLDER, SCHEMAS, record_path
from ..view import View
from . import workbook
from .batched import get_fields, get_joined
from .zipjoin import Deflated

T = TypeVar("T")
_RECORD = [("kind", "类别"), ("title", "标题"), ("region", "地区代码"), ("province", "省"), ("city", "市"), ("county", "县")]
RECORD_COLUMNS = [
    ("id", "编号"),
    *_RECORD,
    ("date", "日期"),
    ("themes", "主题"),
    ("tags", "标签"),
    ("organization", "单位"),
    ("text", "概述"),
    ("figures", "数据条数"),
    ("sources", "来源"),
    ("links", "关联记录"),
    ("page", "页面"),
]
METRIC_COLUMNS = [
    ("record_id", "记录编号"),
    *_RECORD,  # the record each figure belongs to, and where
    ("indicator", "指标"),
    ("value", "数值"),
    ("unit", "单位"),
    ("year", "年份"),
    ("note", "说明"),
    ("source_title", "来源标题"),
    ("page", "页面"),
]


def record_yaml(view: View, record_id: str) -> bytes:
    import yaml

    record = view.ordering.record(record_id).model_dump(mode="json", exclude_defaults=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 0.2 ms a record against 1.5 ms
    return yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


class Rows(NamedTuple):  # a tuple: every shown record's are read back from the cache when a record changes
    """One record's share of the downloads. Made when its page renders (outputs/kinds.py), which is
    whenever anything it shows may have changed, and kept in the cache; the downloads are then
    put together from every shown record's rows without reading the records again."""

    # Text as UTF-8 bytes, as the files hold it: joined without decoding and encoding again.
    json: bytes  # its object in records.json
    record_csv: bytes  # its line of records.csv, in RECORD_COLUMNS order
    metrics_csv: bytes  # its lines of metrics.csv, in METRIC_COLUMNS order
    widths: tuple[tuple[int, ...], ...]  # the display width of each cell of its record row, then of its figure rows
    sheets: tuple[Deflated, Deflated]  # its rows of the workbook's two sheets, compressed (workbook.py)
    figures: int  # how many figures it holds (its lines of metrics.csv)


def rows_of(view: View, r: Practice | Case) -> Rows:
    themes, places = view.graph.themes, _places(view, r.region)
    if isinstance(r, Practice):
        organization, text, links = "", r.summary, r.cases
    else:
        organization, text, links = r.organization, r.narrative, r.practices
    shown = {b.id for b in view.ordering.named(links)}
    record = {
        "id": r.id,
        "kind": RECORD_KIND[type(r).__name__],
        "title": r.title,
        "region": r.region,
        **places,
        "date": r.date.isoformat(),
        "themes": "；".join(themes[t].name for t in r.themes),
        "tags": "；".join(r.tags),
        "organization": organization,
        "text": text,
        "figures": str(len(r.metrics)),
        "sources": "；".join(f"《{s.title}》{s.publisher} {s.date.isoformat()}{' ' + s.url if s.url else ''}" for s in r.sources),
        "links": "；".join(i for i in links if i in shown),  # those the site shows
        "page": _page(r),
    }
    metrics = [
        {
            "record_id": r.id,
            "kind": RECORD_KIND[type(r).__name__],
            "title": r.title,
            "region": r.region,
            **places,
            "indicator": m.indicator,
            "value": str(m.value),
            "unit": m.unit,
            "year": str(m.year or ""),
            "note": m.note or "",
            "source_title": r.sources[0].title,
            "page": _page(r),
        }
        for m in r.metrics
    ]
    value = {
        "kind": type(r).__name__,
        "$schema": SCHEMAS[type(r).__name__].removeprefix(f"{DOWNLOADS_FOLDER}/"),
        **r.model_dump(mode="json"),
    }
    cells = tuple(_inert(record[key]) for key, _ in RECORD_COLUMNS)
    figures = tuple(tuple(_inert(row[key]) for key, _ in METRIC_COLUMNS) for row in metrics)
    return Rows(
        json=json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        record_csv=_csv_lines([cells]),
        metrics_csv=_csv_lines(figures),
        widths=tuple(tuple(map(workbook.width, row)) for row in (cells, *figures)),
        sheets=(workbook.rows_xml([cells]), workbook.rows_xml(figures, numeric=METRIC_COLUMNS.index(("value", "数值")))),
        figures=len(figures),
    )


def _shown(view: View) -> list[str]:
    """Every shown record, practices then cases, each in id order: the downloads' order."""
    view.ordering.reads.add(reads.made(reads.ALL))
    return [b.id for b in view.ordering.records()]


def _all_rows(view: View, rows: Mapping[str, Rows], *fields: str) -> Iterator[tuple]:
    """These fields of every shown record's rows (rows: by record id), in order. One record at a
    time: the engine reads them from its cache (at 100,000 records whole rows are 400 MB), and only
    the fields asked for."""
    ids = _shown(view)
    for i, found in zip(ids, get_fields(rows, ids, fields), strict=True):
        if found is None:
            raise KeyError(i)  # a shown record whose page made no rows: the engine's mistake
        yield found


def _joined(
    view: View, rows: Mapping[str, Rows], field: str, join: Callable[[list[Any]], Any], finish: Callable[[list[Any]], T]
) -> T:
    """This field of every shown record's rows, in order, joined (batched.get_joined): the engine's
    cache joins again only the runs of records whose rows changed (an edit at 100,000 records read
    every record's rows of the 400 MB of downloads)."""
    return get_joined(rows, _shown(view), field, join, finish)


def _between(parts: list[bytes], separator: bytes) -> list[bytes]:
    """The parts with the separator between each two, to be joined in one copy."""
    out = [separator] * (2 * len(parts) - 1) if parts else []
    out[::2] = parts
    return out


def _lines(values: list[bytes]) -> bytes:
    return b",\n".join(values)  # records.json's records: one to a line


def _sheets(values: list[tuple[Deflated, Deflated]]) -> tuple[Deflated, Deflated]:
    """Records' rows of the two sheets, joined sheet by sheet (a run of them)."""
    return Deflated.joined([v[0] for v in values]), Deflated.joined([v[1] for v in values])


def _sheet_segments(values: list[tuple[Deflated, Deflated]]) -> tuple[list[Deflated], list[Deflated]]:
    """Each sheet's segments, in order, for its zip entry to join once."""
    return [v[0] for v in values], [v[1] for v in values]


def _places(view: View, code: str) -> dict[str, str]:
    chain = {r.level: r.name for r in view.ordering.region_chain(code)}
    return {"province": chain.get("province", ""), "city": chain.get("prefecture", ""), "county": chain.get("county", "")}


def _page(record: Practice | Case) -> str:
    """The record's page, from the site's root (add the site's address in front for a full one)."""
    return record_path(record).removesuffix(".md") + ".html"


def _csv_lines(rows: Iterable[Iterable[str]]) -> bytes:
    """The rows as CSV lines, CRLF as RFC 4180 has it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv(columns: list[tuple[str, str]]) -> Callable[[list[bytes]], bytes]:
    """The file of these lines: UTF-8 with a byte order mark (so that Excel and WPS read Chinese),
    under a header of the labels."""
    return lambda lines: b"".join(["\ufeff".encode(), _csv_lines([[label for _, label in columns]]), *lines])


def _inert(cell: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, @, or - before other than a digit) gets a
    leading apostrophe, so that opening the file never runs what a record holds."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell[1:2].isdigit()):
        return "'" + cell
    return cell


def records_json(view: View, rows: Mapping[str, Rows]) -> bytes:
    """{"count": N, "records": [...]}, one record to a line."""
    count = len(view.ordering.records())
    head = f'{{"count":{count},"records":[\n'.encode()
    return _joined(view, rows, "json", _lines, lambda runs: b"".join([head, *_between(runs, b",\n"), b"\n]}\n"]))


def _made(view: View) -> dt.datetime:
    """The workbook's creation date: the latest record's date, so the same data makes the same file."""
    dates = [b.date for b in view.ordering.records()]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def records_xlsx(view: View, rows: Mapping[str, Rows]) -> bytes:
    record_widths: list[tuple[int, ...]] = []  # of the first SIZED_BY rows of each sheet
    metric_widths: list[tuple[int, ...]] = []
    record_rows, metric_rows = _joined(view, rows, "sheets", _sheets, _sheet_segments)
    figures = figure_count(view, rows)
    # The widths of the rows that size the columns, read only as far as they go.
    for (widths,) in _all_rows(view, rows, "widths"):
        if len(record_widths) < workbook.SIZED_BY:
            record_widths.append(widths[0])
        metric_widths.extend(islice(widths[1:], workbook.SIZED_BY - len(metric_widths)))
        if len(record_widths) == len(metric_widths) == workbook.SIZED_BY:
            break
    sheets = [
        workbook.Sheet("记录", RECORD_COLUMNS, len(view.ordering.records()), record_widths, record_rows),
        workbook.Sheet("数据", METRIC_COLUMNS, figures, metric_widths, metric_rows),
    ]
    return workbook.workbook(sheets, _made(view))


def records_csv(view: View, rows: Mapping[str, Rows]) -> bytes:
    return _joined(view, rows, "record_csv", b"".join, _csv(RECORD_COLUMNS))


def metrics_csv(view: View, rows: Mapping[str, Rows]) -> bytes:
    return _joined(view, rows, "metrics_csv", b"".join, _csv(METRIC_COLUMNS))


def figure_count(view: View, rows: Mapping[str, Rows]) -> int:
    """How many figures the shown records hold (the downloads page says it)."""
    return _joined(view, rows, "figures", sum, sum)


def schema(kind: str) -> bytes:
    """The published JSON Schema of a record kind ("Practice" or "Case"), as tools/schema.py writes it."""
    return resources.files("generator.model").joinpath("schema").joinpath(f"{kind.lower()}.schema.json").read_bytes()
