"""Policy documents as pages: an index of every document the practices cite (pinyin A–Z) and a
page per document listing the practices that cite it, grouped by region (model/policies.py
gathers them); a document cited by more than PAGE_BY_PROVINCE practices lists them on a page per
province instead."""

from __future__ import annotations

from ...model import reads
from ...model.ordering import group_by_initial
from ...model.policies import Document
from ..paths import POLICIES, policy_part_path
from ..view import View


def render_index(view: View) -> str:
    ordering, documents = view.ordering, view.policy_documents()
    ordering.reads.add(reads.ALL)  # documents come from every record's citations (catalogue)
    by_path = {d.key: path for path, d in documents.items()}
    groups = group_by_initial([d for d in documents.values()], lambda d: ordering.text_key(d.title, d.key))

    def item(here: str, d: Document) -> dict:
        return view.link(here, f"《{d.title}》", by_path[d.key], f"{len(d.citing)} 条经验做法")

    return view.page(
        "policies.md.j2",
        "政策文件",
        count=len(documents),
        groups=view.letters(POLICIES, groups, item),
    )


def render_document(view: View, path: str, document: Document) -> str:
    ordering = view.ordering
    ordering.reads.add(reads.policy(document.key))
    cut = ordering.cut_by_province(document.citing)
    return view.page(
        "policy.md.j2",
        f"《{document.title}》",
        title=document.title,
        spellings=[f"《{s}》" for s in document.spellings],
        index_href=view.href(path, POLICIES),
        groups=[] if cut else view.by_place(path, document.citing),
        provinces=view.province_links(path, cut, lambda code: policy_part_path(path, code)),
    )


def render_part(view: View, path: str, document: Document, province: str) -> str:
    """The practices in one province that cite a document (its page is cut by province)."""
    here, place = policy_part_path(path, province), view.graph.regions[province].name
    view.ordering.reads.add(reads.policy_in(document.key, province))
    citing = [b for b in document.citing if view.ordering.province(b.region) == province]
    return view.page(
        "province_part.md.j2",
        f"《{document.title}》 · {place}",
        heading=f"《{document.title}》 · {place}",
        up=view.link(here, f"《{document.title}》", path),
        intro=f"{place}引用本文件的经验做法，按地区排列。",
        groups=view.by_place(here, citing),
    )
