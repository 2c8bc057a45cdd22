"""A kept record keeps the line and column of every value, compactly: check holds the marks of the
whole library at once, and at national scale they were the larger part of its memory."""

from __future__ import annotations

import pickle
import tracemalloc
from pathlib import Path

from repo_paths import REPO

from generator.sources.yamlfile import Marks, parse

RECORDS = sorted([*(REPO / "data" / "practices").glob("*.yaml"), *(REPO / "data" / "cases").glob("*.yaml")])


def parsed(path: Path) -> Marks:
    document, problems = parse(path.read_text(encoding="utf-8"), path.name)
    assert document is not None and not problems, problems
    return document.marks


def test_compact_marks_point_where_the_parsed_ones_do_for_every_value_and_key():
    assert len(RECORDS) >= 20
    for path in RECORDS:
        marks = parsed(path)
        small = marks.compact()
        assert dict(small.values) == dict(marks.values) and dict(small.keys) == dict(marks.keys), path
        for loc in marks.values:
            assert small.at(loc) == marks.at(loc) and small.at(loc, key=True) == marks.at(loc, key=True)
        # A field that is not there points at its nearest ancestor, as before.
        assert small.at(("metrics", 99, "value")) == marks.at(("metrics", 99, "value"))
        assert small.at(("no-such-field",)) == marks.at(())


def test_records_of_one_shape_share_their_paths_and_still_do_after_a_worker_sends_them_back():
    one = parse("title: 甲\nthemes:\n  - a\n  - b\n", "one.yaml")[0].marks.compact()
    two = parse("title: 乙乙乙\n\nthemes: [c, d]\n", "two.yaml")[0].marks.compact()
    assert one.values._shape is two.values._shape  # same paths, one index
    assert one.at(("themes", 1)) == (4, 5) and two.at(("themes", 1)) == (3, 13)
    back = pickle.loads(pickle.dumps([one, two]))
    assert back[0].values._shape is one.values._shape and back[1].at(("themes", 1)) == (3, 13)


def test_compact_marks_take_a_fifth_of_the_memory_or_less():
    # A library in which each of the repo's records has nine others of its shape (as many
    # metrics, sources, themes): national data repeats a few hundred shapes.
    texts = [path.read_text(encoding="utf-8") for path in RECORDS] * 10

    def held(keep) -> int:
        tracemalloc.start()
        kept = [keep(parse(text, "r.yaml")[0].marks) for text in texts]
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(kept) == len(texts)
        return size

    compact = held(Marks.compact)
    as_parsed = held(lambda marks: marks)
    assert compact * 5 <= as_parsed, (compact, as_parsed)
