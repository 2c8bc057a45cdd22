"""The everyday loop: an editor saves, builds, previews; every result equals a clean build.

Each story starts from a project folder whose site was built once (a small synthetic corpus
over two provinces, tests/projects.py), does what an editor does, runs the command an editor
runs, and compares docs/ and site/ file for file, byte for byte, with a clean build of the same
data/: `build_site(paths, full=True)` in a fresh folder at another path (no .cache/, docs/ or
site/). Only the public behaviour is used (build.Paths, build.build_site, offline.main, the
command line, the served pages), so the stories hold whatever the build does inside.

No file is allowed to differ from a clean build. SOURCE_DATE_EPOCH is fixed for every build:
MkDocs writes the build time into sitemap.xml.gz's gzip header otherwise (sitemap.xml itself
carries no date, as mkdocs.yml has no site_url).

Files an incremental build did not need to change keep their bytes and mtime in docs/.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import (
    CleanBuilds,
    Project,
    assert_like_clean,
    assert_unchanged_files_keep_their_mtime,
    assert_untouched,
    change_setting,
    differing,
    fetch,
    free_port,
    read_yaml,
    stamps,
    tree,
    write_yaml,
)

from generator import cli
from generator.engine import offline
from generator.sources.problems import DataError

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_build_time")]


@pytest.fixture
def project(sample: Path, tmp_path: Path) -> Project:
    """A project whose site was built once (`make site`)."""
    project = Project(tmp_path / "project", sample)
    project.build()
    return project


# --- a practice that a case names, and the case ------------------------------------------------------


def named_practice(p: Project) -> Path:
    named = {n for case in p.files("cases") for n in read_yaml(case)["practices"]}
    return next(path for path in p.files("practices") if path.stem in named)


def a_case(p: Project) -> Path:
    return p.files("cases")[0]


def edit_summary(p: Project) -> None:
    p.edit(named_practice(p), lambda r: r.update(summary=r["summary"] + "另据统计，参训职工逐年增加。"))


def edit_title(p: Project) -> None:
    p.edit(named_practice(p), lambda r: r.update(title="修订：" + r["title"]))


def move_to_another_year(p: Project) -> None:
    """Out of one year's compilation and into another's."""
    p.edit(named_practice(p), lambda r: r.update(date=r["date"].replace(year=r["date"].year - 3)))


def edit_case_title(p: Project) -> None:
    """The practices that name the case print its title in their compilations too."""
    p.edit(a_case(p), lambda r: r.update(title="修订：" + r["title"]))


def add_practice(p: Project) -> None:
    record = read_yaml(named_practice(p))
    record.update(id="added-practice", title="新增的经验做法：班组长轮训", region="330109")
    write_yaml(p.data / "practices" / "added-practice.yaml", record)


def delete_case(p: Project) -> None:
    a_case(p).unlink()


def delete_practice(p: Project) -> None:
    """As an editor would: the cases that name it stop naming it."""
    gone = named_practice(p)
    gone.unlink()
    for case in p.files("cases"):
        p.edit(case, lambda r: r.update(practices=[n for n in r["practices"] if n != gone.stem]))


def rename_practice(p: Project) -> None:
    """File and id renamed; the cases that name it follow."""
    old = named_practice(p)
    p.edit(old, lambda r: r.update(id="renamed-practice"))
    old.rename(old.with_name("renamed-practice.yaml"))
    for case in p.files("cases"):
        p.edit(case, lambda r: r.update(practices=["renamed-practice" if n == old.stem else n for n in r["practices"]]))


def letter_pages(p: Project, folder: str = "titles") -> dict[str, list[str]]:
    """The pages of an A–Z listing in docs/ -> the ids of the records they list, in order."""
    link = re.compile(r"^- \[.*\]\((?:\.\./)+(?:practices/|cases/)?([a-z0-9-]+)\.md\)", re.M)
    return {page.stem: link.findall(page.read_text(encoding="utf-8")) for page in sorted((p.docs / folder).glob("*.md"))}


def record_file(p: Project, ident: str) -> Path:
    return next(path for kind in ("practices", "cases") for path in p.files(kind) if path.stem == ident)


def retitle_to_another_letter(p: Project) -> None:
    """The title now starts like the first title of another letter's page."""
    moved = named_practice(p)
    other = next(ids[0] for ids in letter_pages(p).values() if moved.stem not in ids)
    title = read_yaml(record_file(p, other))["title"]
    p.edit(moved, lambda r: r.update(title=title + "（又一）"))


