"""No request leaves 127.0.0.1 on any kind of page, with the search box and filters in use.

(The `page` fixture asserts it for every test; this one visits one page of each kind.)
"""

from __future__ import annotations

PAGES = [
    "index.html",
    "overview.html",
    "regions/index.html",
    "regions/330109.html",
    "themes/index.html",
    "themes/skills.html",
    "practices/index.html",
    "cases/index.html",
    "practices/wucheng-skills.html",
    "cases/zhang-studio.html",
    "titles.html",
    "policies/index.html",
    "policies/d7ed385ab6d3.html",
    "guide.html",
    "404.html",
]


def test_every_kind_of_page_stays_on_127_0_0_1(page, server, recorder, search):
    for path in PAGES:
        page.goto(server + path, wait_until="networkidle")
    search(page, "产改")
    page.goto(server + "practices/index.html?theme=skills&q=%E5%9F%B9%E8%AE%AD", wait_until="networkidle")
    assert recorder.requests and not recorder.outside()
    assert not [u for u in recorder.requests if "fonts.g" in u or "cdn" in u]
