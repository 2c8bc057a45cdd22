"""What a page read while it rendered, as keys: the cache keeps them per page, and the pages a
change reaches are the pages that read a key the change touched (engine/changes.py).

A key names one thing a page can show:
- `record:ID`: a record's full content (its own page, its figures on its region's page, the feed).
- `brief:ID`: a record's brief (link.Brief), read on its own: by the records that name it, the
  related lists that show it, the A–Z listing page that lists it.
- `linked:ID`: which records are linked to a record, either side stating the link (link.edges).
- a group (`groups_of`): the records of a region and the regions below it, of a theme (and of a
  theme in one province, for a theme whose page is cut by province), of a year,
  citing a policy document (and in one province), or every record shown (`all`), each with their briefs. A page that
  lists, counts or draws a group reads the group, not each brief in it.
- `made:GROUP`: what the record pages of a group made as they rendered (download rows,
  compilation blocks): read by the files put together from them.
- `part:PATH`, `parts:LISTING`, `sizes:LISTING`: the ids an A–Z listing page lists, the pages of
  a listing, and their sizes.
- `synonyms`: the groups of data/synonyms.yaml (the search page lists them).
- `tally`: which groups each shown record is in, and nothing else of it: read instead of the
  groups by a page that only counts them (Reads.tallying), such as the overview. Editing a title
  or a text moves no record between groups, and leaves such a page alone.

The key is recorded where the value is read (ordering.py's lists, the renderers); this module
only names keys and says which groups a brief belongs to, beside the lists that gather them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .policies import policy_key

if TYPE_CHECKING:
    from .link import Brief

ALL = "all"
TALLY = "tally"
SYNONYMS = "synonyms"  # data/synonyms.yaml: a change to it is read in full, so every page renders again


def record(record_id: str) -> str:
    return f"record:{record_id}"


def brief(record_id: str) -> str:
    return f"brief:{record_id}"


def region(code: str) -> str:
    return f"region:{code}"


def theme(theme_id: str) -> str:
    return f"theme:{theme_id}"


def theme_in(theme_id: str, province: str) -> str:
    return f"theme:{theme_id}@{province}"


def year(number: int | str) -> str:
    return f"year:{number}"


def policy(key: str) -> str:
    return f"policy:{key}"


def policy_in(key: str, province: str) -> str:
    return f"policy:{key}@{province}"


def linked(record_id: str) -> str:
    return f"linked:{record_id}"


def made(group: str) -> str:
    return f"made:{group}"


def part(path: str) -> str:
    return f"part:{path}"


def parts(listing: str) -> str:
    return f"parts:{listing}"


def sizes(listing: str) -> str:
    return f"sizes:{listing}"


_GROUP_KINDS = ("region:", "theme:", "year:", "policy:")


def is_group(key: str) -> bool:
    """Whether the key names a group (groups_of gives them), not a record, a listing or what pages made."""
    return key == ALL or key.startswith(_GROUP_KINDS)


def groups_of(record: Brief, chain: list[str]) -> set[str]:
    """The groups a shown record belongs to (chain: its region's codes, province first), as
    ordering.py's lists and policies.catalogue gather them (Ordering.groups_of gives the chain)."""
    province = chain[0]
    out = {ALL, year(record.date.year), *map(region, chain), *map(theme, record.themes)}
    out.update(theme_in(t, province) for t in record.themes)
    cited = {k for t in record.policies if (k := policy_key(t))}
    out.update(policy(k) for k in cited)
    out.update(policy_in(k, province) for k in cited)
    return out


class Reads:
    """The keys read by the page being rendered; outside a page (planning, sorting) nothing is kept."""

    def __init__(self) -> None:
        self._keys: set[str] | None = None
        self._tallying = False

    def add(self, *keys: str) -> None:
        self.update(keys)

    def update(self, keys: Iterable[str]) -> None:
        if self._keys is not None:
            self._keys.update((TALLY if is_group(k) else k for k in keys) if self._tallying else keys)

    @contextmanager
    def tallying(self) -> Iterator[None]:
        """Within: a group read is kept as TALLY. For a page that shows of a group's records only how
        many there are (of each year, theme, region): it then renders again when a record enters or
        leaves a group, not on every edit of a record it counts."""
        self._tallying = True
        try:
            yield
        finally:
            self._tallying = False

    def start(self) -> None:
        self._keys = set()

    def stop(self) -> tuple[str, ...]:
        keys, self._keys = self._keys or set(), None
        return tuple(sorted(keys))
