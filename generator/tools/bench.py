"""Benchmark the build on a synthetic corpus of N records.

    python -m generator bench --records 10000 [--repeat 3] [--no-mkdocs] [--json] [--keep DIR]
    python -m generator.tools.bench --records 1000

Each stage runs in its own child process, so its wall time includes the
interpreter start and imports a user pays, and its peak memory is that
process's maximum RSS (from wait4). Stages:

  check           load, validate, link and lint data/ (python -m generator check)
  generate        check, render and write docs/ into an empty folder, without a cache (cold)
  generate-again  the same, nothing changed: nothing may be written (incremental, from the cache)
  generate-one    one practice's title changed: only the pages that show it are written (incremental)
  build           a clean build from an empty docs/ and no cache (generate + mkdocs + search)
  build-again     build again, nothing changed
  build-summary   build after one practice's summary changed
  build-title     build after one practice's title changed
  build-add       build after one practice was added (a copy of another, new id and title)
  serve           generator serve: from saving a summary until the served page shows it
  mkdocs          bare mkdocs build --strict of the same docs/ and mkdocs.yml
  zensical        zensical build --strict of the same docs/ and mkdocs.yml (when zensical is installed)
  search          the post-build search indexing, when generator.search provides index_site
  outputs         what the downloads, the per-record YAML/JSON, the feed and the compilations cost
                  to render and weigh, each kind on its own in one process (a build spreads them
                  over the CPUs and renders the workbook while MkDocs runs)

Cheap stages (check, generate*) are repeated --repeat times and reported as medians.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHEAP = ("check", "generate", "generate-again", "generate-one")


# --- child side: one stage, result as JSON on stdout -------------------------------------------
def _stage(name: str, data: Path, config: Path) -> dict:
    from ..engine import build

    paths = build.Paths(data=data, config=config)
    if name == "check":
        graph, problems = build.check(data)
        return {
            "errors": sum(p.severity == "error" for p in problems),
            "warnings": sum(p.severity == "warning" for p in problems),
        }
    if name.startswith("generate"):
        report = build.generate(paths)
        return {"written": len(report.written), "removed": len(report.removed), "unchanged": report.unchanged}
    if name == "build":
        report = build.build_site(paths)
        return {
            "written": len(report.written),
            "removed": len(report.removed),
            **{f"{k}_s": round(v, 3) for k, v in report.seconds.items()},
        }
    if name == "outputs":
        return _outputs(data)
    if name == "search":
        from ..engine import searchindex as search

        stats = search.index_site(data, paths.site)
        return {"docs": stats.docs, "bytes": stats.bytes}
    raise ValueError(name)


# What the downloads, the feed and the compilations add to a clean build: each kind of file rendered
# on its own, in one process, from the graph a build renders from (its pages are not timed).
OUTPUTS = {
    "downloads": lambda rel: rel.startswith("downloads/"),
    "record data": lambda rel: rel.startswith(("practices/", "cases/")) and rel.endswith((".yaml", ".json")),
    "feed": lambda rel: rel == "feed.xml",
    "compilations": lambda rel: rel.startswith("compilations/"),
}


def _outputs(data: Path) -> dict:
    from ..engine.build import check
    from ..model.link import visible
    from ..model.ordering import Ordering
    from ..outputs import kinds
    from ..outputs.takeaways import downloads
    from ..outputs.takeaways.compilations import Compiler
    from ..outputs.view import View

    whole, _ = check(data, warnings=False)
    assert whole is not None
    graph = visible(whole, preview=False)
    view = View(graph, Ordering(graph))
    plan = kinds.plan(view)
    records = [graph.record(i) for i in graph.briefs]
    clock = time.perf_counter()
    rows = {r.id: downloads.rows_of(view, r) for r in records}
    out: dict = {"rows_s": round(time.perf_counter() - clock, 3)}  # made with the record pages in a build
    clock = time.perf_counter()
    compiler = Compiler(graph, view.ordering)
    blocks = {r.id: compiler.blocks_of(r) for r in records}
    out["blocks_s"] = round(time.perf_counter() - clock, 3)  # so are the compilation blocks
    inputs = kinds.Inputs(rows=rows, blocks=blocks)
    for kind, wanted in OUTPUTS.items():
        clock, size, count = time.perf_counter(), 0, 0
        for rel in (rel for rel in plan if wanted(rel)):
            content = kinds.render(view, plan[rel], inputs).content
            size += len(content.encode("utf-8") if isinstance(content, str) else content)
            count += 1
        out[kind] = {"seconds": round(time.perf_counter() - clock, 3), "files": count, "bytes": size}
    return out


# --- parent side ---------------------------------------------------------------------------------
def _run(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run a child; return (wall seconds, peak RSS in bytes, stdout); raise with its output on failure."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None  # stdout=PIPE
        out = proc.stdout.read().decode("utf-8")
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed:\n{out}{err.read().decode('utf-8', 'replace')[-4000:]}")
    return wall, usage.ru_maxrss * 1024, out


def _child(stage: str, work: Path) -> tuple[float, int, dict]:
    wall, rss, out = _run(
        [
            sys.executable,
            "-m",
            "generator.tools.bench",
            "--stage",
            stage,
            "--data",
            str(work / "data"),
            "--config",
            str(work / "mkdocs.yml"),
        ],
        work,
    )
    return wall, rss, json.loads(out)


def _tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def _touch_one_record(data: Path) -> str:
    path, text = _published_practice(data, 2)
    # A new title: shown on the record's page, its regions' and themes' pages, the indexes and related lists.
    path.write_text(text.replace("\ntitle: ", "\ntitle: 修订", 1), encoding="utf-8")
    return path.stem


def _median(runs: list[tuple[float, int, dict]]) -> dict:
    return {
        "seconds": statistics.median(r[0] for r in runs),
        "runs": [round(r[0], 3) for r in runs],
        "peak_rss": max(r[1] for r in runs),
        **runs[-1][2],
    }


def _setup(work: Path, records: int, seed: int, published: bool = False) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    from .corpus import make_corpus

    counts = make_corpus(ROOT / "data", work / "data", records, seed, published=published)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    if (ROOT / "overrides").is_dir():
        shutil.rmtree(work / "overrides", ignore_errors=True)
        shutil.copytree(ROOT / "overrides", work / "overrides")
    return counts


def _set_aside(path: Path, trash: Path) -> None:
    """Move a tree out of the way, to be deleted once timing is over.

    Deleting it now would slow the next stage unfairly: ext4 without a journal (as on our
    benchmark machine) skips inodes freed in the last few seconds, so creating 13,000 files right
    after deleting 13,000 spent seconds in the kernel's recently_deleted() (seen with perf).
    Neither a fresh clone nor a rebuild over an existing docs/ deletes files first.
    """
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


def bench(records: int, work: Path, repeat: int = 1, mkdocs: bool = True, seed: int = 0, published: bool = False) -> dict:
    """Make the corpus in work/ and time every stage; the report as a dict (seconds, bytes).
    published: every record of the corpus published (else about half are drafts or reviewed)."""
    trash = work / ".bench-trash"
    try:
        return _bench(records, work, repeat, mkdocs, seed, trash, published)
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _bench(records: int, work: Path, repeat: int, mkdocs: bool, seed: int, trash: Path, published: bool) -> dict:
    report: dict = {
        "records": records,
        "published": published,
        "repeat": repeat,
        "cpus": os.cpu_count(),
        "stages": {},
        "notes": [],
    }
    report["corpus"] = _setup(work, records, seed, published)
    docs, stages = work / "docs", report["stages"]

    stages["check"] = _median([_child("check", work) for _ in range(repeat)])
    runs = []
    for _ in range(repeat):
        _set_aside(docs, trash)
        shutil.rmtree(work / ".cache", ignore_errors=True)
        runs.append(_child("generate", work))
    stages["generate"] = _median(runs)
    report["pages"], report["docs_bytes"] = _tree_bytes(docs)
    stages["generate-again"] = _median([_child("generate", work) for _ in range(repeat)])

    runs = []
    for _ in range(repeat):
        before = _snapshot(docs)
        changed = _touch_one_record(work / "data")
        runs.append(_child("generate", work))
        after = _snapshot(docs)
        touched = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        runs[-1][2].update(changed=changed, touched=len(touched))
    stages["generate-one"] = _median(runs)

    if mkdocs:
        _set_aside(docs, trash)
        _set_aside(work / "site", trash)
        shutil.rmtree(work / ".cache", ignore_errors=True)
        stages["build"] = _median([_child("build", work)])
        report["site_files"], report["site_bytes"] = _tree_bytes(work / "site")
        stages["build-again"] = _median([_child("build", work) for _ in range(repeat)])
        for stage, field in (("build-summary", "summary"), ("build-title", "title")):
            runs = []
            for _ in range(repeat):
                runs.append(_child_after_edit(work, field))
            stages[stage] = _median(runs)
        stages["build-add"] = _median([_child_after_add(work, n) for n in range(repeat)])
        stages["serve"] = _serve_latency(work, repeat)
        bare = work / ".bench-site"
        wall, rss, _ = _run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(work / "mkdocs.yml"), "-d", str(bare)], work
        )
        _set_aside(bare, trash)
        stages["mkdocs"] = {"seconds": wall, "peak_rss": rss, "per_page_ms": 1000 * wall / max(1, report["pages"])}
        report["build_vs_bare_mkdocs"] = stages["build"]["seconds"] / wall
        # The search index is written while MkDocs runs; what a build adds after MkDocs is moving it in and the swap.
        report["search_share"] = stages["build"].get("after-mkdocs_s", 0) / stages["build"]["seconds"]
        zensical = Path(sys.executable).with_name("zensical")
        if zensical.exists():  # writes site_dir (work/site) and clears work/.cache: both are done with by now
            wall, rss, _ = _run([str(zensical), "build", "--clean", "--strict", "-f", str(work / "mkdocs.yml")], work)
            stages["zensical"] = {"seconds": wall, "peak_rss": rss, "per_page_ms": 1000 * wall / max(1, report["pages"])}
            report["mkdocs_vs_zensical"] = stages["mkdocs"]["seconds"] / wall
        stages["outputs"] = _median([_child("outputs", work)])
        if _has_search_indexing():
            stages["search"] = _median([_child("search", work)])
        else:
            report["notes"].append("search: generator.search has no index_site(); not timed")
    else:
        report["notes"].append("mkdocs and search not run (--no-mkdocs)")
    return report


def _child_after_edit(work: Path, field: str) -> tuple[float, int, dict]:
    """Change one practice's summary or title, then time a build."""
    changed = _edit_one_record(work / "data", field)
    wall, rss, out = _child("build", work)
    out["changed"] = changed
    return wall, rss, out


