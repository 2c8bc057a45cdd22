"""Readers of the articles editors receive: each turns a file's bytes into a Document.

text     plain text (UTF-8 or GB18030), a block per line
html     saved web pages: the text shown, <meta> tags and <title>
wechat   WeChat public-account pages: title, account and publish time from the page, the article alone
docx     Word documents: paragraphs, headings, tables, title and 落款 as laid out, core properties
pdf      PDF text layers: lines in reading order, headers and page numbers dropped, paragraphs joined
refused  what is not read (.doc, .wps, .ofd, pictures…), with what to do instead

The kind of a file is told by its first bytes, then by its name; the facts of an article
(region, date, publisher, figures) are the importer's (generator/tools/importer/).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

from .document import MAX_FILE_BYTES, ArticleError, Block, Document, megabytes
from .refused import refusal
from .text import decode

__all__ = ["ArticleError", "Block", "Document", "read_document", "read_file"]


def read_file(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES (a device or a folder is refused, never read)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ArticleError("no such file") from None
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ArticleError("is a folder; name the files in it, or the folder alone to import every article in it")
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError("is not a regular file (a device, pipe or socket); save the article as a file and import that")
    if info.st_size > MAX_FILE_BYTES:
        raise ArticleError(
            f"the file is {megabytes(info.st_size)}; the importer reads files of up to {megabytes(MAX_FILE_BYTES)}: "
            "a report is a few MB"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror}") from None


def read_document(raw: bytes, name: str = "") -> Document:
    """The article in a file's bytes, by what the bytes are (PDF, Word, web page, text) and then its name."""
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(f"the file is {megabytes(len(raw))}; the importer reads files of up to {megabytes(MAX_FILE_BYTES)}")
    suffix = PurePath(name).suffix.lower()
    if raw[:1024].lstrip().startswith(b"%PDF-"):
        from .pdf import read_pdf

        return read_pdf(raw)
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        from .docx import read_docx

        return read_docx(raw)
    why = refusal(raw, name)
    if why:
        raise ArticleError(why)
    if suffix in (".docx", ".pdf"):
        kind = "Word document" if suffix == ".docx" else "PDF"
        raise ArticleError(
            f"the file is named {suffix} but is not a {kind} (its first bytes say otherwise): it may be damaged "
            "or renamed; open it and save it again"
        )
    head = raw[:4000].decode("utf-8", "ignore") or raw[:4000].decode("gb18030", "ignore")
    from .html import checked_markup, looks_like_html, read_html

    if suffix in (".html", ".htm", ".xhtml", ".shtml") or looks_like_html(head):
        from .wechat import SCRIPTS_READ, is_wechat, read_wechat

        scripts = raw[:SCRIPTS_READ].decode("utf-8", "ignore")  # where a WeChat page's variables are
        markup = decode(checked_markup(raw))
        return read_wechat(markup, scripts) if is_wechat(scripts) else read_html(markup)
    from .text import read_text

    return read_text(decode(raw))
