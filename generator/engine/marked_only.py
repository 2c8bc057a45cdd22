"""Python-Markdown's tree processors that look for a mark, in our own MkDocs processes, looking
only in pages whose text holds it.

- The toc extension replaces a paragraph that says just `[TOC]` (its marker) with the table of
  contents. To find it, it joins the text of every element with all the text inside it, on every
  page. An element is replaced only when its own text, stripped, is the marker.
- attr_list sets the attributes written as `{: .class }` after a block or an inline element. It
  tries its expressions on the text or tail of every element; each begins with `{`.
- Markdown restores each escaped character (a backslash and a star) from the placeholder it was
  kept as, which begins with the control character STX, by a substitution over every text, tail
  and attribute. A text without STX is given back as a plain string, as that substitution does.

So where no element's text (or tail) contains the mark at all, nothing would change, and the
search is skipped: together about a twentieth of MkDocs' time on our pages, few of which hold
any of the marks.

Only the sitebuild processes do this; a bare `mkdocs build` and Zensical are untouched, and
tests/test_site.py checks that the site is byte for byte the one `mkdocs build` makes.
"""

from __future__ import annotations


def look_for_marks_only_where_they_are() -> None:
    """Patch markdown's TocTreeprocessor, AttrListTreeprocessor and UnescapeTreeprocessor (in this
    process) as the module docstring says. Idempotent."""
    from markdown import treeprocessors
    from markdown.extensions import attr_list, toc

    if not getattr(toc.TocTreeprocessor, "_looks_only_where_marked", False):
        replace = toc.TocTreeprocessor.replace_marker

        def replace_marker_if_there(self, root, elem) -> None:
            marker = self.marker
            if any(marker in element.text for element in root.iter() if element.text):
                replace(self, root, elem)

        toc.TocTreeprocessor.replace_marker = replace_marker_if_there
        toc.TocTreeprocessor._looks_only_where_marked = True

    if not getattr(attr_list.AttrListTreeprocessor, "_looks_only_where_marked", False):
        run = attr_list.AttrListTreeprocessor.run

        def run_if_braced(self, doc) -> None:
            if any("{" in text for element in doc.iter() for text in (element.text, element.tail) if text):
                run(self, doc)

        attr_list.AttrListTreeprocessor.run = run_if_braced
        attr_list.AttrListTreeprocessor._looks_only_where_marked = True

    if not getattr(treeprocessors.UnescapeTreeprocessor, "_looks_only_where_marked", False):
        unescape = treeprocessors.UnescapeTreeprocessor.unescape

        def unescape_if_kept(self, text: str) -> str:
            return str(text) if "\x02" not in text else unescape(self, text)  # str(): what sub gives back unchanged

        treeprocessors.UnescapeTreeprocessor.unescape = unescape_if_kept
        treeprocessors.UnescapeTreeprocessor._looks_only_where_marked = True
