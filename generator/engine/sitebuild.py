"""MkDocs for the generator: a strict build, and a strict rebuild of only the pages that changed.

    python -m generator.engine.sitebuild --config mkdocs.yml --out WORK [--previous SITE [--index DIR]] [--parts N] [--wait]

Without --previous: `mkdocs build --strict` into WORK. With it, WORK starts as a copy of the
previous site made of hard links, and MkDocs' dirty mode renders only the pages whose Markdown is
newer than their HTML (generate rewrites a page only when its bytes change). The copy leaves out
every file MkDocs will write, so MkDocs writes new files instead of writing through a link into
the live site, and it leaves out pages whose Markdown is gone, as a clean build would. A static
file of docs/ reaches the site as a hard link to it rather than MkDocs' copy (`_link_static_files`).
With --trash the copy is not made from nothing: the tree the last build set aside there (the site
before the previous one) is brought up to date, which touches only what the last two builds
changed (`reuse_set_aside`, `link_unchanged`).

A clean build may run in N processes at once (--parts; build.py asks for one per CPU, at most
two): each is such a rebuild, of the pages it claims as it comes to them (`_build_in_parts`).
Either way, Material's navigation and tabs are rendered once per folder for the pages outside the
navigation, whose HTML they share (`_share_outside_navigation`), and Python-Markdown is spared work
that cannot change a page (plain_text.py, reused_markdown.py, marked_only.py).

This is only safe while everything else that decides the HTML is unchanged: mkdocs.yml, the theme
and its overrides, the generator's own assets. build.py keeps a fingerprint of those and asks for
a clean build when it changes. A page's HTML depends on no other page here (the navigation lists
only the fixed pages of mkdocs.yml), which is what makes a rebuild of some pages equal a clean
build of all of them; tests/test_everyday.py and tests/test_stateful.py check it byte for byte.

Runs as its own process (build.py starts it): MkDocs, Material and Markdown keep module state, and
PYTHONHASHSEED=0 keeps any set order they leak into pages the same on every run. With --wait it
starts before the pages exist: it imports MkDocs, Material and the Markdown extensions and reads
the configuration (about a second), then builds when its input says `build`, or ends without
building at the end of its input.

A rebuild also makes its walks while it waits (`prepare`): MkDocs' list of the files of docs/, the
links to the previous site's files (and, with --index, to its search index, which the build updates
beside MkDocs' work), and the previous site's stamps. At 100,000 records they take about 5 s, which
the generate that is writing docs/ meanwhile hides. Once built, it stamps the files it built while
the build writes the search index, and on `stamp` only the index moved in since (`_stamp`).
`build` is followed by a line listing the files of docs/ that generate wrote or removed since, and
`catch_up` brings the walks of docs/ and of the previous site up to date with it: what they found
then is what they would find now, but for those files.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import logging
import os
import posixpath
import re
import shutil
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .lock import end_with_parent
from .marked_only import look_for_marks_only_where_they_are
from .parallel import Claims
from .plain_text import pass_over_plain_text
from .reused_markdown import reuse_markdown
from .write import (
    PageStamp,
    empty_folder,
    files,
    joined_digest,
    link_tree,
    remove_entry,
    site_digest,
    split_stamps,
    stamps_digest,
)

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

PARENT = "GENERATOR_BUILD_PARENT"  # the build that started this process: it ends with that one
DIRTY_NOTICE = "A 'dirty' build is being performed"  # MkDocs says this on every dirty build
SEARCH = "search"  # the site's folder of search index files, written by the generator, not by MkDocs


class _Warnings(logging.Handler):
    """What `--strict` counts, less MkDocs' notice that a build is dirty (it counts as a warning
    in strict mode, so `mkdocs build --strict --dirty` always fails)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(DIRTY_NOTICE):
            self.messages.append(f"{record.levelname}: {message}")


