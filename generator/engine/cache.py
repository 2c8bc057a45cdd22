"""What one generate leaves for the next, so that the next renders only what changed.

One SQLite file (`.cache/generator.sqlite` beside mkdocs.yml, git-ignored): a table of
full records, read one by one when a page needs them; what each page read as it rendered
(reads.py), looked up by key; and one pickled `State` with the small things every run needs
(file stamps, briefs, sort readings, related lists, page stamps, the entries of each A–Z
listing page), its large tables stored apart in runs (RUN_TABLES). SQLite makes each save atomic.
A cache that is missing, or written by other code or other inputs, is ignored, and the build is
simply a full one.

A damaged cache is never trusted: one that is not SQLite's, shorter than its header says (a copy
cut short, a full disk), or that SQLite or pickle finds damaged while a build reads it, is reported
in one line ("cache unreadable, rebuilding from scratch"), removed, and the build runs again from
scratch (`rebuilt_if_unreadable`). A generate cut short (killed, or failed while writing) leaves a
mark that makes the next one read everything (`Store.writing`): what it saved of the pages it
rendered may not match what it wrote.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sqlite3
import sys
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from pydantic import BaseModel

from ..model.link import Brief
from ..model.ordering import SortReading
from ..model.packed import blobs_of, unpack
from ..model.records import Record, Region, Theme
from ..outputs.takeaways.compilations import Blocks
from ..outputs.takeaways.downloads import Rows
from ..sources.problems import DataError
from .write import PageStamp, stamps_digest

if TYPE_CHECKING:
    from ..outputs.search.documents import Doc

# What record pages make for the files joined from them, by kind (outputs/kinds.py), a table per
# field (`download_rows_json`...): a download joins one or two fields of every shown record, and
# reads only their pages of the file. A field of bytes is kept as it is; any other is pickled.
MADE_WITH_PAGES: dict[str, type[tuple]] = {"download_rows": Rows, "compilation_blocks": Blocks}
FORMAT = 20  # of the cache file's tables and of State; another format is dropped and the build is a full one
# State's large tables are kept apart from the rest of it, each in runs of entries by a hash of the
# key: a save stores again only the runs that changed. At 100,000 records the state was 42 MB, and
# pickling and writing it whole took 0.9 s of an edit's save; a run is some 400 entries. The
# others are looked up by key, and come back in another order; the briefs' order is kept. (Its A–Z
# listing pages stay whole, in their order: the listings' pages are compared in order.)
RUNS = 256
RUN_TABLES = ("briefs", "files", "record_ids", "readings", "pages")
BUSY_SECONDS = 120  # how long a process waits for another's transaction (render workers save as they go)
FileStamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: any save or replace changes one of them
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class Unreadable(Exception):
    """The cache file is damaged: what it holds cannot be read back."""


def _load(blob: bytes):
    """A value kept with _dump; Unreadable when the bytes are damaged (pickle may raise anything then)."""
    try:
        return pickle.loads(blob)
    except Exception as exc:
        raise Unreadable(f"a kept value does not read back: {type(exc).__name__}") from exc


def _damage(path: Path) -> str | None:
    """What is wrong with the cache file at path, judged from its 100-byte header alone; None when
    nothing is (or there is no file)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return None
    if not header:
        return None  # an empty file is a new database
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header holds when the change counter matches its version-valid-for number.
    if header[24:28] == header[92:96] and size < pages * page_size:
        return f"cut short: {size:,} bytes of {pages * page_size:,}"
    return None


def discard(path: Path) -> None:
    """Remove the cache file at path and SQLite's log beside it."""
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)


def _say_unreadable(path: Path, why: str) -> None:
    sys.stderr.write(f"cache unreadable ({path.name}: {why}), rebuilding from scratch\n")
    sys.stderr.flush()


def rebuilt_if_unreadable(path: Path, run: Callable[[], T]) -> T:
    """run(), which builds with the cache at path; when the cache turns out damaged while it reads
    it, say so in one line, remove the cache and run() again from scratch.

    Only damage counts: SQLite's 'database disk image is malformed' or 'file is not a database', or
    a kept value that does not read back. A locked database, a full disk or any other error is raised."""
    try:
        return run()
    except (Unreadable, sqlite3.DatabaseError) as exc:
        if isinstance(exc, sqlite3.OperationalError):
            raise
        _say_unreadable(path, str(exc))
        discard(path)
        return run()


