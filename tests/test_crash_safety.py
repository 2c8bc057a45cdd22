"""A build killed at any point, a damaged cache, links planted in docs/ or site/: the next build
still gives what a clean build gives, byte for byte, and leaves nothing behind.

A build is killed (SIGKILL, as the kernel's OOM killer or `kill -9` would) from inside, at a chosen
point: a child process patches one function of the engine to kill the build there, then runs
`python -m generator build`. Nothing the build does afterwards (an except block, a finally, the
removal of its working copy) runs. Processes it started (forked workers, MkDocs) end with it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from projects import CleanBuilds, Project, assert_like_clean, tree
from repo_paths import REPO

from generator.engine.write import remove_leftovers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_build_time")]


@pytest.fixture
def project(sample: Path, tmp_path: Path) -> Project:
    """A project whose site was built once, then a practice's summary edited with a new word: the
    build has pages, rows of the downloads, compilation blocks and search terms to write, and only
    what the record's page made leads to the downloads and compilations (its place in lists stays)."""
    project = Project(tmp_path / "project", sample)
    project.build()
    project.edit(project.files("practices")[0], lambda r: r.update(summary=r["summary"] + "焊花工坊的做法推广到全市。"))
    return project


def cli(project: Project, *args: str) -> list[str]:
    return [*args, "--data", str(project.data), "--config", str(project.paths.config)]


def build(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *cli(project, "build")], capture_output=True, text=True, cwd=REPO, timeout=600
    )


# The child: patch the point (argv[1]), then run the command line (argv[2:]). die() kills the build's
# own process, from wherever it is called (a forked worker too).
KILLER = """
import os, signal, sys, time
from generator import cli
from generator.engine import build, cache, generate, parallel, searchindex, write

point, argv, builder = sys.argv[1], sys.argv[2:], os.getpid()


def die(*_, **__):
    os.kill(builder, signal.SIGKILL)
    time.sleep(60)  # a worker waits for its own end (its parent's death kills it)


def after(module, name, calls, then=die):
    original, count = getattr(module, name), [0]

    def patched(*args, **kwargs):
        count[0] += 1
        if count[0] == calls:
            then()
        return original(*args, **kwargs)

    setattr(module, name, patched)


if point == "writing pages":
    after(write, "write_atomic", 5)
elif point == "writing pages in forked workers":
    generate.FORK_FROM_PAGES = generate.FORK_FROM_DIRTY_PAGES = 1
    parallel.cpus = lambda: 2
    after(write, "write_atomic", 5)
elif point == "after keeping what the record pages made":
    original = cache.Store.save_made
    def save_made(self, *args, **kwargs):
        original(self, *args, **kwargs)
        die()
    cache.Store.save_made = save_made
elif point == "while MkDocs builds":
    after(build._MkDocs, "wait", 1, lambda: (time.sleep(1.5), die()))
elif point == "right before the swap":
    after(build, "swap_dir", 1)
elif point == "right after the swap":
    after(searchindex, "swapped_in", 1)
sys.exit(cli.main(argv))
"""
POINTS = [
    "writing pages",
    "writing pages in forked workers",
    "after keeping what the record pages made",
    "while MkDocs builds",
    "right before the swap",
    "right after the swap",
]


def leftovers(project: Project) -> list[str]:
    """Temporary files and folders anywhere in the project: working copies beside site/, and the
    temporary files of write.py."""
    found = [p.name for p in project.root.iterdir() if p.name.startswith(".site-")]
    found += [str(p.relative_to(project.root)) for p in project.root.rglob("*.tmp")]
    return sorted(found)


@pytest.mark.parametrize("point", POINTS)
def test_a_build_killed_at_any_point_is_made_right_by_the_next_build(project: Project, clean: CleanBuilds, point: str) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, point, *cli(project, "build")], capture_output=True, text=True, cwd=REPO, timeout=600
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = build(project)
    assert after.returncode == 0, after.stderr
    assert_like_clean(project, clean.of(project.data), when=f"killed {point}, then built")
    assert leftovers(project) == []
    assert build(project).stdout.startswith("docs/: 0 written, 0 removed")


CUT = re.compile(r"cache unreadable \(generator\.sqlite: cut short: [\d,]+ bytes of [\d,]+\), rebuilding from scratch\n")


def cut_in_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage" * 1000)


def damaged_pages(path: Path) -> None:
    """A third of the pages in the middle of the file overwritten: found while the build reads them."""
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:
        for page in range(pages // 3, pages * 2 // 3):
            handle.seek(page * 4096)
            handle.write(bytes(range(256)) * 16)


# (what happened to .cache/generator.sqlite, the one line the next build says about it)
DAMAGE = [
    (cut_in_half, CUT),
    (garbage, re.compile(r"cache unreadable \(generator\.sqlite: not an SQLite database\), rebuilding from scratch\n")),
    (
        damaged_pages,
        re.compile(r"cache unreadable \(generator\.sqlite: database disk image is malformed\), rebuilding from scratch\n"),
    ),
]


@pytest.mark.parametrize("damage, said", DAMAGE, ids=[d.__name__ for d, _ in DAMAGE])
def test_a_damaged_cache_is_reported_in_one_line_and_rebuilt(
    project: Project, clean: CleanBuilds, damage, said: re.Pattern
) -> None:
    damage(project.paths.cache)  # closed by the build that wrote it, which checked its log in
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert said.fullmatch(result.stderr), result.stderr
    assert_like_clean(project, clean.of(project.data))
    again = build(project)
    assert again.stderr == "" and again.stdout.startswith("docs/: 0 written, 0 removed")


def test_links_planted_in_docs_and_site_are_not_followed(project: Project, clean: CleanBuilds, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("机密", encoding="utf-8")
    (outside / "secret.html").write_text("机密", encoding="utf-8")
    before = tree(outside)
    shutil.rmtree(project.docs / "practices")
    os.symlink(outside, project.docs / "practices")  # a folder generate writes into
    (project.docs / "overview.md").unlink()
    os.symlink(outside / "index.md", project.docs / "overview.md")  # a page generate writes
    os.symlink(outside / "secret.html", project.site / "secret.html")  # a file of the site
    os.symlink(outside, project.site / "leak")
    os.symlink(outside, project.root / ".site-planted")  # named like a working copy

    result = build(project)
    assert result.returncode == 0, result.stderr
    assert tree(outside) == before and sorted(os.listdir(outside)) == ["index.md", "secret.html"]
    assert_like_clean(project, clean.of(project.data))

    from generator.engine import offline

    zipped = tmp_path / "offline.zip"
    assert offline.main([*cli(project), "--no-build", "--out", str(zipped)]) == 0
    assert "机密".encode() not in zipped.read_bytes()


def test_what_a_killed_build_left_beside_the_site_is_removed_and_no_link_followed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    for name in (".site-abc123", ".site-abc123-search", ".site-abc123-part1", ".site-old"):
        (tmp_path / name / "x").mkdir(parents=True)
    os.symlink(outside, tmp_path / ".site-link")
    (tmp_path / ".sites-of-someone-else").mkdir()
    assert remove_leftovers(site) == [".site-abc123", ".site-abc123-part1", ".site-abc123-search", ".site-link", ".site-old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".sites-of-someone-else", "outside", "site"]
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"
