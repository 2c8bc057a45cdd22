"""Records are held packed: check and a full generate hold the whole library at once, and a
validated pydantic record in memory is three times its pickle."""

from __future__ import annotations

import tracemalloc

from repo_paths import REPO

from generator.engine.check import check
from generator.model import packed
from generator.model.load import RECORD_FOLDERS, load_record
from generator.model.packed import Packed, joined, pack, unpack, without
from generator.model.records import Practice

RECORDS = sorted([*(REPO / "data" / "practices").glob("*.yaml"), *(REPO / "data" / "cases").glob("*.yaml")])


def loaded():
    out = []
    for path in RECORDS:
        item, problems = load_record(RECORD_FOLDERS[path.parent.name], path, REPO / "data")
        assert item is not None, problems
        out.append(item.record)
    return out


def test_a_record_unpacks_equal_to_the_one_packed():
    for record in loaded():
        again = unpack(pack(record))
        assert again == record and type(again) is type(record)


def test_the_graph_check_makes_holds_its_records_packed_and_gives_them_whole():
    whole, problems = check(REPO / "data", warnings=False)
    assert whole is not None, problems
    assert isinstance(whole.practices, Packed) and isinstance(whole.cases, Packed)
    by_id = {r.id: r for r in loaded()}
    assert {*whole.practices, *whole.cases} == by_id.keys()
    for record_id in whole.briefs:
        assert whole.record(record_id) == by_id[record_id]


def test_only_the_last_few_unpacked_are_kept(monkeypatch):
    monkeypatch.setattr(packed, "RECENT", 3)
    records = {r.id: r for r in loaded() if isinstance(r, Practice)}
    held = Packed({k: pack(v) for k, v in records.items()})
    for record_id in records:
        assert held[record_id] == records[record_id]
    assert len(held._recent) == 3
    first = next(iter(records))
    assert held[first] is held[first]  # asked again while recent: the same object


def test_leaving_records_out_or_joining_two_sets_unpacks_none():
    records = {r.id: r for r in loaded()}
    held = Packed({k: pack(v) for k, v in records.items()})
    hidden = sorted(records)[::2]
    shown = without(held, hidden)
    assert isinstance(shown, Packed) and not shown._recent and not held._recent
    assert list(shown) == [k for k in records if k not in hidden]
    both = joined(shown, without(held, list(shown)))
    assert isinstance(both, Packed) and both.keys() == records.keys() and not both._recent


def test_packed_records_take_a_third_of_the_memory_of_validated_ones_or_less():
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        models = loaded()
        as_models = tracemalloc.get_traced_memory()[0] - before
        blobs = [pack(r) for r in models]
        del models
        tracemalloc.clear_traces()
        before = tracemalloc.get_traced_memory()[0]
        again = [bytes(b) for b in blobs]  # the same bytes, counted afresh
        as_blobs = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(again) == len(RECORDS)
    assert as_blobs * 3 <= as_models, (as_blobs, as_models)
