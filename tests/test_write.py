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
