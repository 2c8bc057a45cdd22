"""What is searchable: one document per record page, region page and theme page.

A page makes its document while it renders (outputs/kinds.py), from what it shows, so a build
that renders a page again also refreshes its document, and the search index follows the
pages without a second walk over the records.

Besides its text, a document carries the pinyin of its title (each word's full pinyin and
initials, from the sort reading: text.reading_field) and of its places (the gazetteer's), and the
sections a result's excerpt is chosen from: the summary, each measure, the narrative's
paragraphs, each figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model.labels import RECORD_KIND, written_date
from ...model.link import Graph
from ...model.ordering import SEP, Ordering, SortReading, region_stem
from ...model.records import Case, Practice
from ..paths import html, record_path, region_path, theme_path
from .text import (
    _HAN_RUN,
    FIELD_TERMS,
    KEYWORD,
    PINYIN,
    READING,
    TITLE,
    _phrases,
    normalise,
    place_keywords,
    reading_field,
    region_keywords,
)


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
    reading: str = ""  # the syllable of each character of the title, space separated ('-': none): marks for pinyin

    def text(self) -> str:
        """Every field of text, normalised: where a dictionary term that comes or goes is looked for."""
        return normalise("\n".join(text for flag, text in self.fields if not flag & (PINYIN | READING)))


# What a document keeps for the excerpt under its result: the browser shows the section that best
# matches the query, cut around the match, so it needs each section, not the start of the text.
SECTION_CHARS = 200  # of one section (a measure, a paragraph, a figure)
EXCERPT_CHARS = 900  # of all a document's sections together


def excerpt_sections(sections: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The sections' text, whitespace folded, each cut to SECTION_CHARS, EXCERPT_CHARS in all."""
    out: list[tuple[str, str]] = []
    left = EXCERPT_CHARS
    for label, text in sections:
        plain = " ".join(text.split())[: min(SECTION_CHARS, left)]
        if not plain:
            continue
        out.append((label, plain))
        left -= len(plain)
    return tuple(out)


def _paragraphs(label: str, text: str) -> list[tuple[str, str]]:
    return [(label, p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _reading_field(title: str, reading: SortReading | None) -> str | None:
    """The title's READING field (text.reading_field), made once for its terms and its highlights."""
    return reading_field(title, *reading, SEP) if reading is not None else None


def _pinyin_fields(field: str | None, chain_keywords: list[str], own: list[str]) -> list[tuple[int, str]]:
    """The pinyin of a document's title (its words, from its reading field) and of its places."""
    fields: list[tuple[int, str]] = []
    if field is not None:
        fields.append((READING | TITLE, field))
    if own:
        fields.append((PINYIN | TITLE, " ".join(own)))
    if chain_keywords:
        fields.append((PINYIN | KEYWORD, " ".join(chain_keywords)))
    return fields


def _title_reading(field: str | None) -> str:
    """The syllable of each character of the title as shown ('-': none), for marking pinyin matches."""
    return field.partition("\t")[2] if field is not None else ""


def place_highlights(graph: Graph, code: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r.name, tuple(region_keywords(r))) for r in graph.region_chain(code))


def dictionary_terms(names: list[str]) -> tuple[str, ...]:
    """The normalised Chinese phrases of these names that the segmenter keeps whole."""
    terms = {normalise(p) for name in names for p in _phrases(name)}
    return tuple(sorted(t for t in terms if len(t) >= 2 and _HAN_RUN.fullmatch(t)))


def base_dictionary(graph: Graph) -> set[str]:
    """Terms every document may contain: field terms, theme names, synonyms (data/synonyms.yaml),
    region names and their stems."""
    names = [*FIELD_TERMS, *(t.name for t in graph.themes.values()), *(t for group in graph.synonyms for t in group)]
    terms = set(dictionary_terms(names))
    for region in graph.regions.values():
        terms.update(t for t in (normalise(region.name), normalise(region_stem(region.name))) if len(t) >= 2)
    return {t for t in terms if _HAN_RUN.fullmatch(t)}


def _place(graph: Graph, code: str) -> str:
    return " ".join(r.name for r in graph.region_chain(code))


def record_document(record: Practice | Case, url: str, graph: Graph, reading: SortReading | None = None) -> Doc:
    """reading: the title's sort reading (Ordering.text_key), for the pinyin of its words."""
    place = _place(graph, record.region)
    keywords = [place, *record.tags]
    keywords += [t.name for tid in record.themes for t in graph.theme_chain(tid)]
    body: list[str] = []
    names = list(record.tags)
    sections: list[tuple[str, str]]
    if isinstance(record, Practice):
        body += [record.summary, *(f"{m.title} {m.text}" for m in record.measures), *(p.title for p in record.policies)]
        sections = [*_paragraphs("概述", record.summary), *((f"主要做法 · {m.title}", m.text) for m in record.measures)]
    else:
        keywords.append(record.organization)
        names.append(record.organization)
        body.append(record.narrative)
        sections = _paragraphs("案例介绍", record.narrative)
    body += [m.indicator for m in record.metrics]
    sections += [("数据", f"{m.indicator}：{m.value}{m.unit}" + (f"（{m.year}年）" if m.year else "")) for m in record.metrics]
    line = f"{RECORD_KIND[type(record).__name__]} · {place} · {written_date(record.date)}"
    title_field = _reading_field(record.title, reading)
    fields = (
        (TITLE, record.title),
        (KEYWORD, " ".join(keywords)),
        (0, " ".join(body)),
        *_pinyin_fields(title_field, place_keywords(graph, record.region), []),
    )
    places = place_highlights(graph, record.region)
    excerpt = excerpt_sections(sections)
    return Doc(url, record.title, line, fields, dictionary_terms(names), excerpt, places, _title_reading(title_field))


def region_document(code: str, url: str, graph: Graph) -> Doc:
    chain = graph.region_chain(code)
    region = chain[-1]
    keywords = " ".join(r.name for r in chain)
    line = "地区 · " + (" ".join(r.name for r in chain[:-1]) or "省级")
    above = [k for r in chain[:-1] for k in region_keywords(r)]
    fields = ((TITLE, region.name), (KEYWORD, keywords), *_pinyin_fields(None, above, region_keywords(region)))
    return Doc(url, region.name, line, fields, places=place_highlights(graph, code))


def theme_document(theme_id: str, url: str, graph: Graph, reading: SortReading | None = None) -> Doc:
    """reading: the theme name's sort reading (Ordering.theme_key), for the pinyin of its words."""
    theme = graph.themes[theme_id]
    title_field = _reading_field(theme.name, reading)
    fields = ((TITLE, theme.name), (0, theme.description), *_pinyin_fields(title_field, [], []))
    excerpt = excerpt_sections(_paragraphs("主题说明", theme.description))
    return Doc(url, theme.name, "主题", fields, excerpt=excerpt, reading=_title_reading(title_field))


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


def documents(graph: Graph, ordering: Ordering) -> dict[str, Doc]:
    """Every document, made from the records (for an index built without pages, e.g. benchmarks)."""
    out: dict[str, Doc] = {}
    for brief in graph.briefs.values():
        url = html(record_path(brief))
        out[url] = record_document(graph.record(brief.id), url, graph, ordering.reading(brief.title))
    for code in regions_with_records(graph):
        out[html(region_path(code))] = region_document(code, html(region_path(code)), graph)
    for theme_id in graph.themes:
        out[html(theme_path(theme_id))] = theme_document(
            theme_id, html(theme_path(theme_id)), graph, ordering.reading(graph.themes[theme_id].name)
        )
    return out
