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
