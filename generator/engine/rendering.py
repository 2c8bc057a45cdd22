"""Render files and write them as they are made, on every CPU once there are enough of them.

Each worker renders its share of the files (outputs/kinds.py), writes each one as soon as it is
made (write.py, only when its bytes change), and returns what the files contributed besides their
text; the shares are merged here. Nothing is shared between workers but what they inherit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

    def merge(self, other: Rendered) -> None:
        self.report.merge(other.report)
        self.reads.update(other.reads)
        self.documents.update(other.documents)
        self.rows.update(other.rows)
        self.blocks.update(other.blocks)
        self.related.update(other.related)


def render_files(
    view: View, jobs: Sequence[tuple[str, Job]], docs: Path, *, inputs: Inputs = NO_INPUTS, at_least: int
) -> Rendered:
    """Render and write these (path, job) files, in forked processes once there are at_least of them."""

    def share(part: Sequence[tuple[str, Job]]) -> Rendered:
        out = Rendered()

        def each() -> Iterable[tuple[str, str | bytes]]:
            for rel, job in part:
                made = render(view, job, inputs)
                out.reads[rel] = made.reads
                out.documents.update(made.documents)
                out.rows.update(made.rows)
                out.blocks.update(made.blocks)
                out.related.update(made.related)
                yield rel, made.content

        out.report = write_pages(docs, each())
        return out

    total = Rendered()
    for part in map_shares(share, jobs, at_least=at_least):
        total.merge(part)
    total.report.written.sort()
    total.related = dict(sorted(total.related.items()))
    total.documents = dict(sorted(total.documents.items()))
    return total
