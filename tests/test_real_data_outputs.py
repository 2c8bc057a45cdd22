"""On the library's own data/: what an official takes away from the site — a theme's 汇编 in Word,
the figures of every region in a spreadsheet, the feed — holds exactly the published records, and
a record sent back to draft disappears from all of them."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import feedparser
import openpyxl
import pytest
import yaml
from docx import Document
from repo_paths import REPO

from generator.engine import build
from generator.engine.build import Paths
from generator.outputs.takeaways.compilations import compile_one


def records(data: Path) -> dict[str, dict]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for kind in ("practices", "cases")
        for p in sorted((data / kind).glob("*.yaml"))
    }


def project(root: Path) -> Paths:
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Paths(data=root / "data", config=root / "mkdocs.yml")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = project(tmp_path_factory.mktemp("real"))
    build.generate(paths)
    return paths


def test_a_themes_word_compilation_holds_every_published_record_of_the_theme_with_its_figures(
    site: Paths, tmp_path: Path
) -> None:
    data = records(site.data)
    theme, _ = Counter(t for r in data.values() for t in r.get("themes", [])).most_common(1)[0]
    held = {i: r for i, r in data.items() if theme in r.get("themes", []) and r["status"] == "published"}
    whole, _ = build.check(site.data, warnings=False)
    assert whole is not None
    compile_one(whole, "theme", theme, tmp_path / "theme.docx")  # made on demand (catalogue.PREBUILT)
    document = Document(tmp_path / "theme.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for record in held.values():
        assert record["title"] in text
        for metric in record.get("metrics", []):
            assert f"{metric['value']}{metric.get('unit', '')}" in cells, (record["id"], metric)
    assert len(held) >= 2
    practices = sum(1 for i in held if (site.data / "practices" / f"{i}.yaml").exists())
    assert f"经验做法 {practices} 条" in text  # the cover counts them


def test_the_figures_of_every_region_open_in_a_spreadsheet(site: Paths) -> None:
    data = records(site.data)
    figures = sorted((i, str(m["value"]), m.get("unit", "")) for i, r in data.items() for m in r.get("metrics", []))
    raw = (site.docs / "downloads" / "metrics.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted((r["记录编号"], r["数值"], r["单位"]) for r in rows) == figures
    assert all(r["省"] for r in rows), "every figure names its province"
    sheet = openpyxl.load_workbook(site.docs / "downloads" / "records.xlsx")["数据"]
    assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2"


def test_the_feed_announces_the_newest_published_records(site: Paths) -> None:
    data = records(site.data)
    parsed = feedparser.parse((site.docs / "feed.xml").read_bytes())
    assert not parsed.bozo
    newest = sorted((str(r["date"]) for r in data.values() if r["status"] == "published"), reverse=True)[: len(parsed.entries)]
    assert [e.updated[:10] for e in parsed.entries] == newest


def test_a_record_sent_back_to_draft_leaves_every_output(tmp_path: Path) -> None:
    paths = project(tmp_path)
    # One no case names (test_published.py sends back a named one).
    named = {i for r in records(paths.data).values() for i in r.get("practices", [])}
    path = next(p for p in sorted((paths.data / "practices").glob("*.yaml")) if p.stem not in named)
    title = yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
    build.generate(paths)
    path.write_text(path.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    build.generate(paths)
    for rel in sorted(p.relative_to(paths.docs).as_posix() for p in paths.docs.rglob("*") if p.is_file()):
        file = paths.docs / rel
        if rel.endswith(".docx"):
            assert title not in "\n".join(p.text for p in Document(file).paragraphs), rel
        elif rel.endswith(".xlsx"):
            book = openpyxl.load_workbook(file)
            assert not any(title == c for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row), rel
        elif not rel.endswith(".png"):
            assert title not in file.read_bytes().decode("utf-8-sig"), rel
