"""generate: data/ → docs/, in named steps.

    read → link → plan → render → join → prune → save

- settled (before all of them): when data/ and docs/ are as the last run left them (their stamps'
  digests say so), there is nothing to do, and nothing more is read.
- read: the data files that changed since the last run (all of them without a usable cache, or
  when a change is one only a full read can settle); nothing else is read from data/.
- link: the graph of the records the build shows, and its ordering; records not read come from
  the cache when a page asks for them.
- plan: every file of the site (outputs/kinds.py) and which of them this run renders: all of
  them, or those that read a key the changes touched (changes.py) and those new or edited by hand.
- render: those files, written as they are made (rendering.py), on every CPU when there are many;
  what each file read and contributed (search documents, the records' rows and blocks) goes to
  the cache as it is made, by the process that made it (`keeper`).
- join: the files put together from what the record pages contributed (the downloads, the
  compilations), where a contribution they are made from changed, read back from the cache.
- prune: files of docs/ that the site no longer has.
- save: the rest of what the next run needs (cache.py): the state, the records read; and forget
  what removed files read and made.

A full generate is this same pipeline with an empty cache. Nothing is written when data/ has
errors (read raises DataError with every problem).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from ..model.link import Brief, Graph, assemble, shown, visible
from ..model.load import RECORD_FOLDERS, load_record
from ..model.ordering import Ordering, readings_for
from ..model.packed import joined
from ..model.records import Case, Practice
from ..outputs.kinds import Inputs, Job
from ..outputs.kinds import plan as plan_files
from ..outputs.pages.listings import part_ids
from ..outputs.paths import html
from ..outputs.view import NO_ADDRESS, Site, View
from ..sources.problems import DataError
from .cache import CachedMade, CachedRecords, FileStamp, State, Store, regions_of, themes_of
from .changes import Change, made_keys, reached, remade, used_readings
from .check import check
from .parallel import Background
from .rendering import Keep, Rendered, render_files
from .write import PageStamp, WriteReport, remove, stamps_digest

MAX_CHANGED = 200  # beyond this many changed files a full build is about as quick, and simpler
FORK_FROM_PAGES = 2000  # pages of a full generate; below this a second process costs more than it saves
READ_BESIDE_FROM = 2000  # titles of a full generate; fewer are read sooner than a fork
FORK_FROM_DIRTY_PAGES = 8  # pages of an incremental one: fewer are a record's page and its regions, quicker than a fork


@dataclass
class Sources:
    """What a generate read from data/: the records read (the cache keeps them), which file holds
    which record, the brief of every record in data/ (shown or not), and what changed since the
    last run (None: everything was read, and `whole` is the graph of every record)."""

    fresh: Mapping[str, Practice | Case]
    record_ids: dict[str, str]
    every: dict[str, Brief]
    changes: dict[str, Change] | None
    whole: Graph | None = None


@dataclass
class Linked:
    """The graph a build shows and its ordering; `reading`: titles being read in another process."""

    graph: Graph
    ordering: Ordering
    reading: Background | None = None
    own: Sequence[str] = ()  # titles this process reads while `reading` reads the others

    def ready(self) -> Ordering:
        """The ordering, once the titles read in the background are in."""
        if self.reading is not None:
            for text in self.own:
                self.ordering.reading(text)
            self.ordering.readings.update(self.reading.result())
            self.reading, self.own = None, ()
        return self.ordering


@dataclass
class Plan:
    """Every file of the site and what this run does with it."""

    jobs: dict[str, Job]  # every file, path -> its job, in path order
    parts: dict[str, tuple[str, ...]]  # the ids each A–Z listing page lists
    on_disk: dict[str, PageStamp]  # docs/ before this run
    base: State | None  # the last run's state when only changes were read; None for a full run
    render: list[str]  # the files to render now, in path order
    join: set[str]  # the files to put together after them (more may join: see `join`)
    at_least: int  # files from which rendering forks


# --- settled -------------------------------------------------------------------------------------------
def settled(
    data_digest: str | None, on_disk: dict[str, PageStamp], store: Store, fingerprint: str
) -> tuple[dict[str, PageStamp], str] | None:
    """docs/ as files() found it (on_disk), and its stamps' digest, when neither data/ (data_digest:
    the stamps_digest of its scan, None without one) nor docs/ changed since the last generate: it
    would read no record and write or remove no file. Else None."""
    last = store.settled(fingerprint)
    if last is None or data_digest is None or data_digest != last.data:
        return None
    return (on_disk, last.docs) if stamps_digest(on_disk) == last.docs else None


# --- read ---------------------------------------------------------------------------------------------
def read(data: Path, before: State | None, now: dict[str, FileStamp] | None) -> Sources:
    """Only the changed files, when the last run's state allows it; else every file (load, validate, link)."""
    if before is not None and now is not None:
        sources = _read_changed(data, before, now)
        if sources is not None:
            return sources
    return _read_all(data)


