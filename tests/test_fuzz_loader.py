"""Fuzzing the loader: mutated copies of the repository's own records, fed to `check` and to the
incremental generate, give a located error or a correct result, never a traceback, in bounded time
and memory.

The mutations are those of an editor's worst day and of a hostile file: the file cut short, bytes
flipped, random Unicode (control and format characters, astral planes) put in, a field's value
taken from another record, a key renamed, a list made a scalar and a scalar a list; a few of them
one after another. The hostile cases of the issue are kept as fixed files (tests/fixtures/bad/,
test_check_errors.py) and as tables (test_hostile_data.py, test_clean_text.py).

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_loader.py --hypothesis-show-statistics
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repo_paths import FIXTURES, REPO

from generator.engine import build
from generator.engine.build import check
from generator.sources.problems import DataError, Problem

# (check examples, generate examples) by HYPOTHESIS_PROFILE
BUDGETS = {"default": (300, 40), "long": (5000, 500)}
CHECK_EXAMPLES, GENERATE_EXAMPLES = BUDGETS.get(os.environ.get("HYPOTHESIS_PROFILE", "default"), BUDGETS["default"])
SECONDS = 5.0  # for one check or one generate of the fixture data with one mutated file (they take about 0.05 s)
MEGABYTES = 300  # that the test process may grow by over all examples

# The repository's own records, and the fixture data's regions and themes: (where it goes in data/, its bytes)
SOURCES = [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in sorted((REPO / "data").glob("[pc]*/*.yaml"))]
SOURCES += [(name, (FIXTURES / "data" / name).read_bytes()) for name in ("regions.yaml", "themes.yaml")]
PARSED = [yaml.safe_load(raw) for _, raw in SOURCES]


def _dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def _a_mapping(value: Any) -> dict | None:
    """The record itself, or the first entry of a regions or themes file."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return value if isinstance(value, dict) and value else None


@st.composite
def mutation(draw: st.DrawFn, raw: bytes, parsed: Any) -> bytes:
    kind = draw(st.sampled_from(["cut", "flip", "unicode", "swap", "rename", "reshape"]))
    if kind == "cut":
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "flip":
        out = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            if out:
                out[draw(st.integers(0, len(out) - 1))] ^= draw(st.integers(1, 255))
        return bytes(out)
    if kind == "unicode":
        text = raw.decode("utf-8", errors="replace")
        at = draw(st.integers(0, len(text)))
        return (text[:at] + draw(st.text(min_size=1, max_size=8)) + text[at:]).encode("utf-8")
    try:  # after an earlier mutation the bytes may no longer be YAML: then the record as it was
        value = yaml.safe_load(raw)
    except Exception:
        value = yaml.safe_load(_dump(parsed))
    target = _a_mapping(value)
    if target is None:
        return raw
    key = draw(st.sampled_from(sorted(target, key=str)))
    if kind == "swap":  # a value taken from another record, under this record's key
        other = _a_mapping(draw(st.sampled_from(PARSED)))
        if other:
            target[key] = other[draw(st.sampled_from(sorted(other, key=str)))]
    elif kind == "rename":
        target[draw(st.one_of(st.sampled_from(["titel", "Title", "title ", "id", "summary", "cases"]), st.text(max_size=6)))] = (
            target.pop(key)
        )
    else:  # reshape: a list becomes a scalar or a mapping, a scalar or mapping a list
        old = target[key]
        target[key] = (
            draw(st.sampled_from([old[0] if old else None, " ".join(map(str, old))])) if isinstance(old, list) else [old]
        )
    return _dump(value)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(path in data/, bytes): one of SOURCES after one to three mutations."""
    index = draw(st.integers(0, len(SOURCES) - 1))
    rel, raw = SOURCES[index]
    for _ in range(draw(st.integers(1, 3))):
        raw = draw(mutation(raw, PARSED[index]))
    return rel, raw


def assert_located(problems: list[Problem], data: Path) -> None:
    """Every problem names a file of data/ that exists, a line and a column."""
    for p in problems:
        assert p.path.startswith("data/") and os.path.lexists(data.parent / p.path), str(p)
        assert p.line >= 1 and p.column >= 1 and p.field and p.message, str(p)


class Planted:
    """A copy of the fixture data/ into which one file is put at a time, and taken out again."""

    def __init__(self, data: Path):
        self.data = data
        self.originals = {rel: (data / rel).read_bytes() for rel in ("regions.yaml", "themes.yaml")}

    def put(self, rel: str, raw: bytes) -> None:
        (self.data / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.data / rel).write_bytes(raw)

    def take_out(self, rel: str) -> None:
        if rel in self.originals:
            (self.data / rel).write_bytes(self.originals[rel])
        else:
            (self.data / rel).unlink()


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # no example database: runs leave no files behind
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def planted(data_dir: Path) -> Planted:
    return Planted(data_dir)


@pytest.fixture
def start_mb() -> float:
    return peak_mb()


@budget(CHECK_EXAMPLES)
@given(file=mutated_file())
def test_check_gives_located_errors_on_mutated_records_never_a_traceback(
    planted: Planted, start_mb: float, file: tuple[str, bytes]
) -> None:
    rel, raw = file
    planted.put(rel, raw)
    try:
        started = time.perf_counter()
        _, problems = check(planted.data)
        assert time.perf_counter() - started < SECONDS
        assert_located(problems, planted.data)
    finally:
        planted.take_out(rel)
    assert peak_mb() - start_mb < MEGABYTES


@pytest.fixture
def generated(planted: Planted, tmp_path: Path) -> build.Paths:
    """The fixture data/ generated once, so that each mutation is read by the incremental generate."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    paths = build.Paths(data=planted.data, config=tmp_path / "mkdocs.yml")
    build.generate(paths)
    return paths


@pytest.mark.slow
@budget(GENERATE_EXAMPLES)
@given(file=mutated_file())
def test_the_incremental_generate_gives_located_errors_or_the_pages_never_a_traceback(
    planted: Planted, generated: build.Paths, start_mb: float, file: tuple[str, bytes]
) -> None:
    rel, raw = file
    planted.put(rel, raw)
    try:
        started = time.perf_counter()
        try:
            build.generate(generated)
        except DataError as exc:
            assert exc.errors
            assert_located(exc.problems, planted.data)
        assert time.perf_counter() - started < SECONDS * 4
    finally:
        planted.take_out(rel)
    assert peak_mb() - start_mb < MEGABYTES
