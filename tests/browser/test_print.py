"""Printed pages: black text, where they came from and when, link addresses, headings kept with
what follows. Checked with print media emulated, over http and from file://."""

from __future__ import annotations

import datetime as dt

import pytest

AFTER = "e => getComputedStyle(e, '::after').content"


def printing(pg) -> None:
    pg.emulate_media(media="print")
    pg.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")


@pytest.fixture(params=["http", "file"])
def record_page(request, page, server, built_site):
    url = (
        server + "practices/wucheng-skills.html"
        if request.param == "http"
        else (built_site / "practices" / "wucheng-skills.html").as_uri()
    )
    page.goto(url)
    return page


def test_a_printed_page_says_which_site_page_address_and_day(record_page):
    pg = record_page
    assert not pg.locator(".cg-print-meta").is_visible()  # on screen it is not there
    printing(pg)
    meta = pg.locator(".cg-print-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    assert "产改经验库" in text and "婺城区以技能比赛拓宽晋升通道" in text
    assert dt.date.today().isoformat() in text
    assert pg.url.split("#")[0] in text
    assert not pg.locator(".md-header").is_visible() and not pg.locator(".md-sidebar--primary").is_visible()


def test_links_print_black_with_their_address_and_headings_stay_with_what_follows(record_page):
    pg = record_page
    printing(pg)
    source = pg.locator("article a[href^='http']").first
    assert source.evaluate(AFTER) == f'"（" "{source.get_attribute("href")}" "）"' or source.get_attribute(
        "href"
    ) in source.evaluate(AFTER)
    assert source.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    case = pg.locator("article li a[href$='zhang-studio.html']").first
    assert "cases/zhang-studio.html" in case.evaluate(AFTER)  # a link in the text to another page of the site
    region = pg.locator("article .cg-facts a[href$='330702.html']").first
    assert region.evaluate(AFTER) in ("none", "normal")  # in the facts card the address would bury the place
    for heading in pg.locator("article h2").all():
        assert heading.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
    assert pg.evaluate("() => getComputedStyle(document.querySelector('article p')).color") == "rgb(0, 0, 0)"


def test_a_listings_letters_print_without_addresses(page, server):
    page.goto(server + "titles.html")
    printing(page)
    letter = page.locator(".cg-letters a").first
    assert letter.evaluate(AFTER) in ("none", "normal")
