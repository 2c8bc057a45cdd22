"""Warnings: likely mistakes that do not stop a build (a figure that appears nowhere in the text, a missing URL...)."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..sources.pinyin import simplified
from ..sources.problems import Problem
from .load import Dataset, Kept
from .records import Case, Practice

SIMILAR = 0.9  # difflib ratio above which two titles in one region look like the same record twice

# What each warning says of any record (Problem.rule): check counts the warnings of a rule under it.
FIGURE_NOT_IN_TEXT = "a figure appears nowhere in its record's text"
SOURCE_WITHOUT_URL = "a source has no URL"
NO_THEME = "a record has no theme"
SIMILAR_TITLE = "a title is nearly the same as another in its region"
NAMES_UNPUBLISHED = "a published record names an unpublished one"


def _own_text(record: Practice | Case) -> str:
    if isinstance(record, Practice):
        parts = [record.title, record.summary, *(m.title + m.text for m in record.measures)]
    else:
        parts = [record.title, record.narrative]
    return "".join(parts)


def _number(value: str) -> str:
    """The digits of a figure as they would be written in text: '1338余' -> '1338'."""
    match = re.search(r"\d+(?:\.\d+)?", value)
    return match.group(0) if match else value


def _figures(item: Kept, record: Practice | Case) -> Iterable[Problem]:
    text = _own_text(record)
    for i, metric in enumerate(record.metrics):
        if _number(metric.value) not in text:
            yield Problem(
                item.path,
                *item.at("metrics", i, "value"),
                f"metrics[{i}].value",
                f"figure {metric.value}{metric.unit} appears nowhere in the record's text; check it against the source",
                "warning",
                FIGURE_NOT_IN_TEXT,
            )


def _sources(item: Kept, record: Practice | Case) -> Iterable[Problem]:
    for i, source in enumerate(record.sources):
        if not source.url:
            yield Problem(
                item.path,
                *item.at("sources", i),
                f"sources[{i}].url",
                "source has no URL; add the article's address if it has one",
                "warning",
                SOURCE_WITHOUT_URL,
            )


def _themes(item: Kept, record: Practice | Case) -> Iterable[Problem]:
    if not record.themes:
        yield Problem(item.path, *item.at(), "themes", "record has no theme, so no theme page lists it", "warning", NO_THEME)


def _normal(title: str) -> str:
    return re.sub(r"[\W_]+", "", simplified(title))


def _similar_titles(items: list[Kept]) -> Iterable[Problem]:
    # Compared within a region only: the same programme twice is filed under the same place.
    by_region: dict[str, list[tuple[Kept, str]]] = defaultdict(list)
    for item in items:
        by_region[item.brief.region].append((item, _normal(item.brief.title)))
    for group in by_region.values():
        for i, (a, a_title) in enumerate(group):
            for b, b_title in group[i + 1 :]:
                # real_quick_ratio (from the lengths alone) and quick_ratio bound ratio() from above:
                # most pairs are ruled out before difflib's full comparison.
                if 2 * min(len(a_title), len(b_title)) < SIMILAR * (len(a_title) + len(b_title)):
                    continue
                matcher = difflib.SequenceMatcher(None, a_title, b_title)
                if matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR:
                    yield Problem(
                        b.path,
                        *b.at("title"),
                        "title",
                        f"title is nearly the same as {a.path}:{a.at('title')[0]}; is this the same record twice?",
                        "warning",
                        SIMILAR_TITLE,
                    )


def _unpublished_links(items: list[Kept]) -> Iterable[Problem]:
    """A published record that names an unpublished one: the public site leaves that one out entirely."""
    status = {item.brief.id: item.brief.status for item in items}
    for item in items:
        if item.brief.status != "published":
            continue
        field = "cases" if item.brief.kind == "Practice" else "practices"
        for i, other in enumerate(item.brief.links):  # the record's own list, in its order
            if status.get(other, "published") != "published":
                yield Problem(
                    item.path,
                    *item.at(field, i),
                    f"{field}[{i}]",
                    f"'{other}' is {status[other]}: the published site leaves it out until it is published",
                    "warning",
                    NAMES_UNPUBLISHED,
                )


def lint(dataset: Dataset) -> list[Problem]:
    records: list[Kept[Any]] = [*dataset.practices, *dataset.cases]
    out: list[Problem] = []
    for item in records:
        record = item.record  # unpacked once for the rules that read more than its brief
        out.extend(_figures(item, record))
        out.extend(_sources(item, record))
        out.extend(_themes(item, record))
    out.extend(_similar_titles(records))
    out.extend(_unpublished_links(records))
    return out
