"""The files of site/search/ made from the graph rather than from the documents: what the listing
filters and the search page narrow by, the synonyms a query is widened with, and the address
search/?q=… that leads to the search page.

- facets.js       province / city / theme / year and document number of every record, by url (the
                  listing filters)
- titles.js       title and place of every record in A–Z order, loaded once a listing filter is set
                  (a long listing's own page lists none; its filters list matches from the whole set)
- doc-facets.js   kind, province, year and themes of every document, by document number, in a few
                  bytes each: the search page counts and narrows any number of results with it
- synonyms.js     the groups of data/synonyms.yaml, normalised as queries are
- index.html      search/?q=… (a folder's address, as people write it) opens the search page with
                  the same query

From the briefs alone: an incremental build never reads records it does not render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping

from ...model.link import Graph
from ...model.ordering import Ordering
from ..paths import FEED, SEARCH, html, record_path, region_path, theme_path
from .documents import regions_with_records
from .shards import script
from .text import normalise

KIND_CODES = {"Practice": "p", "Case": "c", "region": "r", "theme": "t"}  # doc-facets.js: what a document is
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


# The two files that read no title and no text: an edit of either, the most common kind, leaves
# them as they were (a second of an edit at 100,000 records to make them again). facet_key says
# when they may differ; the engine keeps the last ones made under it.
FACET_FILES = ("facets.js", "doc-facets.js")


def graph_files(
    graph: Graph, ordering: Ordering, numbered: Mapping[str, int], facet_files: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every such file: path under search/ -> text. facet_files: the FACET_FILES as made for the
    same facet_key, taken as they are."""
    if facet_files is None:
        chains = _ThemeChains(graph)
        facet_files = {
            "facets.js": script("facets", facets(graph, ordering, numbered, chains)),
            "doc-facets.js": script("docFacets", doc_facets(graph, ordering, numbered, chains)),
        }
    return {
        "facets.js": facet_files["facets.js"],
        "titles.js": script("titles", titles(graph, ordering)),
        "doc-facets.js": facet_files["doc-facets.js"],
        "synonyms.js": script("synonyms", [[normalise(t) for t in group] for group in graph.synonyms]),
        "index.html": REDIRECT,
    }


def facet_key(graph: Graph, ordering: Ordering, numbered: Mapping[str, int]) -> str:
    """A digest of all that facets() and doc_facets() read: each record's kind, id, region, year and
    themes, in order; each region's and theme's place in its tree, name and sort key; the documents'
    numbers. The same key, the same FACET_FILES."""
    read = (
        [(b.kind, b.id, b.region, b.date.year, b.themes) for b in graph.briefs.values()],
        [(r.code, r.name, r.level, r.parent, ordering.region_key(r.code)) for r in graph.regions.values()],
        [(t.id, t.name, t.parent, ordering.theme_key(t.id)) for t in graph.themes.values()],
        list(numbered.items()),
    )
    return hashlib.blake2b(repr(read).encode("utf-8"), digest_size=16).hexdigest()


