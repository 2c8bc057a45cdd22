"""Compilations (汇编): which there are and which the site has, what each holds and in what order,
what the cover says, what the public build leaves out and the preview marks, the links to them, and
the command line.

The site has the Word document of each province (catalogue.PREBUILT); most tests
look at every compilation, built with everything pre-built in both forms (`docs`), which is how
each is made either way. The fixture data/ has nine published records in six provinces; the Word
files are opened with python-docx.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from repo_paths import FIXTURES, REPO

from generator import cli
from generator.engine.build import Paths, generate
from generator.outputs import catalogue

# Every compilation written into the site, as a print page and a Word document.
EVERY = {scope: ("html", "docx") for scope in ("theme", "year", "province", "prefecture", "county", "township")}

HOLDS = {  # what the fixture's compilations hold, in the order they print them
    "theme-skills": ["changzhi-practice", "zhangzi-practice", "minhang-practice", "hostile-values"],
    "theme-skill-competitions": ["chongqing-practice", "wucheng-skills", "zhang-studio"],  # same day: by id,
    "theme-care-assistance": ["jinchang-station", "shanxian-practice", "wucheng-skills"],
    "region-330000": ["hostile-values", "wucheng-skills", "zhang-studio"],
    "region-140000": ["changzhi-practice", "zhangzi-practice"],
    "year-2022": ["shanxian-practice", "changzhi-practice", "zhangzi-practice", "minhang-practice"],  # 山东, 山西, 上海,
}


def generate_into(data: Path, root: Path, *, preview: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    paths = Paths(data=data, config=root / "mkdocs.yml", preview=preview)
    generate(paths)
    return paths.docs


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ with every compilation written into it in both forms."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogue, "PREBUILT", EVERY)
        return generate_into(FIXTURES / "data", tmp_path_factory.mktemp("compilations"))


@pytest.fixture(scope="module")
def site_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ as the site has it: the Word documents of the provinces."""
    return generate_into(FIXTURES / "data", tmp_path_factory.mktemp("site-compilations"))


def headings(path: Path) -> list[str]:
    """The record titles of a Word compilation, in order."""
    document = Document(io.BytesIO(path.read_bytes()))
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]


def held(page: str) -> list[str]:
    """The record ids a print page holds, in order."""
    return re.findall(r'<article class="record" id="r-([a-z0-9-]+)"', page)


def read(docs: Path, name: str) -> str:
    return (docs / "compilations" / name).read_text(encoding="utf-8")


def edit(data: Path, rel: str, **fields: object) -> None:
    path = data / rel
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(fields)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- which there are -------------------------------------------------------------------------------


def test_the_site_has_the_word_document_of_each_province_and_says_how_to_make_the_others(
    site_docs: Path,
) -> None:
    names = sorted(p.name for p in (site_docs / "compilations").iterdir())
    provinces = ["140000", "310000", "330000", "370000", "500000", "620000"]
    assert names == sorted(["index.md", *(f"region-{c}.docx" for c in provinces)])
    assert headings(site_docs / "compilations" / "region-140000.docx") == ["长治市推进产改", "长子县班组长培训"]
    province = (site_docs / "regions" / "330000.md").read_text(encoding="utf-8")
    assert "汇编：浙江省经验做法汇编（3 条）· [Word 文档](../compilations/region-330000.docx)" in province
    assert "`python -m generator compile --region 330000 --out 文件名.html`" in province  # the print page, on demand
    city = (site_docs / "regions" / "330700.md").read_text(encoding="utf-8")
    assert (
        "汇编：浙江省金华市经验做法汇编（2 条）按需生成，不随网站发布：网站编辑运行 "
        "`python -m generator compile --region 330700` 即得 Word 文档，加 `--out 文件名.html` 得打印版。"
    ) in city
    theme = (site_docs / "themes" / "skills.md").read_text(encoding="utf-8")
    assert "`python -m generator compile --theme skills`" in theme and "compilations/" not in theme
    assert "compile --theme rights" not in (site_docs / "themes" / "rights.md").read_text(encoding="utf-8")  # no record
    index = read(site_docs, "index.md")
    assert "- 浙江省（3 条）· [Word 文档](region-330000.docx)" in index
    assert "    - 金华市（2 条）：`python -m generator compile --region 330700`" in index  # under 浙江省
    assert "- 素质提升（4 条）：`python -m generator compile --theme skills`" in index
    assert "- 2022年（4 条）：`python -m generator compile --year 2022`" in index


