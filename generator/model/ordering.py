"""Ordering and grouping, in one pure module: templates receive lists already sorted.

Order is by pinyin syllables, then tones, then the text, then the id, so it is
total and the same on every machine. Region names are read from their own
`pinyin` field; other text through a Reader that knows every region name.
Records are sorted and grouped by their Brief (link.py), never the full record.
The lists note which records and groups the page being rendered reads (reads.py); that is
their only effect besides caching their own results.
"""

from __future__ import annotations

import heapq
import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from typing import TypeVar

import yaml

from ..sources.pinyin import Reader, Syllable, parse_reading
from . import reads
from .link import Brief, Graph
from .reads import Reads
from .records import Case, Practice, Region

T = TypeVar("T")
# (syllables, tones, text, id). Syllables are joined by SEP, which sorts below every letter and digit,
# so the joined string orders exactly as the tuple of syllables would; tones are one digit each.
# Plain strings keep keys cheap to store between incremental builds.
SortKey = tuple[str, str, str, str]
SortReading = tuple[str, str]  # the first two parts of a SortKey: what the Reader found for a text
SEP = "\x01"
OTHER = "#"  # group for titles that start with neither a Han character nor a Latin letter
WHOLE_LISTING = 300  # entries an A–Z listing shows on its own page, by letter; past it, a page per letter
PART_SIZE = 300  # entries on one page of an A–Z listing; a letter with more is cut into numbered parts
PAGE_BY_PROVINCE = 300  # records on a theme's or policy document's page; past it, a page per province
ROLL_UP = 300  # records of the regions below a region that its page lists; past it, the page of each lists its own

# Generic parts of region names, dropped to read a bare name inside a title (金华 in 金华婺城…).
_SUFFIXES = re.compile(r"(自治州|自治县|自治旗|特别行政区|地区|街道|省|市|区|县|盟|旗|镇|乡)$")


def region_stem(name: str) -> str:
    """A region's name without its generic suffix (金华市 → 金华), unless that leaves one character."""
    stem = _SUFFIXES.sub("", name)
    return stem if len(stem) >= 2 else name


def curated_phrases() -> dict[str, str]:
    text = resources.files("generator.sources").joinpath("readings/phrases.yaml").read_text(encoding="utf-8")
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


def reading_of(syllables: tuple[Syllable, ...]) -> SortReading:
    return SEP.join(s.letters for s in syllables), "".join(str(s.tone) for s in syllables)


def readings_for(texts: Iterable[str], regions: Iterable[Region]) -> dict[str, SortReading]:
    """What Ordering.text_key finds for each text, computed on its own (for example in another process)."""
    reader = make_reader(regions)
    return {text: reading_of(reader.syllables(text)) for text in texts}


def key_of(syllables: tuple[Syllable, ...], text: str, ident: str) -> SortKey:
    return (*reading_of(syllables), text, ident)


def region_key(region: Region) -> SortKey:
    return key_of(parse_reading(region.pinyin), region.name, region.code)


def initial(key: SortKey) -> str:
    first = key[0][:1].upper()
    return first if first in string.ascii_uppercase else OTHER


@dataclass(frozen=True)
class Group:
    letter: str
    items: tuple


def group_by_initial(items: Iterable[T], key: Callable[[T], SortKey]) -> list[Group]:
    """Sorted items grouped under A–Z, with # (digits, symbols) last."""
    return _grouped(keyed_sort(items, key))


def keyed_sort(items: Iterable[T], key: Callable[[T], SortKey]) -> list[tuple[SortKey, T]]:
    """(key, item) for each item, in the order of sorted(items, key=key): each key made once."""
    return sorted(((key(item), item) for item in items), key=itemgetter(0))


def _grouped(keyed: Iterable[tuple[SortKey, T]]) -> list[Group]:
    groups: dict[str, list[T]] = defaultdict(list)
    for k, item in keyed:
        groups[initial(k)].append(item)
    letters = sorted(groups, key=lambda g: (g == OTHER, g))
    return [Group(letter, tuple(groups[letter])) for letter in letters]


