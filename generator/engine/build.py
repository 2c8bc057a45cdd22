"""The commands that write: generate (data/ → docs/, generate.py) and build (then MkDocs and the
search index into a working copy, swapped in as site/ only on success).

Nothing is written until every record is loaded, validated and linked, so a mistake in data/ never
leaves docs/ or site/ half-updated.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from ..model.link import Graph
from ..model.ordering import Ordering
from ..outputs.view import Site
from . import generate as pipeline
from .cache import FileStamp, StateLoading, Store, code_fingerprint, digest_tree, fingerprint, library_versions
from .changes import scan
from .check import check, no_cycle_collection
from .parallel import Forked
from .sitebuild import PARENT, SEARCH
from .write import PageStamp, WriteReport, files, finish_removing, remove_leftovers, site_digest, stamps_digest, swap_dir

__all__ = ["Paths", "build_site", "check", "generate"]


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path  # mkdocs.yml; docs_dir and site_dir are read from it

    @property
    def _config(self) -> dict:
        return _read_config(self.config)

    # The preview (`serve`, `build --preview`) shows unpublished records too, and keeps its own
    # pages, site and cache under .cache/preview/, so that it and the public build never rewrite
    # each other's files.
    preview: bool = False

    @property
    def docs(self) -> Path:
        if self.preview:
            return self.config.parent / ".cache" / "preview" / "docs"
        return self.config.parent / self._config.get("docs_dir", "docs")

    @property
    def site(self) -> Path:
        if self.preview:
            return self.config.parent / ".cache" / "preview" / "site"
        return self.config.parent / self._config.get("site_dir", "site")

    @property
    def trash(self) -> Path:
        """Where a rebuild moves the last site's tree, for the next build's MkDocs process to remove
        beside generate: removing its 150,000 files (at 100,000 records) took a second at the end."""
        return self.cache.with_name("trash")

    @property
    def templates(self) -> Path:
        """Where MkDocs' processes keep the theme's templates compiled (sitebuild.py)."""
        return self.cache.with_name("templates")

    @property
    def cache(self) -> Path:
        """What one build keeps for the next (cache.py); safe to delete at any time."""
        if self.preview:
            return self.config.parent / ".cache" / "preview" / "generator.sqlite"
        return self.config.parent / ".cache" / "generator.sqlite"


_CONFIGS: dict[tuple[Path, tuple[int, int, int]], dict] = {}  # mkdocs.yml as read, by path and stamp


def _read_config(config: Path) -> dict:
    """mkdocs.yml, read again only when its file changes (a build asks for its folders often)."""
    st = config.stat()
    key = (config, (st.st_size, st.st_mtime_ns, st.st_ino))
    if key not in _CONFIGS:
        # mkdocs.yml may hold python tags (for example for Material's emoji); only the two dirs matter here.
        loader: type[yaml.SafeLoader] = type("L", (yaml.SafeLoader,), {})
        loader.add_multi_constructor("", lambda *_: None)
        _CONFIGS.clear()
        _CONFIGS[key] = yaml.load(config.read_text(encoding="utf-8"), Loader=loader) or {}
    return _CONFIGS[key]


def generate(paths: Paths, *, full: bool = False) -> WriteReport:
    """Check data/ and write docs/; raise DataError with every problem when data/ has errors.

    With a cache from an earlier run, only changed data files are read and only the pages they
    reach are rendered (generate.py); the result is the same as a full build's. full: ignore it.
    """
    with no_cycle_collection(), Store(paths.cache) as store:
        start = _start(paths, store, full=full)
        return (None if full else _settled(paths, store, start)) or _generate(paths, store, start, full=full)[2]


def _site(paths: Paths) -> Site:
    return Site(
        name=str(paths._config.get("site_name") or Site.name),
        url=str(paths._config.get("site_url") or ""),
        takeaways=not paths.preview,
    )


def _fingerprint(paths: Paths, site: Site) -> str:
    return fingerprint(paths.data, paths.docs, preview=paths.preview, site=f"{site.name}|{site.url}")


@dataclass
class _Start:
    """What a run knows before it reads a record."""

    now: dict[str, FileStamp] | None  # data/'s scan (changes.scan), made once per run
    data_digest: str | None  # its stamps_digest (None without a scan)
    on_disk: dict[str, PageStamp]  # docs/ as files() found it
    loading: StateLoading | None  # the last run's state, begun (None: full)
    then: object = None  # what `then` gave (_start), or None


def _start(paths: Paths, store: Store, *, full: bool, then: Callable[[], object] | None = None) -> _Start:
    """data/ is scanned in a forked process while this one walks docs/ and begins to load the last
    run's state: at 100,000 records about 0.7, 0.4 and 0.9 s, which ran one after the other. The
    rest of the state loads once the run knows it needs it (_generate): a run with nothing to do
    needs none, and a rebuild starts MkDocs' process first, whose walks are its longest chain.
    then: more work for the scanning process when data/ is as the last run left it (a build's walk
    of site/, which only a build with nothing to do needs)."""
    expected = _fingerprint(paths, _site(paths))
    last = None if full else store.settled(expected)

    def scan_then() -> tuple[dict[str, FileStamp] | None, str | None, object]:
        now = scan(paths.data)
        digest = None if now is None else stamps_digest(now)
        unchanged = last is not None and digest is not None and digest == last.data
        return now, digest, then() if then is not None and unchanged else None

    scanning = Forked(scan_then)
    try:
        on_disk = files(paths.docs)
        loading = None if full else store.loading(expected)
        while loading is not None and not scanning.ready() and loading.step():
            pass
        now, digest, then_gave = scanning.result()
        return _Start(now, digest, on_disk, loading, then_gave)
    finally:
        scanning.cancel()


def _settled(paths: Paths, store: Store, start: _Start) -> WriteReport | None:
    """The report of a generate with nothing to do (generate.settled), found without the last run's
    state; None when there may be something to do."""
    pages = pipeline.settled(start.data_digest, start.on_disk, store, _fingerprint(paths, _site(paths)))
    if pages is None:
        return None
    on_disk, digest = pages
    return WriteReport(unchanged=len(on_disk), incremental=True, docs=on_disk, docs_digest=digest)


def _generate(
    paths: Paths,
    store: Store,
    start: _Start,
    *,
    full: bool = False,
    written: Callable[[WriteReport], None] | None = None,
) -> tuple[Graph, Ordering, WriteReport]:
    """start: what _start found; full: ignore the cache (a clean generate); written: told once docs/
    is final (pipeline.generate)."""
    site = _site(paths)
    expected = _fingerprint(paths, site)
    before = None if full or start.loading is None else start.loading.result()
    with store.writing():  # a generate cut short leaves the next one to read everything
        return pipeline.generate(
            paths.data,
            paths.docs,
            store,
            before,
            expected,
            start.now,
            start.on_disk,
            preview=paths.preview,
            site=site,
            written=written,
        )


def mkdocs_build(config: Path, site_dir: Path, previous: Path | None = None) -> None:
    """mkdocs build --strict into site_dir (with previous: rebuild only the pages that changed since
    that site, sitebuild.py); raise with MkDocs' output on any warning."""
    mkdocs_start(config, site_dir, previous).wait()


