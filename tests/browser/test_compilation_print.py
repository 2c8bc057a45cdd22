"""A compilation printed: Chromium's own PDF of the print page holds the cover, the contents and
every record in order, and nothing of the site around it (navigation, search, header). Read with
pypdf. axe-core checks the page in test_accessibility.py (page_kinds.PAGES)."""

from __future__ import annotations

import io

import pytest

pypdf = pytest.importorskip("pypdf")

TITLES = ["长治市推进产改", "长子县班组长培训", "闵行区3D打印实训", "</title><script>alert(1)</script>"]


def pdf_text(pg) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pg.pdf(format="A4")))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(params=["http", "file"])
def compilation(request, page, server, built_site):
    path = "compilations/theme-skills.html"
    page.goto(server + path if request.param == "http" else (built_site / path).as_uri())
    return page


def test_the_printed_compilation_holds_the_cover_contents_and_records_in_order_and_no_site_chrome(compilation):
    text = pdf_text(compilation)
    flat = "".join(text.split())
    assert flat.startswith("素质提升主题经验做法汇编产改经验库编编印日期2023年4月11日"), flat[:80]
    assert "共4条（经验做法4条）" in flat
    contents = flat.index("目录")
    body = [flat.index(title, contents + 1) for title in TITLES]  # first found in the contents
    records = [flat.index(title, body[-1] + len(TITLES[-1])) for title in TITLES]  # then as headings, in order
    assert body == sorted(body) and records == sorted(records)
    for word in ("跳到正文", "下载Word文档", "搜索", "编辑指南", "首页"):
        assert word not in flat, word
    assert "1338余万元" not in flat  # a figure of another record: only this theme's records


def test_the_print_page_has_a_title_a_language_a_skip_link_and_landmarks(compilation):
    pg = compilation
    assert pg.title() == "素质提升主题经验做法汇编"
    assert pg.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert pg.locator("main#main").count() == 1 and pg.locator("header nav").count() == 1
    pg.keyboard.press("Tab")
    skip = pg.locator("a.skip")
    assert skip.evaluate("e => e === document.activeElement") and skip.is_visible()
    levels = pg.eval_on_selector_all("h1, h2, h3, h4", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_word_file_is_served_beside_the_print_page(page, server):
    response = page.request.get(server + "compilations/theme-skills.docx")
    assert response.ok and response.body()[:2] == b"PK"
