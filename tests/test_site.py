"""The fixture site built with mkdocs build --strict, read as HTML."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from projects import change_setting
from repo_paths import BAD, FIXTURES, REPO

from generator.engine.build import Paths, build_site, mkdocs_build
from generator.sources.problems import DataError

pytestmark = pytest.mark.slow


class Links(HTMLParser):
    """Collects every URL a page references, and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append((tag, value))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    shutil.copy(REPO / "mkdocs.yml", root)
    shutil.copytree(REPO / "overrides", root / "overrides")
    build_site(Paths(data=FIXTURES / "data", config=root / "mkdocs.yml"))
    return root / "site"


def pages(site: Path, *, with_404: bool = True) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if with_404 or p.name != "404.html")


def test_every_record_region_and_theme_has_a_page(site: Path) -> None:
    for path in [
        "practices/wucheng-skills.html",
        "cases/zhang-studio.html",
        "regions/330702.html",
        "regions/330000.html",
        "themes/care-assistance.html",
        "titles.html",
        "regions/index.html",
    ]:
        assert (site / path).is_file(), path


def test_no_value_from_yaml_becomes_markup(site: Path) -> None:
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html, page
    text = "".join(parse(site / "practices" / "hostile-values.html").text)
    assert "</title><script>alert(1)</script>" in text  # shown to the reader as plain text
    assert "<img src=x onerror=alert(1)> | pipe [link](http://evil.example) *stars* `code`" in text


# 404.html is served by the web server at any depth, so MkDocs gives it root-relative URLs by design.
def test_every_local_link_resolves(site: Path) -> None:
    for page in pages(site, with_404=False):
        for _tag, url in parse(page).urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.exists(), f"{page.relative_to(site)} -> {url}"


def test_pages_load_nothing_from_other_hosts(site: Path) -> None:
    for page in pages(site):
        for tag, url in parse(page).urls:
            if tag == "a":
                continue  # links to sources are for the reader to follow, not loaded
            assert not urlsplit(url).scheme and not url.startswith("//"), f"{page.relative_to(site)} loads {url}"


def test_links_are_relative_so_any_subpath_works(site: Path) -> None:
    for page in pages(site, with_404=False):
        for _tag, url in parse(page).urls:
            assert not url.startswith("/"), f"{page.relative_to(site)} has root-relative {url}"


TITLES_IN_PINYIN_ORDER = [
    "长治市推进产改",
    "重慶市長壽區職工技能比武",
    "金昌市工会驿站",
    "闵行区3D打印实训",
    "单县工会驿站",
    "婺城区以技能比赛拓宽晋升通道",
    "张小彬技能大师工作室",
    "长子县班组长培训",
]


def test_title_index_lists_every_title_in_pinyin_order_under_letters_it_jumps_to(site: Path) -> None:
    index = parse(site / "titles.html")
    text = "".join(index.text)
    positions = [text.index(t) for t in TITLES_IN_PINYIN_ORDER]
    assert positions == sorted(positions)
    jumps = [url for _tag, url in index.urls if url.startswith("#letter-")]
    html = (site / "titles.html").read_text(encoding="utf-8")
    assert len(jumps) > 3 and all(f'id="{url[1:]}"' in html for url in jumps)


def test_a_long_title_index_is_in_pinyin_order_over_its_letter_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.model import ordering

    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 3)
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    build_site(Paths(data=FIXTURES / "data", config=tmp_path / "mkdocs.yml"))
    site = tmp_path / "site"
    letter_pages = list(dict.fromkeys(url for _tag, url in parse(site / "titles.html").urls if url.startswith("titles/")))
    assert len(letter_pages) > 3
    text = "".join(t for url in letter_pages for t in parse(site / url).text)
    positions = [text.index(t) for t in TITLES_IN_PINYIN_ORDER]
    assert positions == sorted(positions)


def test_region_page_rolls_up_records_of_sub_regions_but_tabulates_only_its_own_figures(site: Path) -> None:
    province = "".join(parse(site / "regions" / "330000.html").text)
    for title in ["婺城区以技能比赛拓宽晋升通道", "张小彬技能大师工作室"]:
        assert title in province
    assert "1185人" not in province  # a county's figure stays on the county's page, not every page above it
    county = "".join(parse(site / "regions" / "330702.html").text)
    assert "新增高技能人才" in county and "1185人" in county


