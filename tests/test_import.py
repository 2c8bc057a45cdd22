"""`python -m generator import ARTICLE`: a draft practice record from a raw article.

The five seed articles sit beside the repository in ../shared/seeds/. For each
one the importer must find the region, date and publisher the editors found,
recover the figures with their units, and leave none of the page's navigation,
adverts or spam in the record.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from repo_paths import REPO

from generator import build
from generator.importer import ArticleError, build_draft
from generator.importer.figures import extract_figures, extract_policies
from generator.importer.regions import Gazetteer
from generator.scaffold import load_places

SEEDS = REPO.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not found beside the repository (../shared/seeds/)")

# Used when data/regions/ is not there: the seeds' regions, plus homonyms and common words that must not win.
FIXTURE_REGIONS = """
- {code: "330000", name: 浙江省, level: province, pinyin: zhe4 jiang1 sheng3}
- {code: "330100", name: 杭州市, level: prefecture, parent: "330000", pinyin: hang2 zhou1 shi4}
- {code: "330109", name: 萧山区, level: county, parent: "330100", pinyin: xiao1 shan1 qu1}
- {code: "330200", name: 宁波市, level: prefecture, parent: "330000", pinyin: ning2 bo1 shi4}
- {code: "330206", name: 北仑区, level: county, parent: "330200", pinyin: bei3 lun2 qu1}
- {code: "330206001", name: 新碶街道, level: township, parent: "330206", pinyin: xin1 qi4 jie1 dao4}
- {code: "330206002", name: 霞浦街道, level: township, parent: "330206", pinyin: xia2 pu3 jie1 dao4}
- {code: "330700", name: 金华市, level: prefecture, parent: "330000", pinyin: jin1 hua2 shi4}
- {code: "330702", name: 婺城区, level: county, parent: "330700", pinyin: wu4 cheng2 qu1}
- {code: "320000", name: 江苏省, level: province, pinyin: jiang1 su1 sheng3}
- {code: "320900", name: 盐城市, level: prefecture, parent: "320000", pinyin: yan2 cheng2 shi4}
- {code: "320925", name: 建湖县, level: county, parent: "320900", pinyin: jian4 hu2 xian4}
- {code: "620000", name: 甘肃省, level: province, pinyin: gan1 su4 sheng3}
- {code: "620300", name: 金昌市, level: prefecture, parent: "620000", pinyin: jin1 chang1 shi4}
- {code: "620321", name: 永昌县, level: county, parent: "620300", pinyin: yong3 chang1 xian4}
- {code: "623000", name: 甘南藏族自治州, level: prefecture, parent: "620000", pinyin: gan1 nan2 zang4 zu2 zi4 zhi4 zhou1}
- {code: "623001", name: 合作市, level: county, parent: "623000", pinyin: he2 zuo4 shi4}
- {code: "350000", name: 福建省, level: province, pinyin: fu2 jian4 sheng3}
- {code: "350900", name: 宁德市, level: prefecture, parent: "350000", pinyin: ning2 de2 shi4}
- {code: "350921", name: 霞浦县, level: county, parent: "350900", pinyin: xia2 pu3 xian4}
- {code: "430000", name: 湖南省, level: province, pinyin: hu2 nan2 sheng3}
- {code: "431200", name: 怀化市, level: prefecture, parent: "430000", pinyin: huai2 hua4 shi4}
- {code: "431230", name: 通道侗族自治县, level: county, parent: "431200", pinyin: tong1 dao4 dong4 zu2 zi4 zhi4 xian4}
- {code: "410000", name: 河南省, level: province, pinyin: he2 nan2 sheng3}
- {code: "410300", name: 洛阳市, level: prefecture, parent: "410000", pinyin: luo4 yang2 shi4}
- {code: "410306", name: 吉利区, level: county, parent: "410300", pinyin: ji2 li4 qu1}
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with the project's gazetteer (or the fixture one) and themes, and no records."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", root / "themes.yaml")
    if (REPO / "data" / "regions").is_dir() and any((REPO / "data" / "regions").glob("*.yaml")):
        shutil.copytree(REPO / "data" / "regions", root / "regions")
    else:
        (root / "regions.yaml").write_text(FIXTURE_REGIONS, encoding="utf-8")
    return root


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found in ../shared/seeds/")
    return found[0]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "import", *args], cwd=REPO, input=stdin, capture_output=True, timeout=120
    )


