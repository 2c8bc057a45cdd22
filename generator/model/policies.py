"""The policy documents the practices cite, gathered from their briefs.

A document is one however its title was written: the key folds 《》 and other title marks, spaces,
and full- and half-width forms (NFKC), so 《关于……的意见（试行）》 and 关于……的意见(试行) meet. It is
shown in the spelling cited most often (ties: the shortest, then the first in code-point order).
Everything here is read from briefs (link.Brief.policies), so a change to a practice's policies
reaches exactly the pages of the documents it cites before and after.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from .link import Brief

_MARKS = re.compile(r"[\s《》〈〉<>«»\u3000]+")


def policy_key(title: str) -> str:
    """The form in which two spellings of one document's title are equal."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", title))


def shown(title: str) -> str:
    """A spelling as the site prints it, inside its own 《》: without title marks around it."""
    return title.strip(" 《》〈〉<>«»\u3000")


def policy_path(title: str) -> str:
    """The page of the document with this title (any spelling): a stable name from its key."""
    return f"policies/{hashlib.sha256(policy_key(title).encode('utf-8')).hexdigest()[:12]}.md"


@dataclass(frozen=True)
class Document:
    key: str
    title: str  # the spelling cited most often
    spellings: tuple[str, ...]  # every other spelling, sorted
    citing: tuple[Brief, ...]  # the practices that cite it, in id order


def catalogue(briefs: dict[str, Brief]) -> dict[str, Document]:
    """Every cited document by page path, in path order."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    citing: dict[str, dict[str, Brief]] = defaultdict(dict)
    for brief in briefs.values():
        for title in brief.policies:
            key = policy_key(title)
            if not key:
                continue
            spellings[key][shown(title)] += 1
            citing[key][brief.id] = brief
    out: dict[str, Document] = {}
    for key, counts in spellings.items():
        title = min(counts, key=lambda t: (-counts[t], len(t), t))
        others = tuple(sorted(t for t in counts if t != title))
        out[policy_path(title)] = Document(key, title, others, tuple(citing[key][i] for i in sorted(citing[key])))
    return dict(sorted(out.items()))
