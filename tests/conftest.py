"""Shared fixtures: the repository layout and a copy of the fixture dataset to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chromium import ARGS, CHROMIUM
from repo_paths import FIXTURES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the fixture data")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset, at tmp/data (so messages read data/...)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for every test that drives a page (Playwright allows one per process)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (make browser installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def fixed_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs writes the build time into sitemap.xml.gz: fixed, so that two builds can be compared byte for byte."""
    from projects import SOURCE_DATE_EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus over two provinces (tests/projects.py), made once per module."""
    from projects import make_sample_data

    return make_sample_data(tmp_path_factory.mktemp("sample") / "data")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory):
    """Clean builds of the data a test arrives at, kept for the module (projects.CleanBuilds)."""
    from projects import CleanBuilds

    return CleanBuilds(tmp_path_factory.mktemp("clean"))
