"""Read one YAML file into plain data plus the line and column of every node.

PyYAML's safe_load forgets where values came from and silently keeps the last
of two duplicate keys. Building the data ourselves from the parser's events keeps
the marks, so every later error can point at the editor's line, and lets us reject
what editors get wrong most: tabs, duplicate keys, impossible dates, non-UTF-8 bytes.

Every file is hostile until read, and reading one is bounded: only a regular file is
read, never through a link (files.py); at most MAX_BYTES of it; anchors and aliases are
refused where they start, so nothing is ever expanded (nine lines of nested aliases
would otherwise grow to gigabytes); nesting stops at MAX_DEPTH, so a value nested
20,000 levels deep is an error at its line, not a RecursionError; and a scalar read as
a number or date may be at most MAX_TYPED characters (YAML 1.1's base-60 integers cost
time that grows with the square of their length).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .files import read_regular
from .problems import Problem

# libyaml's parser keeps the same marks as the pure-Python one and is about ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000  # A record is a few KB; anything near this is a mistake (a pasted PDF, a binary).
# Collections inside one another. A record needs 3 (the record, a list such as metrics, one metric)
# and a regions or themes file 2; 10 leaves room for a mistaken extra level, which the schema then
# names, and stops anything deeper at its tenth level, whatever follows.
MAX_DEPTH = 10
# Values (scalars and collections) in one file. A record holds a few hundred; a regions file with
# every township of the largest province would hold about 20,000. Past this, a file of a megabyte
# of empty list items would cost about a gigabyte in marks and problems.
MAX_VALUES = 50_000
MAX_TYPED = 64  # characters of a scalar YAML reads as a number, date or other non-text value

Loc = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


@dataclass
class Marks:
    """1-based (line, column) of every value, and of every mapping key, by path."""

    values: Mapping[Loc, tuple[int, int]] = field(default_factory=dict)  # a _Packed once compact()
    keys: Mapping[Loc, tuple[int, int]] = field(default_factory=dict)
    unreadable: AbstractSet[Loc] = field(default_factory=set)  # already reported; later stages stay quiet there

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Mark of loc, or of its nearest ancestor that exists (a missing field points at its mapping)."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def compact(self) -> Marks:
        """The same marks in a tenth of the memory, for a record that is kept (check keeps every
        record's marks: at 100,000 records the tables as parsed took over a gigabyte)."""
        return Marks(_Packed(self.values), _Packed(self.keys), self.unreadable or _NONE)

    def items(self) -> dict[int, Marks]:
        """The marks of each item of a top-level list, re-rooted at that item, in one pass."""
        values: dict[int, dict[Loc, tuple[int, int]]] = {}
        keys: dict[int, dict[Loc, tuple[int, int]]] = {}
        unreadable: dict[int, set[Loc]] = {}
        for table, into in ((self.values, values), (self.keys, keys)):
            for k, v in table.items():
                if k and isinstance(k[0], int):
                    into.setdefault(k[0], {})[k[1:]] = v
        for k in self.unreadable:
            if k and isinstance(k[0], int):
                unreadable.setdefault(k[0], set()).add(k[1:])
        return {
            i: Marks(values.get(i, {}), keys.get(i, {}), unreadable.get(i, set()))
            for i in values.keys() | keys.keys() | unreadable.keys()
        }


_NONE: frozenset[Loc] = frozenset()
_LOCS: dict[Loc, Loc] = {}  # every path once: ("metrics", 0, "value") is the same tuple in every record
# Kept for the process's life: only valid records are packed, so their paths are the schema's and
# the shapes few (a long `serve` adds one when an edit gives a record a new structure).
_SHAPES: dict[tuple[Loc, ...], _Shape] = {}


class _Shape:
    """The paths of a table, in order, and the place of each. Records with as many metrics,
    sources and themes as one another have the same paths: a few hundred shapes serve a library."""

    __slots__ = ("locs", "index")

    def __init__(self, locs: tuple[Loc, ...]):
        self.locs = locs
        self.index = {loc: i for i, loc in enumerate(locs)}

    @staticmethod
    def of(locs: tuple[Loc, ...]) -> _Shape:
        found = _SHAPES.get(locs)
        if found is None:
            locs = tuple(_LOCS.setdefault(loc, loc) for loc in locs)
            found = _SHAPES[locs] = _Shape(locs)
        return found

    def __reduce__(self) -> tuple[Any, tuple[tuple[Loc, ...]]]:
        return _Shape.of, (self.locs,)  # shared again where it is unpickled; once per share (pickle's memo)


class _Packed(Mapping[Loc, tuple[int, int]]):
    """A read-only table of marks: its shared shape, and each mark packed in 8 bytes."""

    __slots__ = ("_shape", "_marks")

    def __init__(self, table: Mapping[Loc, tuple[int, int]]):
        self._shape = _Shape.of(tuple(table))
        self._marks = array("Q", [line << 32 | column for line, column in table.values()])

    def __getitem__(self, loc: Loc) -> tuple[int, int]:
        mark = self._marks[self._shape.index[loc]]
        return mark >> 32, mark & 0xFFFF_FFFF

    def __contains__(self, loc: object) -> bool:
        return loc in self._shape.index

    def __iter__(self) -> Iterator[Loc]:
        return iter(self._shape.locs)

    def __len__(self) -> int:
        return len(self._marks)

    def __getstate__(self) -> tuple[_Shape, array]:
        return self._shape, self._marks

    def __setstate__(self, state: tuple[_Shape, array]) -> None:
        self._shape, self._marks = state


class SourceMarks(Marks):
    """The marks of a valid document, found again from its file when first asked for.

    Only a link or lint problem ever asks, so most records never do: a kept record holds its
    path, not its text (at 100,000 records the texts took 200 MB of a generate), and a loading
    worker (parallel.py) sends back a path instead of two tables, which cost more to pickle than
    the records themselves. The file is read as every data file is (read_document): a file saved
    again in between gives the marks of what the editor now sees.
    """

    def __init__(self, path: Path):  # no tables until asked: see __getattr__
        self.path = str(path)

    def __getattr__(self, name: str) -> Any:  # called only while the tables are missing
        if name not in ("values", "keys", "unreadable"):
            raise AttributeError(name)
        document, _ = read_document(Path(self.path), "")
        found = document.marks if document else Marks()
        self.values, self.keys, self.unreadable = found.values, found.keys, found.unreadable
        return getattr(self, name)

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}


