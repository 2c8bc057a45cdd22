"""The header search box, in a real browser: Chinese terms, their parts, Traditional, pinyin."""

from __future__ import annotations

import pytest

STUDIO = "张小彬技能大师工作室"
PAY = "萧山区推行能级工资集体协商"
DECOY = "北仑区技能比赛与名家讲堂"  # has 技能, 大师, 工作室, 工资, 协商 apart, never the whole terms
HOSTILE = "</title><script>alert(1)</script>"  # the fixture's draft record in 萧山区


@pytest.fixture
def home(page, server):
    page.goto(server + "index.html")
    return page


def test_term_unit_is_found_whole_not_from_scattered_parts(home, search):
    assert search(home, "技能大师工作室") == [STUDIO]
    assert search(home, "能级工资集体协商") == [PAY]
    assert search(home, "工情代办站") == [PAY]


def test_parts_of_a_term_are_found(home, search):
    assert set(search(home, "工作室")) == {STUDIO, DECOY}
    assert search(home, "集体协商") == [PAY]
    assert search(home, "代办站") == [PAY]
    assert STUDIO in search(home, "大师工作室")


def test_traditional_and_simplified_find_the_same(home, search):
    simplified = search(home, "产业工人")
    traditional = search(home, "產業工人")
    # PAY says it in Simplified, DECOY in Traditional; themes and a policy title say it too.
    assert {PAY, DECOY, "婺城区以技能比赛拓宽晋升通道", "素质提升"} <= set(simplified)
    assert traditional == simplified
    # A Traditional title found by a Simplified query.
    assert "重慶市長壽區職工技能比武" in search(home, "长寿区")


def test_pinyin_of_places(home, search):
    xiaoshan = {PAY, HOSTILE, "萧山区"}
    assert set(search(home, "xiaoshan")) == xiaoshan
    assert set(search(home, "xs")) >= xiaoshan
    assert set(search(home, "XiaoShan")) == xiaoshan
    assert set(search(home, "jinchang")) == {"金昌市工会驿站", "金昌市"}


def test_results_link_to_the_pages_and_nothing_is_found_for_nonsense(home, search):
    assert search(home, "喵喵喵") == []
    assert "没有找到" in home.locator("[data-cg-search-meta]").inner_text()
    search(home, "金昌")
    home.locator("[data-cg-search-list] a").first.click()
    home.wait_for_url("**/cases/jinchang-station.html")
    assert home.locator("article h1").inner_text() == "金昌市工会驿站"


def test_search_from_a_nested_page_and_no_material_index(page, server, recorder, search):
    page.goto(server + "practices/wucheng-skills.html")
    assert search(page, "单县") == ["单县工会驿站", "单县"]
    # Only our small shards were loaded: Material's single big index never is.
    assert not [u for u in recorder.requests if "search_index.json" in u]
    assert any("/search/t/" in u for u in recorder.requests)


# --- why a result matched: an excerpt around the first match, the query's words marked ---------
def results(pg) -> list[dict]:
    """The results of the last search, once their excerpts (loaded after the results) are drawn."""
    pg.wait_for_function("() => document.querySelector('[data-cg-search]').getAttribute('data-cg-excerpts') === 'done'")
    return pg.locator("[data-cg-search-list] article").evaluate_all(
        """as => as.map(a => ({
            title: a.querySelector('h1').textContent,
            where: a.querySelector('.cg-result__where').textContent,
            excerpt: (a.querySelector('[data-cg-excerpt]') || {}).textContent || '',
            marks: Array.from(a.querySelectorAll('mark')).map(m => m.textContent),
        }))"""
    )


def test_results_show_an_excerpt_with_the_words_marked(home, search):
    search(home, "工情代办站")
    [pay] = results(home)
    assert pay["title"] == PAY and pay["where"].startswith("经验做法 · 浙江省 杭州市 萧山区")
    assert pay["excerpt"].startswith("概述：") and "工情代办站" in pay["excerpt"]
    assert pay["marks"] == ["工情代办站"]


def test_a_traditional_query_marks_traditional_and_simplified_text(home, search):
    search(home, "產業工人")
    by_title = {r["title"]: r for r in results(home)}
    assert "產業工人" in by_title[DECOY]["marks"]  # DECOY says it in Traditional
    assert "产业工人" in by_title[PAY]["marks"]


def test_a_pinyin_query_marks_the_place_it_names(home, search):
    search(home, "xiaoshan")
    by_title = {r["title"]: r for r in results(home)}
    assert "萧山区" in by_title[PAY]["marks"] and by_title[PAY]["where"].endswith("2023-09-01")
    assert by_title["萧山区"]["where"].startswith("地区")


def test_excerpts_are_text_never_markup(home, search):
    search(home, "xiaoshan")
    hostile = next(r for r in results(home) if r["title"] == HOSTILE)
    assert "<img src=x" in hostile["excerpt"]
    assert home.locator("[data-cg-search-list] img, [data-cg-search-list] script").count() == 0
