"""Many records' contributions read at once: a download or a compilation is joined from what every
one of its records' pages made."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def get_many(made: Mapping[str, T], ids: Sequence[str]) -> Iterator[T | None]:
    """made.get(i) for each of ids, in order. The engine's cache answers a batch of records with
    one query (its get_many); any other mapping is asked one record at a time."""
    batched = getattr(made, "get_many", None)
    return batched(ids) if batched is not None else (made.get(i) for i in ids)
