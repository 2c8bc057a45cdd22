"""docs/ files are rewritten only when their bytes change: an unchanged file keeps its mtime, which
is how MkDocs and the site build after it know what to do again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine import write
from generator.engine.write import write_pages


@pytest.fixture(autouse=True)
def small_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "COMPARED_AT_ONCE", 7)  # files of a few reads, as a 100 MB download is


def test_a_file_with_the_same_bytes_is_left_alone(tmp_path: Path) -> None:
    data = bytes(range(256)) * 3
    first = write_pages(tmp_path, {"downloads/records.json": data})
    again = write_pages(tmp_path, {"downloads/records.json": data})
    assert first.written == ["downloads/records.json"] and again.written == [] and again.unchanged == 1
    assert again.stamps == first.stamps  # size, mtime and inode: the file was not replaced


@pytest.mark.parametrize("at", [0, 6, 7, 300, 767])  # in the first read, at a read's edge, in the middle, the last byte
def test_a_file_that_differs_in_any_one_byte_is_written_again(tmp_path: Path, at: int) -> None:
    data = bytes(range(256)) * 3
    write_pages(tmp_path, {"a.bin": data})
    changed = bytearray(data)
    changed[at] ^= 1
    report = write_pages(tmp_path, {"a.bin": bytes(changed)})
    assert report.written == ["a.bin"] and (tmp_path / "a.bin").read_bytes() == bytes(changed)


def test_a_file_of_another_length_is_written_again(tmp_path: Path) -> None:
    write_pages(tmp_path, {"a.txt": "甲乙丙"})
    assert write_pages(tmp_path, {"a.txt": "甲乙丙丁"}).written == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "甲乙丙丁"


def test_a_sites_digest_changes_with_any_stamp_in_or_out_of_the_folder_set_apart() -> None:
    """The build checks site/ against the digest its MkDocs process said; that process digests the
    files outside search/ before the index is moved in, and the index's after (write.site_digest)."""
    site = {"index.html": (10, 1, 1), "practices/p1.html": (20, 2, 2), "search/index.js": (30, 3, 3), "sitemap.xml": (5, 4, 4)}
    digest = write.site_digest(site, "search")
    assert digest == write.site_digest(dict(reversed(site.items())), "search"), "whatever the order of the walk"
    outside = write.stamps_digest({rel: st for rel, st in site.items() if not rel.startswith("search/")})
    assert digest == write.joined_digest(outside, write.stamps_digest({"search/index.js": (30, 3, 3)}))
    for rel in site:
        touched = {**site, rel: (site[rel][0] + 1, *site[rel][1:])}
        assert write.site_digest(touched, "search") != digest, rel
    assert write.site_digest({**site, "search/more.js": (1, 5, 5)}, "search") != digest
    assert write.site_digest({k: v for k, v in site.items() if k != "sitemap.xml"}, "search") != digest