@dataclass
class Document:
    data: Any
    marks: Marks


def field_name(loc: Loc) -> str:
    """('metrics', 0, 'value') -> 'metrics[0].value'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


def shorten(value: str, limit: int = 40) -> str:
    """value as a message quotes it: at most `limit` characters (a hostile value may be a megabyte)."""
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value):,} characters)"


def _mark(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Refused(Exception):
    """The file cannot be read further (an anchor, an alias, nesting too deep): its problem."""

    def __init__(self, problem: Problem):
        self.problem = problem


_NOT_A_KEY = "?"  # where what follows a key that is not a plain word is read (and dropped)
# The implicit types of a plain scalar by its first character (SafeLoader's resolvers, without a call).
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _LOADER.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _LOADER.yaml_path_resolvers  # what resolve() would add
_SCALAR, _SEQUENCE_START, _SEQUENCE_END, _MAPPING_END = (
    yaml.ScalarEvent,
    yaml.SequenceStartEvent,
    yaml.SequenceEndEvent,
    yaml.MappingEndEvent,
)


class _Builder:
    """Plain data and marks from the parser's events: each event is taken once, and a node's
    children are read at most MAX_DEPTH calls deep."""

    def __init__(self, loader: Any, shown: str):
        self.next_event = loader.get_event
        self.loader = loader
        self.shown = shown
        self.values_at: dict[Loc, tuple[int, int]] = {}
        self.keys_at: dict[Loc, tuple[int, int]] = {}
        self.unreadable: set[Loc] = set()
        self.marks = Marks(self.values_at, self.keys_at, self.unreadable)
        self.problems: list[Problem] = []
        self.values = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def problem(self, mark: tuple[int, int], loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.shown, *mark, field_name(loc), message))

    def refuse(self, mark: tuple[int, int], loc: Loc, message: str) -> _Refused:
        return _Refused(Problem(self.shown, *mark, field_name(loc), message))

    def document(self) -> tuple[bool, Any]:
        """(found, data) of the file's single document; (False, None) when it holds none."""
        self.next_event()  # the stream starts
        if self.loader.check_event(yaml.StreamEndEvent):
            return False, None
        start = self.next_event()
        data = self.node(self.next_event(), (), 1)
        self.next_event()  # the document ends
        if not self.loader.check_event(yaml.StreamEndEvent):
            found = self.next_event().start_mark
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", start.start_mark, "but found another document", found
            )
        return True, data

    def anchored(self, event: Any, loc: Loc) -> _Refused:
        """An anchor or an alias, refused where it is written: nothing is ever expanded."""
        sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
        kind = "alias" if sign == "*" else "anchor"
        return self.refuse(_mark(event), loc, f"YAML {kind} '{sign}{event.anchor}' is not allowed in data/: {_WRITE_IT_OUT}")

    def node(self, event: Any, loc: Loc, depth: int) -> Any:
        if event.anchor is not None:  # an alias has one too
            raise self.anchored(event, loc)
        mark = self.values_at[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.refuse(mark, loc, f"more than {MAX_VALUES:,} values in one file; a record holds a few hundred")
        kind = event.__class__
        if kind is _SCALAR:
            return self.scalar(event, loc, mark)
        if depth > MAX_DEPTH:
            raise self.refuse(
                mark,
                loc,
                f"nested more than {MAX_DEPTH} levels deep (a record needs 3); remove the extra brackets or indentation",
            )
        next_event = self.next_event
        event = next_event()
        if kind is _SEQUENCE_START:
            items: list[Any] = []
            while event.__class__ is not _SEQUENCE_END:
                items.append(self.node(event, loc + (len(items),), depth + 1))
                event = next_event()
            return items
        out: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        while event.__class__ is not _MAPPING_END:
            if event.anchor is not None:
                raise self.anchored(event, loc)
            key_mark = (event.start_mark.line + 1, event.start_mark.column + 1)
            if event.__class__ is not _SCALAR:
                self.problem(key_mark, loc, "a key must be a plain word")
                self.node(event, loc + (_NOT_A_KEY,), depth + 1)  # the key, read to its end and dropped,
                self.node(next_event(), loc + (_NOT_A_KEY,), depth + 1)  # and its value
            else:
                key = self.scalar(event, loc, key_mark)
                if key in first_seen:
                    self.problem(
                        key_mark, loc + (key,), f"duplicate key '{key}' (first at line {first_seen[key]}); remove one of them"
                    )
                    self.node(next_event(), loc + (_NOT_A_KEY,), depth + 1)
                else:
                    first_seen[key] = key_mark[0]
                    self.keys_at[loc + (key,)] = key_mark
                    out[key] = self.node(next_event(), loc + (key,), depth + 1)
            event = next_event()
        return out

    def scalar(self, event: Any, loc: Loc, mark: tuple[int, int]) -> Any:
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            tag = _STR
            if event.implicit[0]:  # plain: YAML 1.1 reads some as numbers, dates, booleans, null
                for implicit_tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        tag = implicit_tag
                        break
        if tag == _STR:  # what the constructor would return, without its overhead
            return value
        if len(value) > MAX_TYPED:
            message = f"'{shorten(value)}' is too long for a number or a date; put it in quotes if it is text"
        else:
            try:
                return self._constructor.construct_object(yaml.ScalarNode(tag, value, event.start_mark), deep=True)
            except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
                if tag.endswith(":timestamp"):
                    message = f"'{value}' is not a real date (YYYY-MM-DD)"
                else:
                    message = f"cannot read value '{value}': {exc}"
        self.problem(mark, loc, message)
        self.unreadable.add(loc)
        return None


_WRITE_IT_OUT = "write the value out in full (records never need anchors or aliases, and they can make a file of a few lines expand to gigabytes)"


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
    raw = read_regular(path, shown, MAX_BYTES)
    if isinstance(raw, Problem):
        return None, [raw]
    text, problems = _decode(raw, shown)
    if text is None:
        return None, problems
    return parse(text, shown)


def parse(text: str, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse decoded YAML text; None with problems when it cannot be used."""
    problems = _tab_problems(text, shown) if "\t" in text else []
    if problems:
        return None, problems
    loader = _LOADER(text)
    builder = _Builder(loader, shown)
    try:
        found, data = builder.document()
    except _Refused as refused:
        return None, [*builder.problems, refused.problem]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where: tuple[int, int] = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(shown, *where, "-", f"YAML syntax error: {what}")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; its position is a UTF-8 byte offset
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [
            Problem(shown, line, column, "-", f"character U+{character:04X} is not allowed in YAML ({exc.reason}); remove it")
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, 1, 1, "-", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if not found:
        return None, [Problem(shown, 1, 1, "-", "file is empty")]
    return Document(data, builder.marks), builder.problems
