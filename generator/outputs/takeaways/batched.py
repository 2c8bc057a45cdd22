"""Many records' contributions read at once: a download or a compilation is joined from what every
one of its records' pages made."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple, TypeVar

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
