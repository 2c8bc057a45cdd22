"""What is searchable: one document per record page, region page and theme page.

A page makes its document while it renders (outputs/kinds.py), from what it shows, so a build
that renders a page again also refreshes its document, and the search index follows the
pages without a second walk over the records.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model.labels import RECORD_KIND
from ...model.link import Graph
from ...model.ordering import region_stem
from ...model.records import Case, Practice
from ..paths import html, record_path, region_path, theme_path
from .text import _HAN_RUN, FIELD_TERMS, _phrases, normalise, place_keywords, region_keywords

TITLE, KEYWORD = 2, 1  # field flags of a posting (body is 0)


@dataclass(frozen=True)
class Doc:
    url: str  # relative to the site root
    title: str
    line: str  # one line of context under the title
    fields: tuple[tuple[int, str], ...]  # (flag, text)
    # Names this document adds to the segmenter's dictionary (its tags, its organisation), so that
    # they stay whole terms wherever any document uses them.
    dictionary: tuple[str, ...] = ()
    excerpt: tuple[tuple[str, str], ...] = ()  # (section, plain text), EXCERPT_CHARS in all: shown under a result
    places: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (region name, its pinyin keywords): marks for pinyin queries

    def text(self) -> str:
        """Every field, normalised: where a dictionary term that comes or goes is looked for."""
        return normalise("\n".join(text for _, text in self.fields))


EXCERPT_CHARS = 160  # plain text kept per document for the excerpt under its result


def excerpt_text(sections: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The first EXCERPT_CHARS characters of the sections' text, whitespace folded, by section."""
    out: list[tuple[str, str]] = []
    left = EXCERPT_CHARS
    for label, text in sections:
        plain = " ".join(text.split())
        if not plain or left <= 0:
            continue
        out.append((label, plain[:left]))
        left -= len(plain)
    return tuple(out)


def place_highlights(graph: Graph, code: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r.name, tuple(region_keywords(r))) for r in graph.region_chain(code))


def dictionary_terms(names: list[str]) -> tuple[str, ...]:
    """The normalised Chinese phrases of these names that the segmenter keeps whole."""
    terms = {normalise(p) for name in names for p in _phrases(name)}
    return tuple(sorted(t for t in terms if len(t) >= 2 and _HAN_RUN.fullmatch(t)))


def base_dictionary(graph: Graph) -> set[str]:
    """Terms every document may contain: field terms, theme names, region names and their stems."""
    names = [*FIELD_TERMS, *(t.name for t in graph.themes.values())]
    terms = set(dictionary_terms(names))
    for region in graph.regions.values():
        terms.update(t for t in (normalise(region.name), normalise(region_stem(region.name))) if len(t) >= 2)
    return {t for t in terms if _HAN_RUN.fullmatch(t)}


def _place(graph: Graph, code: str) -> str:
    return " ".join(r.name for r in graph.region_chain(code))


def record_document(record: Practice | Case, url: str, graph: Graph) -> Doc:
    keywords = [_place(graph, record.region), *record.tags, *place_keywords(graph, record.region)]
    keywords += [t.name for tid in record.themes for t in graph.theme_chain(tid)]
    body: list[str] = []
    names = list(record.tags)
    sections: list[tuple[str, str]]
    if isinstance(record, Practice):
        body += [record.summary, *(f"{m.title} {m.text}" for m in record.measures), *(p.title for p in record.policies)]
        sections = [("概述", record.summary), *((f"主要做法 · {m.title}", m.text) for m in record.measures)]
    else:
        keywords.append(record.organization)
        names.append(record.organization)
        body.append(record.narrative)
        sections = [("案例介绍", record.narrative)]
    body += [m.indicator for m in record.metrics]
    line = f"{RECORD_KIND[type(record).__name__]} · {_place(graph, record.region)} · {record.date.isoformat()}"
    fields = ((TITLE, record.title), (KEYWORD, " ".join(keywords)), (0, " ".join(body)))
    places = place_highlights(graph, record.region)
    return Doc(url, record.title, line, fields, dictionary_terms(names), excerpt_text(sections), places)


def region_document(code: str, url: str, graph: Graph) -> Doc:
    chain = graph.region_chain(code)
    region = chain[-1]
    keywords = " ".join([*(r.name for r in chain), *place_keywords(graph, code)])
    line = "地区 · " + (" ".join(r.name for r in chain[:-1]) or "省级")
    return Doc(url, region.name, line, ((TITLE, region.name), (KEYWORD, keywords)), places=place_highlights(graph, code))


def theme_document(theme_id: str, url: str, graph: Graph) -> Doc:
    theme = graph.themes[theme_id]
    fields = ((TITLE, theme.name), (0, theme.description))
    return Doc(url, theme.name, "主题", fields, excerpt=excerpt_text([("主题说明", theme.description)]))


def regions_with_records(graph: Graph) -> list[str]:
    """Codes of the regions that have a page (a record in them or below), in code order."""
    return sorted({r.code for b in graph.briefs.values() for r in graph.region_chain(b.region)})


def urls(graph: Graph) -> list[str]:
    """Every document's url: records (practices, then cases, by id), regions, themes.

    Their numbers in the index come from these urls (shards.numbers), not from this order.
    """
    urls = [html(record_path(b)) for b in graph.briefs.values()]
    urls += [html(region_path(code)) for code in regions_with_records(graph)]
    urls += [html(theme_path(theme_id)) for theme_id in graph.themes]
    return urls


def documents(graph: Graph) -> dict[str, Doc]:
    """Every document, made from the records (for an index built without pages, e.g. benchmarks)."""
    out: dict[str, Doc] = {}
    for brief in graph.briefs.values():
        url = html(record_path(brief))
        out[url] = record_document(graph.record(brief.id), url, graph)
    for code in regions_with_records(graph):
        out[html(region_path(code))] = region_document(code, html(region_path(code)), graph)
    for theme_id in graph.themes:
        out[html(theme_path(theme_id))] = theme_document(theme_id, html(theme_path(theme_id)), graph)
    return out
