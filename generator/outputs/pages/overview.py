"""The whole picture at a glance: the overview page (概览) and the small charts of region and
theme pages, drawn at build time as static SVG (no chart library, no script, nothing fetched),
each next to a text table that says the same.

Charts are view models here (shapes with their positions, colours and labels); the templates
only print them. Provinces are tiles in their rough geographic position, not a boundary map (a
map with boundaries needs official approval). Everything is counted from briefs, so a page here
changes only when a brief does (engine/changes.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from markupsafe import Markup

from ...model.link import Brief
from ..paths import OVERVIEW
from ..view import View

# Province-level divisions: code -> (column, row, short name), in their rough place on the map.
TILES: dict[str, tuple[int, int, str]] = {
    "230000": (6, 0, "黑龙江"),
    "150000": (4, 1, "内蒙古"),
    "220000": (6, 1, "吉林"),
    "650000": (0, 2, "新疆"),
    "620000": (2, 2, "甘肃"),
    "640000": (3, 2, "宁夏"),
    "140000": (4, 2, "山西"),
    "110000": (5, 2, "北京"),
    "210000": (6, 2, "辽宁"),
    "630000": (1, 3, "青海"),
    "610000": (2, 3, "陕西"),
    "410000": (3, 3, "河南"),
    "130000": (4, 3, "河北"),
    "120000": (5, 3, "天津"),
    "540000": (0, 4, "西藏"),
    "510000": (1, 4, "四川"),
    "500000": (2, 4, "重庆"),
    "420000": (3, 4, "湖北"),
    "340000": (4, 4, "安徽"),
    "370000": (5, 4, "山东"),
    "530000": (1, 5, "云南"),
    "520000": (2, 5, "贵州"),
    "430000": (3, 5, "湖南"),
    "360000": (4, 5, "江西"),
    "320000": (5, 5, "江苏"),
    "310000": (6, 5, "上海"),
    "450000": (2, 6, "广西"),
    "440000": (3, 6, "广东"),
    "350000": (4, 6, "福建"),
    "330000": (5, 6, "浙江"),
    "460000": (2, 7, "海南"),
    "820000": (3, 7, "澳门"),
    "810000": (4, 7, "香港"),
    "710000": (5, 7, "台湾"),
}
TILE, GAP = 52, 6

# Record counts in five steps; text on each colour keeps 4.5:1 or more.
STEPS = (1, 3, 10, 30, 100)  # lower bounds of the coloured steps; 0 is "none yet"
FILLS = ("#f0f0f0", "#fde0dc", "#f9a98f", "#ef6a4c", "#b71c1c", "#6d0a0a")
INKS = ("#333333", "#000000", "#000000", "#000000", "#ffffff", "#ffffff")
BAR = "#b71c1c"


def step(count: int) -> int:
    """0 for none, then 1..5 by STEPS."""
    return sum(1 for s in STEPS if count >= s)


def legend() -> list[dict]:
    bounds = [*STEPS, None]
    out = [{"fill": Markup(FILLS[0]), "ink": Markup(INKS[0]), "text": "暂无"}]
    for i, low in enumerate(STEPS):
        high = bounds[i + 1]
        text = f"{low}" if high is not None and high - 1 == low else (f"{low}–{high - 1}" if high else f"{low} 以上")
        out.append({"fill": Markup(FILLS[i + 1]), "ink": Markup(INKS[i + 1]), "text": text})
    return out


def _html(href: str) -> Markup:
    """A link for raw HTML (MkDocs rewrites .md links only in Markdown): the page's .html name."""
    return Markup(href[:-3] + ".html" if href.endswith(".md") else href)


# --- charts -----------------------------------------------------------------------------------
def year_bars(briefs: Iterable[Brief], *, height: int = 120) -> dict | None:
    """Records per year, every year from the first to the last (years without records show 0)."""
    years = Counter(b.date.year for b in briefs)
    if not years:
        return None
    first, last = min(years), max(years)
    top = max(years.values())
    width, pitch = 30, 40
    bars = []
    for n, year in enumerate(range(first, last + 1)):
        count = years.get(year, 0)
        h = round(height * count / top) if count else 0
        x = 10 + n * pitch
        bars.append(
            {
                "year": year,
                "count": count,
                "x": x,
                "y": 20 + height - h,
                "w": width,
                "h": h,
                "cx": x + width // 2,
                "label_y": 20 + height - h - 5,
            }
        )
    return {
        "bars": bars,
        "width": 20 + (last - first + 1) * pitch,
        "height": height + 46,
        "axis_y": 20 + height,
        "year_y": 20 + height + 18,
        "summary": "，".join(f"{b['year']} 年 {b['count']} 条" for b in bars),
    }