def rename_region(p: Project) -> None:
    """The county of a record gets another name (one more character, one more syllable)."""
    code = read_yaml(named_practice(p))["region"]
    province = p.data / "regions" / f"{code[:2]}0000.yaml"

    def change(regions: list[dict]) -> None:
        region = next(r for r in regions if r["code"] == code)
        region.update(name="新" + region["name"], pinyin="xin1 " + region["pinyin"])

    p.edit(province, change)


def rename_theme(p: Project) -> None:
    theme = read_yaml(named_practice(p))["themes"][0]
    p.edit(p.data / "themes.yaml", lambda themes: next(t for t in themes if t["id"] == theme).update(name="新的主题名称"))


STORIES: dict[str, Callable[[Project], None]] = {
    "a record's summary edited": edit_summary,
    "a record's title edited": edit_title,
    "a record moved to another year": move_to_another_year,
    "a case's title edited": edit_case_title,
    "a record added": add_practice,
    "a record deleted": delete_case,
    "a record others name deleted, and the names removed": delete_practice,
    "a record's file and id renamed, and the names that point to it": rename_practice,
    "a region's name changed": rename_region,
    "a theme's name changed": rename_theme,
}


# --- the stories --------------------------------------------------------------------------------------


def test_building_twice_writes_no_page_and_gives_the_same_site(project: Project, clean: CleanBuilds) -> None:
    docs, site = stamps(project.docs), tree(project.site)
    report = project.build()
    assert report.written == [] and report.removed == []
    assert stamps(project.docs) == docs, "the second build touched docs/"
    assert not differing(tree(project.site), site), "the second build gave another site/"
    assert_like_clean(project, clean.of(project.data))


def test_a_static_file_of_docs_reaches_the_site_as_a_link_that_keeps_its_bytes_when_docs_changes(
    project: Project, clean: CleanBuilds
) -> None:
    # MkDocs would copy records.json and the other downloads whole on every edit (415 MB at 100,000
    # records); the site links the file generate wrote, which generate only ever replaces.
    edit_title(project)
    project.build()
    docs, site = project.docs / "downloads" / "records.json", project.site / "downloads" / "records.json"
    assert site.stat().st_ino == docs.stat().st_ino, "copied, not linked"
    import material

    theme = Path(material.__file__).parent / "templates"
    bundle = next((theme / "assets" / "javascripts").glob("bundle.*.min.js"))
    in_site = project.site / bundle.relative_to(theme)
    assert in_site.read_bytes() == bundle.read_bytes() and not in_site.samefile(bundle), "the theme's package linked"
    shown = site.read_bytes()
    edit_title(project)
    project.generate()  # docs/ changes; site/ is the last build's until the next one
    assert docs.read_bytes() != shown and site.read_bytes() == shown
    project.build()
    assert_like_clean(project, clean.of(project.data))


def test_a_build_keeps_the_segmenters_dictionary_table_in_the_projects_cache(project: Project) -> None:
    # Read back by the next build that updates the search index, in a fifth of jieba's own time.
    assert [p.name for p in project.paths.cache.parent.glob("jieba-*.cache")], "not in .cache/"


@pytest.mark.parametrize("story", STORIES)
def test_an_edit_then_a_build_equals_a_clean_build(project: Project, clean: CleanBuilds, story: str) -> None:
    before = stamps(project.docs)
    STORIES[story](project)
    project.build()
    assert_like_clean(project, clean.of(project.data), when=story)
    assert_unchanged_files_keep_their_mtime(before, stamps(project.docs), when=story)


