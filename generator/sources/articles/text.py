"""Plain text articles: bytes decoded (UTF-8, with or without BOM, else GB18030), one block per line."""

from __future__ import annotations

import re

from .document import ArticleError, Block, Document, cut_blocks

_CHARSET = re.compile(rb"charset=[\"']?([a-z0-9_-]+)")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc less tab, line feed and the like


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030; reject empty and binary input."""
    if not raw.strip():
        raise ArticleError("the article is empty")
    if b"\x00" in raw:
        raise ArticleError("the article is a binary file (it contains NUL bytes), not text or HTML")
    charset = _CHARSET.search(raw[:2048].lower())
    encodings = ["utf-8-sig", "gb18030"]
    if charset and charset.group(1).decode() in {"gbk", "gb2312", "gb18030"}:
        encodings.reverse()
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # A page saved with a few damaged bytes is still the page: those become U+FFFD; many mean it is no text.
        text = raw.decode(encodings[0], "replace")
        if text.count("\ufffd") > max(8, len(text) // 1000):
            raise ArticleError("the article is a binary file: it is neither UTF-8 nor GB18030 text") from None
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 200):
        raise ArticleError("the article is a binary file: it is full of control characters")
    if not text.strip():
        raise ArticleError("the article is empty")
    return text


def text_blocks(text: str) -> list[Block]:
    """One paragraph block per line that holds anything but spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Block(line) for line in text.split("\n") if line.strip()]


def read_text(text: str) -> Document:
    notes: list[str] = []
    return Document("text", tuple(cut_blocks(text_blocks(text), notes)), notes=tuple(notes))
