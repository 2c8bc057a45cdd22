"""Every kind of file the site is made of, registered in one place.

A kind names its files (path, what it is, the key it renders from) and renders one of them from the
View and its key into a `Made`: the content, the keys it read (model/reads.py, recorded here around
the render), and what it contributes to the files made from many pages (its search document, its
rows of the downloads, its compilation blocks, the related practices it shows). The engine
collects those from the values returned; nothing is written into a shared object, so the order in
which files render, and the process they render in, never changes a result.

A kind marked `joins` is put together from what the record pages contributed (the downloads from
every record's rows, a compilation from its records' blocks): the engine renders it after them and
hands it those contributions as `Inputs`.

To add a page kind: a module under pages/ (or takeaways/, search/) that renders from the View and
returns its text, and one `Kind(...)` line in KINDS below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ..model.policies import Document
from ..model.records import Practice
from ..sources.problems import DataError, Problem
from . import paths
from .pages import home, listings, overview, policies, records, regions, search_page, takeaway_pages, themes
from .search.documents import Doc, record_document, region_document, theme_document
from .shipped import shipped_files
from .takeaways import downloads, feed
from .takeaways.compilations import Blocks, Compiler
from .takeaways.downloads import Rows
from .view import View


@dataclass(frozen=True)
class Made:
    """What rendering one file gave."""

    content: str | bytes
    reads: tuple[str, ...] = ()  # the keys it read (model/reads.py): a change to one of them renders it again
    # What it contributes to files made from many pages, by the key each is filed under there:
    documents: Mapping[str, Doc] = field(default_factory=dict)  # url -> its search document
    rows: Mapping[str, Rows] = field(default_factory=dict)  # record id -> its rows of the downloads
    blocks: Mapping[str, Blocks] = field(default_factory=dict)  # record id -> its compilation blocks
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # practice id -> the related practices it shows


@dataclass(frozen=True)
class Inputs:
    """What a joined kind is put together from: the contributions of the record pages, by record id."""

    rows: Mapping[str, Rows] = field(default_factory=dict)
    blocks: Mapping[str, Blocks] = field(default_factory=dict)

    @classmethod
    def of(cls, made: Iterable[Made]) -> Inputs:
        """The contributions of these files (the record pages, for a clean build in one process)."""
        rows: dict[str, Rows] = {}
        blocks: dict[str, Blocks] = {}
        for m in made:
            rows.update(m.rows)
            blocks.update(m.blocks)
        return cls(rows, blocks)


NO_INPUTS = Inputs()


@dataclass(frozen=True)
class Kind:
    name: str
    files: Callable[[View], Iterable[tuple[str, str, Any]]]  # every file of the kind: (path, what it is, key)
    render: Callable[[View, Any, Inputs], Made]
    joins: Literal["rows", "blocks"] | None = None  # put together from these contributions, after the record pages
    takeaway: bool = False  # made by the public build only (the preview makes no take-aways)


class Job(NamedTuple):
    """One file to make: its kind and the key it renders from."""

    kind: Kind
    key: Any


def text(render: Callable[[View, Any], str | bytes]) -> Callable[[View, Any, Inputs], Made]:
    """A kind whose file is all it makes."""
    return lambda view, key, _: Made(render(view, key))


# --- the kinds that contribute besides their text -------------------------------------------------
def _record(view: View, record_id: str, _: Inputs) -> Made:
    """A record's page; its search document, its rows of the downloads and its compilation blocks."""
    record = view.ordering.record(record_id)
    url = paths.html(paths.record_path(record))
    if isinstance(record, Practice):
        page = records.render_practice(view, record)
        content, related = page.text, {record_id: page.related}
    else:
        content, related = records.render_case(view, record), {}
    documents = {url: record_document(record, url, view.graph, view.ordering.reading(record.title))}
    if not view.site.takeaways:
        return Made(content, documents=documents, related=related)
    rows = {record_id: downloads.rows_of(view, record)}
    blocks = {record_id: _compiler(view).blocks_of(record)}
    return Made(content, documents=documents, rows=rows, blocks=blocks, related=related)


def _region(view: View, code: str, _: Inputs) -> Made:
    url = paths.html(paths.region_path(code))
    return Made(regions.render_region(view, code), documents={url: region_document(code, url, view.graph)})


def _theme(view: View, theme_id: str, _: Inputs) -> Made:
    url = paths.html(paths.theme_path(theme_id))
    document = theme_document(theme_id, url, view.graph, view.ordering.reading(view.graph.themes[theme_id].name))
    return Made(themes.render_theme(view, theme_id), documents={url: document})


def _compiler(view: View) -> Compiler:
    return view.once("compiler", lambda: Compiler(view.graph, view.ordering))


