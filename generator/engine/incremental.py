"""Generate: read only the data files that changed since the last run, and render only the
pages those changes reach. A full generate is the same pipeline with nothing cached: every
file is read and every page is reached.

Each page records what it reads as it renders (reads.py) and the cache keeps it, so the pages
a change reaches are a lookup: the keys a changed record touches (its content, its brief, its
groups before and after) → the pages that read them (`reached`). What cannot be settled
cheaply and surely (a changed region or theme file, an invalid or dangling record, many
changed files) is read in full, which also reports every problem with its line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import cast

from ..model import reads
from ..model.fields import SLUG
from ..model.link import Brief, Graph, assemble, shown, visible
from ..model.load import RECORD_FOLDERS, load_record
from ..model.ordering import Ordering, readings_for
from ..model.records import Case, Practice
from ..outputs.pages.listings import PART_FOLDERS, part_ids
from ..outputs.pages.render import NO_ADDRESS, Renderer, Site, record_path, write_rendered
from ..outputs.search.documents import html
from ..outputs.takeaways import compilations, downloads
from ..sources.problems import DataError
from .cache import FileStamp, State, Store, Stored, file_stamp, regions_of, themes_of
from .parallel import Background
from .write import WriteReport, files, remove

MAX_CHANGED = 200  # beyond this many changed files a full build is about as quick, and simpler


def scan(data: Path) -> dict[str, FileStamp] | None:
    """The stamp of every file load_dataset reads, by path relative to data/.

    None when the record folders hold something only a full check can judge (a stray file).
    """
    out: dict[str, FileStamp] = {}
    for name in ("regions.yaml", "themes.yaml"):
        try:
            out[name] = file_stamp(os.stat(data / name))
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
                    out[f"regions/{entry.name}"] = file_stamp(entry.stat())
                continue
            if entry.name.startswith(".") or entry.is_dir():
                continue  # as load_dataset does
            if not (entry.name.endswith(".yaml") and re.match(SLUG, entry.name[:-5])):
                return None
            out[f"{folder}/{entry.name}"] = file_stamp(entry.stat())
    return out


@dataclass
class Change:
    """One record before and after (None: did not exist / no longer exists)."""

    old: Brief | None
    new: Brief | None


def reached(
    changes: dict[str, Change],
    before: State,
    ordering: Ordering,
    parts: dict[str, tuple[str, ...]],
    readers: Callable[[set[str]], set[str]],
    preview: bool = False,
) -> set[str]:
    """The pages (paths in docs/) whose content may differ because of these changes: those that
    read a key the changes touched when they last rendered (readers: Store.readers), and the
    related lists a changed practice now ranks into.

    `parts` are the ids each A–Z listing page lists now (listings.part_ids).
    """
    return readers(touched(changes, ordering, preview) | _listing_keys(before.parts, parts)) | _entrants(
        changes, before, ordering, preview
    )


def touched(changes: dict[str, Change], ordering: Ordering, preview: bool = False) -> set[str]:
    """The keys (reads.py) whose values these changes alter.

    A record's content changed with its file; its brief, when the brief differs (a page naming a
    record it does not show names it as plain text, so this is the brief as written, not as shown);
    and its groups before and after, when the record as the build shows it differs (None: not shown).
    """
    keys: set[str] = set()
    for record_id, change in changes.items():
        keys.add(reads.record(record_id))
        if change.old != change.new:
            keys.add(reads.brief(record_id))
            # the records it links to, before and after, list it (link.edges: either side may state a link)
            keys |= {reads.linked(i) for b in (change.old, change.new) if b is not None for i in b.links}
        old, new = _as_shown(change.old, preview), _as_shown(change.new, preview)
        if old != new:
            for brief in (b for b in (old, new) if b is not None):
                keys |= ordering.groups_of(brief)
    return keys


def made_keys(rows: set[str], blocks: set[str], graph: Graph, ordering: Ordering) -> set[str]:
    """The keys of what record pages made as they rendered, for the records whose rows of the
    downloads (rows) or compilation blocks (blocks) differ from what the cache held: the
    downloads read every record's rows, a compilation the blocks of its group's records."""
    keys = {reads.made(reads.ALL)} if rows else set()
    for record_id in blocks:
        keys |= {reads.made(group) for group in ordering.groups_of(graph.briefs[record_id])}
    return keys


def _remade(store: Store, table: str, made: Mapping[str, object]) -> set[str]:
    """The records whose pages made something other than the cache holds (a new record's: anything)."""
    kept = store.made(table, made)
    return {record_id for record_id, value in made.items() if kept.get(record_id) != value}


def _listing_keys(before: dict[str, tuple[str, ...]], now: dict[str, tuple[str, ...]]) -> set[str]:
    """The keys of the A–Z listings that differ: the ids of a page; the pages of a listing (each
    page's letter bar links them all); their sizes (the listing's own page gives them)."""
    keys = {reads.part(path) for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
    for listing, folder in PART_FOLDERS.items():
        old_paths = [p for p in before if p.startswith(f"{folder}/")]
        new_paths = [p for p in now if p.startswith(f"{folder}/")]
        if old_paths != new_paths:
            keys |= {reads.parts(listing), reads.sizes(listing)}
        elif any(len(now[p]) != len(before[p]) for p in new_paths):
            keys.add(reads.sizes(listing))
    return keys


def _entrants(changes: dict[str, Change], before: State, ordering: Ordering, preview: bool) -> set[str]:
    """The pages whose related list a changed practice enters. A list reads the briefs it shows
    (ordering.related_practices); one that does not show a practice yet is reached only by the
    practice ranking above its last, so each list sharing a theme with it is asked (would_relate)."""
    briefs, pages = ordering.graph.briefs, set()
    for change in changes.values():
        old, new = _as_shown(change.old, preview), _as_shown(change.new, preview)
        if new is None or new == old or new.kind != "Practice":
            continue
        for other_id in ordering.practices_sharing_themes(new):
            listed = [briefs[i] for i in before.related.get(other_id, ()) if i in briefs]
            if other_id not in changes and ordering.would_relate(briefs[other_id], listed, new):
                pages.add(record_path(briefs[other_id]))
    return pages


def _as_shown(brief: Brief | None, preview: bool) -> Brief | None:
    """The brief as other pages show it: None when the build does not show the record."""
    if brief is None or not shown(brief, preview):
        return None
    return replace(brief, status="published")


@dataclass
class Read:
    """What a generate read: the linked graph and its ordering, the records read from data/ (to
    keep in the cache), which file holds which record, and what changed (None: everything was read)."""

    graph: Graph
    ordering: Ordering
    fresh: Mapping[str, Practice | Case]
    record_ids: dict[str, str]
    changes: dict[str, Change] | None
    every: dict[str, Brief]  # the brief of every record in data/, shown or not (the cache keeps them all)
    reading: Background | None = None  # titles being read in another process, for the ordering


def generate(
    data: Path,
    docs: Path,
    store: Store,
    before: State | None,
    static: dict[str, bytes],
    fingerprint: str,
    *,
    preview: bool = False,
    site: Site = NO_ADDRESS,
) -> tuple[Graph, Ordering, WriteReport]:
    """The one generate: read → render the pages reached → write → keep what the next run needs.

    Without a usable cache (before is None), or when a change is one only a full read can settle,
    everything is read and every page is reached: a full generate is this same pipeline with an
    empty cache. Raises DataError, writing nothing, when data/ has errors.
    """
    now = scan(data)  # before reading, so that a save during the build shows next time
    with ExitStack() as stack:
        read = _read_changed(data, store, before, now, stack, preview) if before is not None and now is not None else None
        if read is None:
            read = _read_all(data, preview)
        graph, ordering = read.graph, read.ordering
        renderer = Renderer(graph, ordering, site)
        on_disk = files(docs)
        if read.reading is not None:  # the plan sorts every title: the A–Z listings' pages follow from it
            ordering.readings.update(read.reading.result())
        plan: dict[str, Callable[[], str | bytes]] = {
            **renderer.plan(),
            **{rel: cast("Callable[[], bytes]", lambda b=b: b) for rel, b in static.items()},
        }
        parts = part_ids(renderer)

    # What this run builds on: the last state when only changes were read; None for a full run.
    base = before if read.changes is not None else None
    if base is None or read.changes is None:
        dirty = set(plan)
    else:
        dirty = reached(read.changes, base, ordering, parts, store.readers, preview)
        dirty |= {rel for rel in plan if rel not in on_disk or on_disk[rel] != base.pages.get(rel)}  # edited by hand, or new
    at_least = FORK_FROM_PAGES if base is None else FORK_FROM_DIRTY_PAGES
    # Put together from what the record pages make as they render (rows, blocks): after them.
    late = {rel for rel in dirty & plan.keys() if rel in downloads.FROM_ROWS or compilations.put_together(rel)}
    rendered = write_rendered(
        renderer, [(rel, plan[rel]) for rel in sorted((dirty - late) & plan.keys())], docs, at_least=at_least
    )
    gone = {i for i, c in (read.changes or {}).items() if c.new is None}
    if base is not None:  # the files put together from what the record pages made, where that changed
        remade = made_keys(
            _remade(store, "download_rows", rendered.rows), _remade(store, "compilation_blocks", rendered.blocks), graph, ordering
        )
        late |= store.readers(remade) & plan.keys()
    store.save_made("download_rows", rendered.rows, removed=gone, replace=base is None)
    store.save_made("compilation_blocks", rendered.blocks, removed=gone, replace=base is None)
    if late:
        if late & downloads.FROM_ROWS:
            renderer.download_rows = cast("dict[str, downloads.Rows]", store.made("download_rows", graph.briefs))
        held = renderer.compiler.records_in(late) - rendered.blocks.keys()
        made = cast("dict[str, compilations.Blocks]", store.made("compilation_blocks", held))
        renderer.compiler.made = {**made, **rendered.blocks}
        renderer.rows, renderer.documents, renderer.related, renderer.blocks = {}, {}, {}, {}  # handed over already
        joined = write_rendered(renderer, [(rel, plan[rel]) for rel in sorted(late)], docs, at_least=2)
        rendered.report.merge(joined.report)
        rendered.report.written.sort()
        rendered.reads.update(joined.reads)
    report = rendered.report
    report.incremental = base is not None
    report.removed = remove(docs, [rel for rel in on_disk if rel not in plan])
    store.save_reads(rendered.reads, removed=report.removed, replace=base is None)
    report.unchanged = len(plan) - len(report.written)
    removed_docs = [html(rel) for rel in report.removed if rel.endswith(".md")]
    store.save_documents(rendered.documents, removed=removed_docs, replace=base is None)
    pages = {rel: st for rel, st in on_disk.items() if rel in plan}  # docs/ holds the plan's files only now
    pages.update(report.stamps)
    report.docs = pages
    if now is None:  # a stray file in a record folder: nothing to compare with next time
        store.clear()
        return graph, ordering, report

    related = (
        {}
        if base is None
        else {k: v for k, v in base.related.items() if k in graph.briefs and graph.briefs[k].kind == "Practice"}
    )
    related.update(rendered.related)
    after = State(
        fingerprint=fingerprint,
        files=now,
        record_ids=read.record_ids,
        regions=[r.model_dump() for r in graph.regions.values()] if base is None else base.regions,
        themes=[t.model_dump() for t in graph.themes.values()] if base is None else base.themes,
        briefs=read.every,
        readings=used_readings(ordering),
        related=related,
        pages=pages,
        parts=parts,
    )
    if base is None:
        store.save(after, read.fresh, replace=True)
    elif after.files != base.files or report.written or report.removed or pages != base.pages:
        store.save(after, read.fresh, removed=gone)
    return graph, ordering, report


FORK_FROM_PAGES = 2000  # pages of a full generate; below this a second process costs more than it saves
FORK_FROM_DIRTY_PAGES = 8  # pages of an incremental one: fewer are a record's page and its regions, quicker than a fork


def _read_all(data: Path, preview: bool) -> Read:
    """Load, validate and link every file (in forked processes when there are many); the public
    build then keeps the published records only (link.visible)."""
    from .build import check

    whole, problems = check(data, warnings=False)  # generate shows errors only; `check` shows warnings
    if whole is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    graph = visible(whole, preview)
    records = {**whole.practices, **whole.cases}  # the cache keeps every record, shown or not
    record_ids = {f"{'practices' if isinstance(r, Practice) else 'cases'}/{i}.yaml": i for i, r in records.items()}
    fresh = cast("dict[str, Practice | Case]", records)
    return Read(graph, Ordering(graph), fresh, record_ids, None, dict(whole.briefs))


def _read_changed(
    data: Path, store: Store, before: State, now: dict[str, FileStamp], stack: ExitStack, preview: bool
) -> Read | None:
    """Read only the changed files; the rest comes from the cache. None when a full read is needed:
    a changed region or theme file, many changed files, or a change with a problem (the full read
    reports every problem with its line)."""
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
            return None
        record = loaded.record
        fresh[record.id] = record
        briefs[record.id] = Brief.of(record)
        record_ids[rel] = record.id
        changes[record.id] = Change(changes[record.id].old if record.id in changes else None, briefs[record.id])

    regions, themes = regions_of(before), themes_of(before)
    if not _links_hold(briefs, regions, themes):
        return None
    # A new title needs pypinyin, whose dictionaries take longer to load than the rest of this run
    # takes to get to sorting: read it in another process meanwhile.
    unread = sorted({t for c in changes.values() if c.new for t in (c.new.title, *c.new.policies)} - before.readings.keys())
    reading = stack.enter_context(Background(partial(readings_for, unread, regions.values()))) if unread else None
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
    return Read(graph, Ordering(graph, readings=before.readings), fresh, record_ids, changes, every, reading)


def _links_hold(briefs: dict[str, Brief], regions: dict, themes: dict) -> bool:
    """Every reference of every record resolves (the full check says which one does not)."""
    for b in briefs.values():
        if b.region not in regions or any(t not in themes for t in b.themes):
            return False
        other = "Case" if b.kind == "Practice" else "Practice"
        if any(i not in briefs or briefs[i].kind != other for i in b.links):
            return False
    return True


def used_readings(ordering: Ordering) -> dict[str, tuple[str, str]]:
    """The readings of the texts the site sorts now (titles and theme names), to keep for next time."""
    texts = {b.title for b in ordering.graph.briefs.values()} | {t.name for t in ordering.graph.themes.values()}
    texts |= {t for b in ordering.graph.briefs.values() for t in b.policies}  # policy titles, as cited
    return {t: r for t, r in ordering.readings.items() if t in texts}
