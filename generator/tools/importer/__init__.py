"""`python -m generator import`: a draft practice record from each article (text, web page, WeChat page, Word, PDF).

The files are read by generator/sources/articles/ (text and structure: title, headings, tables, 落款,
metadata); this package finds the record's facts in what they read.

clean   the article as lines with their roles; page furniture told from text; Traditional → Simplified
fields  date (text, e-paper header, metadata or URL), title, publisher, author, address
regions the region: the place that acts, from the gazetteer names the article uses
figures every figure with its unit and indicator; every document in 《》
themes  theme ids proposed from the article's wording
draft   assemble and render the YAML record; a required value not found is a placeholder
batch   several files or folders in one run, and the table that reports them

A draft is never refused for a field it could not find: the editor fills the
placeholder, and `python -m generator check` names each one at its line until then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...model.duplicates import record_text, told
from ...model.load import RECORD_FOLDERS, load_record, load_themes
from ...sources.pinyin import simplified
from ..scaffold import FOLDERS, ScaffoldError, load_places, make_slug, region_slug, short_name, title_initials, write_new
from .clean import Article, ArticleError, han_len, is_furniture, read_article
from .draft import DRAFT_MARK, Draft, find_measures, first_paragraph, render
from .fields import date_in_url, find_author, find_date, find_publisher, find_title, find_url
from .figures import Figure, extract_figures, extract_policies, table_figures
from .regions import Gazetteer, region_text
from .themes import propose_themes

__all__ = ["ArticleError", "DuplicateError", "ImportResult", "import_article", "build_draft"]


@dataclass
class ImportResult:
    draft: Draft
    text: str
    path: Path | None = None
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)  # required fields written as placeholders
    date_origin: str = ""  # where the date came from: dateline, e-paper header, URL …
    reading: tuple[str, ...] = ()  # what reading the file cut (pages, characters)
    article: str = ""  # the article's text (Simplified), as compared with the records in data/


def _themes(data: Path) -> list[dict]:
    """The valid themes of the vocabulary, as plain fields for the keyword rules."""
    themes, _ = load_themes(data)
    return [item.record.model_dump() for item in themes]


FORMATS = {"text": "text", "html": "web page", "wechat": "WeChat article page", "docx": "Word document", "pdf": "PDF text"}


def _new(table: list[Figure], text: list[Figure]) -> list[Figure]:
    """The table's figures that the text does not give already (the same value and unit for the same thing)."""
    said = [(f.value, f.unit, f.indicator) for f in text]
    return [
        f for f in table if not any(v == f.value and u == f.unit and (i in f.indicator or f.indicator in i) for v, u, i in said)
    ]


def _http(url: str | None) -> str | None:
    if url and re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", url) and not re.search(r"[\s<>\"'`\\]", url):
        return url
    return None


