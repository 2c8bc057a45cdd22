"""Near-duplicates: two records that tell the same story, and an article that a record already tells.

A record's text (title, summary or narrative, measures, organisation, figures) is cut into
shingles: every run of SHINGLE characters once everything but Chinese characters, digits and
Latin letters is dropped (editorial notes in 【】, such as the importer's draft mark, go first).
Each shingle is hashed to 64 bits, and a record's fingerprint is a one-permutation MinHash of
BINS values: a shingle falls in the bin its top bits name, and each bin keeps its smallest hash.
Everything is computed on arrays of all records at once (NumPy), so the cost is a few array
passes over the text, not a loop over records or pairs.

Two records are compared by the share of bins whose smallest hashes agree: an estimate of the
Jaccard similarity of their shingle sets (`check` warns at SAME or more). Only pairs that agree
on every bin of one band of ROWS bins are compared (locality-sensitive hashing), so the pairs
looked at grow with the records, not with their square.

An article is compared with every record by containment: the share of a record's distinct
shingles that the article holds too (computed exactly: one article against all records is one
pass). A record written from an article, in the editor's own words, still shares its figures,
names and many phrases with it (`import` refuses at TOLD or more). Containment is the measure
there because a record is much shorter than its article: their Jaccard similarity stays low.

Tuned on our own data (tests/test_duplicates.py): the records in data/ are at most 0.08 alike
(two cases of one article), and each seed article holds 0.35 to 0.42 of the record it is most
like among those written from it, while no seed holds more than 0.11 of another region's records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from ..sources.problems import Problem
from .load import Dataset, Kept
from .records import Case, Practice

if TYPE_CHECKING:  # NumPy is imported where it is used: builds that do not check for duplicates never load it
    import numpy as np

SHINGLE = 4  # characters per shingle: 3 makes everyday phrases (产业工) common to unrelated records
BINS = 128  # 2**7: a shingle's bin is the top 7 bits of its 32-bit hash
ROWS = 3  # bins per band: two records 0.5 alike share a whole band with probability 0.996 (42 bands)
SAME = 0.5  # check: this alike or more is one story told twice (data/ today: 0.08 at most)
READS_ALIKE = "two records read alike"  # the rule of check's warning (Problem.rule)
TOLD = 0.2  # import: an article holding this share of a record's text tells it already (seeds: 0.35 or more; others: 0.11)
EMPTY = 2**32 - 1  # a bin no shingle fell in
NEIGHBOURS = 3  # in a bucket of records sharing a band, each is compared with this many on each side
CHUNK = 50_000  # pairs compared at a time (memory: CHUNK x BINS x 4 bytes, twice)
BATCH = 2_000  # texts fingerprinted at a time

_NOTE = re.compile(r"【[^【】]*】")
_NOT_TEXT = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]+")
_SEPARATOR = 1  # a code point no normalised text holds: between records, so no shingle spans two


def record_text(record: Practice | Case) -> str:
    """The words of a record that tell its story."""
    parts = [record.title]
    if isinstance(record, Practice):
        parts += [record.summary, *(m.title + m.text for m in record.measures)]
    else:
        parts += [record.organization, record.narrative]
    parts += [f"{m.indicator}{m.value}{m.unit}" for m in record.metrics]
    return "\n".join(parts)


def normalise(text: str) -> str:
    """The text as shingles see it: Chinese characters, digits and Latin letters (lower case), notes in 【】 dropped."""
    return _NOT_TEXT.sub("", _NOTE.sub("", text)).lower()


def _code_points(texts: Sequence[str]) -> np.ndarray:
    """normalise() of every text at once, as code points, the texts parted by _SEPARATOR (one array pass, no loop)."""
    import numpy as np

    joined = chr(_SEPARATOR).join(_NOTE.sub("", text) if "【" in text else text for text in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    upper = (codes >= 65) & (codes <= 90)
    keep = (
        ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 0x3400) & (codes <= 0x4DBF))
        | ((codes >= 48) & (codes <= 57))
        | ((codes >= 97) & (codes <= 122))
        | upper
        | (codes == _SEPARATOR)
    )
    return (codes + upper.astype(np.uint32) * np.uint32(32))[keep]


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser: every bit of the result depends on every bit of h."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingles(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 32-bit hash of every shingle of every text, and the index of its text (len(texts) for a run across two)."""
    import numpy as np

    codes = _code_points(texts)
    windows = len(codes) - SHINGLE + 1
    if windows < 1:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32)
    h = codes[:windows].copy()
    across = codes[:windows] == _SEPARATOR
    for j in range(1, SHINGLE):
        part = codes[j : j + windows]
        h *= np.uint32(1_000_003)
        h += part
        across |= part == _SEPARATOR
    owner = np.cumsum(codes[:windows] == _SEPARATOR, dtype=np.int32)
    owner[across] = len(texts)
    return _mix(h), owner


