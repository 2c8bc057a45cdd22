"""Text as the search index and the browser both see it: normalised, with field terms, stop
words, the pinyin keywords of places and the syllables of titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ...model.link import Graph
from ...model.ordering import region_stem
from ...model.records import Region

# Field terms that should always be one unit even before a record names them.
FIELD_TERMS = (
    "产业工人",
    "产改",
    "产业工人队伍建设改革",
    "技能大师工作室",
    "劳模工匠创新工作室",
    "劳模创新工作室",
    "能级工资集体协商",
    "工资集体协商",
    "集体协商",
    "工情代办站",
    "工会驿站",
    "户外劳动者驿站",
    "新就业形态劳动者",
    "职工服务站",
    "技能等级评价",
    "新八级",
    "自主评价",
    "新型学徒制",
    "以技提薪",
    "技术比武",
    "岗位练兵",
    "班组长",
    "高技能人才",
    "首席技师",
    "职业技能竞赛",
    "产教融合",
    "联席会议",
)
STOP = frozenset("的 了 和 与 及 在 是 为 对 将 把 被 也 等 由 从 以 于 之 其 中 上 下 并 或 而 着 个 这 那 有".split())
_PIECES = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9·]+")
_JOINERS = re.compile(r"[与和及、]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
TITLE, KEYWORD = 2, 1  # field flags of a posting (body is 0)
# A field of pinyin: its words are indexed as pinyin terms (PINYIN_MARK + the word), ranked below
# the words of the text itself. PINYIN: the text is pinyin words (a region's keywords); READING:
# the text is a title, a tab, and the syllable of each of its characters (`reading_field`), and
# each word of the title is indexed by its full pinyin and its initials.
PINYIN, READING = 4, 8
PINYIN_MARK = "~"  # sorts before every letter; no term of text starts with it
SLOTS_PER_DOCUMENT = 2  # at least this many document numbers per document: one in two to four is taken
# A search loads the document shards of the results it shows (20 on the search page), then their
# excerpt shards: small shards, so that it loads little besides what it shows.
DOC_SLOTS_PER_SHARD = 16  # numbers per document shard: 4 to 8 documents (about 2 KB)
EXCERPT_SLOTS_PER_SHARD = 4  # numbers per excerpt shard: 1 or 2 documents, each up to documents.EXCERPT_CHARS


# --- normalisation -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC, lower case, Simplified: the form both the index and the browser's query use."""
    return _t2s().convert(unicodedata.normalize("NFKC", text)).lower()


def t2s_char_map() -> dict[str, str]:
    """Traditional -> Simplified for single characters (what the browser applies to a query)."""
    convert = _t2s().convert
    out = {}
    for cp in range(0x3400, 0xA000):
        ch = chr(cp)
        simp = convert(ch)
        if simp != ch and len(simp) == 1:
            out[ch] = simp
    return out


# --- user dictionary ---------------------------------------------------------------------------
def _phrases(text: str) -> Iterator[str]:
    """Whole pieces of a name between punctuation, and their parts around 与/和/及/、."""
    for piece in _PIECES.split(text):
        if len(piece) >= 2:
            yield piece
            for part in _JOINERS.split(piece):
                if len(part) >= 2 and part != piece:
                    yield part


# --- pinyin keywords -----------------------------------------------------------------------------
def region_keywords(region: Region) -> list[str]:
    """Pinyin keywords of a region name: full and initials, with and without its suffix.

    萧山区 ("xiao1 shan1 qu1") -> ['xiaoshanqu', 'xiaoshan', 'xsq', 'xs'].
    """
    return list(_name_keywords(region.name, region.pinyin))


@lru_cache(maxsize=4096)  # asked for every region above every record: a few thousand names in all
def _name_keywords(name: str, pinyin: str) -> tuple[str, ...]:
    syllables = [re.sub(r"\d", "", s) for s in pinyin.split()]
    out = ["".join(syllables)]
    stem = region_stem(name)
    stem_len = len(stem) if len(syllables) == len(name) and stem != name else 0
    if stem_len:
        out.append("".join(syllables[:stem_len]))
    out.append("".join(s[0] for s in syllables))
    if stem_len:
        out.append("".join(s[0] for s in syllables[:stem_len]))
    return tuple(dict.fromkeys(out))


def place_keywords(graph: Graph, code: str) -> list[str]:
    """Pinyin keywords of a region and every region above it (what a record in it is found by)."""
    return [k for region in graph.region_chain(code) for k in region_keywords(region)]


# --- the syllables of titles ---------------------------------------------------------------------
def syllables_by_character(text: str, letters: str, tones: str, sep: str) -> list[str] | None:
    """The syllable of each character of text ('' where a character has none: punctuation, Latin,
    digits), from its sort reading (ordering.SortReading: letters joined by sep, a tone digit each;
    tone 0 is a Latin or digit word, not a syllable). None when they do not line up."""
    syllables = [(s, t) for s, t in zip(letters.split(sep) if letters else [], tones, strict=False)]
    out: list[str] = []
    at = 0
    for ch in text:
        if not _HAN_RUN.fullmatch(ch):
            out.append("")
            continue
        while at < len(syllables) and syllables[at][1] == "0":
            at += 1  # a Latin or digit word of the text
        if at >= len(syllables):
            return None
        out.append(syllables[at][0])
        at += 1
    return out


def reading_field(title: str, letters: str, tones: str, sep: str) -> str | None:
    """A READING field's text: the title normalised, a tab, and the syllable of each of its
    characters ('-' for none). None when the reading does not line up with the title."""
    norm = normalise(title)
    syllables = syllables_by_character(norm, letters, tones, sep) if len(norm) == len(title) else None
    if syllables is None:
        return None
    return norm + "\t" + " ".join(s or "-" for s in syllables)
