"""Command line: python -m generator check | generate | build | serve."""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .engine import build
from .engine.cache import rebuilt_if_unreadable
from .engine.lock import build_lock
from .sources.problems import DataError, format_json, format_summary, format_text

T = TypeVar("T")

DESCRIPTION = """产改经验库 generator: turns the YAML records in data/ into the Markdown pages
in docs/ and the static site in site/.

  check      validate every file in data/ and print every problem as
             path:line:column: field: message (exit 1 if any error)
  generate   check, then write docs/ (only files whose content changed)
  build      generate, then build site/ with mkdocs build --strict
             (site/ is replaced only when the whole build succeeds);
             the site shows published records only, --preview shows
             drafts and reviewed records too, with a banner
  serve      generate, then preview on http://127.0.0.1:8000/ and
             regenerate whenever a file in data/ is saved
  compile    write the compilation (汇编) of one theme, region or year
             as a Word document (.docx) or a print page (.html)
"""


def _paths(args: argparse.Namespace) -> build.Paths:
    return build.Paths(data=Path(args.data), config=Path(args.config), preview=getattr(args, "preview", False))


def one_build(args: argparse.Namespace, paths: build.Paths, run: Callable[[], T]) -> T:
    """run() holding the project's build lock (lock.py), waiting for it unless --no-wait; a cache
    found damaged on the way is reported, removed, and run() goes again from scratch. Without
    mkdocs.yml there is no project to lock (compile in any folder): run() runs as it is."""
    if not paths.config.is_file():
        return run()
    with build_lock(paths.config.parent, args.command_line, wait=not args.no_wait):
        return rebuilt_if_unreadable(paths.cache, run)


def _report_problems(problems, fmt: str, every: bool) -> None:
    """Every problem as JSON, or as text: every error, and the warnings of a rule counted on one line
    when there are many of them (every: each on its own line)."""
    if fmt == "json":
        sys.stdout.write(format_json(problems))
    else:
        sys.stderr.write(format_text(problems) if every else format_summary(problems))
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        sys.stderr.write(f"{errors} error(s), {warnings} warning(s)\n")


