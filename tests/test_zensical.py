"""The same mkdocs.yml and generated docs/ build with Zensical, MkDocs' successor, into the same pages.

MkDocs 1.x is unmaintained and Material is in maintenance mode; this keeps the way open.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import FIXTURES, REPO

from generator.engine.build import Paths, generate, mkdocs_build

ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zensical")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    generate(Paths(data=FIXTURES / "data", config=root / "mkdocs.yml"))
    return root


@pytest.fixture(scope="module")
def zensical_site(project: Path) -> Path:
    result = subprocess.run(
        [str(ZENSICAL), "build", "--clean", "--strict", "-f", "mkdocs.yml"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    return project / "site"


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_zensical_builds_every_page_mkdocs_builds(project: Path, zensical_site: Path, tmp_path: Path) -> None:
    mkdocs_build(project / "mkdocs.yml", tmp_path / "mkdocs-site")
    assert html_pages(zensical_site) == html_pages(tmp_path / "mkdocs-site")


def test_zensical_keeps_our_overrides_and_assets(zensical_site: Path) -> None:
    listing = (zensical_site / "practices" / "index.html").read_text(encoding="utf-8")
    assert "data-cg-filters" in listing  # overrides/main.html
    assert "cg-search" in listing  # overrides/partials/search.html
    for asset in ("assets/search.js", "assets/filters.js", "assets/search.css"):
        assert asset in listing and (zensical_site / asset).is_file()


def test_zensical_pages_load_nothing_from_other_hosts(zensical_site: Path) -> None:
    for page in sorted(zensical_site.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at any depth, so MkDocs and Zensical both make its URLs root-relative
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', text)
        for url in [a or b for a, b in loaded]:
            assert not re.match(r"(?:[a-z]+:)?//", url), f"{page.name} loads {url}"
            assert not url.startswith("/"), f"{page.name} has root-relative {url}"


def test_zensical_search_page_runs_the_search_before_the_theme(zensical_site: Path) -> None:
    page = (zensical_site / "search.html").read_text(encoding="utf-8")
    early, later = page.split("<template data-cg-later>")
    loaded = re.findall(r'<script src="([^"]+)"', early)
    assert [u.rsplit("/", 1)[-1] for u in loaded] == ["search.js", "meta.js", "synonyms.js", "results.js"]
    assert re.search(r'<script src="[^"]*bundle\.[0-9a-f]+\.min\.js"', later.split("</template>")[0])
