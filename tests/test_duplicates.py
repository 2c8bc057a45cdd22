"""Near-duplicates: `check` warns at two records that tell one story; `import` refuses an article data/ already tells.

The thresholds are tuned on our own data: no two records in data/ are flagged (the most alike, two cases
of one article, share 0.08 of their shingles), and every seed article beside the repository, imported
again, is refused by name of the record written from it (it holds 0.35 or more of that record's text,
and no more than 0.11 of any other region's records).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from repo_paths import REPO
from test_import import SEEDS, needs_seeds, seed

from generator.engine import build
from generator.model.duplicates import SAME, TOLD, Fingerprints, contained, near_duplicates, normalise, record_text, shingles
from generator.model.load import load_dataset
from generator.tools.importer import DuplicateError, build_draft, import_article
from generator.tools.importer.clean import read_article

# --- the parts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, normal",
    [
        ("产业工人队伍建设改革。", "产业工人队伍建设改革"),
        ("【草稿：以下摘自原文，请用自己的话改写】全县新增1185人", "全县新增1185人"),
        ("5G、3D 打印和 AI 技术", "5g3d打印和ai技术"),
        ("“技能夜校”——点亮（成长）路！", "技能夜校点亮成长路"),
    ],
)
def test_only_characters_digits_and_letters_make_shingles_and_notes_in_brackets_go(text, normal):
    assert normalise(text) == normal


def test_no_shingle_runs_across_two_texts():
    hashes, owner = shingles(["甲乙丙丁", "戊己庚辛"])
    assert owner.tolist() == [0, 2, 2, 2, 2, 1]  # one shingle each; the four across the boundary belong to no text
    assert len(set(hashes.tolist())) == 6


def test_the_similarity_estimates_the_share_of_shingles_in_common():
    base = "各乡镇工会结合本地产业特点分批组织一线职工参加岗位练兵技术比武和技能等级评价把培训课堂开到车间和班组" * 3
    texts = [base, base[: len(base) // 2] + "市总工会举办劳模工匠进企业活动" * 8, "县人社局发放技能提升补贴惠及企业一千余家" * 6]
    sets = [{t[i : i + 4] for i in range(len(t) - 3)} for t in map(normalise, texts)]
    exact = len(sets[0] & sets[1]) / len(sets[0] | sets[1])
    alike = Fingerprints.of(texts).similarity(np.array([0, 0]), np.array([1, 2]))
    assert abs(alike[0] - exact) < 0.1 and alike[1] == 0.0


def test_a_planted_copy_is_found_among_many_texts_and_nothing_else_is():
    rng = np.random.default_rng(7)
    alphabet = np.array(list("产业工人队伍建设改革技能培训评价竞赛劳模工匠服务驿站企业职工县市区总工会党委政府补贴资金万元人次"))
    texts = ["".join(rng.choice(alphabet, 400)) for _ in range(3000)]
    texts.append(texts[1234][:380] + "另有二十个字的不同结尾文字在这里出现")  # the same story, its ending rewritten
    found = near_duplicates(texts)
    assert [(a.index, a.other) for a in found] == [(1234, 3000), (3000, 1234)]
    assert found[0].similarity >= 0.8


# --- check ----------------------------------------------------------------------------------------------


def test_no_two_records_in_data_are_flagged():
    dataset, _ = load_dataset(REPO / "data")
    texts = [record_text(item.record) for item in [*dataset.practices, *dataset.cases]]
    prints = Fingerprints.of(texts)
    a, b = np.triu_indices(len(texts), 1)
    highest = float(prints.similarity(a, b).max())
    assert highest < SAME / 4, f"the most alike records of data/ are {highest:.2f} alike"
    _, problems = build.check(REPO / "data")
    assert [str(p) for p in problems if "reads like" in p.message] == []


STORY = (
    "2024年，金华市婺城区总工会在汽摩配、化工等行业推进产业工人队伍建设改革，组织职工技能培训68期，培训职工3100余人次，"
    "推动26家企业开展技能等级自主评价，建成职工服务驿站45家，为困难职工发放帮扶资金128.6万元，惠及职工1100余名。"
)


def _practice(record_id: str, title: str, summary: str) -> str:
    return (
        f'id: {record_id}\ntitle: {title}\nregion: "330702"\ndate: 2024-05-06\nthemes: [skills]\n'
        f"summary: {summary}\n"
        f"sources:\n  - {{title: {title}, publisher: 金华日报, date: 2024-05-06, url: 'https://example.cn/a.html'}}\n"
        "status: draft\n"
    )


def test_check_warns_at_each_of_two_records_that_tell_one_story(data_dir):
    (data_dir / "practices" / "wucheng-2024-training.yaml").write_text(
        _practice("wucheng-2024-training", "婺城区推进产改", STORY), encoding="utf-8"
    )
    retold = STORY.replace("2024年，", "今年以来，").replace("，惠及职工1100余名。", "。")
    (data_dir / "practices" / "wucheng-2024-training-2.yaml").write_text(
        _practice("wucheng-2024-training-2", "婺城区总工会推进产业工人队伍建设改革", retold), encoding="utf-8"
    )
    _, problems = build.check(data_dir)
    warned = [str(p).split("data/", 1)[1] for p in problems if "reads like" in p.message]
    assert warned == [
        "practices/wucheng-2024-training-2.yaml:6:10: summary: warning: reads like data/practices/wucheng-2024-training.yaml "
        "(wucheng-2024-training): 75% of their text is alike; if they tell the same story, keep one record",
        "practices/wucheng-2024-training.yaml:6:10: summary: warning: reads like data/practices/wucheng-2024-training-2.yaml "
        "(wucheng-2024-training-2): 75% of their text is alike; if they tell the same story, keep one record",
    ]


# --- import -------------------------------------------------------------------------------------------


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    """A copy of the project's data/: the records written from the seed articles, and the gazetteer."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


