"""The pipeline as named steps: read → link → plan → render → join → prune → save, each callable on
its own, and every file of the site a registered kind that returns what it made.

test_incremental, test_everyday and test_stateful prove that the steps together give a clean
build's bytes after any edit; these say what each step and each kind hands on.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from projects import change_setting
from repo_paths import REPO

from generator import cli
from generator.engine import build
from generator.engine import generate as pipeline
from generator.engine.build import Paths
from generator.engine.cache import Store
from generator.engine.changes import scan
from generator.engine.check import check
from generator.engine.write import files
from generator.model import ordering
from generator.model.ordering import Ordering
from generator.outputs import catalogue, kinds, paths
from generator.outputs.view import NO_ADDRESS, PREVIEW, View
from generator.sources.problems import DataError


@pytest.fixture
def project(tmp_path: Path) -> Paths:
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return Paths(data=tmp_path / "data", config=tmp_path / "mkdocs.yml")


def steps(project: Paths, store: Store, before=None, preview: bool = False):
    """read, link and plan, as generate calls them."""
    now = scan(project.data)
    sources = pipeline.read(project.data, before, now)
    with ExitStack() as stack:
        linked = pipeline.link(sources, before, store.path, stack, preview=preview)
        view = View(linked.graph, linked.ordering, PREVIEW if preview else NO_ADDRESS)
        planned = pipeline.plan(view, linked, sources, before, store, files(project.docs), preview=preview)
    return now, sources, linked, view, planned


def test_without_a_cache_read_reads_every_record_and_plan_renders_every_file(project: Paths) -> None:
    with Store(project.cache) as store:
        _, sources, linked, view, planned = steps(project, store)
    records = len(list((project.data / "practices").glob("*.yaml"))) + len(list((project.data / "cases").glob("*.yaml")))
    assert sources.changes is None and len(sources.fresh) == len(sources.every) == records
    assert set(linked.graph.briefs) <= set(sources.every)  # the public build shows the published ones only
    assert all(b.status == "published" for b in linked.graph.briefs.values())
    assert planned.base is None and planned.on_disk == {}
    assert set(planned.render) | planned.join == set(planned.jobs)
    assert planned.join == {rel for rel, job in planned.jobs.items() if job.kind.joins}
    assert planned.join and all(rel.startswith(("downloads/", "compilations/")) for rel in planned.join)


def test_render_writes_the_planned_files_and_join_puts_the_others_together_from_their_contributions(project: Paths) -> None:
    with Store(project.cache) as store:
        _, _, _, view, planned = steps(project, store)
        first = pipeline.render(view, planned, store, project.docs)
        assert sorted(first.report.written) == planned.render  # docs/ was empty: every file is new
        # What the pages contributed went to the cache as they were made, not back to the run.
        assert not first.rows and not first.blocks and not first.documents and not first.reads
        record_pages = {rel for rel, job in planned.jobs.items() if job.kind.name == "record"}
        assert {paths.html(rel) for rel in record_pages} <= first.urls == store.document_urls()
        record_ids = {planned.jobs[rel].key for rel in record_pages}
        assert store.made("download_rows", view.graph.briefs).keys() == record_ids
        assert store.made("compilation_blocks", view.graph.briefs).keys() == record_ids
        assert record_pages <= store.reads().keys() <= set(planned.render)  # pages that read nothing have no row
        joined = pipeline.join(view, planned, first, store, project.docs)
        assert set(joined.report.written) == planned.join
        assert planned.join <= store.reads().keys()
        assert store.made("download_rows", view.graph.briefs).keys() == record_ids  # joined files contribute no rows
    assert set(files(project.docs)) == set(planned.jobs)


def test_after_one_title_changes_plan_renders_only_the_files_that_read_it(project: Paths) -> None:
    pipeline_generate(project)
    practice = sorted((project.data / "practices").glob("*.yaml"))[0]
    text = practice.read_text(encoding="utf-8")
    practice.write_text(text.replace("\ntitle: ", "\ntitle: 改过的", 1), encoding="utf-8")
    with Store(project.cache) as store:
        before = store.state(store.meta("state").fingerprint)  # what the last generate left
        assert before is not None
        _, sources, _, _, planned = steps(project, store, before)
        assert sources.changes is not None and set(sources.changes) == {practice.stem}
        assert set(sources.fresh) == {practice.stem}  # nothing else was read from data/
        readers = store.readers({f"brief:{practice.stem}"})
    assert planned.base is before
    assert paths.record_path(sources.every[practice.stem]) in planned.render
    assert readers & set(planned.jobs) <= set(planned.render) | planned.join
    assert len(planned.render) < len(planned.jobs) / 3


COUNTING_PAGES = {"overview.md", "regions/index.md", "compilations/index.md"}  # kinds.counts: they read the tally


def _planned_after(project: Paths, old: str, new: str) -> list[str]:
    """The files the plan renders after this replacement in Beilun's practice."""
    practice = project.data / "practices" / "beilun-2023-industrial-workforce-reform.yaml"
    text = practice.read_text(encoding="utf-8")
    assert old in text
    practice.write_text(text.replace(old, new, 1), encoding="utf-8")
    with Store(project.cache) as store:
        _, _, _, _, planned = steps(project, store, store.state(store.meta("state").fingerprint))
    return planned.render


