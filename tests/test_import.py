"""`python -m generator import ARTICLE`: a draft practice record from a raw article.

The five seed articles sit beside the repository in ../shared/seeds/. For each
one the importer must find the region, date and publisher the editors found,
recover the figures with their units, and leave none of the page's navigation,
adverts or spam in the record.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from repo_paths import REPO

from generator.engine import build
from generator.tools.importer import ArticleError, build_draft
from generator.tools.importer.fields import date_in_url
from generator.tools.importer.figures import extract_figures, extract_policies
from generator.tools.importer.regions import Gazetteer
from generator.tools.scaffold import load_places

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
    assert text.startswith("# yaml-language-server: $schema=../../generator/model/schema/practice.schema.json\n")
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
    # Without --out a second import of the same article is refused as a duplicate; forced, it gets a new id
    # instead of replacing the first.
    assert run(str(seed("000")), "--data", str(data)).returncode == 0
    assert run(str(seed("000")), "--data", str(data)).returncode == 1
    assert run(str(seed("000")), "--data", str(data), "--force").returncode == 0
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
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a picture (PNG)"),
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


def test_article_without_a_date_or_region_is_drafted_with_placeholders_that_check_reports(data, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "某单位推进产改\n\n近日，该单位组织职工技能培训68期，培训职工31245人，建成技能大师工作室5个。\n", encoding="utf-8"
    )
    result = run(str(article), "--data", str(data))
    assert result.returncode == 0, result.stderr.decode()
    stderr = result.stderr.decode()
    assert "left to fill: 发布日期（date、sources[0].date）" in stderr
    assert "left to fill: 地区代码（region）" in stderr
    (path,) = (data / "practices").glob("*.yaml")
    assert path.name == "region-undated-mdwtjc.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "region: 待填：地区代码（见 data/regions/）" in lines
    assert "date: 待填：发布日期（YYYY-MM-DD）" in lines
    figures = {(m["value"], m["unit"]) for m in yaml.safe_load("\n".join(lines))["metrics"]}
    assert figures == {("68", "期"), ("31245", "人"), ("5", "个")}  # nothing found is thrown away
    _, problems = build.check(data)
    shown = [str(p).split("practices/")[-1] for p in problems if p.severity == "error"]
    assert shown == [
        f"region-undated-mdwtjc.yaml:{lines.index('region: 待填：地区代码（见 data/regions/）') + 1}:9: region: fill in the "
        "region code (GB/T 2260, see data/regions/); the importer could not find it in the article",
        f"region-undated-mdwtjc.yaml:{lines.index('date: 待填：发布日期（YYYY-MM-DD）') + 1}:7: date: fill in the "
        "publication date (YYYY-MM-DD); the importer could not find it in the article",
        f"region-undated-mdwtjc.yaml:{len(lines) - 3}:14: sources[0].publisher: fill in this field (发布单位); "
        "the importer could not find it in the article",
        f"region-undated-mdwtjc.yaml:{len(lines) - 2}:9: sources[0].date: fill in the publication date (YYYY-MM-DD); "
        "the importer could not find it in the article",
    ]


@pytest.mark.parametrize("content", [b"hello, this page has no Chinese at all", b"<html><body><p>2024-01-03</p></body></html>"])
def test_a_page_without_chinese_text_is_refused(data, content):
    with pytest.raises(ArticleError, match="no Chinese text"):
        build_draft(content, "a.html", data)


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


# --- articles the importer was not developed on ---------------------------------------------------
# tests/fixtures/articles/ holds short articles written for these tests, each in the shape of a kind of
# page editors receive: e-paper chrome, portal breadcrumbs and share bars, no date, a date only in the
# URL, Traditional script with spam, province-wide round-ups, a county named less often than its city,
# development zones, same-named places, approximate figures, a GBK page signed with a Chinese-numeral
# date, a public-account post, a forum thread, full-width digits.

ARTICLES = REPO / "tests" / "fixtures" / "articles"

# file, --url, region, date, where the date came from, title, publisher, author, figures, left to fill, region note
CORPUS = [
    (
        "01-epaper-header.html", None, "430202", "2024-03-15", "e-paper header", "荷塘区“技能夜校”开到园区门口",
        "株洲日报", "罗敏、谭小雨", {("23", "门"), ("1800余", "人次"), ("460", "人"), ("600", "元"), ("5", "个")}, [], None,
    ),
    (
        "02-epaper-no-date.html", "https://epaper.example.cn/html/2024-05/09/content_31722.htm", "440606", "2024-05-09",
        "URL", "顺德区建起“家电工匠学院”", "工人日报", "何嘉怡", {("12", "个"), ("近700", "名"), ("5", "万元")}, [], None,
    ),
    (
        "03-portal-breadcrumbs.html", None, "350582", "2024-06-12", "dateline", "晋江市总工会推行“技能积分”激励一线职工",
        "泉州市总工会", None, {("逾120", "家"), ("3.6", "万人"), ("286", "万元")}, [], None,
    ),
    (
        "04-no-date.txt", None, "320115", None, None, "江宁区总工会为新就业形态劳动者办专场培训", "江宁工会", None,
        {("120多", "名"), ("近40", "个"), ("15", "个")}, ["发布日期"], None,
    ),
    (
        "05-url-date-only.txt", "https://www.example.gov.cn/art/2024/7/18/art_1229_5561.html", "330282", "2024-07-18", "URL",
        "慈溪市推出“家门口”技能评价", "慈溪市人力资源和社会保障局", None, {("9", "个"), ("4200余", "名"), ("1350", "人")}, [], None,
    ),
    (
        "06-traditional-spam.txt", None, "330212", "2024-10-08", "dateline", "鄞州区「产改」激活企业创新一池春水",
        "宁波工人报", "陈思远", {("86", "家"), ("28", "家"), ("超3000", "条"), ("1.2", "亿元"), ("2", "万元")}, [], None,
    ),
    (
        "07-province-roundup.txt", None, "330000", "2024-11-20", "dateline", "浙江：产改向纵深推进 各地亮点纷呈",
        "浙江工人日报", None, {("120余", "家"), ("5.2万", "人次"), ("近500", "家"), ("64", "场"), ("73", "家")}, [], None,
    ),
    (
        "08-county-less-named.txt", None, "330603", "2024-05-27", "dateline", "柯桥区总工会助力打造纺织产业技能高地",
        "绍兴日报", None, {("2000", "名"), ("10", "家"), ("180", "人")}, [], None,
    ),
    (
        "09-dev-zone.txt", "https://www.example.gov.cn/xwdt/202408/t20240821_1234567.html", "340100", "2024-08-21",
        "dateline", "合肥高新区：“工匠培育计划”为企业蓄能", "合肥高新区工会", None, {("1.5", "万人"), ("30", "名"), ("1", "万元")}, [],
        "原文的“合肥高新区”不是 GB/T 2260 中的行政区划，归入包含它的合肥市",
    ),
    (
        "10-new-area.txt", None, "330200", "2024-04-02", "dateline", "宁波杭州湾新区产业工人技能提升行动成效明显", "宁波日报",
        "孙立", {("2.8万", "人次"), ("3", "个"), ("35", "%")}, [],
        "原文的“宁波杭州湾新区”不是 GB/T 2260 中的行政区划，归入包含它的宁波市",
    ),
    (
        "11-same-name-beijing.txt", None, "110105", "2024-09-03", "dateline", "朝阳区总工会打造“职工技能加油站”", "北京工会网",
        None, {("46", "个"), ("9.3万", "人次")}, [], None,
    ),
    (
        "12-same-name-liaoning.txt", None, "211300", "2024-12-05", "dateline", "辽宁朝阳：劳模工匠进企业 传技带徒见实效",
        "朝阳日报", None, {("1100多", "对"), ("32", "家"), ("260余", "项")}, [], None,
    ),
    (
        "13-same-name-fuzhou.txt", None, "350102", "2024-07-09", "dateline", "鼓楼区：“工会+楼宇”让白领技能有处学", "福州晚报",
        None, {("2600余", "名"), ("18", "个")}, [], None,
    ),
    (
        "14-same-name-unsure.txt", None, None, "2024-10-16", "dateline", "鼓楼区总工会开展职工技能比武", "鼓楼工会", None,
        {("3", "个"), ("210", "名"), ("9", "名")}, ["地区代码"],
        "原文的“鼓楼区”可能是江苏省 南京市 鼓楼区、江苏省 徐州市 鼓楼区、福建省 福州市 鼓楼区、河南省 开封市 鼓楼区，"
        "原文没有点明所属的省市，请核对后填写地区代码",
    ),
    (
        "15-figures.txt", None, "430200", "2025-01-06", "dateline", "株洲市产业工人队伍建设改革交出亮眼成绩单", "株洲日报", "谢芳",
        {("逾8万", "人次"), ("近3000", "人"), ("32.5", "%"), ("超600", "家"), ("1.6", "亿元"), ("12万余", "人")}, [], None,
    ),
    (
        "16-gbk-notice.html", None, "440606", "2024-09-20", "text", "顺德区开展产业工人技能提升专项行动",
        "佛山市顺德区人力资源和社会保障局", None, {("3万", "人次"), ("2000", "元")}, [], None,
    ),
    # Written after the importer was tuned on the sixteen above, and first run blind (see the closing note).
    (
        "17-county-portal-share.html", None, "371722", "2024-11-08", "dateline", "单县总工会：“订单式”培训让农民工变技术工人",
        "单县总工会", "刘洋", {("26", "期"), ("1600余", "人"), ("300", "个"), ("500", "元")}, [], None,
    ),
    (
        "18-province-we.txt", None, "320000", "2024-12-18", "dateline", "我省产业工人技能提升行动取得新进展", "新华日报", None,
        {("1.8万", "场"), ("300万", "人次"), ("4.6", "万人"), ("1200多", "家")}, [], None,
    ),
    (
        "19-wechat-zone.txt", None, "320500", "2024-10-11", "dateline", "苏州工业园区总工会打造“技能人才成长驿站”", "苏州工会",
        None, {("8", "个"), ("6500余", "人次"), ("40", "场")}, [],
        "原文的“苏州工业园区”不是 GB/T 2260 中的行政区划，归入包含它的苏州市",
    ),
    (
        "20-url-county.txt", "https://www.example.gov.cn/gzdt/202406/t20240617_998877.html", "360703", "2024-06-17", "URL",
        "南康家具产业工人“技能+学历”双提升", None, None, {("420", "人"), ("2.3万", "名")}, ["发布单位"], None,
    ),
    (
        "21-traditional-forum.txt", None, "341524", "2024-08-30", "dateline", "金寨县：红色沃土育工匠", None, None,
        {("136", "名"), ("12", "个"), ("210", "项"), ("200", "万元")}, ["发布单位"], None,
    ),
    (
        "22-epaper-zone.html", None, "610100", "2024-09-26", "e-paper header", "西安高新区“首席技师”制度激活一池春水",
        "陕西工人报", "张晓峰", {("56", "人"), ("2000", "元"), ("480余", "名"), ("90多", "项")}, [],
        "原文的“西安高新区”不是 GB/T 2260 中的行政区划，归入包含它的西安市",
    ),
    (
        "23-same-name-xinhua.txt", None, "130902", "2024-05-14", "dateline", "新华区总工会推进“产改”进非公企业", "沧州日报", None,
        {("37", "家"), ("11", "场"), ("900余", "名")}, [], None,
    ),
    (
        "24-figures-more.txt", None, "430112", "2024-07-22", "dateline", "长沙市望城区：技能人才占比提高到45.6%", "长沙晚报", "周琳",
        {("8.7", "万人"), ("近1.2万", "名"), ("45.6", "%"), ("12.3", "个百分点"), ("3000多", "万元"), ("21", "家")}, [], None,
    ),
    # A second set, also written after tuning and first run blind.
    (
        "25-date-label.txt", None, "330782", "2024-12-31", "dateline", "义乌市总工会：“技能护照”跟着职工走", "金华日报", None,
        {("210", "家"), ("1.4万", "名")}, [], None,
    ),
    (
        "26-url-epaper-guangming.html", "https://news.example.cn/gmrb/html/2025-01/03/nw.D110000gmrb_20250103_2-06.htm",
        "410300", "2025-01-03", "URL", "洛阳：“大国工匠”进车间", "光明日报", "冯俊", {("45", "家"), ("8600", "人次")}, [], None,
    ),
    (
        "27-tongzhou-nantong.txt", None, "320612", "2024-10-29", "dateline", "通州区：家纺产业工人有了“成长阶梯”", "南通日报",
        None, {("28", "家"), ("1900多", "名"), ("约600", "元")}, [], None,
    ),
    (
        "28-fullwidth-traditional.txt", None, "441900", "2024-12-02", "dateline", "东莞市总工会推出「技能提升券」", "东莞日报",
        None, {("500", "元"), ("3.2万", "张"), ("2.8", "万人")}, [], None,
    ),
    (
        "29-roundup-city.txt", None, "510100", "2024-08-08", "dateline", "成都市：区（市）县各展所长推进产改", "成都日报", None,
        {("32", "场"), ("15", "家"), ("1.1万", "人次"), ("120", "家")}, [], None,
    ),
    (
        "30-no-date-no-source.html", None, "330784", None, None, "永康市五金产业工人技能大赛开赛", None, None,
        {("6", "个"), ("300余", "名")}, ["发布日期", "发布单位"], None,
    ),
]  # fmt: skip
FIELDS = ("region", "date", "date from", "title", "publisher", "author", "figures", "left to fill", "region note")


@pytest.fixture(scope="module")
def corpus_drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every corpus article drafted once, as the fields of FIELDS (drafts are not written anywhere)."""
    data = tmp_path_factory.mktemp("corpus") / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", data / "themes.yaml")
    shutil.copytree(REPO / "data" / "regions", data / "regions")
    out = {}
    for file, url, *_ in CORPUS:
        result = build_draft((ARTICLES / file).read_bytes(), file, data, url)
        d = result.draft
        out[file] = (
            d.region,
            d.date.isoformat() if d.date else None,
            result.date_origin or None,
            d.title,
            d.publisher,
            d.author,
            {(m.value, m.unit) for m in d.metrics},
            [item.split("（")[0] for item in result.to_fill],
            "；".join(d.region_notes) or None,
        )
    return out


