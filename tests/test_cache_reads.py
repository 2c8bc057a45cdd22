"""What pages made is read back from the cache a batch of records at a time, in the order asked."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from generator.engine import cache
from generator.engine.cache import CachedMade, Store
from generator.outputs.takeaways.downloads import Rows


def rows(i: int) -> Rows:
    """Rows told apart by their number (their fields need not be what a page makes)."""
    return Rows(json=f"{{{i}}}".encode(), record_csv=b"r%d" % i, metrics_csv=b"", widths=((i,),), sheets=(b"s", b"m"), figures=0)  # type: ignore[arg-type]


@pytest.fixture
def made(tmp_path: Path) -> CachedMade:
    path = tmp_path / "cache.sqlite"
    with Store(path) as store:
        store.save_made("download_rows", {f"r{i:02}": rows(i) for i in range(10)})
    reader = CachedMade(path, "download_rows")
    yield reader
    reader.close()


def test_get_many_gives_each_record_s_value_in_the_order_asked_a_batch_a_query(made: CachedMade, monkeypatch) -> None:
    monkeypatch.setattr(cache, "BATCH", 3)
    order = [f"r{i:02}" for i in (7, 1, 9, 0, 3, 8, 2, 6, 5, 4)]
    one_by_one = [made[i] for i in order]
    statements: list[str] = []
    made._connection().set_trace_callback(statements.append)
    assert list(made.get_many(order)) == one_by_one == [rows(int(i[1:])) for i in order]
    batched = [s for s in statements if " IN (" in s]
    assert len(batched) == 4 * len(Rows._fields), "ten records, three a query for each field"


def test_get_many_gives_none_for_a_record_the_cache_has_nothing_of(made: CachedMade) -> None:
    assert list(made.get_many(["r01", "r99", "r02"])) == [rows(1), None, rows(2)]


def test_a_download_that_joins_one_field_reads_that_field_alone(made: CachedMade) -> None:
    statements: list[str] = []
    made._connection().set_trace_callback(statements.append)
    assert list(made.get_many(["r03", "r99", "r01"], ["record_csv"])) == [(b"r3",), None, (b"r1",)]
    assert list(made.get_many(["r02"], ["widths", "json"])) == [(((2,),), b"{2}")]
    selects = [s for s in statements if s.startswith("SELECT")]
    assert selects and all(
        s.startswith(
            (
                "SELECT id, value FROM download_rows_record_csv ",
                "SELECT id, value FROM download_rows_widths ",
                "SELECT id, value FROM download_rows_json ",
            )
        )
        for s in selects
    )


def test_an_edit_joins_the_downloads_from_batches_not_one_query_a_record(tmp_path: Path, monkeypatch) -> None:
    from repo_paths import REPO

    from generator.engine import build

    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "tests" / "fixtures" / "data", tmp_path / "data")
    paths = build.Paths(data=tmp_path / "data", config=tmp_path / "mkdocs.yml")
    build.generate(paths)
    record = tmp_path / "data" / "practices" / "wucheng-skills.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("title: ", "title: 改：", 1), encoding="utf-8")

    def one_by_one(self, record_id):
        raise AssertionError(f"{record_id} read alone")

    monkeypatch.setattr(CachedMade, "__getitem__", one_by_one)
    report = build.generate(paths)
    assert report.incremental and "downloads/records.csv" in report.written
    assert "改：" in (paths.docs / "downloads" / "records.csv").read_text(encoding="utf-8-sig")


def joined_csv(values: list[bytes]) -> bytes:
    return b"".join(values)


def runs_read(reader: CachedMade) -> list[str]:
    """The statements that read records' values of a field (those of runs joined again)."""
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    return statements


def test_a_field_joined_is_every_record_s_value_joined_and_a_change_joins_again_only_its_run(tmp_path: Path, monkeypatch) -> None:
    """The downloads join every shown record's rows: the cache keeps runs of them joined, so an
    edit joins again the run of the record it changed and reads the other runs whole."""
    monkeypatch.setattr(cache, "RUN_ENDS", 8)
    path = tmp_path / "cache.sqlite"
    ids = [f"r{i:03}" for i in range(200)]
    with Store(path) as store:
        store.save_made("download_rows", {i: rows(int(i[1:])) for i in ids})
    whole = b"".join(b"r%d" % int(i[1:]) for i in ids)
    reader = CachedMade(path, "download_rows")
    assert len(cache._runs(ids)) > 10, "the ids are cut into many runs"
    first = runs_read(reader)
    assert reader.get_joined(ids, "record_csv", joined_csv, joined_csv) == whole
    assert sum(" IN (" in s and "download_rows_record_csv" in s for s in first) >= len(cache._runs(ids))
    reader.close()

    again = runs_read(reader)
    assert reader.get_joined(ids, "record_csv", joined_csv, joined_csv) == whole
    assert not [s for s in again if "download_rows_record_csv" in s], "nothing changed: every run read joined"
    reader.close()

    with Store(path) as store:  # one record changed, one gone, one added
        store.save_made("download_rows", {"r050": rows(5000), "r300": rows(300)}, removed=["r120"])
    now = [i for i in ids if i != "r120"] + ["r300"]
    changed = runs_read(reader)
    expected = b"".join(b"r5000" if i == "r050" else b"r%d" % int(i[1:]) for i in now)
    assert reader.get_joined(now, "record_csv", joined_csv, joined_csv) == expected
    reads = [s for s in changed if "FROM download_rows_record_csv" in s]
    read_ids = {i for s in reads for i in now if f"'{i}'" in s}
    unchanged = [run for run in cache._runs(ids) if "r050" not in run]
    expected = {i for run in cache._runs(now) if run not in unchanged for i in run}
    assert {"r050", "r300"} <= read_ids == expected, "the runs of the records changed, added and gone, and no other"
    assert len(read_ids) < len(now) / 4
    reader.close()


def test_a_field_joined_asks_for_a_record_the_cache_has_nothing_of_as_a_missing_key(made: CachedMade) -> None:
    with pytest.raises(KeyError, match="r99"):
        made.get_joined(["r01", "r99"], "record_csv", joined_csv, joined_csv)


def test_a_field_of_bytes_is_kept_as_it_is_and_any_other_pickled(made: CachedMade) -> None:
    """The downloads join hundreds of megabytes of lines: kept as they are, they are read without
    a copy made by unpickling them."""
    db = made._connection()
    assert db.execute("SELECT value FROM download_rows_record_csv WHERE id = 'r03'").fetchone() == (b"r3",)
    assert db.execute("SELECT value FROM download_rows_json WHERE id = 'r03'").fetchone() == (b"{3}",)
    (widths,) = db.execute("SELECT value FROM download_rows_widths WHERE id = 'r03'").fetchone()
    assert pickle.loads(widths) == ((3,),)
