"""The A–Z listings as pages: the listings of practices, cases and titles, and the A–Z of regions.

A listing of up to ordering.WHOLE_LISTING entries is one page: every entry, grouped by letter, the
letter bar jumping to the letters. A longer one keeps its own page (its address unchanged) for what
a reader acts on first: the letters with the size of each letter's page, the newest entries, and
the count per province and per theme with links to their pages. Each letter then has a page of its
own under a folder no record, region or theme page can take (ids and codes name files, never
folders), and a letter of more than ordering.PART_SIZE entries has numbered pages
(ordering.split_by_initial). So no page grows with the corpus, and a change re-renders only the pages
whose entries changed: the cache keeps the ids each page listed (part_ids, engine/changes.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ...model import reads
from ...model.labels import RECORD_KIND
from ...model.link import Brief
from ...model.ordering import OTHER, Part
from .. import escape
from ..paths import CASES, DOWNLOADS, PART_FOLDERS, PRACTICES, REGIONS, TITLES, part_path, record_path, region_path, theme_path
from ..view import View, long_date

RECORD_INDEXES = [
    (PRACTICES, "经验做法", "各地推进产改的经验做法", "Practice"),
    (CASES, "典型案例", "企业项目、工作室、班组、人物和服务站点等典型案例", "Case"),
    (TITLES, "标题索引", "全部经验做法和典型案例的标题", None),
]
LATEST = 20  # the newest entries a long listing's own page shows
LISTING_KINDS = {path: kind for path, _, _, kind in RECORD_INDEXES}


def parts(view: View, listing: str) -> list[Part]:
    """The pages of an A–Z listing (a key of PART_FOLDERS), in order."""
    if listing == REGIONS:
        return view.ordering.region_listing()
    return view.ordering.listing(LISTING_KINDS[listing])


def part_ids(view: View) -> dict[str, tuple[str, ...]]:
    """Path of every letter's page -> the ids (region codes) it lists, in order."""
    return {
        part_path(listing, part): tuple(x if isinstance(x, str) else x.id for x in part.items)
        for listing in PART_FOLDERS
        for part in parts(view, listing)
    }


def part_links(view: View, here: str, listing: str, current: Part | None = None) -> list[dict]:
    """The letter bar: a link to every page of the listing. The listing's own page gives their
    sizes; a letter's page does not, so that adding a record rewrites no other letter's page."""
    view.ordering.reads.add(reads.parts(listing), *([] if current else [reads.sizes(listing)]))
    return [
        {
            "label": p.label,
            "href": "" if p == current else view.href(here, part_path(listing, p)),
            "count": "" if current else str(len(p.items)),
        }
        for p in parts(view, listing)
    ]


def render_index(view: View, path: str, title: str, intro: str) -> str:
    """A listing's own page: every entry by letter, or (a long listing) what to act on first."""
    kind, ordering = LISTING_KINDS[path], view.ordering
    whole = ordering.whole_listing(kind)
    records = ordering.records_of(kind)
    context: dict[str, Any] = {"title": title, "downloads": view.href(path, DOWNLOADS) if view.site.takeaways else ""}
    if whole is not None:
        context["intro"] = f"{intro}，共 {len(records)} 条，按标题拼音排列。"
        context["groups"] = view.letters(path, whole, lambda here, record: _record_entry(view, here, record, kind is None))
        return view.page("az.md.j2", title, toc=False, **context)
    context["intro"] = (
        f"{intro}，共 {len(records)} 条：按标题首字母分页浏览（括号中是每页的条数），或看最新收录和各省份、各主题的记录。"
    )
    themes = Counter(t for b in records for t in b.themes)
    return view.page(
        "az.md.j2",
        title,
        toc=False,
        **context,
        groups=[],
        parts=part_links(view, path, path),
        latest=[view.record_item(path, r) for r in ordering.latest(LATEST, kind)],
        provinces=[
            view.link(path, view.graph.regions[code].name, region_path(code), f"{count} 条")
            for code, count in ordering.per_province(records)
        ],
        themes=[
            view.link(path, view.graph.themes[t].name, theme_path(t), f"{themes[t]} 条") for t in ordering.sorted_themes(themes)
        ],
    )


def _record_entry(view: View, here: str, record: Brief, with_kind: bool) -> dict:
    """An entry of a listing: the title, linked, with the record's place and date (and its kind,
    in a listing of both kinds)."""
    words = [*([RECORD_KIND[record.kind]] if with_kind else []), view.place(record.region)]
    note = Markup(" · ").join([*map(escape.inline, words), long_date(record.date)])  # place names from data/, escaped once
    return view.link(here, record.title, record_path(record), note)


def render_record_part(view: View, listing: str, title: str, index: int) -> str:
    with_kind = LISTING_KINDS[listing] is None
    return _part_page(
        view, listing, title, "记录", "条", index, lambda here, record: _record_entry(view, here, record, with_kind)
    )


def render_region_part(view: View, index: int) -> str:
    return _part_page(view, REGIONS, "地区索引", "地区", "个", index, lambda here, code: region_entry(view, here, code))


def region_entry(view: View, here: str, code: str) -> dict:
    """An entry of the A–Z of regions: the name, linked, with the regions above it."""
    above = " ".join(x.name for x in view.ordering.region_chain(code)[:-1])
    return view.link(here, view.graph.regions[code].name, region_path(code), above or "省级")


def _part_page(
    view: View, listing: str, title: str, noun: str, measure: str, index: int, item: Callable[[str, Any], dict]
) -> str:
    """A letter's page (or one part of a letter): its entries, the letter bar, previous and next."""
    pages = parts(view, listing)
    part = pages[index]
    here = part_path(listing, part)
    view.ordering.reads.add(reads.parts(listing), reads.part(here))  # the pager; its entries
    if listing != REGIONS:  # a record's entry shows its brief; a region's, names that change only with a full build
        view.ordering.reads.update(reads.brief(x.id) for x in part.items)
    of = f"（第 {part.number} 部分，共 {part.parts} 部分）" if part.parts > 1 else ""
    heading = f"{title}：{'其他' if part.letter == OTHER else part.letter}{of}"
    letter = "数字或符号" if part.letter == OTHER else part.letter
    summary = f"拼音首字母为 {letter} 的{noun} {len(part.items)} {measure}{of}，按拼音排列。"
    neighbours = (
        ("上一页", pages[index - 1] if index else None),
        ("下一页", pages[index + 1] if index + 1 < len(pages) else None),
    )
    return view.page(
        "az_part.md.j2",
        heading,
        toc=False,
        heading=heading,
        summary=summary,
        listing=view.link(here, title, listing),
        parts=part_links(view, here, listing, part),
        entries=[item(here, x) for x in part.items],
        pager=[view.link(here, f"{word}：{p.label}", part_path(listing, p)) for word, p in neighbours if p is not None],
    )
