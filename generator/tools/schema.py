"""Publish the record models as JSON Schema files, so editors' YAML tooling can complete and check fields.

Run `python -m generator.tools.schema` after changing a model; a test fails while the files are out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, TypeAdapter

from ..model.records import Case, Practice, Region, Synonyms, Theme

if TYPE_CHECKING:
    from typing_extensions import TypeForm

FOLDER = Path(__file__).resolve().parents[1] / "model" / "schema"

SCHEMAS: dict[str, TypeForm[object]] = {
    "practice.schema.json": Practice,
    "case.schema.json": Case,
    "regions.schema.json": list[Region],
    "themes.schema.json": list[Theme],
    "synonyms.schema.json": list[Synonyms],
}


def schema_text(target: TypeForm[object]) -> str:
    schema = (
        target.model_json_schema()
        if isinstance(target, type) and issubclass(target, BaseModel)
        else TypeAdapter(target).json_schema()
    )
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    for name, target in SCHEMAS.items():
        (FOLDER / name).write_text(schema_text(target), encoding="utf-8")
        print(f"wrote generator/model/schema/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
