"""Which region an article is about: the place that acts, not the place named most.

Every official name (婺城区) and its short form (婺城) is looked for, longest
first. A name several regions share (朝阳区 in 北京 and 长春; 鼓楼区 in four
cities) goes to the one whose province or city is named just before it, else to
the one whose parents the article names anywhere, else it is counted for each
and reported as unsure. Short forms that are ordinary words (通道, 合作) count
only when a parent is named too.

The choice, in order:
1. Candidates are the places of the title, the subject of the lead (its first
   run of names: 江苏省盐城市建湖县) and the bodies that act in title or lead
   (…区总工会, …县人社局). A title counts most.
2. Among the candidates of the leading province the most specific wins. Several
   that are not in one line (杭州, 宁波 and 温州 under 浙江) give their common
   parent when it is a candidate too (a province-wide round-up); otherwise the
   most prominent, then the most mentioned, wins.
3. Without names in title or lead, bodies acting in the body are the
   candidates; without those, counts decide: the choice walks down from the
   province while a child is mentioned about as often as its parent.

Development zones and new areas outside GB/T 2260 (合肥高新区, 宁波杭州湾新区)
count for the division named in front of them, and the draft says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...model.records import Region
from ..scaffold import chain, short_name

LEVELS = {"province": 0, "prefecture": 1, "county": 2, "township": 3}
DESCEND = 0.75  # go to a child when it is mentioned at least this share as often as its parent
NEARBY = 20  # characters before a shared name in which its province or city settles it
TITLE, LEAD, ACTING = 3.0, 2.0, 1.0  # weight of a place named in the title, as the lead's subject, by a body acting

# A body of the place just named that does something: 鼓楼区总工会, 建湖县人社局, 杭州市委.
_ACTING = re.compile(
    r"(?:总工会|工会|人社局|人力资源和社会保障局|人力资源社会保障局|人力社保局|人民政府|政府|党委|人大|政协|"
    r"发改委|发展改革委|经信局|工信局|财政局|教育局|科技局|妇联|团委|组织部|宣传部|产改办|产改工作领导小组|委(?!员))"
)
# Zones that are not divisions of GB/T 2260; the name in front of them is the division that contains them.
_ZONE = re.compile(
    r"(?:(?!总工会|工会|在|的|和|与|及|等)[\u4e00-\u9fff]){0,6}?"
    r"(?:经济技术开发区|经济开发区|经开区|高新技术产业开发区|高新技术开发区|高新区|工业园区|产业园区|产业园|开发区|新区|保税区)"
)
_DATELINE = re.compile(r"^.{0,30}?(?:讯|日电)(?:\s*[（(][^）)]{0,40}[）)])?\s*[：:]?\s*")


@lru_cache(maxsize=1)
def _common_words() -> dict[str, tuple[str, int]]:
    """Words of jieba's dictionary with their part of speech (n, v, a…) and frequency, for telling 通道 the word from 通道 the county."""
    try:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        out = {}
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 3 and 2 <= len(parts[0]) <= 4 and parts[1].isdigit():
                    out[parts[0]] = (parts[2], int(parts[1]))
        return out
    except (ImportError, OSError):
        return {}


def is_common_word(word: str) -> bool:
    """An everyday word (通道 v, 合作 vn, 大方 n 559); jieba also files rarer places as plain nouns (合肥 n 406, 鼓楼 n 141)."""
    tag, frequency = _common_words().get(word, ("ns", 0))
    if tag in {"ns", "nr", "nrt", "nz", "nt", "nrfg"}:
        return False
    return tag != "n" or frequency >= 500


@dataclass(frozen=True)
class Mention:
    """A name found in a text: where, which regions it may be, whether a body of it acts, the zone it prefixes."""

    form: str
    start: int
    end: int
    codes: tuple[str, ...]
    full: bool
    acting: bool = False
    zone: str = ""


@dataclass
class RegionChoice:
    code: str | None
    chain: list[Region] = field(default_factory=list)
    mentions: dict[str, float] = field(default_factory=dict)  # code -> weight of its own mentions
    unsure: list[str] = field(default_factory=list)  # human-readable notes when candidates competed
    notes: list[str] = field(default_factory=list)  # for the draft, in Chinese: a zone outside GB/T 2260
    basis: str = ""  # why this region: named in the title, the lead's subject, an acting body, counts