def link_unchanged(
    previous: Path, out: Path, docs: Path, rewritten: set[str], theme_dirs: list[Path], stamps: dict[str, PageStamp] | None = None
) -> set[str]:
    """Fill out/ with hard links to the files of previous/ that a dirty build keeps; their paths.
    stamps: filled with the stamp of every file of previous/ but search/, as write.files takes them
    (the build checks them; one walk of 150,000 files instead of two at 100,000 records).

    Left out: the files in `rewritten` (the theme's static templates, written on every build),
    pages whose Markdown is gone, pages whose Markdown is newer than their HTML (MkDocs renders
    those again, into new files), and likewise other files of docs/ that are newer than their
    copy or gone (a file that comes from the theme stays), and search/: the generator's own,
    which the build writes beside and moves in (build.py).

    out/ may hold a tree already: the site before previous/, set aside by the last build
    (reuse_set_aside). What of it is already the link wanted stays; everything else in it goes.
    At 100,000 records that is a few dozen files instead of 150,000 links made here and 150,000
    removed with the old tree.
    """
    docs_root, theme_roots = str(docs), [str(d) for d in theme_dirs]

    def kept(entry: os.DirEntry, rel: str, stat: os.stat_result) -> bool:
        """Whether a dirty build keeps this file of previous/ as it is."""
        if rel in rewritten:
            return False
        is_html = entry.name.endswith(".html")
        try:
            try:  # a page's source is its Markdown; other files are copied from docs/ as they are
                source = os.stat(f"{docs_root}/{rel[: -len('.html')]}.md" if is_html else f"{docs_root}/{rel}")
            except FileNotFoundError:
                if not is_html:
                    raise
                source = os.stat(f"{docs_root}/{rel}")  # an HTML file of docs/ itself (a compilation)
        except FileNotFoundError:
            return not is_html and any(os.path.isfile(os.path.join(d, rel)) for d in theme_roots)  # else its source is gone
        return source.st_mtime_ns <= stat.st_mtime_ns  # else MkDocs writes it again

    return link_tree(previous, out, stamps, keep=kept, skip={SEARCH})


