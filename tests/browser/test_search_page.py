"""The search page, search.html?q=…&kind=…&province=…&theme=…&year=…&page=…: every result of a query
with the count under each kind, province, theme and year, 20 to a page. The query, the filters and
the page live in the address, so a link opens the same results, back and forward go through the
searches made, and it works under a subpath of a server and from disk."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import build_in, serve

DONE = "() => { const b = document.querySelector('[data-cg-find-body]'); return b.getAttribute('data-cg-state') === 'done'"
SETTLED = (
    DONE + " && (b.getAttribute('data-cg-excerpts') === 'done' || !document.querySelector('[data-cg-find-list] li'))"
    " && (b.getAttribute('data-cg-facets') === 'done' || !document.querySelector('[data-cg-find-list] li')); }"
)


def shown(pg) -> dict:
    """What the page shows once its results, counts and excerpts are drawn."""
    pg.wait_for_function(SETTLED)
    return pg.evaluate(
        """() => ({
            status: document.querySelector('[data-cg-find-status]').textContent,
            titles: Array.from(document.querySelectorAll('[data-cg-find-list] h2')).map(h => h.textContent),
            where: Array.from(document.querySelectorAll('[data-cg-find-list] .cg-result__where')).map(p => p.textContent),
            facets: Object.fromEntries(Array.from(document.querySelectorAll('.cg-facet')).map(g => [
                g.querySelector('h2').textContent,
                Object.fromEntries(Array.from(g.querySelectorAll('a')).filter(a => a.querySelector('.cg-facet__count'))
                    .map(a => [a.firstChild.textContent.trim(), Number(a.querySelector('.cg-facet__count').textContent)]))])),
            chosen: Array.from(document.querySelectorAll('.cg-facet a[aria-current]')).map(a => a.firstChild.textContent.trim())
                .filter(t => t !== '全部'),
            pages: Array.from(document.querySelectorAll('[data-cg-find-pager] li')).map(li => li.textContent),
            query: document.querySelector('[data-cg-find] input').value,
        })"""
    )


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def click_facet(pg, group: str, value: str) -> None:
    pg.locator(".cg-facet", has=pg.locator("h2", has_text=group)).locator("a", has_text=value).first.click()


def test_the_address_opens_the_results_with_counts_per_facet(page, server):
    page.goto(server + "search.html?q=" + quote("技能"))
    got = shown(page)
    assert got["query"] == "技能" and got["status"].startswith(f"找到 {len(got['titles'])} 条结果")
    assert "张小彬技能大师工作室" in got["titles"] and "婺城区以技能比赛拓宽晋升通道" in got["titles"]
    # every result is counted under its kind; a province counts its records and regions
    assert sum(got["facets"]["类别"].values()) == len(got["titles"])
    zhejiang = sum(1 for w in got["where"] if "浙江省" in w)  # records and regions below the province
    assert got["facets"]["省份"]["浙江省"] >= zhejiang > 0


def test_facets_narrow_the_results_and_back_and_forward_go_through_them(page, server):
    page.goto(server + "search.html?q=" + quote("技能"))
    everything = shown(page)
    click_facet(page, "省份", "浙江省")
    zhejiang = shown(page)
    assert params(page.url) == {"q": "技能", "province": "330000"}
    assert len(zhejiang["titles"]) == everything["facets"]["省份"]["浙江省"] < len(everything["titles"])
    assert all("浙江省" in w for w in zhejiang["where"]) and zhejiang["chosen"] == ["浙江省"]
    click_facet(page, "类别", "经验做法")
    practices = shown(page)
    assert params(page.url) == {"q": "技能", "province": "330000", "kind": "p"}
    assert practices["titles"] and all(w.startswith("经验做法 · 浙江省") for w in practices["where"])
    assert len(practices["titles"]) == zhejiang["facets"]["类别"]["经验做法"]

    page.go_back()
    assert shown(page)["titles"] == zhejiang["titles"] and params(page.url) == {"q": "技能", "province": "330000"}
    page.go_back()
    assert shown(page)["titles"] == everything["titles"] and params(page.url) == {"q": "技能"}
    page.go_forward()
    assert shown(page)["titles"] == zhejiang["titles"]


def test_a_new_query_is_a_new_entry_in_the_history_and_clears_the_filters(page, server):
    page.goto(server + "search.html?q=" + quote("技能") + "&province=330000")
    shown(page)
    page.fill("[data-cg-find] input", "金昌")
    page.press("[data-cg-find] input", "Enter")
    page.wait_for_url("**/search.html?q=*")
    got = shown(page)
    assert params(page.url) == {"q": "金昌"} and got["titles"][:2] == ["金昌市工会驿站", "金昌市"]
    page.go_back()
    assert shown(page)["query"] == "技能" and params(page.url)["province"] == "330000"


def test_a_filter_with_no_result_says_so_and_nonsense_finds_nothing(page, server):
    page.goto(server + "search.html?q=" + quote("金昌") + "&province=330000")
    assert shown(page)["status"].startswith("找到") and "筛选后没有结果" in shown(page)["status"]
    page.goto(server + "search.html?q=" + quote("喵喵喵"))
    got = shown(page)
    assert got["titles"] == [] and got["status"].startswith("没有找到")


def test_the_header_box_leads_to_the_search_page(page, server, search):
    page.goto(server + "practices/wucheng-skills.html")
    titles = search(page, "技能")
    link = page.locator("[data-cg-search-all]")
    assert "查看全部" in link.inner_text() or "在搜索页查看" in link.inner_text()
    link.click()
    page.wait_for_url("**/search.html?q=*")
    got = shown(page)
    assert got["titles"][: len(titles)] == titles  # the same ranking, all of it
    # Enter in the box opens the search page too.
    page.goto(server + "index.html")
    search(page, "xiaoshan")
    page.press("[data-cg-search-query]", "Enter")
    page.wait_for_url("**/search.html?q=xiaoshan")
    assert "萧山区推行能级工资集体协商" in shown(page)["titles"]


def test_the_home_page_form_opens_the_search_page(page, server):
    page.goto(server + "index.html")
    page.fill("#cg-home-q", "产改")
    page.press("#cg-home-q", "Enter")
    page.wait_for_url("**/search.html?q=*")
    assert "长治市推进产改" in shown(page)["titles"]


# --- a corpus large enough for pages of results -------------------------------------------------
@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    from projects import make_sample_data

    work = tmp_path_factory.mktemp("search-page-corpus")
    site = build_in(work, make_sample_data(work / "source", records=60))
    httpd = serve(site)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_results_come_20_to_a_page_and_the_page_is_in_the_address(page, corpus_server):
    page.goto(corpus_server + "search.html?q=" + quote("浙江省"))
    first = shown(page)
    total = int(first["status"].split("找到 ")[1].split(" 条")[0])
    assert total > 20 and len(first["titles"]) == 20 and "第 1 / " in first["status"]
    assert page.evaluate("() => document.querySelector('[data-cg-find-list]').start") == 1
    page.locator("[data-cg-find-pager] a", has_text="下一页").click()
    second = shown(page)
    assert params(page.url)["page"] == "2" and not set(second["titles"]) & set(first["titles"])
    assert page.evaluate("() => document.querySelector('[data-cg-find-list]').start") == 21
    assert page.evaluate("() => document.activeElement.matches('[data-cg-find-list]')"), "focus goes to the new results"
    page.reload()
    assert shown(page)["titles"] == second["titles"]
    page.go_back()
    assert shown(page)["titles"] == first["titles"]


# --- under a subpath, and from disk -----------------------------------------------------------------
@pytest.fixture(scope="module")
def subpath_server(built_site, tmp_path_factory):
    """The site served at http://127.0.0.1:<port>/intranet/jingyanku/ (a folder of another site)."""
    root = tmp_path_factory.mktemp("subpath")
    (root / "intranet").mkdir()
    os.symlink(built_site, root / "intranet" / "jingyanku")
    httpd = serve(root)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/intranet/jingyanku/"
    httpd.shutdown()
    httpd.server_close()