# Processes of a clean MkDocs build at most (one per CPU): each also reads the whole site's files and
# navigation (about 2 s at 10,000 records), and our builds run on two CPUs.
MKDOCS_PARTS = 2


class _MkDocs:
    """A running sitebuild; wait() raises with MkDocs' output on any warning."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self._said: list[str] | None = None  # its `prepared` line, once read

    def go(self, changed: list[str]) -> None:
        """The pages are written: build (a sitebuild started with wait=True). changed: every file of
        docs/ written or removed since it started (it walked docs/ meanwhile)."""
        assert self.process.stdin is not None  # started with wait=True
        self.process.stdin.write(f"build\n{json.dumps(changed)}\n")
        self.process.stdin.flush()

    def prepared(self) -> str | None:
        """Once it has made a rebuild's walks: the stamps digest of the previous site as it found it
        (write.stamps_digest); None when it ended before that."""
        assert self.process.stdout is not None
        if self._said is None:
            self._said = self.process.stdout.readline().split()
        said = self._said
        return said[1] if len(said) == 2 and said[0] == "prepared" else None

    def stop(self) -> None:
        """End it, building or not (nothing it wrote is used)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def wait(self) -> None:
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"mkdocs build --strict failed:\n{out}{err}")

    def built(self) -> None:
        """Wait until it has built the site (a sitebuild started with wait=True); raise as wait() does
        when it failed. It then waits for stamped()."""
        assert self.process.stdout is not None
        self.prepared()  # said first, whether or not the build asked
        if self.process.stdout.readline().strip() != "built":
            self.wait()  # it failed (or ended without building): raises with its output
            raise RuntimeError("mkdocs build ended without building")

    def stamped(self, *, stamp: bool) -> str | None:
        """The stamps digest of the folder it built into, as it is now (stamp), or None; it ends then."""
        assert self.process.stdin is not None and self.process.stdout is not None
        said = []
        if stamp:
            self.process.stdin.write("stamp\n")
            self.process.stdin.flush()
            said = self.process.stdout.readline().split()
        self.wait()  # closes its input: it ends
        if stamp and (len(said) != 2 or said[0] != "stamped"):
            raise RuntimeError(f"mkdocs build did not stamp the site: {said}")
        return said[1] if stamp else None


