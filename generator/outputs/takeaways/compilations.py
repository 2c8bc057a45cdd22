"""Compilations (汇编): the records of a theme, of a region with the regions under it, or of a year,
put together for a meeting as one print-ready page and one Word document.

Every theme, region and year that holds a record shown by the build has a compilation; one that
would hold none is not made. The print page is a standalone HTML file written into docs/ (MkDocs
copies it as it is): its own stylesheet for paper in the conventions of Chinese official documents,
no site chrome, relative links back to the record pages. Rendering it as a Markdown page would
have MkDocs render every record six more times.

A record's blocks (its part of the print page and of the Word document) are made as its page
renders, kept in the cache, and joined into each compilation that holds it, so a compilation is
put together without reading its records; the date a compilation was made is the newest date among its records, so the output depends
on the data alone. A record belongs to the compilations of its themes, of each region of its
chain (province, city, county) and of its year; a compilation reads its group and what the record
pages of that group made (reads.py), so it is put together again when either changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from ...model.labels import CASE_KIND, RECORD_KIND
from ...model.link import Brief, Graph, visible
from ...model.ordering import Ordering
from ...model.records import Case, Practice
from .. import catalogue
from ..catalogue import ORDER, Catalogue, Compilation
from ..paths import COMPILATION_STYLESHEET, COMPILATION_SUFFIXES, COMPILATIONS_FOLDER
from ..view import environment
from .batched import get_many

if TYPE_CHECKING:
    from .compilation_docx import Block, DocxWriter

PUBLISHER = "产改经验库"
STATUS_MARK = {"draft": "草稿", "reviewed": "已审核，待发布"}
STATUS_NOTE = {"draft": "本条为草稿，尚未审核，内容可能不完整，不得作为正式材料使用。", "reviewed": "本条已审核，尚未发布。"}


class Blocks(NamedTuple):  # a tuple: thousands are read back from the cache on every build
    """One record as every compilation that holds it prints it. Made when its page renders, which
    is whenever anything they show may have changed, and kept in the cache."""

    html: str  # its part of the print page, escaped
    entry: str  # its line in a print page's table of contents, escaped
    docx: Block  # its part of the Word document


def put_together(path: str) -> bool:
    """Whether the file is a compilation, made from its records' blocks (after the record pages)."""
    return path.startswith(f"{COMPILATIONS_FOLDER}/") and path.endswith(COMPILATION_SUFFIXES)


def chinese_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; whitespace inside one folds to single spaces."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


