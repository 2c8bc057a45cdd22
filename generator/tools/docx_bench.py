"""Benchmark of the compilation .docx writer (not a test): record blocks and documents at scale.

    python -m generator.tools.docx_bench --records 10000 [--runs 5] [--corpus DIR]

A synthetic data folder of N records (generator.corpus, made in --corpus or a temporary folder,
kept and reused when --corpus names one that exists) is checked and linked, drafts included.
The compilations are those a clean build makes: one per theme, one per region holding records
(everything under it), one per year, each in title order. Each run makes a fresh DocxWriter,
builds every record's block, then writes every document. Reported: the median wall and CPU
seconds of both steps, per record block and per document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ..engine.build import check
from ..model.link import Graph, visible
from ..model.ordering import Ordering
from ..model.records import Case, Practice
from ..outputs.takeaways.compilation_docx import DocxWriter
from .corpus import make_corpus

ROOT = Path(__file__).resolve().parents[2]


def compilations(graph: Graph, ordering: Ordering) -> list[list[Practice | Case]]:
    ids: list[list[str]] = [[b.id for b in ordering.sorted_records(ordering.records_by_theme(t))] for t in graph.themes]
    ids += [[b.id for b in ordering.records_under(code)] for code in ordering.regions_with_records()]
    years = defaultdict(list)
    for brief in graph.briefs.values():
        years[brief.date.year].append(brief)
    ids += [[b.id for b in ordering.sorted_records(years[y])] for y in sorted(years)]
    return [[graph.record(i) for i in group] for group in ids if group]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, help="folder for the synthetic data (kept; reused when it exists)")
    args = parser.parse_args()
    corpus = args.corpus or Path(tempfile.mkdtemp()) / "data"
    if not corpus.exists():
        make_corpus(ROOT / "data", corpus, args.records)
    graph, problems = check(corpus, warnings=False)
    assert graph is not None, problems
    graph = visible(graph, preview=True)
    ordering = Ordering(graph)
    documents = compilations(graph, ordering)  # sorts every title once, as the pages would have
    records = [graph.record(i) for i in graph.briefs]
    placed = sum(map(len, documents))
    print(f"{len(records)} records, {len(documents)} documents holding {placed} record blocks")

    made = dt.date(2024, 5, 1)
    times: dict[str, list[float]] = defaultdict(list)
    for run in range(args.runs):
        writer = DocxWriter(graph, ordering)
        wall, cpu = time.perf_counter(), time.process_time()
        blocks = {r.id: writer.block(r) for r in records}
        times["blocks wall"].append(time.perf_counter() - wall)
        times["blocks cpu"].append(time.process_time() - cpu)
        cached = sum(len(b.body.packed) for b in blocks.values())
        wall, cpu = time.perf_counter(), time.process_time()
        size = sum(
            len(writer.join("《汇编》", made, [graph.briefs[r.id] for r in group], [blocks[r.id] for r in group]))
            for group in documents
        )
        times["documents wall"].append(time.perf_counter() - wall)
        times["documents cpu"].append(time.process_time() - cpu)
        print(
            f"run {run + 1}: blocks {times['blocks wall'][-1]:.2f} s (cached {cached / 1e6:.0f} MB), "
            f"documents {times['documents wall'][-1]:.2f} s ({size / 1e6:.0f} MB)"
        )
    for step, count, unit in (("blocks", len(records), "record block"), ("documents", len(documents), "document")):
        wall, cpu = statistics.median(times[f"{step} wall"]), statistics.median(times[f"{step} cpu"])
        print(f"{step}: median {wall:.2f} s wall, {cpu:.2f} s CPU; {cpu / count * 1e3:.3f} ms CPU per {unit}")


if __name__ == "__main__":
    main()