SEED_EXPECTATIONS = [
    # prefix, region, date, publisher, a sample of (value, unit) figures
    (
        "000",
        "330702",
        "2021-04-08",
        "金华新闻网",
        [("1185", "人"), ("1338余", "万元"), ("1555", "家"), ("200多", "家"), ("2万多", "名"), ("8万", "人"), ("30", "%")],
    ),
    (
        "001",
        "620300",
        "2024-11-05",
        "中工网",
        [
            ("27.6", "%"),
            ("694", "名"),
            ("4000-6000", "元"),
            ("1670余", "场"),
            ("5.4万", "人(次)"),
            ("10.5", "万元"),
            ("75", "家"),
        ],
    ),
    (
        "002",
        "320925",
        "2022-01-18",
        "盐城市总工会",
        [
            ("31245", "人"),
            ("1516.41", "万元"),
            ("38.24", "万元"),
            ("90", "%"),
            ("1100多", "个"),
            ("60余", "家"),
            ("1600多", "万元"),
        ],
    ),
    (
        "003",
        "330109",
        "2023-04-11",
        "萧山工人",
        [("29.79", "万人"), ("100", "家"), ("116", "场"), ("34375", "名"), ("近200", "名"), ("860多", "万元"), ("超120", "场")],
    ),
    (
        "004",
        "330206",
        "2023-12-28",
        "新碶街道红领之家",
        [("1300余", "万元"), ("9225", "人次"), ("2.9", "倍"), ("4万余", "人次"), ("1.1万余", "名"), ("388", "家"), ("41", "个")],
    ),
]

FURNITURE = [
    "无码",
    "午夜",
    "抄表机",
    "关键词",
    "立即注册",
    "找回密码",
    "回帖",
    "Discuz",
    "ICP",
    "Copyright",
    "责编",
    "责任编辑",
    "中工网客户端",
    "扫码关注",
    "举报电话",
    "Rank:",
    "GMT+8",
]


@needs_seeds
@pytest.mark.parametrize("prefix, region, date, publisher, figures", SEED_EXPECTATIONS, ids=[s[0] for s in SEED_EXPECTATIONS])
def test_seed_article_becomes_a_valid_draft(data, prefix, region, date, publisher, figures):
    result = run(str(seed(prefix)), "--data", str(data))
    assert result.returncode == 0, result.stderr.decode()
    written = list((data / "practices").glob("*.yaml"))
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../generator/schema/practice.schema.json\n")
    record = yaml.safe_load(text)
    assert record["id"] == written[0].stem
    assert record["region"] == region
    assert str(record["date"]) == date and str(record["sources"][0]["date"]) == date
    assert record["sources"][0]["publisher"] == publisher
    assert record["status"] == "draft"
    got = {(m["value"], m["unit"]) for m in record["metrics"]}
    assert [f for f in figures if f not in got] == []
    for word in FURNITURE:
        assert word not in text, f"page furniture '{word}' survived into the record"
    # The draft passes check: ids, region code and theme ids all resolve.
    _, problems = build.check(data)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert b"found region" in result.stderr


@needs_seeds
def test_traditional_title_is_simplified_but_the_source_keeps_it(data):
    draft = build_draft(seed("000").read_bytes(), "000.txt", data).draft
    assert "畅通晋升通道" in draft.title and "產業工人" not in draft.title
    assert draft.source_title.startswith("暢通晉升通道")
    assert "金華婺城打造高技能高素質產業工人隊伍" in draft.source_title
    assert draft.author == "周垚"


@needs_seeds
@pytest.mark.parametrize("prefix, author", [("001", "王黎奎"), ("003", "蒋超、漏鑫瑞、贾礼洲")])
def test_author_from_byline_or_closing_name(data, prefix, author):
    assert build_draft(seed(prefix).read_bytes(), "a.txt", data).draft.author == author


@needs_seeds
def test_policies_keep_documents_and_skip_newspapers(data):
    titles = [p.title for p in build_draft(seed("002").read_bytes(), "a.txt", data).draft.policies]
    assert "2021年建湖产业工人队伍建设改革工作要点" in titles
    assert "工人日报" not in titles and "建湖日报" not in titles
    titles = [p.title for p in build_draft(seed("001").read_bytes(), "a.txt", data).draft.policies]
    assert "金昌市人才项目管理办法" in titles and len(titles) == 6