def _published_practice(data: Path, at: int) -> tuple[Path, str]:
    """The first practice from 1/at of the way through the folder (then from the start) that the
    public site shows (an edit to a draft changes nothing there), and its text; in a corpus with
    none published, the practice 1/at of the way."""
    paths = sorted((data / "practices").glob("*.yaml"))
    start = len(paths) // at
    texts = [(p, p.read_text(encoding="utf-8")) for p in paths[start:] + paths[:start]]
    return next(((p, t) for p, t in texts if "\nstatus: published" in t), texts[0])


def _child_after_add(work: Path, n: int) -> tuple[float, int, dict]:
    """Add one practice (a copy of another with a new id and title), then time a build."""
    source, text = _published_practice(work / "data", 2)
    ident = f"bench-add-{n}"
    text = text.replace(f"id: {source.stem}\n", f"id: {ident}\n", 1)
    (source.parent / f"{ident}.yaml").write_text(text.replace("\ntitle: ", f"\ntitle: 新增{n}号", 1), encoding="utf-8")
    wall, rss, out = _child("build", work)
    out["added"] = ident
    return wall, rss, out


def _edit_one_record(data: Path, field: str) -> str:
    path, text = _published_practice(data, 3)
    path.write_text(text.replace(f"\n{field}: ", f"\n{field}: 修订", 1), encoding="utf-8")
    return path.stem


