"""Project folders for the everyday-loop tests, and the clean builds they are compared with.

A project is what an editor has: data/, mkdocs.yml and overrides/ in one folder, and after a
build docs/, site/ and .cache/ beside them. A clean build is `build_site(paths, full=True)` in a
fresh folder (no .cache/, docs/ or site/) at another path, with a copy of the same data/.

Imported by name (like repo_paths), so it must not be called conftest.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from repo_paths import REPO

from generator.engine import build
from generator.tools.corpus import make_corpus

PROVINCES = ("330000", "620000")
# A fixed time for MkDocs' sitemap.xml.gz (its gzip header carries the build time otherwise).
SOURCE_DATE_EPOCH = "1700000000"


def make_sample_data(target: Path, records: int = 8, seed: int = 7) -> Path:
    """A small synthetic data/ made from the real records: two provinces, practices and cases that name them."""
    source = target.parent / f"{target.name}-source"
    (source / "regions").mkdir(parents=True)
    for province in PROVINCES:
        shutil.copy(REPO / "data" / "regions" / f"{province}.yaml", source / "regions")
    for part in ("themes.yaml", "practices", "cases"):
        (shutil.copytree if (REPO / "data" / part).is_dir() else shutil.copy)(REPO / "data" / part, source / part)
    make_corpus(source, target, records, seed=seed)
    shutil.rmtree(source)
    # Every record published: an edit to a record the public site hides would change nothing there,
    # and the stories would prove nothing (tests/test_published.py covers hidden records).
    for path in sorted(target.glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^status: .*$", "status: published", text), encoding="utf-8")
    return target


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, value) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


# --- what is on disk --------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by its path relative to folder."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under folder with its bytes and mtime (ns)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def differing(ours: dict, theirs: dict) -> list[str]:
    """Paths present on one side only, or with other contents: '+x' only ours, '-x' only theirs, '~x' both."""
    out = [f"+{k}" for k in ours.keys() - theirs.keys()] + [f"-{k}" for k in theirs.keys() - ours.keys()]
    out += [f"~{k}" for k in ours.keys() & theirs.keys() if ours[k] != theirs[k]]
    return sorted(out, key=lambda s: s[1:])


def data_digest(data: Path) -> str:
    digest = hashlib.sha256()
    for rel, content in tree(data).items():
        digest.update(f"{rel}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


# --- a project an editor works in -------------------------------------------------------------------


class Project:
    """data/, mkdocs.yml and overrides/ copied into root; build() is `python -m generator build`."""

    def __init__(self, root: Path, data: Path, *, preview: bool = False):
        self.root = root
        root.mkdir(parents=True)
        shutil.copytree(data, root / "data")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "overrides", root / "overrides")
        self.paths = build.Paths(data=root / "data", config=root / "mkdocs.yml", preview=preview)

    @property
    def data(self) -> Path:
        return self.paths.data

    @property
    def docs(self) -> Path:
        return self.paths.docs

    @property
    def site(self) -> Path:
        return self.paths.site

    def build(self, *, full: bool = False):
        return build.build_site(self.paths, full=full)

    def generate(self, *, full: bool = False):
        return build.generate(self.paths, full=full)

    def files(self, kind: str) -> list[Path]:
        """The record files of a kind (practices or cases), sorted."""
        return sorted((self.data / kind).glob("*.yaml"))

    def edit(self, path: Path, change: Callable[[dict], object]) -> None:
        """Load the YAML file, let change() modify it in place, save it (as an editor's save)."""
        value = read_yaml(path)
        change(value)
        write_yaml(path, value)

    def outputs(self) -> dict[str, dict[str, tuple[bytes, int]]]:
        """docs/ and site/ with bytes and mtimes: what must not move when a build fails."""
        return {"docs": stamps(self.docs), "site": stamps(self.site)}


@dataclass(frozen=True)
class Output:
    docs: dict[str, bytes]
    site: dict[str, bytes]


class CleanBuilds:
    """Clean builds of a data/ folder, each in a fresh folder under root, remembered by data/'s bytes
    (and the listings' sizes).

    A clean build of the same data/ is the same whatever folder it runs in, so one build per
    distinct data/ is enough for a test session.
    """

    def __init__(self, root: Path, *, site: bool = True, preview: bool = False):
        self.root = root
        self.site, self.preview = site, preview
        self._done: dict[str, Output] = {}

    def of(self, data: Path) -> Output:
        from generator.model import ordering

        # The listings' sizes are constants a test may change: a build with others is another build.
        key = f"{data_digest(data)}|{ordering.WHOLE_LISTING}|{ordering.PART_SIZE}"
        if key not in self._done:
            project = Project(self.root / f"clean-{len(self._done)}", data, preview=self.preview)
            if self.site:
                project.build(full=True)
            else:
                project.generate(full=True)
            self._done[key] = Output(docs=tree(project.docs), site=tree(project.site) if self.site else {})
            shutil.rmtree(project.root)
        return self._done[key]


def assert_like_clean(project: Project, clean: Output, *, site: bool = True, when: str = "") -> None:
    """docs/ (and site/) of project equal the clean build's, file for file and byte for byte."""
    prefix = f"{when}: " if when else ""
    docs = differing(tree(project.docs), clean.docs)
    assert not docs, f"{prefix}docs/ differs from a clean build (+ only here, - only there, ~ other bytes): {docs}"
    if site:
        built = differing(tree(project.site), clean.site)
        assert not built, f"{prefix}site/ differs from a clean build (+ only here, - only there, ~ other bytes): {built}"


def assert_untouched(before: dict, after: dict, *, when: str = "") -> None:
    """Nothing in docs/ or site/ appeared, disappeared, or changed bytes or mtime."""
    prefix = f"{when}: " if when else ""
    for part in ("docs", "site"):
        moved = differing(after[part], before[part])
        assert not moved, f"{prefix}{part}/ changed (+ new, - gone, ~ other bytes or mtime): {moved}"


def assert_unchanged_files_keep_their_mtime(before: dict, after: dict, *, when: str = "") -> None:
    """A file whose bytes did not change was not written again (stamps() before and after a build)."""
    prefix = f"{when}: " if when else ""
    rewritten = sorted(k for k in before.keys() & after.keys() if before[k][0] == after[k][0] and before[k][1] != after[k][1])
    assert not rewritten, f"{prefix}files rewritten with the same bytes (new mtime): {rewritten}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def change_setting(monkeypatch, module, name: str, value) -> None:
    """Set a constant of the generator's code (a page size, a threshold) as an edit of that code
    would: the code's fingerprint changes with it, so the next build is a clean one, as after a
    real edit (otherwise a build with nothing new in data/ or docs/ has nothing to do)."""
    from generator.engine import build as build_module
    from generator.engine import cache, searchindex

    monkeypatch.setattr(module, name, value)
    code = f"{cache.code_fingerprint()}|{module.__name__}.{name}={value!r}"
    for holder in (cache, build_module, searchindex):
        monkeypatch.setattr(holder, "code_fingerprint", lambda code=code: code)
