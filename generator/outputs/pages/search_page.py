"""The search page (search.html?q=…&kind=…&province=…&theme=…&year=…&page=…): a box, the results
with their counts per kind, province, theme and year, and the synonyms a search takes for one
another. The results are drawn in the browser (assets/results.js) from the search index; the page
itself shows what holds without them."""

from __future__ import annotations

from .. import paths
from ..view import View


def render_search(view: View) -> str:
    here = paths.SEARCH
    browse = {
        name: view.href(here, path)
        for name, path in [("regions", paths.REGIONS), ("themes", paths.THEMES), ("titles", paths.TITLES)]
    }
    return view.page("search.md.j2", "搜索", toc=False, synonyms=view.ordering.synonyms(), browse=browse)
