"""The search index keeps each document's number: adding or deleting a record rewrites only the
index files that hold it, its terms, or a document whose number its coming or going changed.

A document's number is its url's hash slot (the next free one when two urls share a slot), so a
clean build gives every document the number an incremental build left it with; the site after
each step still equals a clean build byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from projects import CleanBuilds, Project, assert_like_clean, change_setting, make_sample_data, read_yaml, write_yaml

from generator.outputs.search import shards as shards_module
from generator.outputs.search.shards import decode_postings, numbers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_build_time")]


def test_numbers_depend_on_the_set_of_urls_not_on_their_order_or_history() -> None:
    urls = [f"practices/p{i:04d}.html" for i in range(300)]
    numbered = numbers(urls)
    assert numbers(reversed(urls)) == numbered
    assert len(set(numbered.values())) == len(urls), "two documents share a number"
    grown = numbers([*urls, "cases/new.html"])
    moved = [u for u in urls if grown[u] != numbered[u]]
    assert len(moved) <= 3, f"adding one url renumbered {moved}"
    assert numbers(grown.keys() - {"cases/new.html"}) == numbered


# --- the index on disk --------------------------------------------------------------------------------


def script_data(text: str):
    """The arguments of the one cgSearch call an index file makes."""
    return json.loads("[" + text[text.index("(") + 1 : text.rindex(")")] + "]")


class Index:
    """site/search/ as it is now: every file's bytes and stamp, every document's number, and
    which term shard holds postings of which numbers."""

    def __init__(self, site: Path):
        root = site / "search"
        paths = sorted(root.rglob("*.js"))
        self.bytes = {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}
        # A file written anew gets another inode (written to a temporary name and renamed).
        self.stamps = {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in paths}
        self.meta = script_data(self.bytes["meta.js"].decode())[0]
        self.numbers: dict[str, int] = {}
        self.postings: dict[str, set[int]] = {}
        for rel, data in self.bytes.items():
            if rel.startswith("d/"):
                _, n, entries = script_data(data.decode())
                per = self.meta["docSlotsPerShard"]
                self.numbers.update({entry[0]: n * per + i for i, entry in enumerate(entries) if entry})
            elif rel.startswith("t/"):  # a long list is k here, its postings in p/<n>-<k>.js
                _, n, shard = script_data(data.decode())
                lists = [
                    text if isinstance(text, str) else script_data(self.bytes[f"p/{n}-{text}.js"].decode())[2]
                    for text in shard.values()
                ]
                self.postings[rel] = {n for text in lists for n in decode_postings(text)}
            elif rel.startswith("p/"):
                _, _, text = script_data(data.decode())
                self.postings[rel] = set(decode_postings(text))
        self.long = {rel for rel in self.bytes if rel.startswith("p/")}

    def files_holding(self, numbers: set[int]) -> set[str]:
        """The files with something of these document numbers."""
        out = {f"d/{n // self.meta['docSlotsPerShard']}.js" for n in numbers}
        out |= {f"x/{n // self.meta['excerptSlotsPerShard']}.js" for n in numbers}
        return out | {rel for rel, held in self.postings.items() if held & numbers}


def step(project: Project, clean: CleanBuilds, change) -> tuple[set[str], set[str], int]:
    """Change data/, build; (index files written, files holding a changed document before or after, files in all)."""
    before = Index(project.site)
    change()
    project.build()
    assert_like_clean(project, clean.of(project.data))
    after = Index(project.site)
    written = {rel for rel, stamp in after.stamps.items() if before.stamps.get(rel) != stamp}
    differing = {rel for rel, data in after.bytes.items() if before.bytes.get(rel) != data}
    assert written == differing, f"index files written with the bytes they had: {sorted(written - differing)}"
    changed = {u for u in before.numbers.keys() | after.numbers.keys() if before.numbers.get(u) != after.numbers.get(u)}
    assert 1 <= len(changed) <= 6, f"documents added, deleted or renumbered: {sorted(changed)}"
    holding = before.files_holding({before.numbers[u] for u in changed if u in before.numbers})
    holding |= after.files_holding({after.numbers[u] for u in changed if u in after.numbers})
    return written, holding, len(after.stamps)


@pytest.fixture(scope="module")
def larger_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough records for several document shards."""
    return make_sample_data(tmp_path_factory.mktemp("larger") / "data", records=150, seed=11)


@pytest.mark.parametrize("long_postings", [shards_module.LONG_POSTINGS, 60], ids=["as-shipped", "many-long-lists"])
def test_adding_and_deleting_a_record_rewrites_only_the_index_files_that_hold_it(
    larger_sample: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch, long_postings: int
) -> None:
    # With lists over 60 characters in files of their own, about a term in four has one, and
    # adding a record makes some short lists long: the files come, go and are renumbered in step.
    change_setting(monkeypatch, shards_module, "LONG_POSTINGS", long_postings)
    project = Project(tmp_path / "project", larger_sample)
    project.build()
    clean = CleanBuilds(tmp_path_factory.mktemp("clean-index"))
    practice = next(iter(project.files("practices")))

    def add() -> None:
        record = read_yaml(practice)
        record.update(id="added-practice", title="新增的经验做法：班组长轮训")  # in a region that has a page
        write_yaml(project.data / "practices" / "added-practice.yaml", record)

    def delete() -> None:
        os.unlink(project.files("cases")[0])

    for change in (add, delete):
        written, holding, total = step(project, clean, change)
        # What holds the added or deleted document, or one whose number changed, and the files of
        # counts and lists (meta.js: documents; facets.js and titles.js: the records of the listing filters;
        # doc-facets.js: every document's facets on the search page).
        allowed = holding | {"meta.js", "facets.js", "titles.js", "doc-facets.js"}
        assert written <= allowed, f"{change.__name__}: written beyond: {written - allowed}"
        shards = {rel for rel in written if rel.startswith(("d/", "x/"))}
        assert 1 <= len(shards) <= 6, f"{change.__name__}: document and excerpt shards written: {sorted(shards)}"
        assert len(written) < total / 2, f"{change.__name__}: {len(written)} of {total} index files written"
        long = Index(project.site).long
        assert (len(long) > 20) == (long_postings == 60), f"{len(long)} files of long postings"