@pytest.mark.parametrize("row", CORPUS, ids=[row[0].split(".")[0] for row in CORPUS])
def test_an_unseen_article_is_drafted_with_every_field_right_or_left_to_fill(corpus_drafts, row):
    file, _url, *expected = row
    assert dict(zip(FIELDS, corpus_drafts[file], strict=True)) == dict(zip(FIELDS, expected, strict=True))


def test_per_field_accuracy_on_the_unseen_articles(corpus_drafts, capsys):
    right = dict.fromkeys(FIELDS, 0)
    for file, _url, *expected in CORPUS:
        for name, got, want in zip(FIELDS, corpus_drafts[file], expected, strict=True):
            right[name] += got == want
    with capsys.disabled():
        print("\nunseen articles, fields right: " + ", ".join(f"{k} {v}/{len(CORPUS)}" for k, v in right.items()))
    assert all(v == len(CORPUS) for v in right.values())


def test_a_folder_is_drafted_file_by_file_with_a_table_and_never_overwrites(data):
    result = run(str(ARTICLES), "--data", str(data))
    assert result.returncode == 0, result.stderr.decode()
    table = result.stdout.decode().splitlines()
    assert table[0].split() == ["file", "id", "region", "date", "(from)", "figures", "left", "to", "fill"]
    assert len(table) == 1 + len(CORPUS) + 1 and table[-1].startswith(f"{len(CORPUS)} of {len(CORPUS)} article(s) drafted")
    rows = {line.split()[0].rsplit("/", 1)[-1]: line for line in table[1:-1]}
    assert rows["07-province-roundup.txt"].split()[1:] == [
        "zhejiang-2024-cgxzst",
        "330000",
        "浙江省",
        "2024-11-20",
        "(dateline)",
        "5",
        "-",
    ]
    assert rows["04-no-date.txt"].split()[1:] == ["jiangning-undated-zghwxj", "320115", "江宁区", "（待填）", "3", "发布日期"]
    assert rows["14-same-name-unsure.txt"].split()[1:] == [
        "region-2024-glqzgh",
        "（待填）",
        "2024-10-16",
        "(dateline)",
        "3",
        "地区代码",
    ]
    written = sorted(p.name for p in (data / "practices").glob("*.yaml"))
    assert len(written) == len(CORPUS)
    # Every error check finds is a placeholder the table listed.
    _, problems = build.check(data)
    assert {p.message.split(";")[0] for p in problems if p.severity == "error"} == {
        "fill in the publication date (YYYY-MM-DD)",
        "fill in the region code (GB/T 2260, see data/regions/)",
        "fill in this field (发布单位)",
    }
    again = run(str(ARTICLES / "07-province-roundup.txt"), str(ARTICLES / "04-no-date.txt"), "--data", str(data), "--force")
    assert again.returncode == 0
    assert "zhejiang-2024-cgxzst-2" in again.stdout.decode()
    assert len(list((data / "practices").glob("*.yaml"))) == len(CORPUS) + 2


