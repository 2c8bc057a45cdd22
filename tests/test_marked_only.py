"""Our MkDocs processes let the table of contents look for its `[TOC]` marker, and attr_list for
its `{: … }`, only in pages whose text holds them (generator/engine/marked_only.py). Any page
converts to the HTML Markdown makes without that shortcut. tests/test_site.py checks the same of
the whole site against `mkdocs build`."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import treeprocessors
from markdown.extensions import attr_list, toc
from markdown_pieces import PIECES, site_extensions

from generator.engine import marked_only

PATCHED = (
    (toc.TocTreeprocessor, "replace_marker"),
    (attr_list.AttrListTreeprocessor, "run"),
    (treeprocessors.UnescapeTreeprocessor, "unescape"),
)


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch):
    """convert(text, shortcut): the site's Markdown with or without the shortcuts."""
    extensions, configs = site_extensions()
    for cls, name in PATCHED:
        monkeypatch.setattr(cls, name, getattr(cls, name))  # put back after the test
        monkeypatch.setattr(cls, "_looks_only_where_marked", False, raising=False)
    original = [getattr(cls, name) for cls, name in PATCHED]
    marked_only.look_for_marks_only_where_they_are()
    shortcut = [getattr(cls, name) for cls, name in PATCHED]
    assert shortcut != original

    def convert(text: str, with_shortcut: bool) -> str:
        for (cls, name), method in zip(PATCHED, shortcut if with_shortcut else original, strict=True):
            setattr(cls, name, method)
        return markdown.markdown(text, extensions=extensions, extension_configs=configs)

    return convert


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join))
def test_any_page_converts_as_without_the_shortcuts(both, text: str) -> None:
    assert both(text, True) == both(text, False), text


@pytest.mark.parametrize(
    "text, made",
    [
        ("# 标题\n\n[TOC]\n\n## 概述\n\n正文\n", '<div class="toc">'),
        ("- [A](a.md)\n- [B](b.md)\n{: .cg-letters }\n", 'class="cg-letters"'),
        ("## 概述 {: #overview }\n", 'id="overview"'),
        ("见[链接](a.md){: .more }。\n", 'class="more"'),
        ("| 指标 | 数值 |\n|---|---|\n| 培训 {: .x } | 4万 |\n", 'class="x"'),
        ("\\*不是强调\\* 与 [\\[括号\\]](a.md)\n", "*不是强调*"),
    ],
)
def test_a_page_with_a_mark_still_gets_what_it_asks_for(both, text: str, made: str) -> None:
    html = both(text, True)
    assert made in html and "[TOC]" not in html and "{:" not in html
    assert html == both(text, False)


def test_a_page_without_the_marks_is_not_searched(both, monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[int] = []
    monkeypatch.setattr(toc.TocTreeprocessor, "iterparent", lambda self, node: joined.append(1) or iter(()))
    tried: list[str] = []
    monkeypatch.setattr(attr_list.AttrListTreeprocessor, "INLINE_RE", _Spy(attr_list.AttrListTreeprocessor.INLINE_RE, tried))
    both("## 概述\n\n正文，见[链接](a.md)，后文。\n", True)
    assert joined == [] and tried == []
    both("## 概述\n\n[TOC]\n\n见[链接](a.md)，{后文}\n", True)
    assert joined == [1] and tried


class _Spy:
    def __init__(self, expression, calls: list[str]) -> None:
        self.expression, self.calls = expression, calls

    def match(self, text: str):
        self.calls.append(text)
        return self.expression.match(text)
