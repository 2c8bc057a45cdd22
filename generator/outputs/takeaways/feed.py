"""The Atom feed of the newest records the site shows (docs/feed.xml, RFC 4287).

Subscribers' readers resolve the entries' links against the feed's own address, so relative links
(practices/<id>.html) work under any subpath. When mkdocs.yml names the site's public address
(`site_url`), the links are written absolute from it, as some readers expect.

Everything comes from the data, never from the clock, so the same data gives the same bytes: an
entry's date is its record's date, and the feed's is the newest of them. Entry ids are name-based
UUIDs of the record ids, stable for as long as the record keeps its id.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from ...model.records import Practice
from ..paths import FEED, HOME, record_path
from ..view import View

ENTRIES = 50  # the newest this many records; readers keep what they have seen before
ATOM = "http://www.w3.org/2005/Atom"
_IDS = uuid.UUID("3f1d6a52-9c1e-5b8e-a1d2-5d0c6f1b7a90")  # the namespace of this library's entry ids

ET.register_namespace("", ATOM)


def entry_id(record_id: str) -> str:
    return uuid.uuid5(_IDS, f"record:{record_id}").urn


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def render_feed(view: View) -> bytes:
    """The feed: the newest ENTRIES records shown, newest first (ordering.latest)."""
    site_name, site_url = view.site.name, view.site.url
    base = site_url.rstrip("/") + "/" if site_url else ""
    graph = view.graph
    latest = view.ordering.latest(ENTRIES)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(feed, "title", f"{site_name}：最新记录")
    _sub(feed, "subtitle", "新发布或更新的经验做法与典型案例")
    _sub(feed, "id", uuid.uuid5(_IDS, "feed").urn)
    _sub(feed, "updated", _stamp(max((b.date for b in latest), default=dt.date(2000, 1, 1))))
    _sub(feed, "link", rel="alternate", type="text/html", href=base + HOME.removesuffix(".md") + ".html")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=base + FEED)
    _sub(_sub(feed, "author"), "name", site_name)
    for brief in latest:
        record = view.ordering.record(brief.id)
        entry = _sub(feed, "entry")
        _sub(entry, "title", record.title)
        _sub(entry, "id", entry_id(record.id))
        _sub(entry, "updated", _stamp(record.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=base + record_path(record).removesuffix(".md") + ".html")
        place = " ".join(r.name for r in view.ordering.region_chain(record.region))
        kind = "经验做法" if isinstance(record, Practice) else "典型案例"
        _sub(entry, "summary", f"{kind} · {place}\n\n{record.summary if isinstance(record, Practice) else record.narrative}")
        for theme_id in record.themes:
            _sub(entry, "category", term=theme_id, label=graph.themes[theme_id].name)
    ET.indent(feed, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