# Each seed and the record written from it that its text holds the most of.
SEED_RECORDS = [
    ("000", "data/cases/wucheng-wanliyang-reform.yaml (wucheng-wanliyang-reform)", "35%"),
    ("001", "data/practices/jinchang-2024-five-empowerments.yaml (jinchang-2024-five-empowerments)", "42%"),
    ("002", "data/cases/jianhu-public-training-base.yaml (jianhu-public-training-base)", "40%"),
    ("003", "data/cases/xiaoshan-wanxiang-yuan-xinkai.yaml (xiaoshan-wanxiang-yuan-xinkai)", "38%"),
    ("004", "data/cases/beilun-modern-apprenticeship.yaml (beilun-modern-apprenticeship)", "37%"),
]


@needs_seeds
@pytest.mark.parametrize("prefix, record, share", SEED_RECORDS, ids=[row[0] for row in SEED_RECORDS])
def test_a_seed_article_already_in_data_is_refused_by_name_of_its_record(real_data, prefix, record, share):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(seed(prefix)), "--data", str(real_data)],
        cwd=real_data.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"error: {seed(prefix)}: already in data/: {record}: {share} of that record's text is in this article; "
        "nothing was written (import it anyway with --force)\n",
    )
    assert sorted(p.name for p in (real_data / "practices").iterdir()) == sorted(
        p.name for p in (REPO / "data" / "practices").iterdir()
    )


@needs_seeds
def test_the_threshold_sits_between_a_seeds_own_records_and_every_other_record(capsys):
    dataset, _ = load_dataset(REPO / "data")
    records = [*dataset.practices, *dataset.cases]
    texts = [record_text(item.record) for item in records]
    region = {"000": "wucheng", "001": "jinchang", "002": "jianhu", "003": "xiaoshan", "004": "beilun"}
    own, others = [], []
    for path in sorted(SEEDS.glob("*.txt")):
        shares = contained("\n".join(read_article(path.read_bytes(), path.name).lines), texts)
        mine = [s for s, item in zip(shares, records, strict=True) if item.record.id.startswith(region[path.name[:3]])]
        own.append(max(mine))
        others.append(
            max(s for s, item in zip(shares, records, strict=True) if not item.record.id.startswith(region[path.name[:3]]))
        )
    with capsys.disabled():
        print(f"\nseeds hold {min(own):.2f} to {max(own):.2f} of their own records, at most {max(others):.2f} of others'")
    assert max(others) < TOLD < min(own)
    assert min(own) - TOLD > 0.1 and TOLD - max(others) > 0.05


@needs_seeds
def test_an_article_imported_twice_is_refused_naming_the_first_draft_unless_forced(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", data / "themes.yaml")
    shutil.copytree(REPO / "data" / "regions", data / "regions")
    first = import_article(seed("001").read_bytes(), "001.txt", data)
    with pytest.raises(DuplicateError) as raised:
        import_article(seed("001").read_bytes(), "001.txt", data)
    assert str(raised.value) == (
        f"already in data/: data/practices/{first.draft.id}.yaml ({first.draft.id}): 86% of that record's text is in "
        "this article; nothing was written (import it anyway with --force)"
    )
    forced = import_article(seed("001").read_bytes(), "001.txt", data, force=True)
    assert forced.draft.id == f"{first.draft.id}-2"


@needs_seeds
def test_an_article_about_something_else_is_not_refused(real_data):
    article = build_draft(seed("000").read_bytes(), "000.txt", real_data).article
    assert (
        contained(
            article, [record_text(item.record) for item in load_dataset(REPO / "data")[0].cases if "jianhu" in item.record.id]
        ).max()
        < TOLD
    )
