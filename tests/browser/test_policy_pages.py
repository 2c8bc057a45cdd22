"""Policy documents as pages: the index (pinyin A–Z) and one page per document, from http and file://."""

from __future__ import annotations

import pytest

DOCUMENT = "《关于深化产业工人队伍建设改革的意见》"


@pytest.fixture(params=["http", "file"])
def policies(request, page, server, built_site):
    page.goto(server + "policies/index.html" if request.param == "http" else (built_site / "policies" / "index.html").as_uri())
    return page


def test_one_page_per_document_however_it_was_written_listing_who_cites_it_by_region(policies):
    entries = policies.locator("article li a").all_inner_texts()
    assert entries.count(DOCUMENT) == 1  # two spellings, one document
    assert policies.locator("article li", has_text=DOCUMENT).inner_text().endswith("（2 条经验做法）")
    policies.locator("article li a", has_text=DOCUMENT).click()
    policies.wait_for_load_state()
    assert policies.locator("article h1").inner_text() == DOCUMENT
    places = policies.locator("article h2").all_inner_texts()
    assert places == ["浙江省 杭州市 萧山区", "浙江省 金华市 婺城区"]
    cited = policies.locator("article li a").all_inner_texts()
    assert cited == ["萧山区推行能级工资集体协商", "婺城区以技能比赛拓宽晋升通道"]
    assert "也写作" in policies.locator("article").inner_text()


def test_a_practice_links_the_documents_it_cites(page, server):
    page.goto(server + "practices/xiaoshan-skill-pay.html")
    page.locator("article a", has_text="关于深化").click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() == DOCUMENT
