"""Read one YAML file into plain data plus the line and column of every node.

PyYAML's safe_load forgets where values came from and silently keeps the last
of two duplicate keys. Composing the node tree ourselves keeps the marks, so
every later error can point at the editor's line, and lets us reject what
editors get wrong most: tabs, duplicate keys, impossible dates, non-UTF-8 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

# libyaml's composer keeps the same marks as the pure-Python one and is about ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000  # A record is a few KB; anything near this is a mistake (a pasted PDF, a binary).

Loc = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


@dataclass
class Marks:
    """1-based (line, column) of every value, and of every mapping key, by path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    unreadable: set[Loc] = field(default_factory=set)  # already reported; later stages stay quiet there

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Mark of loc, or of its nearest ancestor that exists (a missing field points at its mapping)."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def items(self) -> dict[int, Marks]:
        """The marks of each item of a top-level list, re-rooted at that item, in one pass."""
        out: dict[int, Marks] = {}
        for table, name in ((self.values, "values"), (self.keys, "keys")):
            for k, v in table.items():
                if k and isinstance(k[0], int):
                    getattr(out.setdefault(k[0], Marks()), name)[k[1:]] = v
        for k in self.unreadable:
            if k and isinstance(k[0], int):
                out.setdefault(k[0], Marks()).unreadable.add(k[1:])
        return out


class SourceMarks(Marks):
    """The marks of a valid document, found again from its text when first asked for.

    Only a link or lint problem ever asks, so most records never do; and a loading worker
    (parallel.py) sends back one string instead of two tables, which cost more to pickle
    than the records themselves.
    """

    def __init__(self, text: str):  # no tables until asked: see __getattr__
        self.text = text

    def __getattr__(self, name: str) -> Any:  # called only while the tables are missing
        if name not in ("values", "keys", "unreadable"):
            raise AttributeError(name)
        document, _ = parse(self.text, "")
        found = document.marks if document else Marks()
        self.values, self.keys, self.unreadable = found.values, found.keys, found.unreadable
        return getattr(self, name)

    def __getstate__(self) -> dict[str, Any]:
        return {"text": self.text}


@dataclass
class Document:
    data: Any
    marks: Marks
    text: str = ""  # what was parsed (for SourceMarks)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def field_name(loc: Loc) -> str:
    """('metrics', 0, 'value') -> 'metrics[0].value'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


class _Converter:
    def __init__(self, shown: str):
        self.shown = shown
        self.marks = Marks()
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def problem(self, mark: tuple[int, int], loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.shown, *mark, field_name(loc), message))

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.marks.values[loc] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            first_seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(_mark(key_node), loc, "a key must be a plain word")
                    continue
                key = self.scalar(key_node, loc)
                if key in first_seen:
                    self.problem(
                        _mark(key_node),
                        loc + (key,),
                        f"duplicate key '{key}' (first at line {first_seen[key]}); remove one of them",
                    )
                    continue
                first_seen[key] = _mark(key_node)[0]
                self.marks.keys[loc + (key,)] = _mark(key_node)
                out[key] = self.convert(value_node, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.tag == _STR:  # what the constructor would return, without its overhead
            return node.value
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
            if node.tag.endswith(":timestamp"):
                message = f"'{node.value}' is not a real date (YYYY-MM-DD)"
            else:
                message = f"cannot read value '{node.value}': {exc}"
            self.problem(_mark(node), loc, message)
            self.marks.unreadable.add(loc)
            return None


def _decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(shown, line, 1, "-", "file is binary (contains NUL bytes), not YAML text")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(shown, line, column, "-", f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]


def _tab_problems(text: str, shown: str) -> list[Problem]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            out.append(Problem(shown, number, indent.index("\t") + 1, "-", "tab used for indentation; indent with spaces"))
    return out


def read_document(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Read path (shown in messages as `shown`); None with problems when it cannot be used."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return None, [Problem(shown, 1, 1, "-", f"file is {size:,} bytes; a record file may be at most {MAX_BYTES:,}")]
    text, problems = _decode(path.read_bytes(), shown)
    if text is None:
        return None, problems
    return parse(text, shown)


def parse(text: str, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse decoded YAML text; None with problems when it cannot be used."""
    problems = _tab_problems(text, shown) if "\t" in text else []
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where: tuple[int, int] = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(shown, *where, "-", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:  # e.g. more than one document in the file
        return None, [Problem(shown, 1, 1, "-", f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(shown, 1, 1, "-", "file is empty")]
    converter = _Converter(shown)
    data = converter.convert(node, ())
    return Document(data, converter.marks, text), converter.problems