# The address search/?q=… opens the search page with the query (a folder's address works on a web
# server only; the site links search.html?q=…, which works from disk too).
REDIRECT = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>搜索</title>
<meta name="robots" content="noindex">
<link rel="alternate" type="application/atom+xml" title="最新记录" href="../{FEED}">
<script>location.replace("../{html(SEARCH)}" + location.search + location.hash);</script>
</head><body><p><a href="../{html(SEARCH)}">打开搜索页</a></p></body></html>
"""


# --- the search page: every document's facets by its number -----------------------------------
def _code(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out


def _width(count: int) -> int:
    """Base-36 digits to write any of count values and 0 for none."""
    width = 1
    while 36**width <= count:
        width += 1
    return width


def doc_facets(graph: Graph, ordering: Ordering, numbered: Mapping[str, int], chains: _ThemeChains | None = None) -> dict:
    """What each document is (practice, case, region, theme), its province, year and themes (with
    their broader ones), by document number: `docs` is one entry per number, comma separated,
    empty where a number is free; an entry is the kind's letter, then the province, the year and
    each theme as 1-based base-36 positions in those lists (0: none), each `widths` digits wide."""
    provinces = [code for code in ordering.regions_with_records() if graph.regions[code].level == "province"]
    years = sorted({b.date.year for b in graph.briefs.values()}, reverse=True)
    chains = chains or _ThemeChains(graph)
    used = {t for b in graph.briefs.values() for t in chains(b.themes)}
    themes = _theme_order(graph, ordering, used)
    widths = {"province": _width(len(provinces)), "year": _width(len(years)), "theme": _width(len(themes))}
    province_at = {c: n for n, c in enumerate(provinces, 1)}
    year_at = {y: n for n, y in enumerate(years, 1)}
    theme_at = {t: n for n, t in enumerate(themes, 1)}

    theme_codes = {t: _code(n, widths["theme"]) for t, n in theme_at.items()}

    def entry(kind: str, region: str | None, year: int | None, theme_ids: tuple[str, ...]) -> str:
        province = province_at[ordering.province(region)] if region else 0
        out = KIND_CODES[kind] + _code(province, widths["province"]) + _code(year_at[year] if year else 0, widths["year"])
        return out + "".join(theme_codes[t] for t in theme_ids)

    entries: dict[int, str] = {}
    for brief in graph.briefs.values():
        entries[numbered[html(record_path(brief))]] = entry(brief.kind, brief.region, brief.date.year, chains(brief.themes))
    for code in regions_with_records(graph):
        entries[numbered[html(region_path(code))]] = entry("region", code, None, ())
    for theme_id in graph.themes:
        entries[numbered[html(theme_path(theme_id))]] = entry("theme", None, None, ())
    slots = max(numbered.values(), default=-1) + 1
    return {
        "widths": widths,
        "provinces": [[c, graph.regions[c].name] for c in provinces],
        "years": years,
        "themes": [[t, graph.themes[t].name, len(graph.theme_chain(t)) - 1] for t in themes],
        "docs": ",".join(entries.get(n, "") for n in range(slots)),
    }


# --- the listing filters ---------------------------------------------------------------------------
def facets(graph: Graph, ordering: Ordering, numbered: Mapping[str, int], chains: _ThemeChains | None = None) -> dict:
    """Province, city, themes (with their broader themes), year and document number of every record, by url.

    From the briefs alone: an incremental build never reads records it does not render.
    """
    provinces: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    themes: dict[str, list] = {}
    records: dict[str, list] = {}
    chains = chains or _ThemeChains(graph)
    places: dict[str, tuple[str, str]] = {}  # region code -> its province's code, its city's ("" for none)
    for brief in graph.briefs.values():
        place = places.get(brief.region)
        if place is None:
            chain = ordering.region_chain(brief.region)
            province = chain[0]
            provinces[province.code] = province.name
            city = next((r for r in chain if r.level == "prefecture"), None)
            if city is None and province.name.endswith("市"):
                city = province  # municipalities are their own city
            if city is not None:
                cities[city.code] = [city.name, province.code]
            place = places[brief.region] = (province.code, city.code if city else "")
        theme_ids = chains(brief.themes)
        for tid in theme_ids:
            if tid not in themes:
                themes[tid] = [graph.themes[tid].name, len(graph.theme_chain(tid)) - 1]
        url = html(record_path(brief))
        records[url] = [*place, list(theme_ids), brief.date.year, numbered[url]]

    def by_region(codes):
        return sorted(codes, key=ordering.region_key)

    return {
        "provinces": [[c, provinces[c]] for c in by_region(provinces)],
        "cities": [[c, *cities[c]] for c in by_region(cities)],
        "themes": [[t, *themes[t]] for t in _theme_order(graph, ordering, themes)],
        "records": records,
    }


def titles(graph: Graph, ordering: Ordering) -> dict:
    """What a filtered listing shows of each record: [url, title, region code] in A–Z order (the
    order of the titles listing), and the place each region code stands for."""
    records = [[html(record_path(b)), b.title, b.region] for b in ordering.sorted_records(graph.briefs.values())]
    places = {code: " ".join(r.name for r in ordering.region_chain(code)) for code in sorted({r[2] for r in records})}
    return {"records": records, "places": places}


class _ThemeChains:
    """A record's themes with their broader ones, each once, broader first: made once for each
    list of themes (records share a few hundred lists between them)."""

    def __init__(self, graph: Graph):
        self._made: dict[tuple[str, ...], tuple[str, ...]] = {}
        for theme_id in graph.themes:  # a record of one theme (the most) takes its chain as it is
            self._made[(theme_id,)] = tuple(t.id for t in graph.theme_chain(theme_id))

    def __call__(self, theme_ids: tuple[str, ...]) -> tuple[str, ...]:
        made = self._made.get(theme_ids)
        if made is None:
            made = self._made[theme_ids] = tuple(dict.fromkeys(t for tid in theme_ids for t in self._made[(tid,)]))
        return made


def _theme_order(graph: Graph, ordering: Ordering, used: Collection[str]) -> list[str]:
    """Themes as a tree (broader first), siblings in pinyin order, only those used."""
    out: list[str] = []

    def walk(parent: str | None) -> None:
        ids = graph.theme_children.get(parent, ()) if parent else [t for t, th in graph.themes.items() if not th.parent]
        for tid in ordering.sorted_themes(ids):
            if tid in used:
                out.append(tid)
                walk(tid)

    walk(None)
    return out