class Compiler:
    """A compilation's print page and Word document, from its records' blocks; and a record's blocks.

    site: the page links back to the site (the pages written into docs/); without it (the command
    line) every link into the site is left out, so the file stands on its own.
    """

    def __init__(self, graph: Graph, ordering: Ordering, *, site: bool = True):
        self.graph, self.ordering, self.site = graph, ordering, site
        self.catalogue = Catalogue(graph, ordering)
        self.env = environment(html=True)  # every value is escaped by Jinja itself (autoescape), once
        self._made_here: dict[str, Blocks] = {}  # blocks made here for a record whose page made none
        self._block_template = self.env.get_template("_compilation_record.html.j2")
        self._entry_template = self.env.get_template("_compilation_entry.html.j2")
        self._docx: DocxWriter | None = None  # made on first use: python-docx is imported only then

    def stylesheet(self) -> str:
        """One stylesheet for every print page of the site, not a copy in each."""
        return self.env.get_template("_compilation.css").render()

    # --- the print page ------------------------------------------------------------------------
    def page(self, c: Compilation, made: Mapping[str, Blocks]) -> str:
        """The print page, from the blocks the records' pages made (made; the missing ones are made here)."""
        records = self.catalogue.held(c)
        blocks = [self._blocks(b, found) for b, found in zip(records, get_many(made, [b.id for b in records]), strict=True)]
        return self.env.get_template("compilation.html.j2").render(
            title=c.title,
            site=self.site,
            index_href="index.html",
            home_href="../index.html",
            feed_href="../feed.xml",
            stylesheet_href=COMPILATION_STYLESHEET.rpartition("/")[2],
            docx_href=c.docx.rpartition("/")[2],
            cover=self._cover(records),
            toc=Markup("".join([b.entry for b in blocks])),  # each already escaped
            blocks=Markup("".join([b.html for b in blocks])),  # each already escaped
        )

    def _cover(self, records: Sequence[Brief]) -> dict:
        kinds = [b.kind for b in records]
        practices, cases = kinds.count("Practice"), kinds.count("Case")
        parts = [f"经验做法 {practices} 条"] * bool(practices) + [f"典型案例 {cases} 条"] * bool(cases)
        marked = [f"{label} {n} 条" for s, label in STATUS_MARK.items() if (n := sum(b.status == s for b in records))]
        return {
            "publisher": PUBLISHER,
            "made": chinese_date(max(b.date for b in records)),
            "count": f"共 {len(records)} 条（{'，'.join(parts)}）",
            "unpublished": f"其中{'，'.join(marked)}，已在标题处标注" if marked else "",
            "order": ORDER,
        }

    def _entry_of(self, brief: Brief) -> str:
        """The record's line in the table of contents."""
        view = {
            "anchor": f"r-{brief.id}",
            "title": brief.title,
            "mark": STATUS_MARK.get(brief.status, ""),
            "place": self._place(brief.region),
            "date": chinese_date(brief.date),
        }
        return self._entry_template.render(entry=view)

    def _place(self, code: str) -> str:
        return " ".join(r.name for r in self.ordering.region_chain(code))

    def _href(self, brief: Brief) -> str:
        """The record's page, from the compilations folder; none outside the site."""
        if not self.site:
            return ""
        folder = "practices" if brief.kind == "Practice" else "cases"
        return f"../{folder}/{brief.id}.html"

    def blocks_of(self, record: Practice | Case) -> Blocks:
        """The record's blocks, as every compilation that holds it prints it. Its part of a print page
        is left empty where the site has no print page to put it in (catalogue.PREBUILT): a page made
        on demand makes its records' blocks itself."""
        brief = self.graph.briefs[record.id]
        if self.site and not any("html" in forms for forms in catalogue.PREBUILT.values()):
            return Blocks("", "", self._writer().block(record))
        view = self._record_view(brief, record)
        return Blocks(self._block_template.render(record=view), self._entry_of(brief), self._writer().block(record))

    def _blocks(self, brief: Brief, made: Blocks | None) -> Blocks:
        """made: what the record's page made (None: its page made none)."""
        blocks = made or self._made_here.get(brief.id)
        if blocks is None:
            blocks = self._made_here[brief.id] = self.blocks_of(self.ordering.record(brief.id))
        return blocks

    def _record_view(self, brief: Brief, record: Practice | Case) -> dict:
        themes = self.ordering.sorted_themes(t for t in record.themes if t in self.graph.themes)
        view = {
            "anchor": f"r-{record.id}",
            "heading": f"h-{record.id}",
            "title": record.title,
            "href": self._href(brief),
            "mark": STATUS_MARK.get(record.status, ""),
            "note": STATUS_NOTE.get(record.status, ""),
            "facts": [
                ("类别", RECORD_KIND[brief.kind] + (f"（{CASE_KIND[record.kind]}）" if isinstance(record, Case) else "")),
                *([("单位", record.organization)] if isinstance(record, Case) else []),
                ("地区", self._place(record.region)),
                ("日期", chinese_date(record.date)),
                *([("主题", "、".join(self.graph.themes[t].name for t in themes))] if themes else []),
                *([("标签", "、".join(record.tags))] if record.tags else []),
            ],
            "metrics": [
                {"indicator": m.indicator, "figure": f"{m.value}{m.unit}", "year": m.year or "", "note": m.note or ""}
                for m in record.metrics
            ],
            "sources": [
                {
                    "author": s.author or "",
                    "title": s.title,
                    "publisher": s.publisher,
                    "date": chinese_date(s.date),
                    "url": s.url or "",
                }
                for s in record.sources
            ],
        }
        if isinstance(record, Practice):
            view.update(
                text_heading="概述",
                paragraphs=_paragraphs(record.summary),
                measures=[{"title": m.title, "paragraphs": _paragraphs(m.text)} for m in record.measures],
                policies=[
                    "《{}》{}{}".format(p.title, f"，{p.issuer}" if p.issuer else "", f"，{p.year}年" if p.year else "")
                    for p in record.policies
                ],
                partners_heading="典型案例",
            )
        else:
            view.update(
                text_heading="案例介绍",
                paragraphs=_paragraphs(record.narrative),
                measures=[],
                policies=[],
                partners_heading="所属经验做法",
            )
        view["partners"] = self._partners(record.id)
        return view

    def _partners(self, record_id: str) -> list[dict]:
        """The records linked to it that the build shows, in title order, linked (as the record's own
        page and the Word document list them)."""
        return [{"title": b.title, "href": self._href(b)} for b in self.ordering.partners(record_id)]

    # --- the Word document -----------------------------------------------------------------------
    def document(self, c: Compilation, made: Mapping[str, Blocks]) -> bytes:
        records = self.catalogue.held(c)
        blocks = [self._blocks(b, found).docx for b, found in zip(records, get_many(made, [b.id for b in records]), strict=True)]
        return self._writer().join(c.title, max(b.date for b in records), records, blocks)

    def _writer(self) -> DocxWriter:
        from .compilation_docx import DocxWriter

        if self._docx is None:
            self._docx = DocxWriter(self.graph, self.ordering)
        return self._docx


