"""Figures with their units and the phrase they measure, and the documents cited inside 《》.

A figure is an Arabic number followed by a unit (人, 万元, %, 家 …), with the
approximations the article writes (余, 多, 近, 超) kept in the value. Numbers
without a unit, dates, clock times, years, ordinals (第3批) and numbers inside
document titles are not figures. The indicator is the clause before the number,
stripped of time words, the region doing it and linking verbs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

_UNITS = sorted(
    """
    万美元 美元 万元 亿元 千元 元
    个百分点 % ％ 倍
    人(次) 人（次） 人次 人 名 位 户
    个班次 班次 场次 期次 批次 车次 架次 课时 学时 学分 小时 个月 天
    个 家 项 场 期 份 次 件 条 所 座 处 间 张 本 篇 类 种 门 节 批 支 队 台 套 辆 艘 架 株 棵 亩 对
    公顷 平方米 平方公里 米 公里 千米 吨 千克 公斤 千瓦时 千瓦 兆瓦 岁 大项 起 笔 宗 例 单 团 组 户次 人/年 元/月 元/年 元/人
    """.split(),
    key=len,
    reverse=True,
)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_MONEY = {"元", "美元", "千元"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE = re.compile(
    r"(?<![\d.A-Za-z+#/_\-])"
    r"(?P<over>超过)?(?P<pre>[近超逾约])?"
    r"(?P<num>" + _NUMBER + r")"
    r"(?:\s*(?P<dash>[-~～—–至到])\s*(?P<num2>" + _NUMBER + r"))?"
    r"(?P<a1>余|多)?"
    r"(?P<mult>万|亿)?"
    r"(?P<a2>余|多)?"
    r"\s?(?P<unit>" + _UNIT_RE + r")?"
    r"(?P<post>以上|左右|以下|之多|上下)?"
)
_DURATION_CUE = re.compile(r"(?:连续|近|满|历时|长达|已有|用了|耗时|坚持|每|共|累计|超过|达|多)$")
_CLAUSE = re.compile(r"[，,；;。！？!?：:、\n]")
_SENTENCE = re.compile(r"[。！？!?；;\n]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")

_LEAD = re.compile(
    r"^(?:其中|同时|此外|另外|并且|并|且|而且|以及|及|和|与|还|也|都|均|已|共|总共|一共|仅|就|又|先后|截至目前|截止目前|"
    r"目前|至此|当前|现在|现已|如今|年内|近年来|近几年|近年|去年以来|今年以来|去年|今年|前年|明年|当年|同年|全年度|"
    r"自[^，]{0,8}以来|到\d{4}年底?|至\d{4}年底?|截至\d{4}年\d{0,2}月?底?|\d{4}年(?:\d{1,2}月)?(?:以来|来|底|初|末|上半年|下半年|前|内)?|"
    r"近\d+年|\d+月份?|上半年|下半年|一季度|第[一二三四]季度|"
    r"(?:全|我|该|本|各)(?:省|市|区|县|镇|乡|街道|旗|州|盟)|(?:区|市|县|镇)里|"
    r"[在对向为将把从]|通过|累计共|，)+"
)
_TRAIL = re.compile(
    r"(?:达到|达|为|共计|共有|共|计|合计|总计|有|已有|已达|已|超过|超|约为|约|近|逾|占比为|占了|占|是|了|的|等|人数为|数量为|分别为|分别|高达|多达|突破|增加|增至|提高到|提升至|至|到|以上)+$"
)


_NOUN_END = re.compile(
    r"的|参与|参加|获|被|在|实现|达到|进入|担任|通过|完成|顺利|开展|成为|入选|解决|提供|享受|受益|得到|领取|"
    r"不断|正在|已经|已|都|均|将|也|还|共|分别|纷纷|积极|先后|脱颖|涌现|签订|覆盖|走上|加入|参评|赠送|减免|发放|给予|"
    r"资助|慰问|帮助|申报|报名|开设|建立|成立|举办|组织"
)


def balance_quotes(text: str) -> str:
    """Drop quotation marks left without their partner when a clause was cut (“大国工匠 → 大国工匠)."""
    pairs = {"”": "“", "」": "「", "』": "『", "’": "‘"}
    keep = [True] * len(text)
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in pairs.values():
            stack.append(i)
        elif ch in pairs:
            if stack and text[stack[-1]] == pairs[ch]:
                stack.pop()
            else:
                keep[i] = False
    for i in stack:
        keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: str
    unit: str
    year: int | None = None
    note: str | None = None


def _mask_titles(text: str) -> str:
    """Hide what is inside 《》 and plain dates and times, keeping positions."""
    text = re.sub(r"《[^《》]{0,200}》", lambda m: "■" * len(m.group(0)), text)
    text = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", lambda m: "■" * len(m.group(0)), text)
    return text


def _year_in(context: str, published: dt.date | None) -> int | None:
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年(?![-—~至])", context)]
    relative = [(m.start(), m.group(0)) for m in re.finditer(r"去年|今年|前年|明年", context)]
    explicit = [(m.start(), int(m.group(1))) for m in re.finditer(r"((?:19|20)\d{2})\s*年(?![-—~至])", context)]
    best: tuple[int, int] | None = None
    for pos, year in explicit:
        best = (pos, year) if best is None or pos > best[0] else best
    if published:
        shift = {"去年": -1, "今年": 0, "前年": -2, "明年": 1}
        for pos, word in relative:
            if best is None or pos > best[0]:
                best = (pos, published.year + shift[word])
    if best and 1949 <= best[1] <= 2100:
        return best[1]
    return years[-1] if years and 1949 <= years[-1] <= 2100 else None


def clean_indicator(text: str, region_names: tuple[str, ...] = ()) -> str:
    text = re.sub(r"\s+", "", text)
    text = text.strip("，,、；;：:。（(）)")
    for _ in range(4):
        before = text
        text = _LEAD.sub("", text)
        for name in region_names:
            if text.startswith(name) and len(text) > len(name):
                text = text[len(name) :]
        text = _LEAD.sub("", text)
        if text == before:
            break
    text = _TRAIL.sub("", text)
    text = balance_quotes(text)
    return text[-60:].strip("，,、的")


def _value_unit(m: re.Match) -> tuple[str, str] | None:
    num = m.group("num")
    if m.group("num2"):
        num = f"{num}{m.group('dash')}{m.group('num2')}"
    pre, a1, mult, a2 = m.group("pre") or "", m.group("a1") or "", m.group("mult") or "", m.group("a2") or ""
    unit = m.group("unit") or ""
    if not unit and not mult and m.group("post") is None:
        return None
    if not unit and not mult:
        return None
    if mult and a1 and a2:
        return None
    if not unit:
        return f"{pre}{num}{a1}{mult}{a2}", ""
    if mult:
        if a2:
            return f"{pre}{num}{a1}{mult}{a2}", unit
        if unit in _MONEY or a1 or ("." in num and unit == "人"):
            return f"{pre}{num}{a1}", f"{mult}{unit}"
        return f"{pre}{num}{mult}", unit
    return f"{pre}{num}{a1}{a2}", unit


def _last(ends: list[int], at: int) -> int:
    """The last end at or before `at` (0 when none): where the clause or sentence holding `at` starts."""
    i = bisect.bisect_right(ends, at)
    return ends[i - 1] if i else 0


def extract_figures(lines: list[str], published: dt.date | None = None, region_names: tuple[str, ...] = ()) -> list[Figure]:
    """Every figure of the given article lines, in order, without repeats of the same indicator, value and unit."""
    out: list[Figure] = []
    seen: set[tuple[str, str, str]] = set()
    names = tuple(sorted(set(region_names), key=len, reverse=True))
    for raw in lines:
        line = raw.translate(_FULLWIDTH)
        masked = _mask_titles(line)
        # Where each clause and sentence ends, once per line: a figure looks up the last one before it (bisect),
        # so a paragraph of thousands of figures costs no more than its length.
        clause_ends = [mm.end() for mm in _CLAUSE.finditer(masked)]
        sentence_ends = [mm.end() for mm in _SENTENCE.finditer(masked)]
        last_indicator, last_end, clause_start = "", 0, 0
        for m in FIGURE.finditer(masked):
            start, end = m.start(), m.end()
            before = masked[:start]
            # Ordinals (第3批) and numbers glued to letters (5G, 3D) are not figures; dates and years have no unit.
            if re.search(r"第\s*$", before):
                continue
            follow = masked[end : end + 1]
            if m.group("unit") and follow and re.match(r"[A-Za-z]", follow):
                continue
            vu = _value_unit(m)
            if vu is None:
                # N年 as a duration (连续2年) is a figure; 2021年 is not.
                after = masked[m.end() :]
                if (
                    re.match(r"年(?![度底初末前后代级])", after)
                    and len(m.group("num")) <= 2
                    and _DURATION_CUE.search(before)
                    and not m.group("mult")
                ):
                    vu = (f"{m.group('pre') or ''}{m.group('num')}", "年")
                    end = m.end() + 1
                else:
                    continue
            value, unit = vu
            cut = _last(clause_ends, start)
            if cut > clause_start:
                clause_start, last_indicator, last_end = cut, "", cut
            seg_start = max(clause_start, last_end)
            preceding = line[seg_start:start]
            indicator = clean_indicator(preceding, names)
            after_text = re.match(r"[\u4e00-\u9fff“”]{1,14}", line[end:])
            noun_after = ""
            if after_text:
                noun_after = _NOUN_END.split(after_text.group(0))[0]
            raw_before = preceding.rstrip()
            if raw_before.endswith("等") and len(noun_after) >= 2:
                indicator = noun_after  # 传化物流、大恩物流等7家物流企业: the figure counts the companies
            elif 1 <= len(indicator) <= 3 and len(noun_after) >= 2 and not raw_before.endswith("的"):
                indicator += noun_after  # 确定13个重点建设项目 → 确定重点建设项目
            if len(indicator) < 2 and not noun_after and not last_indicator:
                predicate = re.match(r"[^，,；;。！？!?：:、\n]{2,24}", line[end:])
                if predicate:
                    indicator = predicate.group(0).strip()  # 1人获评全国五一巾帼标兵
            if len(indicator) < 2 or raw_before.endswith("的"):
                if preceding.rstrip().endswith("的") and noun_after:
                    indicator = (
                        clean_indicator(preceding.rstrip()[:-1], names) + "的" + noun_after
                        if clean_indicator(preceding.rstrip()[:-1], names)
                        else noun_after
                    )
                elif noun_after and len(noun_after) >= 2:
                    indicator = noun_after
                elif last_indicator:
                    indicator = last_indicator
            indicator = balance_quotes(indicator).strip("，,、的")
            if len(indicator) < 2:
                sentence_start = _last(sentence_ends, start)
                indicator = clean_indicator(line[sentence_start:start], names) or "（待补充：这个数字衡量什么）"
            post = m.group("post") or m.group("over")  # 超过8% stays 8 with the wording in a note, as editors write it
            note = f"原文作“{line[m.start() : m.end()].strip()}”" if post else None
            context_start = _last(sentence_ends, start)
            year = _year_in(line[context_start:start], published)
            key = (indicator, value, unit)
            last_indicator, last_end = indicator, end
            if key in seen:
                continue
            seen.add(key)
            out.append(Figure(indicator[:200], value[:40], unit[:20], year, note))
    return out


_MEDIA = re.compile(
    r"(?:日报|晚报|早报|时报|商报|周报|报|周刊|月刊|杂志|画报|电视台|广播电台|之声|频道|新闻|新闻网|网|客户端|公众号|栏目)$"
)
_WORK_AFTER = re.compile(
    r"^(?:微视频|短视频|视频|专题片|纪录片|宣传片|微电影|电影|节目|栏目|歌曲|MV|一书|书|丛书|画册|专栏|专刊|"
    r"为主题|为题|主题|的主题|专题报道|报道|一文|文章|节目)"
)


@dataclass(frozen=True)
class Cited:
    title: str
    year: int | None = None


def extract_policies(lines: list[str]) -> tuple[list[Cited], list[str]]:
    """Titles inside 《》 that name documents; the skipped ones (newspapers, films, talks) are returned apart."""
    policies: list[Cited] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for line in lines:
        for m in re.finditer(r"《([^《》\n]{2,200})》", line):
            title = m.group(1).strip()
            if title in seen:
                continue
            seen.add(title)
            after = line[m.end() : m.end() + 6]
            if _MEDIA.search(title) and len(title) <= 12 or _WORK_AFTER.match(after):
                skipped.append(title)
                continue
            policies.append(Cited(title))
    return policies, skipped


_UNIT_HEADER = re.compile(r"单位")
_YEAR_HEADER = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度|底|末)?$")
_VALUE_HEADER = re.compile(r"数值|数量|数据|金额|人数|合计|总计|完成|实际|指标值|数$|额$")
_PLAIN_NUMBER = re.compile(r"^[近超逾约]?(?:" + _NUMBER + r")(?:余|多)?(?:万|亿)?(?:余|多)?$")


def _cell_figure(cell: str, unit: str) -> tuple[str, str] | None:
    """The value and unit a table cell holds: 1185 with the unit column's 人, or 1338余万元 written whole."""
    cell = cell.translate(_FULLWIDTH).replace(" ", "")
    if _PLAIN_NUMBER.match(cell):
        cell += unit  # read as the text would write it, so 1.2万 人次 is written as in the body: 1.2万人次
    found = FIGURE.fullmatch(cell)
    return _value_unit(found) if found else None


