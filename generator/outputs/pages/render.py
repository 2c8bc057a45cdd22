"""Render stage: turn the linked graph into Markdown pages (path -> text), in memory.

Templates hold no logic beyond loops and optional sections; the view models
built here carry text already sorted, and links already relative. Escaping
happens once, in the Jinja finalize hook (see escape.py).
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...engine.parallel import map_shares
from ...engine.write import WriteReport, write_pages
from ...model.fields import Metric, Source
from ...model.labels import CASE_KIND, RECORD_KIND
from ...model.link import Brief, Graph
from ...model.ordering import Group, Ordering, group_by_initial
from ...model.records import Case, Practice
from ...sources.pinyin import tone_marks
from ...sources.problems import DataError, Problem
from .. import escape
from ..search.documents import Doc, html, record_document, region_document, theme_document
from ..takeaways import compilations, downloads, feed
from . import listings, overview, policies
from .listings import CASES, PRACTICES, RECORD_INDEXES, REGIONS, TITLES, part_path
from .policies import POLICIES, catalogue, policy_key, policy_path, render_document, render_index

STATUS = {"draft": "草稿", "reviewed": "已审核", "published": "已发布"}
STATUS_NOTE = {"draft": "草稿：本条记录尚未审核，内容可能不完整", "reviewed": "已审核，待发布"}
LEVEL = {"province": "省级", "prefecture": "地级", "county": "县级", "township": "乡级"}
FIGURES_OPEN = 12  # a region page shows its figures open up to this many rows; more fold per record

HOME, THEMES = "index.md", "themes/index.md"


def record_path(record: Brief | Practice | Case) -> str:
    kind = record.kind if isinstance(record, Brief) else type(record).__name__
    return f"practices/{record.id}.md" if kind == "Practice" else f"cases/{record.id}.md"


def region_path(code: str) -> str:
    return f"regions/{code}.md"


def theme_path(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def theme_part_path(theme_id: str, province: str) -> str:
    """The page of a theme's records in one province, when its page is cut by province: under a
    folder no theme page can take (ids name files, never folders)."""
    return f"themes/{theme_id}/{province}.md"


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


class Renderer:
    def __init__(self, graph: Graph, ordering: Ordering, site: Site = NO_ADDRESS):
        self.graph, self.ordering, self.site = graph, ordering, site
        self.env = environment()
        self.related: dict[str, tuple[str, ...]] = {}  # practice id -> related practice ids, as rendered
        self.documents: dict[str, Doc] = {}  # url -> the search document of each page rendered
        self.rows: dict[str, downloads.Rows] = {}  # record id -> its rows of the downloads, made as its page renders
        self.download_rows: Mapping[str, downloads.Rows] = {}  # every shown record's, to put the downloads together
        self.blocks: dict[str, compilations.Blocks] = {}  # record id -> its compilation blocks, made as its page renders
        self._folder_hops: dict[tuple[str, str], str] = {}
        self._places: dict[str, str] = {}
        self.compiler = compilations.Compiler(graph, ordering)

    # --- links, relative to the page being rendered -------------------------
    def _href(self, here: str, target: str) -> Markup:
        # relpath of the folders, once per pair of folders (the site has a handful of them).
        here_folder, _, _ = here.rpartition("/")
        target_folder, _, name = target.rpartition("/")
        up = self._folder_hops.get((here_folder, target_folder))
        if up is None:
            up = self._folder_hops[here_folder, target_folder] = posixpath.relpath(target_folder or ".", here_folder or ".")
        return Markup(name if up == "." else f"{up}/{name}")

    def _link(self, here: str, text: str, target: str, note: str = "") -> dict:
        return {"text": text, "href": self._href(here, target), "note": note}

    def _place(self, code: str) -> str:
        place = self._places.get(code)
        if place is None:
            place = self._places[code] = " ".join(r.name for r in self.ordering.region_chain(code))
        return place

    def _record_item(self, here: str, record: Brief) -> dict:
        return {
            **self._link(here, record.title, record_path(record)),
            "kind": RECORD_KIND[record.kind],
            "place": self._place(record.region),
            "date": record.date.isoformat(),
        }

    def _letters(self, here: str, groups: list[Group], item) -> list[dict]:
        out = []
        for g in groups:
            anchor = "letter-other" if g.letter == "#" else f"letter-{g.letter.lower()}"
            out.append(
                {
                    "letter": g.letter,
                    "anchor": Markup(anchor),
                    "attr": Markup(f"{{#{anchor}}}"),
                    "entries": [item(here, x) for x in g.items],
                }
            )
        return out

    # --- pages ----------------------------------------------------------------
    def plan(self) -> dict[str, Callable[[], str | bytes]]:
        """Every page of the site, path -> a function that renders it, in path order.

        Listing pages is cheap and rendering is not, so an incremental build lists them all
        (to know which exist) and renders only those a change reaches.
        """
        pages: dict[str, Callable[[], str | bytes]] = {}
        owners: dict[str, str] = {}

        def add(path: str, owner: str, render: Callable[[], str | bytes]) -> None:
            if path in pages:
                raise DataError(
                    [Problem(f"docs/{path}", 1, 1, "-", f"two pages would be written here: {owners[path]} and {owner}")]
                )
            pages[path], owners[path] = render, owner

        add(HOME, "the home page", self._home)
        add(overview.OVERVIEW, "the overview", partial(overview.render_overview, self))
        documents = catalogue(self.graph.briefs)
        add(POLICIES, "the policy index", partial(render_index, self, documents))
        for path, document in documents.items():
            add(path, f"policy document '{document.title}'", partial(render_document, self, path, document))
            for province, _ in self.ordering.cut_by_province(document.citing):
                add(
                    policies.part_path(path, province),
                    f"policy document '{document.title}' in region '{province}'",
                    partial(policies.render_part, self, path, document, province),
                )
        add(REGIONS, "the region index", self._region_index)
        for n, part in enumerate(listings.parts(self, REGIONS)):
            add(part_path(REGIONS, part), f"part {part.label} of the region index", partial(listings.render_region_part, self, n))
        for code in self.ordering.regions_with_records():
            add(region_path(code), f"region '{code}'", partial(self._region, code))
        add(THEMES, "the theme index", self._theme_index)
        for theme_id in self.graph.themes:
            add(theme_path(theme_id), f"theme '{theme_id}'", partial(self._theme, theme_id))
            for province, _ in self.ordering.cut_by_province(self.ordering.records_by_theme(theme_id)):
                add(
                    theme_part_path(theme_id, province),
                    f"theme '{theme_id}' in region '{province}'",
                    partial(self._theme_part, theme_id, province),
                )
        for path, title, intro, _ in RECORD_INDEXES:
            add(path, title, partial(listings.render_index, self, path, title, intro))
            for n, part in enumerate(listings.parts(self, path)):
                add(
                    part_path(path, part),
                    f"part {part.label} of {title}",
                    partial(listings.render_record_part, self, path, title, n),
                )
        for brief in self.graph.briefs.values():
            render = self._practice if brief.kind == "Practice" else self._case
            add(record_path(brief), f"{brief.kind.lower()} '{brief.id}'", partial(render, brief.id))
            for path, render_file in downloads.record_file_plan(self, brief.id, record_path(brief)).items():
                add(path, f"the data of {brief.kind.lower()} '{brief.id}'", render_file)
        if self.site.takeaways:
            for path, render_file in downloads.plan(self).items():
                add(path, "the data downloads", render_file)
            add(feed.FEED, "the feed", partial(feed.render_feed, self, self.site.name, self.site.url))
            add(compilations.INDEX, "the compilation index", partial(compilations.render_index, self, self.compiler))
            for path, (owner, render_file) in self.compiler.plan().items():
                add(path, owner, render_file)
        else:  # the navigation names the compilation index: in the preview it says where they are made
            add(compilations.INDEX, "the compilation index", partial(self._page, "takeaways_preview.md.j2", "汇编"))
        return dict(sorted(pages.items()))

    def render_all(self) -> dict[str, str | bytes]:
        return {path: render() for path, render in self.plan().items()}

    def _page(self, template: str, page_title: str, **context) -> str:
        context["front_title"] = escape.front_matter_title(page_title)
        return self.env.get_template(template).render(**context)

    def _home(self) -> str:
        links = {
            name: self._href(HOME, path)
            for name, path in [
                ("regions", REGIONS),
                ("themes", THEMES),
                ("practices", PRACTICES),
                ("cases", CASES),
                ("titles", TITLES),
                ("overview", overview.OVERVIEW),
                ("downloads", downloads.INDEX),
                ("feed", feed.FEED),
                ("compilations", compilations.INDEX),
            ]
        }
        kinds = Counter(b.kind for b in self.ordering.records())
        counts = {
            "practices": kinds["Practice"],
            "cases": kinds["Case"],
            "regions": len(self.ordering.regions_with_records()),
            "themes": len(self.graph.themes),
        }
        latest = [self._record_item(HOME, r) for r in self.ordering.latest(10)]
        return self._page("home.md.j2", "首页", counts=counts, links=links, latest=latest, takeaways=self.site.takeaways)

    def _common(self, here: str, record: Practice | Case) -> dict:
        as_yaml, as_json = downloads.record_files(here)
        return {
            "data_files": {"yaml": self._href(here, as_yaml), "json": self._href(here, as_json)},
            "title": record.title,
            "status": STATUS[record.status],
            "status_note": STATUS_NOTE.get(record.status, ""),
            "region_chain": [self._link(here, r.name, region_path(r.code)) for r in self.ordering.region_chain(record.region)],
            "date": record.date.isoformat(),
            "themes": [self._link(here, self.graph.themes[t].name, theme_path(t)) for t in record.themes],
            "tags": Markup("、".join(escape.inline(t) for t in record.tags)),
            "metrics": [self._metric(m) for m in record.metrics],
            "sources": [self._source(s) for s in record.sources],
        }

    @staticmethod
    def _metric(metric: Metric) -> dict:
        return {
            "indicator": metric.indicator,
            "figure": f"{metric.value}{metric.unit}",
            "year": metric.year or "",
            "note": metric.note or "",
        }

    @staticmethod
    def _source(source: Source) -> dict:
        return {
            "title": source.title,
            "publisher": source.publisher,
            "author": source.author or "",
            "date": source.date.isoformat(),
            "url": escape.url(source.url) if source.url else "",
        }

    def _practice(self, practice_id: str) -> str:
        practice = self.ordering.record(practice_id)
        assert isinstance(practice, Practice)
        here, briefs = record_path(practice), self.graph.briefs
        self.documents[html(here)] = record_document(practice, html(here), self.graph)
        if self.site.takeaways:
            self.rows[practice_id] = downloads.rows_of(self, practice)
            self.blocks[practice_id] = self.compiler.blocks_of(practice)
        cases = self._partners(here, practice_id)
        shown = self.ordering.related_practices(briefs[practice_id])
        self.related[practice_id] = tuple(p.id for p in shown)
        related = [self._link(here, p.title, record_path(p), self._place(p.region)) for p in shown]
        return self._page(
            "practice.md.j2",
            practice.title,
            **self._common(here, practice),
            summary=escape.paragraphs(practice.summary),
            measures=[{"title": m.title, "text": escape.paragraphs(m.text)} for m in practice.measures],
            policies=[
                {
                    "title": p.title,
                    "issuer": p.issuer or "",
                    "year": p.year or "",
                    "href": self._href(here, policy_path(p.title)) if policy_key(p.title) else "",
                }
                for p in practice.policies
            ],
            cases=cases,
            related=related,
        )

    def _partners(self, here: str, record_id: str) -> list[dict]:
        """The records linked to it: links to those shown, in display order, then the titles of
        those not shown (unpublished, in the public build) as plain text, in id order."""
        linked, unlisted = self.ordering.partners(record_id)
        return [self._link(here, b.title, record_path(b)) for b in linked] + [
            {"text": b.title, "href": "", "note": ""} for b in unlisted
        ]

    def _case(self, case_id: str) -> str:
        case = self.ordering.record(case_id)
        assert isinstance(case, Case)
        here = record_path(case)
        self.documents[html(here)] = record_document(case, html(here), self.graph)
        if self.site.takeaways:
            self.rows[case_id] = downloads.rows_of(self, case)
            self.blocks[case_id] = self.compiler.blocks_of(case)
        practices = self._partners(here, case_id)
        return self._page(
            "case.md.j2",
            case.title,
            **self._common(here, case),
            kind=CASE_KIND[case.kind],
            organization=case.organization,
            narrative=escape.paragraphs(case.narrative),
            practices=practices,
        )

    def _compilation_links(self, here: str, kind: str, key: str) -> dict | None:
        if not self.site.takeaways:
            return None
        return compilations.links(self, here, self.compiler.find(kind, key), self.compiler)

    def _count_note(self, code: str) -> str:
        return f"{len(self.ordering.records_under(code))} 条"

    def _region_index(self) -> str:
        """Provinces and their cities (a region's page lists the regions below it), and the letters
        of the A–Z of every region with records: neither grows with the number of counties."""

        def tree(code: str | None, depth: int) -> Iterable[dict]:
            for child in self.ordering.children_with_records(code):
                region = self.graph.regions[child]
                yield {
                    **self._link(REGIONS, region.name, region_path(child), self._count_note(child)),
                    "indent": Markup("    " * depth),
                }
                if depth == 0:
                    yield from tree(child, depth + 1)

        return self._page(
            "regions.md.j2", "地区索引", tree=list(tree(None, 0)), parts=listings.part_links(self, REGIONS, REGIONS)
        )

    def _region(self, code: str) -> str:
        """A region's page: its records and those below it; the figures of its own records.

        Figures are not rolled up: a province would repeat every county's table, thousands of rows
        at national scale; each figure is on its record's page and its own region's page.
        """
        here, region = region_path(code), self.graph.regions[code]
        self.documents[html(here)] = region_document(code, html(here), self.graph)
        records = self.ordering.records_under(code)
        own = [r for r in records if r.region == code]
        below = [r for r in records if r.region != code]
        figures = [(r, [self._metric(m) for m in self.ordering.record(r.id).metrics]) for r in own]
        metrics = [{"record": self._link(here, r.title, record_path(r)), "rows": rows} for r, rows in figures if rows]
        open_figures = sum(len(g["rows"]) for g in metrics) <= FIGURES_OPEN
        return self._page(
            "region.md.j2",
            region.name,
            name=region.name,
            code=code,
            level=LEVEL[region.level],
            pinyin=tone_marks(region.pinyin),
            chain=[self._link(here, r.name, region_path(r.code)) for r in self.ordering.region_chain(code)],
            own=[self._record_item(here, r) for r in own],
            below=[self._record_item(here, r) for r in below],
            children=[
                self._link(here, self.graph.regions[c].name, region_path(c), self._count_note(c))
                for c in self.ordering.children_with_records(code)
            ],
            metrics=metrics,
            open_figures=open_figures,
            charts=overview.region_charts(self, code, records),
            compilation=self._compilation_links(here, "region", code),
        )

    def _theme_note(self, theme_id: str) -> str:
        return f"{len(self.ordering.records_by_theme(theme_id))} 条"

    def _theme_index(self) -> str:
        def tree(parent: str | None, depth: int) -> Iterable[dict]:
            ids = (
                self.graph.theme_children.get(parent, ())
                if parent
                else [t for t, theme in self.graph.themes.items() if not theme.parent]
            )
            for theme_id in self.ordering.sorted_themes(ids):
                yield {
                    **self._link(THEMES, self.graph.themes[theme_id].name, theme_path(theme_id), self._theme_note(theme_id)),
                    "indent": Markup("    " * depth),
                }
                yield from tree(theme_id, depth + 1)

        groups = group_by_initial(self.graph.themes, self.ordering.theme_key)
        item = lambda here, t: self._link(here, self.graph.themes[t].name, theme_path(t), self._theme_note(t))  # noqa: E731
        return self._page("themes.md.j2", "主题索引", tree=list(tree(None, 0)), groups=self._letters(THEMES, groups, item))

    def _theme(self, theme_id: str) -> str:
        here, theme = theme_path(theme_id), self.graph.themes[theme_id]
        self.documents[html(here)] = theme_document(theme_id, html(here), self.graph)
        children = self.ordering.sorted_themes(self.graph.theme_children.get(theme_id, ()))
        cut = self.ordering.cut_by_province(self.ordering.records_by_theme(theme_id))
        records = [] if cut else self.ordering.records_by_theme(theme_id)
        return self._page(
            "theme.md.j2",
            theme.name,
            name=theme.name,
            description=escape.paragraphs(theme.description),
            parent=self._link(here, self.graph.themes[theme.parent].name, theme_path(theme.parent)) if theme.parent else None,
            children=[self._link(here, self.graph.themes[c].name, theme_path(c), self._theme_note(c)) for c in children],
            groups=self._by_place(here, records),
            provinces=self._province_links(here, cut, lambda code: theme_part_path(theme_id, code)),
            charts=overview.theme_charts(self, theme_id),
            compilation=self._compilation_links(here, "theme", theme_id),
        )

    def _theme_part(self, theme_id: str, province: str) -> str:
        """A theme's records in one province, by region (its page is cut by province)."""
        here, theme = theme_part_path(theme_id, province), self.graph.themes[theme_id]
        place = self.graph.regions[province].name
        return self._page(
            "province_part.md.j2",
            f"{theme.name} · {place}",
            heading=f"{theme.name} · {place}",
            up=self._link(here, theme.name, theme_path(theme_id)),
            intro=f"{place}的记录，按地区排列。",
            groups=self._by_place(here, self.ordering.records_by_theme_in(theme_id, province)),
        )

    def _province_links(self, here: str, cut: list[tuple[str, int]], path: Callable[[str], str]) -> list[dict]:
        """The pages of a theme or policy document cut by province (ordering.cut_by_province), with their sizes."""
        return [self._link(here, self.graph.regions[code].name, path(code), f"{count} 条") for code, count in cut]

    def _by_place(self, here: str, records: Iterable[Brief]) -> list[dict]:
        """Records under their region's full name, regions in pinyin order (ordering.grouped_by_region)."""
        return [
            {"place": self._place(code), "records": [self._record_item(here, r) for r in group]}
            for code, group in self.ordering.grouped_by_region(records)
        ]


@dataclass
class Rendered:
    """What rendering and writing some pages gave: the write report, and what the pages handed
    over as they rendered (the related lists practice pages showed, their search documents, the
    records' rows of the downloads and their compilation blocks, and what each page read)."""

    report: WriteReport
    related: dict[str, tuple[str, ...]]
    documents: dict[str, Doc]
    rows: dict[str, downloads.Rows]
    blocks: dict[str, compilations.Blocks]
    reads: dict[str, tuple[str, ...]]  # path -> the keys its page read (reads.py)


def write_rendered(
    renderer: Renderer, pages: list[tuple[str, Callable[[], str | bytes]]], docs: Path, *, at_least: int
) -> Rendered:
    """Render and write these (path, render) pages, on every CPU once there are at_least of them
    (parallel.py). Each worker returns what its pages handed over; nothing is shared."""

    def share(part: Sequence[tuple[str, Callable[[], str | bytes]]]) -> Rendered:
        read: dict[str, tuple[str, ...]] = {}

        def each() -> Iterable[tuple[str, str | bytes]]:
            for rel, render in part:
                renderer.ordering.reads.start()
                try:
                    content = render()
                finally:
                    read[rel] = renderer.ordering.reads.stop()
                yield rel, content

        report = write_pages(docs, each())
        return Rendered(report, renderer.related, renderer.documents, renderer.rows, renderer.blocks, read)

    out = Rendered(WriteReport(), {}, {}, {}, {}, {})
    for part in map_shares(share, pages, at_least=at_least):
        out.report.merge(part.report)
        out.related.update(part.related)
        out.documents.update(part.documents)
        out.rows.update(part.rows)
        out.blocks.update(part.blocks)
        out.reads.update(part.reads)
    out.report.written.sort()
    out.related = dict(sorted(out.related.items()))
    out.documents = dict(sorted(out.documents.items()))
    return out
