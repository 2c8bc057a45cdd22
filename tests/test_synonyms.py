"""data/synonyms.yaml: words search takes for one another, validated like the rest of data/, every
problem with its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine.build import check

GOOD = "- terms: [产业工人队伍建设改革, 产改]\n- terms: [人力资源和社会保障, 人社]\n"

# (the file as an editor might write it, the exact message check prints for it)
TABLE = [
    ("- terms: [产改]\n", "data/synonyms.yaml:1:10: terms: List should have at least 2 items after validation, not 1"),
    (
        "- terms: [产改, 产 改]\n",
        "data/synonyms.yaml:1:10: terms: '产 改' is not a Chinese word of two characters or more (no spaces, Latin letters or digits)",
    ),
    (
        "- terms: [人社, 人社局, HR]\n",
        "data/synonyms.yaml:1:10: terms: 'HR' is not a Chinese word of two characters or more (no spaces, Latin letters or digits)",
    ),
    (
        "- terms: [人社, 社]\n",
        "data/synonyms.yaml:1:10: terms: '社' is not a Chinese word of two characters or more (no spaces, Latin letters or digits)",
    ),
    ("- terms: [人社, 人社]\n", "data/synonyms.yaml:1:10: terms: '人社' is listed twice"),
    ("- term: [人社, 人力资源和社会保障]\n", "data/synonyms.yaml:1:3: term: unknown field 'term'; did you mean 'terms'?"),
    (
        GOOD + "- terms: [工信, 人社]\n",
        "data/synonyms.yaml:3:15: terms[1]: '人社' is in two groups (also at line 2); merge them into one",
    ),
    ("terms: [产改, 产业工人队伍建设改革]\n", "data/synonyms.yaml:1:1: -: expected a list of entries, each starting with '- '"),
]


@pytest.mark.parametrize("text, expected", TABLE)
def test_each_mistake_is_reported_with_file_line_and_field(data_dir: Path, text: str, expected: str) -> None:
    (data_dir / "synonyms.yaml").write_text(text, encoding="utf-8")
    _, problems = check(data_dir)
    assert expected in [str(p) for p in problems]


def test_the_groups_reach_the_graph_as_written(data_dir: Path) -> None:
    (data_dir / "synonyms.yaml").write_text(GOOD, encoding="utf-8")
    graph, problems = check(data_dir)
    assert graph is not None and not [p for p in problems if p.severity == "error"]
    assert graph.synonyms == (("产业工人队伍建设改革", "产改"), ("人力资源和社会保障", "人社"))


def test_without_the_file_there_are_none(data_dir: Path) -> None:
    (data_dir / "synonyms.yaml").unlink()
    graph, _ = check(data_dir)
    assert graph is not None and graph.synonyms == ()


def test_the_librarys_own_file_is_valid() -> None:
    from repo_paths import REPO

    graph, problems = check(REPO / "data")
    assert graph is not None and len(graph.synonyms) >= 5
    assert not [str(p) for p in problems if p.severity == "error" and "synonyms" in p.path]
