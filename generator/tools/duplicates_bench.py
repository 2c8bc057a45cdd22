"""Bench: what the near-duplicate check (generator/model/duplicates.py) adds to `check`, and how it scales.

    python -m generator.tools.duplicates_bench --records 10000 --repeat 3 --scale 100000

check: `check` of a synthetic corpus (generator/tools/corpus.py) in its own process, with the
duplicate check and without it, alternately, --repeat times; medians. The child also times the
check itself (wall and CPU), which a loaded machine disturbs less than the difference of two runs.

scale: the check's arrays on --scale texts made from the corpus's (each copied with its sentences
turned round, as the corpus makes its records), in this process: fingerprints, candidate pairs,
the pairs compared, the records flagged, seconds and peak memory.

The corpus's records are copies of the 25 real ones with their sentences shuffled, so hundreds of
them tell one story: the check flags almost every one (a worst case for the pairs it compares).
The thresholds are tuned on data/ and the seed articles, never on this corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import json, sys, time
from pathlib import Path
from generator.engine import build
spent = {}
real = build.duplicate_warnings
def timed(dataset):
    wall, cpu = time.perf_counter(), time.process_time()
    out = real(dataset) if sys.argv[2] == "on" else []
    spent.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu, flagged=len(out))
    return out
build.duplicate_warnings = timed
start = time.perf_counter()
graph, problems = build.check(Path(sys.argv[1]))
print(json.dumps(dict(spent, check=time.perf_counter() - start, problems=len(problems))))
"""


def _check(data: Path, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(data), mode], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure_check(data: Path, repeat: int) -> dict:
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    for _ in range(repeat):
        for mode in ("off", "on"):
            runs[mode].append(_check(data, mode))
    off = statistics.median(r["check"] for r in runs["off"])
    on = statistics.median(r["check"] for r in runs["on"])
    return {
        "check_without_s": off,
        "check_with_s": on,
        "added_s": on - off,
        "duplicates_wall_s": statistics.median(r["wall"] for r in runs["on"]),
        "duplicates_cpu_s": statistics.median(r["cpu"] for r in runs["on"]),
        "records_flagged": runs["on"][0]["flagged"],
    }


def _texts(data: Path) -> list[str]:
    from ..model.duplicates import record_text
    from ..model.load import load_dataset

    dataset, _ = load_dataset(data)
    return [record_text(item.record) for item in dataset.practices] + [record_text(item.record) for item in dataset.cases]


def measure_scale(texts: list[str], size: int) -> dict:
    from ..model.duplicates import SAME, Fingerprints, near_duplicates

    made = []
    for k in range(size):
        sentences = re.split(r"(?<=。)", texts[k % len(texts)])
        turn = (k // len(texts)) % max(1, len(sentences))
        made.append("".join(sentences[turn:] + sentences[:turn]))
    start = time.perf_counter()
    prints = Fingerprints.of(made)
    fingerprinted = time.perf_counter()
    a, b = prints.candidates()
    paired = time.perf_counter()
    flagged = near_duplicates(made, SAME)
    return {
        "texts": size,
        "characters": sum(map(len, made)),
        "fingerprints_s": fingerprinted - start,
        "candidates_s": paired - fingerprinted,
        "candidate_pairs": len(a),
        "whole_check_s": time.perf_counter() - paired,  # near_duplicates again, from the texts: fingerprints included
        "records_flagged": len(flagged),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.tools.duplicates_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records of the synthetic corpus (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="check runs with and without the duplicate check; medians")
    parser.add_argument("--scale", type=int, default=0, help="also time the arrays alone on this many texts (100000)")
    parser.add_argument("--keep", type=Path, default=None, help="make the corpus in this folder and keep it")
    args = parser.parse_args(argv)
    from .corpus import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        data = (args.keep or Path(tmp)) / "data"
        if not (data / "practices").is_dir():
            make_corpus(ROOT / "data", data, args.records)
        report = {"records": args.records, "check": measure_check(data, args.repeat)}
        if args.scale:
            report["scale"] = measure_scale(_texts(data), args.scale)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