def test_a_title_edit_leaves_the_pages_that_only_count_records_alone(project: Paths) -> None:
    pipeline_generate(project)
    render = _planned_after(project, "\ntitle: ", "\ntitle: 改过的")
    assert "practices/beilun-2023-industrial-workforce-reform.md" in render and "regions/330206.md" in render
    assert not COUNTING_PAGES & set(render)


def test_a_record_moved_to_another_year_renders_the_pages_that_count_records(project: Paths) -> None:
    pipeline_generate(project)
    assert COUNTING_PAGES <= set(_planned_after(project, "date: 2023-12-28", "date: 2021-12-28"))


def test_prune_removes_what_the_site_no_longer_has(project: Paths) -> None:
    pipeline_generate(project)
    stray = project.docs / "practices" / "gone.md"
    stray.write_text("old page\n", encoding="utf-8")
    with Store(project.cache) as store:
        _, _, _, _, planned = steps(project, store, store.state(store.meta("state").fingerprint))
    assert pipeline.prune(planned, project.docs) == ["practices/gone.md"] and not stray.exists()


def test_every_kind_returns_its_content_and_what_it_read(monkeypatch: pytest.MonkeyPatch) -> None:
    change_setting(monkeypatch, ordering, "PAGE_BY_PROVINCE", 1)  # themes and policy documents are cut by province too
    every = {scope: ("html", "docx") for scope in ("theme", "year", "province", "prefecture", "county")}
    change_setting(monkeypatch, catalogue, "PREBUILT", every)  # and every compilation has a print page in the site
    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 3)  # and the listings have a page per letter
    whole, _ = check(REPO / "data", warnings=False)
    assert whole is not None
    view = View(whole, Ordering(whole))
    jobs = kinds.plan(view)
    seen = {job.kind.name for job in jobs.values()}
    assert seen == {k.name for k in kinds.KINDS}, "every registered kind names at least one file of the repository's site"
    made_by = {rel: kinds.render(view, job) for rel, job in jobs.items() if not job.kind.joins}
    inputs = kinds.Inputs.of(made_by.values())
    made_by.update({rel: kinds.render(view, job, inputs) for rel, job in jobs.items() if job.kind.joins})
    for rel, job in jobs.items():
        made = made_by[rel]
        assert isinstance(made.content, str | bytes) and made.content, rel
        assert made.reads == tuple(sorted(set(made.reads)))
        if job.kind.name not in ("shipped", "schema", "compilation stylesheet"):
            assert made.reads, f"{rel} ({job.kind.name}) read nothing: the next build could not know when to render it again"


def test_rendering_a_file_twice_or_in_another_order_gives_the_same_bytes() -> None:
    whole, _ = check(REPO / "data", warnings=False)
    assert whole is not None
    first = kinds.render_all(View(whole, Ordering(whole)))
    view = View(whole, Ordering(whole))
    jobs = kinds.plan(view)
    backwards = {rel: kinds.render(view, jobs[rel]).content for rel in reversed(list(jobs)) if not jobs[rel].kind.joins}
    assert {rel: first[rel] for rel in backwards} == backwards


def test_two_kinds_naming_one_file_is_an_error_naming_both(monkeypatch: pytest.MonkeyPatch) -> None:
    whole, _ = check(REPO / "data", warnings=False)
    assert whole is not None
    clash = kinds.Kind("clash", lambda view: [(paths.HOME, "a second home page", None)], kinds.whole(lambda view: ""))
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, clash))
    with pytest.raises(DataError) as caught:
        kinds.plan(View(whole, Ordering(whole)))
    assert (
        str(caught.value.problems[0])
        == "docs/index.md:1:1: -: two pages would be written here: the home page and a second home page"
    )


def pipeline_generate(project: Paths) -> None:
    build.generate(project)


def test_a_command_run_once_ends_without_turning_the_cycle_collector_on_again() -> None:
    """Turned on again after a build, Python's cycle collector walks every object the build made
    (0.3 s at 100,000 records) just before the process ends without freeing them (exit_now)."""
    # As `python -m generator check` runs, with exit_now saying whether the collector is on instead.
    code = (
        "import gc, os, runpy, sys; import generator.engine.write as w; "
        "w.exit_now = lambda code: (print('collecting' if gc.isenabled() else 'paused', code), sys.stdout.flush(), os._exit(0)); "
        "sys.argv = ['generator', *sys.argv[1:]]; runpy.run_module('generator', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "check", "--data", str(REPO / "data")], capture_output=True, text=True, timeout=300
    )
    assert done.stdout.splitlines()[-1] == "paused 0", done.stderr
    assert not cli.collects(["build", "--full"]) and not cli.collects(["generate"]) and not cli.collects(["compile"])
    assert cli.collects(["serve"]) and cli.collects(["import", "article.html"]), "they run on, or read document after document"
