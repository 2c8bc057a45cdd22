"""Pages record what they read as they render, and the cache keeps it per page: the pages a
change reaches are the pages that read a key the change touches (reads.py, engine/changes.py).

test_incremental and test_stateful prove the lookup right by comparing every incremental build
with a clean one; these say what the lookup holds and how a change becomes keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from repo_paths import REPO

from generator.engine import build
from generator.engine.cache import Store
from generator.engine.changes import Change, made_keys, touched
from generator.model import reads
from generator.model.link import Brief
from generator.model.ordering import Ordering
from generator.outputs.shipped import shipped_files


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> build.Paths:
    root = tmp_path_factory.mktemp("reads")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    paths = build.Paths(data=root / "data", config=root / "mkdocs.yml")
    build.generate(paths)
    return paths


@pytest.fixture(scope="module")
def kept(project: build.Paths) -> dict[str, set[str]]:
    """Every page's keys, as the cache keeps them."""
    with Store(project.cache) as store:
        return store.reads()


@pytest.fixture(scope="module")
def graph(project: build.Paths):
    whole, _ = build.check(project.data, warnings=False)
    assert whole is not None
    return whole


def test_the_pages_that_read_nothing_are_the_files_copied_as_they_are(project: build.Paths, kept: dict[str, set[str]]) -> None:
    written = {p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*") if p.is_file()}
    assert kept.keys() <= written
    reading_nothing = written - kept.keys()
    # besides the static files, the stylesheet of the print pages and the JSON schemas of the downloads
    made_alike = {"compilations/compilation.css", "downloads/practice.schema.json", "downloads/case.schema.json"}
    assert reading_nothing - made_alike == shipped_files().keys()


def test_a_practice_page_reads_its_record_its_links_and_each_record_it_names_or_relates(
    project: build.Paths, kept: dict[str, set[str]], graph
) -> None:
    practice_id, cases = next((p, c) for p, c in sorted(graph.practice_cases.items()) if c)
    with Store(project.cache) as store:
        state = store.state(store.meta("state").fingerprint)
    assert state is not None
    related = state.related[practice_id]
    assert related, "the practice chosen shows a related list"
    read = kept[f"practices/{practice_id}.md"]
    assert {reads.record(practice_id), reads.linked(practice_id)} <= read
    assert {reads.brief(i) for i in (*cases, *related)} <= read
    # It lists no group: a record page changes with no other record's arrival in its region or theme.
    assert not {k for k in read if k.startswith(("region:", "theme:", "year:", "policy:"))}
    assert reads.ALL not in read


def test_a_region_page_reads_its_group_and_the_figures_of_its_own_records(kept: dict[str, set[str]], graph) -> None:
    record = next(b for b in graph.briefs.values())
    read = kept[f"regions/{record.region}.md"]
    assert reads.region(record.region) in read
    own = {b.id for b in graph.briefs.values() if b.region == record.region}
    assert {k for k in read if k.startswith("record:")} == {reads.record(i) for i in own}
    province = graph.region_chain(record.region)[0].code
    assert reads.region(province) in kept[f"regions/{province}.md"]
    assert not {k for k in kept[f"regions/{province}.md"] if k.startswith("record:")} - {
        reads.record(b.id) for b in graph.briefs.values() if b.region == province
    }


def test_a_theme_page_reads_its_theme_and_counts_its_narrower_ones(kept: dict[str, set[str]], graph) -> None:
    parent = next(t for t, children in sorted(graph.theme_children.items()) if children)
    read = kept[f"themes/{parent}.md"]
    assert reads.theme(parent) in read
    assert {reads.theme(c) for c in graph.theme_children[parent]} <= read


def test_a_listing_shown_whole_reads_every_record(kept: dict[str, set[str]]) -> None:
    for listing in ("practices/index.md", "cases/index.md", "titles.md"):
        assert reads.ALL in kept[listing], listing
    assert not [p for p in kept if p.startswith(("practices/az/", "cases/az/", "titles/", "regions/az/"))], "no letter pages"


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Every page's keys for data/ generated with listings past the size a listing shows whole."""
    from generator.model import ordering

    root = tmp_path_factory.mktemp("reads-paged")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    paths = build.Paths(data=root / "data", config=root / "mkdocs.yml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ordering, "WHOLE_LISTING", 3)
        build.generate(paths)
    with Store(paths.cache) as store:
        return store.reads()


def test_an_a_to_z_page_reads_its_entries_and_the_listing_its_sizes(paged: dict[str, set[str]]) -> None:
    part = next(p for p in sorted(paged) if p.startswith("practices/az/"))
    read = paged[part]
    assert {reads.part(part), reads.parts("practices/index.md")} <= read
    assert any(k.startswith("brief:") for k in read)
    assert reads.sizes("practices/index.md") not in read, "a letter's page does not show the other pages' sizes"
    # The listing's own page shows the letters with their sizes, and the newest records and counts of all.
    assert {reads.parts("practices/index.md"), reads.sizes("practices/index.md"), reads.ALL} <= paged["practices/index.md"]


def test_the_files_put_together_read_what_the_record_pages_made(kept: dict[str, set[str]], graph) -> None:
    assert {reads.ALL, reads.made(reads.ALL)} <= kept["downloads/records.csv"]
    province = next(graph.region_chain(b.region)[0].code for b in graph.briefs.values() if b.status == "published")
    assert {reads.region(province), reads.made(reads.region(province))} <= kept[f"compilations/region-{province}.docx"]
    # No compilation reads each record on its own: it reads its group.
    assert not {k for p, keys in kept.items() if p.startswith("compilations/") for k in keys if k.startswith("record:")}


def test_the_pages_that_list_every_record_read_all_of_them(kept: dict[str, set[str]]) -> None:
    for page in ("index.md", "feed.xml", "downloads/index.md", "policies/index.md"):
        assert reads.ALL in kept[page], page


def test_the_pages_that_only_count_records_read_the_tally_and_no_group(kept: dict[str, set[str]]) -> None:
    for page in ("overview.md", "regions/index.md", "compilations/index.md"):
        assert reads.TALLY in kept[page], page
        assert not [k for k in kept[page] if reads.is_group(k)], page
    assert not [p for p, keys in kept.items() if reads.TALLY in keys and p.startswith(("practices/", "cases/", "themes/"))]


def test_while_tallying_a_group_read_is_kept_as_the_tally_and_other_reads_as_they_are(graph) -> None:
    ordering = Ordering(graph)
    ordering.reads.start()
    with ordering.reads.tallying():
        ordering.records_by_theme("pilots")
        ordering.records()
        ordering.reads.add(reads.brief("p1"), reads.made(reads.ALL), reads.parts("regions/index.md"))
    ordering.records_in_year(2023)
    assert ordering.reads.stop() == tuple(
        sorted({reads.TALLY, reads.brief("p1"), reads.made(reads.ALL), reads.parts("regions/index.md"), reads.year(2023)})
    )


def _brief(**changes) -> Brief:
    base = Brief("Practice", "p1", "标题", "330102", dt.date(2023, 5, 1), ("skills-training",), ("c1",), ("《某意见》",))
    return dataclasses.replace(base, **changes)


def test_a_summary_change_touches_the_record_alone(graph) -> None:
    ordering = Ordering(graph)
    assert touched({"p1": Change(_brief(), _brief())}, ordering) == {reads.record("p1")}


def test_a_title_change_touches_its_brief_and_every_group_it_is_in(graph) -> None:
    ordering = Ordering(graph)
    keys = touched({"p1": Change(_brief(), _brief(title="新标题"))}, ordering)
    chain = [r.code for r in graph.region_chain("330102")]
    assert {reads.record("p1"), reads.brief("p1"), reads.linked("c1"), reads.ALL, reads.year(2023)} <= keys
    assert {reads.region(c) for c in chain} | {reads.theme("skills-training")} <= keys
    assert any(k.startswith("policy:") for k in keys)
    assert reads.TALLY not in keys, "it is in the same groups as before: what only counts them stays"


def test_a_move_touches_the_groups_it_leaves_and_those_it_joins(graph) -> None:
    ordering = Ordering(graph)
    keys = touched({"p1": Change(_brief(), _brief(region="620300", themes=("pilots",)))}, ordering)
    assert {reads.region("330102"), reads.region("620300"), reads.theme("skills-training"), reads.theme("pilots")} <= keys
    assert reads.TALLY in keys
    assert reads.TALLY in touched({"p1": Change(_brief(), _brief(date=dt.date(2024, 1, 1)))}, ordering), "another year"
    assert reads.TALLY not in touched({"p1": Change(_brief(), _brief(date=dt.date(2023, 12, 1)))}, ordering), "the same year"


def test_a_record_added_or_removed_touches_the_tally(graph) -> None:
    ordering = Ordering(graph)
    assert reads.TALLY in touched({"p1": Change(None, _brief())}, ordering)
    assert reads.TALLY in touched({"p1": Change(_brief(), None)}, ordering)
    assert reads.TALLY in touched({"p1": Change(_brief(), _brief(status="draft"))}, ordering), "unpublished: it leaves"


def test_an_unpublished_record_touches_no_group_of_the_public_site_but_is_named_by_its_links(graph) -> None:
    ordering = Ordering(graph)
    draft = _brief(status="draft")
    keys = touched({"p1": Change(draft, dataclasses.replace(draft, title="新标题"))}, ordering)
    assert keys == {reads.record("p1"), reads.brief("p1"), reads.linked("c1")}
    assert reads.ALL in touched({"p1": Change(draft, dataclasses.replace(draft, title="新标题"))}, ordering, preview=True)


def test_a_new_link_touches_the_record_it_now_names(graph) -> None:
    ordering = Ordering(graph)
    keys = touched({"p1": Change(_brief(links=()), _brief(links=("c9",)))}, ordering)
    assert reads.linked("c9") in keys


def test_what_a_record_page_made_anew_touches_the_files_put_together_from_it(graph) -> None:
    ordering = Ordering(graph)
    brief = next(b for b in graph.briefs.values() if b.kind == "Practice")
    blocks = made_keys(set(), {brief.id}, graph, ordering)
    assert {reads.made(reads.region(brief.region)), reads.made(reads.year(brief.date.year))} <= blocks
    assert {reads.made(reads.theme(t)) for t in brief.themes} <= blocks
    assert all(k.startswith("made:") for k in blocks)
    assert made_keys({brief.id}, set(), graph, ordering) == {reads.made(reads.ALL)}, "rows: the downloads only"
    assert made_keys(set(), set(), graph, ordering) == set(), "a page made again as it was reaches nothing"


def test_outside_a_page_nothing_is_recorded(graph) -> None:
    ordering = Ordering(graph)
    ordering.records()
    ordering.reads.start()
    ordering.records_by_theme("pilots")
    assert ordering.reads.stop() == (reads.theme("pilots"),)
    ordering.records()
    ordering.reads.start()
    assert ordering.reads.stop() == ()


def test_the_cache_keeps_each_pages_reads_and_answers_by_key(tmp_path: Path) -> None:
    with Store(tmp_path / "cache.sqlite") as store:
        store.save_reads({"a.md": ["k1", "k2"], "b.md": ["k2"]}, replace=True)
        assert store.readers({"k2"}) == {"a.md", "b.md"}
        assert store.readers({"k1", "k3"}) == {"a.md"}
        # a page rendered again replaces what it read; a page removed is forgotten
        store.save_reads({"a.md": ["k3"]}, removed=["b.md"])
        assert store.readers({"k1", "k2"}) == set()
        assert store.reads() == {"a.md": {"k3"}}
        store.save_reads({"c.md": ["k1"]}, replace=True)
        assert store.reads() == {"c.md": {"k1"}}
        assert store.readers([f"k{n}" for n in range(2000)]) == {"c.md"}, "many keys are asked in parts"
