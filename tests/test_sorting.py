"""Pinyin order that is right for place names: syllables, then tones, then text, then id."""

from __future__ import annotations

import pytest

from generator.model.ordering import OTHER, Part, group_by_initial, initial, key_of, make_reader, split_by_initial
from generator.model.records import Region
from generator.sources.pinyin import Reader, plain

REGIONS = [
    Region(code="140400", name="长治市", level="prefecture", parent="140000", pinyin="chang2 zhi4 shi4"),
    Region(code="500000", name="重庆市", level="province", pinyin="chong2 qing4 shi4"),
    Region(code="371722", name="单县", level="county", parent="371700", pinyin="shan4 xian4"),
    Region(code="320116", name="六合区", level="county", parent="320100", pinyin="lu4 he2 qu1"),
    Region(code="211300", name="朝阳市", level="prefecture", parent="210000", pinyin="chao2 yang2 shi4"),
    Region(code="310112", name="闵行区", level="county", parent="310000", pinyin="min3 hang2 qu1"),
    Region(code="510117", name="郫都区", level="county", parent="510100", pinyin="pi2 du1 qu1"),
    Region(code="140428", name="长子县", level="county", parent="140400", pinyin="zhang3 zi3 xian4"),
    Region(code="610424", name="乾县", level="county", parent="610400", pinyin="qian2 xian4"),
]
READER = make_reader(REGIONS)


@pytest.mark.parametrize(
    "text, reading",
    [
        ("长治市总工会", "chang2 zhi4 shi4 zong3 gong1 hui4"),  # pypinyin alone: zhang zhi
        ("长治产改", "chang2 zhi4 chan3 gai3"),  # bare name without 市 inside a title
        ("重庆市技能比武", "chong2 qing4 shi4 ji4 neng2 bi3 wu3"),
        ("单县工会驿站", "shan4 xian4 gong1 hui4 yi4 zhan4"),  # pypinyin alone: dan xian
        ("六合区劳模工作室", "lu4 he2 qu1 lao2 mo2 gong1 zuo4 shi4"),  # pypinyin alone: liu he
        ("朝阳市", "chao2 yang2 shi4"),  # pypinyin alone: zhao yang
        ("闵行区3D打印实训", "min3 hang2 qu1 3d da3 yin4 shi2 xun4"),  # pypinyin alone: min xing
        ("郫都区", "pi2 du1 qu1"),  # pypinyin alone: pi dou
        ("長治市", "chang2 zhi4 shi4"),  # Traditional read as Simplified
        ("長子縣", "zhang3 zi3 xian4"),
        ("重慶", "chong2 qing4"),
        ("乾县职工书屋", "qian2 xian4 zhi2 gong1 shu1 wu1"),  # 乾 is Simplified here; OpenCC alone would make it 干
    ],
)
def test_place_names_inside_titles_are_read_as_the_gazetteer_says(text: str, reading: str) -> None:
    assert plain(READER.syllables(text)) == reading


@pytest.mark.parametrize(
    "text, reading",
    [
        ("长治市银行行长", "chang2 zhi4 shi4 yin2 hang2 hang2 zhang3"),  # the rest is one run: pypinyin reads 银行 and 行长
        ("長治市的銀行行長", "chang2 zhi4 shi4 de5 yin2 hang2 hang2 zhang3"),
        ("工会长治", "gong1 hui4 chang2 zhi4"),  # 长治市 would run past the end; 长治 still matches
        ("😀长治2023年", "chang2 zhi4 2023 nian2"),
        ("", ""),
    ],
)
def test_text_between_phrases_is_read_by_pypinyin_as_one_run(text: str, reading: str) -> None:
    assert plain(READER.syllables(text)) == reading


def test_the_reader_never_changes_pypinyin_for_other_callers() -> None:
    from pypinyin import lazy_pinyin

    make_reader(REGIONS).syllables("长治")
    assert lazy_pinyin("长治") == ["zhang", "zhi"]


def order(titles: list[str]) -> list[str]:
    return sorted(titles, key=lambda t: key_of(READER.syllables(t), t, t))


@pytest.mark.parametrize(
    "unsorted, expected",
    [
        # 长治 (chang) before 重庆 (chong) before 长子 (zhang): by syllable, not by character
        (["长子县", "重庆市", "长治市"], ["长治市", "重庆市", "长子县"]),
        # same syllables, tone decides: shan1 (山) before shan4 (单)
        (["单县", "山县"], ["山县", "单县"]),
        # same reading and tone: the text decides, so the order is total
        (["工会", "公会"], sorted(["工会", "公会"])),
        # Traditional sorts where its Simplified form does
        (["重慶市", "长治市", "长子县"], ["长治市", "重慶市", "长子县"]),
        # digits and Latin letters sort before Han syllables' letters only by their own characters
        (["3D打印", "安全"], ["3D打印", "安全"]),
    ],
)
def test_titles_sort_by_syllables_then_tones_then_text(unsorted: list[str], expected: list[str]) -> None:
    assert order(unsorted) == expected


def test_same_title_is_ordered_by_id() -> None:
    a = key_of(READER.syllables("同名"), "同名", "a-id")
    b = key_of(READER.syllables("同名"), "同名", "b-id")
    assert sorted([b, a]) == [a, b]


def test_groups_follow_the_alphabet_with_others_last() -> None:
    titles = ["闵行区", "2024年度报告", "长治市", "安徽", "《意见》解读"]
    key = lambda t: key_of(READER.syllables(t), t, t)  # noqa: E731
    groups = group_by_initial(titles, key)
    assert [g.letter for g in groups] == ["A", "C", "M", "Y", OTHER]
    assert groups[-1].items == ("2024年度报告",)
    assert initial(key("长子县")) == "Z"


def test_a_listing_has_one_page_per_letter_and_a_long_letter_is_cut_into_numbered_parts_in_order() -> None:
    titles = ["闵行区", "2024年度报告", "长治市", "长子县", "朝阳", "重庆", "陈家", "安徽"]
    key = lambda t: key_of(READER.syllables(t), t, t)  # noqa: E731
    parts = split_by_initial(titles, key, size=2)
    assert [(p.label, p.name, p.items) for p in parts] == [
        ("A", "a", ("安徽",)),
        ("C1", "c", ("长治市", "朝阳")),
        ("C2", "c-2", ("陈家", "重庆")),
        ("M", "m", ("闵行区",)),
        ("Z", "z", ("长子县",)),
        ("#", "other", ("2024年度报告",)),
    ]
    assert [p for g in group_by_initial(titles, key) for p in g.items] == [t for p in parts for t in p.items]
    assert split_by_initial(titles, key, size=300) == [Part(g.letter, 1, 1, g.items) for g in group_by_initial(titles, key)], (
        "below the size, a part is a letter"
    )


@pytest.mark.parametrize(
    "part, name, label",
    [
        (Part("A", 1, 1, ()), "a", "A"),
        (Part("A", 1, 3, ()), "a", "A1"),
        (Part("A", 3, 3, ()), "a-3", "A3"),
        (Part(OTHER, 2, 2, ()), "other-2", "#2"),
    ],
)
def test_a_part_page_is_named_by_its_letter_and_number(part: Part, name: str, label: str) -> None:
    assert (part.name, part.label) == (name, label)


def test_a_phrase_reading_must_match_its_length() -> None:
    with pytest.raises(ValueError, match="one syllable per character"):
        Reader({"长治": "chang2"})
