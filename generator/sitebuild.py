"""MkDocs for the generator: a strict build, and a strict rebuild of only the pages that changed.

    python -m generator.sitebuild --config mkdocs.yml --out WORK [--previous SITE]

Without --previous: `mkdocs build --strict` into WORK. With it, WORK starts as a copy of the
previous site made of hard links, and MkDocs' dirty mode renders only the pages whose Markdown is
newer than their HTML (generate rewrites a page only when its bytes change). The copy leaves out
every file MkDocs will write, so MkDocs writes new files instead of writing through a link into
the live site, and it leaves out pages whose Markdown is gone, as a clean build would.

This is only safe while everything else that decides the HTML is unchanged: mkdocs.yml, the theme
and its overrides, the generator's own assets. build.py keeps a fingerprint of those and asks for
a clean build when it changes. A page's HTML depends on no other page here (the navigation lists
only the fixed pages of mkdocs.yml), which is what makes a rebuild of some pages equal a clean
build of all of them; tests/test_everyday.py and tests/test_stateful.py check it byte for byte.

Runs as its own process (build.py starts it): MkDocs, Material and Markdown keep module state, and
PYTHONHASHSEED=0 keeps any set order they leak into pages the same on every run.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

DIRTY_NOTICE = "A 'dirty' build is being performed"  # MkDocs says this on every dirty build


class _Warnings(logging.Handler):
    """What `--strict` counts, less MkDocs' notice that a build is dirty (it counts as a warning
    in strict mode, so `mkdocs build --strict --dirty` always fails)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(DIRTY_NOTICE):
            self.messages.append(f"{record.levelname}: {message}")


def link_unchanged(previous: Path, out: Path, docs: Path, rewritten: set[str], theme_dirs: list[Path]) -> int:
    """Fill out/ with hard links to the files of previous/ that a dirty build keeps; how many.

    Left out: the files in `rewritten` (the theme's static templates, written on every build),
    pages whose Markdown is gone, pages whose Markdown is newer than their HTML (MkDocs renders
    those again, into new files), and likewise other files of docs/ that are newer than their
    copy or gone (a file that comes from the theme stays). search/ is the generator's own and
    is linked as it is: the search step writes only new files.
    """
    count = 0
    for folder, dirs, names in os.walk(previous):
        dirs.sort()
        rel_folder = os.path.relpath(folder, previous)
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        target = out / rel_folder
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            rel = rel_folder + name
            src = Path(folder, name)
            if rel in rewritten:
                continue
            if not rel.startswith("search/"):
                source = docs / (rel[: -len(".html")] + ".md" if name.endswith(".html") else rel)
                if name.endswith(".html") and not source.exists() and (docs / rel).exists():
                    source = docs / rel  # an HTML file of docs/ itself (a compilation), copied as it is
                try:
                    if source.stat().st_mtime_ns > src.stat().st_mtime_ns:
                        continue  # MkDocs writes it again
                except FileNotFoundError:
                    if name.endswith(".html") or not any((d / rel).is_file() for d in theme_dirs):
                        continue  # its source is gone
            os.link(src, target / name)
            count += 1
    return count


def build(config_file: Path, out: Path, previous: Path | None, docs: Path | None = None) -> list[str]:
    """Build into out/ (a rebuild of previous/ when given); the warnings that make it fail."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    overrides = {"docs_dir": str(docs)} if docs is not None else {}
    config = load_config(str(config_file), site_dir=str(out), strict=False, **overrides)
    warnings = _Warnings()
    log = logging.getLogger("mkdocs")
    log.setLevel(logging.WARNING)
    log.propagate = False  # printed once, by main()
    log.addHandler(warnings)
    if previous is not None:
        rewritten = set(config.theme.static_templates)
        rewritten |= {f"{name}.gz" for name in rewritten if name.endswith(".xml")}
        link_unchanged(previous, out, Path(config.docs_dir), rewritten, [Path(d) for d in config.theme.dirs])
    mkdocs_build(config, dirty=previous is not None)
    return warnings.messages


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.sitebuild", description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, type=Path, help="mkdocs.yml")
    p.add_argument("--out", required=True, type=Path, help="folder to build into (empty or missing)")
    p.add_argument("--previous", type=Path, help="the last good site: rebuild only what changed since")
    p.add_argument("--docs", type=Path, help="pages to build instead of mkdocs.yml's docs_dir")
    args = p.parse_args(argv)
    warnings = build(args.config, args.out, args.previous, args.docs)
    for line in warnings:
        sys.stderr.write(f"{line}\n")
    if warnings:
        sys.stderr.write(f"Aborted with {len(warnings)} warning(s) in strict mode\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
