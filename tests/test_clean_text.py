"""Text that reaches a page holds no invisible format character (Unicode category Cf): a bidi
override shows the rest of a title backwards, a zero-width space makes two tags that look the
same differ. Every text field of every model refuses them, naming the code point; a ZERO WIDTH
JOINER between two emoji (👩‍💻) is the one kind allowed."""

from __future__ import annotations

import datetime as dt
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.model.fields import FORMAT_CHARACTERS
from generator.model.load import load_record, load_regions, load_themes
from generator.model.records import Case, Practice, Region, Theme

WHY = "remove it (format characters can reverse, hide or split the text a page shows)"


def test_the_format_characters_are_unicodes_category_cf() -> None:
    every = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    matched = {chr(c) for c in range(0x110000) if FORMAT_CHARACTERS.fullmatch(chr(c))}
    assert matched == every


PRACTICE = {
    "id": "sample",
    "title": "长治市推进产改",
    "region": "140400",
    "date": "2022-01-18",
    "themes": ["skills"],
    "summary": "长治市的做法。",
    "measures": [{"title": "以赛促学", "text": "举办技能比赛。"}],
    "metrics": [{"indicator": "新增高技能人才", "value": "1185", "unit": "人", "year": 2020, "note": "当年数"}],
    "policies": [{"title": "关于深化产业工人队伍建设改革的意见", "issuer": "中共中央 国务院", "year": 2017}],
    "cases": ["zhang-studio"],
    "sources": [
        {"title": "长治产改", "publisher": "长治日报", "date": "2022-01-18", "url": "https://example.org/a", "author": "周垚"}
    ],
    "tags": ["高技能人才"],
    "status": "published",
}
CASE = {
    **{k: v for k, v in PRACTICE.items() if k not in ("summary", "measures", "policies", "cases")},
    "kind": "workshop",
    "organization": "长治钢铁",
    "narrative": "工作室的故事。",
    "practices": ["changzhi-practice"],
}
REGION = {"code": "140400", "name": "长治市", "level": "prefecture", "parent": "140000", "pinyin": "chang2 zhi4 shi4"}
THEME = {"id": "skills", "name": "技能", "description": "提高技能。", "parent": "training"}


def write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def title_problems(tmp_path: Path, title: str) -> list[str]:
    write(tmp_path / "data" / "practices" / "sample.yaml", {**PRACTICE, "title": title})
    _, problems = load_record(Practice, tmp_path / "data" / "practices" / "sample.yaml", tmp_path / "data")
    return [str(p) for p in problems]


# (a title, every problem with it)
TITLES = [
    (
        "长治市\u202e改产进推",
        [f"data/practices/sample.yaml:2:8: title: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at character 4; {WHY}"],
    ),
    (
        "\u2066长治市\u2069推进产改",
        [f"data/practices/sample.yaml:2:8: title: invisible character U+2066 LEFT-TO-RIGHT ISOLATE at character 1; {WHY}"],
    ),
    (
        "长治\u200b市推进产改",
        [f"data/practices/sample.yaml:2:8: title: invisible character U+200B ZERO WIDTH SPACE at character 3; {WHY}"],
    ),
    (
        "长治市\ufeff推进产改",
        [f"data/practices/sample.yaml:2:8: title: invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE at character 4; {WHY}"],
    ),
    ("产业\u00ad工人", [f"data/practices/sample.yaml:2:8: title: invisible character U+00AD SOFT HYPHEN at character 3; {WHY}"]),
    (
        "长治\u200d市推进产改",
        [f"data/practices/sample.yaml:2:8: title: invisible character U+200D ZERO WIDTH JOINER at character 3; {WHY}"],
    ),
    ("👩\u200d", [f"data/practices/sample.yaml:2:8: title: invisible character U+200D ZERO WIDTH JOINER at character 2; {WHY}"]),
    ("女工程师👩\u200d💻的创新工作室", []),  # a joiner inside an emoji sequence
    ("彩虹旗🏳\ufe0f\u200d🌈", []),  # after a variation selector
    ("工匠👷🏽\u200d♀\ufe0f", []),  # after a skin tone
]


@pytest.mark.parametrize("title, expected", TITLES, ids=[f"title-{i}" for i in range(len(TITLES))])
def test_a_title_with_a_format_character_is_refused_naming_it(tmp_path: Path, title: str, expected: list[str]) -> None:
    assert title_problems(tmp_path, title) == expected


def string_fields(model: type[BaseModel], prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every field of model (and of the models inside it) that holds text: strings,
    literals of strings and dates (which are written as text); lists by their first item."""
    out = []
    for name, info in model.model_fields.items():
        loc, kind = prefix + (name,), info.annotation
        while True:
            origin = typing.get_origin(kind)
            if origin in (typing.Union, types.UnionType):
                kind = next(a for a in typing.get_args(kind) if a is not type(None))
            elif origin is list:
                kind, loc = typing.get_args(kind)[0], loc + (0,)
            elif origin is typing.Annotated:
                kind = typing.get_args(kind)[0]
            else:
                break
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += string_fields(kind, loc)
        elif kind in (str, dt.date) or typing.get_origin(kind) is typing.Literal:
            out.append(loc)
    return out


def _get(value: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        value = value[part]
    return value


def _set(value: Any, loc: tuple[str | int, ...], new: Any) -> None:
    _get(value, loc[:-1])[loc[-1]] = new


def _shown(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(loc))


def _load(kind: str, tmp_path: Path, value: dict) -> list[str]:
    data = tmp_path / "data"
    if kind in ("practices", "cases"):
        write(data / kind / "sample.yaml", value)
        model = Practice if kind == "practices" else Case
        return [str(p) for p in load_record(model, data / kind / "sample.yaml", data)[1]]
    write(data / f"{kind}.yaml", [value])
    return [str(p) for p in (load_regions if kind == "regions" else load_themes)(data)[1]]


MODELS = [("practices", Practice, PRACTICE), ("cases", Case, CASE), ("regions", Region, REGION), ("themes", Theme, THEME)]
FIELDS = [(kind, loc) for kind, model, _ in MODELS for loc in string_fields(model)]


def test_the_samples_fill_every_text_field_of_every_model() -> None:
    """So that the test below reaches every one: a new field needs a sample value here."""
    for _, model, sample in MODELS:
        for loc in string_fields(model):
            _get(sample, loc)  # KeyError or IndexError when a field has no sample
    assert len(FIELDS) >= 35


@pytest.mark.parametrize("kind, loc", FIELDS, ids=[f"{k}:{_shown(loc)}" for k, loc in FIELDS])
def test_every_text_field_refuses_a_bidi_override_naming_file_line_and_field(
    tmp_path: Path, kind: str, loc: tuple[str | int, ...]
) -> None:
    sample = next(s for k, _, s in MODELS if k == kind)
    value = yaml.safe_load(yaml.safe_dump(sample))  # a deep copy
    text = str(_get(value, loc))
    _set(value, loc, text[:1] + "\u202e" + text[1:])
    problems = _load(kind, tmp_path, value)
    line = next(
        i
        for i, row in enumerate(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000).split("\n"), 1)
        if "\u202e" in row
    )
    field = _shown(loc)
    path = f"data/{kind}/sample.yaml" if kind in ("practices", "cases") else f"data/{kind}.yaml"
    assert len(problems) == 1, problems
    where, message = problems[0].split(": ", 1)
    assert where.startswith(f"{path}:{line}:")
    assert message == f"{field}: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at character 2; {WHY}"
