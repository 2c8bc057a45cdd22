"""The home page: what the library holds, where to start, the newest records."""

from __future__ import annotations

from collections import Counter

from .. import paths
from ..view import View


def render_home(view: View) -> str:
    here = paths.HOME
    links = {
        name: view.href(here, path)
        for name, path in [
            ("regions", paths.REGIONS),
            ("themes", paths.THEMES),
            ("practices", paths.PRACTICES),
            ("cases", paths.CASES),
            ("titles", paths.TITLES),
            ("overview", paths.OVERVIEW),
            ("downloads", paths.DOWNLOADS),
            ("feed", paths.FEED),
            ("compilations", paths.COMPILATIONS),
            ("search", paths.SEARCH),
        ]
    }
    links["search_page"] = view.href(here, paths.html(paths.SEARCH))  # a form's action: the page's address, not its source
    kinds = Counter(b.kind for b in view.ordering.records())
    counts = {
        "practices": kinds["Practice"],
        "cases": kinds["Case"],
        "regions": len(view.ordering.regions_with_records()),
        "themes": len(view.graph.themes),
    }
    latest = [view.record_item(here, r) for r in view.ordering.latest(10)]
    return view.page("home.md.j2", "首页", toc=False, counts=counts, links=links, latest=latest, takeaways=view.site.takeaways)
