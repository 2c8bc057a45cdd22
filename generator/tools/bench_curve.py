"""How the build grows with the corpus: the bench at several sizes, as one Markdown table and a
log-log SVG chart of time and peak memory against records.

    python -m generator bench-curve [--sizes 1000,10000] [--full] [--no-mkdocs] [--repeat R]
                                    [--save DIR] [--table FILE] [--svg FILE]
    python -m generator bench-curve --from-json DIR/*.json --table FILE --svg FILE

Each size is benched twice, on the synthetic corpus as made (about half its records published) and
with every record published (bench --published), each bench in its own process. --full adds 100,000
records, without MkDocs: its site would be about 5 GB (some 50 KB a published record). --from-json
makes the table and the chart from reports saved before (--save, or bench --json), running nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import loglog_svg as svg

ROOT = Path(__file__).resolve().parents[2]
SIZES = (1_000, 10_000)
FULL = 100_000
NO_MKDOCS_FROM = FULL  # sizes this large are benched without MkDocs (--full)
MISSING = "–"
# Peak memory is the build's own: bare MkDocs and Zensical are benched for comparison only.
COMPARED_ONLY = ("mkdocs", "zensical")


# --- reading a report --------------------------------------------------------------------------
def published_records(report: dict) -> int | None:
    """How many records the site shows; None for a report that does not say."""
    if "published" in report.get("corpus", {}):
        return report["corpus"]["published"]
    return report["records"] if report.get("published") else None


def all_published(report: dict) -> bool:
    return bool(report.get("published")) or published_records(report) == report["records"]


def biggest_stage(report: dict) -> tuple[str, int] | None:
    """The build's stage with the highest peak RSS, and that peak in bytes."""
    peaks = [(s["peak_rss"], name) for name, s in report["stages"].items() if name not in COMPARED_ONLY and s.get("peak_rss")]
    if not peaks:
        return None
    peak, name = max(peaks)
    return name, peak


def ordered(reports: list[dict]) -> list[dict]:
    return sorted(reports, key=lambda r: (r["records"], all_published(r)))


# --- the table ---------------------------------------------------------------------------------
def _seconds(stage: str) -> Callable[[dict], str]:
    def cell(report: dict) -> str:
        found = report["stages"].get(stage)
        if found is None and stage == "build" and any("--no-mkdocs" in n for n in report.get("notes", [])):
            return f"{MISSING} (--no-mkdocs)"
        return f"{found['seconds']:.2f}" if found else MISSING

    return cell


def _published(report: dict) -> str:
    shown = published_records(report)
    return "all" if all_published(report) else MISSING if shown is None else f"{shown:,}"


def _ratio(report: dict) -> str:
    ratio = report.get("build_vs_bare_mkdocs")
    return MISSING if ratio is None else f"{ratio:.2f}"


def _peak(report: dict) -> str:
    found = biggest_stage(report)
    return MISSING if found is None else f"{found[1] / 2**20:,.0f} ({found[0]})"


def _site_mb(report: dict) -> str:
    return f"{report['site_bytes'] / 2**20:,.1f}" if "site_bytes" in report else MISSING


def _site_kb_per_record(report: dict) -> str:
    shown = published_records(report)
    if "site_bytes" not in report or not shown:
        return MISSING
    return f"{report['site_bytes'] / 1024 / shown:,.1f}"


COLUMNS: tuple[tuple[str, Callable[[dict], str]], ...] = (
    ("records", lambda r: f"{r['records']:,}"),
    ("published", _published),
    ("check s", _seconds("check")),
    ("cold generate s", _seconds("generate")),
    ("nothing changed s", _seconds("generate-again")),
    ("one record edited s", _seconds("generate-one")),
    ("clean build s", _seconds("build")),
    ("bare mkdocs s", _seconds("mkdocs")),
    ("build / bare mkdocs", _ratio),
    ("peak RSS MB (stage)", _peak),
    ("site MB", _site_mb),
    ("site KB per published record", _site_kb_per_record),
)


def table(reports: list[dict]) -> str:
    """One Markdown row per report, smallest corpus first, the partly published one before the other."""
    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |", "|" + " ---: |" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r) for _, cell in COLUMNS) + " |" for r in ordered(reports)]
    return "\n".join(lines) + "\n"


# --- the chart ---------------------------------------------------------------------------------
TIMED = (("clean build", "build", "#0072B2"), ("cold generate", "generate", "#E69F00"), ("check", "check", "#009E73"))
MEMORY_COLOR = "#CC79A7"


def _corpus_name(all_shown: bool) -> str:
    return "all published" if all_shown else "about half published"


