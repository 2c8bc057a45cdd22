"""Ordering and grouping, in one pure module: templates receive lists already sorted.

Order is by pinyin syllables, then tones, then the text, then the id, so it is
total and the same on every machine. Region names are read from their own
`pinyin` field; other text through a Reader that knows every region name.
"""

from __future__ import annotations

import heapq
import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

import yaml

from .link import Graph
from .models import Case, Practice, Region
from .pinyin import Reader, Syllable, parse_reading

T = TypeVar("T")
Record = Practice | Case
SortKey = tuple[tuple[str, ...], tuple[int, ...], str, str]
OTHER = "#"  # group for titles that start with neither a Han character nor a Latin letter

# Generic parts of region names, dropped to read a bare name inside a title (金华 in 金华婺城…).
_SUFFIXES = re.compile(r"(自治州|自治县|自治旗|特别行政区|地区|街道|省|市|区|县|盟|旗|镇|乡)$")


def region_stem(name: str) -> str:
    """A region's name without its generic suffix (金华市 → 金华), unless that leaves one character."""
    stem = _SUFFIXES.sub("", name)
    return stem if len(stem) >= 2 else name


def curated_phrases() -> dict[str, str]:
    text = resources.files("generator").joinpath("readings/phrases.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def make_reader(regions: Iterable[Region]) -> Reader:
    """A Reader that reads every region name (full and without its suffix) as the gazetteer says."""
    phrases: dict[str, str] = {}
    for region in sorted(regions, key=lambda r: r.code):
        syllables = region.pinyin.split()
        if len(syllables) != len(region.name):
            continue  # names with non-Han characters are read by pypinyin
        phrases.setdefault(region.name, region.pinyin)
        stem = region_stem(region.name)
        if stem != region.name:
            phrases.setdefault(stem, " ".join(syllables[: len(stem)]))
    phrases.update(curated_phrases())
    return Reader(phrases)


def key_of(syllables: tuple[Syllable, ...], text: str, ident: str) -> SortKey:
    return tuple(s.letters for s in syllables), tuple(s.tone for s in syllables), text, ident


def region_key(region: Region) -> SortKey:
    return key_of(parse_reading(region.pinyin), region.name, region.code)


def initial(key: SortKey) -> str:
    first = key[0][0][:1].upper() if key[0] else ""
    return first if first in string.ascii_uppercase else OTHER


@dataclass(frozen=True)
class Group:
    letter: str
    items: tuple


def group_by_initial(items: Iterable[T], key: Callable[[T], SortKey]) -> list[Group]:
    """Sorted items grouped under A–Z, with # (digits, symbols) last."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in sorted(items, key=key):
        groups[initial(key(item))].append(item)
    letters = sorted(groups, key=lambda g: (g == OTHER, g))
    return [Group(letter, tuple(groups[letter])) for letter in letters]


class Index:
    """Sort keys and derived lists over one linked graph."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.reader = make_reader(graph.regions.values())
        self._region_keys = {code: region_key(r) for code, r in graph.regions.items()}
        self._by_region: dict[str, list[Record]] = defaultdict(list)  # region -> records in it or below
        self._by_theme: dict[str, list[Record]] = defaultdict(list)
        self._chains: dict[str, list[Region]] = {}
        self._record_keys: dict[str, SortKey] = {}
        for record in self.records():
            for region in self.region_chain(record.region):
                self._by_region[region.code].append(record)
            for theme_id in record.themes:
                self._by_theme[theme_id].append(record)
        # For related_practices: practices by theme (ids) and by province, and each practice's title rank.
        self._rank = {p.id: n for n, p in enumerate(self.sorted_records(graph.practices.values()))}
        self._practice_theme: dict[str, list[str]] = defaultdict(list)
        self._province_practices: dict[str, list[Practice]] = defaultdict(list)
        for practice in graph.practices.values():
            for theme_id in practice.themes:
                self._practice_theme[theme_id].append(practice.id)
            self._province_practices[self.province(practice.region)].append(practice)

    def region_chain(self, code: str) -> list[Region]:
        """graph.region_chain, computed once per region (do not modify the list)."""
        chain = self._chains.get(code)
        if chain is None:
            chain = self._chains[code] = self.graph.region_chain(code)
        return chain

    def province(self, code: str) -> str:
        return self.region_chain(code)[0].code

    # --- keys -------------------------------------------------------------
    def text_key(self, text: str, ident: str) -> SortKey:
        return key_of(self.reader.syllables(text), text, ident)

    def record_key(self, record: Record) -> SortKey:
        ident = f"{type(record).__name__}:{record.id}"
        key = self._record_keys.get(ident)
        if key is None or key[2] != record.title:
            key = self._record_keys[ident] = self.text_key(record.title, ident)
        return key

    def region_key(self, code: str) -> SortKey:
        return self._region_keys[code]

    def theme_key(self, theme_id: str) -> SortKey:
        return self.text_key(self.graph.themes[theme_id].name, theme_id)

    # --- lists --------------------------------------------------------------
    def records(self) -> list[Record]:
        return [*self.graph.practices.values(), *self.graph.cases.values()]

    def sorted_records(self, records: Iterable[Record]) -> list[Record]:
        return sorted(records, key=self.record_key)

    def regions_with_records(self) -> list[str]:
        return sorted(self._by_region, key=self.region_key)

    def records_under(self, code: str) -> list[Record]:
        """Records of the region and all regions below it, by title."""
        return self.sorted_records(self._by_region.get(code, []))

    def children_with_records(self, code: str | None) -> list[str]:
        children = self.graph.region_children.get(code, ()) if code else [
            c for c, r in self.graph.regions.items() if r.level == "province"
        ]
        return sorted((c for c in children if c in self._by_region), key=self.region_key)

    def records_by_theme(self, theme_id: str) -> list[Record]:
        return self._by_theme.get(theme_id, [])

    def grouped_by_region(self, records: Iterable[Record]) -> list[tuple[str, list[Record]]]:
        """Records grouped under their region, regions in pinyin order of their full chain."""
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            groups[record.region].append(record)
        chain_key = lambda code: [self.region_key(r.code) for r in self.region_chain(code)]  # noqa: E731
        return [(code, self.sorted_records(groups[code])) for code in sorted(groups, key=chain_key)]

    def sorted_themes(self, theme_ids: Iterable[str]) -> list[str]:
        return sorted(theme_ids, key=self.theme_key)

    def latest(self, count: int) -> list[Record]:
        """Newest records first; same day in title order."""
        by_title = self.sorted_records(self.records())
        return sorted(by_title, key=lambda r: r.date, reverse=True)[:count]

    def related_practices(self, practice: Practice, count: int = 5) -> list[Practice]:
        """Practices sharing themes with this one: same province first, then more shared themes, then title.

        Shared themes are counted from per-theme buckets, so the cost is the size of those buckets,
        not the number of practices; the order is that of sorting every practice by
        (not same province, -shared themes, title key).
        """
        shared = Counter()
        for theme_id in practice.themes:
            shared.update(self._practice_theme.get(theme_id, ()))
        shared.pop(practice.id, None)
        order = lambda p: (-shared[p.id], self._rank[p.id])  # noqa: E731
        province = self.province(practice.region)
        near = [p for p in self._province_practices[province] if p.id in shared]
        out = heapq.nsmallest(count, near, key=order)
        if len(out) < count:
            far = [self.graph.practices[i] for i in shared if self.province(self.graph.practices[i].region) != province]
            out += heapq.nsmallest(count - len(out), far, key=order)
        return out
