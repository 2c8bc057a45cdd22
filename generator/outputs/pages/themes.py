"""The theme index (the vocabulary as a tree and A–Z) and a page per theme: its description,
narrower themes, charts, compilation and records by region; a theme of more than
PAGE_BY_PROVINCE records lists them on a page per province instead."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ...model.ordering import group_by_initial
from .. import escape
from ..paths import THEMES, theme_part_path, theme_path
from ..view import View
from . import overview


def _note(view: View, theme_id: str) -> str:
    return f"{len(view.ordering.records_by_theme(theme_id))} 条"


def render_index(view: View) -> str:
    graph, ordering = view.graph, view.ordering

    def tree(parent: str | None, depth: int) -> Iterable[dict]:
        ids = graph.theme_children.get(parent, ()) if parent else [t for t, theme in graph.themes.items() if not theme.parent]
        for theme_id in ordering.sorted_themes(ids):
            yield {
                **view.link(THEMES, graph.themes[theme_id].name, theme_path(theme_id), _note(view, theme_id)),
                "indent": Markup("    " * depth),
            }
            yield from tree(theme_id, depth + 1)

    groups = group_by_initial(graph.themes, ordering.theme_key)

    def item(here: str, t: str) -> dict:
        return view.link(here, graph.themes[t].name, theme_path(t), _note(view, t))

    return view.page("themes.md.j2", "主题索引", tree=list(tree(None, 0)), groups=view.letters(THEMES, groups, item))


def render_theme(view: View, theme_id: str) -> str:
    here, theme, ordering = theme_path(theme_id), view.graph.themes[theme_id], view.ordering
    children = ordering.sorted_themes(view.graph.theme_children.get(theme_id, ()))
    cut = ordering.cut_by_province(ordering.records_by_theme(theme_id))
    records = [] if cut else ordering.records_by_theme(theme_id)
    return view.page(
        "theme.md.j2",
        theme.name,
        name=theme.name,
        description=escape.paragraphs(theme.description),
        parent=view.link(here, view.graph.themes[theme.parent].name, theme_path(theme.parent)) if theme.parent else None,
        children=[view.link(here, view.graph.themes[c].name, theme_path(c), _note(view, c)) for c in children],
        groups=view.by_place(here, records),
        provinces=view.province_links(here, cut, lambda code: theme_part_path(theme_id, code)),
        charts=overview.theme_charts(view, theme_id),
        compilation=view.compilation_links(here, "theme", theme_id),
    )


def render_part(view: View, theme_id: str, province: str) -> str:
    """A theme's records in one province, by region (its page is cut by province)."""
    here, theme = theme_part_path(theme_id, province), view.graph.themes[theme_id]
    place = view.graph.regions[province].name
    return view.page(
        "province_part.md.j2",
        f"{theme.name} · {place}",
        heading=f"{theme.name} · {place}",
        up=view.link(here, theme.name, theme_path(theme_id)),
        intro=f"{place}的记录，按地区排列。",
        groups=view.by_place(here, view.ordering.records_by_theme_in(theme_id, province)),
    )
