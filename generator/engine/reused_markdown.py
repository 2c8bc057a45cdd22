"""One Python-Markdown instance for every page a MkDocs process converts, reset between pages.

MkDocs makes a new Markdown for each page (Page.render): it loads every extension and builds
every processor again, a twentieth of its time on our short pages. Python-Markdown is made to be
reused: `Markdown.reset()` clears what a conversion leaves (the HTML stash, the references, the
emphasis state, and each extension's own state, by its reset) "to prepare the parser instance
for new input". MkDocs' own processors for the page (links, anchors, title, raw HTML) are
registered on it as before, each replacing the last page's under the same name.

Its list of block-level tags becomes a list that also keeps a set of them (`BlockTags`): Markdown
asks whether a tag is one of them for every element it makes and writes (is_block_level), and
searched the list of fifty from the start each time, a twentieth of MkDocs' time.

Only the sitebuild processes do this; a bare `mkdocs build` and Zensical are untouched, and
tests/test_site.py checks that the site is byte for byte the one `mkdocs build` makes.
"""

from __future__ import annotations

import types
from typing import Any


def reuse_markdown() -> None:
    """Make MkDocs' pages (in this process) share a Markdown per configuration. Idempotent."""
    import markdown
    from mkdocs.structure import pages

    if isinstance(pages.markdown, _Shared):
        return
    pages.markdown = _Shared(markdown)


class _Shared(types.ModuleType):
    """The markdown module as mkdocs.structure.pages sees it, but for Markdown(), which hands out
    the instance made for these very extensions (the same list: a build's configuration) and
    settings, reset."""

    def __init__(self, module: types.ModuleType) -> None:
        super().__init__(module.__name__, module.__doc__)
        self._module = module
        self._made: tuple[Any, Any, Any] | None = None  # (extensions, their settings, the Markdown)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def Markdown(self, *, extensions, extension_configs):  # noqa: N802 - markdown.Markdown's name
        made = self._made
        if made is not None and made[0] is extensions and (made[1] is extension_configs or made[1] == extension_configs):
            return made[2].reset()
        md = self._module.Markdown(extensions=extensions, extension_configs=extension_configs)
        md.block_level_elements = BlockTags(md.block_level_elements)
        self._made = (extensions, extension_configs, md)  # held: their ids stay theirs
        return md


class BlockTags(list):
    """A list of tags, as Markdown.block_level_elements is, whose membership test is a set's. Every
    change to the list goes through the methods below, which keep the set the same as the list."""

    def __init__(self, tags=()) -> None:
        super().__init__(tags)
        self._set = set(self)

    def __contains__(self, tag: object) -> bool:
        try:
            return tag in self._set
        except TypeError:  # unhashable: never a tag, but answered as the list would
            return super().__contains__(tag)

    def _changed(self) -> None:
        self._set = set(self)

    def append(self, tag) -> None:
        super().append(tag)
        self._set.add(tag)

    def extend(self, tags) -> None:
        super().extend(tags)
        self._changed()

    def insert(self, at, tag) -> None:
        super().insert(at, tag)
        self._set.add(tag)

    def remove(self, tag) -> None:
        super().remove(tag)
        self._changed()

    def pop(self, at=-1):
        tag = super().pop(at)
        self._changed()
        return tag

    def clear(self) -> None:
        super().clear()
        self._set = set()

    def __setitem__(self, at, value) -> None:
        super().__setitem__(at, value)
        self._changed()

    def __delitem__(self, at) -> None:
        super().__delitem__(at)
        self._changed()

    def __iadd__(self, tags):  # type: ignore[misc]
        super().__iadd__(tags)
        self._changed()
        return self

    def __imul__(self, times):  # type: ignore[misc]
        super().__imul__(times)
        self._changed()
        return self
