"""The files of site/search/: documents and their terms, encoded into small scripts.

- meta.js       sizes of the index (documents, shard counts), stop words and the t2s map
- t/<n>.js      term shards: term -> postings, terms grouped by their first two characters (pinyin
                terms, ~xiaoshan, by ~ and three letters), so one shard answers "which terms start
                here", spread over n files by a hash
- p/<n>-<k>.js  a long list of postings of a term of shard n, which holds k in its place
                (LONG_POSTINGS), loaded only when a query needs that term
- d/<n>.js      document shards, a range of document numbers each: url, title, one line of context
- x/<n>.js      excerpt shards, a small range of numbers each: each document's sections (summary,
                measures, paragraphs, figures), its places with their pinyin and the syllables of
                its title, loaded after the results are shown, only for those shown
- and the files made from the graph, not from the documents (facets.py): the listing filters'
  facets.js and titles.js, the search page's doc-facets.js, synonyms.js, and index.html

A document's number depends on its url and on no other document unless two urls want the same
number (`numbers`), so adding or deleting a page rewrites only the shards that hold its terms, its
entries and the few documents whose number its coming or going changes; the rest keep their bytes.

Every file is a script that hands its data to `cgSearch` (JSONP style), so the same site
searches over http and when opened from disk; a search loads only the shards its words need.
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from .documents import Doc
from .text import DOC_SLOTS_PER_SHARD, EXCERPT_SLOTS_PER_SHARD, PINYIN_MARK, SLOTS_PER_DOCUMENT, STOP


def shard_key(term: str) -> str:
    """Terms that share it are in one shard, so that one shard answers "which terms start here":
    the first two characters; for a pinyin term (~xiaoshan), the mark and three letters, as pinyin
    terms share their first letters far more than words share their first characters."""
    return term[:4] if term.startswith(PINYIN_MARK) else term[:2]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (the browser computes the same with Math.imul)."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def encode_postings(postings: dict[int, int]) -> str:
    """doc*4+flags, ascending, delta-coded in base 36, comma separated."""
    return _encode_values(doc * 4 + flags for doc, flags in postings.items())


def _encode_values(values: Iterable[int]) -> str:
    """encode_postings of the values doc*4+flags, in any order."""
    out, last = [], 0
    for value in sorted(values):
        out.append(_b36(value - last))
        last = value
    return ",".join(out)


def script(call: str, *args) -> str:
    """cgSearch.<call>(<args as JSON>); (a script, so it loads from file:// too)."""
    text = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"cgSearch.{call}({text});\n"


def decode_postings(text: str) -> dict[int, int]:
    """encode_postings undone: doc -> flags."""
    out: dict[int, int] = {}
    value = 0
    for part in text.split(",") if text else ():
        value += int(part, 36)
        out[value >> 2] = value & 3
    return out


def term_shard_count(total_postings: int) -> int:
    """About 1,500 postings (~6 KB) per term shard, a power of two between 16 and 4096."""
    return 1 << max(4, min(12, math.ceil(math.log2(max(1, total_postings / 1500)))))


def term_shard(term: str, count: int) -> int:
    return fnv1a(shard_key(term)) % count


# --- document numbers ----------------------------------------------------------------------------
def slot_count(docs: int) -> int:
    """How many numbers documents may take: a power of two, at least SLOTS_PER_DOCUMENT per
    document and one document shard. It changes only when the count of documents doubles or halves."""
    least = max(DOC_SLOTS_PER_SHARD, SLOTS_PER_DOCUMENT * docs)
    return 1 << (least - 1).bit_length()


def home_slot(url: str, slots: int) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big") % slots


def numbers(urls: Iterable[str]) -> dict[str, int]:
    """Every document's number: its url's hash slot, or when that is taken, the next free one.

    Urls are placed in sorted order (linear probing), so the numbers are a function of the set of
    urls alone: a clean build and any sequence of incremental ones give the same. A url that comes
    or goes changes the number of another only where they share a run of taken slots: with one slot
    in two to four taken, 0.3 to 0.9 other documents on average (simulated with 13,000 urls).
    """
    ordered = sorted(set(urls))
    slots = slot_count(len(ordered))
    taken: set[int] = set()
    out: dict[str, int] = {}
    for url in ordered:
        slot = home_slot(url, slots)
        while slot in taken:
            slot = (slot + 1) % slots
        taken.add(slot)
        out[url] = slot
    return out


@dataclass
class IndexStats:
    docs: int
    terms: int
    term_shards: int
    doc_shards: int
    bytes: int


@dataclass
class TermShards:
    """The term shards of an ordering: shard number -> term -> encoded postings."""

    count: int
    total: int  # postings in all
    shards: dict[int, dict[str, str]]


def term_shards(numbered: Mapping[str, int], terms: Mapping[str, Mapping[str, int]]) -> TermShards:
    """Every document's terms, under its number, as term shards."""
    # Each term's postings as an array of doc*4+flags (8 bytes a posting): at 100,000 records there
    # are some ten million postings, and a dict of int objects per term took 470 MB more.
    postings: dict[str, array[int]] = defaultdict(lambda: array("q"))
    for url, n in numbered.items():
        for term, flags in terms[url].items():
            postings[term].append(n * 4 + flags)
    total = sum(len(p) for p in postings.values())
    count = term_shard_count(total)
    shards: dict[int, dict[str, str]] = {n: {} for n in range(count)}
    for term in sorted(postings):
        shards[term_shard(term, count)][term] = _encode_values(postings.pop(term))
    return TermShards(count, total, shards)


# A term's postings longer than this (characters) are a file of their own, p/<n>-<k>.js, and its
# shard holds k in their place. A shard groups the terms that start alike, and one popular start
# gathers many long lists: at 100,000 records the shard of 技能 was 334 KB, and a query for
# 技能大师工作室, which reads that shard only for its terms, fetched 622 KB.
LONG_POSTINGS = 4096


def term_files(n: int, shard: Mapping[str, str]) -> dict[str, str]:
    """Term shard n as files: t/<n>.js, and p/<n>-<k>.js for each of its long postings, k the
    term's hash (the next free number when two long terms of the shard share it), so that a list
    that comes, goes or changes rewrites its own file and the shard, not its neighbours'."""
    terms: dict[str, str | int] = {}
    out: dict[str, str] = {}
    for term, postings in sorted(shard.items()):
        if len(postings) > LONG_POSTINGS:
            k = fnv1a(term)
            while f"p/{n}-{k}.js" in out:
                k += 1
            out[f"p/{n}-{k}.js"] = script("shard", "p", f"{n}-{k}", postings)
            terms[term] = k
        else:
            terms[term] = postings
    return {f"t/{n}.js": script("shard", "t", n, terms), **out}


def shard_urls(n: int, per_shard: int, by_number: Mapping[int, str]) -> list[str | None]:
    """The url of each number of shard n (None: a free number)."""
    return [by_number.get(slot) for slot in range(n * per_shard, (n + 1) * per_shard)]


def doc_file(n: int, urls: list[str | None], docs: Mapping[str, Doc]) -> str:
    """The documents of shard n's numbers (shard_urls), 0 for a free number."""
    return script("shard", "d", n, [[docs[u].url, docs[u].title, docs[u].line] if u else 0 for u in urls])


def excerpt_file(n: int, urls: list[str | None], docs: Mapping[str, Doc]) -> str:
    """A few documents' excerpt sections, places and title syllables, loaded after the results are
    shown, only for those shown."""
    return script("shard", "x", n, [[docs[u].excerpt, docs[u].places, docs[u].reading] if u else 0 for u in urls])


def meta_file(docs: int, term_shard_count: int, t2s: dict[str, str]) -> str:
    meta = {
        "docs": docs,
        "docSlotsPerShard": DOC_SLOTS_PER_SHARD,
        "excerptSlotsPerShard": EXCERPT_SLOTS_PER_SHARD,
        "termShards": term_shard_count,
        "stop": "".join(sorted(STOP)),
        "t2s": ["".join(t2s), "".join(t2s.values())],
    }
    return script("meta", meta)


# The documents of some urls: all of them held (a dict's __getitem__ over the list), or read from the
# engine's cache a shard at a time, so that a clean build never holds every document at once.
DocsOf = Callable[[list[str]], Mapping[str, Doc]]


def files(
    numbered: Mapping[str, int],
    docs_of: DocsOf,
    shards: TermShards,
    graph_files: dict[str, str],
    t2s: dict[str, str],
) -> Iterator[tuple[str, str]]:
    """Every index file (path under search/, text) for these documents, under their numbers
    (their terms already made into `shards`, term_shards), and the files made from the graph
    (facets.graph_files); made one at a time, as they are written (at 100,000 records the index
    is some 150 MB of text)."""
    for n, shard in shards.shards.items():
        yield from term_files(n, shard).items()
    by_number = {n: url for url, n in numbered.items()}
    slots = slot_count(len(numbered))

    def shard_file(make: Callable[[int, list[str | None], Mapping[str, Doc]], str], n: int, per_shard: int) -> str:
        urls = shard_urls(n, per_shard, by_number)
        return make(n, urls, docs_of([u for u in urls if u]))

    for n in range(slots // DOC_SLOTS_PER_SHARD):
        yield f"d/{n}.js", shard_file(doc_file, n, DOC_SLOTS_PER_SHARD)
    for n in range(slots // EXCERPT_SLOTS_PER_SHARD):
        yield f"x/{n}.js", shard_file(excerpt_file, n, EXCERPT_SLOTS_PER_SHARD)
    yield "meta.js", meta_file(len(numbered), shards.count, t2s)
    yield from graph_files.items()


def index_stats(numbered: Mapping[str, int], shards: TermShards, size: int) -> IndexStats:
    """The stats of the index `files` makes, of `size` bytes."""
    terms_count = sum(len(s) for s in shards.shards.values())
    return IndexStats(len(numbered), terms_count, shards.count, slot_count(len(numbered)) // DOC_SLOTS_PER_SHARD, size)
