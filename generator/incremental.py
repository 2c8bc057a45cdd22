"""Incremental generate: read only the data files that changed since the last run, and render
only the pages those changes reach.

A page other than a record's own shows of a record only its brief (link.py), and a record's
full content appears on its own page and its own region's page. So the pages a changed
record reaches follow from its brief before and after the change (`reached`). Anything this
module cannot settle cheaply and surely (a changed region or theme file, an invalid or
dangling record, many changed files) makes it return None, and the caller does a full build,
which also reports every problem with its line.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import cast

from .cache import Stamp, State, Store, Stored, regions_of, stamp, themes_of
from .index import Index, readings_for
from .link import Brief, Graph, assemble, edges, shown
from .load import RECORD_FOLDERS, load_record
from .models import Case, Practice
from .models.common import SLUG
from .overview import OVERVIEW
from .parallel import Background
from .policies import POLICIES, policy_key, policy_path
from .render import (
    CASES,
    HOME,
    PRACTICES,
    REGIONS,
    THEMES,
    TITLES,
    Renderer,
    record_path,
    region_path,
    theme_path,
    write_rendered,
)
from .search.documents import html
from .write import WriteReport, files, remove

MAX_CHANGED = 200  # beyond this many changed files a full build is about as quick, and simpler
PARALLEL_FROM = 8  # pages to render; fewer are a record's own page and its regions, quicker than a fork


def scan(data: Path) -> dict[str, Stamp] | None:
    """The stamp of every file load_dataset reads, by path relative to data/.

    None when the record folders hold something only a full check can judge (a stray file).
    """
    out: dict[str, Stamp] = {}
    for name in ("regions.yaml", "themes.yaml"):
        try:
            out[name] = stamp(os.stat(data / name))
        except FileNotFoundError:
            pass
    for folder in ("regions", *RECORD_FOLDERS):
        try:
            entries = list(os.scandir(data / folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if folder == "regions":
                if entry.name.endswith(".yaml") and entry.is_file():
                    out[f"regions/{entry.name}"] = stamp(entry.stat())
                continue
            if entry.name.startswith(".") or entry.is_dir():
                continue  # as load_dataset does
            if not (entry.name.endswith(".yaml") and re.match(SLUG, entry.name[:-5])):
                return None
            out[f"{folder}/{entry.name}"] = stamp(entry.stat())
    return out


@dataclass
class Change:
    """One record before and after (None: did not exist / no longer exists)."""

    old: Brief | None
    new: Brief | None


def reached(changes: dict[str, Change], before: State, graph: Graph, index: Index, preview: bool = False) -> set[str]:
    """The pages (paths in docs/) whose content may differ because of these changes.

    A record the build does not show counts as absent, except on the pages of the records it links
    to, which name it as plain text. Its status shows on its own page only.
    """
    pages: set[str] = set()
    old_partners = _partners(*edges(before.briefs.values()))
    new_partners = _partners(graph.practice_cases, graph.case_practices)
    shows: dict[str, set[str]] = defaultdict(set)  # practice id -> practices whose related list shows it
    for practice_id, related in before.related.items():
        for other in related:
            shows[other].add(practice_id)
    page_of = lambda i: record_path(graph.briefs[i]) if i in graph.briefs else ""  # noqa: E731

    for record_id, change in changes.items():
        if change.old != change.new:  # the pages of its partners name it, with or without a link
            for brief, partners in ((change.old, old_partners), (change.new, new_partners)):
                pages |= {page_of(i) for i in partners.get(record_id, ())} if brief else set()
        old, new = _as_shown(change.old, preview), _as_shown(change.new, preview)
        if new:
            pages |= {record_path(new), region_path(new.region)}  # its page, and its own figures on its region's page
        if old == new:
            continue
        pages |= {HOME, TITLES, OVERVIEW}  # the overview counts every record by province, year and theme
        for brief, partners in ((old, old_partners), (new, new_partners)):
            if brief is None:
                continue
            pages.add(PRACTICES if brief.kind == "Practice" else CASES)
            pages |= {region_path(r.code) for r in index.region_chain(brief.region)}
            pages |= {theme_path(t) for t in brief.themes}
            pages |= {page_of(i) for i in partners.get(record_id, ())}  # their pages list it by title
        # The documents it cites, before and after, list it; the index counts and spells them.
        cited_before, cited_now = (old.policies if old else ()), (new.policies if new else ())
        pages |= {policy_path(t) for t in (*cited_before, *cited_now) if policy_key(t)}
        if cited_before != cited_now:
            pages.add(POLICIES)
        if old is None or new is None or old.region != new.region or old.kind != new.kind:
            pages.add(REGIONS)  # counts per region
        # Counts per theme change where a record joins or leaves a theme (or comes or goes altogether).
        # Never both None here: two Nones are equal, and equal ones were skipped above.
        recounted = set(old.themes) ^ set(new.themes) if old and new else set(cast(Brief, old or new).themes)
        if recounted:
            pages.add(THEMES)
            pages |= {theme_path(parent) for t in recounted if t in graph.themes and (parent := graph.themes[t].parent)}
        # Related lists: those that showed the record, and those it now enters.
        pages |= {page_of(i) for i in shows.get(record_id, ())}
        if new and new.kind == "Practice":
            for other_id in index.practices_sharing_themes(new):
                other_brief = graph.briefs[other_id]
                listed = [graph.briefs[i] for i in before.related.get(other_id, ()) if i in graph.briefs]
                if other_id not in changes and index.would_relate(other_brief, listed, new):
                    pages.add(page_of(other_id))
    pages.discard("")
    return pages


def _as_shown(brief: Brief | None, preview: bool) -> Brief | None:
    """The brief as other pages show it: None when the build does not show the record."""
    if brief is None or not shown(brief, preview):
        return None
    return replace(brief, status="published")


def _partners(
    practice_cases: dict[str, tuple[str, ...]], case_practices: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Record id -> the records linked to it (ids are unique across practices and cases)."""
    return {**practice_cases, **case_practices}