class Gazetteer:
    def __init__(self, places: dict[str, Region]):
        self.places = places
        self.forms: dict[str, list[tuple[str, bool]]] = defaultdict(list)  # text -> [(code, is_full_name)]
        for code, place in places.items():
            self.forms[place.name].append((code, True))
            short = short_name(place.name)
            if short != place.name:
                self.forms[short].append((code, False))
        self.longest = max((len(f) for f in self.forms), default=0)
        self.children: dict[str, list[str]] = defaultdict(list)
        for code, place in places.items():
            if place.parent:
                self.children[place.parent].append(code)

    def scan(self, text: str) -> list[tuple[str, int]]:
        """Every name or short form found, longest match first, without overlaps: (form, position)."""
        found, i = [], 0
        while i < len(text):
            form = self._longest_at(text, i)
            if form and not self._overtaken(text, i, form):
                found.append((form, i))
                i += len(form)
            else:
                i += 1
        return found

    def _longest_at(self, text: str, i: int) -> str:
        for size in range(min(self.longest, len(text) - i), 1, -1):
            if text[i : i + size] in self.forms:
                return text[i : i + size]
        return ""

    def _overtaken(self, text: str, i: int, form: str) -> bool:
        """A short form whose last characters begin a longer official name (记者从江苏省: 从江 gives way to 江苏省)."""
        if any(full for _, full in self.forms[form]):
            return False
        for k in range(1, len(form)):
            later = self._longest_at(text, i + k)
            if later and len(later) > len(form) - k and any(full for _, full in self.forms[later]):
                return True
        return False

    def _ancestors(self, code: str) -> list[str]:
        return [p.code for p in chain(self.places, code)[:-1]]

    def _certain(self, found: list[tuple[str, int]]) -> set[str]:
        """Regions named without doubt: a full name, or a short form only one region has and that is no common word."""
        certain: set[str] = set()
        for form, _ in found:
            entries = self.forms[form]
            if len(entries) == 1 and (entries[0][1] or not is_common_word(form)):
                certain.add(entries[0][0])
        return certain

    def mentions(self, text: str, certain: set[str]) -> tuple[list[Mention], list[str]]:
        """The names of text with shared ones settled by context; notes for those nothing settles."""
        named = certain | {a for code in certain for a in self._ancestors(code)}
        out: list[Mention] = []
        notes: list[str] = []
        zone_end = -1
        for form, start in self.scan(text):
            if start < zone_end:
                continue  # 杭州 inside 宁波杭州湾新区 is part of the zone's name
            end = start + len(form)
            entries = self.forms[form]
            codes = [code for code, _ in entries]
            if len(codes) > 1:
                before = {c for m in out if start - m.end <= NEARBY for c in m.codes}
                near = self._closest(codes, before)
                supported = self._closest(codes, certain) or [
                    c for c in codes if any(k in named for k in self.children.get(c, ()))
                ]
                codes = near or supported or codes
                # 朝阳 after 辽宁 is 朝阳市 rather than its 朝阳县: the city is what a short name means.
                codes = [c for c in codes if not set(self._ancestors(c)) & set(codes)]
                if len(codes) > 1:
                    shown = "、".join(" ".join(p.name for p in chain(self.places, c)) for c in codes[:4])
                    notes.append(f"“{form}” may be any of {shown}; nothing named nearby tells which; counted for each")
            zone = _ZONE.match(text, end)
            zone_name = ""
            if zone and text[start : zone.end()] not in self.forms:
                zone_name, zone_end = text[start : zone.end()], zone.end()
            after = zone.end() if zone_name and zone else end
            acting = bool(_ACTING.match(text, after))
            full = any(f for _, f in entries)
            out.append(Mention(form, start, end, tuple(codes), full, acting, zone_name))
        return out, list(dict.fromkeys(notes))

    def _closest(self, codes: list[str], named: set[str]) -> list[str]:
        """The codes whose nearest named parent is the most specific (沧州市 settles 新华区 where 河北省 cannot)."""
        depth = {
            c: max((LEVELS.get(self.places[a].level, 0) for a in self._ancestors(c) if a in named), default=-1) for c in codes
        }
        best = max(depth.values(), default=-1)
        return [c for c in codes if depth[c] == best] if best >= 0 else []

    def _weak(self, m: Mention, certain: set[str]) -> bool:
        """A short form that is an ordinary word (通道 in 晋升通道) with none of its parents named."""
        supported = any(a in certain for c in m.codes for a in self._ancestors(c))
        return not m.full and is_common_word(m.form) and not supported

    def _weights(self, found: list[Mention], certain: set[str]) -> dict[str, float]:
        weight: dict[str, float] = defaultdict(float)
        for m in found:
            share = 1 / len(m.codes)
            for code in m.codes:
                place = self.places[code]
                supported = any(a in certain for a in self._ancestors(code))
                if self._weak(m, certain):
                    share_here = share * 0.1
                elif not m.full and LEVELS.get(place.level, 2) >= 2 and not supported and len(m.form) <= 2:
                    share_here = share * 0.5  # a bare county short form with none of its parents named
                else:
                    share_here = share
                weight[code] += share_here
        return weight

    def choose(self, text: str, title: str = "", lead: str = "") -> RegionChoice:
        """The region of an article: text is all of it; title and lead, when given, are weighed first."""
        certain = self._certain(self.scan("\n".join((title, lead, text))))
        body, notes = self.mentions(text, certain)
        if not body:
            return RegionChoice(None)
        weight = self._weights(body, certain)
        subtree: dict[str, float] = defaultdict(float)
        for code, w in weight.items():
            for member in chain(self.places, code):
                subtree[member.code] += w

        prominence: dict[str, float] = defaultdict(float)
        zones: dict[str, str] = {}
        heads: list[Mention] = []
        for part, bonus, subject_only in ((title, TITLE, False), (_lead_text(lead), LEAD, True)):
            found, more = self.mentions(part, certain)
            heads += found
            notes += more
            subject = _first_run(found)
            for i, m in enumerate(found):
                if self._weak(m, certain) or (subject_only and i not in subject and not m.acting):
                    continue
                for code in m.codes:
                    prominence[code] += (bonus + (ACTING if m.acting else 0)) / len(m.codes)
                    if m.zone:
                        zones.setdefault(code, m.zone)
        basis = "named in the title or as the lead's subject"
        if not prominence:
            for m in body:
                if m.acting and not self._weak(m, certain):
                    for code in m.codes:
                        prominence[code] += ACTING / len(m.codes)
                        if m.zone:
                            zones.setdefault(code, m.zone)
            basis = "named by a body acting in the article"
        if prominence:
            picked_code, more = self._most_specific(prominence, subtree)
            notes += more
        else:
            picked_code, more = self._walk(weight, subtree)
            notes += more
            basis = "mentioned most often"
        if picked_code is None:
            return RegionChoice(None, mentions=dict(weight), unsure=notes)
        for m in heads + body:
            alike = {(round(prominence.get(c, 0.0), 6), round(subtree.get(c, 0.0), 6)) for c in m.codes}
            if picked_code in m.codes and len(m.codes) > 1 and len(alike) == 1:
                # 鼓楼区 with no province or city named anywhere: any choice would be a guess.
                shown = "、".join(" ".join(p.name for p in chain(self.places, c)) for c in m.codes)
                fill = f"原文的“{m.form}”可能是{shown}，原文没有点明所属的省市，请核对后填写地区代码"
                return RegionChoice(None, mentions=dict(weight), unsure=list(dict.fromkeys(notes)), notes=[fill])
        picked = chain(self.places, picked_code)
        codes = {p.code for p in picked}
        notes = [n for n in dict.fromkeys(notes) if "may be any of" not in n or any(p.name in n for p in picked)]
        facts = [
            f"原文的“{zone}”不是 GB/T 2260 中的行政区划，归入包含它的{self.places[c].name}"
            for c, zone in sorted(zones.items())
            if c in codes
        ]
        return RegionChoice(picked_code, picked, dict(weight), notes, facts, basis)

    def _most_specific(self, prominence: dict[str, float], subtree: dict[str, float]) -> tuple[str | None, list[str]]:
        notes: list[str] = []
        roots: dict[str, float] = defaultdict(float)
        for code, p in prominence.items():
            roots[chain(self.places, code)[0].code] += p
        root = max(roots, key=lambda r: (roots[r], subtree.get(r, 0.0), r))
        if len(roots) > 1:
            notes.append(f"places of several provinces lead the article; chose {self.places[root].name}")
        candidates = {c for c in prominence if chain(self.places, c)[0].code == root}
        lines = {c: set(self._ancestors(c)) for c in candidates}
        leaves = sorted(c for c in candidates if not any(c in lines[d] for d in candidates if d != c))
        if len(leaves) == 1:
            return leaves[0], notes
        common = set.intersection(*(lines[c] | {c} for c in leaves))
        parent = max(common, key=lambda c: LEVELS.get(self.places[c].level, 9)) if common else root
        if parent in candidates and len(leaves) >= 2 and prominence[parent] >= max(prominence[c] for c in leaves):
            return parent, notes  # a round-up: the parent leads, its cities or counties follow
        ranked = sorted(leaves, key=lambda c: (-prominence[c], -subtree.get(c, 0.0), c))
        first, second = ranked[0], ranked[1]
        if prominence[first] == prominence[second] and subtree.get(first, 0.0) < 1.5 * subtree.get(second, 0.0):
            notes.append(
                f"{self.places[first].name} and {self.places[second].name} are named alike; "
                f"chose {self.places[first].name} ({subtree.get(first, 0.0):g} mentions against {subtree.get(second, 0.0):g})"
            )
        return first, notes

    def _walk(self, weight: dict[str, float], subtree: dict[str, float]) -> tuple[str | None, list[str]]:
        """Counts alone: from the most mentioned province down while a child is mentioned about as often."""
        notes: list[str] = []

        def best(codes: list[str]) -> tuple[str | None, float, float]:
            ranked = sorted(
                ((subtree[c], LEVELS.get(self.places[c].level, 9), c) for c in codes if subtree.get(c)),
                key=lambda t: (-t[0], -t[1], t[2]),
            )
            if not ranked:
                return None, 0.0, 0.0
            runner = ranked[1][0] if len(ranked) > 1 else 0.0
            return ranked[0][2], ranked[0][0], runner

        roots = [c for c in subtree if not self.places[c].parent or self.places[c].parent not in self.places]
        current, top, runner = best(roots)
        if current is None or top < 1:
            return None, notes
        if runner and runner >= 0.6 * top:
            notes.append(
                f"several provinces are mentioned; chose {self.places[current].name} ({top:g} mentions against {runner:g})"
            )
        while True:
            child, score, second = best(self.children.get(current, []))
            if child is None:
                break
            own = weight.get(current, 0.0)
            if score < DESCEND * own or score < 1:
                if score >= 0.4 * own and score >= 1:
                    notes.append(
                        f"{self.places[child].name} is mentioned {score:g} times against "
                        f"{own:g} for {self.places[current].name}; kept {self.places[current].name}"
                    )
                break
            if second and second >= 0.6 * score:
                notes.append(
                    f"under {self.places[current].name} both {self.places[child].name} and another "
                    f"region are mentioned ({score:g} against {second:g}); chose {self.places[child].name}"
                )
            current = child
        return current, notes


def _first_run(found: list[Mention]) -> set[int]:
    """Indexes of the first names written one after the other (江苏省盐城市建湖县): the subject of a sentence."""
    run: set[int] = set()
    for i, m in enumerate(found):
        if i and (i - 1 not in run or m.start > found[i - 1].end + 1):
            break
        run.add(i)
    return run


def _lead_text(lead: str) -> str:
    """The lead without its dateline (本报讯（记者 张三）, 新华社南京1月3日电), which names where it was written."""
    m = _DATELINE.match(lead)
    if m and re.search(r"本报|本台|记者|通讯员|新华社|网|报|\d+月\d+日", m.group(0)):
        return lead[m.end() :]
    return lead


def region_text(lines: list[str]) -> str:
    """Lines joined so that names never run across two lines."""
    return "\n".join(re.sub(r"\s+", " ", line) for line in lines)