def _serve_latency(work: Path, repeat: int) -> dict:
    """`generator serve`: seconds from saving a summary until the served page shows it (medians)."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        "--data",
        str(work / "data"),
        "--config",
        str(work / "mkdocs.yml"),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page(stem: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/practices/{stem}.html", timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        paths = sorted((work / "data" / "practices").glob("*.yaml"))
        target = paths[len(paths) // 4]
        deadline = time.monotonic() + 900
        while not page(target.stem) and time.monotonic() < deadline:
            time.sleep(0.2)
        times = []
        for n in range(repeat):
            marker = f"预览测量{n}号"
            text = target.read_text(encoding="utf-8")
            start = time.monotonic()
            target.write_text(text.replace("\nsummary: ", f"\nsummary: {marker}", 1), encoding="utf-8")
            while marker not in page(target.stem) and time.monotonic() - start < 300:
                time.sleep(0.05)
            times.append(time.monotonic() - start)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait()
    return {"seconds": statistics.median(times), "runs": [round(t, 2) for t in times], "peak_rss": 0}


def _has_search_indexing() -> bool:
    try:
        from ..engine import searchindex as search
    except ImportError:
        return False
    return callable(getattr(search, "index_site", None))


def profile(data: Path, config: Path, top: int = 20) -> str:
    """cProfile of one generate into config's docs/, the top entries by own time."""
    import cProfile
    import pstats

    from ..engine import build

    profiler = cProfile.Profile()
    profiler.enable()
    build.generate(build.Paths(data=data, config=config))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(top)
    return out.getvalue()