def test_every_theme_region_and_year_with_a_record_has_a_print_page_and_a_word_file(docs: Path) -> None:
    names = sorted(p.name for p in (docs / "compilations").iterdir())
    stems = sorted({n.rsplit(".", 1)[0] for n in names if n not in ("index.md", "compilation.css")})
    pages = sorted(f"{s}{suffix}" for s in stems for suffix in (".docx", ".html"))
    assert names == sorted(["index.md", "compilation.css", *pages])  # one stylesheet serves every print page
    themes = {s for s in stems if s.startswith("theme-")}
    assert themes == {"theme-skills", "theme-skill-competitions", "theme-care-assistance"}  # rights has no record
    regions = {s.removeprefix("region-") for s in stems if s.startswith("region-")}
    assert {"330000", "330700", "330702", "500000", "500115"} <= regions and "330200" not in regions
    assert {s for s in stems if s.startswith("year-")} == {"year-2021", "year-2022", "year-2023", "year-2024"}


@pytest.mark.parametrize("name", HOLDS)
def test_a_compilation_holds_its_records_by_region_then_date_then_id(docs: Path, name: str) -> None:
    assert held(read(docs, f"{name}.html")) == HOLDS[name]


def test_the_cover_names_the_compilation_the_day_of_its_newest_record_its_count_and_its_order(docs: Path) -> None:
    page = read(docs, "theme-care-assistance.html")
    assert "<title>关爱帮扶主题经验做法汇编</title>" in page and '<html lang="zh-CN">' in page
    assert '<h1 id="cover-title">关爱帮扶主题经验做法汇编</h1>' in page
    assert "<dt>编印日期</dt><dd>2024年11月5日</dd>" in page  # jinchang-station, the newest of the three
    assert "<dt>收录</dt><dd>共 3 条（经验做法 2 条，典型案例 1 条）</dd>" in page
    assert "按地区排列（省、市、县依次按拼音排序，本级记录在下辖地区之前），同一地区按日期先后排列（同日按记录编号）" in page
    assert '<h1 id="cover-title">浙江省金华市婺城区经验做法汇编</h1>' in read(docs, "region-330702.html")
    assert "<title>2022年经验做法汇编</title>" in read(docs, "year-2022.html")


def test_each_record_is_printed_whole_with_figures_as_recorded_and_sources_in_full(docs: Path) -> None:
    page = read(docs, "region-330702.html")
    block = page[page.index('id="r-wucheng-skills"') :]
    block = block[: block.index("</article>")]
    for text in [
        '<a href="../practices/wucheng-skills.html">婺城区以技能比赛拓宽晋升通道</a>',
        "<dd>浙江省 金华市 婺城区</dd>",
        "<p>婺城区通过技能比赛和培训，让一线工人从“工”走向“匠”。</p>",
        "<p>去年新增高技能人才1185人。</p>",
        "<h4>以赛促学</h4>",
        '<td class="figure">1338余万元</td>',
        "<li>《关于深化产业工人队伍建设改革的意见》，中共中央 国务院</li>",
        '<li><a href="../cases/zhang-studio.html">',
        "周垚：《暢通晉升通道 保障工人權益》，金华新闻网，2021年4月8日。",
        '<a class="url" href="https://example.org/news?id=1&amp;x=(2)">https://example.org/news?id=1&amp;x=(2)</a>',
    ]:
        assert text in block, text
    toc = page[page.index('<nav class="toc"') : page.index("</nav>", page.index('<nav class="toc"'))]
    assert toc.count("<li>") == 2 and '<a href="#r-wucheng-skills">' in toc


