"""The data downloads hold exactly the records the site shows, read back as officials would."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from repo_paths import REPO

from generator.engine import build
from generator.engine.build import Paths

FIXTURES = REPO / "tests" / "fixtures" / "data"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("downloads")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(FIXTURES, root / "data")
    draft = root / "data" / "practices" / "changzhi-practice.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    paths = Paths(data=root / "data", config=root / "mkdocs.yml")
    build.generate(paths)
    return paths.docs


def published() -> dict[str, dict]:
    out = {}
    for kind in ("practices", "cases"):
        for path in sorted((FIXTURES / kind).glob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            if record["id"] != "changzhi-practice":  # a draft in this copy
                out[record["id"]] = record
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()), "UTF-8 with BOM, for Excel and WPS"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_records_csv_has_one_row_per_published_record(docs: Path) -> None:
    rows = read_csv(docs / "downloads" / "records.csv")
    records = published()
    assert [r["编号"] for r in rows] == [
        *sorted(i for i in records if i in _ids("practices")),
        *sorted(i for i in records if i in _ids("cases")),
    ]
    wucheng = next(r for r in rows if r["编号"] == "wucheng-skills")
    assert (wucheng["省"], wucheng["市"], wucheng["县"]) == ("浙江省", "金华市", "婺城区")
    assert wucheng["标题"] == records["wucheng-skills"]["title"] and wucheng["页面"] == "practices/wucheng-skills.html"


def _ids(kind: str) -> set[str]:
    return {p.stem for p in (FIXTURES / kind).glob("*.yaml")}


def test_metrics_csv_has_one_row_per_figure_as_printed(docs: Path) -> None:
    rows = read_csv(docs / "downloads" / "metrics.csv")
    expected = [
        (i, m["indicator"], str(m["value"]), m.get("unit", ""), str(m.get("year") or ""), r["sources"][0]["title"])
        for i, r in sorted(published().items(), key=lambda kv: (kv[0] not in _ids("practices"), kv[0]))
        for m in r.get("metrics") or []
    ]
    assert [(r["记录编号"], r["指标"], r["数值"], r["单位"], r["年份"], r["来源标题"]) for r in rows] == expected


def test_records_json_is_the_records_as_validated(docs: Path) -> None:
    data = json.loads((docs / "downloads" / "records.json").read_text(encoding="utf-8"))
    records = published()
    assert data["count"] == len(records) == len(data["records"])
    for record in data["records"]:
        assert record["title"] == records[record["id"]]["title"] and record["status"] == "published"
        assert (docs / "downloads" / record["$schema"]).is_file()


def test_records_xlsx_holds_both_tables_with_a_frozen_filtered_header(docs: Path) -> None:
    book = openpyxl.load_workbook(docs / "downloads" / "records.xlsx")
    assert book.sheetnames == ["记录", "数据"]
    for sheet, table in zip(book.worksheets, ("records.csv", "metrics.csv"), strict=True):
        rows = read_csv(docs / "downloads" / table)
        values = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert values[0] == list(rows[0].keys()) and values[1:] == [list(r.values()) for r in rows]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        assert sheet.column_dimensions["C"].width > 8
    figures = book["数据"]
    value = [c.value for c in figures[1]].index("数值")
    cells = [row[value] for row in figures.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(c, int | float) for c in cells), "a plain figure is a number the spreadsheet can sum"
    assert all(isinstance(c, int | float) or not c.replace(".", "", 1).isdigit() or c.startswith("0") for c in cells)


def test_downloads_are_linked_from_the_home_page_and_the_listings(docs: Path) -> None:
    for page, link in (("index.md", "downloads/index.md"), ("practices/index.md", "../downloads/index.md")):
        assert f"]({link})" in (docs / page).read_text(encoding="utf-8")


def test_the_same_data_makes_the_same_files(docs: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(docs.parent / "data", again / "data")
    shutil.copy(REPO / "mkdocs.yml", again / "mkdocs.yml")
    build.generate(Paths(data=again / "data", config=again / "mkdocs.yml"), full=True)
    for name in ("records.csv", "metrics.csv", "records.json", "records.xlsx"):
        assert (again / "docs" / "downloads" / name).read_bytes() == (docs / "downloads" / name).read_bytes(), name


def test_each_record_page_offers_its_record_as_yaml_and_points_to_the_downloads_for_json(docs: Path) -> None:
    in_records_json = {
        r["id"]: r for r in json.loads((docs / "downloads" / "records.json").read_text(encoding="utf-8"))["records"]
    }
    for record_id, record in published().items():
        kind = "practices" if record_id in _ids("practices") else "cases"
        page = (docs / kind / f"{record_id}.md").read_text(encoding="utf-8")
        assert f"[YAML]({record_id}.yaml)（全部记录的 CSV、Excel 与 JSON 见[数据下载](../downloads/index.md)）" in page
        as_yaml = yaml.safe_load((docs / kind / f"{record_id}.yaml").read_text(encoding="utf-8"))
        as_json = in_records_json[record_id]
        assert as_yaml["title"] == as_json["title"] == record["title"]
        assert [m["indicator"] for m in as_json["metrics"]] == [m["indicator"] for m in record.get("metrics") or []]
        assert not (docs / kind / f"{record_id}.json").exists(), "a record's JSON is its object in records.json"
    assert not (docs / "practices" / "changzhi-practice.yaml").exists()  # a draft in this copy


def test_a_cell_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from generator.outputs.takeaways.downloads import _inert

    assert [_inert(v) for v in ("=1+1", "+86", "@x", "-x", "-3.5", "3")] == ["'=1+1", "'+86", "'@x", "'-x", "-3.5", "3"]


def test_the_counts_agree_with_the_home_page_the_downloads_page_and_the_feed(docs: Path) -> None:
    home = (docs / "index.md").read_text(encoding="utf-8")
    practices = int(re.findall(r"^- \[\*\*(\d+)\*\* 经验做法\]", home, re.M)[0])  # the home page's figures
    cases = int(re.findall(r"^- \[\*\*(\d+)\*\* 典型案例\]", home, re.M)[0])
    rows = read_csv(docs / "downloads" / "records.csv")
    assert [r["类别"] for r in rows].count("经验做法") == practices and len(rows) == practices + cases
    assert json.loads((docs / "downloads" / "records.json").read_text(encoding="utf-8"))["count"] == practices + cases
    page = (docs / "downloads" / "index.md").read_text(encoding="utf-8")
    assert f"经验做法 {practices} 条、典型案例 {cases} 条" in page
    assert f"数据 {len(read_csv(docs / 'downloads' / 'metrics.csv'))} 项" in page
    assert (docs / "feed.xml").read_text(encoding="utf-8").count("<entry>") == min(50, practices + cases)
