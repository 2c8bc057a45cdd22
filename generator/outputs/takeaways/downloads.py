"""The data downloads: every record shown, as tables (CSV, Excel) and as validated JSON.

Files of docs/downloads/, rendered from the graph like pages (render.py plans them), so they hold
exactly the records the site shows, and an incremental build rewrites them whenever a shown
record changes (incremental.reached).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from functools import partial
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

from ...model import reads
from ...model.labels import RECORD_KIND
from ...model.records import Case, Practice
from . import workbook
from .zipjoin import Deflated

if TYPE_CHECKING:
    from ..pages.render import Renderer

FOLDER = "downloads"
INDEX = f"{FOLDER}/index.md"
RECORDS_CSV = f"{FOLDER}/records.csv"
METRICS_CSV = f"{FOLDER}/metrics.csv"
RECORDS_JSON = f"{FOLDER}/records.json"
RECORDS_XLSX = f"{FOLDER}/records.xlsx"
SCHEMAS = {"Practice": f"{FOLDER}/practice.schema.json", "Case": f"{FOLDER}/case.schema.json"}
FILES = (RECORDS_CSV, METRICS_CSV, RECORDS_JSON, RECORDS_XLSX)  # what a change of a shown record rewrites
# Put together from every shown record's rows once the pages that make them are written (incremental.py).
FROM_ROWS = frozenset({INDEX, *FILES})

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


def plan(renderer: Renderer) -> dict[str, Callable[[], str | bytes]]:
    """The files of docs/downloads/, path -> a function that renders it."""
    schemas = resources.files("generator.model").joinpath("schema")
    out: dict[str, Callable[[], str | bytes]] = {
        INDEX: partial(_index, renderer),
        RECORDS_CSV: lambda: _csv(RECORD_COLUMNS, [r.record_csv for r in _all_rows(renderer)]),
        METRICS_CSV: lambda: _csv(METRIC_COLUMNS, [r.metrics_csv for r in _all_rows(renderer)]),
        RECORDS_JSON: partial(_json, renderer),
        RECORDS_XLSX: partial(_xlsx, renderer),
    }
    for kind, path in SCHEMAS.items():
        out[path] = partial(schemas.joinpath(f"{kind.lower()}.schema.json").read_bytes)
    return out


def record_files(page: str) -> tuple[str, str]:
    """The record as YAML and as JSON, beside its page (practices/<id>.md -> practices/<id>.yaml, .json)."""
    stem = page.removesuffix(".md")
    return f"{stem}.yaml", f"{stem}.json"


def record_file_plan(renderer: Renderer, record_id: str, page: str) -> dict[str, Callable[[], str | bytes]]:
    as_yaml, as_json = record_files(page)
    return {as_yaml: partial(_record_yaml, renderer, record_id), as_json: partial(_record_json, renderer, record_id)}


def _record_yaml(renderer: Renderer, record_id: str) -> bytes:
    import yaml

    record = renderer.ordering.record(record_id).model_dump(mode="json", exclude_defaults=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 0.2 ms a record against 1.5 ms
    return yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def _record_json(renderer: Renderer, record_id: str) -> bytes:
    record = renderer.ordering.record(record_id)
    value = {"$schema": f"../{SCHEMAS[type(record).__name__]}", **record.model_dump(mode="json")}
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class Rows(NamedTuple):  # a tuple: every shown record's are read back from the cache when a record changes
    """One record's share of the downloads. Made when its page renders (render.py), which is
    whenever anything it shows may have changed, and kept in the cache; the downloads are then
    put together from every shown record's rows without reading the records again."""

    # Text as UTF-8 bytes, as the files hold it: joined without decoding and encoding again.
    json: bytes  # its object in records.json
    record_csv: bytes  # its line of records.csv, in RECORD_COLUMNS order
    metrics_csv: bytes  # its lines of metrics.csv, in METRIC_COLUMNS order
    widths: tuple[tuple[int, ...], ...]  # the display width of each cell of its record row, then of its figure rows
    sheets: tuple[Deflated, Deflated]  # its rows of the workbook's two sheets, compressed (workbook.py)


