"""Every kind of bad input gets one clear message: file, line, column, field, what is wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import BAD, REPO

from generator.engine.build import check

# (bad file under tests/fixtures/bad, the exact message check prints for it)
TABLE = [
    (
        "practices/yaml-syntax.yaml",
        "data/practices/yaml-syntax.yaml:3:7: -: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
    ),
    ("practices/tab-indent.yaml", "data/practices/tab-indent.yaml:9:1: -: tab used for indentation; indent with spaces"),
    (
        "practices/duplicate-key.yaml",
        "data/practices/duplicate-key.yaml:8:1: title: duplicate key 'title' (first at line 2); remove one of them",
    ),
    (
        "practices/unknown-field.yaml",
        "data/practices/unknown-field.yaml:2:1: titel: unknown field 'titel'; did you mean 'title'?",
    ),
    ("practices/missing-field.yaml", "data/practices/missing-field.yaml:1:1: summary: required field is missing"),
    ("practices/wrong-type.yaml", "data/practices/wrong-type.yaml:3:9: themes: Input should be a valid list"),
    (
        "practices/impossible-date.yaml",
        "data/practices/impossible-date.yaml:4:7: date: '2021-02-30' is not a real date (YYYY-MM-DD)",
    ),
    (
        "practices/left-to-fill-date.yaml",
        "data/practices/left-to-fill-date.yaml:4:7: date: fill in the publication date (YYYY-MM-DD); "
        "the importer could not find it in the article",
    ),
    (
        "practices/left-to-fill-region.yaml",
        "data/practices/left-to-fill-region.yaml:3:9: region: fill in the region code (GB/T 2260, see data/regions/); "
        "the importer could not find it in the article",
    ),
    (
        "practices/unknown-region.yaml",
        "data/practices/unknown-region.yaml:3:9: region: no region with code '330799'; did you mean '330702'?",
    ),
    (
        "practices/unknown-theme.yaml",
        "data/practices/unknown-theme.yaml:3:18: themes[1]: no theme 'skill-competition'; did you mean 'skill-competitions'?",
    ),
    (
        "practices/unknown-case.yaml",
        "data/practices/unknown-case.yaml:3:9: cases[0]: no case 'zhang-studoi'; did you mean 'zhang-studio'?",
    ),
    (
        "practices/zhang-studio.yaml",
        "data/cases/zhang-studio.yaml:1:5: id: duplicate record id 'zhang-studio': also in data/practices/zhang-studio.yaml:1",
    ),
    (
        "practices/id-mismatch.yaml",
        "data/practices/id-mismatch.yaml:1:5: id: id 'another-name' differs from the file name 'id-mismatch'",
    ),
    (
        "practices/unsafe-id.yaml",
        "data/practices/unsafe-id.yaml:1:5: id: '../x' is not a valid id: use lowercase ASCII letters, digits and single hyphens",
    ),
    (
        "practices/Upper.yaml",
        "data/practices/Upper.yaml:1:1: -: unsafe file name: use lowercase ASCII letters, digits and hyphens, then .yaml",
    ),
    (
        "practices/js-url.yaml",
        "data/practices/js-url.yaml:10:10: sources[0].url: only http:// or https:// addresses with a host name are accepted",
    ),
    ("practices/empty-file.yaml", "data/practices/empty-file.yaml:1:1: -: file is empty"),
    ("practices/not-utf8.yaml", "data/practices/not-utf8.yaml:2:8: -: file is not UTF-8 (byte 0xb2); save it as UTF-8"),
    ("practices/binary.yaml", "data/practices/binary.yaml:1:1: -: file is binary (contains NUL bytes), not YAML text"),
    (
        "practices/billion-laughs.yaml",
        "data/practices/billion-laughs.yaml:3:4: a: YAML anchor '&a' is not allowed in data/: write the value out in full "
        "(records never need anchors or aliases, and they can make a file of a few lines expand to gigabytes)",
    ),
    (
        "practices/deep-nesting.yaml",
        "data/practices/deep-nesting.yaml:3:17: title[0][0][0][0][0][0][0][0][0]: nested more than 10 levels deep "
        "(a record needs 3); remove the extra brackets or indentation",
    ),
    (
        "practices/long-number.yaml",
        "data/practices/long-number.yaml:8:28: metrics[0].value: '1:11:11:11:11:11:11:11:11:11:11:11:11:11… (121 characters)' "
        "is too long for a number or a date; put it in quotes if it is text",
    ),
    (
        "practices/bidi-override.yaml",
        "data/practices/bidi-override.yaml:3:8: title: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at character 4; "
        "remove it (format characters can reverse, hide or split the text a page shows)",
    ),
    (
        "practices/zero-width-space.yaml",
        "data/practices/zero-width-space.yaml:7:8: tags[0]: invisible character U+200B ZERO WIDTH SPACE at character 3; "
        "remove it (format characters can reverse, hide or split the text a page shows)",
    ),
    (
        "cases/bad-kind.yaml",
        "data/cases/bad-kind.yaml:3:7: kind: Input should be 'programme', 'workshop', 'team', 'person' or 'station'",
    ),
    (
        "regions/duplicate-code.yaml",
        "data/regions/duplicate-code.yaml:1:10: code: duplicate region code '330702': also in data/regions.yaml:4",
    ),
    ("regions/missing-parent.yaml", "data/regions/missing-parent.yaml:1:54: parent: no region with code '339900'"),
    (
        "regions/bad-pinyin.yaml",
        "data/regions/bad-pinyin.yaml:1:72: pinyin: 'cuo pin qu' is not pinyin with tone numbers (for example chang2 zhi4 shi4)",
    ),
]


def messages(data: Path) -> list[str]:
    _, problems = check(data)
    return [str(p) for p in problems]


def errors(data: Path) -> list[str]:
    _, problems = check(data)
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("bad, expected", TABLE, ids=[Path(b).stem for b, _ in TABLE])
def test_each_bad_file_is_reported_with_file_line_and_field(data_dir: Path, bad: str, expected: str) -> None:
    target = data_dir / bad
    target.parent.mkdir(exist_ok=True)
    if bad == "practices/zhang-studio.yaml":  # a practice reusing a case's id
        target = data_dir / "practices" / "zhang-studio.yaml"
    shutil.copy(BAD / bad, target)
    assert expected in messages(data_dir)


def test_the_fixture_dataset_itself_is_valid(data_dir: Path) -> None:
    assert errors(data_dir) == []


WARNINGS = [
    # a figure whose number the record's own text never mentions is often a typo
    "data/practices/wucheng-skills.yaml:15:32: metrics[1].value: warning: figure 1338余万元 appears nowhere in the record's text; check it against the source",
    "data/practices/changzhi-practice.yaml:8:5: sources[0].url: warning: source has no URL; add the article's address if it has one",
]


@pytest.mark.parametrize("expected", WARNINGS)
def test_likely_mistakes_are_warnings(data_dir: Path, expected: str) -> None:
    assert expected in messages(data_dir)


def test_a_record_without_themes_and_a_near_duplicate_title_are_warned(data_dir: Path) -> None:
    twin = data_dir / "practices" / "zhangzi-twin.yaml"
    text = (data_dir / "practices" / "zhangzi-practice.yaml").read_text(encoding="utf-8")
    twin.write_text(
        text.replace("id: zhangzi-practice", "id: zhangzi-twin")
        .replace("长子县班组长培训\n", "长子县班组长培训。\n", 1)
        .replace("themes: [skills]", "themes: []"),
        encoding="utf-8",
    )
    found = messages(data_dir)
    assert "data/practices/zhangzi-twin.yaml:1:1: themes: warning: record has no theme, so no theme page lists it" in found
    assert (
        "data/practices/zhangzi-twin.yaml:2:8: title: warning: title is nearly the same as "
        "data/practices/zhangzi-practice.yaml:2; is this the same record twice?"
    ) in found
    assert errors(data_dir) == []


def test_warnings_alone_do_not_fail_check(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--data", str(data_dir)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0 and "warning:" in result.stderr


def _check_command(data_dir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--data", str(data_dir), *options], capture_output=True, text=True, cwd=REPO
    )


URL_WARNING = "sources[0].url: warning: source has no URL; add the article's address if it has one"


def test_a_warning_given_many_times_is_counted_on_one_line_with_its_first_places(data_dir: Path) -> None:
    lines = _check_command(data_dir).stderr.splitlines()
    every = _check_command(data_dir, "--all").stderr.splitlines()
    without_url = sorted(line.split(": ")[0] for line in every if line.endswith(URL_WARNING))
    assert len(without_url) > 3
    assert [line for line in lines if "URL" in line] == [
        f"warning: {len(without_url)} × a source has no URL: {', '.join(without_url[:3])} "
        f"and {len(without_url) - 3} more (check --all lists every one)"
    ]
    # a rule that warns three times or fewer is printed whole
    assert (
        "data/practices/wucheng-skills.yaml:15:32: metrics[1].value: warning: figure 1338余万元 appears nowhere in the "
        "record's text; check it against the source"
    ) in lines


def test_errors_are_always_printed_whole(data_dir: Path) -> None:
    text = (BAD / "practices/unknown-field.yaml").read_text(encoding="utf-8")
    for n in range(5):
        (data_dir / "practices" / f"unknown-field-{n}.yaml").write_text(text, encoding="utf-8")
    result = _check_command(data_dir)
    assert result.returncode == 1
    for n in range(5):
        assert f"data/practices/unknown-field-{n}.yaml:2:1: titel: unknown field 'titel'; did you mean 'title'?" in result.stderr


def test_check_all_and_json_give_every_warning_with_its_rule(data_dir: Path) -> None:
    import json

    every = [line for line in _check_command(data_dir, "--all").stderr.splitlines() if line.endswith(URL_WARNING)]
    found = json.loads(_check_command(data_dir, "--format", "json").stdout)
    assert len([p for p in found if p["rule"] == "a source has no URL"]) == len(every) > 3


def test_an_absurdly_large_file_is_refused_before_parsing(data_dir: Path) -> None:
    (data_dir / "practices" / "huge.yaml").write_text("id: huge\nsummary: " + "很" * 400_000 + "\n", encoding="utf-8")
    assert "data/practices/huge.yaml:1:1: -: file is 1,200,019 bytes; a record file may be at most 1,000,000" in messages(
        data_dir
    )


def test_a_file_that_is_not_yaml_is_named(data_dir: Path) -> None:
    (data_dir / "practices" / "notes.txt").write_text("draft notes", encoding="utf-8")
    assert "data/practices/notes.txt:1:1: -: not a record: record files end in .yaml" in messages(data_dir)


def test_every_problem_is_reported_at_once(data_dir: Path) -> None:
    for bad, _ in TABLE[:8]:
        shutil.copy(BAD / bad, data_dir / bad)
    found = messages(data_dir)
    for _, expected in TABLE[:8]:
        assert expected in found


def test_a_record_that_fails_to_load_is_reported_once_not_at_every_record_that_names_it(data_dir: Path) -> None:
    # An editor's one wrong date in a practice gave four errors: the date, and "no practice" at each
    # case that names the practice (which is there, but wrong).
    practice, case = data_dir / "practices" / "wucheng-skills.yaml", data_dir / "cases" / "zhang-studio.yaml"
    for path in (practice, case):  # each names the other
        path.write_text(path.read_text(encoding="utf-8").replace("date: 2021-04-08", "date: 2021-02-30", 1), encoding="utf-8")
        assert [m.split(":")[0] for m in errors(data_dir)] == [f"data/{path.parent.name}/{path.name}"]
        path.write_text(path.read_text(encoding="utf-8").replace("date: 2021-02-30", "date: 2021-04-08", 1), encoding="utf-8")
    (data_dir / "practices" / "wucheng-skills.yaml").unlink()  # gone, not wrong: the case's reference is the error
    assert [m for m in errors(data_dir) if "no practice 'wucheng-skills'" in m]


def test_a_theme_that_is_its_own_ancestor_is_an_error(data_dir: Path) -> None:
    themes = data_dir / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace(
            "  description: 提高产业工人的技能和素质。", "  description: 提高产业工人的技能和素质。\n  parent: skill-competitions"
        ),
        encoding="utf-8",
    )
    assert "data/themes.yaml:4:11: parent: theme 'skills' is its own ancestor" in messages(data_dir)


def test_check_command_exits_non_zero_and_prints_every_problem(data_dir: Path) -> None:
    shutil.copy(BAD / "practices/unknown-field.yaml", data_dir / "practices")
    shutil.copy(BAD / "practices/js-url.yaml", data_dir / "practices")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--data", str(data_dir)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 1
    assert "unknown-field.yaml:2:1: titel: unknown field 'titel'" in result.stderr
    assert "js-url.yaml:10:10: sources[0].url:" in result.stderr
    assert "3 error(s)" in result.stderr


def test_check_json_format_is_machine_readable(data_dir: Path) -> None:
    import json

    shutil.copy(BAD / "practices/impossible-date.yaml", data_dir / "practices")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--format", "json", "--data", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert {
        "path": "data/practices/impossible-date.yaml",
        "line": 4,
        "column": 7,
        "field": "date",
        "message": "'2021-02-30' is not a real date (YYYY-MM-DD)",
        "severity": "error",
    } in json.loads(result.stdout)


def test_output_cut_short_by_its_reader_ends_quietly_without_a_traceback(data_dir: Path) -> None:
    # As `python -m generator check | head -1` does: the reader is gone before check prints.
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "check", "--data", str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
