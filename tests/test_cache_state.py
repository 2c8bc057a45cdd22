"""The state a generate leaves for the next: its large tables (briefs, file and page stamps, sort
readings...) are kept in runs apart from the rest, so that an edit stores again only the runs of
what it changed, and the next run reads them back whole (the briefs in their order)."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.engine import cache
from generator.engine.cache import State, Store, Unreadable
from generator.model.brief import Brief


def brief(record_id: str, title: str = "标题") -> Brief:
    return Brief("Practice", record_id, title, "330702", dt.date(2024, 1, 2), ("skills",), ())


def state(briefs: list[Brief]) -> State:
    return State("fp", {}, {}, [], [], {b.id: b for b in briefs}, {}, {})


def run_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % cache.RUNS


def runs_in(store: Store, table: str) -> list[int]:
    return [n for (n,) in store.db.execute("SELECT run FROM state_runs WHERE tab = ? ORDER BY run", (table,))]


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
    inserted = [s.split("(")[1].split(",")[:2] for s in statements if s.startswith("INSERT OR REPLACE INTO state_runs")]
    assert sorted(int(n) for table, n in inserted) == sorted({run_of("p0007"), run_of("p0100"), run_of("p9999")})
    assert {table for table, n in inserted} == {"'briefs'"}
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
        assert runs_in(store, "briefs") == [run_of("a")]


def test_a_save_without_a_state_loaded_stores_every_run_anew(path: Path) -> None:
    """A process that did not load the state cannot tell which runs changed: it stores them all."""
    with Store(path) as store:
        store.save(state([brief("x")]), {})
        assert runs_in(store, "briefs") == [run_of("x")]
        loaded = store.state("fp")
    assert loaded is not None and list(loaded.briefs) == ["x"]


def test_briefs_that_do_not_match_the_state_are_damage(path: Path) -> None:
    with Store(path) as store:
        store.db.execute("DELETE FROM state_runs WHERE tab = 'briefs' AND run = ?", (run_of("p0042"),))
        with pytest.raises(Unreadable):
            store.state("fp")


def stamps(n: int) -> dict[str, tuple[int, int, int, int]]:
    return {f"practices/p{i:04}.yaml": (i, i, i, i) for i in range(n)}


def test_the_other_tables_come_back_whole_and_an_edit_stores_only_their_runs_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store(path) as store:
        first = State("fp", stamps(600), {"practices/a.yaml": "a"}, [], [], {}, {}, {}, pages={"x.md": (1, 2, 3)})
        store.save(first, {})
    with Store(path) as store:
        loaded = store.state("fp")
        assert loaded is not None
        assert (
            loaded.files == stamps(600) and loaded.record_ids == {"practices/a.yaml": "a"} and loaded.pages == {"x.md": (1, 2, 3)}
        )
        loaded.files["practices/p0007.yaml"] = (9, 9, 9, 9)  # an edit changes one stamp
        statements = stored_runs(store)
        store.save(loaded, {})
    inserted = [s.split("(")[1].split(",")[:2] for s in statements if s.startswith("INSERT OR REPLACE INTO state_runs")]
    assert inserted == [["'files'", f" {run_of('practices/p0007.yaml')}"]]
    with Store(path) as store:
        again = store.state("fp")
    assert again is not None and again.files["practices/p0007.yaml"] == (9, 9, 9, 9) and len(again.files) == 600


def test_a_run_missing_from_another_table_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store(path) as store:
        store.save(State("fp", stamps(10), {}, [], [], {}, {}, {}), {})
        store.db.execute("DELETE FROM state_runs WHERE tab = 'files' AND run = ?", (run_of("practices/p0003.yaml"),))
        with pytest.raises(Unreadable):
            store.state("fp")


def test_the_a_to_z_pages_come_back_in_their_order(tmp_path: Path) -> None:
    """The next run compares a listing's pages in order: in another order, every page of it would
    count as changed and render again."""
    path, parts = tmp_path / "cache.sqlite", {f"titles/{letter}.md": (f"p{letter}",) for letter in "zyxcba"}
    with Store(path) as store:
        store.save(State("fp", {}, {}, [], [], {}, {}, {}, parts=parts), {})
    with Store(path) as store:
        loaded = store.state("fp")
    assert loaded is not None and list(loaded.parts.items()) == list(parts.items())


keys = st.text(alphabet="abcdefgh/.", min_size=1, max_size=4)
tables = st.dictionaries(keys, st.tuples(st.integers(0, 3)), max_size=30)
titled = st.dictionaries(keys, st.sampled_from(["甲", "乙", "丙"]), max_size=30)  # record id -> its brief's title


@given(before=tables, after=tables, titles_before=titled, titles_after=titled)
def test_the_runs_a_save_makes_again_are_those_of_a_save_from_nothing(
    before: dict, after: dict, titles_before: dict, titles_after: dict
) -> None:
    """What a save stores (the runs kept, with those that differ made again) is what cutting the
    new state into runs from nothing gives, and it stores again exactly the runs that differ: for
    the stamps (plain values, compared by hash) and for the briefs (compared by identity first; the
    new state holds some of the very briefs loaded and some equal ones made anew)."""
    loaded = {i: brief(i, t) for i, t in titles_before.items()}
    briefs = {i: loaded[i] if i in loaded and len(i) % 2 else brief(i, t) for i, t in titles_after.items()}
    old = State("fp", before, {}, [], [], loaded, {}, {})
    new = State("fp", after, {}, [], [], briefs, {}, {})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "RUNS", 3)  # runs of many entries each
        kept = cache._runs_of(old)
        runs, differ = cache._rerun(cache._Kept.of(old, kept), new)
        assert runs == cache._runs_of(new)
    expected = [
        (table, n)
        for table in ("briefs", "files")
        for n in sorted(kept[table].keys() | runs[table].keys())
        if kept[table].get(n) != runs[table].get(n)
    ]
    assert sorted(differ) == sorted(expected)