def test_practice_page_links_region_themes_cases_and_sources(site: Path) -> None:
    links = dict((url, tag) for tag, url in parse(site / "practices" / "wucheng-skills.html").urls)
    for target in ["../regions/330702.html", "../themes/skill-competitions.html", "../cases/zhang-studio.html"]:
        assert target in links
    assert "https://example.org/news?id=1&x=%282%29" in links


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, data_dir: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    paths = Paths(data=data_dir, config=tmp_path / "mkdocs.yml")
    build_site(paths)
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    shutil.copy(BAD / "practices" / "unknown-theme.yaml", data_dir / "practices")
    with pytest.raises(DataError):
        build_site(paths)
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".site-*")), "no temporary build folder is left behind"


def test_a_mkdocs_warning_fails_the_build(tmp_path: Path) -> None:
    # MkDocs 1.6 with --quiet exits 0 on warnings even in strict mode; our build must not.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n\n[断开的链接](nowhere.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="nowhere.md"):
        mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")


def _run(*command: str | Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", *map(str, command)], env=env, capture_output=True, text=True)


@pytest.mark.usefixtures("fixed_build_time")
@pytest.mark.parametrize("parts", [2, 3])
def test_a_clean_build_in_parts_is_the_site_mkdocs_builds(site: Path, tmp_path: Path, parts: int) -> None:
    """Each process renders its share of the pages; together they write what one `mkdocs build` does."""
    from projects import differing, tree

    config = site.parent / "mkdocs.yml"
    assert _run("mkdocs", "build", "--strict", "--quiet", "-f", config, "-d", tmp_path / "bare").returncode == 0
    built = _run("generator.engine.sitebuild", "--config", config, "--out", tmp_path / "parts", "--parts", str(parts))
    assert built.returncode == 0, built.stderr
    assert not differing(tree(tmp_path / "parts"), tree(tmp_path / "bare"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare", "parts"], "a part's folder is left behind"


@pytest.mark.usefixtures("fixed_build_time")
def test_a_rebuild_that_walked_while_the_pages_were_written_is_the_clean_build_of_them(tmp_path: Path) -> None:
    """The rebuild walks docs/ and links the last site while generate still writes (sitebuild's
    `prepare`); told which files were written or removed since, it builds what a clean build of the
    final pages does, though its walks met the pages as they were before."""
    from projects import differing, tree

    docs = tmp_path / "docs"
    pages = {"index.md": "# 首页\n\n[甲](a.md)\n", "a.md": "# 甲\n\n[乙](b.md)\n", "b.md": "# 乙\n", "sub/c.md": "# 丙\n"}
    for rel, text in {**pages, "data.csv": "a,b\n"}.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    # As in the project's: the navigation is fixed and no plugin writes a file of the whole site.
    settings = "site_name: t\nuse_directory_urls: false\nnav: [index.md]\nplugins: []\n"
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    assert _run("generator.engine.sitebuild", "--config", config, "--out", tmp_path / "last").returncode == 0
    temporary = docs / ".a.md.1.tmp"  # a writer's, met by the walk and gone before the build
    temporary.write_text("# 半个文件\n", encoding="utf-8")

    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    command = ["generator.engine.sitebuild", "--config", config, "--out", tmp_path / "work", "--previous", tmp_path / "last"]
    rebuild = subprocess.Popen(
        [sys.executable, "-m", *map(str, command), "--wait"],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert rebuild.stdout is not None and rebuild.stdout.readline().startswith("prepared ")
    temporary.unlink()
    (docs / "a.md").write_text("# 甲（改）\n\n[丁](new/d.md)\n", encoding="utf-8")
    (docs / "b.md").unlink()
    (docs / "new").mkdir()
    (docs / "new" / "d.md").write_text("# 丁\n\n[丙](../sub/c.md)\n", encoding="utf-8")
    (docs / "0.md").write_text("# 零\n", encoding="utf-8")  # sorts before every page it walked
    (docs / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    changed = ["a.md", "b.md", "new/d.md", "0.md", "data.csv"]
    _, err = rebuild.communicate(f"build\n{json.dumps(changed)}\n")
    assert rebuild.returncode == 0, err

    assert _run("mkdocs", "build", "--strict", "--quiet", "-f", config, "-d", tmp_path / "clean").returncode == 0
    assert not differing(tree(tmp_path / "work"), tree(tmp_path / "clean"))
    assert "丁" in (tmp_path / "work" / "a.html").read_text(encoding="utf-8")


def test_a_rebuild_says_the_stamps_of_the_folder_it_built_as_it_is_once_the_index_is_moved_in(tmp_path: Path) -> None:
    """The build saves these stamps for the next one to check site/ against. The rebuild takes the
    stamps of the files it linked from the last site without looking at them again: they must be
    what a walk of the finished folder finds, files added after the build (the search index)
    included."""
    from generator.engine.write import files, site_digest

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in "abc":
        (docs / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\nplugins: []\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    assert _run("generator.engine.sitebuild", "--config", config, "--out", tmp_path / "last").returncode == 0
    (tmp_path / "last" / "search").mkdir()
    (tmp_path / "last" / "search" / "kept.js").write_text("1", encoding="utf-8")

    env = dict(os.environ, PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1")
    work = tmp_path / "work"
    command = ["generator.engine.sitebuild", "--config", config, "--out", work, "--previous", tmp_path / "last", "--wait"]
    rebuild = subprocess.Popen(
        [sys.executable, "-m", *map(str, command)],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert rebuild.stdin is not None and rebuild.stdout is not None
    # Its walk of the last site, which links the files it keeps, stamps them as write.files does.
    assert rebuild.stdout.readline().split() == ["prepared", site_digest(files(tmp_path / "last"), "search")]
    (docs / "b.md").write_text("# b（改）\n", encoding="utf-8")
    rebuild.stdin.write(f"build\n{json.dumps(['b.md'])}\n")
    rebuild.stdin.flush()
    assert rebuild.stdout.readline() == "built\n"
    (work / "search").mkdir()  # as the build moves the index in: a file linked from the last site, one new
    os.link(tmp_path / "last" / "search" / "kept.js", work / "search" / "kept.js")
    (work / "search" / "new.js").write_text("2", encoding="utf-8")
    rebuild.stdin.write("stamp\n")
    rebuild.stdin.flush()
    said = rebuild.stdout.readline().split()
    _, err = rebuild.communicate()
    assert rebuild.returncode == 0, err
    assert os.stat(work / "a.html").st_ino == os.stat(tmp_path / "last" / "a.html").st_ino, "a page not rebuilt is linked"
    assert os.stat(work / "b.html").st_ino != os.stat(tmp_path / "last" / "b.html").st_ino
    assert said == ["stamped", site_digest(files(work), "search")]


def test_a_warning_in_any_part_fails_a_build_in_parts(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    for n in range(6):  # pages in every part
        (tmp_path / "docs" / f"p{n}.md").write_text(f"# {n}\n\n[断开的链接](nowhere{n}.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\n", encoding="utf-8")
    built = _run("generator.engine.sitebuild", "--config", tmp_path / "mkdocs.yml", "--out", tmp_path / "site", "--parts", "2")
    assert built.returncode == 1
    assert all(f"nowhere{n}.md" in built.stderr for n in range(6)), built.stderr


class _Shape(HTMLParser):
    """A page as a browser reads it outside <pre>: its tags and attributes in order, and its text
    with every run of whitespace as one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[object] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.events.append(text)
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.events.append((tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.events.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def test_the_theme_s_indentation_is_left_out_and_nothing_a_reader_sees_changes(site: Path, tmp_path: Path) -> None:
    """overrides/main.html drops the spaces Material's templates put at the start of each line of the
    header, tabs, navigation and footer; the same site built without that gives the same tags,
    attributes and text on every page, in more bytes."""
    root = tmp_path / "as-material-writes-it"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)
    shutil.copytree(REPO / "overrides", root / "overrides")
    main = root / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8")
    assert text.count("{{ tight(super()) }}") == 4
    main.write_text(text.replace("{{ tight(super()) }}", "{{ super() }}"), encoding="utf-8")
    build_site(Paths(data=FIXTURES / "data", config=root / "mkdocs.yml"))
    untrimmed = root / "site"
    saved = []
    for page in pages(site):
        ours, theirs = _Shape(), _Shape()
        ours.feed(page.read_text(encoding="utf-8"))
        theirs.feed((untrimmed / page.relative_to(site)).read_text(encoding="utf-8"))
        assert ours.events == theirs.events, page.relative_to(site).as_posix()
        if 'data-md-component="tabs"' in page.read_text(encoding="utf-8"):  # not the print pages, which are ours whole
            saved.append((untrimmed / page.relative_to(site)).stat().st_size - page.stat().st_size)
    assert len(saved) > 30 and min(saved) > 2000, "each page MkDocs renders is over 2 KB lighter"
    record = (site / "practices" / "wucheng-skills.html").read_text(encoding="utf-8")
    tabs = record[record.index('<nav class="md-tabs"') : record.index("</nav>", record.index('<nav class="md-tabs"'))]
    assert not [line for line in tabs.splitlines() if line[:1].isspace() or not line], "no indented or empty line"


def test_the_pages_a_rebuild_makes_beforehand_share_one_build_date_asked_for_once(tmp_path: Path, monkeypatch) -> None:
    from mkdocs.structure import pages as mkdocs_pages

    from generator.engine import sitebuild

    docs = tmp_path / "docs"
    for rel in ["index.md", "a.md", "z/b.md", "z/c.md"]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# t\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\nplugins: []\n", encoding="utf-8")
    config = sitebuild.load(tmp_path / "mkdocs.yml", tmp_path / "site")
    asked: list[str] = []

    def build_date() -> str:
        asked.append(f"2026-12-0{len(asked) + 1}")
        return asked[-1]

    monkeypatch.setattr(mkdocs_pages, "get_build_date", build_date)
    prepared = sitebuild.prepare(config, tmp_path / "site", tmp_path / "no-previous-site")
    made = [f.page for f in prepared.files if f.page is not None]
    assert len(made) == 4 and {page.update_date for page in made} == {"2026-12-01"} and asked == ["2026-12-01"]
    assert mkdocs_pages.get_build_date is build_date, "MkDocs asks the clock again once the Pages are made"


@pytest.mark.parametrize("directory_urls", [False, True])
def test_the_rebuilds_walk_of_docs_finds_the_files_mkdocs_finds_in_its_order(tmp_path: Path, directory_urls: bool) -> None:
    """sitebuild makes MkDocs' File objects itself, more cheaply (`walked_files`): the same files, in
    get_files' order, with the same paths, addresses and inclusion."""
    from mkdocs.structure.files import File, get_files, set_exclusions

    from generator.engine import sitebuild

    docs = tmp_path / "docs"
    names = ["index.md", "b.md", "a.md", "data.csv", ".hidden.md", "区域/浙江.md", "区域/index.md", "z/y/x.md", "z/a.md"]
    names += ["sub/README.md", "v1.2.md", "a b.md", "x/50%.md", "x/a+b~c.md", "x/.md"]
    for rel in names:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# t\n", encoding="utf-8")
    settings = f"site_name: t\nuse_directory_urls: {str(directory_urls).lower()}\nplugins: []\n"
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    config = sitebuild.load(tmp_path / "mkdocs.yml", tmp_path / "site")

    def described(found) -> list[tuple]:
        return [(f.src_uri, f.abs_src_path, f.dest_uri, f.abs_dest_path, f.url, f.inclusion, f.name) for f in found]

    walked = sitebuild._walk_docs(config)
    made = [File(f.src_uri, f.src_dir, f.dest_dir, f.use_directory_urls) for f in walked]
    assert described(walked) == described(made)  # names and addresses worked out as MkDocs does
    assert [vars(f) for f in walked] == [vars(f) for f in made], "the attributes File's constructor sets"
    set_exclusions(walked, config)
    assert described(walked) == described(get_files(config))


@pytest.mark.usefixtures("fixed_build_time")
def test_the_templates_one_build_compiles_serve_the_next_and_a_damaged_one_is_compiled_again(site: Path, tmp_path: Path) -> None:
    """Jinja keeps the theme's templates compiled in the folder given (--templates): the next build
    reads them instead of compiling them again, one that does not read back is compiled again, a
    folder that cannot be made keeps nothing, and every one of these builds is the site MkDocs
    builds."""
    import jinja2
    from projects import differing, tree

    config, templates = site.parent / "mkdocs.yml", tmp_path / "templates"
    assert _run("mkdocs", "build", "--strict", "--quiet", "-f", config, "-d", tmp_path / "bare").returncode == 0

    def build(out: str) -> dict[str, int]:
        built = _run("generator.engine.sitebuild", "--config", config, "--out", tmp_path / out, "--templates", templates)
        assert built.returncode == 0, built.stderr
        assert not differing(tree(tmp_path / out), tree(tmp_path / "bare"))
        return {p.name: p.stat().st_ino for p in templates.iterdir()} if templates.is_dir() else {}

    compiled = build("first")
    assert len(compiled) > 10, "the page template and the partials it includes"
    assert build("second") == compiled, "nothing compiled again: every file is where it was"
    damaged = templates / sorted(compiled)[0]
    damaged.write_bytes(jinja2.bccache.bc_magic + b"\x80\x05not a pickle")  # Jinja's check passes, its pickle does not
    again = build("third")
    assert again.keys() == compiled.keys() and again[damaged.name] != compiled[damaged.name]
    assert not damaged.read_bytes().endswith(b"not a pickle")
    shutil.rmtree(templates)
    templates.write_text("a file where the folder was", encoding="utf-8")  # nothing can be kept
    build("fourth")


def test_a_rebuild_lists_the_pages_once_and_again_when_a_file_is_added_or_removed(tmp_path: Path) -> None:
    """MkDocs asks its Files for the pages five times a build; a rebuild's Files lists them once,
    and lists them again once MkDocs adds a file (the theme's) or removes one."""
    from mkdocs.structure.files import File, Files, InclusionLevel

    from generator.engine import sitebuild

    def file(rel: str) -> File:
        made = File(rel, str(tmp_path), str(tmp_path / "site"), False)
        made.inclusion = InclusionLevel.INCLUDED
        return made

    walked = sitebuild._walked_files()([file("a.md"), file("data.csv"), file("b.md")])
    plain = Files(list(walked))
    assert (
        [f.src_uri for f in walked.documentation_pages()] == ["a.md", "b.md"] == [f.src_uri for f in plain.documentation_pages()]
    )
    assert walked.documentation_pages() is not walked.documentation_pages(), "each caller gets a list of its own"
    walked.append(file("c.md"))
    assert [f.src_uri for f in walked.documentation_pages()] == ["a.md", "b.md", "c.md"]
    walked.remove(walked.get_file_from_path("a.md"))
    assert [f.src_uri for f in walked.documentation_pages()] == ["b.md", "c.md"]
    assert [f.src_uri for f in walked.documentation_pages(inclusion=InclusionLevel.is_in_serve)] == ["b.md", "c.md"]


def test_the_navigation_and_tabs_of_pages_outside_the_navigation_render_once_per_folder() -> None:
    """Material's navigation and tabs come out the same for every page outside the navigation in
    one folder (their links are relative to it): they render once per folder, and every time for
    a page the navigation holds. The site as a whole is MkDocs' byte for byte (the tests above)."""
    from types import SimpleNamespace

    from generator.engine import sitebuild

    rendered: list[str] = []

    def render(context: dict) -> Iterator[str]:
        rendered.append(context["page"].url)
        yield f"<nav {context['page'].url}>"

    shared = sitebuild._by_folder(render)
    item = SimpleNamespace(active=False)
    nav = SimpleNamespace(items=[item])

    def html(url: str, *, in_nav: bool = False) -> str:
        item.active = in_nav
        return "".join(shared({"page": SimpleNamespace(url=url), "nav": nav}))

    assert html("practices/a.html") == html("practices/b.html") == "<nav practices/a.html>"
    assert html("cases/c.html") == "<nav cases/c.html>"
    assert html("index.html") == "<nav index.html>" and html("guide.html") == "<nav index.html>"
    assert html("overview.html", in_nav=True) == "<nav overview.html>"
    assert html("practices/index.html", in_nav=True) == "<nav practices/index.html>"
    assert rendered == ["practices/a.html", "cases/c.html", "index.html", "overview.html", "practices/index.html"]


def test_the_theme_s_navigation_and_tabs_are_the_partials_shared_by_folder(site: Path, tmp_path: Path) -> None:
    """The sharing reaches the templates MkDocs' theme loads (a new Jinja would show here first)."""
    script = (
        "from generator.engine import sitebuild\n"
        "sitebuild._share_outside_navigation()\n"
        f"config = sitebuild.load({str(site.parent / 'mkdocs.yml')!r}, {str(tmp_path / 'site')!r})\n"
        "env = config.theme.get_env()\n"
        "env.get_template('main.html')\n"
        "print(sorted(name for name in sitebuild.SHARED_OUTSIDE_NAVIGATION"
        " if getattr(env.get_template(name), '_shared_by_folder', False)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['partials/nav.html',", "'partials/tabs.html']"]
