"""Site search for Chinese readers: our own small, chunked index in site/search/.

Why not Material's built-in search: its index is one JSON file (about 7 MB per 1,000
Chinese pages) fetched by a web worker, which neither scales nor works from file://.
Here every index file is a script (shards.py), loaded only when a query needs it.

Text is normalised the same way on both sides: NFKC, lower case, Traditional to
Simplified (text.py). Chinese is segmented with jieba plus a dictionary built from the
data (segment.py): theme names, region names, organisations, tags and a few field terms,
so 技能大师工作室 is one term; every longer term is also indexed under the contiguous parts
of its ordinary segmentation (工作室, 集体协商, 代办站). In the browser the query is
segmented by longest match against the terms that exist in the ordering, so query and ordering
always agree. Region names also carry their pinyin (xiaoshan, xiaoshanqu, xs, xsq).

Each record, region and theme page hands over its search document as it renders
(outputs/search/documents.py, outputs/kinds.py); the cache keeps every document with its terms, so a build
segments only the documents that changed, or that contain a dictionary term that came
or went, and writes only the index files whose bytes change (`update_index`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.link import Graph
from ..model.ordering import Ordering
from ..outputs.search import documents as documents_module
from ..outputs.search.documents import Doc, base_dictionary
from ..outputs.search.facets import FACET_FILES, facet_key, graph_files
from ..outputs.search.segment import Segmentation, Segmenter
from ..outputs.search.shards import (
    IndexStats,
    decode_postings,
    doc_file,
    encode_postings,
    excerpt_file,
    files,
    index_stats,
    meta_file,
    numbers,
    shard_urls,
    slot_count,
    term_files,
    term_shard,
    term_shard_count,
    term_shards,
)
from ..outputs.search.text import DOC_SLOTS_PER_SHARD, EXCERPT_SLOTS_PER_SHARD, t2s_char_map
from .cache import code_fingerprint
from .write import files as files_in
from .write import remove, write_pages

if TYPE_CHECKING:
    from .cache import Store

__all__ = ["Doc", "IndexStats", "build_index", "index_site", "update_index"]


def _dictionary(graph: Graph, contributed: Iterable[tuple[str, ...]]) -> list[str]:
    terms = base_dictionary(graph)
    for names in contributed:
        terms.update(names)
    return sorted(terms)


def build_index(graph: Graph, out: Path, ordering: Ordering | None = None) -> IndexStats:
    """Write the search index for graph into out/ from the records, without a cache."""
    ordering = ordering or Ordering(graph)
    docs = documents_module.documents(graph, ordering)
    segmenter = Segmenter(_dictionary(graph, (d.dictionary for d in docs.values())))
    terms = {url: segmenter.document_terms(doc.fields) for url, doc in docs.items()}
    numbered = numbers(docs)
    graphed = graph_files(graph, ordering, numbered)
    shards = term_shards(numbered, terms)
    written = write_pages(out, files(numbered, lambda _: docs, shards, graphed, t2s_char_map())).stamps
    remove(out, [rel for rel in files_in(out) if rel not in written])
    return index_stats(numbered, shards, sum(size for size, *_ in written.values()))


@dataclass
class Update:
    """A search index update under way: what changed, and the segmentation started for it."""

    urls: list[str]
    numbered: dict[str, int]  # the documents' numbers (shards.numbers)
    graphed: dict[str, str]  # the files made from the graph (facets.graph_files), so that the
    # caller may let go of the graph before the index is written: at 100,000 records the two
    # would not fit in the build's memory budget together.
    dictionary: list[str]
    state: dict | None  # what the last update left in the cache (None: nothing usable)
    segmented: Any  # has result() -> Segmented


def start_update(graph: Graph, ordering: Ordering, store: Store, segmentation: Segmentation) -> Update:
    """Find the documents to segment again and start segmenting them (in another process); make
    the files that come from the graph. finish_update needs neither graph nor ordering."""
    urls = documents_module.urls(graph)
    contributed = store.document_dictionaries()
    missing = [url for url in urls if url not in contributed]
    if missing:
        raise RuntimeError(f"search: no document for {missing[0]} in the cache; build again with --full")
    dictionary = _dictionary(graph, (contributed[url] for url in urls))
    state = store.meta("search")
    if state is None or state["code"] != code_fingerprint():
        state = None
        stale = set(urls)
    else:
        stale = store.changed_documents() & set(urls)
        for term in sorted(set(dictionary) ^ set(state["dictionary"])):
            stale |= store.documents_containing(term) & set(urls)
    suggested = store.meta("search-suggested") or {}
    future = segmentation.segment(dictionary, suggested, ((url, doc.fields) for url, doc in store.each_document(stale)))
    numbered = numbers(urls)
    return Update(urls, numbered, _graph_files(graph, ordering, numbered, store), dictionary, state, future)


def _graph_files(graph: Graph, ordering: Ordering, numbered: dict[str, int], store: Store) -> dict[str, str]:
    """facets.graph_files, with the FACET_FILES of the last build when their facet_key is the same."""
    key = f"{code_fingerprint()}:{facet_key(graph, ordering, numbered)}"
    kept = store.meta("search-facets")
    same = kept is not None and kept["key"] == key
    graphed = graph_files(graph, ordering, numbered, kept["files"] if same else None)
    if not same:
        store.set_meta("search-facets", {"key": key, "files": {name: graphed[name] for name in FACET_FILES}})
    return graphed


def finish_update(update: Update, store: Store, out: Path, *, site: Path, previous: bool) -> IndexStats:
    """Write out/ (site/search) from the cached documents and the new segmentation.

    previous: out/ holds the index of the last build of `site`. Then only the files that hold a
    changed, added, deleted or renumbered document or one of its terms are written (and meta.js and
    facets.js when their bytes change); otherwise, or when the number of term shards or of document
    numbers changes, every file is made anew from the cached terms.
    """
    state = update.state
    segmented = update.segmented.result()
    fresh = segmented.terms
    numbered, graphed = update.numbered, update.graphed
    t2s = state["t2s"] if state else t2s_char_map()
    # The cached shards are those of the last index written, which must be this site's.
    same = previous and state is not None and state["site"] == str(site)
    updated = _update_files(numbered, fresh, graphed, t2s, state, store, out) if same and state else None
    if updated is None:
        terms = store.indexed_terms(skip=fresh.keys())  # the terms segmented now replace those
        terms.update(fresh)
        shards = term_shards(numbered, terms)
        del terms  # the postings hold them now (fresh is kept to be saved)
        written = write_pages(out, files(numbered, store.documents, shards, graphed, t2s)).stamps
        remove(out, [rel for rel in files_in(out) if rel not in written])
        stats = index_stats(numbered, shards, sum(size for size, *_ in written.values()))
        store.save_term_shards(shards.shards, replace=True)
        total = shards.total
    else:
        stats, total = updated
    store.save_terms(fresh, keep=numbered)
    store.set_meta("search-suggested", segmented.suggested)
    state = {"code": code_fingerprint(), "dictionary": update.dictionary, "numbers": numbered, "t2s": t2s, "total": total}
    state["site"] = None  # no site holds this index until it is swapped in (swapped_in)
    store.set_meta("search", state)
    return stats


def swapped_in(store: Store, site: Path) -> None:
    """The index written last is now site's: the next update may patch it. Until this is said (a
    build killed before its swap), the next update writes every file anew."""
    state = store.meta("search")
    if state is not None:
        store.set_meta("search", {**state, "site": str(site)})


def forget_index(store: Store) -> None:
    """The index written last never reached a site (the build failed after it): the next update
    writes every file anew instead of patching shards that site does not have."""
    store.set_meta("search", None)


def update_index(graph: Graph, ordering: Ordering, store: Store, out: Path) -> IndexStats:
    """start_update and finish_update in one go, making every file of out/ anew."""
    with Segmentation(store.path.parent) as segmentation:
        update = start_update(graph, ordering, store, segmentation)
        return finish_update(update, store, out, site=out, previous=False)


def _update_files(
    numbered: dict[str, int],
    fresh: dict[str, dict[str, int]],
    graphed: dict[str, str],
    t2s: dict[str, str],
    state: dict,
    store: Store,
    out: Path,
) -> tuple[IndexStats, int] | None:
    """Write only the files that change: the term shards of the terms whose postings change, and the
    document and excerpt shards of the numbers that change hands. None when the count of term shards
    or of document numbers would change (then every file is made anew)."""
    before: dict[str, int] = state["numbers"]
    if slot_count(len(numbered)) != slot_count(len(before)):
        return None
    # Documents whose postings change: segmented again, added, deleted, or given another number.
    changed = fresh.keys() | {u for u, n in numbered.items() if before.get(u) != n} | (before.keys() - numbered.keys())
    indexed = store.indexed_terms(changed)  # as the index written last has them
    if any(u not in indexed for u in changed if u in before or u not in fresh):
        return None  # not what the last update left (it cannot be): make every file anew
    old: dict[str, dict[int, int]] = defaultdict(dict)  # term -> number -> flags, of the changed documents
    new: dict[str, dict[int, int]] = defaultdict(dict)
    total = state["total"]
    for url in sorted(changed):
        if url in before:
            for term, flags in indexed[url].items():
                old[term][before[url]] = flags
            total -= len(indexed[url])
        if url in numbered:
            terms = fresh[url] if url in fresh else indexed[url]
            for term, flags in terms.items():
                new[term][numbered[url]] = flags
            total += len(terms)
    delta = {term: changes for term in old.keys() | new.keys() if (changes := _changes(old.get(term, {}), new.get(term, {})))}
    count = term_shard_count(state["total"])
    if term_shard_count(total) != count:
        return None
    shards = store.term_shards(term_shard(term, count) for term in delta)
    before_files = {rel for n, shard in shards.items() for rel in term_files(n, shard)}
    for term, changes in delta.items():
        shard = shards[term_shard(term, count)]
        postings = decode_postings(shard.get(term, ""))
        for doc, change in changes.items():
            if change is not None:
                postings[doc] = change
            else:
                postings.pop(doc, None)
        if postings:
            shard[term] = encode_postings(postings)
        else:
            shard.pop(term, None)
    content = {rel: text for n, shard in shards.items() for rel, text in term_files(n, shard).items()}
    by_number = {n: url for url, n in numbered.items()}
    touched = {before[u] for u in changed if u in before} | {numbered[u] for u in changed if u in numbered}
    for n in sorted({slot // DOC_SLOTS_PER_SHARD for slot in touched}):
        urls = shard_urls(n, DOC_SLOTS_PER_SHARD, by_number)
        content[f"d/{n}.js"] = doc_file(n, urls, store.documents(u for u in urls if u))
    for n in sorted({slot // EXCERPT_SLOTS_PER_SHARD for slot in touched}):
        urls = shard_urls(n, EXCERPT_SLOTS_PER_SHARD, by_number)
        content[f"x/{n}.js"] = excerpt_file(n, urls, store.documents(u for u in urls if u))
    content["meta.js"] = meta_file(len(numbered), count, t2s)
    content.update(graphed)
    write_pages(out, content)
    remove(out, sorted(before_files - content.keys()))  # long postings that are short now, or renumbered
    store.save_term_shards(shards)
    size = sum(len(text.encode("utf-8")) for text in content.values())
    doc_shards = slot_count(len(numbered)) // DOC_SLOTS_PER_SHARD
    return IndexStats(len(numbered), len(delta), count, doc_shards, size), total


def _changes(old: dict[int, int], new: dict[int, int]) -> dict[int, int | None]:
    """Number -> its new flags (None: no longer there), where they differ."""
    return {n: new.get(n) for n in old.keys() | new.keys() if old.get(n) != new.get(n)}


def index_site(data: Path, site_dir: Path) -> IndexStats:
    """Write site_dir/search/ from the records in data/, on its own (benchmarks time this)."""
    from .check import check

    graph, _ = check(data)
    if graph is None:
        raise RuntimeError("search index: data/ did not load")
    return build_index(graph, site_dir / "search")
