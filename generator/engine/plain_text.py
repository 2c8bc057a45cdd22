"""Python-Markdown, in our own MkDocs processes, passing over text no inline pattern can match.

Markdown's InlineProcessor tries each of its inline patterns (code, escapes, links, images, raw HTML,
entities, emphasis: fourteen with our extensions) on every piece of text of a page, one method call
per pattern, and on the text of what each match makes in turn. Most of our pages' text is plain
Chinese that none of them matches: it comes out as it went in, after fourteen calls.

Every pattern here finds its matches with its expression (InlineProcessor.getCompiledRegExp) and can
match nowhere that expression does not, so a text in which no pattern's expression finds anything
is returned as it is, without the calls. When a page's patterns include an old-style Pattern, which
matches differently, nothing is passed over on that page.

Only the sitebuild processes do this; a bare `mkdocs build` and Zensical are untouched, and
tests/test_site.py checks that the site is byte for byte the one `mkdocs build` makes. This is a
twentieth of MkDocs' time on our pages.
"""

from __future__ import annotations

from collections.abc import Callable


def pass_over_plain_text() -> None:
    """Patch markdown's InlineProcessor (in this process) as the module docstring says. Idempotent."""
    from markdown import inlinepatterns, treeprocessors, util

    processor = treeprocessors.InlineProcessor
    if getattr(processor, "_passes_over_plain_text", False):
        return
    run, handle = processor.run, processor._InlineProcessor__handleInline

    def run_finding_first(self, tree, ancestors=None):
        # The patterns are those of this page's Markdown, fixed while it converts; an old-style one
        # matches with .match on the rest of the text, so its page keeps every call.
        patterns = list(self.inlinePatterns)
        modern = all(isinstance(pattern, inlinepatterns.InlineProcessor) for pattern in patterns)
        self._searches = tuple(pattern.getCompiledRegExp().search for pattern in patterns) if modern else None
        return run(self, tree, ancestors)

    def handle_unless_plain(self, data: str, patternIndex: int = 0) -> str:
        searches: tuple[Callable, ...] | None = getattr(self, "_searches", None)
        if searches is not None and not isinstance(data, util.AtomicString):
            for search in searches[patternIndex:]:
                if search(data) is not None:
                    break
            else:
                return data  # what handle would return: no pattern matches, so nothing changes
        return handle(self, data, patternIndex)

    processor.run = run_finding_first
    processor._InlineProcessor__handleInline = handle_unless_plain
    processor._passes_over_plain_text = True