def file_stamp(st: os.stat_result) -> FileStamp:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def fingerprint(data: Path, docs: Path, *, preview: bool = False, site: str = "") -> str:
    """Everything besides data/ that decides the output: this package's code, templates and
    readings, the libraries that read and render, where data/ and docs/ are, and whether the build
    shows unpublished records (the preview) or not (the public site), and the site's name and address
    (mkdocs.yml's site_name and site_url, which the feed writes)."""
    mode = "preview" if preview else "public"
    return hashlib.sha256(f"{code_fingerprint()}|{data.resolve()}|{docs.resolve()}|{mode}|{site}".encode()).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """This package's files and the versions of the libraries that read, render and segment records."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}".encode())
    digest.update(
        library_versions(
            "pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "pypinyin", "opencc", "jieba", "jieba-next"
        )
    )
    digest_tree(digest, resources.files("generator"))
    return digest.hexdigest()


def library_versions(*names: str) -> bytes:
    """The installed version of each library ("-" when missing), for a fingerprint."""
    out = []
    for name in names:
        try:
            out.append(f"|{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"|{name}=-")
    return "".join(out).encode()


def digest_tree(digest: hashlib._Hash, root: Traversable) -> None:
    """Feed every file under root (a folder or package resources), path and bytes, in name order."""

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                digest.update(f"|{prefix}{child.name}|".encode())
                digest.update(child.read_bytes())

    if root.is_dir():
        walk(root, "")


@dataclass
class State:
    """The small part of the cache, loaded whole on every run."""

    fingerprint: str
    files: dict[str, FileStamp]  # every file data/ was read from, relative to data/
    record_ids: dict[str, str]  # practice and case files -> the id they hold
    regions: list[dict]
    themes: list[dict]
    briefs: dict[str, Brief]  # of every record in data/, shown or not
    readings: dict[str, SortReading]  # text -> sort reading (titles and theme names)
    related: dict[str, tuple[str, ...]]  # practice id -> ids of the related practices its page shows
    pages: dict[str, PageStamp] = field(default_factory=dict)  # every file in docs/, as last written or checked
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # A–Z listing page -> the ids it lists
    synonyms: tuple[tuple[str, ...], ...] = ()  # data/synonyms.yaml's groups (a change to it means a full read)


@dataclass(frozen=True)
class Settled:
    """Digests of the stamps the last generate left (write.stamps_digest), saved with its State: a
    run that finds data/ and docs/ as they were has nothing to do, and needs no more than these."""

    fingerprint: str
    data: str  # State.files
    docs: str  # State.pages


def _dump(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


Runs = dict[str, dict[int, dict]]  # RUN_TABLES' runs: table -> run -> that run's entries


def run_of(key: str) -> int:
    """The run of a table's entry."""
    return zlib.crc32(key.encode("utf-8")) % RUNS


def _runs_of(state: State) -> Runs:
    """State's large tables by run (RUN_TABLES)."""
    runs: Runs = {}
    for name in RUN_TABLES:
        table: dict[int, dict] = runs.setdefault(name, {})
        for key, value in getattr(state, name).items():
            table.setdefault(run_of(key), {})[key] = value
    return runs


@dataclass
class _Kept:
    """State's large tables as this process last loaded or saved them: whole (copies: the caller's
    may change), and by run."""

    tables: dict[str, dict]
    runs: Runs

    @classmethod
    def of(cls, state: State, runs: Runs) -> _Kept:
        return cls({name: dict(getattr(state, name)) for name in RUN_TABLES}, runs)


PLAIN_TABLES = ("files", "record_ids", "readings", "pages")  # of RUN_TABLES: values of ints and strings only


def _changed_keys(old: Mapping, new: Mapping, *, plain: bool = False) -> set[str]:
    """The keys whose entries differ between the two: added, removed or changed. plain: the values
    are tuples of ints and strings (PLAIN_TABLES), and the entries that differ are found by hashing
    them in C, three times as fast as comparing each (the stamps of 100,000 files and 104,000 pages
    are read anew by every run). Otherwise (briefs, whose hash is Python's) what did not change is
    mostly the very object loaded, and is passed over without a comparison."""
    if old == new:
        return set()
    if plain:
        return {k for k, _ in old.items() ^ new.items()}
    missing = object()
    return {k for k, v in new.items() if (o := old.get(k, missing)) is not v and o != v} | (old.keys() - new.keys())


def _rerun(kept: _Kept | None, state: State) -> tuple[Runs, list[tuple[str, int]]]:
    """State's tables by run, and the runs that differ from those kept (every run without): only
    the runs of the entries that changed are made again (cutting 450,000 entries into runs took
    0.3 s of an edit's save at 100,000 records)."""
    if kept is None:
        runs = _runs_of(state)
        return runs, [(name, n) for name, table in runs.items() for n in sorted(table)]
    runs, differ = {}, []
    for name in RUN_TABLES:
        new = getattr(state, name)
        table = runs[name] = dict(kept.runs[name])  # a run that changes is replaced, never changed
        by_run: dict[int, list[str]] = {}
        changed = _changed_keys(kept.tables[name], new, plain=name in PLAIN_TABLES)
        for key in sorted(changed):  # in one order: the same runs, the same bytes
            by_run.setdefault(run_of(key), []).append(key)
        for n, keys in sorted(by_run.items()):
            run = dict(table.get(n, {}))
            for key in keys:
                if key in new:
                    run[key] = new[key]
                else:
                    run.pop(key, None)
            if run:
                table[n] = run
            else:
                table.pop(n, None)
            differ.append((name, n))
    return runs, differ