def hbars(items: list[tuple[str, int]], *, width: int = 360) -> dict | None:
    """Horizontal bars, one per (label, count), in the order given."""
    if not items:
        return None
    top = max(c for _, c in items) or 1
    label_w, row = 96, 26
    span = width - label_w - 40
    bars = [
        {
            "label": label,
            "count": count,
            "y": 4 + n * row,
            "ty": 4 + n * row + 15,
            "w": max(2, round(span * count / top)),
            "cx": label_w + max(2, round(span * count / top)) + 6,
        }
        for n, (label, count) in enumerate(items)
    ]
    return {
        "bars": bars,
        "label_w": label_w,
        "label_x": label_w - 6,
        "width": width,
        "height": 8 + len(items) * row,
        "summary": "，".join(f"{label} {count} 条" for label, count in items),
    }


# --- the overview page --------------------------------------------------------------------------
def render_overview(view: View) -> str:
    here, ordering, graph = OVERVIEW, view.ordering, view.graph
    briefs = view.ordering.records()
    # Each record's province, looked up once per region (ten thousand records sit in a few thousand regions).
    province_of_region = {code: ordering.province(code) for code in {b.region for b in briefs}}
    province = {b.id: province_of_region[b.region] for b in briefs}
    per_province: Counter[str] = Counter(province.values())

    tiles = []
    for code, (col, row, short) in sorted(TILES.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        count = per_province.get(code, 0)
        s = step(count)
        name = graph.regions[code].name if code in graph.regions else short
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        tiles.append(
            {
                "short": short,
                "name": name,
                "count": count,
                "href": _html(view.href(here, f"regions/{code}.md")) if count else "",
                "x": x,
                "y": y,
                "tx": x + TILE // 2,
                "ty1": y + 22,
                "ty2": y + 40,
                "fill": Markup(FILLS[s]),
                "ink": Markup(INKS[s]),
            }
        )
    provinces = ordering.children_with_records(None)
    table = [view.link(here, graph.regions[c].name, f"regions/{c}.md", str(per_province[c])) for c in provinces]
    everywhere = [c for c, region in graph.regions.items() if region.level == "province"]
    none_yet = [graph.regions[c].name for c in sorted(everywhere, key=ordering.region_key) if not per_province.get(c)]

    return view.page(
        "overview.md.j2",
        "概览",
        total=len(briefs),
        tiles={
            "tiles": tiles,
            "tile": TILE,
            "width": 7 * (TILE + GAP) - GAP,
            "height": 8 * (TILE + GAP) - GAP,
        },
        legend=legend(),
        provinces=table,
        none_yet="、".join(none_yet),
        years=year_bars(briefs),
        matrix=coverage(view, provinces, province),
    )


def coverage(view: View, provinces: list[str], province: dict[str, str]) -> dict:
    """Themes (as a tree) × provinces with records: how many records each pair has.
    province: record id -> its province's code."""
    ordering, graph, here = view.ordering, view.graph, OVERVIEW
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for b in ordering.records():
        for t in b.themes:
            counts[t][province[b.id]] += 1

    def walk(parent: str | None, depth: int) -> Iterable[tuple[str, int]]:
        ids = graph.theme_children.get(parent, ()) if parent else [t for t, th in graph.themes.items() if not th.parent]
        for theme_id in ordering.sorted_themes(ids):
            yield theme_id, depth
            yield from walk(theme_id, depth + 1)

    rows = []
    for theme_id, depth in walk(None, 0):
        cells = []
        for code in provinces:
            n = counts[theme_id].get(code, 0)
            s = step(n)
            cells.append({"count": n, "text": str(n) if n else "–", "fill": Markup(FILLS[s]), "ink": Markup(INKS[s])})
        rows.append(
            {
                "name": graph.themes[theme_id].name,
                "href": _html(view.href(here, f"themes/{theme_id}.md")),
                "depth": Markup(f"{0.6 + depth:.1f}"),
                "cells": cells,
                "empty": sum(1 for c in cells if not c["count"]),
            }
        )
    columns = [
        {
            "short": TILES[c][2] if c in TILES else graph.regions[c].name,
            "name": graph.regions[c].name,
            "href": _html(view.href(here, f"regions/{c}.md")),
        }
        for c in provinces
    ]
    return {"columns": columns, "rows": rows}


# --- small versions on region and theme pages ---------------------------------------------------
def region_charts(view: View, code: str, records: list[Brief]) -> dict:
    """A region page's sub-regions by record count and its records by year (records: those under it)."""
    ordering, graph = view.ordering, view.graph
    depth = len(ordering.region_chain(code))
    # Counted in one pass over the region's records (records_under per child would sort each again).
    per_child = Counter(chain[depth].code for chain in (ordering.region_chain(b.region) for b in records) if len(chain) > depth)
    children = [(graph.regions[c].name, per_child[c]) for c in ordering.children_with_records(code)]
    return {"places": hbars(children) if len(children) > 1 else None, "years": year_bars(records, height=80)}


def theme_charts(view: View, theme_id: str) -> dict:
    """A theme page's provinces by record count and its records by year."""
    ordering, graph = view.ordering, view.graph
    records = ordering.records_by_theme(theme_id)
    items = [(graph.regions[c].name, n) for c, n in ordering.per_province(records)]
    return {"places": hbars(items) if len(items) > 1 else None, "years": year_bars(records, height=80)}