@needs_seeds
def test_stdin_works(data):
    result = run("-", "--data", str(data), "--out", str(data / "practices" / "from-stdin.yaml"), stdin=seed("001").read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    record = yaml.safe_load((data / "practices" / "from-stdin.yaml").read_text(encoding="utf-8"))
    assert record["id"] == "from-stdin" and record["region"] == "620300"


@needs_seeds
def test_never_overwrites(data):
    out = data / "practices" / "taken.yaml"
    out.parent.mkdir(parents=True)
    out.write_text("# an editor's file\n", encoding="utf-8")
    result = run(str(seed("000")), "--data", str(data), "--out", str(out))
    assert result.returncode != 0
    assert b"already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "# an editor's file\n"
    # Without --out a second import of the same article gets a new id instead of replacing the first.
    assert run(str(seed("000")), "--data", str(data)).returncode == 0
    assert run(str(seed("000")), "--data", str(data)).returncode == 0
    assert len(list((data / "practices").glob("wucheng-2021-*.yaml"))) == 2


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>建湖县开展职工技能大赛 - 某某网</title>
<style>.nav{color:red} body{font-size:12px}</style>
<script>var ads = "无码 午夜 在线观看"; document.write("<p>广告</p>");</script>
<link rel="canonical" href="https://news.example.cn/2023/05/06/123.html"></head>
<body><nav><a href="/">首页</a> &gt; <a href="/news">新闻</a> 登录 注册</nav>
<div class="header">首页 &gt; 资讯 &gt; 正文</div>
<h1>建湖县开展职工技能大赛</h1>
<div class="info">2023年05月06日 09:12 来源：建湖日报 作者：张三</div>
<div class="content">
<p>近日，盐城市建湖县总工会举办第五届职工职业技能大赛，全县共有36家企业的1200余名职工参加比赛，设置焊工、电工等8个比赛工种。</p>
<p>建湖县总工会为获奖选手发放奖金12.5万元，其中一等奖每人奖励3000元，获奖职工占参赛职工的15%。</p>
<p>联合人社部门出台《建湖县职工技能提升三年行动方案》。</p>
</div>
<footer>版权所有 © 2023 某某网 苏ICP备12345678号 关于我们 | 联系我们</footer>
<div class="share">分享到：微信 微博</div>
</body></html>"""


def test_html_input_drops_markup_navigation_scripts_and_styles(data, tmp_path):
    article = tmp_path / "article.html"
    article.write_text(HTML, encoding="utf-8")
    result = run(str(article), "--data", str(data), "--out", str(tmp_path / "out.yaml"))
    assert result.returncode == 0, result.stderr.decode()
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert record["title"] == "建湖县开展职工技能大赛"
    assert record["region"] == "320925"
    assert str(record["date"]) == "2023-05-06"
    assert record["sources"][0]["publisher"] == "建湖日报"
    assert record["sources"][0]["url"] == "https://news.example.cn/2023/05/06/123.html"
    assert record["sources"][0]["author"] == "张三"
    got = {(m["value"], m["unit"]) for m in record["metrics"]}
    assert {("36", "家"), ("1200余", "名"), ("8", "个"), ("12.5", "万元"), ("3000", "元"), ("15", "%")} <= got
    assert [p["title"] for p in record["policies"]] == ["建湖县职工技能提升三年行动方案"]
    for word in ["无码", "document.write", "font-size", "<p>", "ICP", "分享到", "首页", "登录"]:
        assert word not in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes([0x81, 0x30, 0xFF, 0xFE]) * 64 + b"\x01\x02\x03" * 50, "binary"),
    ],
)
def test_empty_and_binary_input_are_rejected(data, tmp_path, content, message):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    result = run(str(article), "--data", str(data))
    assert result.returncode != 0
    assert message in result.stderr.decode()
    assert not (data / "practices").exists()


def test_article_without_a_date_is_rejected(data, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("建湖县推进产改\n\n近年来，盐城市建湖县总工会组织职工技能培训68期，培训职工31245人。\n", encoding="utf-8")
    result = run(str(article), "--data", str(data))
    assert result.returncode != 0
    assert "no recognisable publication date" in result.stderr.decode()


def test_article_without_a_region_is_rejected(data, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "某单位推进产改\n2023-05-06 来源：某某网\n\n近年来，该单位组织职工技能培训68期，培训职工31245人，"
        "建成技能大师工作室5个。\n",
        encoding="utf-8",
    )
    result = run(str(article), "--data", str(data))
    assert result.returncode != 0
    assert "no region found" in result.stderr.decode()


def test_missing_article_file(data, tmp_path):
    result = run(str(tmp_path / "nope.txt"), "--data", str(data))
    assert result.returncode != 0 and b"no such file" in result.stderr


# --- the parts, on small made-up text -----------------------------------------------------------


def test_region_prefers_the_most_mentioned_specific_place_and_uses_parents_for_homonyms(data):
    gazetteer = Gazetteer(load_places(data))
    # 霞浦 is a county in Fujian and a street of 北仑区: 北仑 decides; 通道 here is a word, not a county.
    choice = gazetteer.choose("北仑区总工会推进产改。北仑各街道畅通晋升通道，霞浦街道入选示范。北仑企业技能通道拓宽。")
    assert choice.code == "330206"
    # A city named often with one of its counties named once stays the city.
    choice = gazetteer.choose("金昌市推进产改。金昌市总工会在永昌县开展试点。金昌全市建成驿站75家，金昌工匠32人。")
    assert choice.code == "620300"
    # A county named more often than its city is the county.
    choice = gazetteer.choose("盐城市建湖县推进产改。建湖县总工会……建湖工匠……建湖成功召开现场会。")
    assert choice.code == "320925"
    assert gazetteer.choose("晋升通道和校企合作都很重要。").code is None


@pytest.mark.parametrize(
    "sentence, figure",
    [
        ("去年以来，婺城区新增高技能人才1185人。", ("新增高技能人才", "1185", "人")),
        ("全年发放技能提升补贴资金1338余万元。", ("全年发放技能提升补贴资金", "1338余", "万元")),
        ("全区技能人才已有29.79万人。", ("技能人才", "29.79", "万人")),
        ("培养新型学徒3100余名。", ("培养新型学徒", "3100余", "名")),
        ("给予企业每人每年4000-6000元的职业培训补贴。", ("给予企业每人每年", "4000-6000", "元")),
        ("产业工人占比达70%。", ("产业工人占比", "70", "%")),
        ("200多家企业的2万多名职工参与竞赛。", ("企业", "200多", "家")),
    ],
)
def test_figure_with_unit_and_indicator(sentence, figure):
    found = [(f.indicator, f.value, f.unit) for f in extract_figures([sentence], region_names=("婺城区", "婺城"))]
    assert figure in found


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年04月08日14:42 来源：某某网",
        "4月7日，第三批试点名单出炉。",
        "第9名选手来自2022年的比赛。",
        "3D打印和5G技术",
        "出台《2021年建湖产业工人队伍建设改革工作要点》。",
        "实施“2+4”工程。",
    ],
)
def test_dates_years_ordinals_and_titles_are_not_figures(sentence):
    assert extract_figures([sentence]) == []


def test_duration_years_are_figures_but_calendar_years_are_not():
    found = [(f.value, f.unit) for f in extract_figures(["连续2年举办班组长成长训练营，2022年举办116场。"])]
    assert ("2", "年") in found and ("116", "场") in found and not any(v == "2022" for v, _ in found)


def test_policies_skip_media_and_works():
    policies, skipped = extract_policies(
        ["被《工人日报》专题推介，拍摄《致敬劳动者》微视频，出台《关于深化产业工人队伍建设改革的意见》。"]
    )
    assert [p.title for p in policies] == ["关于深化产业工人队伍建设改革的意见"]
    assert skipped == ["工人日报", "致敬劳动者"]


def test_article_error_is_raised_for_no_date(data):
    with pytest.raises(ArticleError, match="date"):
        build_draft("某县推进产改\n北仑区总工会组织培训68期。".encode(), "a.txt", data)


def _hand_figures(date: str) -> set[tuple[str, str]]:
    """(value, unit) of every metric in the hand-written records that cite an article of that date."""
    out = set()
    for path in sorted((REPO / "data" / "practices").glob("*.yaml")) + sorted((REPO / "data" / "cases").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if any(str(s.get("date")) == date for s in record.get("sources", [])):
            out |= {(str(m["value"]), str(m.get("unit", ""))) for m in record.get("metrics", [])}
    return out


@needs_seeds
@pytest.mark.parametrize("prefix, date", [(s[0], s[2]) for s in SEED_EXPECTATIONS], ids=[s[0] for s in SEED_EXPECTATIONS])
def test_recall_of_the_hand_written_figures(data, prefix, date, capsys):
    wanted = _hand_figures(date)
    if not wanted:
        pytest.skip("no hand-written record cites this article")
    got = {(f.value, f.unit) for f in build_draft(seed(prefix).read_bytes(), "a.txt", data).draft.metrics}
    joined = {v + u for v, u in got}
    exact = len(wanted & got) / len(wanted)
    same = sum(v + u in joined for v, u in wanted) / len(wanted)  # 12万+人 and 12+万人 are the same quantity
    with capsys.disabled():
        print(f"\nseed {prefix}: {len(wanted)} hand-written figures, recall {exact:.0%} exact, {same:.0%} same quantity")
    assert exact >= 0.85 and same >= 0.9
