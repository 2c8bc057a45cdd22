"""What a reader sees, measured in the browser at a desk (1280 px), a tablet (768) and a phone (390):
no label or cell squeezed narrower than 3 em, nothing wider than the window, a record's facts as a
list of labels beside their values, dates on one line, the home page's figures as cards, no empty
column beside the text, and listings that list."""

from __future__ import annotations

import pytest
from page_kinds import EVERY_KIND

WIDTHS = {"desk": 1280, "tablet": 768, "phone": 390}

# Every table cell, header and term in the text that is shown, narrower than 3 em of its own font.
NARROW = """() => {
  const out = [];
  for (const e of document.querySelectorAll('.md-content th, .md-content td, .md-content dt')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || e.closest('.cg-sr-only')) continue;
    const em = parseFloat(getComputedStyle(e).fontSize);
    if (r.width < 3 * em - 0.5) out.push(`${e.tagName} "${e.textContent.trim().slice(0, 20)}" ${(r.width / em).toFixed(1)} em`);
  }
  return out;
}"""
WIDER = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('.md-content, .md-content *')) {  /* the closed drawer waits off the screen */
    if (e.closest('.cg-scroll, .cg-sr-only')) continue;  /* the coverage table scrolls in a box of its own */
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const style = getComputedStyle(e);
    if (style.clip !== 'auto' && style.position === 'absolute') continue;
    if (r.right > width + 1 || r.left < -1) out.push(e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30));
  }
  return [document.documentElement.scrollWidth <= width, out.slice(0, 5)];
}"""


def open_at(pg, url: str, width: int) -> None:
    pg.set_viewport_size({"width": width, "height": 900})
    pg.goto(url, wait_until="networkidle")
    if "search.html" in url:
        pg.wait_for_function("() => document.querySelector('[data-cg-find-body]').getAttribute('data-cg-excerpts') === 'done'")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site, path", EVERY_KIND)
def test_no_label_or_cell_is_squeezed_and_nothing_is_wider_than_the_window(page, site_url, site, path, width):
    open_at(page, site_url(site) + path, WIDTHS[width])
    assert page.evaluate(NARROW) == []
    fits, wider = page.evaluate(WIDER)
    assert fits and wider == []


# --- a record's page -----------------------------------------------------------------------------
FACTS = """() => Array.from(document.querySelectorAll('.cg-facts dt')).map(dt => {
  const dd = dt.nextElementSibling, t = dt.getBoundingClientRect(), d = dd.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(dt).lineHeight);
  return {label: dt.textContent, lines: Math.round(t.height / line), beside: d.left > t.right && Math.abs(d.top - t.top) < 2};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["practices/wucheng-skills.html", "cases/zhang-studio.html"])
def test_a_records_facts_are_labels_on_one_line_beside_their_values(page, server, path, width):
    open_at(page, server + path, WIDTHS[width])
    facts = page.evaluate(FACTS)
    assert {f["label"] for f in facts} >= {"地区", "日期", "主题", "状态"}
    assert all(f["lines"] == 1 and f["beside"] for f in facts), facts
    assert page.locator("article table", has_text="项目").count() == 0, "no 项目/内容 header row"


@pytest.mark.parametrize("width", WIDTHS)
def test_dates_are_written_in_chinese_and_never_broken(page, server, width):
    open_at(page, server + "practices/wucheng-skills.html", WIDTHS[width])
    dates = page.evaluate(
        "() => Array.from(document.querySelectorAll('article .cg-date')).map(d => [d.textContent, d.getClientRects().length])"
    )
    assert ["2021年4月8日", 1] in dates
    assert all(lines == 1 for _, lines in dates) and all("-" not in text for text, _ in dates)


# --- the home page and the columns beside the text ----------------------------------------------------
CARDS = """() => Array.from(document.querySelectorAll('.cg-figures a')).map(a => {
  const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), top: Math.round(r.top), width: r.width, height: r.height};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_pages_figures_are_cards_that_lead_to_their_pages(page, server, width):
    open_at(page, server + "index.html", WIDTHS[width])
    cards = page.evaluate(CARDS)
    assert [c["text"].split()[1] for c in cards] == ["经验做法", "典型案例", "涉及地区", "主题"]
    assert all(c["width"] >= 120 and c["height"] >= 48 for c in cards), cards
    rows = len({c["top"] for c in cards})
    assert rows == (1 if width != "phone" else 2), cards
    page.locator(".cg-figures a", has_text="经验做法").click()
    page.wait_for_url("**/practices/index.html")


@pytest.mark.parametrize("path", ["index.html", "practices/wucheng-skills.html", "practices/index.html", "regions/330000.html"])
def test_no_empty_column_beside_the_text_at_a_desk(page, server, path):
    open_at(page, server + path, 1280)
    left = page.evaluate(
        "() => { const s = document.querySelector('.md-sidebar--primary'); return s.getBoundingClientRect().width }"
    )
    assert left == 0, "the navigation is in the tabs; the left column is gone"
    article = page.evaluate("() => document.querySelector('article').getBoundingClientRect().width")
    assert article >= 0.65 * 1280


def test_the_menu_still_opens_the_navigation_on_a_phone(page, server):
    open_at(page, server + "practices/wucheng-skills.html", 390)
    page.click("label.md-header__button[for=__drawer]")
    link = page.locator(".md-nav--primary a", has_text="典型案例").first
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url("**/cases/index.html")


# --- listings ----------------------------------------------------------------------------------------
IN_VIEW = "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight }"


def test_a_short_listing_lists_every_record_under_letters_its_bar_jumps_to(page, server):
    open_at(page, server + "titles.html", 390)
    entries = page.locator("article .cg-listing li a").all_inner_texts()
    assert len(entries) == 11 and "张小彬技能大师工作室" in entries
    letters = page.locator(".cg-letters a")
    assert letters.count() >= 5
    target = letters.last.get_attribute("href")
    assert target.startswith("#letter-") and not page.evaluate(IN_VIEW, target[1:])
    letters.last.click()
    page.wait_for_function(IN_VIEW, arg=target[1:])


def test_a_long_listing_shows_the_newest_the_counts_and_the_letters(page, long_server):
    open_at(page, long_server + "practices/index.html", 1280)
    sections = page.locator("article h2").all_inner_texts()
    assert sections == ["按标题首字母", "最新收录", "各省份", "各主题"]
    newest = page.evaluate(
        "() => Array.from(document.querySelectorAll('.cg-listing h2 + ul li')).map(li => li.querySelector('.cg-date').textContent)"
    )
    assert len(newest) == 9 and newest[0] == "2023年9月1日" and newest[-1] == "2020年5月20日"
    zhejiang = page.locator(".cg-listing .cg-columns li", has_text="浙江省")
    assert zhejiang.inner_text() == "浙江省（4 条）"
    assert zhejiang.locator("a").get_attribute("href") == "../regions/330000.html"
    letter = page.locator(".cg-letters a").first
    letter.click()
    page.wait_for_url("**/practices/az/*.html")
    assert page.locator("article li a").count() >= 1