def test_a_batch_reports_what_it_could_not_draft_and_exits_non_zero(data, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run(str(ARTICLES / "03-portal-breadcrumbs.html"), str(tmp_path / "empty.txt"), "--data", str(data))
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "not drafted" in out and "the article is empty" in out
    assert out.splitlines()[-1].startswith("1 of 2 article(s) drafted")


@pytest.mark.parametrize(
    "url, date",
    [
        ("https://epaper.example.cn/html/2025-01/03/content_1.htm", dt.date(2025, 1, 3)),
        ("http://www.example.gov.cn/xwdt/202501/t20250103_4567.html", dt.date(2025, 1, 3)),
        ("https://www.example.cn/art/2025/1/3/art_12_345.html", dt.date(2025, 1, 3)),
        ("https://news.example.cn/2025/0103/c1234-5678.html", dt.date(2025, 1, 3)),
        ("https://news.example.cn/20250103/abc.shtml", dt.date(2025, 1, 3)),
        ("https://news.example.cn/202501/abc123.shtml", (2025, 1)),
        ("https://news.example.cn/content/12345678.html", None),
    ],
)
def test_date_in_the_url(url, date):
    assert date_in_url(url) == date


def test_the_text_dateline_wins_over_the_url_and_the_url_over_a_date_in_a_sentence(data):
    text = "某区推进产改\n2024-03-05 09:00 来源：某某网\n近日，北仑区总工会组织职工技能培训68期，培训职工31245人，成效明显。\n"
    dated = build_draft(text.encode(), "a.txt", data, "https://x.example.cn/2024-03/06/c.htm")
    assert (dated.draft.date, dated.date_origin) == (dt.date(2024, 3, 5), "dateline")
    text = "某区推进产改\n北仑区总工会2023年12月1日起组织职工技能培训68期，培训职工31245人，成效明显，得到好评。\n"
    dated = build_draft(text.encode(), "a.txt", data, "https://x.example.cn/2024-03/06/c.htm")
    assert (dated.draft.date, dated.date_origin) == (dt.date(2024, 3, 6), "URL")


@pytest.mark.parametrize(
    "title, lead, body, code",
    [
        # The county in the title acts; the body names its city more often.
        (
            "柯桥区总工会助力打造技能高地",
            "近日，绍兴市柯桥区总工会启动行动。",
            "绍兴市、绍兴市、绍兴市、绍兴市总工会。",
            "330603",
        ),
        # The lead's subject is the city; a county it works in is no subject.
        ("金昌：产改提速", "金昌市总工会在永昌县开展试点。", "永昌县、永昌县、永昌县。", "620300"),
        # A province leads, its cities follow: a round-up stays at the province.
        ("浙江：产改纵深推进", "浙江省各级工会推进产改。", "杭州市总工会、宁波市总工会、温州市总工会、湖州市总工会。", "330000"),
        # A zone outside GB/T 2260 counts for the division in front of it; 杭州 inside its name is no mention.
        ("宁波杭州湾新区总工会办培训", "", "杭州湾新区、杭州湾新区。", "330200"),
        # Same names are told apart by the province or city named nearby.
        ("朝阳区总工会办技能加油站", "北京市朝阳区总工会……", "", "110105"),
        ("朝阳区总工会办技能加油站", "长春市朝阳区总工会……", "", "220104"),
        ("辽宁朝阳：劳模进企业", "", "朝阳市总工会……", "211300"),
        ("鼓楼区：工会进楼宇", "福州市鼓楼区总工会……", "", "350102"),
        ("鼓楼区：工会进楼宇", "徐州市鼓楼区总工会……", "", "320302"),
        # Nothing tells which 鼓楼区: left to fill rather than guessed.
        ("鼓楼区总工会开展技能比武", "鼓楼区总工会日前举办比武。", "", None),
    ],
)
def test_the_region_is_the_place_that_acts(data, title, lead, body, code):
    choice = Gazetteer(load_places(data)).choose("\n".join((title, lead, body)), title, lead)
    assert choice.code == code, choice
