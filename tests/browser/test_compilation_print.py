"""A compilation printed: Chromium's own PDF of the print page holds the cover, the contents and
every record in order, and nothing of a site around it (navigation, search, header). The print page
is made on demand (`python -m generator compile --out NAME.html`: the site has the Word documents of
the provinces and years only, catalogue.PREBUILT), from the data of the built fixture site. Read
with pypdf; axe-core checks it as it checks every page of the site."""

from __future__ import annotations

import io

import pytest
from test_accessibility import WIDTHS, axe_violations

from generator import cli

pypdf = pytest.importorskip("pypdf")

TITLES = ["长治市推进产改", "长子县班组长培训", "闵行区3D打印实训", "</title><script>alert(1)</script>"]


def pdf_text(pg) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pg.pdf(format="A4")))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def print_page(built_site, tmp_path_factory):
    out = tmp_path_factory.mktemp("compiled") / "theme-skills.html"
    assert cli.main(["compile", "--data", str(built_site.parent / "data"), "--theme", "skills", "--out", str(out)]) == 0
    return out


@pytest.fixture
def compilation(page, print_page):
    page.goto(print_page.as_uri())
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
    assert pg.locator("main#main").count() == 1
    pg.keyboard.press("Tab")
    skip = pg.locator("a.skip")
    assert skip.evaluate("e => e === document.activeElement") and skip.is_visible()
    levels = pg.eval_on_selector_all("h1, h2, h3, h4", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation_on_the_print_page(compilation, width):
    compilation.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    assert axe_violations(compilation) == []


def test_the_word_documents_of_the_provinces_are_served(page, server):
    for path in ("compilations/region-330000.docx", "compilations/region-140000.docx"):
        response = page.request.get(server + path)
        assert response.ok and response.body()[:2] == b"PK"
