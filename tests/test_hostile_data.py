"""data/ as an attacker (or an accident) would write it: reading it is bounded, and only its own
regular files are read.

The hostile files of tests/fixtures/bad/ (billion laughs, a value nested 20,000 deep, a long
base-60 number, bidi and zero-width characters) are in test_check_errors.py's table; here are the
limits of the reader in smaller pieces, the entries that are not regular files (made by the tests:
git keeps no FIFO), and the time and memory `check` takes on each hostile input.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from repo_paths import BAD, REPO

from generator.engine import build, changes
from generator.engine.build import check
from generator.sources.problems import DataError
from generator.sources.yamlfile import parse

ANCHORS = "write the value out in full (records never need anchors or aliases, and they can make a file of a few lines expand to gigabytes)"
DEEP = "nested more than 10 levels deep (a record needs 3); remove the extra brackets or indentation"

# (YAML text, every problem the reader finds in it, as data/practices/x.yaml)
READER = [
    ("title: *name\n", [f"x.yaml:1:8: title: YAML alias '*name' is not allowed in data/: {ANCHORS}"]),
    ("title: &name 长治\n", [f"x.yaml:1:8: title: YAML anchor '&name' is not allowed in data/: {ANCHORS}"]),
    ("? &key title\n: 长治\n", [f"x.yaml:1:3: -: YAML anchor '&key' is not allowed in data/: {ANCHORS}"]),
    (
        "sources:\n  - &first {title: 标题}\n  - *first\n",
        [f"x.yaml:2:5: sources[0]: YAML anchor '&first' is not allowed in data/: {ANCHORS}"],
    ),
    ("a: " + "[" * 9 + "]" * 9 + "\n", []),  # ten collections, the mapping included: the limit
    ("a: " + "[" * 10 + "]" * 10 + "\n", [f"x.yaml:1:13: a[0][0][0][0][0][0][0][0][0]: {DEEP}"]),
    ("a: " + "{b: " * 10 + "1" + "}" * 10 + "\n", [f"x.yaml:1:40: a.b.b.b.b.b.b.b.b.b: {DEEP}"]),
    (
        "a:\n" + "".join("  " * i + "- \n" for i in range(1, 10)) + "  " * 10 + "- x\n",
        [f"x.yaml:11:21: a[0][0][0][0][0][0][0][0][0]: {DEEP}"],
    ),
    ("a: " + "[" * 20_000, [f"x.yaml:1:13: a[0][0][0][0][0][0][0][0][0]: {DEEP}"]),  # never closed
    ("year: " + "9" * 64 + "\n", []),  # a number, however unlikely
    (
        "year: " + "9" * 65 + "\n",
        [f"x.yaml:1:7: year: '{'9' * 40}… (65 characters)' is too long for a number or a date; put it in quotes if it is text"],
    ),
    ("year: '" + "9" * 65 + "'\n", []),  # quoted: text, however long
    (
        "tags:\n" + "- t\n" * 50_000,
        ["x.yaml:50000:3: tags[49998]: more than 50,000 values in one file; a record holds a few hundred"],
    ),
    (
        "title: 长治\x07\n",
        ["x.yaml:1:10: -: character U+0007 is not allowed in YAML (control characters are not allowed); remove it"],
    ),
    (
        "a: 1\nb: 长治\x1b\n",
        ["x.yaml:2:6: -: character U+001B is not allowed in YAML (control characters are not allowed); remove it"],
    ),
    (
        "a: 1\n---\nb: 2\n",
        ["x.yaml:2:1: -: YAML syntax error: expected a single document in the stream but found another document"],
    ),
]


@pytest.mark.parametrize("text, expected", READER, ids=[f"reader-{i}" for i in range(len(READER))])
def test_the_reader_refuses_what_could_cost_without_bound_where_it_is_written(text: str, expected: list[str]) -> None:
    started = time.perf_counter()
    _, problems = parse(text, "x.yaml")
    assert [str(p) for p in problems] == expected
    assert time.perf_counter() - started < 1.0


# --- only regular files of data/ are read -------------------------------------------------------------

LINK = "data/ is read from regular files only, never through a link: put the file itself here"
SPECIAL = "not a regular file; data/ is read from regular files only"


def _link(rel: str, target: str) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).unlink(missing_ok=True)  # a link instead of the file
        os.symlink(target, data / rel)

    return make


def _folder(rel: str) -> Callable[[Path], None]:
    return lambda data: (data / rel).mkdir(parents=True)


def _fifo(data: Path) -> None:
    os.mkfifo(data / "practices" / "pipe.yaml")


def _socket(data: Path) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(data / "practices" / "socket.yaml"))


def _cases_elsewhere(data: Path) -> None:
    """data/cases is a link to a folder outside data/ (with the same records in it)."""
    shutil.move(data / "cases", data.parent / "elsewhere")
    os.symlink("../elsewhere", data / "cases")


def _file_for_folder(data: Path) -> None:
    shutil.rmtree(data / "cases")
    (data / "cases").write_text("- not a folder\n", encoding="utf-8")


# (what is planted in data/, how, what check says about it)
ENTRIES = [
    (
        "a link to a file outside data/",
        _link("practices/passwd.yaml", "../../secret.yaml"),
        f"data/practices/passwd.yaml:1:1: -: symbolic link to ../../secret.yaml; {LINK}",
    ),
    (
        "a link to another record of data/",
        _link("practices/copy.yaml", "changzhi-practice.yaml"),
        f"data/practices/copy.yaml:1:1: -: symbolic link to changzhi-practice.yaml; {LINK}",
    ),
    (
        "a link to nothing",
        _link("practices/gone.yaml", "nowhere.yaml"),
        f"data/practices/gone.yaml:1:1: -: symbolic link to nowhere.yaml; {LINK}",
    ),
    ("a folder named like a record", _folder("practices/x.yaml"), f"data/practices/x.yaml:1:1: -: folder, {SPECIAL}"),
    ("a folder among the records", _folder("practices/archive"), f"data/practices/archive:1:1: -: folder, {SPECIAL}"),
    ("a FIFO", _fifo, f"data/practices/pipe.yaml:1:1: -: named pipe (FIFO), {SPECIAL}"),
    ("a socket", _socket, f"data/practices/socket.yaml:1:1: -: socket, {SPECIAL}"),
    (
        "a link to a regions file",
        _link("regions/620000.yaml", "../../secret.yaml"),
        f"data/regions/620000.yaml:1:1: -: symbolic link to ../../secret.yaml; {LINK}",
    ),
    ("a folder named like a regions file", _folder("regions/620000.yaml"), f"data/regions/620000.yaml:1:1: -: folder, {SPECIAL}"),
    (
        "a link for themes.yaml",
        _link("themes.yaml", "../secret.yaml"),
        f"data/themes.yaml:1:1: -: symbolic link to ../secret.yaml; {LINK}",
    ),
    (
        "a link for the cases folder",
        _cases_elsewhere,
        "data/cases:1:1: -: symbolic link to ../elsewhere; data/ is read from its own folders only, never through a link: "
        "put the folder itself here",
    ),
    (
        "a link for the regions folder",
        _link("regions", "../elsewhere"),
        "data/regions:1:1: -: symbolic link to ../elsewhere; data/ is read from its own folders only, never through a link: "
        "put the folder itself here",
    ),
    ("a file for the cases folder", _file_for_folder, "data/cases:1:1: -: file where a folder is expected"),
]
EXPECTED = {what: expected for what, _, expected in ENTRIES}
SECRET = "机密：不应出现在网站上"


@pytest.fixture
def planted(data_dir: Path) -> Callable[[str], Path]:
    """data_dir with one entry of ENTRIES planted in it; secret.yaml beside data/ is what a link
    would leak (a valid themes file and record in one, so that reading it would pass)."""
    (data_dir.parent / "secret.yaml").write_text(f"- {{id: secret, name: {SECRET}, description: {SECRET}}}\n", encoding="utf-8")

    def plant(what: str) -> Path:
        next(make for w, make, _ in ENTRIES if w == what)(data_dir)
        return data_dir

    return plant


@pytest.mark.parametrize("what", EXPECTED)
def test_an_entry_that_is_not_a_regular_file_is_named_and_never_read(planted, what: str) -> None:
    _, problems = check(planted(what))
    errors = [str(p) for p in problems if p.severity == "error"]
    assert EXPECTED[what] in errors
    assert not any(SECRET in e for e in errors)


@pytest.mark.parametrize("what", EXPECTED)
def test_the_incremental_scan_leaves_such_an_entry_to_the_full_check(planted, what: str) -> None:
    assert changes.scan(planted(what)) is None


@pytest.mark.parametrize(
    "what", ["a link to a file outside data/", "a folder named like a record", "a link for the cases folder"]
)
def test_a_generate_after_one_is_planted_fails_naming_it_and_writes_nothing(planted, tmp_path: Path, what: str) -> None:
    data = planted("a folder among the records")  # planted, then removed: the first generate is clean
    (data / "practices" / "archive").rmdir()
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    paths = build.Paths(data=data, config=tmp_path / "mkdocs.yml")
    build.generate(paths)
    before = {p: p.read_bytes() for p in sorted(paths.docs.rglob("*")) if p.is_file()}
    planted(what)
    with pytest.raises(DataError) as caught:
        build.generate(paths)
    assert EXPECTED[what] in [str(p) for p in caught.value.errors]
    assert {p: p.read_bytes() for p in sorted(paths.docs.rglob("*")) if p.is_file()} == before


def test_a_fifo_does_not_hold_up_check(data_dir: Path) -> None:
    """Opening a FIFO for reading waits for a writer: the reader never opens one."""
    _fifo(data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--data", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and f"data/practices/pipe.yaml:1:1: -: named pipe (FIFO), {SPECIAL}" in result.stderr


# --- what check costs on each hostile input -------------------------------------------------------

MEGABYTE = 999_000  # just under the file size limit (1,000,000 bytes)

# (name, file written into data/practices/, its text or None for the fixture of that name in bad/)
HOSTILE = [
    ("billion-laughs.yaml", None),
    ("deep-nesting.yaml", None),
    ("long-number.yaml", None),
    ("bidi-override.yaml", None),
    ("a-megabyte-of-brackets.yaml", "title: " + "[" * MEGABYTE),
    ("a-megabyte-of-empty-items.yaml", "tags:\n" + "-\n" * (MEGABYTE // 2)),
    ("45000-errors.yaml", "tags: [" + "[]," * 45_000 + "]\n"),  # under the limit of values, each item an error
    ("a-megabyte-base-60-number.yaml", "year: 1" + ":11" * (MEGABYTE // 3) + "\n"),
    ("a-megabyte-of-text.yaml", "summary: " + "很" * (MEGABYTE // 3) + "\n"),
    ("a-megabyte-of-keys.yaml", "".join(f"k{i}: 1\n" for i in range(100_000))),
]

# Runs its arguments as a child and prints the child's wall time and peak resident memory.
MEASURE = (
    "import resource, subprocess, sys, time; started = time.perf_counter(); "
    "done = subprocess.run(sys.argv[1:], capture_output=True, timeout=120); "
    "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)"
)


def measured_check(data: Path) -> tuple[float, int, int]:
    """`python -m generator check --data data` in a process of its own: seconds, peak RSS in KB, exit code."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "generator", "check", "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=180,
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


@pytest.mark.parametrize("name, text", HOSTILE, ids=[n for n, _ in HOSTILE])
def test_check_takes_bounded_time_and_memory_on_a_hostile_file(data_dir: Path, name: str, text: str | None) -> None:
    """Before the limits, the billion laughs took 17.5 GB and was killed after 120 s, and the deep
    value ended in a RecursionError. Now each is a located error in about the time and memory of
    checking the fixture data alone (about 0.3 s and 45 MB)."""
    target = data_dir / "practices" / name
    if text is None:
        shutil.copy(BAD / "practices" / name, target)
    else:
        target.write_text(text, encoding="utf-8")
    assert target.stat().st_size <= 1_000_000
    seconds, peak_kb, code = measured_check(data_dir)
    assert code == 1  # errors, each located (the tables above and in test_check_errors.py)
    assert seconds < 10 and peak_kb < 300_000, f"{name}: {seconds:.2f} s, {peak_kb // 1024} MB"
