"""The state a generate leaves for the next: its briefs are kept in runs of records apart from the
rest, so that an edit stores again only the run of the record it changed, and the next run reads
them back whole and in their order."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import pytest

from generator.engine import cache
from generator.engine.cache import State, Store, Unreadable
from generator.model.brief import Brief


def brief(record_id: str, title: str = "标题") -> Brief:
    return Brief("Practice", record_id, title, "330702", dt.date(2024, 1, 2), ("skills",), ())


def state(briefs: list[Brief]) -> State:
    return State("fp", {}, {}, [], [], {b.id: b for b in briefs}, {}, {})


def run_of(record_id: str) -> int:
    return zlib.crc32(record_id.encode("utf-8")) % cache.BRIEF_RUNS


def stored_runs(store: Store) -> list[str]:
    """The runs a save stores, as SQLite is asked to."""
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    return statements


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A cache that holds the state of 600 records, in no order of their ids."""
    path = tmp_path / "cache.sqlite"
    with Store(path) as store:
        store.save(state([brief(f"p{i:04}") for i in reversed(range(600))]), {})
    return path


def test_the_briefs_come_back_whole_and_in_their_order(path: Path) -> None:
    with Store(path) as store:
        loaded = store.state("fp")
    assert loaded is not None
    assert list(loaded.briefs) == [f"p{i:04}" for i in reversed(range(600))]
    assert loaded.briefs["p0042"] == brief("p0042")


def test_the_state_loaded_a_step_at_a_time_is_the_state_loaded_at_once(path: Path) -> None:
    with Store(path) as store:
        whole = store.state("fp")
        loading = store.loading("fp")
        steps = 0
        while steps < 10 and loading.step():  # begun while the run waits for data/'s scan
            steps += 1
        assert steps == 10, "a run of briefs a step"
        assert loading.result() == whole
        assert store.loading("other code").result() is None and not store.loading("other code").step()


def test_an_edit_stores_the_runs_of_the_records_it_changed_and_no_other(path: Path) -> None:
    with Store(path) as store:
        loaded = store.state("fp")
        assert loaded is not None
        loaded.briefs["p0007"] = brief("p0007", "新标题")  # edited
        del loaded.briefs["p0100"]  # deleted
        loaded.briefs["p9999"] = brief("p9999")  # added
        statements = stored_runs(store)
        store.save(loaded, {})
    inserted = sorted(int(s.split("(")[1].split(",")[0]) for s in statements if s.startswith("INSERT OR REPLACE INTO brief_runs"))
    assert inserted == sorted({run_of("p0007"), run_of("p0100"), run_of("p9999")})
    with Store(path) as store:
        again = store.state("fp")
    assert again is not None
    assert list(again.briefs) == list(loaded.briefs)
    assert again.briefs["p0007"].title == "新标题" and "p0100" not in again.briefs and "p9999" in again.briefs


def test_a_run_left_with_no_record_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store(path) as store:
        store.save(state([brief("a"), brief("b")]), {})
    assert run_of("a") != run_of("b")
    with Store(path) as store:
        loaded = store.state("fp")
        assert loaded is not None
        del loaded.briefs["b"]
        store.save(loaded, {})
        assert [n for (n,) in store.db.execute("SELECT run FROM brief_runs")] == [run_of("a")]


def test_a_save_without_a_state_loaded_stores_every_run_anew(path: Path) -> None:
    """A process that did not load the state cannot tell which runs changed: it stores them all."""
    with Store(path) as store:
        store.save(state([brief("x")]), {})
        assert [n for (n,) in store.db.execute("SELECT run FROM brief_runs")] == [run_of("x")]
        loaded = store.state("fp")
    assert loaded is not None and list(loaded.briefs) == ["x"]


def test_briefs_that_do_not_match_the_state_are_damage(path: Path) -> None:
    with Store(path) as store:
        store.db.execute("DELETE FROM brief_runs WHERE run = ?", (run_of("p0042"),))
        with pytest.raises(Unreadable):
            store.state("fp")