def _compilation(view: View, key: tuple[str, Any], inputs: Inputs) -> Made:
    form, c = key
    compiler = _compiler(view)
    return Made(compiler.page(c, inputs.blocks) if form == "html" else compiler.document(c, inputs.blocks))


_DOWNLOADS: dict[str, Callable[[View, Mapping[str, Rows]], bytes]] = {
    paths.RECORDS_CSV: downloads.records_csv,
    paths.METRICS_CSV: downloads.metrics_csv,
    paths.RECORDS_JSON: downloads.records_json,
    paths.RECORDS_XLSX: downloads.records_xlsx,
}


def _download(view: View, path: str, inputs: Inputs) -> Made:
    if path == paths.DOWNLOADS:
        return Made(takeaway_pages.render_downloads(view, downloads.figure_count(view, inputs.rows)))
    return Made(_DOWNLOADS[path](view, inputs.rows))


# --- which files each kind makes -------------------------------------------------------------------
def _one(path: str, owner: str) -> Callable[[View], Iterable[tuple[str, str, Any]]]:
    return lambda view: [(path, owner, None)]


def _policy_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for path, document in view.policy_documents().items():
        yield path, f"policy document '{document.title}'", (path, document, None)
        for province, _ in view.ordering.cut_by_province(document.citing):
            yield (
                paths.policy_part_path(path, province),
                f"policy document '{document.title}' in region '{province}'",
                (path, document, province),
            )


def _policy(view: View, key: tuple[str, Document, str | None]) -> str:
    path, document, province = key
    if province is None:
        return policies.render_document(view, path, document)
    return policies.render_part(view, path, document, province)


def _region_part_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for n, part in enumerate(listings.parts(view, paths.REGIONS)):
        yield paths.part_path(paths.REGIONS, part), f"part {part.label} of the region index", n


def _theme_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for theme_id in view.graph.themes:
        yield paths.theme_path(theme_id), f"theme '{theme_id}'", theme_id


def _theme_part_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for theme_id in view.graph.themes:
        for province, _ in view.ordering.cut_by_province(view.ordering.records_by_theme(theme_id)):
            yield paths.theme_part_path(theme_id, province), f"theme '{theme_id}' in region '{province}'", (theme_id, province)


def _listing_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for path, title, intro, _ in listings.RECORD_INDEXES:
        yield path, title, (path, title, intro, None)
        for n, part in enumerate(listings.parts(view, path)):
            yield paths.part_path(path, part), f"part {part.label} of {title}", (path, title, intro, n)


def _listing(view: View, key: tuple[str, str, str, int | None]) -> str:
    path, title, intro, n = key
    if n is None:
        return listings.render_index(view, path, title, intro)
    return listings.render_record_part(view, path, title, n)


def _record_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for brief in view.graph.briefs.values():
        yield paths.record_path(brief), f"{brief.kind.lower()} '{brief.id}'", brief.id


def _record_data_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for brief in view.graph.briefs.values():
        yield paths.record_yaml(paths.record_path(brief)), f"the data of {brief.kind.lower()} '{brief.id}'", brief.id


def _record_data(view: View, record_id: str) -> bytes:
    return downloads.record_yaml(view, record_id)


def _download_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for path in (paths.DOWNLOADS, *_DOWNLOADS):
        yield path, "the data downloads", path


def _schema_files(view: View) -> Iterable[tuple[str, str, Any]]:
    for kind, path in paths.SCHEMAS.items():
        yield path, "the data downloads", kind


def _compilation_files(view: View) -> Iterable[tuple[str, str, Any]]:
    """The compilations the build writes into the site (catalogue.PREBUILT), in the forms it writes them."""
    catalogue = view.catalogue
    for c in catalogue.prebuilt():
        for form in catalogue.forms(c):
            if form == "html":
                yield c.html, f"the compilation '{c.title}'", ("html", c)
            else:
                yield c.docx, f"the Word compilation '{c.title}'", ("docx", c)


def _stylesheet_files(view: View) -> Iterable[tuple[str, str, Any]]:
    catalogue = view.catalogue  # one stylesheet for every print page of the site, not a copy in each
    if any("html" in catalogue.forms(c) for c in catalogue.prebuilt()):
        yield paths.COMPILATION_STYLESHEET, "the compilations' stylesheet", None


def whole(render: Callable[[View], str | bytes]) -> Callable[[View, Any, Inputs], Made]:
    """A kind of one file, rendered from the View alone."""
    return lambda view, _key, _inputs: Made(render(view))