# --- one compilation, from the command line ----------------------------------------------------------
class CompileError(Exception):
    """What the command line says when there is no such compilation to make."""


def compile_one(whole: Graph, kind: str, key: str, out: Path | None, *, preview: bool = False) -> tuple[Path, Compilation, int]:
    """Write the compilation of this theme id, region code or year to out (.docx or .html by its
    suffix; default: its title + .docx in the current folder). whole: the graph of every record, as
    `check` links it; the build's rule of what is shown applies. Returns (file, compilation, count)."""
    graph = visible(whole, preview)
    ordering = Ordering(graph)
    compiler = Compiler(graph, ordering, site=False)
    found = compiler.catalogue.find(kind, key)
    if found is None:
        raise CompileError(_why_none(graph, ordering, kind, key, preview))
    path = out or Path(f"{found.file_name}.docx")
    records = compiler.catalogue.records(found)
    content = compiler.page(found, {}).encode("utf-8") if path.suffix.lower() == ".html" else compiler.document(found, {})
    path.write_bytes(content)
    return path, found, len(records)


def _why_none(graph: Graph, ordering: Ordering, kind: str, key: str, preview: bool) -> str:
    records = "record" if preview else "published record"
    if kind == "theme":
        if key not in graph.themes:
            close = difflib.get_close_matches(key, list(graph.themes), n=1, cutoff=0.6)
            return f"no theme '{key}' in themes.yaml" + (f"; did you mean '{close[0]}'?" if close else "")
        return f"theme '{key}' ({graph.themes[key].name}) has no {records}: there is nothing to compile"
    if kind == "region":
        if key not in graph.regions:
            return f"no region with code '{key}' (GB/T 2260 codes are in data/regions/)"
        return f"region {key} ({graph.regions[key].name}) has no {records}, nor do the regions under it"
    if not re.fullmatch(r"\d{4}", key):
        return f"'{key}' is not a year: give four digits, for example 2023"
    years = ", ".join(str(y) for y in ordering.years_with_records())
    return f"no {records} is dated in {key} (years with records: {years or 'none'})"