@dataclass(frozen=True)
class Part:
    """One page of an A–Z listing: the entries of one letter, or of one of its numbered parts."""

    letter: str
    number: int  # 1, 2, … within its letter
    parts: int  # how many parts its letter is cut into
    items: tuple

    @property
    def name(self) -> str:
        """The page's file name without .md: a, a-2, …; other, other-2, … for #."""
        stem = "other" if self.letter == OTHER else self.letter.lower()
        return stem if self.number == 1 else f"{stem}-{self.number}"

    @property
    def label(self) -> str:
        """A, or A1, A2, … when the letter has more than one part."""
        return self.letter if self.parts == 1 else f"{self.letter}{self.number}"


def _az(keyed: Sequence[tuple[SortKey, T]]) -> tuple[list[Group], list[Part]]:
    """An A–Z listing of items sorted with their keys (keyed_sort): its letters when it fits on one
    page (WHOLE_LISTING), else its pages."""
    if len(keyed) <= WHOLE_LISTING:
        return _grouped(keyed), []
    return [], _split(keyed, PART_SIZE)


def split_by_initial(items: Iterable[T], key: Callable[[T], SortKey], size: int | None = None) -> list[Part]:
    """group_by_initial, with each letter cut into parts of at most `size` (PART_SIZE) items, in order."""
    return _split(keyed_sort(items, key), size or PART_SIZE)


def _split(keyed: Iterable[tuple[SortKey, T]], size: int) -> list[Part]:
    out: list[Part] = []
    for group in _grouped(keyed):
        chunks = [group.items[n : n + size] for n in range(0, len(group.items), size)]
        out += [Part(group.letter, n, len(chunks), chunk) for n, chunk in enumerate(chunks, 1)]
    return out


