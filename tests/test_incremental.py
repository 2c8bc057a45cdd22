"""A second generate reads only what changed and writes exactly what a full generate would.

Every scenario starts from a generated synthetic corpus (two provinces, so records share
regions, themes and related lists), changes data/ the way an editor would, runs generate
again, and compares docs/ byte for byte with a full generate of the same data/ into a fresh
folder. Files the run did not write keep their bytes and mtime.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from projects import change_setting
from repo_paths import REPO

from generator.engine import build, generate, parallel
from generator.engine.cache import StateLoading, Store
from generator.model import ordering
from generator.model.link import Graph, visible
from generator.outputs.paths import policy_path
from generator.sources.problems import DataError
from generator.tools.corpus import make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    (source / "regions").mkdir()
    for province in ("330000", "620000"):
        shutil.copy(REPO / "data" / "regions" / f"{province}.yaml", source / "regions")
    for part in ("themes.yaml", "practices", "cases"):
        (shutil.copytree if (REPO / "data" / part).is_dir() else shutil.copy)(REPO / "data" / part, source / part)
    target = tmp_path_factory.mktemp("corpus") / "data"
    make_corpus(source, target, 60, seed=7)
    return target


class Project:
    """A project folder with data/, mkdocs.yml and docs/ already generated once."""

    def __init__(self, root: Path, corpus: Path):
        self.root = root
        shutil.copytree(corpus, root / "data")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        self.paths = build.Paths(data=root / "data", config=root / "mkdocs.yml")
        first = build.generate(self.paths)
        assert not first.incremental and first.written

    @property
    def docs(self) -> Path:
        return self.paths.docs

    def files(self, kind: str) -> list[Path]:
        return sorted((self.paths.data / kind).glob("*.yaml"))

    def edit(self, path: Path, change: Callable[[dict], None]) -> None:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(record)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")

    def stamps(self) -> dict[str, tuple[int, int]]:
        return {
            p.relative_to(self.docs).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in self.docs.rglob("*")
            if p.is_file()
        }


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def full_generate(data: Path, root: Path) -> dict[str, bytes]:
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    paths = build.Paths(data=data, config=root / "mkdocs.yml")
    build.generate(paths, full=True)
    return tree(paths.docs)


@pytest.fixture
def project(corpus: Path, tmp_path: Path) -> Project:
    """The corpus generated once; its listings (60 records) show every entry on their own page."""
    return Project(tmp_path / "project", corpus)


@pytest.fixture
def paged(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The corpus generated once with listings past the size a listing shows whole, so that each
    letter has a page of its own (as at national scale)."""
    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 5)
    return Project(tmp_path / "project", corpus)


def _practice(p: Project, n: int = 5) -> Path:
    return p.files("practices")[n]


def _case(p: Project, n: int = 3) -> Path:
    return p.files("cases")[n]


def _set(**fields) -> Callable[[dict], None]:
    return lambda record: record.update(fields)


def _unlinked_case(p: Project) -> Path:
    linked = {c for path in p.files("practices") for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]}
    return next(path for path in p.files("cases") if path.stem not in linked)


