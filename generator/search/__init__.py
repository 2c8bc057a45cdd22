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
(documents.py, render.py); the cache keeps every document with its terms, so a build
segments only the documents that changed, or that contain a dictionary term that came
or went, and writes only the index files whose bytes change (`update_index`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import code_fingerprint
from ..link import Graph
from ..ordering import Ordering
from ..write import files as files_in
from ..write import remove, write_pages
from . import documents as documents_module
from .documents import Doc, base_dictionary
from .segment import Segmentation, Segmenter
from .shards import (
    IndexStats,
    decode_postings,
    doc_file,
    encode_postings,
    excerpt_file,
    files,
    filter_files,
    term_file,
    term_shard,
    term_shard_count,
)
from .text import DOCS_PER_SHARD, EXCERPTS_PER_SHARD, t2s_char_map

if TYPE_CHECKING:
    from ..cache import Store

__all__ = ["Doc", "IndexStats", "build_index", "index_site", "update_index"]


def _dictionary(graph: Graph, contributed: Iterable[tuple[str, ...]]) -> list[str]:
    terms = base_dictionary(graph)
    for names in contributed:
        terms.update(names)
    return sorted(terms)


def build_index(graph: Graph, out: Path, ordering: Ordering | None = None) -> IndexStats:
    """Write the search index for graph into out/ from the records, without a cache."""
    docs = documents_module.documents(graph)
    segmenter = Segmenter(_dictionary(graph, (d.dictionary for d in docs.values())))
    terms = {url: segmenter.document_terms(doc.fields) for url, doc in docs.items()}
    content, stats, _ = files(
        documents_module.order(graph), docs, terms, filter_files(graph, ordering or Ordering(graph)), t2s_char_map()
    )
    write_pages(out, content)
    remove(out, [rel for rel in files_in(out) if rel not in content])
    return stats


@dataclass
class Update:
    """A search index update under way: what changed, and the segmentation started for it."""

    order: list[str]
    dictionary: list[str]
    state: dict | None  # what the last update left in the cache (None: nothing usable)
    segmented: Any  # has result() -> Segmented


def start_update(graph: Graph, store: Store, segmentation: Segmentation) -> Update:
    """Find the documents to segment again and start segmenting them (in another process)."""
    order = documents_module.order(graph)
    contributed = store.document_dictionaries()
    missing = [url for url in order if url not in contributed]
    if missing:
        raise RuntimeError(f"search: no document for {missing[0]} in the cache; build again with --full")
    dictionary = _dictionary(graph, (contributed[url] for url in order))
    state = store.meta("search")
    if state is None or state["code"] != code_fingerprint():
        state = None
        stale = set(order)
    else:
        stale = store.changed_documents() & set(order)
        for term in sorted(set(dictionary) ^ set(state["dictionary"])):
            stale |= store.documents_containing(term) & set(order)
    docs, _ = store.documents(stale, skip_terms=stale)
    suggested = store.meta("search-suggested") or {}
    future = segmentation.segment(dictionary, suggested, {url: docs[url].fields for url in stale})
    return Update(order, dictionary, state, future)


def finish_update(
    update: Update, graph: Graph, ordering: Ordering, store: Store, out: Path, *, site: Path, previous: bool
) -> IndexStats:
    """Write out/ (site/search) from the cached documents and the new segmentation.

    previous: out/ holds the index of the last build of `site`. Then, when no document came or went, only
    the files holding a changed document or one of its terms are written; otherwise every file is
    made anew from the cached terms.
    """
    order, state = update.order, update.state
    segmented = update.segmented.result()
    fresh = segmented.terms
    t2s = state["t2s"] if state else t2s_char_map()
    # The cached shards are those of the last index written, which must be this site's.
    same = previous and state is not None and state["order"] == order and state["site"] == str(site)
    updated = _update_files(order, fresh, store.documents(fresh)[1], state, store, out) if same else None
    if updated is None:
        docs, terms = store.documents(skip_terms=fresh.keys())  # the terms segmented now replace those
        terms.update(fresh)
        content, stats, shards = files(order, docs, terms, filter_files(graph, ordering), t2s)  # type: ignore[arg-type]
        write_pages(out, content)
        remove(out, [rel for rel in files_in(out) if rel not in content])
        store.save_term_shards(shards.shards, replace=True)
        total = shards.total
    else:
        stats, total = updated
        write_pages(out, filter_files(graph, ordering))
    store.save_terms(fresh)
    store.set_meta("search-suggested", segmented.suggested)
    state = {"code": code_fingerprint(), "dictionary": update.dictionary, "order": order, "t2s": t2s, "total": total}
    state["site"] = str(site)
    store.set_meta("search", state)
    return stats


def forget_index(store: Store) -> None:
    """The index written last never reached a site (the build failed after it): the next update
    writes every file anew instead of patching shards that site does not have."""
    store.set_meta("search", None)


def update_index(graph: Graph, ordering: Ordering, store: Store, out: Path) -> IndexStats:
    """start_update and finish_update in one go, making every file of out/ anew."""
    with Segmentation() as segmentation:
        update = start_update(graph, store, segmentation)
        return finish_update(update, graph, ordering, store, out, site=out, previous=False)


def _update_files(order, fresh, old_terms, state, store: Store, out: Path) -> tuple[IndexStats, int] | None:
    """Write only the term and document shards that hold what changed; None when the number of
    term shards would change (then every file is made anew)."""
    position = {url: n for n, url in enumerate(order)}
    delta: dict[str, dict[int, int | None]] = {}  # term -> doc -> new flags (None: no longer there; 0 is body text)
    total = state["total"]
    for url, new in fresh.items():
        old = old_terms.get(url) or {}
        total += len(new) - len(old)
        for term in old.keys() | new.keys():
            if old.get(term) != new.get(term):
                delta.setdefault(term, {})[position[url]] = new.get(term)
    count = term_shard_count(state["total"])
    if term_shard_count(total) != count:
        return None
    shards = store.term_shards(term_shard(term, count) for term in delta)
    for term, changes in delta.items():
        shard = shards[term_shard(term, count)]
        postings = decode_postings(shard.get(term, ""))
        for doc, flags in changes.items():
            if flags is not None:
                postings[doc] = flags
            else:
                postings.pop(doc, None)
        if postings:
            shard[term] = encode_postings(postings)
        else:
            shard.pop(term, None)
    content = {f"t/{n}.js": term_file(n, shard) for n, shard in shards.items()}
    for n in sorted({position[url] // DOCS_PER_SHARD for url in fresh}):
        chunk = order[n * DOCS_PER_SHARD : (n + 1) * DOCS_PER_SHARD]
        chunk_docs, _ = store.documents(chunk)
        content[f"d/{n}.js"] = doc_file(n, order, chunk_docs)
    for n in sorted({position[url] // EXCERPTS_PER_SHARD for url in fresh}):
        chunk = order[n * EXCERPTS_PER_SHARD : (n + 1) * EXCERPTS_PER_SHARD]
        chunk_docs, _ = store.documents(chunk)
        content[f"x/{n}.js"] = excerpt_file(n, order, chunk_docs)
    write_pages(out, content)
    store.save_term_shards(shards)
    size = sum(len(text.encode("utf-8")) for text in content.values())
    return IndexStats(len(order), len(delta), count, -(-len(order) // DOCS_PER_SHARD), size), total


def index_site(data: Path, site_dir: Path) -> IndexStats:
    """Write site_dir/search/ from the records in data/, on its own (benchmarks time this)."""
    from ..build import check

    graph, _ = check(data)
    if graph is None:
        raise RuntimeError("search index: data/ did not load")
    return build_index(graph, site_dir / "search")