def _series(reports: list[dict], label: str, color: str, value: Callable[[dict], float | None]) -> list[svg.Series]:
    """One line per corpus (solid: about half published, dashed: all), through the sizes that have a value."""
    out = []
    for all_shown in (False, True):
        points = [(r["records"], v) for r in ordered(reports) if all_published(r) == all_shown and (v := value(r))]
        if points:
            out.append(svg.Series(f"{label}, {_corpus_name(all_shown)}", color, all_shown, tuple(points)))
    return out


def _stage_seconds(stage: str) -> Callable[[dict], float | None]:
    return lambda r: r["stages"][stage]["seconds"] if stage in r["stages"] else None


def _peak_mb(report: dict) -> float | None:
    found = biggest_stage(report)
    return None if found is None else found[1] / 2**20


def _described(series: list[svg.Series], unit: str) -> str:
    return " ".join(f"{s.label}: " + ", ".join(f"{x:,.0f} records {y:,.1f} {unit}" for x, y in s.points) + "." for s in series)


def chart(reports: list[dict]) -> str:
    timed = [s for label, stage, color in TIMED for s in _series(reports, label, color, _stage_seconds(stage))]
    memory = _series(reports, "peak RSS", MEMORY_COLOR, _peak_mb)
    corpora = sorted({all_published(r) for r in reports})
    legend = [svg.LegendEntry(label, color, False) for label, _, color in TIMED]
    legend.append(svg.LegendEntry("peak RSS of the biggest stage", MEMORY_COLOR, False))
    legend += [svg.LegendEntry(_corpus_name(c), "#444", c) for c in corpora]
    desc = f"Benchmark of the synthetic corpus. Seconds: {_described(timed, 's')} Peak memory: {_described(memory, 'MB')}"
    return svg.render(
        svg.Chart(
            title="Build time and peak memory against the number of records (log-log)",
            desc=desc,
            x_label="records",
            panels=(svg.Panel("Time", "seconds", tuple(timed)), svg.Panel("Peak memory", "MB (peak RSS)", tuple(memory))),
            legend=tuple(legend),
        )
    )


# --- running the bench -------------------------------------------------------------------------
def run_bench(records: int, published: bool, mkdocs: bool, repeat: int) -> dict:
    """One bench in its own process (it starts a process per stage itself); its JSON report, with
    how long the whole bench took."""
    argv = [sys.executable, "-m", "generator", "bench", "--records", str(records), "--repeat", str(repeat), "--json"]
    argv += ["--published"] * published + ["--no-mkdocs"] * (not mkdocs)
    start = time.perf_counter()
    out = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    report = json.loads(out)
    report["bench_seconds"] = round(time.perf_counter() - start, 1)
    return report


def run_all(sizes: list[int], mkdocs: bool, repeat: int, save: Path | None) -> list[dict]:
    reports = []
    for records in sizes:
        for published in (False, True):
            with_mkdocs = mkdocs and records < NO_MKDOCS_FROM
            report = run_bench(records, published, with_mkdocs, repeat)
            corpus = _corpus_name(published)
            print(f"bench {records:,} records, {corpus}: {report['bench_seconds']:,.0f} s", file=sys.stderr, flush=True)
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                name = f"bench-{records}-{'all' if published else 'half'}.json"
                (save / name).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            reports.append(report)
    return reports


def _sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sizes", type=_sizes, default=list(SIZES), help="records per bench, comma-separated (default 1000,10000)")
    p.add_argument("--full", action="store_true", help=f"also {FULL:,} records, without MkDocs")
    p.add_argument("--no-mkdocs", action="store_true", help="bench without the MkDocs builds at every size")
    p.add_argument("--repeat", type=int, default=1, help="runs of each bench's cheap stages (medians)")
    p.add_argument("--save", metavar="DIR", help="write each bench's JSON report into DIR")
    p.add_argument("--from-json", nargs="+", metavar="FILE", help="saved JSON reports to draw from; no bench is run")
    p.add_argument("--table", metavar="FILE", help="write the Markdown table to FILE (default: standard output)")
    p.add_argument("--svg", metavar="FILE", help="write the chart to FILE")


def run(args: argparse.Namespace) -> int:
    if args.from_json:
        reports = [json.loads(Path(f).read_text(encoding="utf-8")) for f in args.from_json]
    else:
        sizes = sorted({*args.sizes, FULL}) if args.full else args.sizes
        reports = run_all(sizes, not args.no_mkdocs, args.repeat, Path(args.save) if args.save else None)
    if args.table:
        Path(args.table).write_text(table(reports), encoding="utf-8")
    else:
        sys.stdout.write(table(reports))
    if args.svg:
        Path(args.svg).parent.mkdir(parents=True, exist_ok=True)
        Path(args.svg).write_text(chart(reports), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m generator.tools.bench_curve", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
