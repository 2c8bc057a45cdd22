"""Assemble the draft practice record and write it as commented YAML."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from ...model.fields import PLACEHOLDER
from ..scaffold import SCHEMA_LINE, yaml_value
from .clean import han_len, is_furniture, is_substantive
from .figures import Cited, Figure

DRAFT_MARK = "【草稿：以下摘自原文，请用自己的话改写】"


# What the draft writes for a required value the article did not give; check names each until it is filled.
FILL_DATE = f"{PLACEHOLDER}：发布日期（YYYY-MM-DD）"
FILL_REGION = f"{PLACEHOLDER}：地区代码（见 data/regions/）"
FILL_TITLE = f"{PLACEHOLDER}：标题"
FILL_PUBLISHER = f"{PLACEHOLDER}：发布单位"
FILL_SUMMARY = f"{PLACEHOLDER}：概述"
ORIGINS = {
    "dateline": "原文的日期行",
    "e-paper header": "电子报版面的报头",
    "text": "正文中的日期",
    "page metadata": "网页的元数据",
    "signature": "文末落款的成文日期",
    "document properties": "文件属性中的创建日期（模板常带旧日期，请务必核对）",
    "URL": "文章网址",
}


@dataclass
class Draft:
    id: str
    title: str
    region: str | None
    region_names: str
    date: dt.date | None
    source_title: str
    publisher: str | None
    author: str | None
    url: str | None
    summary: str
    measures: list[tuple[str, str]] = field(default_factory=list)
    metrics: list[Figure] = field(default_factory=list)
    policies: list[Cited] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    date_origin: str = ""
    region_notes: list[str] = field(default_factory=list)


def _heading(line: str) -> bool:
    """A section heading inside the article: a short line without sentence punctuation."""
    return (
        4 <= han_len(line) <= 30
        and len(line) <= 36
        and not re.search(r"[。！？；，,]$|[。；]", line)
        and not is_furniture(line)
        and not re.match(r"^[\d\s年月日:：\-./]+", line)
    )


def find_measures(lines: list[str], start: int, end: int, roles: list[str] | None = None) -> list[tuple[str, str]]:
    """Headings in the article body and the first paragraph under each (two headings in a row make one title).

    When the document marks its headings (a Word style, a PDF's larger or numbered lines), those are the headings.
    """
    marked = [i for i in range(start, end) if roles and roles[i] == "heading"]
    if marked:
        return _marked_measures(lines, marked, end, roles or [])
    measures: list[tuple[str, str]] = []
    i = start
    while i < end:
        if _heading(lines[i]) and i + 1 < len(lines):
            title_parts = [lines[i]]
            j = i + 1
            while j < end and _heading(lines[j]) and len(title_parts) < 2:
                title_parts.append(lines[j])
                j += 1
            paragraphs: list[str] = []
            while j < end and not _heading(lines[j]) and len(paragraphs) < 3:
                if is_substantive(lines[j]) and not is_furniture(lines[j]):
                    paragraphs.append(lines[j])
                j += 1
            if paragraphs:
                title = "，".join(p.strip() for p in title_parts)[:200]
                text = DRAFT_MARK + "\n\n" + "\n\n".join(paragraphs)
                measures.append((title, text[:20000]))
            i = j
            continue
        i += 1
    return measures


_NUMBER_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[章节部分][、：:\s]*)"
)


def _marked_measures(lines: list[str], headings: list[int], end: int, roles: list[str]) -> list[tuple[str, str]]:
    measures: list[tuple[str, str]] = []
    for n, i in enumerate(headings):
        stop = headings[n + 1] if n + 1 < len(headings) else end
        paragraphs = [
            lines[j]
            for j in range(i + 1, stop)
            if roles[j] == "paragraph" and is_substantive(lines[j]) and not is_furniture(lines[j])
        ][:3]
        if paragraphs:
            title = _NUMBER_MARK.sub("", lines[i]).strip("。：: ")[:200]
            measures.append((title, (DRAFT_MARK + "\n\n" + "\n\n".join(paragraphs))[:20000]))
    return measures


def first_paragraph(lines: list[str], start: int, end: int) -> str:
    for line in lines[start:end]:
        if is_substantive(line) and not is_furniture(line) and not line.startswith(("原标题", "“", '"')):
            return line
    for line in lines[start:end]:
        if is_substantive(line) and not is_furniture(line):
            return line
    return ""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line text as literal blocks (|), so paragraphs read as they will be edited (libyaml's emitter, as quick)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _block(key: str, value) -> str:
    return yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False)


def render(draft: Draft, missing: list[str]) -> str:
    """The record as YAML text with the schema line and a comment for each field to review."""
    out = [
        SCHEMA_LINE.format(kind="practice") + "\n",
        "# 由 python -m generator import 从原文自动生成的草稿：逐项核对原文后再把 status 改为 reviewed。\n",
    ]
    if missing:
        out.append("# 未能确定，需要人工填写：" + "；".join(missing) + "\n")
    out.append("\n")
    out.append(_block("id", draft.id))
    out.append("# 标题：原文标题的简体形式，请改写为自己的话。\n")
    out.append(_block("title", draft.title[:200] or FILL_TITLE))
    if draft.region:
        out.append(f"# 地区：{draft.region_names}\n")
    else:
        out.append("# 地区：原文没有点明是哪个地方，请查 data/regions/ 填写代码。\n")
    for note in draft.region_notes:
        out.append(f"# 注意：{note}\n")
    out.append(f"region: {yaml_value(draft.region or FILL_REGION)}\n")
    if draft.date:
        out.append(f"# 日期：取自{ORIGINS.get(draft.date_origin, draft.date_origin)}。\n")
    else:
        out.append("# 日期：原文和网址都没有发布日期，请查证后填写。\n")
    out.append(_block("date", draft.date or FILL_DATE))
    out.append("# 主题：按原文用词自动推荐，请删去不合适的。\n")
    out.append(_block("themes", draft.themes) if draft.themes else "themes: []\n")
    out.append("# 概述：这是原文首段，请改写为几句话的概述。\n")
    out.append(_block("summary", draft.summary or FILL_SUMMARY))
    out.append("# 举措：取自原文的小标题和其下的段落，请改写。\n")
    measures = [{"title": t, "text": x} for t, x in draft.measures]
    out.append(_block("measures", measures) if measures else "measures: []\n")
    out.append("# 数据：原文中的每个数字；indicator 由数字前的文字得来，请逐条核对。\n")
    metrics = []
    for f in draft.metrics:
        item: dict[str, str | int] = {"indicator": f.indicator, "value": f.value, "unit": f.unit}
        if f.year:
            item["year"] = f.year
        if f.note:
            item["note"] = f.note
        metrics.append(item)
    out.append(_block("metrics", metrics) if metrics else "metrics: []\n")
    out.append("# 政策文件：原文《》中的文件名；发文单位和年份请补充。\n")
    policies = [{"title": p.title} | ({"year": p.year} if p.year else {}) for p in draft.policies]
    out.append(_block("policies", policies) if policies else "policies: []\n")
    out.append("cases: []\n")
    out.append("# 来源：title 保留原文（繁体也保留）。\n")
    source: dict = {
        "title": draft.source_title[:200] or FILL_TITLE,
        "publisher": draft.publisher or FILL_PUBLISHER,
        "date": draft.date or FILL_DATE,
    }
    if draft.url:
        source["url"] = draft.url
    if draft.author:
        source["author"] = draft.author[:200]
    out.append(_block("sources", [source]))
    out.append("tags: []\n")
    out.append("status: draft\n")
    text = "".join(out)
    yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # always loadable (libyaml: a long draft is quick)
    return text
