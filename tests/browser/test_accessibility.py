"""WCAG 2.1 A/AA in a real browser: axe-core on every kind of page at desk and phone widths,
and the search box and the listing filters walked with the keyboard alone.

axe-core is pinned in tests/browser/package.json (`make test` installs it with npm ci) and
injected from disk: no page under test loads anything from another host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_kinds import EVERY_KIND

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desk": (1280, 900), "phone": (390, 844)}


def axe_violations(pg) -> list[dict]:
    """Serious and critical violations of the WCAG 2.1 A/AA rules on the page as it stands."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser)")
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5], "count": len(v["nodes"])}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site, path", EVERY_KIND)
def test_axe_finds_no_serious_violation(page, site_url, site, path, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(site_url(site) + path, wait_until="networkidle")
    if path in ("practices/index.html", "cases/index.html"):
        page.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    if path.startswith("search.html"):
        page.wait_for_function("() => document.querySelector('[data-cg-find-body]').getAttribute('data-cg-excerpts') === 'done'")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_with_search_results_and_filters_in_use(page, server, search, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(server + "practices/index.html?province=330000")
    page.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    if width == "phone":
        page.click("label.md-header__button[for=__search]")
        page.keyboard.type("xiaoshan")
        wait_results(page, "xiaoshan")
    else:
        search(page, "技能")
    assert page.locator("[data-cg-search-list] li").count() > 0
    assert axe_violations(page) == []


# --- the keyboard alone ------------------------------------------------------------------------
FOCUSED = "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 120) : ''; }"


def tab_to(pg, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches selector; fail if it never does."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; last focus {pg.evaluate(FOCUSED)}")


def search_open(pg) -> bool:
    return pg.evaluate("() => document.getElementById('__search').checked")


def is_focused(pg, selector: str) -> bool:
    return pg.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector)


def unobscured(pg, selector: str) -> bool:
    """The element is on screen and nothing covers its centre, within a second (the search panel
    that focus just left takes a short transition to slide away on a phone)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        pg.wait_for_function(
            """s => { const e = document.querySelector(s); e.scrollIntoView({block: 'center', behavior: 'instant'});
                      const r = e.getBoundingClientRect(); if (!r.width || !r.height) return false;
                      const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                      return at === e || e.contains(at) || (at && at.control === e); }""",
            arg=selector,
            timeout=1000,
        )
    except PlaywrightTimeout:
        return False
    return True


def wait_results(pg, query: str) -> None:
    pg.wait_for_function(
        "q => document.querySelector('[data-cg-search]').getAttribute('data-cg-state') === 'done'"
        " && document.querySelector('[data-cg-search-query]').value === q",
        arg=query,
    )


def test_keyboard_walks_the_search_box_and_its_results(page, server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "index.html")
    tab_to(page, "[data-cg-search-query]")
    assert search_open(page)
    page.keyboard.type("xiaoshan")
    wait_results(page, "xiaoshan")
    status = page.locator("[data-cg-search-meta]")
    assert status.get_attribute("role") == "status" and "找到 3 条结果" in status.inner_text()
    assert page.locator("[data-cg-search]").get_attribute("aria-label")
    # Arrows go through the results and back to the box; the focused result shows a ring.
    page.keyboard.press("ArrowDown")
    assert is_focused(page, "[data-cg-search-list] li:nth-child(1) a")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("ArrowDown")
    assert is_focused(page, "[data-cg-search-list] li:nth-child(2) a")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert is_focused(page, "[data-cg-search-query]")
    # Escape from a result goes back to the box; from the box it closes the dialog, focus stays.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert is_focused(page, "[data-cg-search-query]") and search_open(page)
    page.keyboard.press("Escape")
    assert is_focused(page, "[data-cg-search-query]") and not search_open(page)
    # Typing opens it again; Tab out of the dialog closes it.
    page.keyboard.type("s")
    assert search_open(page)
    for _ in range(30):
        page.keyboard.press("Tab")
        if not page.evaluate("() => document.querySelector('[data-cg-search]').contains(document.activeElement)"):
            break
    assert not search_open(page)


def test_phone_menu_and_search_buttons_work_by_keyboard(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "regions/330109.html")
    tab_to(page, "label.md-header__button[for=__drawer]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    page.keyboard.press("Escape")
    page.goto(server + "regions/330109.html")
    tab_to(page, "label.md-header__button[for=__search]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('[data-cg-search-query]')")
    assert search_open(page)
    page.keyboard.type("jinchang")
    wait_results(page, "jinchang")
    page.keyboard.press("Escape")
    assert not search_open(page) and is_focused(page, "label.md-header__button[for=__search]")


def test_keyboard_walks_the_filters_at_phone_width(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "practices/index.html")
    page.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    count = page.locator("[data-cg-filter-count]")
    assert count.get_attribute("role") == "status"
    # The query has a label of its own; Tab passes the header search without leaving it open.
    assert page.evaluate("() => document.querySelector('[data-cg-filter=q]').labels[0].textContent.trim()") == "搜索"
    tab_to(page, "[data-cg-filter=q]")
    assert not search_open(page) and unobscured(page, "[data-cg-filter=q]")
    page.keyboard.type("技能")
    page.wait_for_function("() => document.querySelector('[data-cg-filter-count]').textContent.startsWith('显示 4 ')")
    tab_to(page, "[data-cg-filter=province]")
    assert unobscured(page, "[data-cg-filter=province]")
    page.keyboard.press("ArrowDown")  # the first province: a closed select changes with the arrows
    page.wait_for_function("() => /^显示 [0-3] \\//.test(document.querySelector('[data-cg-filter-count]').textContent)")
    assert "province=" in page.url
    tab_to(page, ".cg-filters__reset")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-cg-filter-count]').textContent.startsWith('共 9 ')")
    for selector in ("[data-cg-filter=province]", "[data-cg-filter=year]", ".cg-filters__reset"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (selector, box)


def test_small_targets_are_at_least_24_px_on_a_phone(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "titles.html")
    sizes = page.eval_on_selector_all(".cg-letters a", "as => as.map(a => [a.offsetWidth, a.offsetHeight])")
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    for selector in ("label.md-header__button[for=__drawer]", "label.md-header__button[for=__search]"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, selector


CLIPPED = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('.md-content *')) {
    if (e.closest('.cg-scroll, .cg-sr-only, thead.cg-cards, .md-typeset table.cg-cards thead')) continue;
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const style = getComputedStyle(e);
    if (style.clip !== 'auto' && style.position === 'absolute') continue;  /* visually hidden on purpose */
    /* A box may scroll sideways only if the keyboard can scroll it too (code blocks, the coverage table). */
    const scrolls = /(auto|scroll|hidden)/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.tabIndex < 0;
    if (r.right > width + 1 || r.left < -1 || scrolls) out.push(e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 30));
  }
  return [document.documentElement.scrollWidth <= width, out.slice(0, 5)];
}"""


@pytest.mark.parametrize("site, path", EVERY_KIND)
def test_nothing_is_clipped_on_a_phone(page, site_url, site, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(site) + path, wait_until="networkidle")
    fits, clipped = page.evaluate(CLIPPED)
    assert fits and clipped == [], clipped