def _layout(runs: Runs) -> dict[str, dict[int, int]]:
    """How many entries each run holds, saved with the state: the runs loaded must be these."""
    return {name: {n: len(run) for n, run in table.items()} for name, table in runs.items()}


BATCH = 500  # values asked at once in `... IN (...)`: SQLite caps the parameters of one statement


def _where_in(db: sqlite3.Connection, query: str, values: Iterable[str]) -> Iterator[tuple]:
    """The rows of `query ... IN ({})` for these values, asked BATCH at a time."""
    wanted = sorted(set(values))
    for at in range(0, len(wanted), BATCH):
        part = wanted[at : at + BATCH]
        yield from db.execute(query.format(",".join("?" * len(part))), part)


class Store:
    """The cache file; use as a context manager."""

    def __init__(self, path: Path):
        self.path = path
        self._pid = os.getpid()
        # The state's tables as this process last loaded or saved them (None: not known): a save
        # stores the runs that differ from these.
        self._kept: _Kept | None = None
        self._inherited: list[sqlite3.Connection] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        damage = _damage(path)
        if damage is None:
            try:
                self.db = self._open()
                return
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise
                damage = str(exc)
        _say_unreadable(path, damage)
        discard(path)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != FORMAT:  # made by other code (or new): its tables may have other columns
                for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                    db.execute(f'DROP TABLE "{table}"')
                db.execute(f"PRAGMA user_version = {FORMAT}")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, data BLOB)")
            db.execute(  # State's large tables (RUN_TABLES)
                "CREATE TABLE IF NOT EXISTS state_runs (tab TEXT NOT NULL, run INTEGER NOT NULL, data BLOB, PRIMARY KEY (tab, run))"
            )
            # Search documents by url, as the pages made them (search/); `fresh` is 0 while the
            # document has changed since it was last indexed.
            db.execute(
                "CREATE TABLE IF NOT EXISTS documents (url TEXT PRIMARY KEY, doc BLOB, text TEXT, dictionary TEXT, fresh INTEGER)"
            )
            # The terms of every document in the search index last written, kept after its page is
            # gone until an index without it is written (its postings are taken out then).
            db.execute("CREATE TABLE IF NOT EXISTS indexed (url TEXT PRIMARY KEY, terms BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS term_shards (n INTEGER PRIMARY KEY, data BLOB)")
            # What each shown record's page made as it rendered, for the files put together from every
            # record: its rows of the data downloads (downloads.py) and its compilation blocks
            # (compilations.py). A page renders whenever anything these show may change.
            for table in MADE_WITH_PAGES:
                for name in _fields(table):
                    db.execute(f"CREATE TABLE IF NOT EXISTS {table}_{name} (id TEXT PRIMARY KEY, value BLOB)")
                # A digest of each record's values, and runs of records' values of a field joined
                # (CachedMade.get_joined), by a digest of their ids and values.
                db.execute(f"CREATE TABLE IF NOT EXISTS {table}_digest (id TEXT PRIMARY KEY, value BLOB)")
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table}_runs (field TEXT NOT NULL, key BLOB NOT NULL, value BLOB, PRIMARY KEY (field, key))"
                )
            # What each page read when it last rendered (reads.py): the pages a change reaches are
            # looked up by key; a page's rows are replaced when it renders again.
            db.execute(
                "CREATE TABLE IF NOT EXISTS page_reads (key TEXT NOT NULL, page TEXT NOT NULL, PRIMARY KEY (key, page))"
                " WITHOUT ROWID"
            )
            db.execute("CREATE INDEX IF NOT EXISTS page_reads_by_page ON page_reads (page)")
        except BaseException:
            db.close()
            raise
        return db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def state(self, expected: str) -> State | None:
        """The saved state, or None when there is none, it was made with other code or inputs, or
        the generate that was to update it was cut short (writing)."""
        return self.loading(expected).result()

    def loading(self, expected: str) -> StateLoading:
        """state(expected), loaded a step at a time (StateLoading.step)."""
        return StateLoading(self, expected)

    def settled(self, expected: str) -> Settled | None:
        """The digests of the last generate's stamps, on the terms of state()."""
        if self.meta("unfinished"):
            return None
        settled = self.meta("settled")
        return settled if isinstance(settled, Settled) and settled.fingerprint == expected else None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A generate writes docs/ and this cache in many steps: if it ends in between (killed, or
        failed while writing), the mark it leaves makes state() None, and the next generate reads
        everything. Data errors are found before anything is written, and leave no mark."""
        self.set_meta("unfinished", True)
        try:
            yield
        except DataError:
            self.set_meta("unfinished", None)
            raise
        self.set_meta("unfinished", None)

    def _connection(self) -> sqlite3.Connection:
        """The connection, or in a forked render worker (parallel.py) one of its own: an SQLite
        connection must not be used across a fork. The inherited one is kept, never closed: closing
        it could end the parent's locks or check its log in under it. Workers save what their pages
        made (rendering.py), each in its own transactions, which SQLite takes one at a time."""
        if os.getpid() != self._pid:
            self._inherited.append(self.db)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            self._pid = os.getpid()
        return self.db

    def save(
        self,
        state: State,
        records: Mapping[str, Record],
        removed: Iterable[str] = frozenset(),
        *,
        replace: bool = False,
        pages_digest: str | None = None,
    ) -> Settled:
        """Store the state and these full records (packed: packed.py) in one transaction (replace:
        drop every other record); the digests of its stamps, saved with it (pages_digest: that of
        state.pages, when the caller has it). Its large tables go by run: only the runs that differ
        from those this process loaded or saved last are stored again (_rerun, _changed_keys)."""
        settled = Settled(state.fingerprint, stamps_digest(state.files), pages_digest or stamps_digest(state.pages))
        held = None if replace else self._kept
        runs, differ = _rerun(held, state)
        changed = [(name, n, _dump(runs[name][n])) for name, n in differ if n in runs[name]]
        gone = [(name, n) for name, n in differ if n not in runs[name]]
        # Stored without its tables, but for the ids of its briefs, for their order.
        emptied: dict = {name: {} for name in RUN_TABLES}
        emptied["briefs"] = dict.fromkeys(state.briefs)
        rest = dataclasses.replace(state, **emptied)

        def statements() -> None:
            if replace:
                self.db.execute("DELETE FROM records")
            self.db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in sorted(removed)])
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)", blobs_of(records))
            if held is None:
                self.db.execute("DELETE FROM state_runs")
            self.db.executemany("DELETE FROM state_runs WHERE tab = ? AND run = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO state_runs VALUES (?, ?, ?)", changed)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('state', ?)", (_dump(rest),))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('state_runs', ?)", (_dump(_layout(runs)),))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('settled', ?)", (_dump(settled),))

        self._transaction(statements)
        self._kept = _Kept.of(state, runs)
        return settled

    def clear(self) -> None:
        self.db.execute("DELETE FROM meta")

    def meta(self, key: str):
        """A value kept with set_meta, or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return _load(row[0]) if row else None

    def set_meta(self, key: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, _dump(value)))

    # --- what record pages made as they rendered (MADE_WITH_PAGES) ------------------------------
    def save_made(self, table: str, made: Mapping[str, tuple], removed: Iterable[str] = (), *, replace: bool = False) -> None:
        """Keep what these records' pages made (replace: drop every other record's)."""
        assert table in MADE_WITH_PAGES

        gone, names = [(i,) for i in sorted(removed)], _fields(table)
        kept = [(i, [_keep(table, name)(value) for name, value in zip(names, r, strict=True)]) for i, r in sorted(made.items())]

        def statements() -> None:
            for at, name in enumerate(names):
                if replace:
                    self.db.execute(f"DELETE FROM {table}_{name}")
                self.db.executemany(f"DELETE FROM {table}_{name} WHERE id = ?", gone)
                self.db.executemany(f"INSERT OR REPLACE INTO {table}_{name} VALUES (?, ?)", [(i, k[at]) for i, k in kept])
            if replace:
                self.db.execute(f"DELETE FROM {table}_digest")
            self.db.executemany(f"DELETE FROM {table}_digest WHERE id = ?", gone)
            self.db.executemany(f"INSERT OR REPLACE INTO {table}_digest VALUES (?, ?)", [(i, _digest(k)) for i, k in kept])

        self._transaction(statements)

    def forget_pages(self) -> None:
        """A full generate renders every page again: drop what the pages read and made (their
        search documents stay, so that those that come out the same are not indexed again)."""

        def statements() -> None:
            made = (f"{t}_{name}" for t in MADE_WITH_PAGES for name in (*_fields(t), "digest", "runs"))
            for table in (*made, "page_reads"):
                self.db.execute(f"DELETE FROM {table}")

        self._transaction(statements)

    def made(self, table: str, ids: Iterable[str]) -> dict[str, object]:
        """What the pages of these records made, as kept; a record without any is left out."""
        assert table in MADE_WITH_PAGES
        # by key: a few records' blocks are not a read of every record's
        wanted = sorted(set(ids))
        return {i: v for i, v in zip(wanted, _read_made(self._connection(), table, wanted, None), strict=True) if v is not None}

    # --- what pages read (reads.py) -----------------------------------------------------------------
    def readers(self, keys: Iterable[str]) -> set[str]:
        """The pages that read any of these keys when they last rendered."""
        return {page for (page,) in _where_in(self.db, "SELECT page FROM page_reads WHERE key IN ({})", keys)}

    def reads(self, pages: Iterable[str] | None = None) -> dict[str, set[str]]:
        """What these pages (all when None) read when they last rendered."""
        query, db = "SELECT key, page FROM page_reads", self._connection()
        rows = db.execute(query) if pages is None else _where_in(db, query + " WHERE page IN ({})", pages)
        out: dict[str, set[str]] = {}
        for key, page in rows:
            out.setdefault(page, set()).add(key)
        return out

    def save_reads(self, read: Mapping[str, Iterable[str]], removed: Iterable[str] = (), *, replace: bool = False) -> None:
        """Keep what these pages read (their earlier reads are dropped), and forget removed pages'.
        replace: drop every other page's."""
        old = {} if replace else self.reads([*read, *removed])
        new = {page: set(keys) for page, keys in read.items()}
        gone = sorted((key, page) for page, keys in old.items() for key in keys - new.get(page, set()))
        added = sorted((key, page) for page, keys in new.items() for key in keys - old.get(page, set()))

        def statements() -> None:
            if replace:
                self.db.execute("DELETE FROM page_reads")
            self.db.executemany("DELETE FROM page_reads WHERE key = ? AND page = ?", gone)
            self.db.executemany("INSERT INTO page_reads VALUES (?, ?)", added)

        self._transaction(statements)

    # --- search documents and term shards (searchindex.py) ----------------------------------------
    def _transaction(self, statements: Callable[[], object]) -> None:
        self._connection().execute("BEGIN IMMEDIATE")
        try:
            statements()
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def save_documents(self, docs: Mapping[str, Doc], removed: Iterable[str] = (), *, replace: bool = False) -> None:
        """Keep these documents (a changed one is marked for indexing). replace: drop every other one."""
        db = self._connection()
        old = dict(db.execute("SELECT url, doc FROM documents").fetchall()) if replace else None

        def statements() -> None:
            gone = set(removed) | (old.keys() - docs.keys() if old is not None else set())
            self.db.executemany("DELETE FROM documents WHERE url = ?", [(u,) for u in sorted(gone)])
            for url, doc in sorted(docs.items()):
                blob = _dump(doc)
                if old is not None:
                    same = old.get(url) == blob
                else:
                    row = self.db.execute("SELECT doc FROM documents WHERE url = ?", (url,)).fetchone()
                    same = row is not None and row[0] == blob
                if not same:
                    self.db.execute(
                        "INSERT INTO documents VALUES (?, ?, ?, ?, 0) ON CONFLICT(url) DO UPDATE"
                        " SET doc = excluded.doc, text = excluded.text, dictionary = excluded.dictionary, fresh = 0",
                        (url, blob, doc.text(), "\n".join(doc.dictionary)),
                    )

        self._transaction(statements)

    def document_dictionaries(self) -> dict[str, tuple[str, ...]]:
        rows = self.db.execute("SELECT url, dictionary FROM documents")
        return {url: tuple(text.split("\n")) if text else () for url, text in rows}

    def document_urls(self) -> set[str]:
        return {url for (url,) in self.db.execute("SELECT url FROM documents")}

    def changed_documents(self) -> set[str]:
        return {url for (url,) in self.db.execute("SELECT url FROM documents WHERE fresh = 0")}

    def documents_containing(self, term: str) -> set[str]:
        return {url for (url,) in self.db.execute("SELECT url FROM documents WHERE instr(text, ?) > 0", (term,))}

    def documents(self, urls: Iterable[str] | None = None) -> dict[str, Doc]:
        """These documents (all when None)."""
        return dict(self.each_document(urls))

    def each_document(self, urls: Iterable[str] | None = None) -> Iterator[tuple[str, Doc]]:
        """These documents (all when None) one at a time, asked BATCH urls a query."""
        query = "SELECT url, doc FROM documents"
        rows: Iterable = self.db.execute(query) if urls is None else _where_in(self.db, f"{query} WHERE url IN ({{}})", urls)
        return ((url, _load(doc)) for url, doc in rows)

    def indexed_terms(self, urls: Iterable[str] | None = None, *, skip: Collection[str] = ()) -> dict[str, dict[str, int]]:
        """The terms these documents (all when None) have in the index last written; a document
        never indexed, or in skip (about to be replaced), is left out."""
        query = "SELECT url, terms FROM indexed"
        rows: Iterable = (
            self.db.execute(query)
            if urls is None
            else (r for u in sorted(set(urls)) for r in self.db.execute(f"{query} WHERE url = ?", (u,)))
        )
        # One row at a time: at 10,000 records the blobs are tens of MB. Terms are interned, as
        # segmenting makes them (search/segment.py): one string per distinct term.
        intern = sys.intern
        return {url: {intern(t): f for t, f in _load(blob).items()} for url, blob in rows if url not in skip}

    def save_terms(self, terms: Mapping[str, dict[str, int]], keep: Collection[str]) -> None:
        """The index now holds the documents in keep, these with these terms: they are indexed."""

        def statements() -> None:
            gone = [(u,) for (u,) in self.db.execute("SELECT url FROM indexed").fetchall() if u not in keep]
            self.db.executemany("DELETE FROM indexed WHERE url = ?", gone)
            # Dumped one row at a time: at 100,000 records the rows are some 200 MB.
            urls = sorted(terms)
            self.db.executemany("INSERT OR REPLACE INTO indexed VALUES (?, ?)", ((u, _dump(terms[u])) for u in urls))
            self.db.executemany("UPDATE documents SET fresh = 1 WHERE url = ?", ((u,) for u in urls))

        self._transaction(statements)

    def term_shards(self, numbers: Iterable[int]) -> dict[int, dict[str, str]]:
        out = {}
        for n in sorted(set(numbers)):
            row = self.db.execute("SELECT data FROM term_shards WHERE n = ?", (n,)).fetchone()
            out[n] = _load(row[0]) if row else {}
        return out

    def save_term_shards(self, shards: Mapping[int, dict[str, str]], *, replace: bool = False) -> None:
        def statements() -> None:
            if replace:
                self.db.execute("DELETE FROM term_shards")
            self.db.executemany(
                "INSERT OR REPLACE INTO term_shards VALUES (?, ?)", ((n, _dump(shards[n])) for n in sorted(shards))
            )

        self._transaction(statements)

    def site_state(self, site: Path) -> dict | None:
        """What the last build left in this site folder: its fingerprint, its files' stamps, the
        docs/ it was built from."""
        return self.meta(f"site:{site}")

    def save_site_state(self, site: Path, state: dict) -> None:
        self.set_meta(f"site:{site}", state)


