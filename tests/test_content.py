"""The seed articles as records: every figure kept, none of the pages' junk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from repo_paths import REPO

from generator.engine.build import Paths, check, generate
from generator.sources.pinyin import simplified

SEEDS = REPO.parent / "shared" / "seeds"
DATA = REPO / "data"

# seed file prefix -> region code of its records, and the numbers on the page that are not figures, by reason
ARTICLES = {
    "000": (
        "330702",
        {
            "publication date and time": "2021 04 08 14 42",
            "dates and months in the text": "4 7 6",
            "the year he joined the firm": "2003",
            "inside the spam line": "99",
        },
    ),
    "001": (
        "620300",
        {
            "publication date and time": "2024 11 05 10 33",
            "a month (今年7月)": "7",
            "the programme name 2+4": "4",
            "footer phone number and copyright": "010 84151598 2008",
        },
    ),
    "002": (
        "320925",
        {"publication date and time": "2022 01 18 12 49", "the name 3D打印": "3", "inside the advertising keywords": "308"},
    ),
    "003": ("330109", {"dates (4月7日, 4月11日)": "4", "end year in a plan's title": "2025"}),
    "004": (
        "330206",
        {
            "forum navigation, counters, ICP and copyright lines": "0 01 04 07 1.062500 2 3 3.1 8 12 13 26 28 34 881 2001 2013 2025 57519 15016945"
        },
    ),
}


def not_figures(prefix: str) -> set[str]:
    return {n for numbers in ARTICLES[prefix][1].values() for n in numbers.split()}


JUNK = [
    "无码",
    "午夜",
    "久久",
    "人禽",
    "抄表机",
    "娇俏新娘",
    "太阳能路灯",
    "水宜生",
    "道闸广告机",
    "立即注册",
    "找回密码",
    "Discuz",
    "Comsenz",
    "ICP",
    "回帖",
    "版主",
    "积分",
    "扫码关注",
    "Copyright",
    "责编",
    "责任编辑",
    "原创推荐",
    "中工网客户端",
    "亿万职工的网上家园",
    "举报电话",
    "只看该作者",
    "快捷导航",
]


def records() -> list[dict]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for kind in ("practices", "cases")
        for p in sorted((DATA / kind).glob("*.yaml"))
    ]


def test_the_data_folder_passes_check() -> None:
    graph, problems = check(DATA)
    assert graph is not None and [str(p) for p in problems if p.severity == "error"] == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside the repository")
@pytest.mark.parametrize("prefix", sorted(ARTICLES))
def test_every_figure_of_the_article_stands_in_its_regions_records(prefix: str) -> None:
    code = ARTICLES[prefix][0]
    article = simplified(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))
    kept = set()
    for record in records():
        if record["region"] == code:
            for metric in record.get("metrics", []):
                kept.update(re.findall(r"\d+(?:\.\d+)?", str(metric["value"])))
                kept.add(str(metric.get("year")))
    missing = sorted(set(re.findall(r"\d+(?:\.\d+)?", article)) - kept - not_figures(prefix), key=float)
    assert missing == []


@pytest.mark.parametrize(
    "sample",
    [
        ("330702", "1185", "人"),
        ("330702", "1338余", "万元"),
        ("620300", "27.6", "%"),
        ("620300", "4000-6000", "元"),
        ("330109", "29.79", "万人"),
        ("320925", "1516.41", "万元"),
        ("330206", "1300余", "万元"),
    ],
)
def test_figures_keep_value_and_unit_exactly_as_printed(sample: tuple[str, str, str]) -> None:
    code, value, unit = sample
    found = {(r["region"], m["value"], m.get("unit", "")) for r in records() for m in r.get("metrics", [])}
    assert sample in found


def test_each_article_has_a_practice_and_its_region_has_a_page(tmp_path: Path) -> None:
    practices = {yaml.safe_load(p.read_text(encoding="utf-8"))["region"] for p in (DATA / "practices").glob("*.yaml")}
    assert {code for code, _ in ARTICLES.values()} <= practices


def test_no_spam_advertising_or_forum_boilerplate_reaches_data_or_pages(tmp_path: Path) -> None:
    shown = [p for p in sorted(DATA.rglob("*.yaml")) if "regions" not in p.parts]
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    generate(Paths(data=DATA, config=tmp_path / "mkdocs.yml"))
    shown += sorted((tmp_path / "docs").rglob("*.md"))
    for path in shown:
        text = path.read_text(encoding="utf-8")
        assert not [word for word in JUNK if word in text], path.name


def test_the_traditional_title_of_seed_000_is_kept_as_published() -> None:
    titles = {s["title"] for r in records() for s in r["sources"]}
    assert any("暢通晉升通道" in t for t in titles)
