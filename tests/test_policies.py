"""Policy documents: one page per document however its title was written."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.model.link import Brief
from generator.model.policies import catalogue, policy_key, policy_path

TITLE = "关于深化产业工人队伍建设改革的意见（试行）"


@pytest.mark.parametrize(
    "spelling",
    [
        TITLE,
        f"《{TITLE}》",
        f" 《 {TITLE} 》 ",
        "关于深化产业工人队伍建设改革的意见(试行)",
        "关于深化 产业工人队伍建设改革 的意见（试行）",
        "关于深化产业工人队伍建设改革的意见\u3000（试行）",
        "〈关于深化产业工人队伍建设改革的意见（试行）〉",
    ],
)
def test_every_spelling_of_a_title_has_the_same_page(spelling: str) -> None:
    assert policy_key(spelling) == policy_key(TITLE)
    assert policy_path(spelling) == policy_path(TITLE)


def test_different_documents_have_different_pages() -> None:
    assert policy_path("关于深化产业工人队伍建设改革的意见") != policy_path(TITLE)


def brief(record_id: str, *cited: str) -> Brief:
    return Brief("Practice", record_id, record_id, "330109", dt.date(2023, 1, 1), (), (), cited)


def test_the_page_shows_the_spelling_cited_most_often_and_lists_every_citing_practice_once() -> None:
    briefs = {
        b.id: b
        for b in [
            brief("a", f"《{TITLE}》", "《另一份文件》"),
            brief("b", "关于深化产业工人队伍建设改革的意见(试行)"),
            brief("c", "关于深化产业工人队伍建设改革的意见(试行)"),
            brief("d", TITLE, "关于深化产业工人队伍建设改革的意见(试行)"),  # twice in one practice: listed once
        ]
    }
    documents = catalogue(briefs)
    assert list(documents) == sorted(documents)
    document = documents[policy_path(TITLE)]
    assert document.title == "关于深化产业工人队伍建设改革的意见(试行)"
    assert document.spellings == (TITLE,)  # 《》 around a title is no other spelling
    assert [b.id for b in document.citing] == ["a", "b", "c", "d"]
    assert documents[policy_path("另一份文件")].title == "另一份文件"
