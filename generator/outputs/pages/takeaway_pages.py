"""The pages that lead to what officials take away: the data downloads page and the compilation
index (汇编). In the preview, which makes no take-aways, the index says where they are made."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from .. import paths
from ..catalogue import ORDER, Compilation
from ..view import View


def render_downloads(view: View, figures: int) -> str:
    """The downloads page; figures: how many figures the files hold (counted from the records' rows)."""
    kinds = [b.kind for b in view.ordering.records()]
    here = paths.DOWNLOADS
    return view.page(
        "downloads.md.j2",
        "数据下载",
        practices=kinds.count("Practice"),
        cases=kinds.count("Case"),
        figures=figures,
        links={
            name: view.href(here, path)
            for name, path in (
                ("records_csv", paths.RECORDS_CSV),
                ("metrics_csv", paths.METRICS_CSV),
                ("records_json", paths.RECORDS_JSON),
                ("records_xlsx", paths.RECORDS_XLSX),
                ("practice_schema", paths.SCHEMAS["Practice"]),
                ("case_schema", paths.SCHEMAS["Case"]),
            )
        },
    )


def render_compilations(view: View) -> str:
    """Every compilation by theme (as the theme tree) and by year; by region, those of the provinces
    and cities (a county's is on the county's page): the files of those the build writes
    (catalogue.PREBUILT), the command that makes each of the others."""
    here, catalogue, ordering, graph = paths.COMPILATIONS, view.catalogue, view.ordering, view.graph

    def entry(c: Compilation, depth: int = 0, text: str = "") -> dict:
        forms = catalogue.forms(c)
        return {
            "text": text or c.name,
            "note": f"{catalogue.count(c)} 条",
            "docx": view.href(here, c.docx) if "docx" in forms else "",
            "html": view.href(here, c.html) if "html" in forms else "",
            "command": "" if forms else Markup(c.command),  # an id, a code or a year, shown as code
            "indent": Markup("    " * depth),
        }

    def theme_tree(ids: Iterable[str], depth: int) -> Iterable[dict]:
        for theme_id in ordering.sorted_themes(ids):
            children = list(theme_tree(graph.theme_children.get(theme_id, ()), depth + 1))
            if ordering.records_by_theme(theme_id):
                yield entry(catalogue.theme(theme_id), depth)
            elif children:  # a broader theme without records of its own: its name only, over its narrower ones
                name = graph.themes[theme_id].name
                yield {"text": name, "note": "", "docx": "", "html": "", "command": "", "indent": Markup("    " * depth)}
            yield from children

    def region_tree(code: str | None, depth: int) -> Iterable[dict]:
        # Provinces and their cities, as the region index: a county's compilation is on its page, so
        # this page does not grow with the number of counties.
        for child in ordering.children_with_records(code):
            yield entry(catalogue.region(child), depth, graph.regions[child].name)
            if depth == 0:
                yield from region_tree(child, depth + 1)

    return view.page(
        "compilations.md.j2",
        "汇编",
        order=ORDER,
        regions_href=view.href(here, paths.REGIONS),
        themes=list(theme_tree((t for t, theme in graph.themes.items() if not theme.parent), 0)),
        regions=list(region_tree(None, 0)),
        years=[entry(c) for c in catalogue.years()],
    )


def render_compilations_preview(view: View) -> str:
    """The compilation index of the preview (the navigation names it): where compilations are made."""
    return view.page("takeaways_preview.md.j2", "汇编")