def rows_of(renderer: Renderer, r: Practice | Case) -> Rows:
    themes, places = renderer.graph.themes, _places(renderer, r.region)
    if isinstance(r, Practice):
        organization, text, links = "", r.summary, r.cases
    else:
        organization, text, links = r.organization, r.narrative, r.practices
    named, _ = renderer.ordering.named(links)
    shown = {b.id for b in named}
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
        "$schema": SCHEMAS[type(r).__name__].removeprefix(f"{FOLDER}/"),
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
    )


def _all_rows(renderer: Renderer) -> list[Rows]:
    """Every shown record's rows: practices then cases, each in id order."""
    rows = renderer.download_rows
    renderer.ordering.reads.add(reads.made(reads.ALL))
    return [rows[i] for i in (b.id for b in renderer.ordering.records())]


def _places(renderer: Renderer, code: str) -> dict[str, str]:
    chain = {r.level: r.name for r in renderer.ordering.region_chain(code)}
    return {"province": chain.get("province", ""), "city": chain.get("prefecture", ""), "county": chain.get("county", "")}


def _page(record: Practice | Case) -> str:
    """The record's page, from the site's root (add the site's address in front for a full one)."""
    from ..pages.render import record_path

    return record_path(record).removesuffix(".md") + ".html"


def _csv_lines(rows: Iterable[Iterable[str]]) -> bytes:
    """The rows as CSV lines, CRLF as RFC 4180 has it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv(columns: list[tuple[str, str]], lines: Iterable[bytes]) -> bytes:
    """UTF-8 with a byte order mark (so that Excel and WPS read Chinese), under a header of the labels."""
    return b"".join(["\ufeff".encode(), _csv_lines([[label for _, label in columns]]), *lines])


def _inert(cell: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, @, or - before other than a digit) gets a
    leading apostrophe, so that opening the file never runs what a record holds."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell[1:2].isdigit()):
        return "'" + cell
    return cell


def _json(renderer: Renderer) -> bytes:
    """{"count": N, "records": [...]}, one record to a line."""
    rows = _all_rows(renderer)
    body = b",\n".join(r.json for r in rows)
    return f'{{"count":{len(rows)},"records":[\n'.encode() + body + b"\n]}\n"


def _made(renderer: Renderer) -> dt.datetime:
    """The workbook's creation date: the latest record's date, so the same data makes the same file."""
    dates = [b.date for b in renderer.ordering.records()]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _xlsx(renderer: Renderer) -> bytes:
    every = _all_rows(renderer)
    metrics = list(islice((w for r in every for w in r.widths[1:]), workbook.SIZED_BY))
    sheets = [
        workbook.Sheet(
            "记录", RECORD_COLUMNS, len(every), [r.widths[0] for r in every[: workbook.SIZED_BY]], [r.sheets[0] for r in every]
        ),
        workbook.Sheet("数据", METRIC_COLUMNS, sum(len(r.widths) - 1 for r in every), metrics, [r.sheets[1] for r in every]),
    ]
    return workbook.workbook(sheets, _made(renderer))


def _index(renderer: Renderer) -> str:
    kinds = [b.kind for b in renderer.ordering.records()]
    figures = sum(len(r.widths) - 1 for r in _all_rows(renderer))
    here = INDEX
    return renderer._page(
        "downloads.md.j2",
        "数据下载",
        practices=kinds.count("Practice"),
        cases=kinds.count("Case"),
        figures=figures,
        links={
            name: renderer._href(here, path)
            for name, path in (
                ("records_csv", RECORDS_CSV),
                ("metrics_csv", METRICS_CSV),
                ("records_json", RECORDS_JSON),
                ("records_xlsx", RECORDS_XLSX),
                ("practice_schema", SCHEMAS["Practice"]),
                ("case_schema", SCHEMAS["Case"]),
            )
        },
    )