def _read_all(data: Path) -> Sources:
    whole, problems = check(data, warnings=False)  # generate shows errors only; `check` shows warnings
    if whole is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    records = cast(
        "Mapping[str, Practice | Case]", joined(whole.practices, whole.cases)
    )  # the cache keeps every record, shown or not
    record_ids = {f"{'practices' if b.kind == 'Practice' else 'cases'}/{i}.yaml": i for i, b in whole.briefs.items()}
    return Sources(records, record_ids, dict(whole.briefs), None, whole)


def _read_changed(data: Path, before: State, now: dict[str, FileStamp]) -> Sources | None:
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
    # No record gone, none of another kind: only the changed records' own references can dangle.
    kept = all(c.old is None or (c.new is not None and c.new.kind == c.old.kind) for c in changes.values())
    checked = [c.new for c in changes.values() if c.new is not None] if kept else briefs.values()
    if not _links_hold(checked, briefs, regions_of(before), themes_of(before)):
        return None
    if kept and len(briefs) == len(before.briefs):  # the same records: the same order
        every = {i: briefs[i] for i in before.briefs}
    else:
        every = {i: briefs[i] for i in sorted(briefs, key=lambda i: (briefs[i].kind != "Practice", i))}
    return Sources(fresh, record_ids, every, changes)


def _links_hold(checked: Iterable[Brief], briefs: dict[str, Brief], regions: dict, themes: dict) -> bool:
    """Every reference of these records resolves, among briefs (the full check says which one does not)."""
    for b in checked:
        if b.region not in regions or any(t not in themes for t in b.themes):
            return False
        other = "Case" if b.kind == "Practice" else "Practice"
        if any(i not in briefs or briefs[i].kind != other for i in b.links):
            return False
    return True


# --- link ---------------------------------------------------------------------------------------------
def link(sources: Sources, before: State | None, cache: Path, stack: ExitStack, *, preview: bool) -> Linked:
    """The graph of the records this build shows (the public site: published ones; the preview: all)."""
    if sources.whole is not None:
        graph = visible(sources.whole, preview)
        # The plan sorts every title by its pinyin, read here one by one while the other CPU waits
        # for the render (1.5 s at 10,000 records): half of them are read in another process meanwhile.
        titles = sorted({t for b in graph.briefs.values() for t in (b.title, *b.policies)})
        if len(titles) < READ_BESIDE_FROM:
            return Linked(graph, Ordering(graph))
        beside = stack.enter_context(Background(partial(readings_for, titles[1::2], graph.regions.values())))
        return Linked(graph, Ordering(graph), beside, titles[0::2])
    assert before is not None and sources.changes is not None  # read only changes when there was a state
    regions, themes = regions_of(before), themes_of(before)
    # A new title needs pypinyin, whose dictionaries take longer to load than the rest of this run
    # takes to get to sorting: read it in another process meanwhile.
    news = [c.new for c in sources.changes.values() if c.new]
    unread = sorted({t for b in news for t in (b.title, *b.policies)} - before.readings.keys())
    reading = stack.enter_context(Background(partial(readings_for, unread, regions.values()))) if unread else None
    every, fresh = sources.every, sources.fresh
    practice_ids = [i for i, b in every.items() if b.kind == "Practice" and shown(b, preview)]
    case_ids = [i for i, b in every.items() if b.kind == "Case" and shown(b, preview)]
    graph = assemble(
        regions,
        themes,
        # fresh holds both kinds; each mapping asks it only for ids of its own kind.
        CachedRecords(Practice, practice_ids, cache, cast("Mapping[str, Practice]", fresh)),
        CachedRecords(Case, case_ids, cache, cast("Mapping[str, Case]", fresh)),
        briefs={i: every[i] for i in [*practice_ids, *case_ids]},
        unlisted={i: b for i, b in sorted(every.items()) if not shown(b, preview)},
        synonyms=before.synonyms,
    )
    return Linked(graph, Ordering(graph, readings=before.readings), reading)


