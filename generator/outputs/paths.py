"""Where everything the site makes lives: one address per page and file, relative to docs/.

Every output kind names its files here and links to others by these names, so the pages, the
take-aways and the search index agree on addresses without importing one another. A folder
under a page's name (themes/<id>/…, policies/<document>/…) can never hold a page of its own kind:
ids, codes and document names name files, never folders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.link import Brief
from ..model.policies import policy_path

if TYPE_CHECKING:
    from ..model.ordering import Part
    from ..model.records import Case, Practice

__all__ = ["policy_path"]

HOME = "index.md"
OVERVIEW = "overview.md"
THEMES = "themes/index.md"
POLICIES = "policies/index.md"
FEED = "feed.xml"
SEARCH = "search.md"  # the search page: search.html?q=…&province=…&theme=…&kind=…&year=…&page=…

# The A–Z listings, and the folder of each listing's letter pages.
PRACTICES, CASES, TITLES, REGIONS = "practices/index.md", "cases/index.md", "titles.md", "regions/index.md"
PART_FOLDERS = {PRACTICES: "practices/az", CASES: "cases/az", TITLES: "titles", REGIONS: "regions/az"}

# The data downloads.
DOWNLOADS_FOLDER = "downloads"
DOWNLOADS = f"{DOWNLOADS_FOLDER}/index.md"
RECORDS_CSV = f"{DOWNLOADS_FOLDER}/records.csv"
METRICS_CSV = f"{DOWNLOADS_FOLDER}/metrics.csv"
RECORDS_JSON = f"{DOWNLOADS_FOLDER}/records.json"
RECORDS_XLSX = f"{DOWNLOADS_FOLDER}/records.xlsx"
SCHEMAS = {"Practice": f"{DOWNLOADS_FOLDER}/practice.schema.json", "Case": f"{DOWNLOADS_FOLDER}/case.schema.json"}

# The compilations (汇编).
COMPILATIONS_FOLDER = "compilations"
COMPILATIONS = f"{COMPILATIONS_FOLDER}/index.md"
COMPILATION_STYLESHEET = f"{COMPILATIONS_FOLDER}/compilation.css"  # the print pages' (a page made by `compile` carries its own)
COMPILATION_SUFFIXES = (".docx", ".html")


def record_path(record: Brief | Practice | Case) -> str:
    kind = record.kind if isinstance(record, Brief) else type(record).__name__
    return f"practices/{record.id}.md" if kind == "Practice" else f"cases/{record.id}.md"


def region_path(code: str) -> str:
    return f"regions/{code}.md"


def theme_path(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def theme_part_path(theme_id: str, province: str) -> str:
    """The page of a theme's records in one province, when its page is cut by province."""
    return f"themes/{theme_id}/{province}.md"


def policy_part_path(path: str, province: str) -> str:
    """The page of a document's citing practices in one province, when its page is cut by province."""
    return f"{path.removesuffix('.md')}/{province}.md"


def part_path(listing: str, part: Part) -> str:
    """The page of one letter (or one part of a letter) of an A–Z listing."""
    return f"{PART_FOLDERS[listing]}/{part.name}.md"


def record_yaml(page: str) -> str:
    """The record as YAML, beside its page (practices/<id>.md -> practices/<id>.yaml). Its JSON is
    its object in records.json: a file of its own beside every page cost 3.3 KB a record."""
    return f"{page.removesuffix('.md')}.yaml"


def compilation_files(kind: str, key: str) -> tuple[str, str]:
    """The print page and the Word document of the compilation of this theme id, region code or year."""
    return f"{COMPILATIONS_FOLDER}/{kind}-{key}.html", f"{COMPILATIONS_FOLDER}/{kind}-{key}.docx"


def html(page: str) -> str:
    """The address of a page of docs/ in the site (use_directory_urls is off)."""
    return page[: -len(".md")] + ".html"
