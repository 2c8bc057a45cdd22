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


def test_a_long_list_of_postings_in_a_file_of_its_own_finds_the_same(page, site_url, recorder, search):
    # The long site keeps every list of postings over 8 characters in search/p/ (shards.LONG_POSTINGS).
    for query in ("技能大师工作室", "工作室", "產業工人", "xiaoshan", "xs", "金昌"):
        page.goto(site_url("short") + "index.html")
        expected = search(page, query)
        page.goto(site_url("long") + "index.html")
        assert search(page, query) == expected, query
        assert expected, query
    assert any("/search/p/" in u for u in recorder.requests)


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
    assert "萧山区" in by_title[PAY]["marks"] and by_title[PAY]["where"].endswith("2023年9月1日")
    assert by_title["萧山区"]["where"].startswith("地区")


def test_excerpts_are_text_never_markup(home, search):
    search(home, "xiaoshan")
    hostile = next(r for r in results(home) if r["title"] == HOSTILE)
    assert "<img src=x" in hostile["excerpt"]
    assert home.locator("[data-cg-search-list] img, [data-cg-search-list] script").count() == 0


# --- the passage that matched, not the start of the text -------------------------------------------
def test_the_excerpt_is_the_measure_that_matched_with_its_words_marked(home, search):
    search(home, "破格晋升")
    [wucheng] = results(home)
    assert wucheng["title"] == "婺城区以技能比赛拓宽晋升通道"
    assert wucheng["excerpt"].startswith("主要做法 · 以赛促学：") and wucheng["marks"] == ["破格晋升"]


def test_the_excerpt_is_the_figure_that_matched(home, search):
    search(home, "技能提升补贴")
    [wucheng] = results(home)
    assert wucheng["excerpt"] == "数据：技能提升补贴：1338余万元" and "技能提升补贴" in wucheng["marks"]


def test_the_section_with_most_of_the_query_wins_over_the_first_that_has_one_word(home, search):
    search(home, "优胜者 晋升")  # 晋升 is in the title and the measure; both words only in the measure
    [wucheng] = results(home)
    assert wucheng["excerpt"].startswith("主要做法 · 以赛促学") and {"优胜者", "晋升"} <= set(wucheng["marks"])


# --- synonyms and abbreviations (tests/fixtures/data/synonyms.yaml) -------------------------------------
def test_a_word_and_its_abbreviation_find_the_same_records(home, search):
    short = search(home, "产改")
    full = search(home, "产业工人队伍建设改革")
    assert set(short) == set(full)
    assert {"长治市推进产改", "婺城区以技能比赛拓宽晋升通道", PAY} <= set(short)


def test_a_result_found_by_a_synonym_says_which_word_found_it(home, search):
    search(home, "产改")
    by_title = {r["title"]: r for r in results(home)}
    # 婺城区… cites 关于深化产业工人队伍建设改革的意见: it never says 产改
    vias = home.locator("[data-cg-search-list] article", has_text="婺城区以技能比赛拓宽晋升通道").locator("[data-cg-via]")
    assert vias.get_attribute("data-cg-via") == "产业工人队伍建设改革"
    assert "按同义词找到" in vias.inner_text()
    assert "产业工人队伍建设改革" in by_title["婺城区以技能比赛拓宽晋升通道"]["marks"]
    # 长治市推进产改 says it as typed: no note
    assert home.locator("[data-cg-search-list] article", has_text="长治市推进产改").locator("[data-cg-via]").count() == 0


# --- pinyin of titles and places ------------------------------------------------------------------------
def test_full_pinyin_and_initials_of_titles_find_them(home, search):
    assert "长治市推进产改" in search(home, "changai")
    assert "长治市推进产改" in search(home, "cg")
    assert search(home, "xiao shan") == search(home, "xiaoshan")
    by_title = {r["title"]: r for r in results(home)}
    assert "萧山区" in by_title[PAY]["marks"]


def test_a_pinyin_query_marks_the_title_words_it_spells(home, search):
    search(home, "changai")
    by_title = {r["title"]: r for r in results(home)}
    assert "产改" in by_title["长治市推进产改"]["marks"]


def test_a_record_that_writes_the_letters_ranks_above_those_found_by_their_pinyin(home, search):
    found = search(home, "changzhi")
    assert found[0] == DECOY, "DECOY writes Changzhi in Latin letters"
    assert {"长治市推进产改", "长治市", "长子县班组长培训"} <= set(found[1:])
