"""The pipeline: load → validate → link → index → render → write, then MkDocs.

Nothing is written until every record is loaded, validated and linked, so a
mistake in data/ never leaves docs/ or site/ half-updated.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

import yaml

from . import incremental
from .cache import State, Store, fingerprint
from .errors import DataError, Problem
from .index import Index
from .link import Graph, link
from .lint import lint
from .load import load_dataset
from .models import Practice
from .render import Renderer, write_rendered
from .write import WriteReport, files, remove, swap_dir


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path  # mkdocs.yml; docs_dir and site_dir are read from it

    @property
    def _config(self) -> dict:
        # mkdocs.yml may hold python tags (for example for Material's emoji); only the two dirs matter here.
        loader = type("L", (yaml.SafeLoader,), {})
        loader.add_multi_constructor("", lambda *_: None)
        return yaml.load(self.config.read_text(encoding="utf-8"), Loader=loader) or {}

    @property
    def docs(self) -> Path:
        return self.config.parent / self._config.get("docs_dir", "docs")

    @property
    def site(self) -> Path:
        return self.config.parent / self._config.get("site_dir", "site")

    @property
    def cache(self) -> Path:
        """What one generate keeps for the next (cache.py); safe to delete at any time."""
        return self.config.parent / ".cache" / "generator.sqlite"


@contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector while the pipeline builds millions of objects.

    Records, marks, briefs and pages are trees freed by reference counting; but each
    collection rescans every live object, and collections come every few hundred
    allocations: at 10,000 records that was a third of loading (6.1 s against 4.0 s).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(data: Path, *, warnings: bool = True) -> tuple[Graph | None, list[Problem]]:
    """Load, validate and link; every problem found, none raised. warnings: also lint (lint.py)."""
    with _no_cycle_collection():
        return _check(data, warnings)


def _check(data: Path, warnings: bool) -> tuple[Graph | None, list[Problem]]:
    dataset, problems = load_dataset(data, keep_marks=warnings)
    if any(p.severity == "error" for p in problems):
        # Links are checked only between valid records, so report what we can.
        _, more = link(dataset)
        return None, problems + more
    graph, more = link(dataset)
    return graph, problems + more + (lint(dataset) if graph and warnings else [])


def static_files() -> dict[str, bytes]:
    """Hand-written pages and assets shipped with the generator (editors' guide, CSS)."""
    root = resources.files("generator").joinpath("content")
    out: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith("."):
                out[rel] = child.read_bytes()

    if root.is_dir():
        walk(root, "")
    return out


def generate(paths: Paths, *, full: bool = False) -> WriteReport:
    """Check data/ and write docs/; raise DataError with every problem when data/ has errors.

    With a cache from an earlier run, only changed data files are read and only the pages they
    reach are rendered (incremental.py); the result is the same as a full build's. full: ignore it.
    """
    with _no_cycle_collection(), Store(paths.cache) as store:
        return _generate(paths, store, full=full)[1]


def _generate(paths: Paths, store: Store, *, full: bool = False) -> tuple[Graph, WriteReport]:
    """The graph may read records from store: use it only while store is open."""
    expected = fingerprint(paths.data, paths.docs)
    before = None if full else store.state(expected)
    if before is not None:
        done = incremental.generate(paths.data, paths.docs, store, before, static_files())
        if done is not None:
            return done
    return _full(paths, store, expected)


def _full(paths: Paths, store: Store, expected: str) -> tuple[Graph, WriteReport]:
    stamps = incremental.scan(paths.data)  # before reading, so that a save during the build shows next time
    graph, problems = check(paths.data, warnings=False)  # generate shows errors only; `check` shows warnings
    if graph is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    index = Index(graph)
    renderer = Renderer(graph, index)
    pages = [*renderer.plan().items(), *((rel, partial(bytes, b)) for rel, b in static_files().items())]
    report, related = write_rendered(renderer, pages, paths.docs, at_least=PARALLEL_FROM)
    report.removed = remove(paths.docs, [rel for rel in files(paths.docs) if rel not in report.stamps])
    if stamps is None:
        store.clear()
        return graph, report
    records = {**graph.practices, **graph.cases}
    state = State(
        fingerprint=expected,
        files=stamps,
        record_ids={f"{'practices' if isinstance(r, Practice) else 'cases'}/{i}.yaml": i for i, r in records.items()},
        regions=[r.model_dump() for r in graph.regions.values()],
        themes=[t.model_dump() for t in graph.themes.values()],
        briefs=graph.briefs,
        readings=incremental.used_readings(index),
        related=related,
        pages=report.stamps,
    )
    store.save(state, records, replace=True)
    return graph, report


PARALLEL_FROM = 2000  # pages; below this a second process costs more than it saves


def mkdocs_build(config: Path, site_dir: Path) -> None:
    """mkdocs build --strict into site_dir; raise with MkDocs' output on any warning."""
    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    # Not --quiet: with it, MkDocs 1.6 exits 0 despite warnings in strict mode (mkdocs/mkdocs#4126).
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")


def build_site(paths: Paths, *, full: bool = False) -> WriteReport:
    """Generate docs/, build into a temporary folder, and swap it in as site/ only on success."""
    with _no_cycle_collection(), Store(paths.cache) as store:
        return _build_site(paths, store, full)


def _build_site(paths: Paths, store: Store, full: bool) -> WriteReport:
    graph, report = _generate(paths, store, full=full)
    site = paths.site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    try:
        mkdocs_build(paths.config.resolve(), tmp)
        from . import search  # jieba and the index writer: only a full build needs them

        search.build_index(graph, tmp / "search")  # the chunked search index (generator/search.py)
        swap_dir(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report