class _Reader:
    """Reads the cache file at path through a read-only connection of its own, opened on first use
    in each process (an SQLite connection must not cross a fork), so what holds it depends on no
    open Store: only the file's path."""

    def __init__(self, path: Path):
        self._path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        """Close this process's connection: SQLite checks its log into the file when the last one closes."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


def _fields(table: str) -> tuple[str, ...]:
    """The fields of a kind of MADE_WITH_PAGES, each kept in a table of its own."""
    return MADE_WITH_PAGES[table]._fields  # type: ignore[attr-defined]


def _raw(table: str, name: str) -> bool:
    """Whether a field holds bytes, kept as they are (the annotation, as written: annotations are
    strings in these modules, which NamedTuple wraps in ForwardRefs)."""
    annotation = MADE_WITH_PAGES[table].__annotations__[name]
    return getattr(annotation, "__forward_arg__", annotation) in ("bytes", bytes)


def _keep(table: str, name: str) -> Callable[[object], bytes]:
    """How a field's value is kept: bytes as they are, anything else pickled."""
    return cast("Callable[[object], bytes]", lambda value: value) if _raw(table, name) else _dump


def _digest(kept: Sequence[bytes]) -> bytes:
    """Of a record's values as kept: equal digests, equal values."""
    digest = hashlib.blake2b(digest_size=16)
    for value in kept:
        digest.update(len(value).to_bytes(8, "little"))
        digest.update(value)
    return digest.digest()


