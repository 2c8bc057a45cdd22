"""Link stage: resolve every reference between records into one graph, or say which ones dangle."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from ..sources.problems import Problem
from .brief import Brief
from .load import Dataset, Kept, Loaded
from .packed import Packed, without
from .records import Case, Practice, Region, Synonyms, Theme

T = TypeVar("T", Region, Theme)

LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2, "township": 3}


def shown(brief: Brief, preview: bool) -> bool:
    """Whether a build shows the record: the public site only published ones, the preview every one."""
    return preview or brief.status == "published"


@dataclass(frozen=True)
class Graph:
    """Every record by id, and the edges between them. Tuples are in id order; display order is ordering.py's job.

    `practices` and `cases` may load full records on demand (an incremental build reads only the
    ones it renders); `briefs` is always complete: practices then cases, each in id order.
    """

    regions: dict[str, Region]
    themes: dict[str, Theme]
    practices: Mapping[str, Practice]
    cases: Mapping[str, Case]
    briefs: dict[str, Brief]
    region_children: dict[str, tuple[str, ...]]
    theme_children: dict[str, tuple[str, ...]]
    practice_cases: dict[str, tuple[str, ...]]  # may name unlisted records, which no page shows
    case_practices: dict[str, tuple[str, ...]]
    # Records the build does not show (unpublished ones, in the public build): no page, no count,
    # no listing, no title anywhere: a shown record that names one leaves it out.
    unlisted: dict[str, Brief] = field(default_factory=dict)
    # Words search takes for one another (data/synonyms.yaml), each group as written.
    synonyms: tuple[tuple[str, ...], ...] = ()
    # Theme chains, made once per theme: the search facets ask for one per theme of every record.
    _theme_chains: dict[str, list[Theme]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def record(self, record_id: str) -> Practice | Case:
        return self.practices[record_id] if self.briefs[record_id].kind == "Practice" else self.cases[record_id]

    def region_chain(self, code: str) -> list[Region]:
        """The region and its ancestors, province first."""
        return ancestry(self.regions, code)

    def theme_chain(self, theme_id: str) -> list[Theme]:
        """The theme and its broader ones, root first (computed once per theme: do not modify the list)."""
        chain = self._theme_chains.get(theme_id)
        if chain is None:
            chain = self._theme_chains[theme_id] = ancestry(self.themes, theme_id)
        return chain


def ancestry(table: Mapping[str, T], key: str) -> list[T]:
    """table[key] and its ancestors by `parent`, root first; stops at an unknown key or a cycle."""
    chain: list[T] = []
    seen: set[str] = set()
    while key in table and key not in seen:
        seen.add(key)
        chain.append(table[key])
        key = table[key].parent or ""
    return chain[::-1]


def _hint(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _unique(items: list, key: str, what: str, problems: list[Problem]) -> dict:
    """Keyed by `key`; a second record with the same key is an error that names both places."""
    seen: dict = {}
    for item in items:
        value = _value(item, key)
        if value in seen:
            first = seen[value]
            line, column = item.at(key)
            problems.append(
                Problem(item.path, line, column, key, f"duplicate {what} '{value}': also in {first.path}:{first.at(key)[0]}")
            )
            continue
        seen[value] = item
    return seen


def _check_regions(regions: dict[str, Loaded[Region]], problems: list[Problem]) -> None:
    for item in regions.values():
        region = item.record
        if region.level == "province":
            if region.parent:
                problems.append(Problem(item.path, *item.at("parent"), "parent", "a province has no parent"))
            continue
        if not region.parent:
            problems.append(Problem(item.path, *item.at(), "parent", f"a {region.level} needs the code of its parent"))
            continue
        parent = regions.get(region.parent)
        if parent is None:
            problems.append(Problem(item.path, *item.at("parent"), "parent", f"no region with code '{region.parent}'"))
        elif LEVEL_RANK[parent.record.level] >= LEVEL_RANK[region.level]:
            problems.append(
                Problem(
                    item.path,
                    *item.at("parent"),
                    "parent",
                    f"parent {parent.record.name} is a {parent.record.level}, not above a {region.level}",
                )
            )


def _check_themes(themes: dict[str, Loaded[Theme]], problems: list[Problem]) -> None:
    for theme_id, item in themes.items():
        parent, seen = item.record.parent, {theme_id}
        if parent and parent not in themes:
            problems.append(Problem(item.path, *item.at("parent"), "parent", f"no theme '{parent}'{_hint(parent, themes)}"))
            continue
        while parent:
            if parent in seen:
                problems.append(Problem(item.path, *item.at("parent"), "parent", f"theme '{theme_id}' is its own ancestor"))
                break
            seen.add(parent)
            parent = themes[parent].record.parent if parent in themes else None


# The fields of a practice or case that linking reads, as its brief holds them (a kept record is packed).
_BRIEFED = {
    "id": lambda b: b.id,
    "region": lambda b: b.region,
    "themes": lambda b: list(b.themes),
    "cases": lambda b: list(b.links),
    "practices": lambda b: list(b.links),
}


def _value(item: Loaded | Kept, field: str):
    """A field of a region, theme or synonym group, or (from its brief) of a practice or case."""
    return _BRIEFED[field](item.brief) if isinstance(item, Kept) else getattr(item.record, field)


def _check_refs(item: Kept, field: str, known: dict, what: str, problems: list[Problem]) -> None:
    values = _value(item, field)
    for i, value in enumerate(values if isinstance(values, list) else [values]):
        if value not in known:
            loc = (field, i) if isinstance(values, list) else (field,)
            problems.append(
                Problem(
                    item.path,
                    *item.at(*loc),
                    field if not isinstance(values, list) else f"{field}[{i}]",
                    f"no {what} '{value}'{_hint(value, known)}",
                )
            )


def _check_synonyms(groups: list[Loaded[Synonyms]], problems: list[Problem]) -> None:
    """A word in two groups would make them one: an error that names both places."""
    seen: dict[str, tuple[Loaded[Synonyms], int]] = {}
    for item in groups:
        for i, term in enumerate(item.record.terms):
            if term in seen:
                first, at = seen[term]
                line, column = item.at("terms", i)
                problems.append(
                    Problem(
                        item.path,
                        line,
                        column,
                        f"terms[{i}]",
                        f"'{term}' is in two groups (also at line {first.at('terms', at)[0]}); merge them into one",
                    )
                )
            else:
                seen[term] = (item, i)


def _children(parents: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = defaultdict(list)
    for child, parent in sorted(parents.items()):
        if parent:
            out[parent].append(child)
    return {k: tuple(v) for k, v in out.items()}


def link(dataset: Dataset) -> tuple[Graph | None, list[Problem]]:
    """Resolve references; return the graph only when nothing dangles."""
    problems: list[Problem] = []
    regions = _unique(dataset.regions, "code", "region code", problems)
    themes = _unique(dataset.themes, "id", "theme id", problems)
    # One id space for all records, so an id names one page wherever it is cited.
    records = _unique([*dataset.practices, *dataset.cases], "id", "record id", problems)
    practices = {k: v for k, v in records.items() if v.brief.kind == "Practice"}
    cases = {k: v for k, v in records.items() if v.brief.kind == "Case"}
    _check_regions(regions, problems)
    _check_themes(themes, problems)
    _check_synonyms(dataset.synonyms, problems)
    for item in [*practices.values(), *cases.values()]:
        _check_refs(item, "region", regions, "region with code", problems)
        _check_refs(item, "themes", themes, "theme", problems)
    # A duplicated id is reported once above, and a record file that failed to load where it is
    # wrong; references to either are not reported again.
    all_cases = {item.brief.id: item for item in dataset.cases} | {i: None for kind, i in dataset.failed if kind == "Case"}
    all_practices = {item.brief.id: item for item in dataset.practices} | {
        i: None for kind, i in dataset.failed if kind == "Practice"
    }
    for item in practices.values():
        _check_refs(item, "cases", all_cases, "case", problems)
    for item in cases.values():
        _check_refs(item, "practices", all_practices, "practice", problems)
    if problems:
        return None, problems

    return assemble(
        regions={k: v.record for k, v in sorted(regions.items())},
        themes={k: v.record for k, v in sorted(themes.items())},
        practices=Packed({k: v.blob for k, v in sorted(practices.items())}),
        cases=Packed({k: v.blob for k, v in sorted(cases.items())}),
        briefs={k: v.brief for k, v in [*sorted(practices.items()), *sorted(cases.items())]},
        synonyms=tuple(tuple(item.record.terms) for item in dataset.synonyms),
    ), problems


def edges(briefs: Iterable[Brief]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """practice -> cases and case -> practices. Either side may state a link; the site shows it on both."""
    pairs = set()
    for b in briefs:
        pairs |= {(b.id, c) for c in b.links} if b.kind == "Practice" else {(p, b.id) for p in b.links}
    practice_cases: dict[str, list[str]] = defaultdict(list)
    case_practices: dict[str, list[str]] = defaultdict(list)
    for p, c in sorted(pairs):
        practice_cases[p].append(c)
        case_practices[c].append(p)
    return {k: tuple(v) for k, v in practice_cases.items()}, {k: tuple(v) for k, v in case_practices.items()}


def assemble(
    regions: dict[str, Region],
    themes: dict[str, Theme],
    practices: Mapping[str, Practice],
    cases: Mapping[str, Case],
    briefs: dict[str, Brief] | None = None,
    unlisted: dict[str, Brief] | None = None,
    synonyms: tuple[tuple[str, ...], ...] = (),
) -> Graph:
    """The graph of records already checked to link (briefs are derived from the records when not given).

    practices, cases and briefs are the records shown; unlisted, those that are not.
    """
    if briefs is None:
        records: list[tuple[str, Practice | Case]] = [*practices.items(), *cases.items()]
        briefs = {k: Brief.of(v) for k, v in records}
    unlisted = unlisted or {}
    practice_cases, case_practices = edges([*briefs.values(), *unlisted.values()])
    return Graph(
        regions=regions,
        themes=themes,
        practices=practices,
        cases=cases,
        briefs=briefs,
        region_children=_children({k: v.parent for k, v in regions.items()}),
        theme_children=_children({k: v.parent for k, v in themes.items()}),
        practice_cases=practice_cases,
        case_practices=case_practices,
        unlisted=unlisted,
        synonyms=synonyms,
    )


def visible(graph: Graph, preview: bool) -> Graph:
    """The part of a whole graph (as `link` makes it) that a build shows."""
    hidden = {i for i, b in graph.briefs.items() if not shown(b, preview)}
    if not hidden:
        return graph
    return assemble(
        graph.regions,
        graph.themes,
        without(graph.practices, hidden),
        without(graph.cases, hidden),
        briefs={k: b for k, b in graph.briefs.items() if k not in hidden},
        unlisted={k: graph.briefs[k] for k in sorted(hidden)},
        synonyms=graph.synonyms,
    )
