"""What pages made is read back from the cache a batch of records at a time, in the order asked."""

from __future__ import annotations

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
