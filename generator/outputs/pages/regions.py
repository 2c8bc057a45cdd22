"""The region index (provinces and their cities) and a page per region with records: its records
and those of the regions below it, the figures of its own records, and small charts."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ...sources.pinyin import tone_marks
from ..paths import REGIONS, record_path, region_path
from ..view import View
from . import listings, overview
from .records import metric

LEVEL = {"province": "省级", "prefecture": "地级", "county": "县级", "township": "乡级"}
FIGURES_OPEN = 12  # a region page shows its figures open up to this many rows; more fold per record


def _count_note(view: View, code: str) -> str:
    return f"{view.ordering.count_under(code)} 条"


def render_index(view: View) -> str:
    """Provinces and their cities (a region's page lists the regions below it), and the A–Z of
    every region with records: all of them by letter, or (past ordering.WHOLE_LISTING) the letters
    of its pages, so that the page does not grow with the number of counties."""

    def tree(code: str | None, depth: int) -> Iterable[dict]:
        for child in view.ordering.children_with_records(code):
            region = view.graph.regions[child]
            yield {
                **view.link(REGIONS, region.name, region_path(child), _count_note(view, child)),
                "indent": Markup("    " * depth),
            }
            if depth == 0:
                yield from tree(child, depth + 1)

    whole = view.ordering.whole_region_listing()
    if whole is not None:  # few enough to list them all, by letter
        letters = view.letters(REGIONS, whole, lambda here, code: listings.region_entry(view, here, code), level=3)
        return view.page("regions.md.j2", "地区索引", tree=list(tree(None, 0)), groups=letters, parts=[])
    return view.page(
        "regions.md.j2", "地区索引", tree=list(tree(None, 0)), groups=[], parts=listings.part_links(view, REGIONS, REGIONS)
    )


def render_region(view: View, code: str) -> str:
    """A region's page: its records and those below it (past ordering.ROLL_UP of those, the regions
    below with their counts instead); the figures of its own records.

    Figures are not rolled up: a province would repeat every county's table, thousands of rows
    at national scale; each figure is on its record's page and its own region's page.
    """
    here, region = region_path(code), view.graph.regions[code]
    records = view.ordering.records_under(code)
    own = [r for r in records if r.region == code]
    below = [r for r in records if r.region != code]
    listed = below if view.ordering.rolled_up(below) else []
    figures = [(r, [metric(m) for m in view.ordering.record(r.id).metrics]) for r in own]
    metrics = [{"record": view.link(here, r.title, record_path(r)), "rows": rows} for r, rows in figures if rows]
    open_figures = sum(len(g["rows"]) for g in metrics) <= FIGURES_OPEN
    return view.page(
        "region.md.j2",
        region.name,
        name=region.name,
        code=code,
        level=LEVEL[region.level],
        pinyin=tone_marks(region.pinyin),
        chain=[view.link(here, r.name, region_path(r.code)) for r in view.ordering.region_chain(code)],
        own=[view.record_item(here, r) for r in own],
        below=[view.record_item(here, r) for r in listed],
        below_count=len(below),
        children=[
            view.link(here, view.graph.regions[c].name, region_path(c), _count_note(view, c))
            for c in view.ordering.children_with_records(code)
        ],
        metrics=metrics,
        open_figures=open_figures,
        charts=overview.region_charts(view, code, records),
        compilation=view.compilation_links(here, "region", code),
    )