def _add_practice(p: Project) -> None:
    source = _practice(p, 2)
    record = yaml.safe_load(source.read_text(encoding="utf-8"))
    record.update(id="new-practice", title="新增的经验做法", region="620302")
    (source.parent / "new-practice.yaml").write_text(
        yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _rename_case(p: Project) -> None:
    path = _unlinked_case(p)
    p.edit(path, _set(id="renamed-case"))
    path.rename(path.with_name("renamed-case.yaml"))


def _link_case_to_another_practice(p: Project) -> None:
    p.edit(_case(p), lambda r: r.update(practices=r["practices"] + [_practice(p, 9).stem]))


def _cites(p: Project) -> Path:
    """A practice that cites policy documents another practice cites too."""
    cited = [yaml.safe_load(path.read_text(encoding="utf-8")).get("policies") or [] for path in p.files("practices")]
    titles = [{d["title"] for d in c} for c in cited]
    return next(
        path for n, path in enumerate(p.files("practices")) if any(titles[n] & other for m, other in enumerate(titles) if m != n)
    )


def _respell_and_add(record: dict) -> None:
    """《》, spaces and full-width forms around the first title (the same document), and a new one."""
    first = record["policies"][0]["title"]
    record["policies"] = [
        {"title": f"《 {first.replace('(', '（').replace(')', '）')} 》"},
        *record["policies"][1:],
        {"title": "新增的政策文件"},
    ]


SCENARIOS: dict[str, Callable[[Project], None]] = {
    "a practice's title": lambda p: p.edit(_practice(p), lambda r: r.update(title="修订" + r["title"])),
    "a case's title": lambda p: p.edit(_case(p), lambda r: r.update(title="修订" + r["title"])),
    "a practice moved to the other province": lambda p: p.edit(_practice(p), _set(region="620302")),
    "a practice's themes": lambda p: p.edit(_practice(p), _set(themes=["skill-competitions", "rights"])),
    "a record's date": lambda p: p.edit(_case(p), _set(date=__import__("datetime").date(2030, 1, 1))),
    "a practice's summary only": lambda p: p.edit(_practice(p), lambda r: r.update(summary=r["summary"] + "另有补充。")),
    "a practice's figures only": lambda p: p.edit(
        _practice(p), lambda r: r["metrics"].append({"indicator": "新增指标", "value": "42", "unit": "人"})
    ),
    "a record's status only": lambda p: p.edit(_case(p), _set(status="draft")),
    "a new practice": _add_practice,
    "a practice deleted": lambda p: next(
        path
        for path in p.files("practices")
        if not any(path.stem in (yaml.safe_load(c.read_text(encoding="utf-8"))["practices"]) for c in p.files("cases"))
    ).unlink(),
    "an unlinked case deleted": lambda p: _unlinked_case(p).unlink(),
    "a case renamed": _rename_case,
    "a case linked to one more practice": _link_case_to_another_practice,
    "two records at once": lambda p: (p.edit(_practice(p, 1), _set(title="甲")), p.edit(_case(p, 1), _set(title="乙"))),
    "a practice's policies respelled and one added": lambda p: p.edit(_cites(p), _respell_and_add),
    "a practice's policies removed": lambda p: p.edit(_cites(p), _set(policies=[])),
    "a practice citing documents moved to the other province": lambda p: p.edit(_cites(p), _set(region="620302")),
}


@pytest.mark.parametrize("listings", ["whole", "by letter"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_incremental_generate_writes_what_a_full_generate_would(
    request: pytest.FixtureRequest, scenario: str, listings: str, tmp_path: Path
) -> None:
    project: Project = request.getfixturevalue("project" if listings == "whole" else "paged")
    before = project.stamps()
    SCENARIOS[scenario](project)
    report = build.generate(project.paths)
    assert report.incremental, "expected the incremental path"
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")
    after = project.stamps()
    touched = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert touched == set(report.written) | set(report.removed)
    assert len(touched) < len(after) / 4, "a change of one record reached a quarter of the site"


@pytest.mark.parametrize("scenario", ["a practice's title", "a practice's figures only", "two records at once"])
def test_pages_rendered_in_forked_workers_are_the_same(
    project: Project, scenario: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers read full records from the cache through their own connection (an SQLite one must not cross a fork).
    monkeypatch.setattr(parallel, "cpus", lambda: 3)
    monkeypatch.setattr(generate, "FORK_FROM_DIRTY_PAGES", 1)
    SCENARIOS[scenario](project)
    report = build.generate(project.paths)
    assert report.incremental and len(report.written) >= 2
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")
    assert build.generate(project.paths).written == []  # and the cache they leave is whole


def test_a_change_seen_only_on_the_records_own_page_rewrites_only_that_page_and_its_compilations(project: Project) -> None:
    path = _practice(project)
    project.edit(path, lambda r: r.update(summary=r["summary"] + "另有补充。"))
    report = build.generate(project.paths)
    downloads = ["downloads/records.csv", "downloads/records.json", "downloads/records.xlsx"]  # they hold it in full
    feed = ["feed.xml"] if _in_feed(project, path.stem) else []  # it carries the newest records' summaries
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    graph, _ = build.check(project.paths.data, warnings=False)
    assert graph is not None
    province = graph.region_chain(record["region"])[0].code
    compilations = [f"compilations/region-{province}.docx"]  # the Word document of its province, which prints it in full
    data = [f"practices/{path.stem}.{ext}" for ext in ("md", "yaml")]
    assert report.written == sorted([*downloads, *feed, *data, *compilations])


def test_a_page_rendered_again_only_for_its_related_list_puts_no_compilation_together_again(project: Project) -> None:
    """A practice's new title re-renders the practices whose related lists show it, but their
    compilation blocks do not show related lists: only the compilations that print the retitled
    practice or a record naming it are put together again."""
    graph, _ = build.check(project.paths.data, warnings=False)
    assert graph is not None
    with Store(project.paths.cache) as store:
        state = store.meta("state")
    shown_by = {p: ids for p, ids in state.related.items() if ids}
    path = next(p for p in project.files("practices") if any(p.stem in ids for ids in shown_by.values()))
    project.edit(path, lambda r: r.update(title=r["title"] + "（修订）"))
    report = build.generate(project.paths)

    def compilations_of(record_id: str) -> set[str]:
        b = graph.briefs[record_id]  # the site's: the Word document of its province
        return {f"compilations/region-{graph.region_chain(b.region)[0].code}.docx"}

    naming = {i for i in (path.stem, *graph.practice_cases.get(path.stem, ())) if graph.briefs[i].status == "published"}
    expected = set().union(*map(compilations_of, naming))
    relating = [p for p, ids in shown_by.items() if path.stem in ids]
    rendered = set(report.stamps)
    assert {f"practices/{p}.md" for p in relating} <= rendered, "the related lists that show it"
    assert set().union(*map(compilations_of, relating)) - expected, "their compilations hold others too"
    assert {p for p in rendered if p.startswith("compilations/") and p != "compilations/index.md"} == expected


def _in_feed(project: Project, record_id: str) -> bool:
    return f"practices/{record_id}.html" in (project.docs / "feed.xml").read_text(encoding="utf-8")


def _linked(page: Path) -> set[str]:
    """The ids of the records a page links to."""
    return set(re.findall(r"\]\((?:\.\./)*(?:practices/|cases/)?([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8")))


def letter_pages(docs: Path, folder: str) -> dict[str, list[str]]:
    """The pages of an A–Z listing (practices/az, titles, …) -> the ids of the records they list, in order."""
    return {
        page.relative_to(docs).as_posix(): re.findall(
            r"^- \[.*\]\(\.\./(?:\.\./)?(?:practices/|cases/)?([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8"), re.M
        )
        for page in sorted((docs / folder).glob("*.md"))
    }


def test_a_new_title_in_the_same_place_rewrites_its_page_its_regions_themes_and_its_letter_pages_only(paged: Project) -> None:
    project = paged
    path = _practice(project)
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    project.edit(path, lambda r: r.update(title=r["title"] + "（修订）"))
    written = set(build.generate(project.paths).written)
    assert {f"practices/{path.stem}.md", f"regions/{record['region']}.md"} <= written
    assert {f"themes/{t}.md" for t in record["themes"]} <= written
    listed = {
        p for folder in ("practices/az", "titles") for p, ids in letter_pages(project.docs, folder).items() if path.stem in ids
    }
    assert {p for p in written if p.startswith(("practices/az/", "titles/", "cases/az/", "regions/az/"))} == listed
    assert len(listed) == 2, "one letter page of the practices, one of the titles"
    assert not {"cases/index.md", "regions/index.md"} & written, "no page of cases or regions changed"
    newest = {listing for listing in ("practices/index.md", "titles.md") if path.stem in _linked(project.docs / listing)}
    assert {"practices/index.md", "titles.md"} & written == newest, "a listing's own page shows it among its newest only"


def test_a_title_that_moves_a_record_to_another_letter_rewrites_both_letter_pages_and_the_sizes(
    paged: Project, tmp_path: Path
) -> None:
    project = paged
    pages = letter_pages(project.docs, "practices/az")
    source = next(p for p, ids in pages.items() if len(ids) > 1)  # the letter stays
    target = next(p for p in pages if p != source)
    moved = project.paths.data / "practices" / f"{pages[source][0]}.yaml"
    title = yaml.safe_load((project.paths.data / "practices" / f"{pages[target][0]}.yaml").read_text(encoding="utf-8"))["title"]
    project.edit(moved, _set(title=title + "（又一）"))
    written = set(build.generate(project.paths).written)
    assert {p for p in written if p.startswith("practices/az/")} == {source, target}
    assert {"practices/index.md", "titles.md"} <= written and "cases/index.md" not in written
    assert not {p for p in written if p.startswith("cases/az/")}
    assert moved.stem in letter_pages(project.docs, "practices/az")[target]
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")


def test_a_letter_that_grows_past_the_page_size_is_cut_in_two_pages(
    paged: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = paged
    pages = letter_pages(project.docs, "practices/az")
    page, ids = max(pages.items(), key=lambda item: len(item[1]))
    change_setting(monkeypatch, ordering, "PART_SIZE", len(ids))  # the letter just fits (the titles' letters are cut now)
    build.generate(project.paths, full=True)  # as the changed code would: its fingerprint is not the cache's
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-before")
    assert letter_pages(project.docs, "practices/az")[page] == ids

    _add_one_more(project.paths.data / "practices" / f"{ids[-1]}.yaml")
    report = build.generate(project.paths)
    assert report.incremental
    second = page.replace(".md", "-2.md")
    assert letter_pages(project.docs, "practices/az")[second] == ["one-more"]
    assert {page, second, "practices/index.md"} <= set(report.written)
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")


def test_a_listing_grown_past_the_size_it_shows_whole_gets_a_page_per_letter_and_loses_them_when_it_shrinks(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _linked(project.docs / "practices" / "index.md") & {p.stem for p in project.files("practices")}
    change_setting(monkeypatch, ordering, "WHOLE_LISTING", len(shown))  # the practices shown just fit
    build.generate(project.paths)
    assert not (project.docs / "practices" / "az").exists()

    _add_practice(project)
    project.edit(project.paths.data / "practices" / "new-practice.yaml", _set(status="published"))
    report = build.generate(project.paths)
    assert report.incremental
    assert "new-practice" in {i for ids in letter_pages(project.docs, "practices/az").values() for i in ids}
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "grown")

    (project.paths.data / "practices" / "new-practice.yaml").unlink()
    build.generate(project.paths)
    assert not (project.docs / "practices" / "az").exists()
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "shrunk")


def _province_pages(folder: Path) -> dict[str, list[str]]:
    """The pages of a theme or policy document cut by province: province code -> the ids of the records they list."""
    return {
        page.stem: re.findall(
            r"^- \[.*\]\(\.\./\.\./(?:practices|cases)/([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8"), re.M
        )
        for page in sorted(folder.glob("*.md"))
    }


def _shown_graph(project: Project) -> Graph:
    """The graph of the records the public site shows."""
    whole, _ = build.check(project.paths.data, warnings=False)
    assert whole is not None
    return visible(whole, preview=False)


def _add_one_more(source: Path) -> dict:
    """A practice copied from this file, beside it, as `one-more` with its title marked; its record."""
    record = yaml.safe_load(source.read_text(encoding="utf-8"))
    record.update(id="one-more", title=record["title"] + "（又一）", cases=[])
    (source.parent / "one-more.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return record


def _listed(page: Path) -> list[str]:
    """The ids of the records a region's page lists."""
    return re.findall(r"^- \[.*\]\(\.\./(?:practices|cases)/([a-z0-9-]+)\.md\)", page.read_text(encoding="utf-8"), re.M)


def test_a_region_whose_records_below_grow_past_the_roll_up_names_its_regions_instead_and_lists_them_again_when_they_shrink(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _shown_graph(project)
    below: dict[str, list[str]] = {}
    for b in graph.briefs.values():
        for r in graph.region_chain(b.region)[:-1]:
            below.setdefault(r.code, []).append(b.id)
    code, ids = max(sorted(below.items()), key=lambda item: len(item[1]))
    change_setting(monkeypatch, ordering, "ROLL_UP", len(ids))  # the region's page just lists them all
    build.generate(project.paths, full=True)
    page = project.docs / "regions" / f"{code}.md"
    own = [b.id for b in graph.briefs.values() if b.region == code]
    assert sorted(_listed(page)) == sorted([*own, *ids])

    source = next(p for p in project.files("practices") if p.stem in ids)
    _add_one_more(source)
    assert build.generate(project.paths).incremental
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-cut")
    assert sorted(_listed(page)) == sorted(own), "only its own records; those below are on the pages of the regions below"
    text = page.read_text(encoding="utf-8")
    assert f"下辖地区共有 {len(ids) + 1} 条经验与案例" in text
    chains = [[r.code for r in graph.region_chain(graph.briefs[i].region)] for i in ids]
    children = {chain[chain.index(code) + 1] for chain in chains}
    assert all(f"]({child}.md)" in text for child in children), "it links each region below"

    (source.parent / "one-more.yaml").unlink()
    assert build.generate(project.paths).incremental
    assert sorted(_listed(page)) == sorted([*own, *ids])
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-listed")


def test_a_theme_that_grows_past_the_page_size_is_cut_by_province_and_joined_again_when_it_shrinks(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _shown_graph(project)
    by_theme: dict[str, list[str]] = {}
    for b in graph.briefs.values():
        for t in b.themes:
            by_theme.setdefault(t, []).append(b.id)
    theme, ids = max(sorted(by_theme.items()), key=lambda item: len(item[1]))
    change_setting(monkeypatch, ordering, "PAGE_BY_PROVINCE", len(ids))  # the theme just fits on its page
    build.generate(project.paths, full=True)
    assert not (project.docs / "themes" / theme).exists()

    source = next(p for p in project.files("practices") if p.stem in ids)
    record = _add_one_more(source)
    assert build.generate(project.paths).incremental
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-cut")
    pages = _province_pages(project.docs / "themes" / theme)
    province = {b.id: graph.region_chain(b.region)[0].code for b in graph.briefs.values()}
    province["one-more"] = graph.region_chain(record["region"])[0].code
    assert {code: sorted(listed) for code, listed in pages.items()} == {
        code: sorted(i for i in [*ids, "one-more"] if province[i] == code)
        for code in set(province[i] for i in [*ids, "one-more"])
    }
    theme_page = (project.docs / "themes" / f"{theme}.md").read_text(encoding="utf-8")
    assert all(f"]({theme}/{code}.md)" in theme_page for code in pages), "the theme's page links each province's"
    assert "../practices/" not in theme_page and "../cases/" not in theme_page, "and lists no record itself"

    (source.parent / "one-more.yaml").unlink()
    assert build.generate(project.paths).incremental
    assert not (project.docs / "themes" / theme).exists()
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-joined")


def test_a_policy_document_cited_past_the_page_size_is_cut_by_province_like_a_clean_build_cuts_it(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, record, document = next(
        (path, record, policy_path(cited["title"]).removesuffix(".md"))
        for path in project.files("practices")
        if (record := yaml.safe_load(path.read_text(encoding="utf-8"))).get("status", "draft") == "published"
        for cited in record.get("policies") or []
        if (project.docs / policy_path(cited["title"])).exists()
    )
    citing = re.findall(r"\]\(\.\./practices/([a-z0-9-]+)\.md\)", (project.docs / f"{document}.md").read_text(encoding="utf-8"))
    change_setting(monkeypatch, ordering, "PAGE_BY_PROVINCE", len(citing))  # the document's practices just fit on its page
    build.generate(project.paths, full=True)
    assert not (project.docs / document).exists()

    _add_one_more(source)
    assert build.generate(project.paths).incremental
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-cut")
    pages = _province_pages(project.docs / document)
    assert sorted(i for ids in pages.values() for i in ids) == sorted([*citing, "one-more"])
    page = (project.docs / f"{document}.md").read_text(encoding="utf-8")
    name = document.rpartition("/")[2]
    assert all(f"]({name}/{code}.md)" in page for code in pages) and "../practices/" not in page

    (source.parent / "one-more.yaml").unlink()
    assert build.generate(project.paths).incremental
    assert not (project.docs / document).exists()
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full-joined")


def test_nothing_changed_writes_nothing(project: Project) -> None:
    before = project.stamps()
    report = build.generate(project.paths)
    assert report.incremental and report.written == [] and report.removed == []
    assert report.unchanged == len(before) and report.docs is not None and report.docs.keys() == before.keys()
    assert project.stamps() == before


def test_nothing_changed_is_known_from_the_stamps_alone(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """With data/ and docs/ as the last run left them, the run compares two digests of stamps and
    stops: it reads no record, and of the last run's state it loads at most what it began to load
    while data/ was scanned."""

    def unwanted(*_args, **_kwargs):
        raise AssertionError("loaded the last run's state or read a record, with nothing changed")

    monkeypatch.setattr(StateLoading, "result", unwanted)
    monkeypatch.setattr(generate, "read", unwanted)
    assert build.generate(project.paths).written == []


def test_with_a_record_changed_the_state_begun_beside_the_scan_is_finished_and_used(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    loadings: list[StateLoading] = []
    monkeypatch.setattr(Store, "loading", lambda store, expected: loadings.append(StateLoading(store, expected)) or loadings[-1])
    path = next(p for p in project.files("practices") if yaml.safe_load(p.read_text(encoding="utf-8"))["status"] == "published")
    project.edit(path, lambda r: r.update(title=r["title"] + "（修订）"))
    report = build.generate(project.paths)
    assert report.incremental and f"practices/{path.stem}.md" in report.written
    assert len(loadings) == 1 and not loadings[0].step(), "one loading, finished"


def test_a_file_saved_again_unchanged_is_read_not_skipped(project: Project) -> None:
    """A new stamp on a data file means the run reads it (and finds nothing to write); so does a
    touched page of docs/, which is compared with what the run would write."""
    before = project.stamps()
    record = project.files("practices")[0]
    record.write_bytes(record.read_bytes())
    page = project.docs / "titles.md"
    page.write_bytes(page.read_bytes())
    report = build.generate(project.paths)
    assert report.incremental and report.written == [] and report.removed == []
    report = build.generate(project.paths)  # and the run after it has nothing to do again
    assert report.written == [] and report.docs is not None and len(report.docs) == len(before)


def test_pages_edited_or_deleted_by_hand_are_restored_and_foreign_files_removed(project: Project, tmp_path: Path) -> None:
    page = project.docs / "titles.md"
    page.write_text("edited", encoding="utf-8")
    (project.docs / "regions" / "330000.md").unlink()
    (project.docs / "stray.md").write_text("not ours", encoding="utf-8")
    report = build.generate(project.paths)
    assert report.incremental
    assert sorted(report.written) == ["regions/330000.md", "titles.md"] and report.removed == ["stray.md"]
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")


def test_a_random_sequence_of_edits_stays_equal_to_full_builds(project: Project, tmp_path: Path) -> None:
    rnd = random.Random(3)
    themes = [t["id"] for t in yaml.safe_load((project.paths.data / "themes.yaml").read_text(encoding="utf-8"))]
    regions = ["330102", "330702", "330109", "620302", "620321", "620000", "330000"]
    for step in range(8):
        for _ in range(rnd.randint(1, 3)):
            path = rnd.choice(project.files(rnd.choice(["practices", "cases"])))
            field, value = rnd.choice(
                [
                    ("title", f"随机标题{rnd.randint(0, 99)}"),
                    ("region", rnd.choice(regions)),
                    ("themes", rnd.sample(themes, rnd.randint(0, 4))),
                    ("date", f"20{rnd.randint(10, 30)}-0{rnd.randint(1, 9)}-15"),
                ]
            )
            project.edit(path, _set(**{field: value}))
        assert build.generate(project.paths).incremental
        assert tree(project.docs) == full_generate(project.paths.data, tmp_path / f"full{step}"), f"step {step}"


# --- when a full build is needed, it is done -------------------------------------------------------


def test_a_changed_region_file_means_a_full_build(project: Project, tmp_path: Path) -> None:
    regions = project.paths.data / "regions" / "620000.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("name: 永昌县", "name: 永兴县"), encoding="utf-8")
    report = build.generate(project.paths)
    assert not report.incremental
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")


def test_an_invalid_edit_reports_every_problem_leaves_docs_alone_and_the_next_save_is_incremental(project: Project) -> None:
    before = tree(project.docs)
    path = _practice(project)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("\ntitle: ", "\ntitel: ", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build.generate(project.paths)
    assert any(p.path.endswith(path.name) and "titel" in p.message for p in caught.value.problems)
    assert tree(project.docs) == before
    path.write_text(good.replace("\ntitle: ", "\ntitle: 修订", 1), encoding="utf-8")
    assert build.generate(project.paths).incremental


def test_deleting_a_case_a_practice_still_names_is_an_error_with_its_line(project: Project) -> None:
    practice = _practice(project, 0)
    project.edit(practice, _set(cases=[_case(project).stem]))
    build.generate(project.paths)
    _case(project).unlink()
    with pytest.raises(DataError) as caught:
        build.generate(project.paths)
    assert [p.field for p in caught.value.errors] == ["cases[0]"]


def test_a_missing_or_corrupt_cache_means_a_full_build_with_the_same_output(project: Project, tmp_path: Path) -> None:
    project.paths.cache.write_bytes(b"not a database")
    report = build.generate(project.paths)
    assert not report.incremental and report.written == []
    project.paths.cache.unlink()
    assert not build.generate(project.paths).incremental
    assert tree(project.docs) == full_generate(project.paths.data, tmp_path / "full")


def test_a_cache_made_by_other_code_is_not_used(project: Project) -> None:
    with Store(project.paths.cache) as store:
        assert store.state("another fingerprint") is None
