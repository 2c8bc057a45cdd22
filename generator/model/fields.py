"""Field types and small value objects shared by every record kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# The importer writes 待填：… where it could not find a required value; check names each one until it is filled.
PLACEHOLDER = "待填"


def _left_to_fill(value: object, what: str) -> None:
    if isinstance(value, str) and value.strip().startswith(PLACEHOLDER):
        raise ValueError(f"fill in {what}; the importer could not find it in the article")


def _filled_text(value: object) -> object:
    if isinstance(value, str):
        _left_to_fill(value, f"this field ({value.strip().removeprefix(PLACEHOLDER).lstrip('：: ')})")
    return value


# Unicode's format characters (category Cf, as of Unicode 14, Python 3.11's unicodedata): invisible,
# yet they reorder text (bidi embeddings, overrides and isolates: U+202E shows "txt.exe" as
# "exe.txt"), hide it or split it (zero-width spaces and joiners, a BOM inside text, the soft
# hyphen). tests/test_clean_text.py checks this class against unicodedata.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
ZWJ = "\u200d"  # ZERO WIDTH JOINER: allowed between two emoji (👩‍💻), where it joins them into one
_EMOJI_PARTS = "\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"  # variation selector, skin tones


def _emoji_joiner(text: str, at: int) -> bool:
    """text[at] is a ZWJ between two emoji (a symbol, with its variation selector or skin tone)."""
    before = text[:at].rstrip(_EMOJI_PARTS)
    after = text[at + 1 : at + 2]
    return bool(before and after) and unicodedata.category(before[-1]) == "So" and unicodedata.category(after) == "So"


def _visible(value: object) -> object:
    """Refuse text holding an invisible format character, naming it; every text field goes through this."""
    if isinstance(value, str) and FORMAT_CHARACTERS.search(value):
        for found in FORMAT_CHARACTERS.finditer(value):
            at = found.start()
            if value[at] == ZWJ and _emoji_joiner(value, at):
                continue
            code = ord(value[at])
            name = unicodedata.name(value[at], "FORMAT CHARACTER")
            raise ValueError(
                f"invisible character U+{code:04X} {name} at character {at + 1}; remove it "
                "(format characters can reverse, hide or split the text a page shows)"
            )
    return value


Visible = BeforeValidator(_visible)


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, instances never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True, defer_build=True)


def _code_from_int(value: object) -> object:
    _left_to_fill(value, "the region code (GB/T 2260, see data/regions/)")
    # Editors often leave codes unquoted (region: 330702), which YAML reads as a number.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _number_to_text(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


def _date_from_text(value: object) -> object:
    # A quoted "2021-04-08" is as clear as an unquoted one; anything else must be a real date.
    _left_to_fill(value, "the publication date (YYYY-MM-DD)")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a real date in the form YYYY-MM-DD") from None
    return value


def _http_only(url: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", url, re.IGNORECASE):
        raise ValueError("only http:// or https:// addresses with a host name are accepted")
    if re.search(r"[\s<>\"'`\\]", url):
        raise ValueError("the address contains spaces, quotes or angle brackets")
    return url


# Every type of a text field carries Visible as its last before-validator, so that it runs first
# (pydantic runs them from the last to the first).
Text = Annotated[str, BeforeValidator(_filled_text), StringConstraints(min_length=1, max_length=200), Visible]
LongText = Annotated[str, BeforeValidator(_filled_text), StringConstraints(min_length=1, max_length=20000), Visible]
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG, max_length=80),
    Field(description="Lowercase ASCII letters, digits and single hyphens, for example jinhua-wucheng-2021"),
    Visible,
]
RegionCode = Annotated[
    str,
    BeforeValidator(_code_from_int),
    StringConstraints(pattern=r"^[1-9]\d{5}(\d{3})?$"),
    Field(description="GB/T 2260 six-digit code (province, prefecture, county) or nine-digit code (town or street)"),
    Visible,
]
Year = Annotated[int, Field(ge=1949, le=2100, description="Four-digit year")]
Url = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(_http_only),
    Field(description="http:// or https:// address", json_schema_extra={"pattern": "^https?://"}),
    Visible,
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date_from_text),
    Field(description="Date as YYYY-MM-DD", json_schema_extra={"format": "date"}),
    Visible,
]
FigureValue = Annotated[
    str,
    BeforeValidator(_number_to_text),
    StringConstraints(min_length=1, max_length=40, pattern=r"\d"),
    Field(description="The figure exactly as the source states it, without unit: 1185, 1338余, 4000-6000, 29.79"),
    Visible,
]


class Measure(Strict):
    """One titled measure (举措) of a practice."""

    title: Text = Field(description="Short heading of the measure")
    text: LongText = Field(description="What was done, in our own words; blank lines separate paragraphs")


class Metric(Strict):
    """A figure the source reports, with the indicator it measures."""

    indicator: Text = Field(description="What the figure measures, for example 新增高技能人才")
    value: FigureValue
    unit: Annotated[str, StringConstraints(max_length=20), Visible] = Field(
        default="", description="Unit as the source states it: 人, 万元, %, 家 (empty when the figure has none)"
    )
    year: Year | None = Field(default=None, description="Year the figure refers to, when the source says")
    note: Annotated[str, StringConstraints(max_length=500), Visible] | None = Field(
        default=None, description="Context needed to read the figure"
    )


class Policy(Strict):
    """A document cited by name (the title inside 《》)."""

    title: Text = Field(description="Title of the document without 《》")
    issuer: Text | None = Field(default=None, description="Body that issued it, when known")
    year: Year | None = Field(default=None, description="Year issued, when known")


class Source(Strict):
    """Where the facts come from."""

    title: Text = Field(description="Title exactly as published (may be Traditional Chinese)")
    publisher: Text = Field(description="Publishing outlet, for example 中工网")
    date: Date = Field(description="Publication date")
    url: Url | None = Field(default=None, description="Address of the article, when the page names one")
    author: Text | None = Field(default=None, description="Author or reporters, when given")
