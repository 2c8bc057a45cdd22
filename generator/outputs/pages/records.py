"""A record's own page: a practice (经验做法) or a case (典型案例), whole, with the records it names
and, for a practice, the practices related to it."""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from ...model.fields import Metric, Source
from ...model.labels import CASE_KIND
from ...model.policies import policy_key
from ...model.records import Case, Practice
from .. import escape
from ..paths import DOWNLOADS, policy_path, record_path, record_yaml, region_path, theme_path
from ..view import View, long_date

STATUS = {"draft": "草稿", "reviewed": "已审核", "published": "已发布"}
STATUS_NOTE = {"draft": "草稿：本条记录尚未审核，内容可能不完整", "reviewed": "已审核，待发布"}


class PracticePage(NamedTuple):
    text: str
    related: tuple[str, ...]  # the ids of the related practices it shows, in order (the next build asks who may enter)


def metric(metric: Metric) -> dict:
    return {
        "indicator": metric.indicator,
        "figure": f"{metric.value}{metric.unit}",
        "year": metric.year or "",
        "note": metric.note or "",
    }


def _source(source: Source) -> dict:
    return {
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author or "",
        "date": long_date(source.date),
        "url": escape.url(source.url) if source.url else "",
    }


def _common(view: View, here: str, record: Practice | Case) -> dict:
    return {
        # The public site's downloads hold every record as CSV, Excel and JSON; the preview has none.
        "data_files": {
            "yaml": view.href(here, record_yaml(here)),
            "downloads": view.href(here, DOWNLOADS) if view.site.takeaways else "",
        },
        "title": record.title,
        "status": STATUS[record.status],
        "status_note": STATUS_NOTE.get(record.status, ""),
        "region_chain": [view.link(here, r.name, region_path(r.code)) for r in view.ordering.region_chain(record.region)],
        "date": long_date(record.date),
        "themes": [view.link(here, view.graph.themes[t].name, theme_path(t)) for t in record.themes],
        "tags": Markup("、".join(escape.inline(t) for t in record.tags)),
        "metrics": [metric(m) for m in record.metrics],
        "sources": [_source(s) for s in record.sources],
    }


def _partners(view: View, here: str, record_id: str) -> list[dict]:
    """Links to the records linked to it that the build shows, in display order (one not shown,
    unpublished in the public build, is not named at all)."""
    return [view.link(here, b.title, record_path(b)) for b in view.ordering.partners(record_id)]


def render_practice(view: View, practice: Practice) -> PracticePage:
    here, briefs = record_path(practice), view.graph.briefs
    cases = _partners(view, here, practice.id)
    shown = view.ordering.related_practices(briefs[practice.id])
    related = [view.link(here, p.title, record_path(p), view.place(p.region)) for p in shown]
    text = view.page(
        "practice.md.j2",
        practice.title,
        **_common(view, here, practice),
        summary=escape.paragraphs(practice.summary),
        measures=[{"title": m.title, "text": escape.paragraphs(m.text)} for m in practice.measures],
        policies=[
            {
                "title": p.title,
                "issuer": p.issuer or "",
                "year": p.year or "",
                "href": view.href(here, policy_path(p.title)) if policy_key(p.title) else "",
            }
            for p in practice.policies
        ],
        cases=cases,
        related=related,
    )
    return PracticePage(text, tuple(p.id for p in shown))


def render_case(view: View, case: Case) -> str:
    here = record_path(case)
    practices = _partners(view, here, case.id)
    return view.page(
        "case.md.j2",
        case.title,
        **_common(view, here, case),
        kind=CASE_KIND[case.kind],
        organization=case.organization,
        narrative=escape.paragraphs(case.narrative),
        practices=practices,
    )
