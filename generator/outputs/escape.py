"""Turn any text from YAML into Markdown that shows exactly that text.

Every character that Markdown or HTML could read as syntax becomes a numeric
character reference, which Python-Markdown passes through and the browser
shows as the character itself. So a title `<script>` stays text, `|` cannot
split a table cell, `[x](y)` is no link and a leading `#` is no heading.
`xml_text` does the same for the XML of the Word and Excel files.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

from markupsafe import Markup

_SYNTAX = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#+!|~&^$=\"'"}
_TABLE = str.maketrans(_SYNTAX)
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^-(?=[\s-]|$)")  # "1. ", "- ", "---" would start a list or rule


def inline(value: object) -> Markup:
    """One line of Markdown text: whitespace (including newlines) folds to single spaces."""
    return _inline(str(value))


@lru_cache(maxsize=1 << 18)  # titles, place names and indicators recur on many pages
def _inline(value: str) -> Markup:
    text = " ".join(value.split())
    text = text.translate(_TABLE)
    text = _LINE_START.sub(lambda m: f"{m[1]}&#{ord(m[2])};" if m[1] else "&#45;", text)
    return Markup(text)


def paragraphs(value: object) -> Markup:
    """Text whose blank lines separate paragraphs; each paragraph escaped as one line."""
    parts = [inline(p) for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    return Markup("\n\n".join(parts))


def front_matter_title(value: str) -> Markup:
    """The page title for front matter: HTML-escaped (MkDocs prints it unescaped into <title>
    and the navigation) and JSON-quoted, which YAML reads as one plain string."""
    return Markup(json.dumps(html.escape(" ".join(value.split())), ensure_ascii=False))


# Characters XML 1.0 cannot hold: control characters other than tab and line breaks, lone surrogates.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """Text as the content of an XML element (the Word and Excel files), escaped as lxml escapes it;
    characters XML cannot hold are dropped."""
    return NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def url(value: str) -> Markup:
    """An http(s) address (already validated) made safe inside Markdown link parentheses."""
    table = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22", "'": "%27", "\\": "%5C", "`": "%60"}
    return Markup("".join(table.get(c, c) for c in value))


def finalize(value: object) -> object:
    """Jinja finalize hook: every {{ value }} is escaped unless the renderer marked it as Markup."""
    if type(value) is str:  # the common case first: this runs for every value on every page
        return _inline(value)
    if isinstance(value, Markup):
        return value
    return inline("" if value is None else value)