def cmd_check(args: argparse.Namespace) -> int:
    graph, problems = build.check(Path(args.data))
    _report_problems(problems, args.format, args.all)
    if graph is None or any(p.severity == "error" for p in problems):
        return 1
    if args.format == "text":
        print(
            f"data/ is valid: {len(graph.practices)} practices, {len(graph.cases)} cases, "
            f"{len(graph.themes)} themes, {len(graph.regions)} regions"
        )
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    paths = _paths(args)
    report = one_build(args, paths, lambda: build.generate(paths, full=args.full))
    print(f"docs/: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    paths = _paths(args)
    report = one_build(args, paths, lambda: build.build_site(paths, full=args.full))
    print(f"docs/: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")
    print(f"site built in {paths.site}")
    return 0


def _saves_only():
    """An inotify observer that reports files written, created, moved or deleted, not files merely
    opened or read: a build reads the files it loads, and each read would start another build."""
    from watchdog import events
    from watchdog.observers import Observer

    writes: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]

    class SavesOnly(Observer):
        def schedule(self, handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(
                handler, path, recursive=recursive, event_filter=event_filter or writes, follow_symlink=follow_symlink
            )

    return SavesOnly()


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the preview, serve it with MkDocs' live-reload server, and rebuild on every save in data/.

    The server watches data/ only (with inotify, so it idles quietly): a save starts one build, which
    generates the pages it reaches, has MkDocs rebuild just those, updates the search index, and
    swaps the preview in; then the server reloads the browsers. docs/ is never watched, so MkDocs
    never starts while generate is still writing. An error keeps the last good preview up.
    """
    from mkdocs.livereload import LiveReloadServer

    paths = dataclasses.replace(_paths(args), preview=True)

    def rebuild() -> None:
        started = time.monotonic()
        try:
            report = one_build(args, paths, lambda: build.build_site(paths))
        except DataError as exc:
            sys.stderr.write(format_text(exc.problems))
            sys.stderr.write("preview not updated: fix the error(s) above and save again\n")
            return
        took = time.monotonic() - started
        print(f"rebuilt in {took:.1f} s: {len(report.written)} page(s) written, {len(report.removed)} removed", flush=True)

    one_build(args, paths, lambda: build.build_site(paths))
    host, _, port = args.dev_addr.rpartition(":")
    server = LiveReloadServer(builder=rebuild, host=host or "127.0.0.1", port=int(port), root=str(paths.site))
    # inotify where there is one; MkDocs' default polls every half second (and is typed as that poller)
    server.observer = _saves_only()  # inotify; MkDocs' default polls every half second
    server.watch(str(paths.data))
    # A plain `kill` must stop the preview server too, not leave it running on the port.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"preview on {server.url} (Ctrl+C to stop)", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m generator", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--data", default="data", help="folder of YAML records (default: data)")
        p.set_defaults(func=func)
        return p

    def no_wait(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--no-wait",
            action="store_true",
            help="when another build of this project is running, stop at once (exit 1) instead of waiting for it",
        )

    check = command("check", "validate data/ and print every problem with file, line and field", cmd_check)
    check.add_argument("--format", choices=["text", "json"], default="text", help="text for people, json for CI annotations")
    check.add_argument(
        "--all",
        action="store_true",
        help="print every warning on its own line (by default a warning given more than 3 times is counted on one line)",
    )
    for name, help_text, func in [
        ("generate", "check data/, then write the Markdown pages into docs/", cmd_generate),
        ("build", "generate docs/, then build site/ with mkdocs build --strict", cmd_build),
        ("serve", "live preview that regenerates pages when a data file is saved", cmd_serve),
    ]:
        p = command(name, help_text, func)
        p.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
        no_wait(p)
        if name in ("generate", "build"):
            p.add_argument(
                "--full",
                action="store_true",
                help="ignore .cache/ (what the last run kept) and render every page; the output is the same",
            )
            p.add_argument(
                "--preview",
                action="store_true",
                help="show draft and reviewed records too, with a banner (into .cache/preview/, as serve does)",
            )
        if name == "serve":
            p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address for the preview server")
    comp = command("compile", "write the compilation (汇编) of a theme, a region or a year as .docx or .html", cmd_compile)
    which = comp.add_mutually_exclusive_group(required=True)
    which.add_argument("--theme", metavar="ID", help="a theme id from data/themes.yaml, for example skills")
    which.add_argument("--region", metavar="CODE", help="a region code; the regions under it are included, for example 330700")
    which.add_argument("--year", metavar="YYYY", help="a year: the records dated in it")
    comp.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help="file to write, .docx or .html by its suffix (default: the compilation's title + .docx, in this folder)",
    )
    comp.add_argument("--preview", action="store_true", help="include draft and reviewed records, each marked as such")
    comp.add_argument(
        "--config",
        default="mkdocs.yml",
        help="MkDocs configuration: compile takes the build lock of its folder (default: mkdocs.yml)",
    )
    no_wait(comp)
    new = command("new", "write a commented skeleton record to fill in (never overwrites)", cmd_new)
    new.add_argument("kind", choices=["practice", "case"], help="practice (经验做法) or case (案例)")
    new.add_argument("--region", required=True, help="region code from data/regions/, for example 330702")
    new.add_argument("--title", required=True, help="title in Simplified Chinese")
    new.add_argument("--id", default=None, help="record id (default: region pinyin, year and title initials)")
    imp = command(
        "import",
        "draft practice records from articles: web and WeChat pages, Word (.docx), PDF, text; folders of them; - for stdin",
        cmd_import,
    )
    imp.add_argument(
        "articles", nargs="+", metavar="ARTICLE", help="article files or folders of them, or - to read standard input"
    )
    imp.add_argument(
        "--out", default=None, help="file to write for a single article (default: data/practices/<id>.yaml); never overwritten"
    )
    imp.add_argument("--url", default=None, help="address of a single article; its date is read from it when the text has none")
    imp.add_argument(
        "--force",
        action="store_true",
        help="draft an article even when a record in data/ already tells it (refused otherwise, naming the record)",
    )
    from .tools.bench import add_arguments as bench_arguments
    from .tools.bench import run as cmd_bench

    bench = sub.add_parser(
        "bench",
        help="time check, generate and mkdocs on a synthetic corpus of N records",
        description="time check, generate and mkdocs on a synthetic corpus of N records",
    )
    bench_arguments(bench)
    bench.set_defaults(func=cmd_bench)
    from .tools.bench_curve import add_arguments as curve_arguments
    from .tools.bench_curve import run as cmd_curve

    curve = sub.add_parser(
        "bench-curve",
        help="bench at several sizes: one Markdown table, and an SVG chart of time and memory against records",
        description="bench at several sizes: one Markdown table, and an SVG chart of time and memory against records",
    )
    curve_arguments(curve)
    curve.set_defaults(func=cmd_curve)
    return top


def cmd_compile(args: argparse.Namespace) -> int:
    """One compilation, from the records the site shows (published ones; --preview: all of them)."""
    from .outputs.paths import COMPILATION_SUFFIXES
    from .outputs.takeaways.compilations import CompileError, compile_one

    kind, key = next((k, v) for k in ("theme", "region", "year") if (v := getattr(args, k)) is not None)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in COMPILATION_SUFFIXES:
        sys.stderr.write(f"error: --out {out}: the file name must end in .docx or .html\n")
        return 2

    def run():
        graph, problems = build.check(Path(args.data), warnings=False)
        if graph is None or any(p.severity == "error" for p in problems):
            raise DataError(problems)
        return compile_one(graph, kind, key, out, preview=args.preview)

    try:
        path, compilation, count = one_build(args, _paths(args), run)
    except CompileError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    print(f"wrote {path}: {compilation.title}, {count} record(s)")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .tools.scaffold import ScaffoldError, new_record

    try:
        path = new_record(args.kind, Path(args.data), args.region, args.title, args.id)
    except ScaffoldError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    print(f"wrote {path}: fill in the commented fields, then run python -m generator check")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .sources.articles import read_file
    from .tools.importer import ArticleError, import_article
    from .tools.importer.batch import article_files, draft_all, format_table

    data = Path(args.data)
    if args.articles == ["-"]:
        try:
            raw = sys.stdin.buffer.read()
            result = import_article(raw, "-", data, Path(args.out) if args.out else None, args.url, force=args.force)
        except ArticleError as exc:
            sys.stderr.write(f"error: standard input: {exc}\n")
            return 1
        _report_import(result)
        return 0
    files, problems = article_files([Path(a) for a in args.articles])
    for problem in problems:
        sys.stderr.write(f"error: {problem}\n")
    if problems and not files:
        return 2
    if len(files) > 1 and (args.out or args.url):
        sys.stderr.write("error: --out and --url name one article; give one file with them\n")
        return 2
    if len(files) == 1:
        try:
            raw = read_file(files[0])
            out = Path(args.out) if args.out else None
            result = import_article(raw, files[0].name, data, out, args.url, force=args.force)
        except ArticleError as exc:
            sys.stderr.write(f"error: {files[0]}: {exc}\n")
            return 1
        _report_import(result)
        return 2 if problems else 0
    rows = draft_all(files, data, force=args.force)
    sys.stdout.write(format_table(rows))
    drafted = sum(not r.error for r in rows)
    print(f"{drafted} of {len(rows)} article(s) drafted (status: draft): review them, then run python -m generator check")
    return 0 if drafted == len(rows) and not problems else 1


def _report_import(result) -> None:
    err = sys.stderr
    for note in result.reading:
        err.write(f"note: {note}\n")
    for note in result.notes:
        err.write(f"unsure: {note}\n")
    for line in result.found:
        err.write(f"found {line}\n")
    for line in result.to_fill:
        err.write(f"left to fill: {line}\n")
    for line in result.missing:
        if line not in result.to_fill:
            err.write(f"not determined: {line}\n")
    print(f"wrote {result.path} (status: draft): review it, then run python -m generator check")


# Commands that build their whole graph with the cycle collector paused (engine/check.py's
# no_cycle_collection) and end with exit_now. Run as `python -m generator`, they never turn it on
# again: its first collection would walk every object the build made, which reference counting
# frees anyway and the process ends without freeing (0.3 s of a one-title edit at 100,000 records).
# serve runs on, and import reads documents one after another: both collect as usual.
RUN_ONCE = frozenset({"check", "generate", "build", "compile"})


def collects(argv: list[str]) -> bool:
    """Whether `python -m generator` with these arguments keeps Python's cycle collector on."""
    return not argv or argv[0] not in RUN_ONCE


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.command_line = shlex.join(["python", "-m", "generator", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.func(args)
    except DataError as exc:
        sys.stderr.write(format_text(exc.problems))
        sys.stderr.write(f"{len(exc.errors)} error(s); nothing was written\n")
        return 1
    except RuntimeError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