# --- plan ---------------------------------------------------------------------------------------------
def plan(
    view: View,
    linked: Linked,
    sources: Sources,
    before: State | None,
    store: Store,
    on_disk: dict[str, PageStamp],
    *,
    preview: bool,
) -> Plan:
    """Every file of the site, and those this run renders. on_disk: docs/ as files() found it."""
    linked.ready()  # the plan sorts every title: the A–Z listings' pages follow from it
    jobs = plan_files(view)
    parts = part_ids(view)
    base = before if sources.changes is not None else None
    if base is None or sources.changes is None:
        dirty = set(jobs)
    else:
        dirty = reached(sources.changes, base, view.ordering, parts, store.readers, preview)
        if on_disk == base.pages:  # as the last run left it (one comparison in C): only new files
            dirty |= jobs.keys() - on_disk.keys()
        else:
            dirty |= {rel for rel in jobs if rel not in on_disk or on_disk[rel] != base.pages.get(rel)}  # edited by hand, or new
    dirty &= jobs.keys()
    joined = {rel for rel in dirty if jobs[rel].kind.joins}
    at_least = FORK_FROM_PAGES if base is None else FORK_FROM_DIRTY_PAGES
    return Plan(jobs, parts, on_disk, base, sorted(dirty - joined), joined, at_least)


# --- render and join ------------------------------------------------------------------------------
def render(view: View, planned: Plan, store: Store, docs: Path) -> Rendered:
    """The files the plan renders first: every one not put together from the others' contributions.
    What they contribute goes to the cache as they are made (keeper); a full run first drops what
    the last one's pages made."""
    if planned.base is None:
        store.forget_pages()
    jobs = [(rel, planned.jobs[rel]) for rel in planned.render]
    return render_files(view, jobs, docs, at_least=planned.at_least, keep=keeper(store, compare=planned.base is not None))


def keeper(store: Store, *, compare: bool) -> Keep:
    """Save a batch of what pages contributed, in the process that rendered them; tell the run which
    search documents were made and (compare: an incremental run) which records' rows and blocks
    changed, which decide what join puts together again. A full run joins everything anyway."""

    def keep(batch: Rendered) -> Rendered:
        out = Rendered(urls=set(batch.documents))
        if compare:
            out.remade_rows = remade(store, "download_rows", batch.rows)
            out.remade_blocks = remade(store, "compilation_blocks", batch.blocks)
        store.save_made("download_rows", batch.rows)
        store.save_made("compilation_blocks", batch.blocks)
        store.save_reads(batch.reads)
        store.save_documents(batch.documents)
        return out

    return keep


def join(view: View, planned: Plan, rendered: Rendered, store: Store, docs: Path) -> Rendered:
    """Put together the downloads and compilations whose records' contributions changed, from what
    the cache keeps (the pages just rendered saved theirs), read a record at a time. A record page
    rendered again only for, say, its related list made the same rows and blocks, and re-joins
    nothing."""
    graph, ordering, jobs = view.graph, view.ordering, planned.jobs
    late = set(planned.join)
    if planned.base is not None:
        changed = made_keys(rendered.remade_rows, rendered.remade_blocks, graph, ordering)
        late |= store.readers(changed) & jobs.keys()
    if not late:
        return Rendered()
    with (
        closing(CachedMade(store.path, "download_rows")) as rows,
        closing(CachedMade(store.path, "compilation_blocks")) as blocks,
    ):
        inputs = Inputs(rows=rows, blocks=blocks)  # type: ignore[arg-type]
        return render_files(
            view, [(rel, jobs[rel]) for rel in sorted(late)], docs, inputs=inputs, at_least=2, keep=keeper(store, compare=False)
        )


