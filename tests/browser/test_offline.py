"""The offline zip: unzipped and opened from file://, it browses, searches and filters."""

from __future__ import annotations

import zipfile

import pytest

from generator.engine.offline import FOLDER, zip_site


@pytest.fixture(scope="module")
def unzipped(built_site, tmp_path_factory):
    out = tmp_path_factory.mktemp("offline")
    archive = zip_site(built_site, out / "site.zip")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert all(n.startswith(FOLDER + "/") for n in names)
        assert not [n for n in names if n.endswith("search_index.json")]
        zf.extractall(out)
    return out / FOLDER


def test_offline_zip_browses_and_searches_from_file(page, unzipped, recorder, search):
    page.goto((unzipped / "index.html").as_uri())
    assert search(page, "技能大师工作室") == ["张小彬技能大师工作室"]
    assert "萧山区推行能级工资集体协商" in search(page, "xs")
    page.wait_for_function("() => document.querySelector('[data-cg-search]').getAttribute('data-cg-excerpts') === 'done'")
    assert page.locator("[data-cg-search-list] mark", has_text="萧山区").count() >= 1  # why it matched, from disk too
    page.locator("[data-cg-search-list] a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://")
    page.locator("nav a", has_text="典型案例").first.click()
    page.wait_for_url("**/cases/index.html*")
    assert all(u.startswith(("file://", "data:", "blob:", "about:")) for u in recorder.requests)


def test_offline_filters_work_from_file(page, unzipped):
    page.goto((unzipped / "practices" / "index.html").as_uri() + "?province=140000")
    page.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    shown = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-cg-filter-results] a')).filter(a => a.getClientRects().length)"
        ".map(a => a.textContent)"
    )
    assert set(shown) == {"长治市推进产改", "长子县班组长培训"}


def test_offline_search_page_narrows_and_keeps_its_address_from_file(page, unzipped):
    page.goto((unzipped / "index.html").as_uri())
    page.fill("#cg-home-q", "技能")
    page.press("#cg-home-q", "Enter")
    page.wait_for_url("file://**/search.html?q=*")
    body = "document.querySelector('[data-cg-find-body]')"
    page.wait_for_function(f"() => {body}.getAttribute('data-cg-facets') === 'done'")
    page.locator(".cg-facet a", has_text="浙江省").click()
    page.wait_for_function(
        f"() => {body}.getAttribute('data-cg-facets') === 'done' && location.search.includes('province=330000')"
    )
    where = page.locator("[data-cg-find-list] .cg-result__where").all_inner_texts()
    assert where and all("浙江省" in w for w in where)
    page.reload()
    page.wait_for_function(f"() => {body}.getAttribute('data-cg-facets') === 'done'")
    assert page.locator("[data-cg-find-list] .cg-result__where").all_inner_texts() == where