def build_draft(raw: bytes, name: str, data: Path, url: str | None = None) -> ImportResult:
    """Read the article and make the draft; a required value not found becomes a placeholder for the editor.

    ArticleError only for what cannot be an article at all (empty, binary, no Chinese text) or a
    data folder without a gazetteer.
    """
    article: Article = read_article(raw, name)
    if han_len("".join(article.lines)) < 10:
        raise ArticleError("the article has no Chinese text to draft a record from")
    found: list[str] = []
    missing: list[str] = []
    to_fill: list[str] = []
    url = _http(url) or find_url(article)

    dated = find_date(article, url)
    date = dated.date if dated else None
    # A date read from a sentence or a closing signature says nothing about where the headline is.
    date_line = dated.line if dated and dated.origin in ("dateline", "e-paper header") else -1
    title = find_title(article, date_line)
    publisher = find_publisher(article, date_line)
    author = find_author(article, title.line if title else date_line, date_line)

    places = load_places(data)
    if not places:
        raise ArticleError(f"no gazetteer in {data} (regions.yaml or regions/*.yaml): cannot tell the region")
    gazetteer = Gazetteer(places)
    start, end = article.body_range()
    title_line = title.line if title and title.line >= 0 else -1
    head = max(0, title_line if title_line >= 0 else start)
    text_lines = [line for line in article.lines[min(head, start) :] if not is_furniture(line)]
    title_text = simplified(title.value) if title else ""
    paragraph = first_paragraph(article.lines, start, end)
    choice = gazetteer.choose(
        region_text(([article.lines[title_line]] if title_line >= 0 else []) + text_lines), title_text, paragraph
    )
    region = places[choice.code] if choice.code else None
    region_names = " ".join(p.name for p in choice.chain)

    chain_names = tuple(n for p in choice.chain for n in (p.name, short_name(p.name)))
    body = [
        line for i, line in enumerate(article.lines[start:end], start) if not is_furniture(line) and article.role(i) != "table"
    ]
    joined = "".join(body)
    figures = extract_figures(body, date, chain_names + tuple(p.name for p in places.values() if p.name in joined))
    figures += _new(table_figures(article.tables), figures)
    policies, skipped = extract_policies(body)
    themes = propose_themes("\n".join(body), _themes(data))

    source_title = title.value.strip() if title else ""
    simple_title = simplified(source_title)
    summary = f"{DRAFT_MARK}{paragraph}" if paragraph else ""
    measures = find_measures(article.lines, start, end, article.roles)

    if date is None:
        month = date_in_url(url) if url else None
        hint = f"（网址只给出 {month[0]}年{month[1]}月，请补上日）" if isinstance(month, tuple) else ""
        to_fill.append("发布日期（date、sources[0].date）" + hint)
    if region is None:
        to_fill.append("地区代码（region）")
    if not simple_title:
        to_fill.append("标题（title、sources[0].title）")
    if not publisher:
        to_fill.append("发布单位（sources[0].publisher）")
    if not paragraph:
        to_fill.append("概述（summary）")

    record_id = make_slug(
        region_slug(region) if region else "region",
        str(date.year) if date else "undated",
        title_initials(simple_title or (region.name if region else ""), {p.code: p for p in choice.chain}),
    )
    draft = Draft(
        id=record_id,
        title=simple_title,
        region=region.code if region else None,
        region_names=region_names,
        date=date,
        source_title=source_title,
        publisher=publisher.value if publisher else None,
        author=author.value if author else None,
        url=url,
        summary=summary[:20000],
        measures=measures,
        metrics=figures,
        policies=policies,
        themes=[t.id for t in themes],
        date_origin=dated.origin if dated else "",
        region_notes=choice.notes,
    )
    found.append(f"read as: {FORMATS[article.format]}" + (f", {len(article.tables)} table(s)" if article.tables else ""))
    found.append(f"title: {simple_title or '?'}")
    found.append(f"date: {date.isoformat()} (from the {dated.origin})" if dated and date else "date: ? (left to fill)")
    found.append(f"region: {region.code} {region_names} ({choice.basis})" if region else "region: ? (left to fill)")
    found.extend(f"region note: {note}" for note in choice.notes)
    found.append(f"publisher: {draft.publisher or '?'}")
    found.append(f"author: {draft.author or '?'}")
    found.append(
        f"figures: {len(figures)}; policies: {len(policies)}"
        + (f" (skipped as media or works: {'、'.join(skipped)})" if skipped else "")
    )
    found.append(f"themes: {', '.join(f'{t.id} ({t.hits})' for t in themes) or 'none'}")
    found.append(f"measures from section headings: {len(measures)}")
    missing.extend(to_fill)
    if not author:
        missing.append("作者（sources[0].author，可删去）")
    if not url:
        missing.append("文章地址（sources[0].url，可删去）")
    if not measures:
        missing.append("举措（measures：原文没有小标题）")
    if not themes:
        missing.append("主题（themes）")
    missing.append("标签（tags）、案例（cases）、政策的发文单位")
    text = render(draft, missing)
    return ImportResult(
        draft,
        text,
        None,
        found,
        missing,
        choice.unsure,
        to_fill,
        dated.origin if dated else "",
        tuple(article.notes),
        "\n".join(article.lines),
    )


class DuplicateError(ArticleError):
    """The article is already told by a record in data/ (import it anyway with --force)."""


def known_texts(data: Path) -> list[tuple[str, str]]:
    """Every record in data/ as (file and id, the text a near-duplicate is told by)."""
    out = []
    for folder, model in RECORD_FOLDERS.items():
        for path in sorted((data / folder).glob("*.yaml")):
            item, _ = load_record(model, path, data)  # an invalid record is check's to report, not the importer's
            if item is not None:
                out.append((f"{item.path} ({item.record.id})", record_text(item.record)))
    return out


def draft_text(draft: Draft) -> str:
    """A draft's text, as record_text gives a record's."""
    parts = [draft.title, draft.summary, *(title + text for title, text in draft.measures)]
    return "\n".join(parts + [f"{m.indicator}{m.value}{m.unit}" for m in draft.metrics])


def import_article(
    raw: bytes,
    name: str,
    data: Path,
    out: Path | None = None,
    url: str | None = None,
    *,
    force: bool = False,
    known: list[tuple[str, str]] | None = None,
) -> ImportResult:
    """Build the draft and write it to out (default data/practices/<id>.yaml), never replacing a file.

    An article that holds TOLD or more of a record's text is refused (DuplicateError, naming the record and
    the share) unless force. known: the records to compare with (default: data/'s), and the draft is added to
    it, so that a batch compares each article with the ones drafted before it too.
    """
    result = build_draft(raw, name, data, url)
    known = known_texts(data) if known is None else known
    if not force:
        hits = told(result.article, known)
        if hits:
            record, share = hits[0]
            raise DuplicateError(
                f"already in data/: {record}: {share:.0%} of that record's text is in this article; "
                "nothing was written (import it anyway with --force)"
            )
    if out is None:
        folder = data / FOLDERS["practice"]
        path = folder / f"{result.draft.id}.yaml"
        n = 2
        base = result.draft.id
        while path.exists():
            result.draft.id = f"{base}-{n}"
            path = folder / f"{result.draft.id}.yaml"
            n += 1
        if result.draft.id != base:
            result.text = render(result.draft, result.missing)
    else:
        path = out
        if out.suffix == ".yaml" and out.stem != result.draft.id:
            if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", out.stem):
                result.draft.id = out.stem
                result.text = render(result.draft, result.missing)
    try:
        write_new(path, result.text)
    except ScaffoldError as exc:
        raise ArticleError(str(exc)) from None
    result.path = path
    shown = path.relative_to(data.parent).as_posix() if path.is_relative_to(data.parent) else str(path)  # as check names it
    known.append((f"{shown} ({result.draft.id})", draft_text(result.draft)))
    return result
