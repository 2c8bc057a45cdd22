"""Load stage: read every file under data/ into typed records, collecting every problem."""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..sources.files import folder_problem, irregular, listing
from ..sources.problems import Problem, capped
from ..sources.yamlfile import Loc, Marks, SourceMarks, field_name, read_document
from .brief import Brief
from .fields import SLUG
from .packed import pack, unpack
from .records import Case, Practice, Record, Region, Synonyms, Theme

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=Record)  # a practice or a case: a file of its own, named by its id


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A valid record and where it came from."""

    record: M
    path: str
    marks: Marks

    def at(self, *loc: str | int, key: bool = False) -> tuple[int, int]:
        return self.marks.at(loc, key=key)


@dataclass(frozen=True)
class Kept(Generic[R]):
    """A valid practice or case as the dataset keeps it: packed (packed.py), with its brief, which
    is all that linking reads. `record` unpacks it: a new object each time, so a loop over many
    records asks once for each."""

    brief: Brief
    blob: bytes
    path: str
    marks: Marks

    @classmethod
    def of(cls, loaded: Loaded[R]) -> Kept[R]:
        return cls(Brief.of(cast("Practice | Case", loaded.record)), pack(loaded.record), loaded.path, loaded.marks)

    @property
    def record(self) -> R:
        return unpack(self.blob)  # type: ignore[return-value]

    def at(self, *loc: str | int, key: bool = False) -> tuple[int, int]:
        return self.marks.at(loc, key=key)


@dataclass
class Dataset:
    regions: list[Loaded[Region]] = field(default_factory=list)
    themes: list[Loaded[Theme]] = field(default_factory=list)
    practices: list[Kept[Practice]] = field(default_factory=list)
    cases: list[Kept[Case]] = field(default_factory=list)
    synonyms: list[Loaded[Synonyms]] = field(default_factory=list)
    # (kind, id) of each practice or case file that failed to load (its name is its id): it is
    # reported once, where it is wrong, not again at every record that names it.
    failed: set[tuple[str, str]] = field(default_factory=set)


_MESSAGES = {
    "missing": "required field is missing",
    "string_pattern_mismatch": None,  # replaced per field below
    "date_type": "expected a date written YYYY-MM-DD",
}


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last part of loc (to suggest field names)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
        while typing.get_origin(current) in (list, typing.Union, types.UnionType, typing.Annotated):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _message(model: type[BaseModel], error: ErrorDetails) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        known = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed fields: {', '.join(known)}"
        return f"unknown field '{loc[-1]}'; {hint}"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == SLUG:
            return f"'{error['input']}' is not a valid id: use lowercase ASCII letters, digits and single hyphens"
        if "[1-9]" in pattern:
            return f"'{error['input']}' is not a region code (6 digits, or 9 for a town)"
        if "[1-5]" in pattern:
            return f"'{error['input']}' is not pinyin with tone numbers (for example chang2 zhi4 shi4)"
        if pattern == r"\d":
            return f"'{error['input']}' is not a figure: it must contain digits"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return _MESSAGES.get(kind) or error["msg"]


def validate(model: type[M], data: Any, path: str, marks: Marks) -> tuple[Loaded[M] | None, list[Problem]]:
    """Validate one mapping; map every pydantic error back to its line in the YAML file."""
    if not isinstance(data, dict):
        line, column = marks.at(())
        return None, [Problem(path, line, column, "-", f"expected a mapping of fields (key: value), found {type(data).__name__}")]
    try:
        return Loaded(model.model_validate(data), path, marks), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc in marks.unreadable:
                continue
            line, column = marks.at(loc, key=error["type"] == "extra_forbidden")
            problems.append(Problem(path, line, column, field_name(loc), _message(model, error)))
        return None, problems


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


def _load_list(model: type[M], files: list[Path], root: Path, sink: list[Loaded[M]], problems: list[Problem]) -> None:
    for path in files:
        shown = _shown(path, root)
        document, found = read_document(path, shown)
        if document is not None and not isinstance(document.data, list):
            line, column = document.marks.at(())
            found.append(Problem(shown, line, column, "-", "expected a list of entries, each starting with '- '"))
        elif document is not None:
            marks = document.marks.items()
            for i, item in enumerate(document.data):
                loaded, more = validate(model, item, shown, marks.get(i) or Marks())
                found.extend(more)
                if loaded:
                    sink.append(Loaded(loaded.record, shown, loaded.marks.compact()))
        problems.extend(capped(found))


RECORD_FOLDERS: dict[str, type[Practice] | type[Case]] = {"practices": Practice, "cases": Case}


def load_record(model: type[R], path: Path, root: Path, *, keep_marks: bool = False) -> tuple[Loaded[R] | None, list[Problem]]:
    """One practice or case file; None with the problems when it cannot be used.

    A valid record keeps its path, not its marks (SourceMarks), unless keep_marks: lint asks
    for lines on most records, and parsing them again would cost more than keeping them packed.
    """
    shown = _shown(path, root)
    if path.suffix != ".yaml" or not re.match(SLUG, path.stem):
        named = "not a record: record files end in .yaml" if path.suffix != ".yaml" else _UNSAFE_NAME
        return None, [irregular(path, shown) or Problem(shown, 1, 1, "-", named)]
    document, problems = read_document(path, shown)
    if document is None:
        return None, capped(problems)
    loaded, found = validate(model, document.data, shown, document.marks)
    problems = capped(problems + found)
    if loaded is not None and not problems:  # kept: its marks packed, or only its text to find them again
        loaded = Loaded(loaded.record, shown, document.marks.compact() if keep_marks else SourceMarks(path))
    if loaded is not None and loaded.record.id != path.stem:
        line, column = loaded.at("id")
        problems.append(Problem(shown, line, column, "id", f"id '{loaded.record.id}' differs from the file name '{path.stem}'"))
        loaded = None
    return loaded, problems


_UNSAFE_NAME = "unsafe file name: use lowercase ASCII letters, digits and hyphens, then .yaml"

# How the record files are read: in this process, or (the engine's parallel.map_shares) in shares
# of every n-th file on several CPUs; the per-file results come back in the files' order.
Mapper = Callable[[Callable[[Sequence[Any]], list[Any]], Sequence[Any]], list[Any]]


def in_order(load: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
    return load(items)


def _folder(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """Every entry of a folder of data/ but hidden ones (each must be a file of its kind); none
    when the folder is missing, or is a link or a file (a problem then)."""
    shown = _shown(folder, root)
    found = folder_problem(folder, shown) or (listing(folder, shown) if folder.is_dir() else [])
    if isinstance(found, Problem):
        problems.append(found)
        return []
    return found


def _load_records(root: Path, dataset: Dataset, problems: list[Problem], keep_marks: bool, mapper: Mapper) -> None:
    """Every practice and case file, read through mapper."""
    jobs = [(model, path) for folder, model in RECORD_FOLDERS.items() for path in _folder(root / folder, root, problems)]

    def load_share(
        share: Sequence[tuple[type[Practice] | type[Case], Path]],
    ) -> list[tuple[Kept[Practice | Case] | None, list[Problem]]]:
        out = []
        for model, path in share:
            loaded, found = load_record(model, path, root, keep_marks=keep_marks)
            out.append((Kept.of(loaded) if loaded is not None else None, found))
        return out

    # Parsing is Python-bound; a worker's records come back packed (a tenth of what parsing them costs).
    sinks: dict[str, list[Kept[Any]]] = {"Practice": dataset.practices, "Case": dataset.cases}
    for (model, path), (kept, found) in zip(jobs, mapper(load_share, jobs), strict=True):  # in order, one a file
        problems.extend(found)
        if kept is not None:
            sinks[kept.brief.kind].append(kept)
        else:
            dataset.failed.add((model.__name__, path.stem))


def load_regions(root: Path) -> tuple[list[Loaded[Region]], list[Problem]]:
    """The gazetteer: data/regions.yaml and data/regions/*.yaml."""
    regions: list[Loaded[Region]] = []
    problems: list[Problem] = []
    files = [root / "regions.yaml"] if os.path.lexists(root / "regions.yaml") else []
    files += [path for path in _folder(root / "regions", root, problems) if path.suffix == ".yaml"]
    _load_list(Region, files, root, regions, problems)
    return regions, problems


def load_themes(root: Path) -> tuple[list[Loaded[Theme]], list[Problem]]:
    """The theme vocabulary: data/themes.yaml."""
    themes: list[Loaded[Theme]] = []
    problems: list[Problem] = []
    if os.path.lexists(root / "themes.yaml"):
        _load_list(Theme, [root / "themes.yaml"], root, themes, problems)
    return themes, problems


SYNONYMS = "synonyms.yaml"


def load_synonyms(root: Path) -> tuple[list[Loaded[Synonyms]], list[Problem]]:
    """The words search takes for one another: data/synonyms.yaml (none without the file)."""
    synonyms: list[Loaded[Synonyms]] = []
    problems: list[Problem] = []
    if os.path.lexists(root / SYNONYMS):  # a link or special file there is reported, as for themes.yaml
        _load_list(Synonyms, [root / SYNONYMS], root, synonyms, problems)
    return synonyms, problems


def load_dataset(root: Path, *, keep_marks: bool = False, mapper: Mapper = in_order) -> tuple[Dataset, list[Problem]]:
    """Read data/ (regions, themes, synonyms, practices, cases); files in sorted order for stable output.

    keep_marks: keep every record's line marks (for lint), not only its text. mapper: how the
    record files are shared out (the engine reads them on every CPU)."""
    dataset, problems = Dataset(), []
    if not root.is_dir():
        return dataset, [Problem(root.as_posix(), 1, 1, "-", "data folder not found")]
    # Regions and themes are different models; a sink and what goes into it always match.
    lists: tuple[tuple[list[Loaded[Any]], tuple[list[Loaded[Any]], list[Problem]]], ...] = (
        (dataset.regions, load_regions(root)),
        (dataset.themes, load_themes(root)),
        (dataset.synonyms, load_synonyms(root)),
    )
    for sink, (loaded, found) in lists:
        sink.extend(loaded)
        problems.extend(found)
    _load_records(root, dataset, problems, keep_marks, mapper)
    return dataset, problems