RUNS_KEPT_AT = 16 << 20  # bytes of runs joined anew saved at once (a clean build joins 400 MB of them)
RUN_ENDS = 256  # a run of records ends after about one id in this many (which, decided by the id alone)


def _runs(record_ids: Sequence[str]) -> list[Sequence[str]]:
    """The ids cut into runs where an id's CRC says so: a record added or removed changes only its
    own run, and a changed record the run it is in."""
    runs, start = [], 0
    for at, i in enumerate(record_ids):
        if zlib.crc32(i.encode("utf-8")) % RUN_ENDS == 0:
            runs.append(record_ids[start : at + 1])
            start = at + 1
    if start < len(record_ids):
        runs.append(record_ids[start:])
    return runs


def _read_made(
    db: sqlite3.Connection, table: str, record_ids: Sequence[str], fields: Sequence[str] | None
) -> Iterator[tuple | None]:
    """For each of these records, in order: its whole value (fields None) or these fields of it as
    a tuple; None when the cache holds nothing of it. BATCH records a query per field."""
    kind = MADE_WITH_PAGES[table]
    named = _fields(table) if fields is None else tuple(fields)
    assert set(named) <= set(_fields(table))
    raw = [_raw(table, name) for name in named]
    for at in range(0, len(record_ids), BATCH):
        part = record_ids[at : at + BATCH]
        marks = ",".join("?" * len(part))
        found = [dict(db.execute(f"SELECT id, value FROM {table}_{name} WHERE id IN ({marks})", part)) for name in named]
        for record_id in part:
            try:
                values = tuple(f[record_id] if r else _load(f[record_id]) for f, r in zip(found, raw, strict=True))
            except KeyError:
                yield None
                continue
            yield kind(*values) if fields is None else values


