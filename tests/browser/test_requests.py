"""No request leaves 127.0.0.1 on any kind of page, with the search box and filters in use.

(The `page` fixture asserts it for every test; this one visits one page of each kind.)
"""

from __future__ import annotations

from page_kinds import PAGES


def test_every_kind_of_page_stays_on_127_0_0_1(page, server, recorder, search):
    for path in PAGES:
        page.goto(server + path, wait_until="networkidle")
    search(page, "产改")
    page.goto(server + "practices/index.html?theme=skills&q=%E5%9F%B9%E8%AE%AD", wait_until="networkidle")
    assert recorder.requests and not recorder.outside()
    assert not [u for u in recorder.requests if "fonts.g" in u or "cdn" in u]
