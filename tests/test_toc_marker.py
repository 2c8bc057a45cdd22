"""Our MkDocs processes let the table of contents look for its `[TOC]` marker only in pages whose
text holds it (generator/engine/toc_marker.py). Any page converts to the HTML Markdown makes
without that shortcut. tests/test_site.py checks the same of the whole site against `mkdocs build`."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions import toc
from markdown_pieces import PIECES, site_extensions

from generator.engine import toc_marker


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch):
    """convert(text, shortcut): the site's Markdown with or without the shortcut."""
    extensions, configs = site_extensions()
    monkeypatch.setattr(toc.TocTreeprocessor, "replace_marker", toc.TocTreeprocessor.replace_marker)
    monkeypatch.setattr(toc.TocTreeprocessor, "_looks_only_where_marked", False, raising=False)
    original = toc.TocTreeprocessor.replace_marker
    toc_marker.look_for_marker_only_where_it_is()
    shortcut = toc.TocTreeprocessor.replace_marker

    def convert(text: str, with_shortcut: bool) -> str:
        toc.TocTreeprocessor.replace_marker = shortcut if with_shortcut else original
        return markdown.markdown(text, extensions=extensions, extension_configs=configs)

    return convert


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join))
def test_any_page_converts_as_without_the_shortcut(both, text: str) -> None:
    assert both(text, True) == both(text, False), text


def test_a_page_with_the_marker_still_gets_its_table_of_contents(both) -> None:
    text = "# 标题\n\n[TOC]\n\n## 概述\n\n正文\n"
    html = both(text, True)
    assert '<div class="toc">' in html and "[TOC]" not in html
    assert html == both(text, False)


def test_a_page_without_the_marker_is_not_searched(both, monkeypatch: pytest.MonkeyPatch) -> None:
    joined: list[int] = []
    monkeypatch.setattr(toc.TocTreeprocessor, "iterparent", lambda self, node: joined.append(1) or iter(()))
    both("## 概述\n\n正文，见[链接](a.md)\n", True)
    assert joined == []
    both("## 概述\n\n[TOC]\n", True)
    assert joined == [1]
