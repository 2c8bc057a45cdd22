"""One Python-Markdown instance for every page a MkDocs process converts, reset between pages.

MkDocs makes a new Markdown for each page (Page.render): it loads every extension and builds
every processor again, a twentieth of its time on our short pages. Python-Markdown is made to be
reused: `Markdown.reset()` clears what a conversion leaves (the HTML stash, the references, the
emphasis state, and each extension's own state, by its reset) "to prepare the parser instance
for new input". MkDocs' own processors for the page (links, anchors, title, raw HTML) are
registered on it as before, each replacing the last page's under the same name.

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
        self._made = (extensions, extension_configs, md)  # held: their ids stay theirs
        return md
