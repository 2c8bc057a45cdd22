"""Search benchmark (not a test): first-search transfer and time-to-results in headless Chromium.

    python -m generator.tools.search_bench --records 1000 10000 [--runs 5] [--index-only]

For each size, a synthetic data folder is made by varying the real records
(generator.corpus; --source defaults to data/, or tests/fixtures/data-like
folders with regions/), the site is built (`build_site`: mkdocs build, then
the search index), served on 127.0.0.1, and for every query a fresh browser
context (empty cache) opens the home page, types the query into the header
search box and waits until the results are drawn. Reported per size: index
size on disk, bytes transferred by the first search (all requests made from
the moment the box is focused: meta.js and the shards), and the median time
from the input event to the results being in the page.

--index-only builds the small fixture site with mkdocs once and writes the
N-record index into it (the search cost does not depend on the other pages);
use it when a full mkdocs build of N pages would take too long.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

QUERIES = ["技能大师工作室", "集体协商", "產業工人", "xiaoshan", "工会驿站", "培训", "jinchang", "班组长"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]

_MEASURE = """async (q) => {
  const box = document.querySelector('[data-cg-search]');
  const input = box.querySelector('[data-cg-search-query]');
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input'));
  while (box.getAttribute('data-cg-state') !== 'done') await new Promise(r => setTimeout(r, 1));
  return {ms: performance.now() - t0, results: box.querySelectorAll('[data-cg-search-list] li').length};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def build(source: Path, records: int, work: Path, index_only: bool) -> tuple[Path, float]:
    """Make the corpus and the site; return site/ and the build seconds."""
    from ..engine import build as pipeline
    from ..engine import searchindex as search
    from . import corpus

    data = work / "data"
    corpus.make_corpus(source, data, records)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "overrides", work / "overrides", dirs_exist_ok=True)
    start = time.perf_counter()
    if index_only:
        small = pipeline.Paths(data=ROOT / "tests" / "fixtures" / "data", config=work / "mkdocs.yml")
        pipeline.build_site(small)
        shutil.rmtree(small.site / "search")
        search.index_site(data, small.site)
        site = small.site
    else:
        paths = pipeline.Paths(data=data, config=work / "mkdocs.yml")
        pipeline.build_site(paths)
        site = paths.site
    return site, time.perf_counter() - start


def measure(site: Path, runs: int, queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    per_query: dict[str, dict] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for q in queries:
                times, sizes, hits = [], [], 0
                for _ in range(runs):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    seen: list[int] = []
                    # The early-bound `seen` makes the lambda fit none of Playwright's overloads for on().
                    page.on("response", lambda r, seen=seen: seen.append(int(r.headers.get("content-length", "0"))))  # type: ignore[call-overload]
                    page.click("[data-cg-search-query]")  # focus loads meta.js, as a reader's click does
                    result = page.evaluate(_MEASURE, q)
                    page.wait_for_load_state("networkidle")
                    times.append(result["ms"])
                    sizes.append(sum(seen))
                    hits = result["results"]
                    context.close()
                per_query[q] = {"ms": statistics.median(times), "bytes": max(sizes), "shown": hits}
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return per_query


def report(records: int, site: Path, seconds: float, per_query: dict, index_only: bool) -> str:
    files, size = _tree_bytes(site / "search")
    lines = [
        f"== {records} records ({'index only' if index_only else 'full site'}): built in {seconds:.1f} s; "
        f"index {files} files, {size / 1e6:.1f} MB on disk"
    ]
    lines.append(f"   {'query':<16}{'median ms':>10}{'first-search KB':>17}{'shown':>7}")
    for q, r in per_query.items():
        lines.append(f"   {q:<16}{r['ms']:>10.1f}{r['bytes'] / 1024:>17.1f}{r['shown']:>7}")
    worst_ms = max(r["ms"] for r in per_query.values())
    worst_kb = max(r["bytes"] for r in per_query.values()) / 1024
    ok = worst_ms <= 300 and worst_kb <= 500
    lines.append(f"   worst: {worst_ms:.1f} ms, {worst_kb:.1f} KB -> {'within' if ok else 'OVER'} the target (300 ms, 500 KB)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.tools.search_bench", description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--runs", type=int, default=5, help="fresh-browser runs per query (median reported)")
    p.add_argument("--source", default="data", help="real data to vary (needs regions/, themes.yaml)")
    p.add_argument("--query", action="append", help="query to measure (repeatable; default: a fixed set)")
    p.add_argument("--index-only", action="store_true", help="write the N-record index into the small fixture site")
    p.add_argument("--keep", help="work folder to keep (default: a temporary one, removed)")
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.stderr.write(f"{CHROMIUM} is missing (make browser installs it)\n")
        return 1
    for records in args.records:
        work = Path(args.keep) / str(records) if args.keep else Path(tempfile.mkdtemp(prefix="search-bench-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            site, seconds = build(Path(args.source), records, work, args.index_only)
            per_query = measure(site, args.runs, args.query or QUERIES)
            print(report(records, site, seconds, per_query, args.index_only), flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
