"""The overview (概览): province tiles, records per year and the theme × province table, drawn at
build time as SVG with text tables beside them; the small charts on region and theme pages."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["http", "file"])
def overview(request, page, server, built_site):
    page.goto(server + "overview.html" if request.param == "http" else (built_site / "overview.html").as_uri())
    return page


def test_province_tiles_are_coloured_by_count_and_link_to_their_province(overview):
    tiles = overview.locator(".cg-chart--tiles a")
    labels = tiles.evaluate_all("as => as.map(a => a.getAttribute('aria-label'))")
    assert "浙江 5 条" in labels and "山西 2 条" in labels
    assert overview.locator(".cg-chart--tiles .cg-tile--none").count() == 34 - len(labels)  # none yet: grey, no link
    zhejiang = overview.locator(".cg-chart--tiles a[aria-label='浙江 5 条']")
    assert zhejiang.locator("rect").get_attribute("fill") != overview.locator(
        ".cg-chart--tiles a[aria-label='山西 2 条'] rect"
    ).get_attribute("fill")
    zhejiang.click()
    overview.wait_for_url("**/regions/330000.html")
    assert overview.locator("article h1").inner_text() == "浙江省"


def test_every_chart_has_a_text_table_with_the_same_numbers(overview):
    tables = overview.locator("article table:not(.cg-matrix)")
    provinces = dict(r.split("\t") for r in tables.nth(0).locator("tbody tr").all_inner_texts())
    assert provinces["浙江省"] == "5" and provinces["山西省"] == "2"
    bars = overview.locator(".cg-chart--years text.cg-chart__value").evaluate_all("ts => ts.map(t => t.textContent)")
    years = [r.split("\t")[1] for r in tables.nth(1).locator("tbody tr").all_inner_texts()]
    assert bars == years and sum(map(int, years)) == 11


def test_the_coverage_table_shows_where_themes_are_recorded_and_where_not_yet(overview):
    matrix = overview.locator("table.cg-matrix")
    heads = matrix.locator("thead th").all_inner_texts()
    assert heads[0] == "主题" and "浙江" in heads and heads[-1] == "暂无的省份"
    row = matrix.locator("tbody tr", has=overview.locator("th a", has_text="素质提升"))
    cells = row.locator("td").all_inner_texts()
    assert "–" in cells[:-1] and any(c.isdigit() and c != "0" for c in cells[:-1])
    # The wide table scrolls on its own and takes focus to be scrolled from the keyboard.
    region = overview.locator(".cg-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"


def test_region_and_theme_pages_have_their_small_charts(page, server):
    page.goto(server + "regions/330000.html")
    assert page.locator(".cg-chart--bars svg").get_attribute("aria-label").startswith("下辖地区记录数：")
    assert "年" in page.locator(".cg-chart--years svg").get_attribute("aria-label")
    page.goto(server + "themes/skills.html")
    assert page.locator(".cg-chart--years svg").count() == 1
