"""Render files and write them as they are made, on every CPU once there are enough of them.

Each worker renders its share of the files (outputs/kinds.py), writes each one as soon as it is
made (write.py, only when its bytes change), and hands what the files contributed besides their
text (search documents, rows, blocks, reads) to `keep` every FLUSH_EVERY files: the engine saves
them to its cache there and then, so that no process holds every page's contributions (at
100,000 records they were over a gigabyte). What keep gives back, and the write reports, are
merged here. Nothing is shared between workers but what they inherit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs.kinds import NO_INPUTS, Inputs, Job, render
from ..outputs.search.documents import Doc
from ..outputs.takeaways.compilations import Blocks
from ..outputs.takeaways.downloads import Rows
from ..outputs.view import View
from .parallel import map_shares
from .write import WriteReport, write_pages


@dataclass
class Rendered:
    """What rendering and writing some files gave: the write report, what each read, and what they
    contributed (search documents, the records' rows of the downloads and their compilation
    blocks, the related lists practice pages showed)."""

    report: WriteReport = field(default_factory=WriteReport)
    reads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> the keys its file read (model/reads.py)
    documents: dict[str, Doc] = field(default_factory=dict)
    rows: dict[str, Rows] = field(default_factory=dict)
    blocks: dict[str, Blocks] = field(default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Once kept (see `keep`): the records whose rows or blocks differ from what the cache held, and
    # the urls of the search documents made.
    remade_rows: set[str] = field(default_factory=set)
    remade_blocks: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)

    def merge(self, other: Rendered) -> None:
        self.report.merge(other.report)
        self.reads.update(other.reads)
        self.documents.update(other.documents)
        self.rows.update(other.rows)
        self.blocks.update(other.blocks)
        self.related.update(other.related)
        self.remade_rows |= other.remade_rows
        self.remade_blocks |= other.remade_blocks
        self.urls |= other.urls


FLUSH_EVERY = 500  # files whose contributions a worker holds before it hands them to keep

# Saves a batch's contributions (in the process that made them) and returns what the run needs of
# them afterwards: a Rendered with only remade_rows, remade_blocks and urls set.
Keep = Callable[[Rendered], Rendered]


def render_files(
    view: View,
    jobs: Sequence[tuple[str, Job]],
    docs: Path,
    *,
    inputs: Inputs = NO_INPUTS,
    at_least: int,
    keep: Keep | None = None,
) -> Rendered:
    """Render and write these (path, job) files, in forked processes once there are at_least of them.
    keep: where each batch of contributions goes (None: they are returned, all of them)."""

    def share(part: Sequence[tuple[str, Job]]) -> Rendered:
        out, batch = Rendered(), Rendered()

        def each() -> Iterable[tuple[str, str | bytes]]:
            nonlocal batch
            for rel, job in part:
                made = render(view, job, inputs)
                batch.reads[rel] = made.reads
                batch.documents.update(made.documents)
                batch.rows.update(made.rows)
                batch.blocks.update(made.blocks)
                out.related.update(made.related)
                yield rel, made.content
                if keep is not None and len(batch.reads) >= FLUSH_EVERY:
                    out.merge(keep(batch))
                    batch = Rendered()

        out.report = write_pages(docs, each())
        out.merge(keep(batch) if keep is not None else batch)
        return out

    total = Rendered()
    for part in map_shares(share, jobs, at_least=at_least):
        total.merge(part)
    total.report.written.sort()
    total.related = dict(sorted(total.related.items()))
    total.documents = dict(sorted(total.documents.items()))
    return total