def _is_number(cell: str) -> bool:
    return bool(_PLAIN_NUMBER.match(cell.translate(_FULLWIDTH).replace(" ", ""))) or _cell_figure(cell, "") is not None


def table_figures(tables: list[tuple[tuple[str, ...], ...]]) -> list[Figure]:
    """Each table row of an indicator and a value (with a unit, in its cell or its own column) as a figure.

    The header row names the columns: 单位 the unit, a year (2024年) a value of that year, 数值, 数量,
    金额 … a value; a table without a header reads indicator, value, unit from left to right.
    """
    out: list[Figure] = []
    for table in tables:
        if len(table) < 2:
            continue
        header = table[0]
        numeric_header = any(_is_number(cell) for cell in header[1:])
        named = not numeric_header
        unit_col = next((i for i, c in enumerate(header) if _UNIT_HEADER.search(c)), None) if named else None
        years = {i: int(m.group(1)) for i, c in enumerate(header) if (m := _YEAR_HEADER.match(c.strip()))} if named else {}
        value_cols = [i for i, c in enumerate(header) if i and (i in years or _VALUE_HEADER.search(c))] if named else []
        rows = table[1:] if named else table
        for row in rows:
            indicator = next((c.strip() for i, c in enumerate(row) if c.strip() and i != unit_col and not _is_number(c)), "")
            if not indicator:
                continue
            unit = row[unit_col].strip() if unit_col is not None and unit_col < len(row) else ""
            columns = value_cols or [i for i in range(1, len(row)) if i != unit_col]
            for i in columns:
                if i >= len(row) or not row[i]:
                    continue
                figure = _cell_figure(row[i], unit)
                if figure is None and not unit and i + 1 < len(row) and not value_cols:
                    figure = _cell_figure(row[i], row[i + 1].strip())  # indicator, value, unit without a header
                if figure and figure[1]:
                    out.append(Figure(indicator[:200], figure[0][:40], figure[1][:20], years.get(i), "取自原文的表格"))
    return out
