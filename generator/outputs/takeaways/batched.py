"""Many records' contributions read at once: a download or a compilation is joined from what every
one of its records' pages made."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")


def get_many(made: Mapping[str, T], ids: Sequence[str]) -> Iterator[T | None]:
    """made.get(i) for each of ids, in order. The engine's cache answers a batch of records with
    one query (its get_many); any other mapping is asked one record at a time."""
    batched = getattr(made, "get_many", None)
    return batched(ids) if batched is not None else (made.get(i) for i in ids)


def get_fields(made: Mapping[str, NamedTuple], ids: Sequence[str], fields: Sequence[str]) -> Iterator[tuple | None]:
    """These fields of made.get(i) for each of ids, in order, as tuples: the engine's cache reads
    only those (its get_many with fields); any other mapping gives whole values to pick from."""
    batched = getattr(made, "get_many", None)
    if batched is not None:
        return batched(ids, fields)
    return (None if (value := made.get(i)) is None else tuple(getattr(value, f) for f in fields) for i in ids)


def get_joined(
    made: Mapping[str, NamedTuple],
    ids: Sequence[str],
    field: str,
    join: Callable[[list[Any]], Any],
    finish: Callable[[list[Any]], T],
) -> T:
    """finish(this field of made[i] for each of ids, in order, cut into runs each joined by join).

    join must be associative and give a value as it is (join([v]) == v), and finish must give the
    same however the values are cut into runs: the engine's cache keeps runs of records' values
    joined, and joins again only the runs whose records changed (its get_joined); any other
    mapping has each value taken as a run of its own. finish makes the file in one copy (joining
    the runs first, then the file around them, copied 145 MB twice at 100,000 records). KeyError
    for an id made has nothing of."""
    batched = getattr(made, "get_joined", None)
    if batched is not None:
        return batched(ids, field, join, finish)
    values = []
    for i in ids:
        value = made.get(i)
        if value is None:
            raise KeyError(i)
        values.append(getattr(value, field))
    return finish(values)
