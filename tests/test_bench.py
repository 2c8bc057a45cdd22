"""The benchmark runs end to end on a tiny corpus and reports every stage (no timing thresholds)."""

from __future__ import annotations

from pathlib import Path

from generator.engine.build import check
from generator.tools import bench
from generator.tools.corpus import make_corpus


def test_synthetic_corpus_is_valid(tmp_path: Path) -> None:
    counts = make_corpus(bench.ROOT / "data", tmp_path / "data", 40)
    graph, problems = check(tmp_path / "data")
    assert graph is not None and not [p for p in problems if p.severity == "error"]
    assert len(graph.practices) + len(graph.cases) == 40 == counts["practices"] + counts["cases"]
    records = [*graph.practices.values(), *graph.cases.values()]
    assert len({r.region for r in records}) == 40  # one county each
    assert counts["published"] == sum(r.status == "published" for r in records) < 40  # about half


def test_bench_reports_every_stage(tmp_path: Path) -> None:
    report = bench.bench(30, tmp_path / "work", repeat=1, mkdocs=False)
    stages = report["stages"]
    assert list(stages) == ["check", "generate", "generate-again", "generate-one"]
    for stage in stages.values():
        assert stage["seconds"] > 0 and stage["peak_rss"] > 10 * 2**20
    assert stages["check"]["errors"] == 0
    assert stages["generate"]["written"] == report["pages"] - stages["generate"]["unchanged"] > 30
    assert stages["generate-again"]["written"] == 0
    one = stages["generate-one"]
    # A title can empty a letter: its letter pages are removed (touched, not written).
    assert 1 <= one["written"] and one["written"] + one["removed"] == one["touched"] < report["pages"] // 2
    assert report["docs_bytes"] > 0 and "--no-mkdocs" in report["notes"][0]
    assert "generate-one" in bench.table(report)


def test_the_search_benchs_report_names_what_it_measured(tmp_path: Path) -> None:
    from generator.tools.search_bench import report

    (tmp_path / "site" / "search").mkdir(parents=True)
    (tmp_path / "site" / "search" / "meta.js").write_text("x" * 2000)
    one = {"ms": 40.0, "first_kb": 50.0, "kb": 60.0, "shown": 10}
    per_query = {"技能": {"box": one, "page": {**one, "query_ms": 20.0, "page_kb": 500.0}}}
    built = report(1000, tmp_path / "site", 3.31, per_query, False).splitlines()
    assert built[0] == "== 1000 records (full site): built in 3.3 s; index 1 files, 0.0 MB on disk"
    # A site measured as it is (--site) was not built here: no count of records, no build time.
    given = report(None, tmp_path / "site", 0.0, per_query, False).splitlines()
    assert given[0] == "== the site in site/, built before; index 1 files, 0.0 MB on disk"
    assert "box: first result median 40 ms, worst 40 ms" in "\n".join(given)
