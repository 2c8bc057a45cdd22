"""Browser tests: the fixture site (tests/fixtures/data plus the few search records in
tests/browser/data) is built once per session, served from 127.0.0.1 by a threaded
http.server, and driven with Playwright in headless Chromium (Debian's /usr/bin/chromium).
Its listings are short and list every record on their own pages; `long_server` serves the same
data built as a long listing is (ordering.WHOLE_LISTING made small): a page per letter, and
the listing's own page with the newest records and the counts per province and theme.

Every page opened through the `page` fixture records its requests; a test fails if any
request goes anywhere but 127.0.0.1 or file://, or if the page throws a JavaScript error.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "data"
EXTRA = Path(__file__).resolve().parent / "data"


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def build_in(work: Path, source: Path | None = None, **sizes: int) -> Path:
    """A site built in work/ from source (by default the fixture data and tests/browser/data), with
    the listing sizes of ordering.py or the index sizes of search/shards.py given; its site/ folder."""
    from generator.engine import build
    from generator.model import ordering
    from generator.outputs.search import shards

    data = work / "data"
    if source is None:
        shutil.copytree(FIXTURES, data)
        shutil.copytree(EXTRA, data, dirs_exist_ok=True)
    else:
        shutil.copytree(source, data)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    paths = build.Paths(data=data, config=work / "mkdocs.yml")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sizes.items():
            patch.setattr(ordering if hasattr(ordering, name) else shards, name, value)
        build.build_site(paths)
    return paths.site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the fixture site once; returns its site/ folder."""
    return build_in(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="session")
def long_site(tmp_path_factory) -> Path:
    """The fixture site with its listings past the size a listing shows whole (a page per letter),
    and every list of postings over 8 characters in a file of its own (search/p/)."""
    return build_in(tmp_path_factory.mktemp("browser-long-site"), WHOLE_LISTING=3, LONG_POSTINGS=8)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """A threaded http.server on 127.0.0.1 serving folder (call shutdown() and server_close() after)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd


@pytest.fixture(scope="session")
def server(built_site) -> str:
    """http://127.0.0.1:<free port>/ serving the built site."""
    httpd = serve(built_site)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def long_server(long_site) -> str:
    """http://127.0.0.1:<free port>/ serving the site built with long listings."""
    httpd = serve(long_site)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site_url(request):
    """site_url(kind) -> the address of the fixture site ("short") or the one with long listings ("long")."""
    return lambda kind: request.getfixturevalue("server" if kind == "short" else "long_server")


def allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == "127.0.0.1"


class Recorder:
    def __init__(self):
        self.requests: list[str] = []
        self.errors: list[str] = []

    def outside(self) -> list[str]:
        return [u for u in self.requests if not allowed(u)]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def page(browser, recorder):
    """A fresh page (own context: no cache, no history) whose requests and errors are recorded."""
    context = browser.new_context()
    context.on("request", lambda r: recorder.requests.append(r.url))
    pg = context.new_page()
    pg.on("pageerror", lambda e: recorder.errors.append(str(e)))
    pg.set_default_timeout(5000)
    yield pg
    context.close()
    assert not recorder.outside(), f"requests left 127.0.0.1/file://: {recorder.outside()}"
    assert not recorder.errors, f"JavaScript errors: {recorder.errors}"


# --- helpers used by the tests ----------------------------------------------------------------
def type_search(pg, query: str) -> list[str]:
    """Type query into the header search box; the titles of the results, in order.

    Each keystroke starts a search and marks the box busy at once, so "done" with the
    full query in the box means the last search has drawn its results.
    """
    box = pg.locator("[data-cg-search-query]")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10) if query.isascii() else box.fill(query)
    pg.wait_for_function(
        "q => document.querySelector('[data-cg-search]').getAttribute('data-cg-state') === 'done'"
        " && document.querySelector('[data-cg-search-query]').value === q",
        arg=query,
    )
    return pg.locator("[data-cg-search-list] article h1").all_inner_texts()


@pytest.fixture
def search():
    """search(page, query) -> result titles; see type_search."""
    return type_search
