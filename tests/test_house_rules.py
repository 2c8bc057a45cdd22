"""House rules the tools can check: ruff's lint and format, mypy, and the import contracts of the
pipeline's stages (import-linter), each clean on the code.

They run from the repository root so that pyproject.toml configures them; mypy keeps its cache
in .mypy_cache/ there, so a run after the first checks only what changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from repo_paths import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


def _assert_clean(*args: str) -> None:
    proc = _run(*args)
    assert proc.returncode == 0, f"`{' '.join(args)}` exited with {proc.returncode}:\n{proc.stdout}"


def test_ruff_check() -> None:
    _assert_clean("ruff", "check", "generator", "tests")


def test_ruff_format() -> None:
    _assert_clean("ruff", "format", "--check", "generator", "tests")


def test_mypy() -> None:
    _assert_clean("mypy")  # packages and options come from [tool.mypy] in pyproject.toml


def test_imports_point_down_the_pipeline() -> None:
    """sources < model < outputs < engine < tools < cli; pages, take-aways and search independent of
    each other; no import circles ([tool.importlinter] in pyproject.toml)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"  # import-linter's command, beside this Python
    proc = subprocess.run(
        [lint_imports, "--no-cache"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout
