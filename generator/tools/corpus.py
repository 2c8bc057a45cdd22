"""A synthetic data/ folder of N records, made by varying the real ones (for the benchmark).

Every synthetic record is a real record with a new id, a new title that names
its new county, a new region (county-level regions of the gazetteer, spread
evenly), other themes, a shifted date, and its long texts rebuilt from real
sentences in a shuffled order of about the same length. The regions and the
theme vocabulary are copied unchanged, so the folder is valid against the same
schema and passes `check` like the real data/.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import yaml

_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _sentences(records: list[dict]) -> list[str]:
    out: list[str] = []
    for record in records:
        texts = [record.get("summary", ""), record.get("narrative", "")]
        texts += [m["text"] for m in record.get("measures", [])]
        for text in texts:
            out += [s.strip() for s in _SENTENCE.findall(" ".join(text.split())) if len(s.strip()) > 4]
    return sorted(set(out))


def _vary(record: dict, sentences: list[str], rnd: random.Random) -> None:
    """Shuffle the record's own sentences over its long texts, swapping about a fifth of those
    without figures for other real sentences (so every figure stays in the text, as lint wants)."""
    slots: list[tuple[str, int | None]] = [("summary", None), ("narrative", None)] + [
        ("measures", i) for i in range(len(record.get("measures", [])))
    ]
    slots = [(k, i) for k, i in slots if k in record]
    get = lambda k, i: record[k] if i is None else record[k][i]["text"]  # noqa: E731
    own = [s.strip() for k, i in slots for s in _SENTENCE.findall(" ".join(get(k, i).split())) if s.strip()]
    own = [rnd.choice(sentences) if not re.search(r"\d", s) and rnd.random() < 0.2 else s for s in own]
    rnd.shuffle(own)
    if "measures" in record:
        record["measures"] = [dict(m) for m in record["measures"]]
    for n, (k, i) in enumerate(slots):
        share = own[n :: len(slots)] or [rnd.choice(sentences)]
        if i is None:
            record[k] = "".join(share)
        else:
            record[k][i]["text"] = "".join(share)


def _counties(data: Path) -> list[dict]:
    regions = [r for path in sorted((data / "regions").glob("*.yaml")) for r in _read(path)]
    return [r for r in regions if r["level"] == "county"]


def make_corpus(source: Path, target: Path, records: int, seed: int = 0, *, published: bool = False) -> dict[str, int]:
    """Write target/ (regions, themes, practices/, cases/) with `records` records; return counts,
    `published` among them (the records the public site shows).

    About half the records are drafts or reviewed, as in an editor's library; published: the same
    corpus with every record published (what the public site shows at its largest)."""
    rnd = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source / "regions", target / "regions")
    shutil.copy(source / "themes.yaml", target / "themes.yaml")
    (target / "practices").mkdir()
    (target / "cases").mkdir()

    practices = [_read(p) for p in sorted((source / "practices").glob("*.yaml"))]
    cases = [_read(p) for p in sorted((source / "cases").glob("*.yaml"))]
    sentences = _sentences(practices + cases)
    theme_ids = sorted(t["id"] for t in _read(source / "themes.yaml"))
    counties = _counties(source)
    rnd.shuffle(counties)

    # Same share of practices and cases as the real data; every case illustrates one synthetic practice.
    n_practices = max(1, round(records * len(practices) / (len(practices) + len(cases))))
    practice_ids: list[str] = []
    shown = 0
    for i in range(records):
        is_practice = i < n_practices
        template = dict(rnd.choice(practices if is_practice else cases))
        county = counties[i % len(counties)]
        ident = f"{'p' if is_practice else 'c'}{i:05d}-{template['id']}"[:80].rstrip("-")
        template["id"] = ident
        template["title"] = f"{county['name']}{template['title']}（{i}）"[:200]
        template["region"] = county["code"]
        template["date"] = template["date"] + dt.timedelta(days=rnd.randint(-900, 300))
        template["themes"] = rnd.sample(theme_ids, rnd.randint(1, 6))
        status = rnd.choice(["draft", "reviewed", "published", "published"])  # drawn either way: the same corpus
        template["status"] = "published" if published else status
        shown += template["status"] == "published"
        _vary(template, sentences, rnd)
        if is_practice:
            template["cases"] = []
            practice_ids.append(ident)
        else:
            template["practices"] = [rnd.choice(practice_ids)]
        folder = target / ("practices" if is_practice else "cases")
        text = yaml.safe_dump(template, allow_unicode=True, sort_keys=False, width=1000)
        (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return {"practices": n_practices, "cases": records - n_practices, "published": shown, "regions": len(counties)}
