"""The pipeline: load → validate → link → index → render → write, then MkDocs.

Nothing is written until every record is loaded, validated and linked, so a
mistake in data/ never leaves docs/ or site/ half-updated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from . import search
from .errors import DataError, Problem
from .link import Graph, link
from .lint import lint
from .load import load_dataset
from .render import render_pages
from .write import WriteReport, swap_dir, write_pages


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


def check(data: Path) -> tuple[Graph | None, list[Problem]]:
    """Load, validate and link; every problem found, none raised."""
    dataset, problems = load_dataset(data)
    if any(p.severity == "error" for p in problems):
        # Links are checked only between valid records, so report what we can.
        _, more = link(dataset)
        return None, problems + more
    graph, more = link(dataset)
    return graph, problems + more + (lint(dataset) if graph else [])


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


def generate(paths: Paths) -> WriteReport:
    """Check data/ and write docs/; raise DataError with every problem when data/ has errors."""
    return _generate(paths)[1]


def _generate(paths: Paths) -> tuple[Graph, WriteReport]:
    graph, problems = check(paths.data)
    if graph is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    pages = render_pages(graph)
    return graph, write_pages(paths.docs, pages, extra=static_files())


def mkdocs_build(config: Path, site_dir: Path) -> None:
    """mkdocs build --strict into site_dir; raise with MkDocs' output on any warning."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, cwd=config.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")


def build_site(paths: Paths) -> WriteReport:
    """Generate docs/, build into a temporary folder, and swap it in as site/ only on success."""
    graph, report = _generate(paths)
    site = paths.site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    try:
        mkdocs_build(paths.config.resolve(), tmp)
        search.build_index(graph, tmp / "search")  # the chunked search index (generator/search.py)
        swap_dir(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report
