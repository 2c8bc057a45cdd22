"""The Atom feed: subscribers hear of the newest published records, read by a real feed parser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml
from repo_paths import FIXTURES, REPO

from generator.engine import build
from generator.engine.build import Paths
from generator.outputs.takeaways import feed

DRAFT = "changzhi-practice"


def project(root: Path, *, site_url: str = "") -> Paths:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url:
        config = f"site_url: {site_url}\n" + config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(FIXTURES / "data", root / "data")
    draft = root / "data" / "practices" / f"{DRAFT}.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    return Paths(data=root / "data", config=root / "mkdocs.yml")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    paths = project(tmp_path_factory.mktemp("feed"))
    build.build_site(paths)
    return paths.site


def published() -> dict[str, dict]:
    out = {}
    for path in sorted((FIXTURES / "data").glob("*/*.yaml")):
        if path.parent.name in ("practices", "cases") and path.stem != DRAFT:
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            out[record["id"]] = record
    return out


def test_the_feed_is_valid_atom_with_the_published_records_newest_first(site: Path) -> None:
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    records = published()
    assert len(parsed.entries) == min(feed.ENTRIES, len(records))
    dates = [e.updated[:10] for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    by_title = {r["title"]: r for r in records.values()}
    for entry in parsed.entries:
        record = by_title[entry.title]  # a hostile title arrives as the same text, not markup
        assert entry.updated[:10] == str(record["date"])
        assert entry.id == feed.entry_id(record["id"])
    draft = yaml.safe_load((FIXTURES / "data" / "practices" / f"{DRAFT}.yaml").read_text(encoding="utf-8"))
    assert draft["title"] not in [e.title for e in parsed.entries]  # the draft is not announced


def test_entry_links_are_relative_to_the_feed_and_reach_the_pages(site: Path) -> None:
    parsed = feedparser.parse(
        (site / "feed.xml").read_bytes(), response_headers={"content-location": "http://intranet.example/lib/feed.xml"}
    )
    for entry in parsed.entries:
        assert entry.link.startswith("http://intranet.example/lib/"), entry.link  # resolved against the feed, any subpath
        page = entry.link.removeprefix("http://intranet.example/lib/")
        assert (site / page).is_file(), page


def test_every_page_names_the_feed_in_its_head(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        found = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', head)
        assert found, rel
        assert urljoin(f"http://x/{rel}", found[1]) == "http://x/feed.xml", rel


def test_the_home_page_offers_the_feed(site: Path) -> None:
    assert 'href="feed.xml"' in (site / "index.html").read_text(encoding="utf-8")


def test_with_a_public_address_links_are_absolute(tmp_path: Path) -> None:
    paths = project(tmp_path, site_url="https://chan-gai.example.gov.cn/jingyanku/")
    build.generate(paths)
    parsed = feedparser.parse((paths.docs / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert parsed.feed.links[-1].href == "https://chan-gai.example.gov.cn/jingyanku/feed.xml"
    assert all(
        e.link.startswith("https://chan-gai.example.gov.cn/jingyanku/practices/") or "/cases/" in e.link for e in parsed.entries
    )


def test_changing_the_address_rewrites_the_feed(tmp_path: Path) -> None:
    paths = project(tmp_path)
    build.generate(paths)
    assert b'href="feed.xml"' in (paths.docs / "feed.xml").read_bytes()
    paths.config.write_text("site_url: https://x.example/\n" + paths.config.read_text(encoding="utf-8"), encoding="utf-8")
    build.generate(paths)
    assert b'href="https://x.example/feed.xml"' in (paths.docs / "feed.xml").read_bytes()