def test_values_from_yaml_are_text_in_the_print_page(docs: Path) -> None:
    page = read(docs, "theme-skills.html")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<title>") == 1


def test_the_index_lists_every_compilation_by_theme_provinces_and_cities_and_year_and_the_site_links_to_them(
    docs: Path,
) -> None:
    index = read(docs, "index.md")
    assert "- 素质提升（4 条）· [Word 文档](theme-skills.docx) · [打印版](theme-skills.html)" in index
    assert "    - 劳动和技能竞赛（3 条）· [Word 文档](theme-skill-competitions.docx)" in index
    assert "- 浙江省（3 条）· [Word 文档](region-330000.docx)" in index
    assert "    - 金华市（2 条）· [Word 文档](region-330700.docx)" in index  # under 浙江省
    # A county's compilation is on the county's page, as the region index leaves counties to their city's page:
    # the index does not grow with the number of counties.
    assert "region-330702" not in index
    county = (docs / "regions" / "330702.md").read_text(encoding="utf-8")
    assert (
        "汇编：浙江省金华市婺城区经验做法汇编（2 条）· [Word 文档](../compilations/region-330702.docx) · [打印版](../compilations/region-330702.html)"
        in county
    )
    assert index.index("[Word 文档](year-2024.docx)") < index.index("[Word 文档](year-2021.docx)")
    assert "[汇编](compilations/index.md)" in (docs / "index.md").read_text(encoding="utf-8")
    theme = (docs / "themes" / "skills.md").read_text(encoding="utf-8")
    assert "汇编：素质提升主题经验做法汇编（4 条）· [Word 文档](../compilations/theme-skills.docx)" in theme
    assert "[打印版](../compilations/theme-skills.html)" in theme
    assert "compilations/" not in (docs / "themes" / "rights.md").read_text(encoding="utf-8")
    region = (docs / "regions" / "330700.md").read_text(encoding="utf-8")
    assert "[打印版](../compilations/region-330700.html)" in region


