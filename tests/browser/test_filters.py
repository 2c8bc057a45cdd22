"""Filters on the record listings: province, city, theme, year and a query, state in the URL.

The fixture's listings are short, so their own pages list every record by letter; a filter lists
the matching records of the whole listing in their place (as it does on a long listing, whose
records are on its letters' pages).
"""

from __future__ import annotations

# The record links a reader sees in the page's text (not those of a part the filters hide).
VISIBLE = """() => Array.from(document.querySelectorAll('article li a'))
    .filter(a => a.getClientRects().length && /(practices|cases)\\/[^/]+\\.html$/.test(a.href)).map(a => a.textContent)"""
EVERY_PRACTICE = {
    "婺城区以技能比赛拓宽晋升通道",
    "萧山区推行能级工资集体协商",
    "北仑区技能比赛与名家讲堂",
    "</title><script>alert(1)</script>",
    "重慶市長壽區職工技能比武",
    "长治市推进产改",
    "闵行区3D打印实训",
    "单县工会驿站",
    "长子县班组长培训",
}


def visible(pg) -> set[str]:
    pg.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    return set(pg.evaluate(VISIBLE))


def settle(pg) -> None:
    pg.wait_for_timeout(100)  # the query filter waits for its search; selects apply at once


def test_filters_narrow_the_list_and_the_url_keeps_them(page, server):
    page.goto(server + "practices/index.html")
    assert visible(page) == EVERY_PRACTICE, "without a filter the listing shows every practice"
    assert "共 9 条" in page.locator("[data-cg-filter-count]").inner_text()
    page.select_option("[data-cg-filter=province]", label="浙江省")
    settle(page)
    assert visible(page) == {
        "婺城区以技能比赛拓宽晋升通道",
        "萧山区推行能级工资集体协商",
        "北仑区技能比赛与名家讲堂",
        "</title><script>alert(1)</script>",
    }
    # Cities follow the province; a broader theme includes its narrower ones (关爱帮扶 under 权益维护).
    assert set(page.locator("[data-cg-filter=city] option").all_inner_texts()) == {"全部城市", "杭州市", "宁波市", "金华市"}
    page.select_option("[data-cg-filter=theme]", value="rights")
    settle(page)
    assert visible(page) == {"婺城区以技能比赛拓宽晋升通道", "萧山区推行能级工资集体协商"}
    page.select_option("[data-cg-filter=year]", value="2023")
    settle(page)
    assert visible(page) == {"萧山区推行能级工资集体协商"}
    assert "province=330000" in page.url and "theme=rights" in page.url and "year=2023" in page.url
    assert "显示 1 / 9 条" in page.locator("[data-cg-filter-count]").inner_text()

    page.reload()
    assert visible(page) == {"萧山区推行能级工资集体协商"}
    assert page.locator("[data-cg-filter=province]").input_value() == "330000"
    assert page.locator("[data-cg-filter=year]").input_value() == "2023"


def test_query_combines_with_filters_and_shared_url_opens_filtered(page, server):
    page.goto(server + "practices/index.html?q=" + "技能" + "&province=330000")
    assert visible(page) == {"婺城区以技能比赛拓宽晋升通道", "北仑区技能比赛与名家讲堂", "萧山区推行能级工资集体协商"}
    assert page.locator("[data-cg-filter=q]").input_value() == "技能"
    page.locator("[data-cg-filter=q]").fill("技能比武")  # 比武 is said in no Zhejiang practice
    settle(page)
    assert visible(page) == set()
    page.select_option("[data-cg-filter=province]", value="")
    settle(page)
    assert visible(page) == {"重慶市長壽區職工技能比武"}
    assert "q=" in page.url and "province" not in page.url


def test_cases_listing_filters_by_city(page, server):
    page.goto(server + "cases/index.html?city=620300")
    assert visible(page) == {"金昌市工会驿站"}
    page.click(".cg-filters__reset")
    settle(page)
    assert visible(page) == {"金昌市工会驿站", "张小彬技能大师工作室"}, "every case again"
    assert "city=" not in page.url


def test_the_filters_list_matches_in_pinyin_order_and_link_to_them(page, server):
    page.goto(server + "practices/index.html?province=330000&theme=rights")
    visible(page)
    assert page.evaluate(VISIBLE) == ["婺城区以技能比赛拓宽晋升通道", "萧山区推行能级工资集体协商"]  # W before X
    place = page.locator("[data-cg-filter-results] li").first.inner_text()
    assert place.endswith("（经验做法 · 浙江省 金华市 婺城区）")
    page.locator("[data-cg-filter-results] a", has_text="萧山区推行能级工资集体协商").click()
    page.wait_for_url("**/practices/*.html")
    assert page.locator("h1").inner_text() == "萧山区推行能级工资集体协商"
