"""`import` on several articles at once: the files to read, one draft each, and the table that reports them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...sources.articles import read_file
from ...sources.articles.refused import refused_suffixes
from .clean import ArticleError

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".shtml", ".docx", ".pdf")
# A folder's files of these kinds are listed too, so that the table says why each was not drafted.
LISTED_SUFFIXES = ARTICLE_SUFFIXES + refused_suffixes()


@dataclass(frozen=True)
class Row:
    """One article of a batch: what was drafted from it, or why nothing was."""

    file: str
    id: str = ""
    region: str = ""
    date: str = ""
    figures: int = 0
    to_fill: tuple[str, ...] = ()
    error: str = ""
    notes: tuple[str, ...] = ()  # what reading the file cut


def article_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The article files named, folders expanded to their articles (sorted); and the names that are neither."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in LISTED_SUFFIXES
            )
            if not inside:
                problems.append(f"{path}: no article files (.txt, .html, .docx, .pdf) in this folder")
            files.extend(inside)
        elif path.exists():
            files.append(path)  # a file of any kind: reading it says what it is, or why it is not read
        else:
            problems.append(f"{path}: no such file")
    return list(dict.fromkeys(files)), problems


def draft_all(files: list[Path], data: Path, url: str | None = None, out: Path | None = None, force: bool = False) -> list[Row]:
    """Draft every file; a file that cannot be read (or that data/ has already) gets a row with why instead.

    The records of data/ are read once; each article is compared with them and with the drafts before it.
    """
    from . import import_article, known_texts

    known = known_texts(data)
    rows: list[Row] = []
    for path in files:
        try:
            result = import_article(read_file(path), path.name, data, out, url, force=force, known=known)
        except ArticleError as exc:
            rows.append(Row(str(path), error=str(exc)))
            continue
        draft = result.draft
        region = f"{draft.region} {draft.region_names.split()[-1]}" if draft.region else "（待填）"
        date = f"{draft.date.isoformat()} ({result.date_origin})" if draft.date else "（待填）"
        short = tuple(item.split("（")[0] for item in result.to_fill)
        rows.append(Row(str(path), draft.id, region, date, len(draft.metrics), short, notes=result.reading))
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[Row]) -> str:
    """A plain-text table, columns aligned for Chinese text: file → id, region, date and its origin, figures, to fill."""
    header = ("file", "id", "region", "date (from)", "figures", "left to fill")
    cells = [header] + [
        (r.file, r.id, r.region, r.date, str(r.figures), "、".join(r.to_fill) or "-")
        if not r.error
        else (r.file, "not drafted", "", "", "", r.error)
        for r in rows
    ]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header) - 1)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] for row in cells]
    lines += [f"{r.file}: {note}" for r in rows for note in r.notes]
    return "\n".join(line.rstrip() for line in lines) + "\n"