@pytest.mark.parametrize("with_an_edit", [False, True], ids=["nothing else changed", "and a record edited"])
def test_a_site_page_changed_or_deleted_by_hand_is_put_right_by_the_next_build(
    project: Project, clean: CleanBuilds, with_an_edit: bool
) -> None:
    """The build takes the last site as the base of a rebuild only while its files are as the last
    build left them; a page someone changed or deleted there is built again."""
    pages = sorted(project.site.glob("practices/*.html"))
    pages[0].write_text("<p>改过的页面</p>", encoding="utf-8")
    pages[1].unlink()
    if with_an_edit:
        edit_summary(project)
    project.build()
    assert_like_clean(project, clean.of(project.data))


def test_a_title_that_moves_a_record_to_another_letters_page_builds_like_a_clean_build(
    project: Project, clean: CleanBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the titles listed a page per letter (past ordering.WHOLE_LISTING), a new title takes
    the record from one letter's page to another's."""
    from generator.model import ordering

    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 0)
    project.build()
    before = stamps(project.docs)
    moved = named_practice(project).stem
    was = [letter for letter, ids in letter_pages(project).items() if moved in ids]
    retitle_to_another_letter(project)
    project.build()
    now = [letter for letter, ids in letter_pages(project).items() if moved in ids]
    assert len(was) == len(now) == 1 and was != now
    assert_like_clean(project, clean.of(project.data))
    assert_unchanged_files_keep_their_mtime(before, stamps(project.docs))


def test_a_letter_grown_past_the_page_size_is_cut_in_two_like_a_clean_build_cuts_it(
    project: Project, clean: CleanBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sizes are constants of the build (ordering.WHOLE_LISTING and PART_SIZE, 300 each): here
    the titles have a page per letter, the largest letter just fits on its page, and a record added
    at its end starts the letter's second page."""
    from generator.model import ordering

    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 0)
    project.build()
    letter, ids = max(letter_pages(project).items(), key=lambda item: len(item[1]))
    change_setting(monkeypatch, ordering, "PART_SIZE", len(ids))
    project.build()
    record = read_yaml(record_file(project, ids[-1]))
    record.update(id="one-more", title=record["title"] + "（又一）")
    kind = "practices" if "cases" in record else "cases"
    write_yaml(project.data / kind / "one-more.yaml", record)
    before = stamps(project.docs)
    project.build()
    assert letter_pages(project)[f"{letter}-2"] == ["one-more"]
    assert_like_clean(project, clean.of(project.data))
    assert_unchanged_files_keep_their_mtime(before, stamps(project.docs))


def break_yaml(p: Project, path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "title: [unclosed\n", encoding="utf-8")


def restore(original: str) -> Callable[[Project, Path], None]:
    return lambda p, path: path.write_text(original, encoding="utf-8")


def unknown_region(p: Project, path: Path) -> None:
    p.edit(path, lambda r: r.update(region="339999"))


def another_region_and_title(p: Project, path: Path) -> None:
    p.edit(path, lambda r: r.update(region="330702", title="修订：" + r["title"]))


