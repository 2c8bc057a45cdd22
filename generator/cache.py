"""What one generate leaves for the next, so that the next renders only what changed.

One SQLite file (`.cache/generator.sqlite` beside mkdocs.yml, git-ignored): a table of
full records, read one by one when a page needs them, and one pickled `State` with the
small things every run needs (file stamps, briefs, sort readings, related lists, page
stamps). SQLite makes each save atomic. A cache that is missing, unreadable or written by
other code or other inputs is ignored, and the build is simply a full one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from .index import Reading
from .link import Brief
from .models import Region, Theme
from .write import Stamp as PageStamp

FORMAT = 1
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: any save or replace changes one of them
M = TypeVar("M", bound=BaseModel)


def stamp(st: os.stat_result) -> Stamp:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def fingerprint(data: Path, docs: Path) -> str:
    """Everything besides data/ that decides the output: this package's code, templates and
    readings, the libraries that read and render, and where data/ and docs/ are."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{data.resolve()}|{docs.resolve()}".encode())
    for name in ("pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "pypinyin", "opencc"):
        try:
            digest.update(f"|{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"|{name}=-".encode())
    root = resources.files("generator")

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                digest.update(f"|{prefix}{child.name}|".encode())
                digest.update(child.read_bytes())

    walk(root, "")
    return digest.hexdigest()


@dataclass
class State:
    """The small part of the cache, loaded whole on every run."""

    fingerprint: str
    files: dict[str, Stamp]  # every file data/ was read from, relative to data/
    record_ids: dict[str, str]  # practice and case files -> the id they hold
    regions: list[dict]
    themes: list[dict]
    briefs: dict[str, Brief]
    readings: dict[str, Reading]  # text -> sort reading (titles and theme names)
    related: dict[str, tuple[str, ...]]  # practice id -> ids of the related practices its page shows
    pages: dict[str, PageStamp] = field(default_factory=dict)  # every file in docs/, as last written or checked


class Store:
    """The cache file; use as a context manager."""

    def __init__(self, path: Path):
        self.path = path
        self._pid = os.getpid()
        self._inherited: list[sqlite3.Connection] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:  # not a database (a half-copied or foreign file): start afresh
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, data BLOB)")
        except BaseException:
            db.close()
            raise
        return db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def state(self, expected: str) -> State | None:
        """The saved state, or None when there is none or it was made with other code or inputs."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'state'").fetchone()
            state = pickle.loads(row[0]) if row else None
        except Exception:  # an unreadable cache is no cache
            return None
        return state if isinstance(state, State) and state.fingerprint == expected else None

    def _reader(self) -> sqlite3.Connection:
        """The connection, or in a forked render worker (parallel.py) one of its own: an SQLite
        connection must not be used across a fork. The inherited one is kept, never closed: closing
        it could end the parent's locks or check its log in under it."""
        if os.getpid() != self._pid:
            self._inherited.append(self.db)
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self._pid = os.getpid()
        return self.db

    def record(self, record_id: str) -> dict:
        row = self._reader().execute("SELECT data FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise KeyError(record_id)
        return pickle.loads(row[0])

    def save(
        self, state: State, records: Mapping[str, BaseModel], removed: set[str] = frozenset(), *, replace: bool = False
    ) -> None:
        """Store the state and these full records in one transaction (replace: drop every other record)."""
        dump = lambda r: pickle.dumps(r.model_dump(), protocol=pickle.HIGHEST_PROTOCOL)  # noqa: E731
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if replace:
                self.db.execute("DELETE FROM records")
            self.db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in sorted(removed)])
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)", ((i, dump(r)) for i, r in records.items()))
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('state', ?)", (pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL),)
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def clear(self) -> None:
        self.db.execute("DELETE FROM meta")


class Stored(Mapping[str, M], Generic[M]):
    """Full records by id, taken from `fresh` or read from the cache when first asked for."""

    def __init__(self, model: type[M], ids: list[str], store: Store, fresh: Mapping[str, M]):
        self._model, self._ids, self._store, self._fresh = model, ids, store, fresh
        self._known = set(ids)
        self._loaded: dict[str, M] = {}

    def __getitem__(self, record_id: str) -> M:
        if record_id not in self._known:
            raise KeyError(record_id)
        record = self._fresh.get(record_id) or self._loaded.get(record_id)
        if record is None:
            # Validated when it was stored, by the same code (the fingerprint says so).
            record = self._loaded[record_id] = self._model.model_validate(self._store.record(record_id))
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
