"""A record's brief: what the pages of other records show of it, and what linking checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .records import Case, Practice


@dataclass(frozen=True, slots=True)
class Brief:
    """What the pages of other records show of a record: enough to list, sort, group and link it.

    Everything else (summary, measures, metrics, sources...) appears only on the record's own
    page and its own region's page, so an incremental build can tell from briefs alone which
    other pages a change reaches.
    """

    kind: str  # "Practice" or "Case"
    id: str
    title: str
    region: str
    date: dt.date
    themes: tuple[str, ...]
    links: tuple[str, ...]  # the cases a practice names, or the practices a case names
    policies: tuple[str, ...] = ()  # titles of the documents a practice cites, as written (policies.py)
    status: str = "published"  # decides whether the public site shows the record at all (`shown`)

    def __reduce__(self):  # pickled as a plain tuple: the cache loads ten thousand of these on every run
        return Brief, (
            self.kind,
            self.id,
            self.title,
            self.region,
            self.date,
            self.themes,
            self.links,
            self.policies,
            self.status,
        )

    @classmethod
    def of(cls, record: Practice | Case) -> Brief:
        links = record.cases if isinstance(record, Practice) else record.practices
        cited = tuple(" ".join(p.title.split()) for p in record.policies) if isinstance(record, Practice) else ()
        return cls(
            type(record).__name__,
            record.id,
            record.title,
            record.region,
            record.date,
            tuple(record.themes),
            tuple(links),
            cited,
            record.status,
        )
