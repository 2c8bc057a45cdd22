"""Which region an article is about, from the gazetteer names it mentions.

Every official name (婺城区) and its short form (婺城) is looked for, longest
first. A short form shared by several regions (霞浦: a county in Fujian and a
street in Ningbo) goes to the one whose parents the article also names. Short
forms that are ordinary words (通道, 合作, 平安) count only when a parent is
named too. The choice then walks down from the province: it goes one level
deeper while the child is mentioned about as often as its parent, so an article
about a city that names one of its counties once stays with the city.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..models import Region
from ..scaffold import chain, short_name

LEVELS = {"province": 0, "prefecture": 1, "county": 2, "township": 3}
DESCEND = 0.75  # go to a child when it is mentioned at least this share as often as its parent


@lru_cache(maxsize=1)
def _common_words() -> dict[str, str]:
    """Words of jieba's dictionary with their part of speech (n, v, a…), for telling 通道 the word from 通道 the county."""
    try:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        out = {}
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                    out[parts[0]] = parts[2]
        return out
    except (ImportError, OSError):
        return {}


def is_common_word(word: str) -> bool:
    tag = _common_words().get(word)
    return tag is not None and tag not in {"ns", "nr", "nrt", "nz", "nt", "nrfg"}


@dataclass
class RegionChoice:
    code: str | None
    chain: list[Region] = field(default_factory=list)
    mentions: dict[str, float] = field(default_factory=dict)  # code -> weight of its own mentions
    unsure: list[str] = field(default_factory=list)  # human-readable notes when candidates competed


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
            for size in range(min(self.longest, len(text) - i), 1, -1):
                form = text[i : i + size]
                if form in self.forms:
                    found.append((form, i))
                    i += size
                    break
            else:
                i += 1
        return found

    def _ancestors(self, code: str) -> list[str]:
        return [p.code for p in chain(self.places, code)[:-1]]

    def choose(self, text: str) -> RegionChoice:
        found = self.scan(text)
        if not found:
            return RegionChoice(None)
        counts = Counter(form for form, _ in found)
        # Regions named without doubt: a full name, or a short form only one region has and that is no common word.
        certain: set[str] = set()
        for form in counts:
            entries = self.forms[form]
            if len(entries) == 1 and (entries[0][1] or not is_common_word(form)):
                certain.add(entries[0][0])
        named = certain | {a for code in certain for a in self._ancestors(code)}

        weight: dict[str, float] = defaultdict(float)
        notes: list[str] = []
        homonyms: list[tuple[set[str], str]] = []
        for form, n in counts.items():
            entries = self.forms[form]
            supported = [
                code
                for code, _ in entries
                if any(a in certain for a in self._ancestors(code)) or any(c in named for c in self.children.get(code, ()))
            ]
            targets = supported or [code for code, _ in entries]
            if len(entries) > 1 and len(targets) > 1:
                shown = "、".join(" ".join(p.name for p in chain(self.places, c)) for c in targets[:4])
                homonyms.append((set(targets), f"“{form}” may be any of {shown}; counted for each"))
            for code, full in entries:
                if code not in targets:
                    continue
                share = n / len(targets)
                place = self.places[code]
                if not full and is_common_word(form) and code not in supported:
                    share *= 0.1  # 通道 in 晋升通道 is not 通道侗族自治县
                elif not full and LEVELS.get(place.level, 2) >= 2 and code not in supported and len(form) <= 2:
                    share *= 0.5  # a bare county short form with none of its parents named
                weight[code] += share

        subtree: dict[str, float] = defaultdict(float)
        for code, w in weight.items():
            for member in chain(self.places, code):
                subtree[member.code] += w

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
            return RegionChoice(None, mentions=dict(weight))
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
        picked = {p.code for p in chain(self.places, current)}
        notes = [note for codes, note in homonyms if codes & picked] + notes
        return RegionChoice(current, chain(self.places, current), dict(weight), notes)


def region_text(lines: list[str]) -> str:
    """Lines joined so that names never run across two lines."""
    return "\n".join(re.sub(r"\s+", " ", line) for line in lines)
