"""Python-Markdown's table of contents, in our own MkDocs processes, looking for its marker only
in pages that hold it.

The toc extension replaces a paragraph that says just `[TOC]` (its marker) with the table of
contents. To find it, it joins the text of every element with all the text inside it, on every
page: a thirtieth of MkDocs' time on our pages, none of which holds the marker. An element is
replaced only when its own text, stripped, is the marker, so where no element's text contains
the marker at all nothing would be replaced, and the search is skipped.

Only the sitebuild processes do this; a bare `mkdocs build` and Zensical are untouched, and
tests/test_site.py checks that the site is byte for byte the one `mkdocs build` makes.
"""

from __future__ import annotations


def look_for_marker_only_where_it_is() -> None:
    """Patch markdown's TocTreeprocessor (in this process) as the module docstring says. Idempotent."""
    from markdown.extensions import toc

    processor = toc.TocTreeprocessor
    if getattr(processor, "_looks_only_where_marked", False):
        return
    replace = processor.replace_marker

    def replace_marker_if_there(self, root, elem) -> None:
        marker = self.marker
        if any(marker in element.text for element in root.iter() if element.text):
            replace(self, root, elem)

    processor.replace_marker = replace_marker_if_there
    processor._looks_only_where_marked = True
