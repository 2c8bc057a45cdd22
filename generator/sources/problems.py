"""Problems found in data/: every one carries file, line, column and field."""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"
    # What a warning says of any record it is given for ("a source has no URL"): the warnings of one
    # rule are counted under it when there are many (format_summary).
    rule: str = ""

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


FEW = 3  # warnings of one rule printed whole; more are counted on one line that names the first FEW places


def format_summary(problems: list[Problem]) -> str:
    """Every error whole; the warnings of a rule whole when there are at most FEW of them, else one
    line with their count and the first FEW places (`check --all` prints every one). At national
    scale a rule may warn hundreds of thousands of times: a list no one reads hides the errors."""
    by_rule: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.severity == "warning":
            by_rule[p.rule or p.message].append(p)
    shown = [p for p in problems if p.severity == "error" or len(by_rule[p.rule or p.message]) <= FEW]
    out = format_text(shown)
    for rule, found in sorted(by_rule.items()):
        if len(found) > FEW:
            first = heapq.nsmallest(FEW, found)
            places = ", ".join(f"{p.path}:{p.line}:{p.column}" for p in first)
            out += f"warning: {len(found):,} × {rule}: {places} and {len(found) - FEW:,} more (check --all lists every one)\n"
    return out


def format_json(problems: list[Problem]) -> str:
    """Every problem; a warning also names its rule."""
    found = [{k: v for k, v in asdict(p).items() if k != "rule" or v} for p in sorted(problems)]
    return json.dumps(found, ensure_ascii=False, indent=2) + "\n"
