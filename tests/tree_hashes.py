"""The sha256 of every file a build writes, to prove that a change to the code leaves the output alone.

    python tests/tree_hashes.py record OUT.json --data data [--data .bench/data] [--python .venv/bin/python]
    python tests/tree_hashes.py compare BEFORE.json AFTER.json

`record` builds each data folder twice with the command line only (so the same script measures
any version of the generator): the public site (`build --full`) and the preview (`build --full
--preview`), each in a fresh copy of mkdocs.yml and overrides/ with no cache, and records the hash
of every file of docs/ and site/. `compare` lists every file that is missing, new or different,
and exits 1 if there is any. A refactoring that may not change the output records before and
after and compares (the 2,000-record corpus comes from `python -m generator bench --records 2000
--keep DIR --no-mkdocs`, whose DIR/data is then the second --data).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"  # MkDocs dates the sitemap from SOURCE_DATE_EPOCH when it is set


def tree(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build(python: str, root: Path, data: Path, preview: bool) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="tree-hashes-") as tmp:
        project = Path(tmp)
        shutil.copy(root / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(root / "overrides", project / "overrides")
        command = [python, "-m", "generator", "build", "--full", "--data", str(data.resolve()), "--config", "mkdocs.yml"]
        if preview:
            command.append("--preview")
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
        subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
        where = project / ".cache" / "preview" if preview else project
        return {"docs": tree(where / "docs"), "site": tree(where / "site")}


def record(args: argparse.Namespace) -> int:
    out: dict[str, dict[str, str]] = {}
    for data in args.data:
        for preview in (False, True):
            name = f"{Path(data).resolve().name}:{'preview' if preview else 'public'}"
            for folder, hashes in build(args.python, Path(args.root), Path(data), preview).items():
                out[f"{name}:{folder}"] = hashes
                print(f"{name}:{folder}: {len(hashes)} files", file=sys.stderr)
    Path(args.out).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def compare(args: argparse.Namespace) -> int:
    before = json.loads(Path(args.before).read_text(encoding="utf-8"))
    after = json.loads(Path(args.after).read_text(encoding="utf-8"))
    differ = 0
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, {}), after.get(name, {})
        lines = [f"  missing {p}" for p in sorted(old.keys() - new.keys())]
        lines += [f"  new {p}" for p in sorted(new.keys() - old.keys())]
        lines += [f"  differs {p}" for p in sorted(old.keys() & new.keys()) if old[p] != new[p]]
        differ += len(lines)
        print(f"{name}: {len(new)} files, {'same' if not lines else f'{len(lines)} differ'}")
        print("\n".join(lines[:20]) + ("\n" if lines else ""), end="")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="build each data folder (public and preview) and write the hashes")
    rec.add_argument("out")
    rec.add_argument("--data", action="append", required=True, help="a data folder (repeat for more)")
    rec.add_argument("--python", default=sys.executable, help="the Python whose generator builds (default: this one)")
    rec.add_argument("--root", default=str(ROOT), help="the project whose mkdocs.yml and overrides/ to use")
    rec.set_defaults(func=record)
    cmp = sub.add_parser("compare", help="every file missing, new or different between two records")
    cmp.add_argument("before")
    cmp.add_argument("after")
    cmp.set_defaults(func=compare)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
