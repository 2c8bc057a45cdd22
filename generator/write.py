"""Write stage: put pages on disk, touching only files whose bytes change.

Unchanged files keep their mtime, so `mkdocs serve` and rsync deploys see only
real changes. Each file is written to a temporary name and renamed, so a reader
never sees half a page. The built site is swapped in whole, only on success.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(out_dir: Path, pages: dict[str, str], extra: dict[str, bytes] | None = None) -> WriteReport:
    """Make out_dir hold exactly these files: write the changed, remove the stale, leave the rest alone."""
    report = WriteReport()
    wanted = {rel: text.encode("utf-8") for rel, text in pages.items()} | (extra or {})
    for rel, data in sorted(wanted.items()):
        path = out_dir / rel
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            report.unchanged += 1
            continue
        write_atomic(path, data)
        report.written.append(rel)
    if out_dir.is_dir():
        for path in sorted(out_dir.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
                report.removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report


def swap_dir(new: Path, target: Path) -> None:
    """Replace target with new in two renames; the old tree is removed only afterwards."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
