"""`python -m generator new practice|case`: a commented skeleton with every field, never overwriting."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from repo_paths import FIXTURES, REPO

from generator.engine import build
from generator.model.fields import Source
from generator.model.records import Case, Practice
from generator.tools.scaffold import ScaffoldError, load_places, new_record, region_slug, short_name

FIXTURE_DATA = FIXTURES / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with the fixture gazetteer and themes and no records yet."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(FIXTURE_DATA / "regions.yaml", root / "regions.yaml")
    shutil.copy(FIXTURE_DATA / "themes.yaml", root / "themes.yaml")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind, model, folder", [("practice", Practice, "practices"), ("case", Case, "cases")])
def test_new_writes_a_skeleton_with_every_field_and_the_schema_line(data, kind, model, folder):
    result = run("new", kind, "--region", "330702", "--title", "婺城区畅通晋升通道", "--id", "wucheng-test", "--data", str(data))
    assert result.returncode == 0, result.stderr
    path = data / folder / "wucheng-test.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../generator/model/schema/{kind}.schema.json"
    record = yaml.safe_load(text)
    assert set(record) == set(model.model_fields), "every model field, and nothing else"
    assert set(record["sources"][0]) == set(Source.model_fields)
    assert record["id"] == "wucheng-test" and record["region"] == "330702" and record["status"] == "draft"
    assert record["title"] == "婺城区畅通晋升通道"
    # A Chinese comment explains each top-level field.
    lines = text.splitlines()
    for key in model.model_fields:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[at - 1].startswith("#"), f"no comment above {key}"


def test_skeleton_fails_check_on_the_empty_fields_until_they_are_filled(data):
    path = new_record("practice", data, "330702", "婺城区畅通晋升通道", "wucheng-test")
    _, problems = build.check(data)
    errors = {p.field for p in problems if p.severity == "error" and p.path.endswith(path.name)}
    assert {"summary", "date", "sources[0].title", "sources[0].publisher", "sources[0].date"} <= errors
    assert errors <= {"summary", "date", "sources[0].title", "sources[0].publisher", "sources[0].date"}

    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(summary="婺城区……", date="2021-04-08")
    record["sources"][0].update(title="原标题", publisher="金华新闻网", date="2021-04-08", url=None, author=None)
    Practice.model_validate(record)  # filled in, it is a valid record


def test_new_refuses_to_overwrite(data):
    path = new_record("practice", data, "330702", "第一稿", "wucheng-test")
    before = path.read_bytes()
    result = run("new", "practice", "--region", "330702", "--title", "第二稿", "--id", "wucheng-test", "--data", str(data))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert path.read_bytes() == before
    with pytest.raises(ScaffoldError, match="already exists"):
        new_record("practice", data, "330702", "第三稿", "wucheng-test")


def test_unknown_region_is_rejected_by_name(data):
    result = run("new", "practice", "--region", "999999", "--title", "标题", "--data", str(data))
    assert result.returncode == 1
    assert "999999" in result.stderr and "unknown region" in result.stderr
    assert not (data / "practices").exists() or not list((data / "practices").iterdir())


def test_bad_id_is_rejected(data):
    with pytest.raises(ScaffoldError, match="not a valid id"):
        new_record("practice", data, "330702", "标题", "Wucheng_2021")


def test_default_id_is_region_pinyin_year_and_title_initials(data):
    import datetime as dt

    first = new_record("practice", data, "330702", "婺城区畅通晋升通道", today=dt.date(2025, 3, 1))
    assert first.name == "wucheng-2025-ctjstd.yaml"
    second = new_record("practice", data, "330702", "婺城区畅通晋升通道", today=dt.date(2025, 3, 1))
    assert second.name == "wucheng-2025-ctjstd-2.yaml", "a chosen id never replaces an existing file"
    assert yaml.safe_load(second.read_text(encoding="utf-8"))["id"] == "wucheng-2025-ctjstd-2"


@pytest.mark.parametrize(
    "name, short",
    [
        ("婺城区", "婺城"),
        ("金华市", "金华"),
        ("浙江省", "浙江"),
        ("单县", "单县"),
        ("通道侗族自治县", "通道"),
        ("广西壮族自治区", "广西"),
        ("新碶街道", "新碶"),
        ("延边朝鲜族自治州", "延边"),
        ("浦东新区", "浦东"),
    ],
)
def test_short_names(name, short):
    assert short_name(name) == short


def test_region_slug_uses_the_gazetteer_reading():
    places = load_places(FIXTURE_DATA)
    assert region_slug(places["140400"]) == "changzhi"  # not zhangzhi
    assert region_slug(places["371722"]) == "shanxian"  # 单县 keeps its 县: 单 alone is too short