def mkdocs_start(
    config: Path,
    site_dir: Path,
    previous: Path | None = None,
    docs: Path | None = None,
    *,
    wait: bool = False,
    index: Path | None = None,
    trash: Path | None = None,
    templates: Path | None = None,
) -> _MkDocs:
    """Start sitebuild.py; with wait, it loads MkDocs and then waits for go(). index: where a
    rebuild links the last site's search index with its walks, for the build to update; trash: a
    folder whose contents it removes meanwhile (write.swap_dir); templates: where it keeps the
    theme's templates compiled."""
    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", **{PARENT: str(os.getpid())})
    command = [sys.executable, "-m", "generator.engine.sitebuild", "--config", str(config), "--out", str(site_dir)]
    if docs is not None:
        command += ["--docs", str(docs)]
    if previous is not None:
        command += ["--previous", str(previous)]
        if index is not None:
            command += ["--index", str(index)]
    else:
        command += ["--parts", str(min(MKDOCS_PARTS, _cpus()))]  # a clean build: one part per CPU
    if trash is not None:
        command += ["--trash", str(trash)]
    if templates is not None:
        command += ["--templates", str(templates)]
    stdin = subprocess.PIPE if wait else subprocess.DEVNULL
    if wait:
        command.append("--wait")
    process = subprocess.Popen(
        command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=config.parent
    )
    return _MkDocs(process)


def _mkdocs_waiting(paths: Paths, out: Path, previous: Path | None, index: Path) -> _MkDocs:
    """The build's MkDocs process, loading while the pages are generated: a rebuild of previous/
    (which links the last search index into index/ with its walks), or a clean build."""
    return mkdocs_start(
        paths.config.resolve(),
        out,
        previous,
        docs=paths.docs.resolve(),
        wait=True,
        index=index,
        trash=paths.trash,
        templates=paths.templates,
    )


def _cpus() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def site_fingerprint(paths: Paths) -> str:
    """What decides the HTML besides docs/: mkdocs.yml, the theme overrides, the libraries that
    build pages, and this package. When it changes, the next build is a clean one."""
    digest = hashlib.sha256(paths.config.read_bytes())
    digest_tree(digest, paths.config.parent / (paths._config.get("theme", {}).get("custom_dir") or "overrides"))
    digest.update(library_versions("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments"))
    digest.update(code_fingerprint().encode())  # the generator's code and assets
    return digest.hexdigest()


def build_site(paths: Paths, *, full: bool = False) -> WriteReport:
    """Generate docs/, build into a working copy, and swap it in as site/ only on success.

    The working copy is a rebuild of the last site when that site is as the last build left it and
    was made with the same configuration, theme and code; otherwise (or with full) a clean build.
    MkDocs runs in its own process while this one updates the search index.
    """
    from . import searchindex as search

    with no_cycle_collection(), Store(paths.cache) as store, search.Segmentation(paths.cache.parent) as segmentation:
        return _build_site(paths, store, segmentation, full)


