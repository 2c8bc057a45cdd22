"""Our MkDocs processes let Python-Markdown pass over text that no inline pattern can match
(generator/engine/plain_text.py). The HTML must be what Markdown makes without it, for any text:
plain Chinese, and every kind of inline Markdown alone, nested, broken and run together.
tests/test_site.py checks the same of the whole site against `mkdocs build`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import treeprocessors
from markdown_pieces import PIECES, site_extensions

from generator.engine import plain_text

PATCHED = ("run", "_InlineProcessor__handleInline", "_passes_over_plain_text")


@pytest.fixture(scope="module")
def convert() -> Iterator[Callable[[str, bool], str]]:
    """convert(text, passing_over): the site's Markdown (mkdocs.yml's extensions) with or without it."""
    extensions, configs = site_extensions()
    processor = treeprocessors.InlineProcessor
    before = {name: processor.__dict__.get(name) for name in PATCHED}
    assert before["_passes_over_plain_text"] is None, "already patched in this process: nothing to compare with"
    plain_text.pass_over_plain_text()
    after = {name: processor.__dict__.get(name) for name in PATCHED}

    def use(methods: dict) -> None:
        for name, method in methods.items():
            if method is None:
                if name in processor.__dict__:
                    delattr(processor, name)
            else:
                setattr(processor, name, method)

    def run(text: str, passing_over: bool) -> str:
        use(after if passing_over else before)
        return markdown.markdown(text, extensions=extensions, extension_configs=configs)

    yield run
    use(before)


def same_both_ways(convert, text: str) -> str:
    html = convert(text, False)
    assert convert(text, True) == html, text
    return html


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join))
def test_any_text_converts_to_the_html_markdown_makes_without_passing_over(convert, text: str) -> None:
    same_both_ways(convert, text)


@pytest.mark.parametrize(
    "text",
    [
        "各地推进产业工人队伍建设改革，成效显著。",
        "见[浙江省](../regions/zhejiang.md)与**[北仑区](b.md)**。",
        "一行  \n两行",
        "`a*b*c` 与 *a`b`c* 与 \\*不是强调\\*",
        "<span>内联 *HTML*</span> &amp; &copy; &#26032;",
        '<div markdown="1">\n\n段落 *一*\n\n</div>',
        "| 指标 | 数值 |\n|---|---|\n| 培训 | **4万**人次 |",
        '!!! note "说明"\n    内容 [链接](x.md)',
    ],
)
def test_each_kind_of_inline_markdown_converts_as_without_passing_over(convert, text: str) -> None:
    assert same_both_ways(convert, text).startswith("<")


def test_plain_text_is_passed_over_and_text_with_markup_is_not(convert, monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown calls the patched method by its name: a new Markdown that does not shows up here."""
    applied: list[str] = []
    original = treeprocessors.InlineProcessor._InlineProcessor__applyPattern

    def counting(self, pattern, data, index, start=0):
        applied.append(data)
        return original(self, pattern, data, index, start)

    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern", counting)
    plain = "各地推进产业工人队伍建设改革。\n\n- 技能大师工作室\n- 职工创新工作室\n\n| 指标 | 数值 |\n|---|---|\n| 培训 | 4万 |"
    convert(plain, True)
    assert applied == []
    convert(plain, False)
    assert len(applied) > 50
    applied.clear()
    convert("见[浙江省](z.md)。", True)
    assert applied, "a link is still looked for and made"


def test_one_search_stands_for_all_patterns_only_where_joining_them_keeps_their_meaning() -> None:
    import re

    joined = plain_text._any_of([re.compile(r"\*"), re.compile(r"\[(?P<t>[^]]*)\]"), re.compile(r"&\w+;")])
    assert joined is not None
    assert [bool(joined(t)) for t in ["纯文本", "a*b", "[链接]", "&amp;", "[未闭合"]] == [False, True, True, True, False]
    assert plain_text._any_of([re.compile(r"(`+)(.+?)\1")]) is None, "a backreference by number"
    assert plain_text._any_of([re.compile(r"(a)?(?(1)b|c)")]) is None, "a conditional on a group number"
    assert plain_text._any_of([re.compile("a", re.I), re.compile("b")]) is None, "different flags"
    assert plain_text._any_of([re.compile("(?P<x>a)"), re.compile("(?P<x>b)")]) is None, "one group name twice"
    assert plain_text._any_of([]) is None
