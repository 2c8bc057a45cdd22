"""Python-Markdown, in our own MkDocs processes, calling an inline pattern only where it can match.

Markdown's InlineProcessor tries each of its inline patterns (code, escapes, links, images, raw HTML,
entities, emphasis: fourteen with our extensions) on every piece of text of a page, one method call
per pattern, and on the text of what each match makes in turn. Most of our pages' text is plain
Chinese that none of them matches, and a text with a link matches two or three.

Every pattern here finds its matches with its expression (InlineProcessor.getCompiledRegExp, through
finditer from where the search starts), so where that expression finds nothing the pattern returns
the text as it is. Here the expression is searched first and the pattern called only where it finds
something; plain text comes out without a call. When a page's patterns include an old-style Pattern,
which matches differently, every pattern is called on that page as before.

Only the sitebuild processes do this; a bare `mkdocs build` and Zensical are untouched, and
tests/test_site.py checks that the site is byte for byte the one `mkdocs build` makes. This is
about a tenth of MkDocs' time on our pages.
"""

from __future__ import annotations

import re
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
        self._patterns = list(self.inlinePatterns)  # in the order indexing the registry gives them
        modern = all(isinstance(pattern, inlinepatterns.InlineProcessor) for pattern in self._patterns)
        expressions = [pattern.getCompiledRegExp() for pattern in self._patterns] if modern else []
        self._searches = tuple(expression.search for expression in expressions) if modern else None
        self._any = _any_of(expressions)
        return run(self, tree, ancestors)

    def handle_finding_first(self, data: str, patternIndex: int = 0) -> str:
        """Markdown's __handleInline, but a pattern whose expression finds nothing from where the
        search starts is not called: it would return the text as it is (data, False, 0)."""
        searches: tuple[Callable, ...] | None = getattr(self, "_searches", None)
        if searches is None or isinstance(data, util.AtomicString):
            return handle(self, data, patternIndex)
        if self._any is not None and self._any(data) is None:
            return data  # plain: no pattern's expression finds anything, so none is called
        patterns, apply, start = self._patterns, self._InlineProcessor__applyPattern, 0
        while patternIndex < len(patterns):
            if searches[patternIndex](data, start) is None:
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    processor.run = run_finding_first
    processor._InlineProcessor__handleInline = handle_finding_first
    processor._passes_over_plain_text = True


# A backreference by number, or a conditional on a group: neither means the same among other patterns.
_NUMBERED_GROUP_USE = re.compile(r"\\[1-9]|\(\?\(")


def _any_of(expressions: list[re.Pattern]) -> Callable | None:
    """The search of one expression that finds something wherever one of these does (each joined in
    as an alternative): one search for a plain text instead of one per pattern. None unless that
    holds for sure: the same flags, no group used by number (numbers shift when joined), and Python
    compiles the whole (two groups of one name, or a flag set inside, do not)."""
    if not expressions or len({e.flags for e in expressions}) != 1:
        return None
    sources = [e.pattern for e in expressions]
    if not all(isinstance(source, str) for source in sources) or any(_NUMBERED_GROUP_USE.search(s) for s in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources), expressions[0].flags).search
    except re.error:
        return None
