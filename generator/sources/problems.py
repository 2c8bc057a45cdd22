"""Problems found in data/: every one carries file, line, column and field."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {prefix}{self.message}"


MAX_PER_FILE = 100  # problems reported for one file; a hostile file may hold a hundred thousand


def capped(problems: list[Problem]) -> list[Problem]:
    """The problems of one file, at most MAX_PER_FILE of them and a line that counts the rest."""
    if len(problems) <= MAX_PER_FILE:
        return problems
    shown = sorted(problems)
    first_left_out = shown[MAX_PER_FILE]
    more = len(shown) - MAX_PER_FILE
    note = f"and {more:,} more problem(s) in this file; fix the ones above and check again"
    return [*shown[:MAX_PER_FILE], Problem(first_left_out.path, first_left_out.line, first_left_out.column, "-", note)]


class DataError(Exception):
    """Raised when data/ has errors; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.errors)} error(s) in data")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def format_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in sorted(problems))


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in sorted(problems)], ensure_ascii=False, indent=2) + "\n"