@pytest.mark.parametrize(
    "mistake", ["invalid YAML, fixed by restoring the file", "an unknown region, fixed with another region and title"]
)
def test_a_broken_record_fails_the_build_and_leaves_docs_and_site_alone_until_fixed(
    project: Project, clean: CleanBuilds, mistake: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = named_practice(project)
    breaks, fixes = {
        "invalid YAML, fixed by restoring the file": (break_yaml, restore(path.read_text(encoding="utf-8"))),
        "an unknown region, fixed with another region and title": (unknown_region, another_region_and_title),
    }[mistake]
    before = project.outputs()
    breaks(project, path)
    with pytest.raises(DataError) as caught:
        project.build()
    assert any(p.path.endswith(path.name) for p in caught.value.errors), caught.value.problems
    assert_untouched(before, project.outputs(), when="build_site")

    code = cli.main(["build", "--data", str(project.data), "--config", str(project.paths.config)])
    assert code == 1 and path.name in capsys.readouterr().err
    assert_untouched(before, project.outputs(), when="python -m generator build")

    fixes(project, path)
    project.build()
    assert_like_clean(project, clean.of(project.data))


def test_a_build_that_fails_after_the_search_step_leaves_the_next_build_right(
    project: Project, clean: CleanBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search step keeps what it wrote in the cache; if the site is then not swapped in, the
    next build must not patch the old site's index as if it were the new one."""
    from generator.engine import build

    edit_summary(project)

    def fail(*_: object, **__: object) -> None:
        raise OSError("the disk filled up while the site was swapped in")

    with monkeypatch.context() as patched:
        patched.setattr(build, "swap_dir", fail)
        with pytest.raises(OSError):
            project.build()
    edit_title(project)
    project.build()
    assert_like_clean(project, clean.of(project.data))


def test_the_last_site_a_rebuild_sets_aside_is_where_the_next_rebuild_starts(project: Project, clean: CleanBuilds) -> None:
    """A rebuild moves the last site's tree to the trash instead of removing its files on the way
    out; the next rebuild takes that tree and brings it up to date, instead of linking every file
    anew into an empty folder and removing the old tree."""
    trash = project.paths.trash
    edit_summary(project)
    project.build()
    (aside,) = trash.iterdir()
    assert (aside / "index.html").is_file() and (aside / "search").is_dir(), "the whole of the last site"
    folders = {rel: os.stat(aside / rel).st_ino for rel in ("practices", "search", "search/d")}
    edit_title(project)
    project.build()
    assert not aside.exists(), "taken by the next build"
    assert {rel: os.stat(project.site / rel).st_ino for rel in folders} == folders, "the site is that tree, brought up to date"
    assert len(list(trash.iterdir())) == 1, "only the site before this one"
    assert_like_clean(project, clean.of(project.data))


def tamper(tree: Path) -> None:
    """What could have happened to a tree in the trash: a build killed while it was being
    emptied, or someone who went through .cache/."""
    pages = sorted(tree.glob("practices/*.html"))
    pages[0].unlink()  # gone
    pages[1].unlink()
    pages[1].write_text("<p>另一个文件</p>", encoding="utf-8")  # another file by that name
    (tree / "practices" / "stray.html").write_text("<p>多出来的</p>", encoding="utf-8")
    shutil.rmtree(tree / "cases")
    (tree / "cases").write_text("一个文件，不是文件夹", encoding="utf-8")
    shutil.rmtree(tree / "search" / "d")
    (tree / "regions" / "linked.html").symlink_to(tree / "index.html")
    (tree / "downloads").rename(tree / "elsewhere")


def test_a_tree_in_the_trash_damaged_since_still_gives_the_site_a_clean_build_gives(project: Project, clean: CleanBuilds) -> None:
    edit_summary(project)
    project.build()
    (aside,) = project.paths.trash.iterdir()
    tamper(aside)
    edit_title(project)
    project.build()
    assert_like_clean(project, clean.of(project.data))
    edit_summary(project)
    project.build()
    assert_like_clean(project, clean.of(project.data))


def zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def test_make_offline_after_make_site_zips_what_a_clean_project_zips(project: Project, sample: Path, tmp_path: Path) -> None:
    edit_title(project)
    project.build()  # make site
    ours = tmp_path / "ours.zip"
    assert offline.main(["--data", str(project.data), "--config", str(project.paths.config), "--out", str(ours)]) == 0

    fresh = Project(tmp_path / "fresh", sample)
    edit_title(fresh)
    theirs = tmp_path / "theirs.zip"
    assert offline.main(["--data", str(fresh.data), "--config", str(fresh.paths.config), "--out", str(theirs)]) == 0

    assert not differing(zip_entries(ours), zip_entries(theirs)), "the zips hold other files or other bytes"
    assert ours.read_bytes() == theirs.read_bytes()


def test_a_zip_cut_short_leaves_the_last_whole_zip_and_no_part_file(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.build()
    out = tmp_path / "offline.zip"
    offline.zip_site(project.paths.site, out)
    whole = out.read_bytes()
    read, count = Path.read_bytes, 0

    def fails_at_the_tenth_file(path: Path) -> bytes:
        nonlocal count
        count += 1
        if count == 10:
            raise OSError(28, "No space left on device")
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", fails_at_the_tenth_file)
    with pytest.raises(OSError):
        offline.zip_site(project.paths.site, out)
    monkeypatch.undo()
    assert out.read_bytes() == whole
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("offline")) == ["offline.zip"]


# --- the live preview ---------------------------------------------------------------------------------


def seconds_until(predicate: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until predicate() held (polled every 0.2 s), or None after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return time.monotonic() - start
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return None


class Preview:
    """`python -m generator serve` running on a project."""

    def __init__(self, project: Project, url: str, log: Path):
        self.project, self.url, self.log = project, url, log

    def page_of(self, record: Path) -> str:
        return fetch(f"{self.url}{record.parent.name}/{record.stem}.html")

    def save_title(self, record: Path, title: str) -> float | None:
        """Save a new title; seconds until the served page shows it (None after a minute)."""
        self.project.edit(record, lambda r: r.update(title=title))
        return seconds_until(lambda: title in self.page_of(record), timeout=60)

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8")[-2000:]


@pytest.fixture(scope="module")
def preview(sample: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("preview")
    project = Project(root / "project", sample)
    port = free_port()
    log_path = root / "serve.log"
    command = ["serve", "--data", str(project.data), "--config", str(project.paths.config), "--dev-addr", f"127.0.0.1:{port}"]
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "generator", *command], cwd=root, stdout=log, stderr=subprocess.STDOUT)
        preview = Preview(project, f"http://127.0.0.1:{port}/", log_path)
        try:
            record = named_practice(project)
            title = read_yaml(record)["title"]
            assert seconds_until(lambda: title in preview.page_of(record), timeout=90) is not None, (
                f"the preview never came up:\n{preview.log_tail()}"
            )
            yield preview
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_a_saved_title_reaches_the_preview(preview: Preview) -> None:
    record = named_practice(preview.project)
    seconds = preview.save_title(record, "预览中修订的标题：班组长轮训")
    assert seconds is not None, f"the saved title was not served after 60 s:\n{preview.log_tail()}"


def search_titles(browser, url: str, query: str) -> list[str]:
    """Open url, type query into the header search box; the titles of the results, in order.

    A search that never finishes (no index to load) finds nothing.
    """
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(5000)
        page.goto(url)
        box = page.locator("[data-cg-search-query]")
        box.click()
        box.fill(query)
        page.wait_for_function(
            "q => document.querySelector('[data-cg-search]').getAttribute('data-cg-state') === 'done'"
            " && document.querySelector('[data-cg-search-query]').value === q",
            arg=query,
        )
        return page.locator("[data-cg-search-list] article h1").all_inner_texts()
    except PlaywrightError:
        return []
    finally:
        context.close()


NEW_WORD = "焊花工坊"


@pytest.mark.browser
def test_the_preview_search_finds_a_saved_title(preview: Preview, browser) -> None:
    record = named_practice(preview.project)
    title = f"{NEW_WORD}：一线职工的技能课堂"
    seconds = preview.save_title(record, title)
    assert seconds is not None, f"the saved title was not served after 60 s:\n{preview.log_tail()}"
    found = seconds_until(lambda: title in search_titles(browser, preview.url + "index.html", NEW_WORD), timeout=15)
    assert found is not None, f"searching {NEW_WORD} in the preview did not find {title} within 15 s of the page"


def test_a_web_server_running_as_another_user_can_read_the_whole_site(sample: Path, tmp_path: Path) -> None:
    """site/ is built in a temporary folder and swapped in: it takes the mode a mkdir gives under
    the user's umask, not the owner-only mode of a temporary folder, or the server answers 403."""
    mask = os.umask(0o022)
    try:
        project = Project(tmp_path / "project", sample)
        project.build()
    finally:
        os.umask(mask)
    folders = [project.site, *(p for p in project.site.rglob("*") if p.is_dir())]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o755}
    assert all(p.stat().st_mode & stat.S_IROTH for p in project.site.rglob("*") if p.is_file())
