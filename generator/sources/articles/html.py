"""Saved web pages: the text of the page's body, its <meta> tags and its <title>.

Scripts, styles and pictures embedded as data: addresses are dropped from the bytes before the
page is decoded and parsed (a page saved whole can be tens of megabytes of them around a few
kilobytes of article); what is left is read only up to MAX_MARKUP_BYTES. Hidden elements, navigation, forms and footers give
no text. Every step is linear in the page's size, however deep its elements nest.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from .document import ArticleError, Document, cut_blocks, megabytes
from .text import text_blocks

MAX_MARKUP_BYTES = 5_000_000  # markup left once scripts, styles and embedded pictures are dropped

_SKIP = frozenset(
    "script style noscript template svg nav iframe form button select textarea object canvas aside footer head".split()
)
_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header blockquote pre dd dt dl figure figcaption "
    "hr main center td th title".split()
)
_VOID = frozenset("br hr img meta link input area base col embed source track wbr".split())
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]*\n[ \t\r\f\v\u3000\xa0]*")
_OPAQUE = re.compile(rb"<(script|style|noscript|template|svg)\b", re.IGNORECASE)
_DATA_URI = re.compile(rb"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)


def drop_opaque(raw: bytes) -> bytes:
    """The page's bytes without the content of its scripts, styles and SVG pictures, nor data: pictures.

    Done on the bytes, before decoding (a "<" is itself in UTF-8 and GB18030 alike), so that a page of
    50 MB of them costs one copy of what is left. Linear: each element's end is found with one search
    from its start (an element left open drops the rest of the page, as a browser shows nothing of it).
    """
    out: list[bytes] = []
    at = 0
    while True:
        found = _OPAQUE.search(raw, at)
        if not found:
            out.append(raw[at:])
            break
        out.append(raw[at : found.start()])
        end = re.compile(b"</" + found.group(1), re.IGNORECASE).search(raw, found.end())
        if end is None:
            break
        close = raw.find(b">", end.end())
        at = len(raw) if close < 0 else close + 1
    return _DATA_URI.sub(b"data:", b"".join(out))


def checked_markup(raw: bytes) -> bytes:
    """drop_opaque(raw), refused when what is left is more than MAX_MARKUP_BYTES."""
    markup = drop_opaque(raw)
    if len(markup) > MAX_MARKUP_BYTES:
        raise ArticleError(
            f"the page is {megabytes(len(markup))} of markup besides its scripts, styles and pictures; the importer reads "
            f"pages up to {megabytes(MAX_MARKUP_BYTES)}: save the article's page alone, or copy its text into a .txt file"
        )
    return markup


class _Extractor(HTMLParser):
    """Text of the elements shown, with a line break at each block element; <meta> and <title> apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self._skip: list[str] = []  # open elements whose text is not shown, innermost last
        self._skipping: Counter[str] = Counter()  # the same, counted by tag: 'is it open' without a scan
        self._in_title = False

    def _open(self, tag: str) -> None:
        self._skip.append(tag)
        self._skipping[tag] += 1

    def _close(self) -> str:
        tag = self._skip.pop()
        self._skipping[tag] -= 1
        return tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"].strip())
            return
        if tag == "title":
            self._in_title = True
        hidden = "display:none" in a.get("style", "").replace(" ", "") or "hidden" in a
        if tag == "head":
            # <head> holds <title> and <meta>; its text is never article text.
            self._open(tag)
        elif tag in _SKIP or hidden or a.get("role") in {"navigation", "banner", "contentinfo"}:
            if tag not in _VOID:
                self._open(tag)
            return
        if tag in _BLOCK and not self._skip:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skipping[tag]:
            while self._close() != tag:
                pass
        elif tag in _BLOCK and not self._skip:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if not self._skip:
            self.parts.append(data)


def parse_html(markup: str) -> tuple[str, dict[str, str], str]:
    """The shown text (a line per block element), the <meta> values by name and the <title> of markup
    whose scripts, styles and pictures are already dropped (checked_markup)."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    text = _SPACES.sub("\n", "".join(parser.parts))
    return text, parser.meta, " ".join("".join(parser.title).split())


def read_html(markup: str) -> Document:
    text, meta, title = parse_html(markup)
    notes: list[str] = []
    return Document("html", tuple(cut_blocks(text_blocks(text), notes)), meta, title, tuple(notes))


def looks_like_html(text: str) -> bool:
    head = text[:4000].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]|<(?:p|div|br|span)\b[^<>]*>", head))
