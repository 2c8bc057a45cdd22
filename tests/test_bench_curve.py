"""bench-curve turns bench reports into one Markdown table and a log-log SVG chart.

The reports below are fabricated inputs to the formatter (round numbers, easy to check by hand);
they are not measurements. The last test runs the bench for real, at a tiny size.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.tools import bench_curve

MB = 2**20
SVG = "{http://www.w3.org/2000/svg}"


def fabricated(records: int, published: int, scale: float, *, mkdocs: bool = True) -> dict:
    """A report shaped like bench --json: every stage's seconds and peak RSS grow with scale."""
    stages = {
        "check": {"seconds": 1.0 * scale, "peak_rss": 100 * MB},
        "generate": {"seconds": 3.0 * scale, "peak_rss": 150 * MB},
        "generate-again": {"seconds": 0.25, "peak_rss": 60 * MB},
        "generate-one": {"seconds": 0.5 * scale, "peak_rss": 120 * MB},
    }
    report = {
        "records": records,
        "published": published == records,
        "corpus": {"practices": records // 3, "cases": records - records // 3, "published": published},
        "stages": stages,
        "notes": [] if mkdocs else ["mkdocs and search not run (--no-mkdocs)"],
    }
    if mkdocs:
        stages["build"] = {"seconds": 12.0 * scale, "peak_rss": 200 * MB * scale}
        stages["mkdocs"] = {"seconds": 6.0 * scale, "peak_rss": 80 * MB}
        stages["zensical"] = {"seconds": 9.0 * scale, "peak_rss": 900 * MB * scale}  # compared only, never the peak
        report.update(build_vs_bare_mkdocs=2.0, site_bytes=published * 50 * 1024, site_files=3 * records)
    return report


HALF_1000 = fabricated(1000, 500, 1.0)
ALL_1000 = fabricated(1000, 1000, 1.5)
HALF_10000 = fabricated(10000, 5000, 10.0)
ALL_10000 = fabricated(10000, 10000, 15.0)
CURVE = [ALL_10000, HALF_1000, ALL_1000, HALF_10000]  # out of order on purpose


def rows(markdown: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in markdown.splitlines()]


def test_the_table_has_one_row_per_size_and_corpus_smallest_first() -> None:
    header, rule, *body = rows(bench_curve.table(CURVE))
    assert header == [
        "records",
        "published",
        "check s",
        "cold generate s",
        "nothing changed s",
        "one record edited s",
        "clean build s",
        "bare mkdocs s",
        "build / bare mkdocs",
        "peak RSS MB (stage)",
        "site MB",
        "site KB per published record",
    ]
    assert rule == ["---:"] * len(header)
    assert [row[:2] for row in body] == [["1,000", "500"], ["1,000", "all"], ["10,000", "5,000"], ["10,000", "all"]]
    assert body[0][2:] == ["1.00", "3.00", "0.25", "0.50", "12.00", "6.00", "2.00", "200 (build)", "24.4", "50.0"]


def test_site_kb_per_published_record_divides_by_the_records_shown_not_all_records() -> None:
    half = dict(HALF_1000, site_bytes=30 * MB)  # 500 of 1,000 records published
    assert rows(bench_curve.table([half]))[2][-2:] == ["30.0", f"{30 * 1024 / 500:.1f}"] == ["30.0", "61.4"]
    everyone = dict(ALL_1000, site_bytes=30 * MB)
    assert rows(bench_curve.table([everyone]))[2][-1] == f"{30 * 1024 / 1000:.1f}" == "30.7"


def test_a_stage_the_report_lacks_is_a_dash_never_a_number() -> None:
    no_mkdocs = fabricated(100_000, 50_000, 100.0, mkdocs=False)
    del no_mkdocs["stages"]["generate-one"]
    row = dict(zip(rows(bench_curve.table([no_mkdocs]))[0], rows(bench_curve.table([no_mkdocs]))[2], strict=True))
    assert row["one record edited s"] == "–"
    assert row["clean build s"] == "– (--no-mkdocs)"  # says why
    assert row["bare mkdocs s"] == row["build / bare mkdocs"] == row["site MB"] == row["site KB per published record"] == "–"
    assert row["cold generate s"] == "300.00" and row["peak RSS MB (stage)"] == "150 (generate)"


def test_a_report_that_does_not_say_how_many_were_published_has_no_per_record_size() -> None:
    old = {k: v for k, v in HALF_1000.items() if k != "published"}
    old["corpus"] = {"practices": 333, "cases": 667}
    header, _, row = rows(bench_curve.table([old]))
    assert dict(zip(header, row, strict=True))["published"] == "–"
    assert dict(zip(header, row, strict=True))["site KB per published record"] == "–"


def test_the_chart_is_svg_with_a_title_a_description_and_a_line_per_series() -> None:
    root = ET.fromstring(bench_curve.chart(CURVE))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert "log-log" in root.findtext(f"{SVG}title", "")
    desc = root.findtext(f"{SVG}desc", "")
    assert "clean build, about half published: 1,000 records 12.0 s, 10,000 records 120.0 s." in desc
    lines = {line.findtext(f"{SVG}title"): line.get("points", "").split() for line in root.iter(f"{SVG}polyline")}
    # Three timed stages and the peak memory, for each corpus; a point per size.
    assert sorted(lines) == sorted(
        f"{what}, {corpus}"
        for what in ("clean build", "cold generate", "check", "peak RSS")
        for corpus in ("about half published", "all published")
    )
    assert all(len(points) == 2 for points in lines.values())


def test_the_chart_has_axis_labels_tick_labels_and_a_legend() -> None:
    texts = [t.text for t in ET.fromstring(bench_curve.chart(CURVE)).iter(f"{SVG}text")]
    assert texts.count("records") == 2 and "seconds" in texts and "MB (peak RSS)" in texts
    assert {"1,000", "2,000", "5,000", "10,000"} <= set(texts)  # ticks of the records axis
    assert {"clean build", "cold generate", "check", "about half published", "all published"} <= set(texts)


def test_the_chart_is_the_same_bytes_every_time_and_small() -> None:
    first = bench_curve.chart(CURVE).encode("utf-8")
    assert first == bench_curve.chart(list(reversed(CURVE))).encode("utf-8")
    assert len(first) < 20_000


def test_a_stage_missing_at_one_size_leaves_that_point_out_of_its_line() -> None:
    no_mkdocs = fabricated(100_000, 50_000, 100.0, mkdocs=False)
    root = ET.fromstring(bench_curve.chart([HALF_1000, HALF_10000, no_mkdocs]))
    lines = {line.findtext(f"{SVG}title"): line.get("points", "").split() for line in root.iter(f"{SVG}polyline")}
    assert len(lines["clean build, about half published"]) == 2
    assert len(lines["cold generate, about half published"]) == 3


def test_from_json_writes_the_table_and_the_chart_without_running_a_bench(tmp_path: Path) -> None:
    saved = []
    for n, report in enumerate(CURVE):
        saved.append(tmp_path / f"{n}.json")
        saved[-1].write_text(json.dumps(report), encoding="utf-8")
    out = tmp_path / "out"
    argv = ["--from-json", *map(str, saved), "--table", str(out / "t.md"), "--svg", str(out / "c.svg")]
    out.mkdir()
    assert bench_curve.main(argv) == 0
    assert (out / "t.md").read_text(encoding="utf-8") == bench_curve.table(CURVE)
    assert (out / "c.svg").read_bytes() == bench_curve.chart(CURVE).encode("utf-8")


@pytest.mark.slow
def test_the_curve_runs_the_bench_for_real(tmp_path: Path) -> None:
    table = tmp_path / "curve.md"
    args = ["--sizes", "200", "--no-mkdocs", "--save", str(tmp_path / "json"), "--table", str(table)]
    assert bench_curve.main([*args, "--svg", str(tmp_path / "curve.svg")]) == 0
    header, _, *body = rows(table.read_text(encoding="utf-8"))
    assert [row[:2] for row in body] == [["200", body[0][1]], ["200", "all"]] and body[0][1] != "all"
    for row in body:
        cells = dict(zip(header, row, strict=True))
        for column in ("check s", "cold generate s", "nothing changed s", "one record edited s"):
            assert float(cells[column]) > 0
        assert cells["clean build s"] == "– (--no-mkdocs)"
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == ["bench-200-all.json", "bench-200-half.json"]
    ET.parse(tmp_path / "curve.svg")