def _build_site(paths: Paths, store: Store, segmentation, full: bool) -> WriteReport:
    from . import searchindex as search

    site = paths.site.resolve()
    remove_leftovers(site)  # of a build killed before it ended (the caller holds the build lock)
    expected = site_fingerprint(paths)
    last = None if full else store.site_state(site)
    previous = site if last and last["fingerprint"] == expected and site.is_dir() else None
    # The public site may have been touched by hand: it is the previous site only while its files'
    # stamps are as the last build left them. The preview's lives in .cache/ and only builds write it.
    check = None if previous is None or paths.preview else last["files"]  # type: ignore[index]
    # Whether site/ is as the last build left it matters at once only when nothing else changed: its
    # walk (150,000 files at 100,000 records) follows the scan of data/ in the scanning process when
    # the scan finds data/ unchanged, and is not made otherwise (MkDocs' process checks it then).
    start = _start(paths, store, full=full, then=partial(_site_stamps, site) if check is not None else None)
    if previous is not None and last is not None:
        settled = _settled(paths, store, start)
        if settled is not None and settled.docs is not None and last["docs"] == settled.docs_digest:
            if check is None or check == start.then:
                return settled  # nothing changed since the last build: site/ is as it left it
            previous = check = None
    segmentation.load()  # the search index is updated: a build with nothing to do loads no dictionary
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = _working_copy(site)
    index = tmp.with_name(f"{tmp.name}-{SEARCH}")  # written beside MkDocs' work, moved in when both are done
    # MkDocs loads (imports, configuration) while the pages are generated; it builds once they are
    # written. A rebuild also walks the previous site meanwhile, and says whether it is as the last
    # build left it (`check`): a walk of 150,000 files at 100,000 records, now off the build's path.
    mkdocs = _mkdocs_waiting(paths, tmp, previous, index)
    indexed = False
    skipped = False  # site/ was built from exactly these pages: MkDocs is not needed

    def written(report: WriteReport) -> None:
        """docs/ is final (generate saves its cache after this): MkDocs builds meanwhile."""
        nonlocal mkdocs, tmp, previous, skipped
        if check is not None and mkdocs.prepared() != check:  # touched by hand: a clean build
            mkdocs.stop()
            shutil.rmtree(tmp)
            shutil.rmtree(index, ignore_errors=True)
            tmp, previous = _working_copy(site, tmp.name), None
            mkdocs = _mkdocs_waiting(paths, tmp, None, index)
        assert report.docs is not None  # generate's stamps of docs/, as it leaves it
        report.docs_digest = stamps_digest(report.docs)
        if previous is not None and last is not None and last["docs"] == report.docs_digest:
            skipped = True
            mkdocs.stop()
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(index, ignore_errors=True)
        else:
            mkdocs.go(report.written + report.removed)

    try:
        clock = time.perf_counter()
        graph, ordering, report = _generate(paths, store, start, full=full, written=written)
        report.seconds["generate"] = time.perf_counter() - clock
        if skipped:
            return report  # site/ was built from exactly these pages, with this configuration and code
        pages_digest = report.docs_digest
        assert pages_digest is not None  # written() made it
        clock = time.perf_counter()
        # The search index is written while MkDocs runs (segmentation in another process, then the files).
        update = search.start_update(graph, ordering, store, segmentation)
        del graph, ordering  # the index is written without them, in the memory they held
        if previous is None:
            index.mkdir()
        elif mkdocs.prepared() is None:  # it links the last index into index/ with its walks
            mkdocs.wait()  # it failed: raises with its output
        indexed = True
        search.finish_update(update, store, index, site=site, previous=previous is not None)
        report.seconds["search"] = time.perf_counter() - clock  # beside MkDocs
        mkdocs.built()
        report.seconds["mkdocs"] = time.perf_counter() - clock
        clock = time.perf_counter()
        index.rename(tmp / SEARCH)
        # Its stamps, as the next build checks them: the MkDocs process has those of the last site
        # and of the files it built, and stats only the files that are not one of those.
        stamped = mkdocs.stamped(stamp=not paths.preview)
        # The last site's tree: a rebuild's shares all but a few files with the new one, and goes to
        # the trash, where the next rebuild starts from it; a clean build's goes in a thread.
        swap_dir(tmp, site, later=True, trash=paths.trash if previous is not None else None)
        search.swapped_in(store, site)
        report.seconds["after-mkdocs"] = time.perf_counter() - clock
    except BaseException:
        mkdocs.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)
        if indexed:
            search.forget_index(store)
        raise
    # Digests of the stamps (write.stamps_digest, write.site_digest): the next build only asks whether they are the same.
    state = {"fingerprint": expected, "files": stamped, "docs": pages_digest}
    store.save_site_state(site, state)
    if not paths.preview:  # the preview server shows the new tree meanwhile; a build ends with the old gone
        finish_removing()
    report.site_rebuilt = previous is not None
    return report


def _site_stamps(site: Path) -> str:
    return site_digest(files(site), SEARCH)


def _working_copy(site: Path, name: str | None = None) -> Path:
    """An empty folder beside site/ to build into, with site/'s mode: anew, or under the `name` of
    one just removed (a build that starts MkDocs over keeps the search index's folder, named after it)."""
    if name is None:
        tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    else:
        tmp = site.parent / name
        tmp.mkdir()
    tmp.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide site/ from a web server running as another user
    return tmp


def _umask() -> int:
    """The process's umask (only readable by setting it), so site/ gets the mode a mkdir would give."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
