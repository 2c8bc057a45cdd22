"""Which files a change reaches: the data files that changed since the last run, what each change
touches (keys of model/reads.py), and the files that read one of those keys when they last
rendered (a lookup in the cache), plus the related lists a changed practice now ranks into.

Each file records what it reads as it renders and the cache keeps it, so `reached` knows no
template: the keys a changed record touches (its content, its brief, its groups before and after)
→ the files that read them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import reads
from ..model.fields import SLUG
from ..model.link import Brief, Graph, shown
from ..model.load import RECORD_FOLDERS, SYNONYMS
from ..model.ordering import Ordering
from ..outputs.paths import PART_FOLDERS, record_path
from .cache import FileStamp, State, Store, file_stamp

_SLUG = re.compile(SLUG)  # compiled once: scan matches every record file's name


def scan(data: Path) -> dict[str, FileStamp] | None:
    """The stamp of every file load_dataset reads, by path relative to data/.

    None when data/ holds something only a full check can judge (a stray file; a link, a folder or
    a special file where a file or folder belongs: the check names it). Links are never followed.
    """
    out: dict[str, FileStamp] = {}
    for name in ("regions.yaml", "themes.yaml", SYNONYMS):
        try:
            st = os.lstat(data / name)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(st.st_mode):
            return None
        out[name] = file_stamp(st)
    for folder in ("regions", *RECORD_FOLDERS):
        try:
            if not stat.S_ISDIR(os.lstat(data / folder).st_mode):
                return None
            entries = list(os.scandir(data / folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # as load_dataset does
            if folder == "regions" and not entry.name.endswith(".yaml"):
                continue
            if not entry.is_file(follow_symlinks=False):
                return None
            if folder != "regions" and not (entry.name.endswith(".yaml") and _SLUG.match(entry.name[:-5])):
                return None
            out[f"{folder}/{entry.name}"] = file_stamp(entry.stat(follow_symlinks=False))
    return out


@dataclass
class Change:
    """One record before and after (None: did not exist / no longer exists)."""

    old: Brief | None
    new: Brief | None


def reached(
    changes: dict[str, Change],
    before: State,
    ordering: Ordering,
    parts: dict[str, tuple[str, ...]],
    readers: Callable[[set[str]], set[str]],
    preview: bool = False,
) -> set[str]:
    """The pages (paths in docs/) whose content may differ because of these changes: those that
    read a key the changes touched when they last rendered (readers: Store.readers), and the
    related lists a changed practice now ranks into.

    `parts` are the ids each A–Z listing page lists now (listings.part_ids).
    """
    return readers(touched(changes, ordering, preview) | _listing_keys(before.parts, parts)) | _entrants(
        changes, before, ordering, preview
    )


def touched(changes: dict[str, Change], ordering: Ordering, preview: bool = False) -> set[str]:
    """The keys (reads.py) whose values these changes alter.

    A record's content changed with its file; its brief, when the brief differs (a page naming a
    record reads its brief, shown or not, and shows it once it is published: so this is the brief
    as written, not as shown);
    and its groups before and after, when the record as the build shows it differs (None: not shown);
    the tally, when it is in other groups than before.
    """
    keys: set[str] = set()
    for record_id, change in changes.items():
        keys.add(reads.record(record_id))
        if change.old != change.new:
            keys.add(reads.brief(record_id))
            # the records it links to, before and after, list it (link.edges: either side may state a link)
            keys |= {reads.linked(i) for b in (change.old, change.new) if b is not None for i in b.links}
        old, new = _as_shown(change.old, preview), _as_shown(change.new, preview)
        if old != new:
            before, after = (set() if b is None else ordering.groups_of(b) for b in (old, new))
            keys |= before | after
            if before != after:
                keys.add(reads.TALLY)
    return keys


def made_keys(rows: set[str], blocks: set[str], graph: Graph, ordering: Ordering) -> set[str]:
    """The keys of what record pages made as they rendered, for the records whose rows of the
    downloads (rows) or compilation blocks (blocks) differ from what the cache held: the
    downloads read every record's rows, a compilation the blocks of its group's records."""
    keys = {reads.made(reads.ALL)} if rows else set()
    for record_id in blocks:
        keys |= {reads.made(group) for group in ordering.groups_of(graph.briefs[record_id])}
    return keys


def remade(store: Store, table: str, made: Mapping[str, object]) -> set[str]:
    """The records whose pages made something other than the cache holds (a new record's: anything)."""
    kept = store.made(table, made)
    return {record_id for record_id, value in made.items() if kept.get(record_id) != value}


def _listing_keys(before: dict[str, tuple[str, ...]], now: dict[str, tuple[str, ...]]) -> set[str]:
    """The keys of the A–Z listings that differ: the ids of a page; the pages of a listing (each
    page's letter bar links them all); their sizes (the listing's own page gives them)."""
    keys = {reads.part(path) for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
    for listing, folder in PART_FOLDERS.items():
        old_paths = [p for p in before if p.startswith(f"{folder}/")]
        new_paths = [p for p in now if p.startswith(f"{folder}/")]
        if old_paths != new_paths:
            keys |= {reads.parts(listing), reads.sizes(listing)}
        elif any(len(now[p]) != len(before[p]) for p in new_paths):
            keys.add(reads.sizes(listing))
    return keys


def _entrants(changes: dict[str, Change], before: State, ordering: Ordering, preview: bool) -> set[str]:
    """The pages whose related list a changed practice enters. A list reads the briefs it shows
    (ordering.related_practices); one that does not show a practice yet is reached only by the
    practice ranking above its last, so each list sharing a theme with it is asked (would_relate)."""
    briefs, pages = ordering.graph.briefs, set()
    for change in changes.values():
        old, new = _as_shown(change.old, preview), _as_shown(change.new, preview)
        if new is None or new == old or new.kind != "Practice":
            continue
        for other_id in ordering.practices_sharing_themes(new):
            listed = [briefs[i] for i in before.related.get(other_id, ()) if i in briefs]
            if other_id not in changes and ordering.would_relate(briefs[other_id], listed, new):
                pages.add(record_path(briefs[other_id]))
    return pages


def _as_shown(brief: Brief | None, preview: bool) -> Brief | None:
    """The brief as other pages show it: None when the build does not show the record."""
    if brief is None or not shown(brief, preview):
        return None
    return replace(brief, status="published")


def used_readings(ordering: Ordering) -> dict[str, tuple[str, str]]:
    """The readings of the texts the site sorts now (titles and theme names), to keep for next time."""
    texts = {b.title for b in ordering.graph.briefs.values()} | {t.name for t in ordering.graph.themes.values()}
    texts |= {t for b in ordering.graph.briefs.values() for t in b.policies}  # policy titles, as cited
    return {t: r for t, r in ordering.readings.items() if t in texts}