def table(report: dict) -> str:
    mb = lambda n: f"{n / 2**20:,.0f} MB"  # noqa: E731
    lines = [
        f"{report['records']:,} records ({report['corpus']['practices']:,} practices, {report['corpus']['cases']:,} cases), "
        f"{report['pages']:,} pages, docs/ {mb(report['docs_bytes'])}; medians of {report['repeat']} run(s) on {report['cpus']} CPUs",
        f"{'stage':<16}{'seconds':>10}{'peak RSS':>12}  detail",
    ]
    for name, stage in report["stages"].items():
        detail = ", ".join(f"{k}={v}" for k, v in stage.items() if k not in ("seconds", "peak_rss", "runs"))
        if isinstance(stage.get("per_page_ms"), float):
            detail = f"{stage['per_page_ms']:.1f} ms/page"
        if name == "outputs":
            kinds = [f"{k} {stage[k]['seconds']:.2f} s, {stage[k]['files']:,} files, {mb(stage[k]['bytes'])}" for k in OUTPUTS]
            detail = f"rows {stage['rows_s']:.2f} s; blocks {stage.get('blocks_s', 0):.2f} s; " + "; ".join(kinds)
        lines.append(f"{name:<16}{stage['seconds']:>10.2f}{mb(stage['peak_rss']):>12}  {detail}")
    if "site_bytes" in report:
        lines.append(
            f"site/: {report['site_files']:,} files, {mb(report['site_bytes'])}; "
            f"whole build / bare mkdocs = {report['build_vs_bare_mkdocs']:.2f}"
            + (f"; mkdocs / zensical = {report['mkdocs_vs_zensical']:.2f}" if "mkdocs_vs_zensical" in report else "")
            + f"; after MkDocs (search index moved in, swap) = {100 * report['search_share']:.1f} % of the clean build"
        )
    if "outputs" in report["stages"] and "build" in report["stages"]:
        outputs = report["stages"]["outputs"]
        added = outputs["rows_s"] + outputs.get("blocks_s", 0) + sum(outputs[k]["seconds"] for k in OUTPUTS)
        lines.append(
            f"downloads, record data, feed and compilations: {added:.2f} s of rendering in one process, "
            f"{100 * added / report['stages']['build']['seconds']:.1f} % of the clean build; "
            f"{mb(sum(outputs[k]['bytes'] for k in OUTPUTS))}"
        )
    lines += [f"note: {n}" for n in report["notes"]]
    return "\n".join(lines) + "\n"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--records", type=int, default=1000, help="number of synthetic records (default 1000)")
    p.add_argument("--repeat", type=int, default=1, help="runs of the cheap stages; medians are reported")
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    p.add_argument("--published", action="store_true", help="every record of the corpus published (default: about half)")
    p.add_argument("--no-mkdocs", action="store_true", help="skip the mkdocs builds and search indexing")
    p.add_argument("--profile", action="store_true", help="also print cProfile's top entries of one generate")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--keep", metavar="DIR", help="make the corpus, docs/ and site/ in DIR and keep them")


def run(args: argparse.Namespace) -> int:
    keep = Path(args.keep) if args.keep else None
    work = keep or Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        report = bench(args.records, work.resolve(), args.repeat, not args.no_mkdocs, args.seed, args.published)
        if args.profile:
            shutil.rmtree(work / "docs", ignore_errors=True)
            report["profile"] = profile(work / "data", work / "mkdocs.yml")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(table(report) + report.get("profile", ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m generator.tools.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(p)
    p.add_argument("--stage", choices=[*CHEAP[:2], "build", "search", "outputs"], help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--config", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.stage:  # child process of one stage
        gc.disable()  # as `python -m generator` runs a command that runs once (cli.RUN_ONCE)
        sys.stdout.write(json.dumps(_stage(args.stage, Path(args.data), Path(args.config))))
        from ..engine.write import exit_now

        exit_now(0)  # as `python -m generator` ends, so the stage pays what a user pays
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