class StateLoading:
    """Store.state in steps, so that a run can load it while it waits for something else (build.py:
    data/'s scan) and load the rest only once it knows it needs it. The first step reads the state
    and its tables' runs as stored; each further step unpickles one run (RUN_TABLES: 256 runs of
    each, which take most of the time)."""

    def __init__(self, store: Store, expected: str):
        self._store, self._expected = store, expected
        self._state: State | None = None
        self._layout: dict[str, dict[int, int]] | None = None  # as saved with the state (_layout)
        self._blobs: list[tuple[str, int, bytes]] | None = None  # the runs still to unpickle, last first
        self._runs: Runs = {name: {} for name in RUN_TABLES}
        self._done = False

    def step(self) -> bool:
        """Load a little more; False once there is nothing left to load."""
        if self._done:
            return False
        if self._blobs is None:
            store = self._store
            state = None if store.meta("unfinished") else store.meta("state")
            if not isinstance(state, State) or state.fingerprint != self._expected:
                self._done = True
                return False
            self._state, self._layout = state, store.meta("state_runs")
            self._blobs = store.db.execute("SELECT tab, run, data FROM state_runs").fetchall()[::-1]
            return True
        if self._blobs:
            name, run, blob = self._blobs.pop()
            if name not in self._runs:
                raise Unreadable(f"a run of no table of the state: {name}")
            self._runs[name][run] = _load(blob)
            return True
        self._done = True
        return False

    def result(self) -> State | None:
        """The state, the rest of it loaded now (Store.state); asked for once."""
        while self.step():
            pass
        state, runs = self._state, self._runs
        if state is None:
            return None
        if _layout(runs) != self._layout:
            raise Unreadable("the runs kept are not those of the state")
        tables: dict[str, dict] = {}
        for name in RUN_TABLES:
            merged: dict = {}
            for n in sorted(runs[name]):
                merged.update(runs[name][n])
            tables[name] = merged
        briefs = tables["briefs"]
        if briefs.keys() != state.briefs.keys():
            raise Unreadable("the briefs kept are not those of the state")
        tables["briefs"] = {record_id: briefs[record_id] for record_id in state.briefs}  # in the state's order
        for name, table in tables.items():
            setattr(state, name, table)
        self._store._kept = _Kept.of(state, runs)
        return state


