"""check: load, validate and link data/ (and lint it), reporting every problem; nothing is written.

The record files are read on every CPU once there are many of them (parallel.py); Python's cycle
collector is paused meanwhile, as it is for every command that builds the whole graph.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from ..model.duplicates import duplicate_warnings
from ..model.link import Graph, link
from ..model.lint import lint
from ..model.load import load_dataset
from ..sources.problems import Problem
from .parallel import map_in_order

FORK_FROM_FILES = 1000  # record files; below this a second process costs more than it saves


@contextmanager
def no_cycle_collection() -> Iterator[None]:
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
    """Load, validate and link; every problem found, none raised. warnings: also lint (model/lint.py)."""
    with no_cycle_collection():
        mapper = partial(map_in_order, at_least=FORK_FROM_FILES)
        dataset, problems = load_dataset(data, keep_marks=warnings, mapper=mapper)
        if any(p.severity == "error" for p in problems):
            # Links are checked only between valid records, so report what we can.
            _, more = link(dataset)
            return None, problems + more
        graph, more = link(dataset)
        return graph, problems + more + (lint(dataset) + duplicate_warnings(dataset) if graph and warnings else [])
