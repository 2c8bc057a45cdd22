"""What a reader makes of an article's file: its text as blocks with their role, and its metadata.

Every reader (text, HTML, WeChat, Word, PDF) turns a file's bytes into one Document. The roles
are what the file itself says (a Word heading style, a PDF line set right like a 落款); a reader
that cannot tell leaves a block a paragraph, and the importer's rules read it as text.

Every input is hostile until read: each reader has limits of size, nesting, pages and time, and
a limit hit is an ArticleError that says which limit and what to do, or a cut noted in `notes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Role = Literal["title", "heading", "paragraph", "table", "signature"]

MAX_FILE_BYTES = 100_000_000  # read no file larger than this at all (a report is a few MB at most)
MAX_TEXT_CHARS = 200_000  # an article is cut after this many characters of text (about 150 pages)


class ArticleError(Exception):
    """The article cannot be imported; the message says why and what to do instead."""


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, title, 落款 line or table of an article, in reading order.

    A table's text is its rows, one line each with the cells set apart by two spaces; `cells`
    holds the same rows as cells.
    """

    text: str
    role: Role = "paragraph"
    cells: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Document:
    """An article as read from its file.

    meta: the page's <meta> tags by lower-case name, and what a format carries beside the text
    under plain keys: `title`, `author`, `publisher` (a WeChat account), `published` and
    `created` (ISO 8601), `url`. page_title: an HTML page's <title>. notes: what a limit cut.
    """

    format: Literal["text", "html", "wechat", "docx", "pdf"]
    blocks: tuple[Block, ...]
    meta: dict[str, str] = field(default_factory=dict)
    page_title: str = ""
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def cut_blocks(blocks: list[Block], notes: list[str], limit: int = MAX_TEXT_CHARS) -> list[Block]:
    """The blocks up to `limit` characters of text; a note says where the article was cut."""
    total = 0
    for i, block in enumerate(blocks):
        if total + len(block.text) > limit:
            notes.append(f"the article was cut after {limit:,} characters of text (it has more); import the part you need")
            rest = limit - total
            head = [replace(block, text=block.text[:rest], cells=())] if rest > 0 else []
            return blocks[:i] + head
        total += len(block.text) + 1
    return blocks
