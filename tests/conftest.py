"""Shared fixtures: the repository layout and a copy of the fixture dataset to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from repo_paths import FIXTURES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the fixture data")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset, at tmp/data (so messages read data/...)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target
