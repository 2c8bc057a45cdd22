"""Text as the search index and the browser both see it: normalised, with field terms, stop
words and the pinyin keywords of places."""

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
SLOTS_PER_DOCUMENT = 2  # at least this many document numbers per document: one in two to four is taken
DOC_SLOTS_PER_SHARD = 128  # numbers per document shard: 32 to 64 documents
EXCERPT_SLOTS_PER_SHARD = 16  # small (4 to 8 documents): a search loads the excerpt shards of the 20 results it shows


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
    syllables = [re.sub(r"\d", "", s) for s in region.pinyin.split()]
    out = ["".join(syllables)]
    stem = region_stem(region.name)
    stem_len = len(stem) if len(syllables) == len(region.name) and stem != region.name else 0
    if stem_len:
        out.append("".join(syllables[:stem_len]))
    out.append("".join(s[0] for s in syllables))
    if stem_len:
        out.append("".join(s[0] for s in syllables[:stem_len]))
    return list(dict.fromkeys(out))


def place_keywords(graph: Graph, code: str) -> list[str]:
    """Pinyin keywords of a region and every region above it (what a record in it is found by)."""
    return [k for region in graph.region_chain(code) for k in region_keywords(region)]
