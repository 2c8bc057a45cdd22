"""Markdown as the site converts it, and bits of it to run together, for the tests of our MkDocs
processes' shortcuts (test_plain_text.py, test_reused_markdown.py)."""

from __future__ import annotations

import yaml
from repo_paths import REPO


def site_extensions() -> tuple[list[str], dict[str, dict]]:
    """mkdocs.yml's Markdown extensions and their settings, as MkDocs hands them to Markdown."""
    listed = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    extensions = [next(iter(item)) if isinstance(item, dict) else item for item in listed]
    configs = {name: options for item in listed if isinstance(item, dict) for name, options in item.items()}
    return extensions, configs


# Plain text, every kind of inline Markdown, broken bits of it, and the blocks our pages use.
PIECES = [
    "各地推进产业工人队伍建设改革",
    "技能大师工作室",
    " ",
    "  \n",
    "\n",
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "\\",
    "\\*",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "&",
    "&amp;",
    "&#26032;",
    "[链接](../regions/zhejiang.md)",
    "![图](a.png)",
    "[参考][r]",
    "[r]",
    "<https://example.org/a>",
    "<a@example.org>",
    "<span>",
    "</span>",
    "<!-- 注 -->",
    "*强调*",
    "**加粗**",
    "_斜体_",
    "***都有***",
    "`代码`",
    "{: .facts }",
    "\n\n",
    "\n- ",
    "\n1. ",
    "\n## ",
    "\n> ",
    "\n| a | b |\n|---|---|\n| ",
    "\n!!! note\n    ",
    '\n??? info "标题"\n    ',
    '\n<div markdown="1">\n',
    "\n</div>\n",
    "\n术语\n:   ",
    "\n[r]: https://example.org/r\n",
    "[TOC]",
    "\n\n[TOC]\n\n",
    "\x02",
    "\x03",
]
