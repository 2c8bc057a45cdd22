"""`python -m generator import`: a draft practice record from a raw article (text or HTML).

clean   decode, strip markup and page furniture, Traditional → Simplified
fields  date, title, publisher, author, address
regions the region, from the gazetteer names the article uses
figures every figure with its unit and indicator; every document in 《》
themes  theme ids proposed from the article's wording
draft   assemble and render the YAML record
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..load import load_themes
from ..pinyin import simplified
from ..scaffold import FOLDERS, ScaffoldError, load_places, make_slug, region_slug, short_name, title_initials, write_new
from .clean import Article, ArticleError, is_furniture, read_article
from .draft import DRAFT_MARK, Draft, find_measures, first_paragraph, render
from .fields import find_author, find_date, find_publisher, find_title, find_url
from .figures import extract_figures, extract_policies
from .regions import Gazetteer, region_text
from .themes import propose_themes

__all__ = ["ArticleError", "ImportResult", "import_article", "build_draft"]


@dataclass
class ImportResult:
    draft: Draft
    text: str
    path: Path | None = None
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _themes(data: Path) -> list[dict]:
    """The valid themes of the vocabulary, as plain fields for the keyword rules."""
    themes, _ = load_themes(data)
    return [item.record.model_dump() for item in themes]


def build_draft(raw: bytes, name: str, data: Path) -> ImportResult:
    """Read the article and make the draft; ArticleError when it cannot be done honestly."""
    article: Article = read_article(raw, name)
    found, missing, notes = [], [], []

    dated = find_date(article)
    if dated is None:
        raise ArticleError(
            "no recognisable publication date in the article (looked for 2021年04月08日, "
            "2024-11-05 10:33, 发表于 2023-12-28 …); add the date line and try again"
        )
    date, date_line = dated
    title = find_title(article, date_line)
    publisher = find_publisher(article, date_line)
    author = find_author(article, title.line if title else date_line, date_line)
    url = find_url(article)

    places = load_places(data)
    if not places:
        raise ArticleError(f"no gazetteer in {data} (regions.yaml or regions/*.yaml): cannot tell the region")
    gazetteer = Gazetteer(places)
    start, end = article.body_range()
    head = max(0, (title.line if title and title.line >= 0 else start))
    text_lines = [line for line in article.lines[min(head, start) :] if not is_furniture(line)]
    choice = gazetteer.choose(region_text(([article.lines[title.line]] if title and title.line >= 0 else []) + text_lines))
    notes.extend(choice.unsure)
    if choice.code is None:
        raise ArticleError(
            "no region found: the article names no province, city, county or street of the gazetteer; "
            "refusing to guess (write the record with `python -m generator new` instead)"
        )
    region = places[choice.code]
    region_names = " ".join(p.name for p in choice.chain)

    chain_names = tuple(n for p in choice.chain for n in (p.name, short_name(p.name)))
    body = [line for line in article.lines[start:end] if not is_furniture(line)]
    figures = extract_figures(body, date, chain_names + tuple(p.name for p in places.values() if p.name in "".join(body)))
    policies, skipped = extract_policies(body)
    themes = propose_themes("\n".join(body), _themes(data))

    source_title = title.value.strip() if title else ""
    simple_title = simplified(source_title)
    if not simple_title:
        missing.append("标题（title、sources[0].title）")

    paragraph = first_paragraph(article.lines, start, end)
    summary = f"{DRAFT_MARK}{paragraph}" if paragraph else ""
    if not paragraph:
        missing.append("概述（summary）")
    measures = find_measures(article.lines, start, end)

    record_id = make_slug(
        region_slug(region), str(date.year), title_initials(simple_title or region.name, {p.code: p for p in choice.chain})
    )
    draft = Draft(
        id=record_id,
        title=simple_title,
        region=region.code,
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
    )
    found.append(f"title: {simple_title or '?'}")
    found.append(f"date: {date.isoformat()}")
    found.append(f"region: {region.code} {region_names}")
    found.append(f"publisher: {draft.publisher or '?'}")
    found.append(f"author: {draft.author or '?'}")
    found.append(
        f"figures: {len(figures)}; policies: {len(policies)}"
        + (f" (skipped as media or works: {'、'.join(skipped)})" if skipped else "")
    )
    found.append(f"themes: {', '.join(f'{t.id} ({t.hits})' for t in themes) or 'none'}")
    found.append(f"measures from section headings: {len(measures)}")
    if not publisher:
        missing.append("发布单位（sources[0].publisher）")
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
    return ImportResult(draft, text, None, found, missing, notes)


def import_article(raw: bytes, name: str, data: Path, out: Path | None = None) -> ImportResult:
    """Build the draft and write it to out (default data/practices/<id>.yaml), never replacing a file."""
    result = build_draft(raw, name, data)
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
    return result