class CachedMade(_Reader, Mapping[str, tuple]):
    """What record pages made (a MADE_WITH_PAGES table), read from the cache file one record at a
    time as a joined file asks for it: the downloads of 100,000 records read every record's rows,
    and holding them all at once took over 400 MB."""

    def __init__(self, path: Path, table: str):
        assert table in MADE_WITH_PAGES
        super().__init__(path)
        self._table = table
        self._runs: tuple[list[str], list[tuple[Sequence[str], bytes]]] | None = None  # _run_keys' last answer

    def __getitem__(self, record_id: str) -> tuple:
        (found,) = _read_made(self._connection(), self._table, [record_id], None)
        if found is None:
            raise KeyError(record_id)
        return found

    def get_many(self, record_ids: Sequence[str], fields: Sequence[str] | None = None) -> Iterator[tuple | None]:
        """What get() gives for each of these records, in this order, read BATCH records a query: a
        download or a compilation reads many records' values (at 100,000 records a one-title edit
        asked 101,775 one-record queries before). fields: only these fields of each value, as a
        tuple (a download joins one or two fields of every record's rows)."""
        return _read_made(self._connection(), self._table, record_ids, fields)

    def get_joined(self, record_ids: Sequence[str], field: str, join: Callable[[list], object], finish: Callable[[list], T]) -> T:
        """finish(this field of each of these records' values, in order, cut into runs each joined
        by join) (batched.get_joined). The ids are cut into runs (_runs), and each run's values
        joined are kept by the field and a digest of its ids and their values' digests: an edit at
        100,000 records joins again one run of some 256 records' values and reads the others'
        joined, instead of reading every record's. KeyError for a record the cache holds nothing of."""
        db, table = self._connection(), self._table
        keys = self._run_keys(record_ids)
        query = f"SELECT key, value FROM {table}_runs WHERE field = ? AND key IN ({{}})"
        found: dict[bytes, bytes] = {}
        for at in range(0, len(keys), BATCH):
            part = [k for _, k in keys[at : at + BATCH]]
            found.update(db.execute(query.format(",".join("?" * len(part))), [field, *part]))
        raw, values, new, size = _raw(table, field), [], [], 0
        for run, key in keys:
            if key in found:
                values.append(found[key] if raw else _load(found[key]))
                continue
            read = list(_read_made(db, table, run, (field,)))
            if None in read:
                raise KeyError(run[read.index(None)])
            value = join([v for (v,) in read])  # type: ignore[misc]
            kept = cast("bytes", value) if raw else _dump(value)
            values.append(value)
            new.append((field, key, kept))
            size += len(kept)
            if size > RUNS_KEPT_AT:  # a clean build joins every run: not all held twice at once
                self._keep_runs(new)
                new, size = [], 0
        self._keep_runs(new, field, {k for _, k in keys})
        return finish(values)

    def _run_keys(self, record_ids: Sequence[str]) -> list[tuple[Sequence[str], bytes]]:
        """The runs of these ids, each with a digest of its ids and their values: made once for the
        fields a process joins from the same records (the workbook joins two)."""
        if self._runs is not None and self._runs[0] == record_ids:
            return self._runs[1]
        db, table = self._connection(), self._table
        if len(record_ids) > 4 * BATCH:  # one pass over the table beats a lookup of each (0.3 s for 50,000 ids)
            digests = dict(db.execute(f"SELECT id, value FROM {table}_digest"))
        else:
            digests = dict(_where_in(db, f"SELECT id, value FROM {table}_digest WHERE id IN ({{}})", record_ids))
        keys = []
        for run in _runs(record_ids):
            try:
                named = b"".join([b"\0" + i.encode("utf-8") + digests[i] for i in run])
            except KeyError:
                raise KeyError(next(i for i in run if i not in digests)) from None
            keys.append((run, hashlib.blake2b(named, digest_size=16).digest()))
        self._runs = (list(record_ids), keys)
        return keys

    def _keep_runs(self, new: Sequence[tuple[str, bytes, bytes]], field: str | None = None, used: Collection[bytes] = ()) -> None:
        """Save these runs, just joined; with field, forget its runs not used now (they held a
        record since changed or gone)."""
        table = self._table
        with closing(sqlite3.connect(self._path, timeout=BUSY_SECONDS, isolation_level=None)) as db:
            query = f"SELECT key FROM {table}_runs WHERE field = ?"
            unused = [] if field is None else [(field, k) for (k,) in db.execute(query, (field,)) if k not in used]
            if not new and not unused:
                return
            db.execute("BEGIN IMMEDIATE")
            db.executemany(f"DELETE FROM {table}_runs WHERE field = ? AND key = ?", unused)
            db.executemany(f"INSERT OR REPLACE INTO {table}_runs VALUES (?, ?, ?)", new)
            db.execute("COMMIT")

    def __iter__(self) -> Iterator[str]:
        first = f"{self._table}_{_fields(self._table)[0]}"
        return (i for (i,) in self._connection().execute(f"SELECT id FROM {first} ORDER BY id"))

    def __len__(self) -> int:
        return self._connection().execute(f"SELECT count(*) FROM {self._table}_{_fields(self._table)[0]}").fetchone()[0]