def test_search_folder_address_under_a_subpath_opens_the_search_page(page, subpath_server):
    page.goto(subpath_server + "search/?q=" + quote("技能") + "&province=330000")
    page.wait_for_url("**/intranet/jingyanku/search.html?q=*")
    got = shown(page)
    assert got["chosen"] == ["浙江省"] and got["titles"] and all("浙江省" in w for w in got["where"])
    page.locator("[data-cg-find-list] a").first.click()
    page.wait_for_url("**/intranet/jingyanku/*/*.html")


def test_the_search_page_from_disk_round_trips_its_address(page, built_site):
    page.goto((built_site / "search.html").as_uri() + "?q=" + quote("技能"))
    everything = shown(page)
    click_facet(page, "年份", "2021 年")
    got = shown(page)
    assert page.url.startswith("file://") and params(page.url) == {"q": "技能", "year": "2021"}
    assert got["titles"] and all(w.endswith("2021年4月8日") for w in got["where"] if not w.startswith(("地区", "主题")))
    page.go_back()
    assert shown(page)["titles"] == everything["titles"]


# Set before the page's own scripts: what the theme (Material) had done when the first result showed.
THEME_AT_FIRST_RESULT = """
window.__themeAtFirst = null;
new MutationObserver(function (changes, observer) {
  const list = document.querySelector('[data-cg-find-list]');
  if (list && list.querySelector('li h2')) { window.__themeAtFirst = typeof window.document$; observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""
THEME_STARTED = "() => typeof window.document$ === 'object'"


def theme_scripts(pg) -> list[str]:
    return pg.evaluate("() => Array.from(document.scripts, s => s.getAttribute('src') || '').filter(s => s.includes('bundle'))")


def test_the_first_results_come_before_the_theme_script_which_then_starts_once(page, server, search):
    page.add_init_script(THEME_AT_FIRST_RESULT)
    page.goto(server + "search.html?q=" + quote("技能"))
    assert shown(page)["titles"]
    assert page.evaluate("() => window.__themeAtFirst") == "undefined"  # results drawn, theme not yet run
    page.wait_for_function(THEME_STARTED)
    assert len(theme_scripts(page)) == 1
    # The page's other scripts came with the theme's, each once.
    loaded = page.evaluate("() => Array.from(document.scripts, s => s.getAttribute('src') || '')")
    assert sorted(u.split("/")[-1] for u in loaded if u.startswith("assets/") and "bundle" not in u) == [
        "filters.js",
        "page.js",
        "results.js",
        "search.js",
    ]
    # The theme works (the header's shadow once the page scrolls), and so do the header box and the page.
    page.mouse.wheel(0, 2000)
    page.wait_for_function("() => document.querySelector('.md-header').classList.contains('md-header--shadow')")
    page.mouse.wheel(0, -2000)
    # DOMContentLoaded, given again for the theme, did not start the header box a second time:
    # one input, one search.
    page.evaluate(
        "() => { const cg = window.cgSearch, search = cg.search; window.__searches = 0;"
        " cg.search = function () { window.__searches++; return search.apply(this, arguments); }; }"
    )
    titles = search(page, "萧山")
    assert titles and len(titles) == len(set(titles))
    assert page.evaluate("() => window.__searches") == 1
    assert page.locator("[data-cg-search-list]").count() == 1
    assert page.locator(".cg-find__toggle").count() == 1


def test_the_index_meta_comes_with_the_page_so_the_query_asks_for_its_shards_at_once(page, server):
    """meta.js and synonyms.js are the search page's own scripts, between search.js and results.js:
    the query finds them delivered and loads them no second time (loaded by search.js, they ran only
    after the page's first layout, and the term shards were asked for after that)."""
    page.goto(server + "search.html?q=" + quote("技能"))
    assert shown(page)["titles"]
    scripts = page.evaluate("() => Array.from(document.body.querySelectorAll('script[src]'), s => s.getAttribute('src'))")
    assert [s.split("/")[-1] for s in scripts[:4]] == ["search.js", "meta.js", "synonyms.js", "results.js"]
    fetched = page.evaluate("() => performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
    assert sorted(u for u in fetched if u.endswith(("/search/meta.js", "/search/synonyms.js"))) == [
        "/search/meta.js",
        "/search/synonyms.js",
    ], "each fetched once"
    everywhere = page.evaluate("() => Array.from(document.scripts, s => s.getAttribute('src') || '')")
    assert sum(s.endswith("search/meta.js") for s in everywhere) == 1, "no second script for meta.js"
    assert any("/search/t/" in u for u in fetched)


@pytest.mark.parametrize("query", ["", "没有这个词语qqq"])
def test_the_theme_script_starts_on_the_search_page_without_results_too(page, server, query):
    page.goto(server + "search.html" + ("?q=" + quote(query) if query else ""))
    page.wait_for_function(DONE + "; }")
    page.wait_for_function(THEME_STARTED, timeout=2000)  # before the fallback of 3 s
    assert len(theme_scripts(page)) == 1


def test_other_pages_load_the_theme_script_as_material_writes_it(page, server):
    page.goto(server + "index.html")
    assert not page.locator("template[data-cg-later]").count()
    page.wait_for_function(THEME_STARTED)
    assert len(theme_scripts(page)) == 1