def reuse_set_aside(trash: Path, out: Path, index: Path | None) -> bool:
    """Take the newest site tree in the trash (swap_dir leaves the site before the last one there)
    as out/, an empty folder now, for link_unchanged to bring up to date; its search/ becomes the
    index folder for link_tree to do the same (or goes, without one). False when there is none,
    or it cannot be moved (it is then removed with the rest of the trash)."""
    try:
        with os.scandir(trash) as entries:
            trees = [
                (entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
                for entry in entries
                if entry.is_dir(follow_symlinks=False)
            ]
    except FileNotFoundError:
        return False
    if not trees:
        return False
    try:
        os.rename(max(trees)[1], out)  # out/ is empty: rename replaces it
    except OSError:
        return False
    search = out / SEARCH
    if index is not None and search.is_dir() and not search.is_symlink() and not os.path.lexists(index):
        search.rename(index)
    else:
        remove_entry(str(search))
    return True


def warm_up(config_file: Path, out: Path) -> None:
    """Import what a build imports and read the configuration once, with out/ (not read) as its
    docs folder, as the pages may not be written yet: a second read then takes milliseconds."""
    from mkdocs.commands import build as _  # noqa: F401
    from mkdocs.config import load_config

    load_config(str(config_file), docs_dir=str(out), site_dir=f"{out}-unused", strict=False)


def load(config_file: Path, out: Path, docs: Path | None = None) -> MkDocsConfig:
    """mkdocs.yml, building into out/ (from docs/ instead of its docs_dir when given)."""
    from mkdocs.config import load_config

    overrides = {"docs_dir": str(docs)} if docs is not None else {}
    return load_config(str(config_file), site_dir=str(out), strict=False, **overrides)


def _rewritten(config: MkDocsConfig) -> set[str]:
    """The theme's static templates (and their .gz), which MkDocs writes on every build."""
    rewritten = set(config.theme.static_templates)
    return rewritten | {f"{name}.gz" for name in rewritten if name.endswith(".xml")}


@dataclass
class Prepared:
    """A rebuild's two walks, made before docs/ is final (module docstring)."""

    files: list[File]  # the files of docs/, in the order and form of MkDocs' get_files
    linked: set[str]  # the files of out/ linked to previous/ (link_unchanged)


def prepare(config: MkDocsConfig, out: Path, previous: Path, stamps: dict[str, PageStamp] | None = None) -> Prepared:
    """Walk docs/ as MkDocs does and link out/ to previous/ as link_unchanged does, now (stamps:
    filled as link_unchanged fills it). Each page gets the Page that MkDocs' get_navigation makes
    for a page outside the navigation (a nav page gets its own there, as in a clean build): at
    100,000 records, making them once the pages were written took half a second of the rebuild."""
    from mkdocs.structure.files import set_exclusions
    from mkdocs.structure.pages import Page

    files = _walk_docs(config)
    set_exclusions(files, config)
    in_nav = _nav_paths(config["nav"])
    with _one_build_date():
        for file in files:
            file.dest_uri, file.url  # noqa: B018 - worked out now, while generate runs
            if file.is_documentation_page() and file.inclusion.is_included() and file.src_uri not in in_nav:
                Page(None, file, config)
    theme_dirs = [Path(d) for d in config.theme.dirs]
    linked = link_unchanged(previous, out, Path(config.docs_dir), _rewritten(config), theme_dirs, stamps)
    return Prepared(files, linked)


@contextmanager
def _one_build_date() -> Iterator[None]:
    """Pages made meanwhile share one build date. MkDocs' Page asks the clock (or the environment's
    SOURCE_DATE_EPOCH) for it as each is made: at 100,000 pages, half a second of the rebuild's
    work for one value (a build that runs past midnight gets its start's date on every page)."""
    from mkdocs.structure import pages

    asked = pages.get_build_date
    date = asked()
    pages.get_build_date = lambda: date
    try:
        yield
    finally:
        pages.get_build_date = asked


def _nav_paths(nav: object) -> set[str]:
    """Every path mkdocs.yml's nav names (get_navigation gives the page of one a Page of its own,
    titled as the nav says, unless it has one already)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*map(_nav_paths, nav.values()))
    if isinstance(nav, list):
        return set().union(*map(_nav_paths, nav))
    return set()


def _walk_docs(config: MkDocsConfig) -> list[File]:
    """The files get_files finds, in its order (mkdocs.structure.files.get_files, less its README
    rule, which catch_up leaves to MkDocs)."""
    from mkdocs.structure.files import _file_sort_key

    docs, site, directory_urls = config["docs_dir"], config["site_dir"], config["use_directory_urls"]
    found = []
    for folder, dirnames, filenames in os.walk(docs, followlinks=True):
        rel = os.path.relpath(folder, docs).replace(os.sep, "/")
        prefix = "" if rel == "." else f"{rel}/"
        dirnames.sort()
        filenames.sort(key=_file_sort_key)
        found += walked_files([f"{prefix}{name}" for name in filenames], docs, site, directory_urls)
    return found


# What urllib's quote() leaves as it is (its default safe "/" and the characters it never quotes).
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def walked_files(src_uris: list[str], docs: str, site: str, directory_urls: bool) -> list[File]:
    """File(src_uri, docs, site, directory_urls) for each of these paths, already relative, POSIX
    and normal, as a walk makes them: the same attributes, without the PurePath that File's
    constructor makes of every path (0.5 s of 100,000 files). tests/test_site.py compares the two.

    Without directory URLs, each also gets its name, destination and address as MkDocs works them
    out (File's cached properties), by string operations: at 100,000 files MkDocs' own took 1.3 s
    of the rebuild's walk, beside generate."""
    from mkdocs.structure.files import File, InclusionLevel
    from mkdocs.utils import is_markdown_file

    made = []
    for src_uri in src_uris:
        file = File.__new__(File)
        file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls = src_uri, docs, site, directory_urls
        file.inclusion = InclusionLevel.UNDEFINED
        if not directory_urls:
            parent, _, filename = src_uri.rpartition("/")
            stem = posixpath.splitext(filename)[0]
            name = "index" if stem == "README" else stem
            dest = (f"{parent}/{name}.html" if parent else f"{name}.html") if is_markdown_file(src_uri) else src_uri
            vars(file).update(name=name, dest_uri=dest, url=dest if _UNQUOTED.fullmatch(dest) else quote(dest))
        made.append(file)
    return made


def _walk_order(file: File) -> tuple[list[str], tuple]:
    """Where a file comes in the walk's order (its folders, then get_files' order of names)."""
    from mkdocs.structure.files import _file_sort_key

    *folders, name = file.src_uri.split("/")
    return folders, _file_sort_key(name)


def catch_up(prepared: Prepared, config: MkDocsConfig, out: Path, changed: list[str]) -> Prepared:
    """The walks as they would be made now, given every file of docs/ written or removed since
    they began (paths relative to docs/): each of those is looked at again; any other file the
    docs walk met is still there and still the same, but for the writers' temporary files
    (write.write_atomic: dot files, which MkDocs leaves out of a site)."""
    from mkdocs.structure.files import File, set_exclusions

    docs = config["docs_dir"]
    again = set(changed)
    files = [
        f
        for f in prepared.files
        if f.src_uri not in again and not (f.name.startswith(".") and not os.path.exists(f.abs_src_path or ""))
    ]
    fresh = [
        File(rel, docs, config["site_dir"], config["use_directory_urls"])
        for rel in sorted(again)
        if os.path.isfile(os.path.join(docs, rel))
    ]
    # The rest are in the walk's order: each comes back in its place (sorting all 100,000 again
    # by a key of PurePaths took 1.5 s of an edit's rebuild).
    for file in fresh:
        bisect.insort(files, file, key=_walk_order)
    set_exclusions(files, config)
    linked = set(prepared.linked)
    for rel in again:  # their pages are written again (or were removed): never linked
        target = f"{rel[: -len('.md')]}.html" if rel.endswith(".md") else rel
        if target in linked:
            os.unlink(out / target)
            linked.discard(target)
    return Prepared(files, linked)


def build(
    config_file: Path,
    out: Path,
    previous: Path | None,
    docs: Path | None = None,
    *,
    parts: int = 1,
    prepared: Prepared | None = None,
    templates: Path | None = None,
) -> list[str]:
    """Build into out/ (a rebuild of previous/ when given, with its walks made already when
    prepared; else in `parts` processes); the warnings that make it fail."""
    from mkdocs.commands import build as mkdocs_commands

    config = load(config_file, out, docs)
    warnings = _Warnings()
    log = logging.getLogger("mkdocs")
    log.setLevel(logging.WARNING)
    log.propagate = False  # printed once, by main()
    log.addHandler(warnings)
    rewritten = _rewritten(config)
    _link_static_files(config.docs_dir)
    if templates is not None:
        _cache_templates(templates)
    _share_outside_navigation()
    pass_over_plain_text()
    reuse_markdown()
    look_for_marks_only_where_they_are()
    if previous is not None:
        if prepared is None:
            prepared = prepare(config, out, previous)
        if not any(f.name == "README" for f in prepared.files):  # else MkDocs' own walk settles which one a folder shows
            walked = _walked_files()(prepared.files)
            mkdocs_commands.get_files = lambda _config: walked  # type: ignore[assignment]
        _modified_unless_linked(prepared.linked)
        mkdocs_commands.build(config, dirty=True)
    elif parts > 1:
        _build_in_parts(config, out, parts, rewritten, warnings)
    else:
        mkdocs_commands.build(config, dirty=False)
    return warnings.messages


def _walked_files() -> type[Files]:
    """MkDocs' Files, listing its pages once rather than on every call."""
    from mkdocs.structure.files import Files, InclusionLevel

    class Walked(Files):
        """A rebuild lists the pages five times (the navigation, reading, two theme templates and
        writing): each time its 100,000 files, for 0.4 s at 100,000 records. Files changes only
        through append and remove, which forget the list."""

        _pages: tuple[Callable[[InclusionLevel], bool], list[File]] | None = None

        def documentation_pages(self, *, inclusion: Callable[[InclusionLevel], bool] = InclusionLevel.is_included) -> list[File]:
            if self._pages is None or self._pages[0] is not inclusion:
                self._pages = (inclusion, list(super().documentation_pages(inclusion=inclusion)))
            return list(self._pages[1])

        def append(self, file: File) -> None:
            self._pages = None
            super().append(file)

        def remove(self, file: File) -> None:
            self._pages = None
            super().remove(file)

    return Walked


def _cache_templates(folder: Path) -> None:
    """Keep the theme's templates compiled in folder: Jinja compiles each on every build (0.4 s of
    every rebuild, the same bytecode each time). Its cache keys a template by name and checks its
    source, so a changed template is compiled again; an entry that cannot be read is too. Where the
    folder cannot be made or written, the templates are compiled as before."""
    import jinja2
    from mkdocs.theme import Theme

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - damaged: compiled again (and written again)
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):  # not kept: compiled again next time
                super().dump_bytecode(bucket)

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    cache, get_env = Cache(str(folder)), Theme.get_env

    def get_cached_env(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        return env

    Theme.get_env = get_cached_env  # type: ignore[method-assign,assignment]


# Material's partials whose HTML, for a page outside the navigation, depends on nothing but the
# folder the page is in (their links are relative to it): the navigation and the tabs.
SHARED_OUTSIDE_NAVIGATION = ("partials/nav.html", "partials/tabs.html")


def _share_outside_navigation() -> None:
    """Render the navigation and the tabs once per folder for the pages outside the navigation.

    Material renders both for every page: a tenth of MkDocs' time on our pages. For a page that is
    not in the navigation no item is active, and what is left to differ is where the page is: MkDocs'
    `url` filter makes each link relative to the page's folder (get_relative_url drops the file's
    name). So such a page gets the HTML the first page of its folder made. A page in the navigation
    (an item, or a section above it, is active) renders them as MkDocs does. tests/test_site.py
    checks that the site is byte for byte the one `mkdocs build` makes."""
    from mkdocs.theme import Theme

    get_env = Theme.get_env

    def get_sharing_env(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        load = env._load_template

        def load_template(name: str, globals: MutableMapping[str, Any] | None) -> jinja2.Template:
            template = load(name, globals)
            if name in SHARED_OUTSIDE_NAVIGATION and not getattr(template, "_shared_by_folder", False):
                template.root_render_func = _by_folder(template.root_render_func)
                template._shared_by_folder = True  # type: ignore[attr-defined]
            return template

        env._load_template = load_template  # type: ignore[method-assign]
        return env

    Theme.get_env = get_sharing_env  # type: ignore[method-assign,assignment]


def _by_folder(render: Callable) -> Callable:
    """render(context), kept per page folder for pages outside the navigation (see above)."""
    made: dict[str, str] = {}

    def render_shared(context) -> Iterator[str]:
        page, nav = context.get("page"), context.get("nav")
        url = getattr(page, "url", None)
        if nav is None or not isinstance(url, str) or not url.endswith(".html") or any(item.active for item in nav.items):
            yield from render(context)
            return
        folder = posixpath.dirname(url)
        html = made.get(folder)
        if html is None:
            html = made[folder] = "".join(render(context))
        yield html

    return render_shared


def _link_static_files(docs_dir: str) -> None:
    """MkDocs copies each static file of docs/ it writes (shutil.copyfile); a hard link gives the
    same bytes without the copy (an edit at 100,000 records writes 415 MB of downloads). generate
    only ever replaces a file of docs/ (write_atomic renames), never writes into one, so the site's
    link keeps its bytes. Files from elsewhere (the theme's) and links that fail (another file
    system) are copied as MkDocs does."""
    from mkdocs import utils

    copy, inside = utils.copy_file, os.path.join(docs_dir, "")

    def link_or_copy(source_path: str, output_path: str) -> None:
        if source_path.startswith(inside):
            os.makedirs(os.path.dirname(output_path), exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(output_path)  # replaced, never written through
            try:
                os.link(source_path, output_path)
                return
            except OSError:
                pass  # another file system, or no links there: copied
        copy(source_path, output_path)

    utils.copy_file = link_or_copy


def _modified_unless_linked(linked: set[str]) -> None:
    """Tell MkDocs' dirty build that a file is out of date exactly when link_unchanged did not link
    its output. That is what MkDocs would find by comparing the two files' times (a file is linked
    when its source is not newer, and out/ holds nothing else yet), without the two stats a file
    it makes: 2.7 s of a 100,000-record rebuild's profile. A file a plugin makes is always out of
    date, as in MkDocs."""
    from mkdocs.structure.files import File

    def is_modified(file: File) -> bool:
        return file.generated_by is not None or file.dest_uri not in linked

    File.is_modified = is_modified  # type: ignore[method-assign,assignment]


def _build_in_parts(config, out: Path, parts: int, rewritten: set[str], warnings: _Warnings) -> None:
    """A clean build by `parts` processes at once, each rendering the pages it claims.

    Each process is MkDocs' dirty build told that only its own pages are out of date (so it reads,
    checks and renders only those, against the whole site's files and navigation, as a rebuild of a
    few pages does); the first also copies the static files and writes the theme's templates. The
    others write into folders of their own, whose pages are moved into out/ at the end. A page is
    the part's that comes to it first (parallel.Claims): a split by name left one part 4 s behind
    the other at 10,000 records, with one CPU idle meanwhile.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.structure.files import File
    from mkdocs.utils import clean_directory

    out.mkdir(parents=True, exist_ok=True)
    clean_directory(str(out))  # as a clean build does
    children: list[tuple[int, Path]] = []
    part, builder = 0, os.getpid()
    claims = Claims(parts)
    for other in range(1, parts):
        folder = out.with_name(f"{out.name}-part{other}")
        pid = os.fork()
        if pid == 0:
            end_with_parent(builder)
            part, out = other, folder
            children = []
            claims.joined(part)
            break
        children.append((pid, folder))
    written_by_theme = File.is_modified

    def is_modified(file: File) -> bool:
        if file.is_documentation_page():
            # MkDocs asks first as it reads the pages, in the walk's order in every part: a part
            # takes the next page nobody has, so the parts end together (the cost of a page, and
            # the CPU the search index takes beside them, vary).
            return claims.mine(file.src_uri)
        return part == 0 and written_by_theme(file)

    File.is_modified = is_modified  # type: ignore[method-assign,assignment]
    config["site_dir"] = str(out)
    if part != 0:  # a child: report, and end without returning into the caller's code
        code = 1
        try:
            mkdocs_build(config, dirty=True)
            for line in warnings.messages:
                sys.stderr.write(f"{line}\n")
            code = 1 if warnings.messages else 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    try:
        mkdocs_build(config, dirty=True)
    finally:
        failed = [folder for pid, folder in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        warnings.messages.append(f"ERROR: {len(failed)} part(s) of the build failed")
    for _, folder in children:
        for source, dirs, names in os.walk(folder):
            dirs.sort()
            rel_folder = os.path.relpath(source, folder)
            rel_folder = "" if rel_folder == "." else rel_folder + "/"
            (out / rel_folder).mkdir(parents=True, exist_ok=True)
            for name in sorted(names):
                if rel_folder + name not in rewritten:  # the first process writes those
                    os.replace(Path(source, name), out / rel_folder / name)
        shutil.rmtree(folder)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.engine.sitebuild", description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, type=Path, help="mkdocs.yml")
    p.add_argument("--out", required=True, type=Path, help="folder to build into (empty or missing)")
    p.add_argument("--previous", type=Path, help="the last good site: rebuild only what changed since")
    p.add_argument("--docs", type=Path, help="pages to build instead of mkdocs.yml's docs_dir")
    p.add_argument(
        "--wait",
        action="store_true",
        help="load MkDocs (and make a rebuild's walks), say `prepared` and the previous site's stamps digest, then build when a line `build` comes on"
        " stdin, followed by a JSON list of the files of docs/ written or removed meanwhile; say `built`, and on a line `stamp` say `stamped` and"
        " the stamps digest of the folder built into, as the caller has added to it meanwhile",
    )
    p.add_argument(
        "--index", type=Path, help="with --previous and --wait: link the previous site's search/ into this folder with the walks"
    )
    p.add_argument(
        "--trash", type=Path, help="the last builds' old sites: a rebuild starts from the newest, and the rest is removed beside"
    )
    p.add_argument(
        "--templates", type=Path, help="a folder where Jinja keeps the theme's templates compiled, from build to build"
    )
    p.add_argument("--parts", type=int, default=1, help="a clean build in this many processes at once (default 1)")
    args = p.parse_args(argv)
    if os.environ.get(PARENT, "").isdigit():  # killed, the build must not leave this one writing
        end_with_parent(int(os.environ[PARENT]))
    # A rebuild starts from the site before the last, set aside in the trash, rather than from nothing.
    if args.previous is not None and args.trash is not None and args.parts == 1:
        reuse_set_aside(args.trash, args.out, args.index)
    # In a thread: unlinking files is system time, and the build waits here for its pages anyway;
    # but first, before a build in parts forks (a fork copies no thread but its own).
    emptying = None
    if args.trash is not None and args.parts > 1:
        empty_folder(args.trash)
    elif args.trash is not None:
        emptying = threading.Thread(target=empty_folder, args=(args.trash,))
        emptying.start()
    try:
        code = _run(args)
    finally:
        if emptying is not None:
            emptying.join()
    if args.wait:
        # The build waits for this process to end: it ends without tearing down MkDocs' pages (about
        # 0.6 s at 100,000 records).
        for stream in (sys.stdout, sys.stderr):
            if not stream.closed:
                stream.flush()
        os._exit(code)
    return code


def _run(args: argparse.Namespace) -> int:
    prepared = None
    stamps: dict[str, PageStamp] = {}  # of the previous site, then of the files built
    if args.wait:
        args.out.mkdir(parents=True, exist_ok=True)
        warm_up(args.config, args.out)
        found = "-"
        if args.previous is not None:
            config = load(args.config, args.out, args.docs)
            prepared = prepare(config, args.out, args.previous, stamps)
            if args.index is not None:  # the build updates it, and moves it into out/ once MkDocs is done
                link_tree(args.previous / SEARCH, args.index, stamps, f"{SEARCH}/")
            else:
                stamps.update((f"{SEARCH}/{rel}", st) for rel, st in files(args.previous / SEARCH).items())
            found = site_digest(stamps, SEARCH)  # as the build checks the previous site: write.files(previous)
        sys.stdout.write(f"prepared {found}\n")
        sys.stdout.flush()
        if sys.stdin.readline().strip() != "build":
            return 0  # the build needs no site after all, or failed before it
        changed = json.loads(sys.stdin.readline() or "[]")
        if prepared is not None:
            prepared = catch_up(prepared, config, args.out, changed)
    warnings = build(
        args.config, args.out, args.previous, args.docs, parts=args.parts, prepared=prepared, templates=args.templates
    )
    if warnings:
        sys.stdout.close()  # the caller reads stdout until it ends, then stderr: a long report must not block on a full pipe
        for line in warnings:
            sys.stderr.write(f"{line}\n")
        sys.stderr.write(f"Aborted with {len(warnings)} warning(s) in strict mode\n")
        return 1
    if args.wait:
        _stamp(args.out, stamps)
    return 0


def _stamp(out: Path, previous: dict[str, PageStamp]) -> None:
    """Say `built`; on `stamp`, say the site digest of out/ as it is then (the caller moves the
    search index in meanwhile). The files built are stamped first, while the caller is still
    writing the index: the stamp then looks again only at the files added since (write.files: the
    previous site's files and those stamped now are known by their inodes; the previous site stays
    where it is until the caller has its answer)."""
    built = files(out, known=previous)  # search/ is not there yet
    outside = stamps_digest(split_stamps(built, SEARCH)[0])
    index = {rel.removeprefix(f"{SEARCH}/"): st for rel, st in split_stamps(previous, SEARCH)[1].items()}
    sys.stdout.write("built\n")
    sys.stdout.flush()
    if sys.stdin.readline().strip() == "stamp":
        inside = stamps_digest({f"{SEARCH}/{rel}": st for rel, st in files(out / SEARCH, known=index).items()})
        sys.stdout.write(f"stamped {joined_digest(outside, inside)}\n")  # write.site_digest of out/ as it is now
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
