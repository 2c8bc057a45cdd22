"""Our MkDocs processes convert every page with one Markdown, reset between pages
(generator/engine/reused_markdown.py). Whatever pages come before, each converts to the HTML a
fresh Markdown makes of it: no reference, footnote of state, heading id or admonition carries over.
tests/test_site.py checks the same of the whole site against `mkdocs build`."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_pieces import PIECES, site_extensions
from mkdocs.structure import pages

from generator.engine import reused_markdown

page = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(page, min_size=2, max_size=6))
def test_each_page_converts_as_a_fresh_markdown_converts_it_whatever_came_before(texts: list[str]) -> None:
    extensions, configs = site_extensions()
    shared = reused_markdown._Shared(markdown)
    for text in texts:
        md = shared.Markdown(extensions=extensions, extension_configs=configs)
        assert md.convert(text) == markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text), text


def test_the_same_configuration_gets_the_same_markdown_and_another_a_new_one() -> None:
    extensions, configs = site_extensions()
    shared = reused_markdown._Shared(markdown)
    first = shared.Markdown(extensions=extensions, extension_configs=configs)
    assert shared.Markdown(extensions=extensions, extension_configs=dict(configs)) is first
    assert shared.Markdown(extensions=list(extensions), extension_configs=configs) is not first
    assert shared.util is markdown.util, "the rest of the module is markdown's"


def test_repeated_headings_and_references_start_afresh_on_each_page() -> None:
    extensions, configs = site_extensions()
    shared = reused_markdown._Shared(markdown)

    def convert(text: str) -> str:
        return shared.Markdown(extensions=extensions, extension_configs=configs).convert(text)

    text = "## 概述\n\n见[文件][r]。\n\n!!! note\n    注意\n"
    first, again = convert(text + "\n[r]: a.md\n"), convert(text + "\n[r]: a.md\n")
    assert first == again, "the same page twice: the same HTML (heading ids are not counted on)"
    assert 'href="a.md"' in first and 'href="a.md"' not in convert(text), "a page's references are its own"


def test_mkdocs_pages_get_the_shared_markdown_once_it_is_switched_on(monkeypatch) -> None:
    monkeypatch.setattr(pages, "markdown", pages.markdown)  # put back after the test
    reused_markdown.reuse_markdown()
    reused_markdown.reuse_markdown()
    assert isinstance(pages.markdown, reused_markdown._Shared)
    assert pages.markdown._module is markdown, "switched on twice, wrapped once"


TAGS = ["div", "p", "table", "details", "span", "a", "x-custom"]
operations = st.one_of(
    st.tuples(st.just("append"), st.sampled_from(TAGS)),
    st.tuples(st.just("extend"), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("insert"), st.tuples(st.integers(-3, 8), st.sampled_from(TAGS))),
    st.tuples(st.just("remove"), st.sampled_from(TAGS)),
    st.tuples(st.just("pop"), st.integers(-3, 8)),
    st.tuples(st.just("setitem"), st.tuples(st.integers(-3, 8), st.sampled_from(TAGS))),
    st.tuples(st.just("setslice"), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("delitem"), st.integers(-3, 8)),
    st.tuples(st.just("iadd"), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("imul"), st.integers(0, 2)),
    st.tuples(st.just("clear"), st.none()),
)


def apply(tags: list, operation: tuple) -> list:
    name, arg = operation
    try:
        if name in ("append", "extend", "remove"):
            getattr(tags, name)(arg)
        elif name == "insert":
            tags.insert(*arg)
        elif name == "pop":
            tags.pop(arg)
        elif name == "setitem":
            tags[arg[0]] = arg[1]
        elif name == "setslice":
            tags[1:2] = arg
        elif name == "delitem":
            del tags[arg]
        elif name == "iadd":
            tags += arg
        elif name == "imul":
            tags *= arg
        else:
            tags.clear()
    except (ValueError, IndexError):
        pass
    return tags


@settings(max_examples=300, deadline=None)
@given(start=st.lists(st.sampled_from(TAGS), max_size=5), steps=st.lists(operations, max_size=12))
def test_block_tags_answer_membership_as_the_list_would_after_any_changes(start: list[str], steps: list[tuple]) -> None:
    tags, plain = reused_markdown.BlockTags(start), list(start)
    for step in steps:
        tags, plain = apply(tags, step), apply(plain, step)
        assert isinstance(tags, reused_markdown.BlockTags) and list(tags) == plain
        assert [tag in tags for tag in [*TAGS, "P", 3, None]] == [tag in plain for tag in [*TAGS, "P", 3, None]]
    assert ["unhashable"] not in tags


def test_markdown_gets_the_block_tags_with_a_set() -> None:
    extensions, configs = site_extensions()
    md = reused_markdown._Shared(markdown).Markdown(extensions=extensions, extension_configs=configs)
    assert isinstance(md.block_level_elements, reused_markdown.BlockTags)
    assert md.is_block_level("DIV") and md.is_block_level("details/") and not md.is_block_level("span")
