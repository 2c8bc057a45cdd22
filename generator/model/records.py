"""The record kinds editors write in data/: regions, themes, practices, cases, and synonyms for search."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from ..sources.pinyin import han_count
from .fields import Date, LongText, Measure, Metric, Policy, RegionCode, Slug, Source, Strict, Text, Visible

# Plain literals, so YAML, JSON Schema and error messages all show the same words.
Level = Annotated[Literal["province", "prefecture", "county", "township"], Visible]
Status = Annotated[Literal["draft", "reviewed", "published"], Visible]
CaseKind = Annotated[Literal["programme", "workshop", "team", "person", "station"], Visible]


TonedPinyin = Annotated[
    str,
    StringConstraints(pattern=r"^[a-zv]+[1-5]( [a-zv]+[1-5])*$"),
    Field(description="Pinyin, one syllable per character with tone number 1-5, ü as v: chang2 zhi4 shi4"),
    Visible,
]


class Region(Strict):
    """An administrative division (GB/T 2260)."""

    code: RegionCode
    name: Text = Field(description="Official name, for example 婺城区")
    level: Level = Field(description="province, prefecture, county or township")
    parent: RegionCode | None = Field(default=None, description="Code of the region one level up (none for a province)")
    pinyin: TonedPinyin

    @field_validator("pinyin")
    @classmethod
    def _one_syllable_per_character(cls, pinyin: str, info: ValidationInfo) -> str:
        name = info.data.get("name") or ""
        syllables, characters = len(pinyin.split()), han_count(name)
        if name and syllables != characters:
            raise ValueError(f"{syllables} syllable(s) for the {characters} character(s) of {name}")
        return pinyin


class Theme(Strict):
    """One term of the controlled theme vocabulary."""

    id: Slug
    name: Text = Field(description="Name shown on the site")
    description: LongText = Field(description="What records under this theme are about")
    parent: Slug | None = Field(default=None, description="id of the broader theme, if any")


Tag = Annotated[str, StringConstraints(min_length=1, max_length=40), Visible]


class Record(Strict):
    """Fields shared by practices and case studies."""

    id: Slug = Field(description="Equals the file name without .yaml")
    title: Text = Field(description="Title in Simplified Chinese, in our own words")
    region: RegionCode = Field(description="Code of the region the record belongs to")
    date: Date = Field(description="Date of the facts described (usually the source's publication date)")
    themes: list[Slug] = Field(default_factory=list, description="ids from data/themes.yaml")
    metrics: list[Metric] = Field(default_factory=list, description="Every figure the sources report")
    sources: list[Source] = Field(min_length=1, description="Articles the record is based on")
    tags: list[Tag] = Field(default_factory=list, description="Free keywords")
    status: Status = Field(default="draft", description="draft, reviewed or published")

    @field_validator("themes", "tags")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        seen: set[str] = set()
        for value in values:  # one pass: a hostile file may list a hundred thousand tags
            if value in seen:
                raise ValueError(f"'{value}' is listed twice")
            seen.add(value)
        return values


class Practice(Record):
    """A local practice (经验做法) of a region."""

    summary: LongText = Field(description="What the region did and achieved, in a few sentences")
    measures: list[Measure] = Field(default_factory=list, description="The measures, each with a title")
    policies: list[Policy] = Field(default_factory=list, description="Documents cited (titles inside 《》)")
    cases: list[Slug] = Field(default_factory=list, description="ids of case studies that illustrate it")


class Case(Record):
    """A case study: an enterprise programme, a workshop, a team, a person, a service station."""

    kind: CaseKind = Field(description="programme, workshop, team, person or station")
    organization: Text = Field(description="Enterprise or body where it happens")
    narrative: LongText = Field(description="The story and its results; blank lines separate paragraphs")
    practices: list[Slug] = Field(default_factory=list, description="ids of practices it illustrates")


class Synonyms(Strict):
    """Words that name one thing, a full name and its abbreviations (data/synonyms.yaml): a search
    for any of them finds the records that use the others."""

    terms: list[Text] = Field(
        min_length=2, description="Two or more Chinese words of two characters or more: 产业工人队伍建设改革, 产改"
    )

    @field_validator("terms")
    @classmethod
    def _chinese_words(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if len(term) < 2 or han_count(term) != len(term):
                raise ValueError(f"'{term}' is not a Chinese word of two characters or more (no spaces, Latin letters or digits)")
        seen = [t for i, t in enumerate(terms) if t in terms[:i]]
        if seen:
            raise ValueError(f"'{seen[0]}' is listed twice")
        return terms