class Ordering:
    """Sort keys and derived lists over one linked graph, computed from its briefs.

    `readings` maps text to what the Reader makes of it; pass the table of an earlier build to
    skip reading unchanged titles again. The Reader (which needs every region name) is built
    only when a text is missing from it.
    """

    def __init__(self, graph: Graph, readings: dict[str, SortReading] | None = None):
        self.graph = graph
        self.reads = Reads()  # what the page being rendered reads of the lists below (reads.py)
        self.readings: dict[str, SortReading] = dict(readings or {})
        self._reader: Reader | None = None
        self._region_keys: dict[str, SortKey] = {}
        self._by_region: dict[str, list[Brief]] = defaultdict(list)  # region -> records in it or below
        self._by_theme: dict[str, list[Brief]] = defaultdict(list)
        self._chains: dict[str, list[Region]] = {}
        self._record_keys: dict[str, SortKey] = {}
        self._listings: dict[str | None, tuple[list[Group], list[Part]]] = {}
        self._by_title: list[tuple[SortKey, Brief]] | None = None  # every record with its key, by title
        self._regions_az: tuple[list[Group], list[Part]] | None = None
        self._chain_key_cache: dict[str, tuple[SortKey, ...]] = {}
        for record in graph.briefs.values():
            for region in self.region_chain(record.region):
                self._by_region[region.code].append(record)
            for theme_id in record.themes:
                self._by_theme[theme_id].append(record)
        # For related_practices: practices by theme (ids) and by province, and each practice's title rank.
        practices = [b for b in graph.briefs.values() if b.kind == "Practice"]
        self._practices = practices
        self._ranks: dict[str, int] | None = None  # on first use: nothing is sorted until a page asks
        self._practice_theme: dict[str, list[str]] = defaultdict(list)
        self._province_practices: dict[str, list[Brief]] = defaultdict(list)
        for practice in practices:
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
    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = make_reader(self.graph.regions.values())
        return self._reader

    def reading(self, text: str) -> SortReading:
        """What the Reader makes of a text: its syllables (joined by SEP) and their tones."""
        reading = self.readings.get(text)
        if reading is None:
            reading = self.readings[text] = reading_of(self.reader.syllables(text))
        return reading

    def text_key(self, text: str, ident: str) -> SortKey:
        return (*self.reading(text), text, ident)

    def record_key(self, record: Brief) -> SortKey:
        key = self._record_keys.get(record.id)
        if key is None or key[2] != record.title:
            key = self._record_keys[record.id] = self.text_key(record.title, f"{record.kind}:{record.id}")
        return key

    def region_key(self, code: str) -> SortKey:
        key = self._region_keys.get(code)
        if key is None:
            key = self._region_keys[code] = region_key(self.graph.regions[code])
        return key

    def theme_key(self, theme_id: str) -> SortKey:
        return self.text_key(self.graph.themes[theme_id].name, theme_id)

    # --- lists --------------------------------------------------------------
    def synonyms(self) -> tuple[tuple[str, ...], ...]:
        """The words search takes for one another (data/synonyms.yaml), as written."""
        self.reads.add(reads.SYNONYMS)
        return self.graph.synonyms

    def records(self) -> list[Brief]:
        self.reads.add(reads.ALL)
        return list(self.graph.briefs.values())

    def record(self, record_id: str) -> Practice | Case:
        """A record's full content."""
        self.reads.add(reads.record(record_id))
        return self.graph.record(record_id)

    def partners(self, record_id: str) -> list[Brief]:
        """The records linked to this one, either side stating the link (a practice's cases, a
        case's practices), as `named` gives them."""
        self.reads.add(reads.linked(record_id))
        graph = self.graph
        return self.named(graph.practice_cases.get(record_id) or graph.case_practices.get(record_id, ()))

    def named(self, ids: Iterable[str]) -> list[Brief]:
        """The records a record names (ids) that the build shows, in display order. One it does not
        show (unpublished, in the public build) is left out: no title, no link, no count. Its brief
        is read all the same, so the page is rendered again when it is published."""
        ids = list(ids)
        self.reads.update(map(reads.brief, ids))
        briefs = self.graph.briefs
        return self.sorted_records(briefs[i] for i in ids if i in briefs)

    def sorted_records(self, records: Iterable[Brief]) -> list[Brief]:
        return sorted(records, key=self.record_key)

    def regions_with_records(self) -> list[str]:
        self.reads.add(reads.ALL)
        return sorted(self._by_region, key=self.region_key)

    def records_under(self, code: str) -> list[Brief]:
        """Records of the region and all regions below it, by title."""
        self.reads.add(reads.region(code))
        return self.sorted_records(self._by_region.get(code, []))

    def children_with_records(self, code: str | None) -> list[str]:
        self.reads.add(reads.region(code) if code else reads.ALL)
        children = (
            self.graph.region_children.get(code, ())
            if code
            else [c for c, r in self.graph.regions.items() if r.level == "province"]
        )
        return sorted((c for c in children if c in self._by_region), key=self.region_key)

    def records_by_theme(self, theme_id: str) -> list[Brief]:
        self.reads.add(reads.theme(theme_id))
        return self._by_theme.get(theme_id, [])

    def records_by_theme_in(self, theme_id: str, province: str) -> list[Brief]:
        """A theme's records in one province (the page of a theme cut by province)."""
        self.reads.add(reads.theme_in(theme_id, province))
        return [b for b in self._by_theme.get(theme_id, []) if self.province(b.region) == province]

    def per_province(self, records: Iterable[Brief]) -> list[tuple[str, int]]:
        """The provinces these records are in, in pinyin order, with their number of records."""
        counts = Counter(self.province(b.region) for b in records)
        return [(code, counts[code]) for code in sorted(counts, key=self.region_key)]

    def rolled_up(self, below: Sequence[Brief]) -> bool:
        """Whether a region's page lists these records of the regions below it: up to ROLL_UP of
        them. Past it, the page names the regions below, whose pages list them (at 100,000 records a
        province's page listed 2,000 records, 550 KB of Markdown rendered again on every edit)."""
        return len(below) <= ROLL_UP

    def cut_by_province(self, records: Sequence[Brief]) -> list[tuple[str, int]]:
        """The pages a theme's or policy document's records are cut into: each province they are in,
        in pinyin order, with its number of records. None when they fit on one page (PAGE_BY_PROVINCE)."""
        return self.per_province(records) if len(records) > PAGE_BY_PROVINCE else []

    def groups_of(self, record: Brief) -> set[str]:
        """The keys of the groups these lists gather a shown record into (reads.groups_of)."""
        return reads.groups_of(record, [r.code for r in self.region_chain(record.region)])

    def grouped_by_region(self, records: Iterable[Brief]) -> list[tuple[str, list[Brief]]]:
        """Records grouped under their region, regions in pinyin order of their full chain."""
        groups: dict[str, list[Brief]] = defaultdict(list)
        for record in records:
            groups[record.region].append(record)
        chain_key = lambda code: [self.region_key(r.code) for r in self.region_chain(code)]  # noqa: E731
        return [(code, self.sorted_records(groups[code])) for code in sorted(groups, key=chain_key)]

    def listing(self, kind: str | None) -> list[Part]:
        """The records of one kind (None: all), by title, cut into the pages of an A–Z listing;
        none when the listing's own page shows them all (`whole_listing`)."""
        return self._az(kind)[1]

    def whole_listing(self, kind: str | None) -> list[Group] | None:
        """The records of one kind (None: all) by title, grouped by letter, when there are few
        enough (WHOLE_LISTING) for the listing's own page to show them all; else None."""
        self.reads.add(reads.ALL)  # any record of the kind that comes, goes or reads otherwise
        groups, parts = self._az(kind)
        return None if parts else groups

    def _az(self, kind: str | None) -> tuple[list[Group], list[Part]]:
        az = self._listings.get(kind)
        if az is None:
            if self._by_title is None:  # every record sorted once; a kind's listing keeps its order
                self._by_title = keyed_sort(self.graph.briefs.values(), self.record_key)
            keyed = self._by_title if kind is None else [kb for kb in self._by_title if kb[1].kind == kind]
            az = self._listings[kind] = _az(keyed)
        return az

    def region_listing(self) -> list[Part]:
        """The regions with records, by name, cut into the pages of an A–Z listing; none when the
        region index shows them all (`whole_region_listing`)."""
        return self._regions()[1]

    def whole_region_listing(self) -> list[Group] | None:
        """The regions with records by name, grouped by letter, when the region index shows them all."""
        self.reads.add(reads.ALL)
        groups, parts = self._regions()
        return None if parts else groups

    def _regions(self) -> tuple[list[Group], list[Part]]:
        if self._regions_az is None:
            self._regions_az = _az(keyed_sort(self._by_region, self.region_key))
        return self._regions_az

    def records_of(self, kind: str | None) -> list[Brief]:
        """The records of one kind (None: all), unsorted."""
        self.reads.add(reads.ALL)
        return [b for b in self.graph.briefs.values() if kind is None or b.kind == kind]

    def held_under(self, code: str) -> list[Brief]:
        """Records of the region and all regions below it, unsorted (records_under sorts by title)."""
        self.reads.add(reads.region(code))
        return self._by_region.get(code, [])

    def count_under(self, code: str) -> int:
        return len(self.held_under(code))

    def years_with_records(self) -> list[int]:
        """Years that records are dated in, newest first."""
        self.reads.add(reads.ALL)
        return sorted({r.date.year for r in self.graph.briefs.values()}, reverse=True)

    def records_in_year(self, year: int) -> list[Brief]:
        """Records dated in this year, unsorted."""
        self.reads.add(reads.year(year))
        return [r for r in self.graph.briefs.values() if r.date.year == year]

    def compilation_order(self, records: Iterable[Brief]) -> list[Brief]:
        """Records as a compilation prints them: by region (province, then city, then county, each
        in pinyin order, a region's own records before those below it), then by date, oldest first,
        then by id. The order the cover of a compilation states (compilations.ORDER).

        Not by title on the same day: that needs every title read in pinyin, seconds at 10,000
        records in each process that renders compilations, for ties that are rare."""
        return sorted(records, key=lambda r: (self._chain_keys(r.region), r.date, r.id))

    def _chain_keys(self, code: str) -> tuple[SortKey, ...]:
        keys = self._chain_key_cache.get(code)
        if keys is None:
            keys = self._chain_key_cache[code] = tuple(self.region_key(r.code) for r in self.region_chain(code))
        return keys

    def sorted_themes(self, theme_ids: Iterable[str]) -> list[str]:
        return sorted(theme_ids, key=self.theme_key)

    def latest(self, count: int, kind: str | None = None) -> list[Brief]:
        """Newest records (of one kind, or of all) first; same day in title order."""
        records = self.records_of(kind)
        newest = heapq.nlargest(count, records, key=lambda r: r.date)  # narrow down before sorting by title
        cut = newest[-1].date if len(newest) == count else None
        by_title = self.sorted_records(r for r in records if cut is None or r.date >= cut)
        return sorted(by_title, key=lambda r: r.date, reverse=True)[:count]

    # --- related practices --------------------------------------------------
    def shared_themes(self, a: Brief, b: Brief) -> int:
        return len(set(a.themes).intersection(b.themes))

    def related_order(self, practice: Brief, other: Brief, shared: int) -> tuple:
        """Where `other` stands among the practices related to `practice`: same province first,
        then more shared themes, then title. The one place this order is defined."""
        return (self.province(other.region) != self.province(practice.region), -shared, self._rank(other.id))

    def _rank(self, practice_id: str) -> int:
        if self._ranks is None:
            self._ranks = {p.id: n for n, p in enumerate(self.sorted_records(self._practices))}
        return self._ranks[practice_id]

    def related_practices(self, practice: Brief, count: int = 5) -> list[Brief]:
        """The `count` practices first in related_order among those sharing a theme with this one.

        Shared themes are counted from per-theme buckets, so the cost is the size of those buckets,
        not the number of practices.
        """
        shared: Counter[str] = Counter()
        for theme_id in practice.themes:
            shared.update(self._practice_theme.get(theme_id, ()))
        shared.pop(practice.id, None)
        briefs = self.graph.briefs
        order = lambda p: self.related_order(practice, p, shared[p.id])  # noqa: E731
        province = self.province(practice.region)
        near = [p for p in self._province_practices[province] if p.id in shared]
        out = heapq.nsmallest(count, near, key=order)
        if len(out) < count:
            far = [briefs[i] for i in shared if self.province(briefs[i].region) != province]
            out += heapq.nsmallest(count - len(out), far, key=order)
        # The list shows these; a practice not in it enters only by ranking above its last
        # (would_relate), which engine/changes.py asks of every changed practice sharing a theme.
        self.reads.update(reads.brief(p.id) for p in out)
        return out

    def practices_sharing_themes(self, practice: Brief) -> set[str]:
        return {i for t in practice.themes for i in self._practice_theme.get(t, ())} - {practice.id}

    def would_relate(self, practice: Brief, current: list[Brief], other: Brief, count: int = 5) -> bool:
        """Whether `other` belongs in `practice`'s related list, given the list as it stands without it."""
        shared = self.shared_themes(practice, other)
        if not shared or other.id == practice.id:
            return False
        if len(current) < count:
            return True
        last = current[-1]
        return self.related_order(practice, other, shared) < self.related_order(
            practice, last, self.shared_themes(practice, last)
        )