def counts(render: Callable[[View], str]) -> Callable[[View, Any, Inputs], Made]:
    """A kind of one file that shows of the groups' records only how many each group holds: it
    reads the tally, not the groups (reads.TALLY), and a title edited elsewhere leaves it alone."""

    def made(view: View, _key: Any, _inputs: Inputs) -> Made:
        with view.ordering.reads.tallying():
            return Made(render(view))

    return made


def _shipped_files(view: View) -> Iterable[tuple[str, str, Any]]:
    return ((rel, "a file shipped with the generator", rel) for rel in shipped_files())


def _region_files(view: View) -> Iterable[tuple[str, str, Any]]:
    return ((paths.region_path(code), f"region '{code}'", code) for code in view.ordering.regions_with_records())


# The registry: every kind, in the order their files are named in messages (the plan is in path order).
KINDS: tuple[Kind, ...] = (
    Kind("home", _one(paths.HOME, "the home page"), whole(home.render_home)),
    Kind("overview", _one(paths.OVERVIEW, "the overview"), counts(overview.render_overview)),
    Kind("search page", _one(paths.SEARCH, "the search page"), whole(search_page.render_search)),
    Kind("policy index", _one(paths.POLICIES, "the policy index"), whole(policies.render_index)),
    Kind("policy", _policy_files, text(_policy)),
    Kind("region index", _one(paths.REGIONS, "the region index"), counts(regions.render_index)),
    Kind("region letter", _region_part_files, text(listings.render_region_part)),
    Kind("region", _region_files, _region),
    Kind("theme index", _one(paths.THEMES, "the theme index"), whole(themes.render_index)),
    Kind("theme", _theme_files, _theme),
    Kind("theme in a province", _theme_part_files, text(lambda view, key: themes.render_part(view, *key))),
    Kind("listing", _listing_files, text(_listing)),
    Kind("record", _record_files, _record),
    Kind("record data", _record_data_files, text(_record_data)),
    Kind("shipped", _shipped_files, text(lambda view, rel: shipped_files()[rel])),
    # What officials take away: made by the public build only.
    Kind("downloads", _download_files, _download, joins="rows", takeaway=True),
    Kind("schema", _schema_files, text(lambda view, kind: downloads.schema(kind)), takeaway=True),
    Kind("feed", _one(paths.FEED, "the feed"), whole(feed.render_feed), takeaway=True),
    Kind(
        "compilation index",
        _one(paths.COMPILATIONS, "the compilation index"),
        counts(takeaway_pages.render_compilations),
        takeaway=True,
    ),
    Kind("compilation", _compilation_files, _compilation, joins="blocks", takeaway=True),
    Kind("compilation stylesheet", _stylesheet_files, whole(lambda view: _compiler(view).stylesheet()), takeaway=True),
)
# The preview makes no take-aways; the navigation names the compilation index, so it says where they are made.
PREVIEW_KINDS: tuple[Kind, ...] = (
    Kind(
        "compilation index", _one(paths.COMPILATIONS, "the compilation index"), whole(takeaway_pages.render_compilations_preview)
    ),
)


def plan(view: View) -> dict[str, Job]:
    """Every file of the site, path -> its job, in path order. Naming files is cheap and rendering
    is not, so an incremental build names them all (to know which exist) and renders only those a
    change reaches. Two files at one path is an error that names both."""
    jobs: dict[str, Job] = {}
    owners: dict[str, str] = {}
    kinds = [k for k in KINDS if not k.takeaway] + (
        [k for k in KINDS if k.takeaway] if view.site.takeaways else list(PREVIEW_KINDS)
    )
    for kind in kinds:
        for path, owner, key in kind.files(view):
            if path in jobs:
                raise DataError(
                    [Problem(f"docs/{path}", 1, 1, "-", f"two pages would be written here: {owners[path]} and {owner}")]
                )
            jobs[path], owners[path] = Job(kind, key), owner
    return dict(sorted(jobs.items()))


def render(view: View, job: Job, inputs: Inputs = NO_INPUTS) -> Made:
    """Render one file, noting the keys it reads."""
    recorder = view.ordering.reads
    recorder.start()
    try:
        made = job.kind.render(view, job.key, inputs)
    finally:
        keys = recorder.stop()
    return Made(made.content, keys, made.documents, made.rows, made.blocks, made.related)


def render_all(view: View) -> dict[str, str | bytes]:
    """Every file's content, in one process and without a cache (tests and benchmarks)."""
    jobs = plan(view)
    made = {path: render(view, job) for path, job in jobs.items() if job.kind.joins is None}
    inputs = Inputs.of(made.values())
    made.update({path: render(view, job, inputs) for path, job in jobs.items() if job.kind.joins is not None})
    return {path: made[path].content for path in jobs}
