"""The search index's facet files (facets.js, doc-facets.js) read no title and no text: a build
after an edit of either keeps the ones the last build made, by a key of all that they read, and
makes them again after any edit that may change them. The site is a clean build's either way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import CleanBuilds, Project, assert_like_clean, make_sample_data, read_yaml, write_yaml

from generator.engine.check import check
from generator.model.link import visible
from generator.model.ordering import Ordering
from generator.outputs.search import facets as facets_module
from generator.outputs.search.documents import urls
from generator.outputs.search.facets import FACET_FILES, facet_key, graph_files
from generator.outputs.search.shards import numbers


def made(data: Path) -> tuple[str, dict[str, str]]:
    """The facet key of data/ and the facet files made from it."""
    whole, _ = check(data, warnings=False)
    assert whole is not None
    graph = visible(whole, False)  # the public site's
    ordering = Ordering(graph)
    numbered = numbers(urls(graph))
    files = graph_files(graph, ordering, numbered)
    return facet_key(graph, ordering, numbered), {name: files[name] for name in FACET_FILES}


def first(data: Path, kind: str = "practices") -> Path:
    return sorted((data / kind).glob("*.yaml"))[0]


def edit(path: Path, change: Callable[[dict], object]) -> None:
    value = read_yaml(path)
    change(value)
    write_yaml(path, value)


def swap_regions(data: Path) -> None:
    """Swap the regions of two records: every region page stays, and so does every document's
    number (the key must see the regions themselves)."""
    paths = sorted((data / "practices").glob("*.yaml"))
    regions = [read_yaml(path)["region"] for path in paths]
    other = next(i for i, region in enumerate(regions) if region != regions[0])
    edit(paths[0], lambda r: r.update(region=regions[other]))
    edit(paths[other], lambda r: r.update(region=regions[0]))


def other_themes(data: Path, record: dict) -> list[str]:
    themes = [t["id"] for t in read_yaml(data / "themes.yaml")]
    return [next(t for t in reversed(themes) if t not in record["themes"])]


# Edits that change no facet: the key stays, and the files it stands for are the same.
KEEP: dict[str, Callable[[Path], None]] = {
    "title": lambda data: edit(first(data), lambda r: r.update(title=r["title"] + "（修订）")),
    "summary": lambda data: edit(first(data), lambda r: r.update(summary=r["summary"] + "另有补充。")),
    "a case's narrative": lambda data: edit(first(data, "cases"), lambda r: r.update(narrative=r["narrative"] + "另有补充。")),
    "tags": lambda data: edit(first(data), lambda r: r.update(tags=["新增标签"])),
    "same year, another day": lambda data: edit(
        first(data), lambda r: r.update(date=r["date"].replace(day=1 if r["date"].day > 1 else 2))
    ),
}

# Edits that change what the facets show: the files differ, and so must the key.
CHANGE: dict[str, Callable[[Path], None]] = {
    "regions swapped": swap_regions,
    "year": lambda data: edit(first(data), lambda r: r.update(date=r["date"].replace(year=r["date"].year - 1))),
    "themes": lambda data: edit(first(data), lambda r: r.update(themes=other_themes(data, r))),
    "draft": lambda data: edit(first(data), lambda r: r.update(status="draft")),
    "theme renamed": lambda data: write_yaml(
        data / "themes.yaml",
        [{**t, "name": t["name"] + "（新）"} if i == 0 else t for i, t in enumerate(read_yaml(data / "themes.yaml"))],
    ),
    "record deleted": lambda data: first(data, "cases").unlink(),
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_sample_data(tmp_path / "data", records=12, seed=5)


@pytest.mark.parametrize("name", KEEP)
def test_an_edit_of_what_no_facet_shows_keeps_the_key_and_the_files(data: Path, name: str) -> None:
    key, files = made(data)
    KEEP[name](data)
    after_key, after_files = made(data)
    assert after_files == files, f"{name}: the facet files changed; the edit belongs in CHANGE"
    assert after_key == key, f"{name}: the key changed, and the files would be made again for nothing"


@pytest.mark.parametrize("name", CHANGE)
def test_an_edit_that_changes_a_facet_changes_the_key(data: Path, name: str) -> None:
    key, files = made(data)
    CHANGE[name](data)
    after_key, after_files = made(data)
    assert after_files != files, f"{name}: the facet files are the same; the edit proves nothing here"
    assert after_key != key, f"{name}: the facet files changed under the same key: a build would keep stale ones"


@pytest.mark.slow
@pytest.mark.usefixtures("fixed_build_time")
def test_a_build_after_a_title_edit_keeps_the_facet_files_and_builds_what_a_clean_build_does(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path / "project", make_sample_data(tmp_path / "sample", records=12, seed=5))
    clean = CleanBuilds(tmp_path_factory.mktemp("clean-facets"))
    project.build()
    calls: list[str] = []
    for name in ("facets", "doc_facets"):
        real = getattr(facets_module, name)
        monkeypatch.setattr(facets_module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))

    KEEP["title"](project.data)
    project.build()
    assert calls == [], "a title edit made the facet files again"
    assert_like_clean(project, clean.of(project.data), when="after a title edit")
    calls.clear()  # the clean build made its own

    CHANGE["themes"](project.data)
    project.build()
    assert sorted(calls) == ["doc_facets", "facets"], "a theme edit kept the last facet files"
    assert_like_clean(project, clean.of(project.data), when="after a theme edit")
