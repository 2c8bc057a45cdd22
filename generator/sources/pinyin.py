"""Readings of Chinese text as pinyin syllables.

pypinyin reads characters by their most common sound, which is wrong for many
place names (长治 chang, 重庆 chong, 六安 lu). Callers pass a table of phrase
readings (curated corrections plus every gazetteer name); the longest phrase
wins and pypinyin reads only what no phrase covers. pypinyin's own global
dictionaries are never touched, so a reading never depends on call order.
Traditional characters are read through their Simplified form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

import opencc

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SYLLABLE = re.compile(r"^([a-zv]+)([1-5])$")
_WORD = re.compile(r"[a-z0-9]+")
_T2S = opencc.OpenCC("t2s")


class Syllable(NamedTuple):
    """One sound: letters without tone (ü written v) and tone 1–5, or 0 for non-Han text."""

    letters: str
    tone: int


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    return _T2S.convert(text)


def han_count(text: str) -> int:
    return len(HAN.findall(text))


def parse_reading(reading: str) -> tuple[Syllable, ...]:
    """Parse 'chang2 zhi4' into syllables; raise ValueError naming the bad part."""
    out = []
    for part in reading.replace("ü", "v").split():
        m = SYLLABLE.match(part)
        if not m:
            raise ValueError(f"'{part}' is not a syllable with tone number 1-5 (for example chang2)")
        out.append(Syllable(m.group(1), int(m.group(2))))
    return tuple(out)


# lazy_pinyin was most of the time spent reading titles. It segments a run with seg() and converts each
# word on its own, and it takes a list as already segmented: so reading a run word by word gives exactly
# lazy_pinyin(run), and words, unlike runs, repeat enough to cache. in_han_run is part of the key because
# whether a token like 'abc1' is a syllable depends on the whole run.
@lru_cache(maxsize=65536)
def _word_reading(word: str, in_han_run: bool) -> tuple[Syllable, ...]:
    out: list[Syllable] = []
    from pypinyin import Style, lazy_pinyin  # imported on first use: a tenth of a second an incremental build rarely needs

    for token in lazy_pinyin([word], style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False):
        token = token.lower()
        m = SYLLABLE.match(token)
        if m and in_han_run:
            out.append(Syllable(m.group(1), int(m.group(2))))
            continue
        out.extend(Syllable(w, 0) for w in _WORD.findall(token))
    return tuple(out)


def _default_reading(text: str) -> list[Syllable]:
    """pypinyin's reading of the run as a whole."""
    in_han_run = bool(HAN.search(text))
    from pypinyin.seg.simpleseg import seg

    return [s for word in seg(text) for s in _word_reading(word, in_han_run)]


class Reader:
    """Reads text with a fixed table of phrase readings (phrase -> 'chang2 zhi4').

    Entries shorter than `shortest` characters are ignored: a single character's
    place-name reading (长 chang) is right inside names but wrong in general text.
    """

    def __init__(self, phrases: Mapping[str, str] | None = None, shortest: int = 2):
        self._phrases: dict[str, tuple[Syllable, ...]] = {}
        for phrase, reading in sorted((phrases or {}).items()):
            syllables = parse_reading(reading)
            if len(syllables) != len(phrase) or han_count(phrase) != len(phrase):
                raise ValueError(f"reading '{reading}' of '{phrase}' needs one syllable per character")
            # Keyed as written and in Simplified form: 乾县 is Simplified, though OpenCC would make it 干县.
            self._phrases[phrase] = syllables
            self._phrases.setdefault(simplified(phrase), syllables)
        # First character -> lengths of the phrases it starts, longest first, so that _read tries only
        # lengths that exist instead of every length from the longest name down at every position.
        sizes: dict[str, set[int]] = {}
        for phrase in self._phrases:
            if phrase and len(phrase) >= shortest:
                sizes.setdefault(phrase[0], set()).add(len(phrase))
        self._sizes = {first: sorted(lengths, reverse=True) for first, lengths in sizes.items()}
        self._cache: dict[str, tuple[Syllable, ...]] = {}

    def syllables(self, text: str) -> tuple[Syllable, ...]:
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._read(text)
        return cached

    def _read(self, written: str) -> tuple[Syllable, ...]:
        text = simplified(written)
        if len(text) != len(written):  # conversion changed the length: match the Simplified form only
            written = text
        out: list[Syllable] = []
        run_start = i = 0
        while i < len(text):
            sizes = self._sizes.get(text[i], ())
            if written[i] != text[i]:  # a phrase may match as written or in Simplified form
                sizes = sorted({*sizes, *self._sizes.get(written[i], ())}, reverse=True)
            for size in sizes:
                if size > len(text) - i:
                    continue
                reading = self._phrases.get(written[i : i + size]) or self._phrases.get(text[i : i + size])
                if reading:
                    out.extend(_default_reading(text[run_start:i]))
                    out.extend(reading)
                    i = run_start = i + size
                    break
            else:
                i += 1
        out.extend(_default_reading(text[run_start:]))
        return tuple(out)


def plain(syllables: tuple[Syllable, ...]) -> str:
    """'chang2 zhi4' style text of syllables (tone 0 words as they are)."""
    return " ".join(f"{s.letters}{s.tone}" if s.tone else s.letters for s in syllables)


_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}


def tone_marks(reading: str) -> str:
    """'xiao1 shan1 qu1' -> 'xiāo shān qū': the tone on a or e, on the o of ou, else on the last
    vowel; v is ü; the neutral tone (5) has no mark."""
    out = []
    for syllable in parse_reading(reading):
        letters = syllable.letters.replace("v", "ü")
        if 1 <= syllable.tone <= 4:
            at = next((letters.index(v) for v in "ae" if v in letters), -1)
            if at < 0:
                at = letters.index("o") if "ou" in letters else max(letters.rfind(v) for v in "iouü")
            if at >= 0:
                letters = letters[:at] + _MARKS[letters[at]][syllable.tone - 1] + letters[at + 1 :]
        out.append(letters)
    return " ".join(out)