def test_the_word_file_holds_the_cover_and_every_record_in_the_same_order(docs: Path, site_docs: Path) -> None:
    document = Document(io.BytesIO((docs / "compilations" / "theme-skills.docx").read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "素质提升主题经验做法汇编" in text
    titles = ["长治市推进产改", "长子县班组长培训", "闵行区3D打印实训", "</title><script>alert(1)</script>"]
    assert headings(docs / "compilations" / "theme-skills.docx") == titles
    for name in ("region-330000.docx", "region-140000.docx"):  # the site's own are the same files
        assert (site_docs / "compilations" / name).read_bytes() == (docs / "compilations" / name).read_bytes()


# --- published and drafts ------------------------------------------------------------------------


def test_the_public_build_leaves_unpublished_records_out_and_the_preview_marks_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    edit(data, "practices/zhangzi-practice.yaml", status="draft")
    edit(data, "practices/shanxian-practice.yaml", status="reviewed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogue, "PREBUILT", EVERY)
        public = generate_into(data, tmp_path / "public")
    assert held(read(public, "region-140000.html")) == ["changzhi-practice"]
    assert "共 1 条（经验做法 1 条）" in read(public, "region-140000.html")
    assert not (public / "compilations" / "region-140428.html").exists()  # 长子县 holds only the draft
    assert not (public / "compilations" / "region-370000.docx").exists()
    assert "- 长治市（1 条）· [Word 文档](region-140400.docx)" in read(public, "index.md")
    site = generate_into(data, tmp_path / "site")
    assert headings(site / "compilations" / "region-140000.docx") == ["长治市推进产改"]
    assert "- 长治市（1 条）：`python -m generator compile --region 140400`" in read(site, "index.md")

    # The preview site makes no compilations (what officials take away comes from the published site);
    # `compile --preview` makes one with every record, the unpublished ones marked.
    preview = generate_into(data, tmp_path / "preview", preview=True)
    assert [p.name for p in (preview / "compilations").iterdir()] == ["index.md"]  # which says where they are made
    out = tmp_path / "out"
    out.mkdir()
    for region, name in (("140000", "shanxi"), ("371722", "shanxian")):
        for suffix in (".html", ".docx"):
            assert (
                cli.main(["compile", "--data", str(data), "--preview", "--region", region, "--out", str(out / f"{name}{suffix}")])
                == 0
            )
    page = (out / "shanxi.html").read_text(encoding="utf-8")
    assert held(page) == ["changzhi-practice", "zhangzi-practice"]
    assert "其中草稿 1 条，已在标题处标注" in page
    assert "【草稿】长子县班组长培训" in page and "本条为草稿，尚未审核" in page
    assert "【已审核，待发布】单县工会驿站" in (out / "shanxian.html").read_text(encoding="utf-8")
    document = Document(io.BytesIO((out / "shanxi.docx").read_bytes()))
    assert any(p.text.startswith("【草稿】") for p in document.paragraphs)


# --- the command line ----------------------------------------------------------------------------


def compile_(*args: str) -> int:
    return cli.main(["compile", "--data", str(FIXTURES / "data"), *args])


def test_compile_writes_a_word_file_named_after_the_compilation(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert compile_("--theme", "skills") == 0
    written = tmp_path / "素质提升主题经验做法汇编.docx"
    assert "wrote 素质提升主题经验做法汇编.docx: 素质提升主题经验做法汇编, 4 record(s)" in capsys.readouterr().out
    document = Document(io.BytesIO(written.read_bytes()))
    assert "闵行区3D打印实训" in [p.text for p in document.paragraphs]


def test_compile_writes_a_print_page_that_stands_on_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out" / "浙江.html"
    out.parent.mkdir()
    assert compile_("--region", "330000", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert held(page) == HOLDS["region-330000"]
    assert 'href="../' not in page and '<header class="bar">' not in page  # no link into a site it is not in
    assert page.split("<main")[1].count("<article") == len(HOLDS["region-330000"])
    assert "<title>浙江省经验做法汇编</title>" in page and "<dt>编印日期</dt><dd>2023年4月11日</dd>" in page


@pytest.mark.parametrize(
    "args, message",
    [
        (["--theme", "skils"], "error: no theme 'skils' in themes.yaml; did you mean 'skills'?"),
        (["--theme", "rights"], "error: theme 'rights' (权益维护) has no published record: there is nothing to compile"),
        (["--region", "339999"], "error: no region with code '339999' (GB/T 2260 codes are in data/regions/)"),
        (["--region", "330200"], "error: region 330200 (宁波市) has no published record, nor do the regions under it"),
        (["--year", "1999"], "error: no published record is dated in 1999 (years with records: 2024, 2023, 2022, 2021)"),
        (["--year", "20x1"], "error: '20x1' is not a year: give four digits, for example 2023"),
        (["--year", "2022", "--out", "x.pdf"], "error: --out x.pdf: the file name must end in .docx or .html"),
    ],
)
def test_compile_says_why_when_there_is_nothing_to_compile(tmp_path: Path, monkeypatch, capsys, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    assert compile_(*args) in (1, 2)
    assert capsys.readouterr().err.strip() == message
    assert list(tmp_path.iterdir()) == []


def test_compile_needs_exactly_one_of_theme_region_and_year(capsys) -> None:
    with pytest.raises(SystemExit):
        compile_("--theme", "skills", "--year", "2022")
    assert "not allowed with argument" in capsys.readouterr().err
