"""Records kept packed: each one a pickle of its validated model, unpacked when a page asks for it.

A validated record in memory is about 13 KB (pydantic keeps a dict and a set of fields for each of
its nested models); its pickle is about 4 KB and unpacks in some 30 µs. At 100,000 records that
is the difference between 1.3 GB and 0.4 GB, in `check` and in every generate that reads them
all. A page asks for the same record several times as it renders, so the last few unpacked are
kept.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar, cast

from .records import Record

R = TypeVar("R", bound=Record)

RECENT = 64  # unpacked records kept: more than any one page shows in full


def pack(record: Record) -> bytes:
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Record:
    """The record a pack() made (the blob comes from this process, a worker, or the cache made by
    the same code: the build's fingerprint says so)."""
    record = pickle.loads(blob)
    if not isinstance(record, Record):
        raise TypeError(f"a packed record unpacks to {type(record).__name__}")
    return record


class Packed(Mapping[str, R], Generic[R]):
    """Records by id, held packed."""

    def __init__(self, blobs: dict[str, bytes]):
        self.blobs = blobs
        self._recent: OrderedDict[str, R] = OrderedDict()

    def __getitem__(self, record_id: str) -> R:
        if record_id in self._recent:
            self._recent.move_to_end(record_id)
            return self._recent[record_id]
        record = cast("R", unpack(self.blobs[record_id]))
        self._recent[record_id] = record
        if len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return record

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)


def without(records: Mapping[str, R], hidden: Iterable[str]) -> Mapping[str, R]:
    """The records but the hidden ones, still packed when they were (nothing is unpacked)."""
    gone = set(hidden)
    if isinstance(records, Packed):
        return Packed({k: b for k, b in records.blobs.items() if k not in gone})
    return {k: v for k, v in records.items() if k not in gone}


def joined(*parts: Mapping[str, R]) -> Mapping[str, R]:
    """The records of every part (ids are unique across them), still packed when they all were."""
    if all(isinstance(p, Packed) for p in parts):
        return Packed({k: b for p in parts for k, b in p.blobs.items()})  # type: ignore[attr-defined]
    return {k: v for p in parts for k, v in p.items()}


def blobs_of(records: Mapping[str, Record]) -> Iterator[tuple[str, bytes]]:
    """(id, packed record) of each, packing only those not packed already."""
    if isinstance(records, Packed):
        yield from records.blobs.items()
    else:
        for k, v in records.items():
            yield k, pack(v)
