"""`python -m generator new`: a commented skeleton record for editors to fill.

The skeleton lists every field of the model with a Chinese comment and an
example above it. Fields only the editor can know (summary or narrative, the
source's publisher and date) are left empty, so `python -m generator check`
names each of them until it is filled; everything else is already valid.

Also holds the helpers the article importer shares: reading the gazetteer,
making ids from region names, and writing a new file atomically without ever
replacing an existing one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml

from ..model.link import ancestry
from ..model.load import load_regions
from ..model.records import Region
from ..sources.pinyin import Reader

SCHEMA_LINE = "# yaml-language-server: $schema=../../generator/model/schema/{kind}.schema.json"
FOLDERS = {"practice": "practices", "case": "cases"}

# Suffixes of official names, longest first; what is left is the short form used in text (婺城区 → 婺城).
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "林区",
    "特区",
    "地区",
    "街道",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "镇",
    "乡",
)
_ETHNIC = re.compile(
    r"(?:各族|汉族|蒙古族|回族|藏族|维吾尔族|苗族|彝族|壮族|布依族|朝鲜族|满族|侗族|瑶族|白族|土家族|哈尼族|哈萨克族|"
    r"傣族|黎族|傈僳族|佤族|畲族|高山族|拉祜族|水族|东乡族|纳西族|景颇族|柯尔克孜族|土族|达斡尔族|仫佬族|羌族|"
    r"布朗族|撒拉族|毛南族|仡佬族|锡伯族|阿昌族|普米族|塔吉克族|怒族|乌孜别克族|俄罗斯族|鄂温克族|德昂族|保安族|"
    r"裕固族|京族|塔塔尔族|独龙族|鄂伦春族|赫哲族|门巴族|珞巴族|基诺族)+$"
)


class ScaffoldError(Exception):
    """A problem the user must fix; the message says which and how."""


def short_name(name: str) -> str:
    """The form used in running text: 婺城区 → 婺城, 延边朝鲜族自治州 → 延边; never shorter than 2 characters."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = _ETHNIC.sub("", name[: -len(suffix)])
            return stem if len(stem) >= 2 else name
    return name


def load_places(data: Path) -> dict[str, Region]:
    """Every valid region of the gazetteer by code (invalid entries are check's business)."""
    regions, _ = load_regions(data)
    return {item.record.code: item.record for item in regions}


def chain(places: Mapping[str, Region], code: str) -> list[Region]:
    """The region and its ancestors, province first."""
    return ancestry(places, code)


def _ascii_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def region_slug(place: Region) -> str:
    """ASCII pinyin of the short name: 婺城区 (wu4 cheng2 qu1) → wucheng."""
    syllables = place.pinyin.split()
    keep = len(short_name(place.name)) if len(syllables) == len(place.name) else len(syllables)
    letters = "".join(re.sub(r"[^a-z]", "", s.replace("v", "u")) for s in syllables[:keep])
    if letters:
        return letters
    reader = Reader({})
    return (
        "".join(s.letters.replace("v", "u") for s in reader.syllables(short_name(place.name)) if s.letters.isascii()) or "region"
    )


def title_initials(title: str, places: dict[str, Region] | None = None, size: int = 6) -> str:
    """Initials of the first Han characters of a title (畅通晋升通道 → ctjstd), region names left out."""
    text = re.sub(r"[^\u4e00-\u9fff]", "", title)
    for place in sorted((places or {}).values(), key=lambda p: -len(p.name)):
        if len(place.name) >= 2 and place.name in text:
            text = text.replace(place.name, "")
    for place in (places or {}).values():
        if len(short_name(place.name)) >= 2 and short_name(place.name) in text:
            text = text.replace(short_name(place.name), "")
    letters = [s.letters[0] for s in Reader({}).syllables(text[: size * 2]) if s.letters[:1].isalpha()]
    return "".join(letters[:size])


def make_slug(*parts: str) -> str:
    words = [w for part in parts for w in _ascii_words(part)]
    slug = "-".join(words)[:80].strip("-")
    return slug or "record"


def free_path(folder: Path, slug: str) -> Path:
    """folder/slug.yaml, or slug-2, slug-3… when taken (only for ids the program chose itself)."""
    path = folder / f"{slug}.yaml"
    n = 2
    while path.exists():
        path = folder / f"{slug}-{n}.yaml"
        n += 1
    return path


