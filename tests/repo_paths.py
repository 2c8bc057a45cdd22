"""Where things are, for every test module (imported by name, so it must not be called conftest)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
BAD = FIXTURES / "bad"