@dataclass(frozen=True)
class Fingerprints:
    """One row of BINS smallest hashes per text (EMPTY where no shingle fell)."""

    bins: np.ndarray  # (texts, BINS) uint64

    @classmethod
    def of(cls, texts: Sequence[str]) -> Fingerprints:
        """The fingerprints of the texts, made BATCH texts at a time (so memory stays that of a batch's text)."""
        import numpy as np

        bins = np.full((len(texts), BINS), np.uint32(EMPTY), np.uint32)
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            hashes, owner = shingles(batch)
            flat = np.full((len(batch) + 1) * BINS, np.uint32(EMPTY), np.uint32)  # a last row for runs across two
            np.minimum.at(flat, owner * BINS + (hashes >> np.uint32(32 - 7)), hashes)
            bins[start : start + len(batch)] = flat.reshape(len(batch) + 1, BINS)[:-1]
        return cls(bins)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Estimated Jaccard similarity of the pairs (a[i], b[i]): bins that agree, of the bins either fills."""
        import numpy as np

        out = np.zeros(len(a))
        for at in range(0, len(a), CHUNK):
            left, right = self.bins[a[at : at + CHUNK]], self.bins[b[at : at + CHUNK]]
            filled = (left != EMPTY) | (right != EMPTY)
            agree = (left == right) & filled
            out[at : at + CHUNK] = agree.sum(axis=1) / np.maximum(filled.sum(axis=1), 1)
        return out

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (a < b) that agree on every bin of at least one band: the only pairs worth comparing.

        The records of a band's bucket are compared with their NEIGHBOURS next ones in it: every pair of a
        small bucket, and for a large one (many copies of one text) enough to find each one's match.
        """
        import numpy as np

        n = len(self.bins)
        found: list[np.ndarray] = []
        for start in range(0, BINS - ROWS + 1, ROWS):
            band = self.bins[:, start : start + ROWS]
            key = np.zeros(n, np.uint32)
            for column in range(ROWS):
                key = _mix(key ^ band[:, column])
            usable = np.flatnonzero((band != EMPTY).all(axis=1))
            order = usable[np.lexsort((usable, key[usable]))]
            keys = key[order]
            for step in range(1, NEIGHBOURS + 1):
                same = np.flatnonzero(keys[step:] == keys[:-step])
                a, b = order[same], order[same + step]
                found.append(np.minimum(a, b) * n + np.maximum(a, b))
        pairs = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
        return pairs // max(n, 1), pairs % max(n, 1)


@dataclass(frozen=True)
class Alike:
    """A record (by index) and the other most like it, with their similarity."""

    index: int
    other: int
    similarity: float


def near_duplicates(texts: Sequence[str], threshold: float = SAME) -> list[Alike]:
    """For each text that has another at least `threshold` alike, the one most alike (ties: the first)."""
    import numpy as np

    if len(texts) < 2:
        return []
    prints = Fingerprints.of(texts)
    a, b = prints.candidates()
    if not len(a):
        return []
    alike = prints.similarity(a, b)
    keep = alike >= threshold
    a, b, alike = a[keep], b[keep], alike[keep]
    this, other, alike = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([alike, alike])
    order = np.lexsort((other, -alike, this))  # by text, the most alike first, then the first other
    this, other, alike = this[order], other[order], alike[order]
    first = np.r_[True, this[1:] != this[:-1]]
    return [Alike(int(x), int(y), float(s)) for x, y, s in zip(this[first], other[first], alike[first], strict=True)]


def contained(article: str, texts: Sequence[str]) -> np.ndarray:
    """For each text, the share of its distinct shingles that the article holds too (BATCH texts at a time)."""
    import numpy as np

    article_hashes = np.unique(shingles([article])[0])
    shares = np.zeros(len(texts))
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        hashes, owner = shingles(batch)
        distinct = np.unique((owner.astype(np.uint64) << np.uint64(32)) | hashes)
        owner, hashes = (distinct >> np.uint64(32)).astype(np.int64), (distinct & np.uint64(EMPTY)).astype(np.uint32)
        held = np.bincount(owner[np.isin(hashes, article_hashes)], minlength=len(batch) + 1)[:-1]
        total = np.bincount(owner, minlength=len(batch) + 1)[:-1]
        shares[start : start + len(batch)] = held / np.maximum(total, 1)
    return shares


def told(article: str, texts: Sequence[tuple[str, str]], threshold: float = TOLD) -> list[tuple[str, float]]:
    """The texts (by name) the article holds at least `threshold` of, the most held first."""
    shares = contained(article, [text for _, text in texts])
    found = [(name, float(share)) for (name, _), share in zip(texts, shares, strict=True) if share >= threshold]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def _field(item: Kept[Practice] | Kept[Case]) -> str:
    return "summary" if item.brief.kind == "Practice" else "narrative"


class _Texts(Sequence[str]):
    """record_text() of each record, made when a batch of fingerprints asks for it: the whole
    library's text at once was a tenth of check's memory at 100,000 records."""

    def __init__(self, items: Sequence[Kept[Practice] | Kept[Case]]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [record_text(item.record) for item in self.items[at]]
        return record_text(self.items[at].record)


def duplicate_warnings(dataset: Dataset) -> list[Problem]:
    """A warning at each record that reads like another (file, line of its text, the other and how alike)."""
    items: list[Kept[Practice] | Kept[Case]] = [*dataset.practices, *dataset.cases]
    out = []
    for alike in near_duplicates(_Texts(items)):
        item, other = items[alike.index], items[alike.other]
        out.append(
            Problem(
                item.path,
                *item.at(_field(item)),
                _field(item),
                f"reads like {other.path} ({other.brief.id}): {alike.similarity:.0%} of their text is alike; "
                "if they tell the same story, keep one record",
                "warning",
                READS_ALIKE,
            )
        )
    return out