def write_new(path: Path, text: str) -> None:
    """Write text to path atomically; refuse (ScaffoldError) if path already exists, even if it appears meanwhile."""
    if path.exists():
        raise ScaffoldError(f"{path} already exists; not overwriting it (choose another --id or --out)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            os.link(tmp, path)  # atomic and never replaces: fails if path exists
        except FileExistsError:
            raise ScaffoldError(f"{path} already exists; not overwriting it (choose another --id or --out)") from None
        except OSError:
            if path.exists():
                raise ScaffoldError(f"{path} already exists; not overwriting it") from None
            os.replace(tmp, path)  # file systems without hard links
    finally:
        Path(tmp).unlink(missing_ok=True)


def yaml_value(value) -> str:
    """One scalar as YAML text, quoted when needed (region codes stay strings)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    return text.removesuffix("\n").removesuffix("\n...").strip()


# --- the skeleton ---------------------------------------------------------------------------------

_COMMON_TOP = """\
{schema}
# 新建的{what}草稿。每个字段上方的注释说明写法并给出示例；填好后运行 python -m generator check。
# 留空的必填项（{required}）会被 check 逐条报错，填好后才能通过。

# 记录编号：小写英文字母、数字和单个连字符，必须与文件名（不含 .yaml）相同。例：wucheng-2021-skilled-workforce
id: {id}
# 标题：用简体中文、用自己的话概括。例：婺城区畅通晋升通道、保障工人权益，打造高技能产业工人队伍
title: {title}
"""

_REGION = """\
# 地区代码：GB/T 2260 六位代码（县级以上）或九位代码（乡镇街道），见 data/regions/。本记录：{chain}
region: {region}
"""

_DATE = """\
# 日期：所述事实的日期，通常就是来源文章的发布日期，写作 YYYY-MM-DD。例：2021-04-08
date:
"""

_THEMES = """\
# 主题：data/themes.yaml 中的 id，可写多个。例：
#   - skills-training
#   - care-assistance
themes: []
"""

_METRICS = """\
# 数据：来源中的每一个数字，一条一项。value 照原文写（可带“余”“多”“万”），unit 写原文的单位，
# year 写数字所指的年份（原文有才写），note 写读懂数字所需的说明（可省略）。例：
#   - indicator: 新增高技能人才
#     value: "1185"
#     unit: 人
#     year: 2020
metrics: []
"""

_SOURCES = """\
# 来源：至少一篇。title 照原文（繁体就保留繁体），publisher 为发布媒体或单位，date 为发布日期，
# url 为文章地址（没有就删去这一行），author 为作者或记者（没有就删去这一行）。例：
#   - title: 甘肃金昌:“五项赋能”产业工人队伍建设“提速蝶变”
#     publisher: 中工网
#     date: 2024-11-05
#     url: https://www.example.cn/article.html
#     author: 王黎奎
sources:
  - title: ""
    publisher: ""
    date:
    url:
    author:
"""

_TAGS_STATUS = """\
# 标签：自由关键词，不可重复。例：[高技能人才, 工情代办站]
tags: []
# 状态：draft（草稿）、reviewed（已审）或 published（已发布）。新建记录一律为 draft。
status: draft
"""

_PRACTICE = """\
# 概述：几句话说明该地做了什么、取得了什么成效，用自己的话写，不要照抄原文。
# 例：2020年起，金华市婺城区……2020年全区新增高技能人才1185人。
summary: ""
# 举措：每条一个小标题（title）和一段说明（text，用自己的话写）。例：
#   - title: 以培训、比赛和评价拓宽从“工”到“匠”的晋升通道
#     text: 区里从加强技能人才培训……
measures: []
# 政策文件：原文《》中的文件名（不含书名号），issuer 为发文单位、year 为年份（知道才写）。例：
#   - title: 关于深化产业工人队伍建设改革的意见
#     issuer: 中共中央 国务院
policies: []
# 案例：说明这一做法的案例记录 id（data/cases/ 中的文件名）。例：[wucheng-zhengfang-summer-childcare]
cases: []
"""

_CASE = """\
# 类型：programme（项目）、workshop（工作室）、team（班组/团队）、person（人物）或 station（站点）。
kind: {kind}
# 所在单位：案例发生的企业或机构全称。例：浙江正方控股集团有限公司
organization: ""
# 叙述：案例经过和成效，用自己的话写，空行分段。
narrative: ""
# 所属做法：本案例说明的做法记录 id（data/practices/ 中的文件名）。例：[wucheng-2021-skilled-workforce]
practices: []
"""


def skeleton(kind: str, record_id: str, title: str, place_chain: list[Region], case_kind: str = "programme") -> str:
    """The commented skeleton text; loadable YAML whose empty required fields fail check until filled."""
    region = place_chain[-1]
    required = (
        "summary、sources 的 title/publisher/date、date"
        if kind == "practice"
        else "organization、narrative、sources 的 title/publisher/date、date"
    )
    parts = [
        _COMMON_TOP.format(
            schema=SCHEMA_LINE.format(kind=kind),
            what="经验做法" if kind == "practice" else "案例",
            required=required,
            id=record_id,
            title=yaml_value(title),
        ),
        _REGION.format(chain=" ".join(p.name for p in place_chain), region=yaml_value(region.code)),
        _DATE,
    ]
    if kind == "case":
        parts.append(_CASE.format(kind=case_kind))
    parts += [_THEMES]
    if kind == "practice":
        parts.append(_PRACTICE)
    parts += [_METRICS, _SOURCES, _TAGS_STATUS]
    return "".join(parts)


def new_record(
    kind: str, data: Path, region_code: str, title: str, record_id: str | None = None, today: dt.date | None = None
) -> Path:
    """Write data/<kind>s/<id>.yaml; return its path. ScaffoldError for an unknown region, a bad id or an existing file."""
    if kind not in FOLDERS:
        raise ScaffoldError(f"unknown record kind '{kind}': use practice or case")
    title = title.strip()
    if not title:
        raise ScaffoldError("--title is empty: give the record a title in Simplified Chinese")
    if len(title) > 200:
        raise ScaffoldError("--title is longer than 200 characters")
    places = load_places(data)
    if not places:
        raise ScaffoldError(f"no gazetteer found in {data} (data/regions/*.yaml or regions.yaml): cannot check --region")
    code = str(region_code).strip()
    if code not in places:
        raise ScaffoldError(f"unknown region code '{code}': no region with that code in {data / 'regions'}")
    folder = data / FOLDERS[kind]
    if record_id is None:
        year = str((today or dt.date.today()).year)
        base = make_slug(region_slug(places[code]), year, title_initials(title, {p.code: p for p in chain(places, code)}))
        path = free_path(folder, base)
        record_id = path.stem
    else:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", record_id) or len(record_id) > 80:
            raise ScaffoldError(f"'{record_id}' is not a valid id: use lowercase ASCII letters, digits and single hyphens")
        path = folder / f"{record_id}.yaml"
    text = skeleton(kind, record_id, title, chain(places, code))
    yaml.safe_load(text)  # the skeleton must always be loadable YAML
    write_new(path, text)
    return path
