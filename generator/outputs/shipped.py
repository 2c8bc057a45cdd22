"""The hand-written pages and assets shipped with the generator (outputs/content/: the editors'
guide, the site's scripts and stylesheets), copied into docs/ as they are."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def shipped_files() -> dict[str, bytes]:
    """Path in docs/ -> bytes, in name order."""
    root = resources.files("generator.outputs").joinpath("content")
    out: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith("."):
                out[rel] = child.read_bytes()

    if root.is_dir():
        walk(root, "")
    return out
