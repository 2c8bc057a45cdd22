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
from dataclasses import dataclass
from functools import partial
from importlib import resources
from typing import TYPE_CHECKING

from .labels import RECORD_KIND
from .models import Case, Practice

if TYPE_CHECKING:
    from .render import Renderer

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
# The workbook takes seconds at national scale (XlsxWriter writes each of ~600,000 cells in Python):
# a build renders it while MkDocs runs (build.py), not before.
SLOW = frozenset({RECORDS_XLSX})

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
    schemas = resources.files("generator").joinpath("schema")
    out: dict[str, Callable[[], str | bytes]] = {
        INDEX: partial(_index, renderer),
        RECORDS_CSV: lambda: _csv(RECORD_COLUMNS, (r.record for r in _all_rows(renderer))),
        METRICS_CSV: lambda: _csv(METRIC_COLUMNS, (m for r in _all_rows(renderer) for m in r.metrics)),
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

    record = renderer.graph.record(record_id).model_dump(mode="json", exclude_defaults=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 0.2 ms a record against 1.5 ms
    return yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def _record_json(renderer: Renderer, record_id: str) -> bytes:
    record = renderer.graph.record(record_id)
    value = {"$schema": f"../{SCHEMAS[type(record).__name__]}", **record.model_dump(mode="json")}
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Rows:
    """One record's share of the downloads. Made when its page renders (render.py), which is
    whenever anything it shows may have changed, and kept in the cache; the downloads are then
    put together from every shown record's rows without reading the records again."""

    record: tuple[str, ...]  # its row of records.csv, in RECORD_COLUMNS order
    metrics: tuple[tuple[str, ...], ...]  # its rows of metrics.csv, in METRIC_COLUMNS order
    json: str  # its object in records.json


def rows_of(renderer: Renderer, r: Practice | Case) -> Rows:
    themes, places = renderer.graph.themes, _places(renderer, r.region)
    if isinstance(r, Practice):
        organization, text, links = "", r.summary, r.cases
    else:
        organization, text, links = r.organization, r.narrative, r.practices
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
        "links": "；".join(i for i in links if i in renderer.graph.briefs),  # those the site shows
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
    return Rows(
        record=tuple(_inert(record[key]) for key, _ in RECORD_COLUMNS),
        metrics=tuple(tuple(_inert(row[key]) for key, _ in METRIC_COLUMNS) for row in metrics),
        json=json.dumps(value, ensure_ascii=False, separators=(",", ":")),
    )


def _all_rows(renderer: Renderer) -> list[Rows]:
    """Every shown record's rows: practices then cases, each in id order."""
    rows = renderer.download_rows
    return [rows[i] for i in renderer.graph.briefs]


def _places(renderer: Renderer, code: str) -> dict[str, str]:
    chain = {r.level: r.name for r in renderer.ordering.region_chain(code)}
    return {"province": chain.get("province", ""), "city": chain.get("prefecture", ""), "county": chain.get("county", "")}


def _page(record: Practice | Case) -> str:
    """The record's page, from the site's root (add the site's address in front for a full one)."""
    from .render import record_path

    return record_path(record).removesuffix(".md") + ".html"


def _csv(columns: list[tuple[str, str]], rows: Iterable[tuple[str, ...]]) -> bytes:
    """UTF-8 with a byte order mark (so that Excel and WPS read Chinese), CRLF as RFC 4180 has it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _inert(cell: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, @, or - before other than a digit) gets a
    leading apostrophe, so that opening the file never runs what a record holds."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell[1:2].isdigit()):
        return "'" + cell
    return cell


def _json(renderer: Renderer) -> bytes:
    """{"count": N, "records": [...]}, one record to a line."""
    rows = _all_rows(renderer)
    body = ",\n".join(r.json for r in rows)
    return f'{{"count":{len(rows)},"records":[\n{body}\n]}}\n'.encode()


def _made(renderer: Renderer) -> dt.datetime:
    """The workbook's creation date: the latest record's date, so the same data makes the same file."""
    dates = [b.date for b in renderer.graph.briefs.values()]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _xlsx(renderer: Renderer) -> bytes:
    import xlsxwriter  # only a build that writes the downloads needs it

    out = io.BytesIO()
    # A shared string table (not constant_memory): place names and indicators recur on thousands of
    # rows, so the file is half the size and written as quickly.
    workbook = xlsxwriter.Workbook(out, {"strings_to_urls": False, "strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"title": "产改经验库数据", "created": _made(renderer), "author": "", "comments": ""})
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    every = _all_rows(renderer)
    for name, columns, rows in (
        ("记录", RECORD_COLUMNS, [r.record for r in every]),
        ("数据", METRIC_COLUMNS, [m for r in every for m in r.metrics]),
    ):
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, [label for _, label in columns], header)
        write = sheet.write_string  # text as recorded; skips write_row's type dispatch
        numeric = columns.index(("value", "数值")) if ("value", "数值") in columns else -1
        for n, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if c == numeric and (number := _number(cell)) is not None:
                    sheet.write_number(n, c, number)  # so that a spreadsheet can sum and compare it
                else:
                    write(n, c, cell)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)
        for c, (_, label) in enumerate(columns):
            widest = max([_width(label), *(_width(row[c]) for row in rows[:500])])
            sheet.set_column(c, c, min(max(widest + 2, 6), 60))
    workbook.close()
    return out.getvalue()


def _number(text: str) -> int | float | None:
    """The figure as a number when it reads back as exactly the same text ("1200", "3.5"; not
    "1200余", "3.50" or "007"), else None: the value as printed stays as printed."""
    try:
        number: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return None
    return number if str(number) == text and abs(number) < 1e15 else None


def _width(text: str) -> int:
    """Display width in Excel's units: a Chinese character is about two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _index(renderer: Renderer) -> str:
    graph = renderer.graph
    kinds = [b.kind for b in graph.briefs.values()]
    figures = sum(len(r.metrics) for r in _all_rows(renderer))
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