class CachedRecords(_Reader, Mapping[str, M], Generic[M]):
    """Full records by id: taken from `fresh`, or read from the cache file when first asked for
    (_Reader: the graph that holds it depends on no open Store)."""

    def __init__(self, model: type[M], ids: list[str], path: Path, fresh: Mapping[str, M]):
        super().__init__(path)
        self._model, self._ids, self._fresh = model, ids, fresh
        self._known = set(ids)
        self._loaded: dict[str, M] = {}

    def __getitem__(self, record_id: str) -> M:
        if record_id not in self._known:
            raise KeyError(record_id)
        record = self._fresh.get(record_id) or self._loaded.get(record_id)
        if record is None:
            row = self._connection().execute("SELECT data FROM records WHERE id = ?", (record_id,)).fetchone()
            if row is None:
                raise KeyError(record_id)
            # Validated when it was stored, by the same code (the fingerprint says so): failing now, it was damaged since.
            try:
                found = unpack(row[0])
            except Exception as exc:  # pickle may raise anything on damaged bytes
                raise Unreadable(f"record {record_id} does not read back") from exc
            if not isinstance(found, self._model):
                raise Unreadable(f"record {record_id} does not read back")
            record = self._loaded[record_id] = found
        return record

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def regions_of(state: State) -> dict[str, Region]:
    return {r["code"]: Region.model_construct(**r) for r in state.regions}


def themes_of(state: State) -> dict[str, Theme]:
    return {t["id"]: Theme.model_construct(**t) for t in state.themes}