# --- prune and save ------------------------------------------------------------------------------------
def prune(planned: Plan, docs: Path) -> list[str]:
    """Remove the files of docs/ that the site no longer has; the paths removed."""
    return remove(docs, [rel for rel in planned.on_disk if rel not in planned.jobs])


def save(
    store: Store,
    sources: Sources,
    linked: Linked,
    planned: Plan,
    rendered: Rendered,
    report: WriteReport,
    now: dict[str, FileStamp] | None,
    fingerprint: str,
) -> None:
    """Keep what the next run needs; a run that could not stamp data/ (a stray file) keeps no state."""
    base, graph = planned.base, linked.graph
    full = base is None
    # What the pages made and read is saved already (keeper); here, what the files removed made.
    gone = {i for i, c in (sources.changes or {}).items() if c.new is None}
    store.save_made("download_rows", {}, removed=gone)
    store.save_made("compilation_blocks", {}, removed=gone)
    store.save_reads({}, removed=report.removed)
    removed_docs = {html(rel) for rel in report.removed if rel.endswith(".md")}
    if full:  # the documents of pages the site no longer has
        removed_docs |= store.document_urls() - rendered.urls
    store.save_documents({}, removed=removed_docs)
    if now is None:  # a stray file in a record folder: nothing to compare with next time
        store.clear()
        return
    related = (
        {}
        if base is None
        else {k: v for k, v in base.related.items() if k in graph.briefs and graph.briefs[k].kind == "Practice"}
    )
    related.update(rendered.related)
    pages = report.docs or {}
    after = State(
        fingerprint=fingerprint,
        files=now,
        record_ids=sources.record_ids,
        regions=[r.model_dump() for r in graph.regions.values()] if base is None else base.regions,
        themes=[t.model_dump() for t in graph.themes.values()] if base is None else base.themes,
        briefs=sources.every,
        readings=used_readings(linked.ordering),
        related=related,
        pages=pages,
        parts=planned.parts,
        synonyms=graph.synonyms,
    )
    if base is None:
        report.docs_digest = store.save(after, sources.fresh, replace=True, pages_digest=report.docs_digest).docs
    elif after.files != base.files or report.written or report.removed or pages != base.pages:
        report.docs_digest = store.save(after, sources.fresh, removed=gone, pages_digest=report.docs_digest).docs


# --- the pipeline -----------------------------------------------------------------------------------------
def generate(
    data: Path,
    docs: Path,
    store: Store,
    before: State | None,
    fingerprint: str,
    now: dict[str, FileStamp] | None,
    on_disk: dict[str, PageStamp],
    *,
    preview: bool = False,
    site: Site = NO_ADDRESS,
    written: Callable[[WriteReport], None] | None = None,
) -> tuple[Graph, Ordering, WriteReport]:
    """The one generate, step by step. before: the last run's state (None: a full generate); now:
    data/'s scan (changes.scan), made before anything is read, so that a save during the build
    shows next time; on_disk: docs/ as files() found it then. written: told once docs/ is final,
    before the cache is saved (a build starts MkDocs then, and saves meanwhile)."""
    sources = read(data, before, now)
    with ExitStack() as stack:
        linked = link(sources, before, store.path, stack, preview=preview)
        view = View(linked.graph, linked.ordering, site)
        planned = plan(view, linked, sources, before, store, on_disk, preview=preview)
    rendered = render(view, planned, store, docs)
    rendered.merge(join(view, planned, rendered, store, docs))
    report = rendered.report
    report.written.sort()
    report.incremental = planned.base is not None
    report.removed = prune(planned, docs)
    report.unchanged = len(planned.jobs) - len(report.written)
    pages = {rel: st for rel, st in planned.on_disk.items() if rel in planned.jobs}  # docs/ holds the plan's files only now
    pages.update(report.stamps)
    report.docs = pages
    if written is not None:
        written(report)
    save(store, sources, linked, planned, rendered, report, now, fingerprint)
    return linked.graph, linked.ordering, report
