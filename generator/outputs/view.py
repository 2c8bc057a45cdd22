"""What every output kind renders with: the graph, its ordering, the site, the templates, and the
small view models pages share (links relative to the page, places, record items, letter groups).

Templates hold no logic beyond loops and optional sections; the view models built here carry text
already sorted and links already relative. Escaping happens once, in the Jinja finalize hook of
the Markdown templates (escape.py); the HTML templates escape with Jinja's own autoescape.

A View keeps memos only (folder hops, place names, helpers made once): nothing a page renders
depends on which pages were rendered before it, so the pages may be rendered in any order and in
any process.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..model.labels import RECORD_KIND, written_date
from ..model.link import Brief, Graph
from ..model.ordering import Group, Ordering
from ..model.policies import Document, catalogue
from . import escape
from .catalogue import Catalogue
from .paths import record_path

T = TypeVar("T")


class _Environment(Environment):
    """Templates read view-model dicts as `item.text`. Jinja tries getattr first and catches the
    AttributeError, which cost seconds at 10,000 records; look dict keys up first instead."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(*, html: bool = False) -> Environment:
    """The Markdown pages' templates; html: the HTML files' (compilations), which Jinja escapes itself."""
    return _Environment(
        loader=PackageLoader("generator.outputs", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package files: checking their mtime on every page cost a stat per include
        # Markdown: escape.finalize escapes every value, for Markdown and HTML at once. HTML: autoescape.
        autoescape=html,
        finalize=None if html else escape.finalize,
    )


@dataclass(frozen=True)
class Site:
    """What mkdocs.yml says of the site that pages besides MkDocs' own need (the feed)."""

    name: str = "产改经验库"
    url: str = ""  # site_url: the public address, when the site has one
    # What officials take away (downloads, feed, compilations) is made from the published site only:
    # the preview, where editors check their records, leaves it out and stays quick.
    takeaways: bool = True


NO_ADDRESS = Site()  # a site without a public address: links stay relative
PREVIEW = Site(takeaways=False)


class View:
    def __init__(self, graph: Graph, ordering: Ordering, site: Site = NO_ADDRESS):
        self.graph, self.ordering, self.site = graph, ordering, site
        self.env = environment()
        self.catalogue = Catalogue(graph, ordering)
        self._folder_hops: dict[tuple[str, str], str] = {}
        self._places: dict[str, str] = {}
        self._made_once: dict[str, Any] = {}

    def once(self, name: str, make: Callable[[], T]) -> T:
        """A helper made on first use and kept (a template set, a document writer): a memo, not state."""
        if name not in self._made_once:
            self._made_once[name] = make()
        return self._made_once[name]

    def policy_documents(self) -> dict[str, Document]:
        """Every policy document the records cite, by page path (model/policies.py)."""
        return self.once("policy documents", lambda: catalogue(self.graph.briefs))

    # --- links, relative to the page being rendered -------------------------
    def href(self, here: str, target: str) -> Markup:
        # relpath of the folders, once per pair of folders (the site has a handful of them).
        here_folder, _, _ = here.rpartition("/")
        target_folder, _, name = target.rpartition("/")
        up = self._folder_hops.get((here_folder, target_folder))
        if up is None:
            up = self._folder_hops[here_folder, target_folder] = posixpath.relpath(target_folder or ".", here_folder or ".")
        return Markup(name if up == "." else f"{up}/{name}")

    def link(self, here: str, text: str, target: str, note: str = "") -> dict:
        return {"text": text, "href": self.href(here, target), "note": note}

    def place(self, code: str) -> str:
        """A region's full name: the names of its chain, province first."""
        place = self._places.get(code)
        if place is None:
            place = self._places[code] = " ".join(r.name for r in self.ordering.region_chain(code))
        return place

    def record_item(self, here: str, record: Brief) -> dict:
        return {
            **self.link(here, record.title, record_path(record)),
            "kind": RECORD_KIND[record.kind],
            "place": self.place(record.region),
            "date": long_date(record.date),
        }

    def letters(self, here: str, groups: list[Group], item: Callable[[str, Any], dict], level: int = 2) -> list[dict]:
        """Entries by letter, each letter a heading of this level with an anchor the letter bar jumps to."""
        out = []
        for g in groups:
            anchor = "letter-other" if g.letter == "#" else f"letter-{g.letter.lower()}"
            out.append(
                {
                    "letter": g.letter,
                    "anchor": Markup(anchor),
                    "attr": Markup(f"{{#{anchor}}}"),
                    "heading": Markup("#" * level),
                    "entries": [item(here, x) for x in g.items],
                }
            )
        return out

    def by_place(self, here: str, records: Iterable[Brief]) -> list[dict]:
        """Records under their region's full name, regions in pinyin order (ordering.grouped_by_region)."""
        return [
            {"place": self.place(code), "records": [self.record_item(here, r) for r in group]}
            for code, group in self.ordering.grouped_by_region(records)
        ]

    def province_links(self, here: str, cut: list[tuple[str, int]], path: Callable[[str], str]) -> list[dict]:
        """The pages of a theme or policy document cut by province (ordering.cut_by_province), with their sizes."""
        return [self.link(here, self.graph.regions[code].name, path(code), f"{count} 条") for code, count in cut]

    def compilation_links(self, here: str, kind: str, key: str) -> dict | None:
        """What a theme or region page shows of its compilation: links to the files the build wrote,
        or the command that makes it on demand (None when it has none, or in the preview)."""
        if not self.site.takeaways:
            return None
        c = self.catalogue.find(kind, key)
        if c is None:
            return None
        forms = self.catalogue.forms(c)
        return {
            "title": c.title,
            "html": self.href(here, c.html) if "html" in forms else "",
            "docx": self.href(here, c.docx) if "docx" in forms else "",
            "command": Markup(c.command),  # an id, a code or a year: nothing to escape, and shown as code
            "count": self.catalogue.count(c),
        }

    # --- pages ----------------------------------------------------------------
    def page(self, template: str, page_title: str, *, toc: bool = True, **context) -> str:
        """A Markdown page from its template, with its title in the front matter.

        The left column (Material's navigation) is hidden on every page: the sections are the tabs
        above, so it would stand empty and take a fifth of the width. toc=False hides the right
        column too, on pages whose headings say nothing the page does not show at a glance."""
        context["front_title"] = escape.front_matter_title(page_title)
        context["front_hide"] = ("navigation",) if toc else ("navigation", "toc")
        return self.env.get_template(template).render(**context)


def long_date(day: dt.date) -> Markup:
    """A date as officials write it (2023年12月28日), never broken across two lines."""
    return Markup(f'<span class="cg-date">{written_date(day)}</span>')