def generate(
    data: Path, docs: Path, store: Store, before: State, static: dict[str, bytes], *, preview: bool = False
) -> tuple[Graph, Index, WriteReport] | None:
    """Bring docs/ up to date from the cache and the changed files; None when a full build is needed."""
    now = scan(data)
    if now is None:
        return None
    changed = sorted(p for p in now.keys() | before.files.keys() if now.get(p) != before.files.get(p))
    if len(changed) > MAX_CHANGED or any(p.split("/")[0] not in RECORD_FOLDERS for p in changed):
        return None

    briefs = dict(before.briefs)
    record_ids = dict(before.record_ids)
    changes: dict[str, Change] = {}
    for rel in changed:
        old_id = record_ids.pop(rel, None)
        if old_id is not None:
            changes[old_id] = Change(briefs.pop(old_id), None)
    fresh: dict[str, Practice | Case] = {}
    for rel in changed:
        if rel not in now:
            continue
        loaded, problems = load_record(RECORD_FOLDERS[rel.split("/")[0]], data / rel, data)
        if loaded is None or any(p.severity == "error" for p in problems) or loaded.record.id in briefs:
            return None  # the full check reports it, with every other problem
        record = loaded.record
        fresh[record.id] = record
        briefs[record.id] = Brief.of(record)
        record_ids[rel] = record.id
        changes[record.id] = Change(changes[record.id].old if record.id in changes else None, briefs[record.id])

    regions, themes = regions_of(before), themes_of(before)
    # A new title needs pypinyin, whose dictionaries take longer to load than the rest of this run
    # takes to get to sorting: read it in another process meanwhile.
    unread = sorted({t for c in changes.values() if c.new for t in (c.new.title, *c.new.policies)} - before.readings.keys())
    with Background(partial(readings_for, unread, regions.values())) if unread else nullcontext() as reading:
        if not _links_hold(briefs, regions, themes):
            return None
        every = {i: briefs[i] for i in sorted(briefs, key=lambda i: (briefs[i].kind != "Practice", i))}
        practice_ids = [i for i, b in every.items() if b.kind == "Practice" and shown(b, preview)]
        case_ids = [i for i, b in every.items() if b.kind == "Case" and shown(b, preview)]
        graph = assemble(
            regions,
            themes,
            # fresh holds both kinds; each Stored asks it only for ids of its own kind.
            Stored(Practice, practice_ids, store, cast("Mapping[str, Practice]", fresh)),
            Stored(Case, case_ids, store, cast("Mapping[str, Case]", fresh)),
            briefs={i: briefs[i] for i in [*practice_ids, *case_ids]},
            unlisted={i: b for i, b in sorted(every.items()) if not shown(b, preview)},
        )
        index = Index(graph, readings=before.readings)
        renderer = Renderer(graph, index)
        plan: dict[str, Callable[[], str | bytes]] = {
            **renderer.plan(),
            **{rel: cast("Callable[[], bytes]", lambda b=b: b) for rel, b in static.items()},
        }
        on_disk = files(docs)
        if reading is not None:
            index.readings.update(reading.result())

    dirty = reached(changes, before, graph, index, preview)
    dirty |= {rel for rel in plan if rel not in on_disk or on_disk[rel] != before.pages.get(rel)}  # edited by hand, or new
    rendered = write_rendered(renderer, [(rel, plan[rel]) for rel in sorted(dirty & plan.keys())], docs, at_least=PARALLEL_FROM)
    report, now_related = rendered.report, rendered.related
    report.incremental = True
    report.removed = remove(docs, [rel for rel in on_disk if rel not in plan])
    store.save_documents(rendered.documents, removed=[html(rel) for rel in report.removed if rel.endswith(".md")])
    report.unchanged = len(plan) - len(report.written)

    related = {k: v for k, v in before.related.items() if k in graph.briefs and graph.briefs[k].kind == "Practice"}
    related.update(now_related)
    pages = {rel: st for rel, st in on_disk.items() if rel in plan}
    pages.update(report.stamps)
    after = State(
        fingerprint=before.fingerprint,
        files=now,
        record_ids=record_ids,
        regions=before.regions,
        themes=before.themes,
        briefs=every,
        readings=used_readings(index),
        related=related,
        pages=pages,
    )
    if changed or report.written or report.removed or pages != before.pages:
        store.save(after, fresh, removed={i for i, c in changes.items() if c.new is None})
    return graph, index, report


def _links_hold(briefs: dict[str, Brief], regions: dict, themes: dict) -> bool:
    """Every reference of every record resolves (the full check says which one does not)."""
    for b in briefs.values():
        if b.region not in regions or any(t not in themes for t in b.themes):
            return False
        other = "Case" if b.kind == "Practice" else "Practice"
        if any(i not in briefs or briefs[i].kind != other for i in b.links):
            return False
    return True


def used_readings(index: Index) -> dict[str, tuple[str, str]]:
    """The readings of the texts the site sorts now (titles and theme names), to keep for next time."""
    texts = {b.title for b in index.graph.briefs.values()} | {t.name for t in index.graph.themes.values()}
    texts |= {t for b in index.graph.briefs.values() for t in b.policies}  # policy titles, as cited
    return {t: r for t, r in index.readings.items() if t in texts}
