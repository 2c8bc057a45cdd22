"""Policy documents as pages: an index of every document the practices cite (pinyin A–Z) and a
page per document listing the practices that cite it, grouped by region.

A document has one page however its title was written: the key folds 《》 and other title
marks, spaces, and full- and half-width forms (NFKC), so 《关于……的意见（试行）》 and
关于……的意见(试行) meet. The page shows the spelling cited most often (ties: the shortest, then the first in
code-point order). Everything here is read from briefs (link.Brief.policies), so a change to a
practice's policies reaches exactly the pages of the documents it cites before and after.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...model import reads
from ...model.link import Brief
from ...model.ordering import group_by_initial

if TYPE_CHECKING:
    from .render import Renderer

POLICIES = "policies/index.md"
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


def render_index(r: Renderer, documents: dict[str, Document]) -> str:
    ordering = r.ordering
    ordering.reads.add(reads.ALL)  # documents come from every record's citations (catalogue)
    by_path = {d.key: path for path, d in documents.items()}
    groups = group_by_initial([d for d in documents.values()], lambda d: ordering.text_key(d.title, d.key))

    def item(here: str, d: Document) -> dict:
        return r._link(here, f"《{d.title}》", by_path[d.key], f"{len(d.citing)} 条经验做法")

    return r._page(
        "policies.md.j2",
        "政策文件",
        count=len(documents),
        groups=r._letters(POLICIES, groups, item),
    )


def part_path(path: str, province: str) -> str:
    """The page of a document's citing practices in one province, when its page is cut by province:
    under a folder no document page can take (documents name files, never folders)."""
    return f"{path.removesuffix('.md')}/{province}.md"


def render_document(r: Renderer, path: str, document: Document) -> str:
    ordering = r.ordering
    ordering.reads.add(reads.policy(document.key))
    cut = ordering.cut_by_province(document.citing)
    return r._page(
        "policy.md.j2",
        f"《{document.title}》",
        title=document.title,
        spellings=[f"《{s}》" for s in document.spellings],
        index_href=r._href(path, POLICIES),
        groups=[] if cut else r._by_place(path, document.citing),
        provinces=r._province_links(path, cut, lambda code: part_path(path, code)),
    )


def render_part(r: Renderer, path: str, document: Document, province: str) -> str:
    """The practices in one province that cite a document (its page is cut by province)."""
    here, place = part_path(path, province), r.graph.regions[province].name
    r.ordering.reads.add(reads.policy_in(document.key, province))
    citing = [b for b in document.citing if r.ordering.province(b.region) == province]
    return r._page(
        "province_part.md.j2",
        f"《{document.title}》 · {place}",
        heading=f"《{document.title}》 · {place}",
        up=r._link(here, f"《{document.title}》", path),
        intro=f"{place}引用本文件的经验做法，按地区排列。",
        groups=r._by_place(here, citing),
    )
