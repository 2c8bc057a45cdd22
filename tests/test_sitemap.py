"""overrides/sitemap.xml makes the bytes MkDocs' own sitemap.xml makes, with or without a site_url;
without one (this site's case) it does not loop over every page to find that none has an address."""

from __future__ import annotations

from pathlib import Path

import mkdocs
import pytest
from repo_paths import REPO

MKDOCS_SITEMAP = Path(mkdocs.__file__).parent / "templates" / "sitemap.xml"


def rendered(tmp_path: Path, template: Path, site_url: str | None) -> str:
    """sitemap.xml from this template, for a small site of pages in and out of the navigation."""
    from mkdocs.commands.build import _build_template
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    docs = tmp_path / "docs"
    for rel in ("index.md", "a.md", "sub/b.md", "sub/c d.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"# {rel}\n", encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    lines = ["site_name: t", "docs_dir: docs", "nav: [index.md, a.md]", "theme: {name: material}"]
    config_file.write_text("\n".join([*lines, *([f"site_url: {site_url}"] if site_url else [])]) + "\n", encoding="utf-8")
    config = load_config(str(config_file))
    files = get_files(config)
    nav = get_navigation(files, config)
    for file in files.documentation_pages():
        if file.page is None:
            Page(None, file, config)
    env = config.theme.get_env()
    return _build_template("sitemap.xml", env.from_string(template.read_text(encoding="utf-8")), files, config, nav)


@pytest.mark.parametrize("site_url", [None, "https://example.org/cg/"])
def test_the_sitemap_override_makes_what_mkdocs_makes(tmp_path: Path, site_url: str | None) -> None:
    ours = rendered(tmp_path / "ours", REPO / "overrides" / "sitemap.xml", site_url)
    theirs = rendered(tmp_path / "theirs", MKDOCS_SITEMAP, site_url)
    assert ours == theirs
    assert ("<loc>" in ours) == (site_url is not None), "the comparison proves nothing without both cases"


def test_without_a_site_url_the_override_reads_no_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.structure.pages import Page

    read: list[str] = []
    assert Page.is_link is False  # a class attribute: a property in its place sees every read
    monkeypatch.setattr(Page, "is_link", property(lambda page: read.append(page.file.src_uri) or False))
    rendered(tmp_path / "ours", REPO / "overrides" / "sitemap.xml", None)
    assert read == []
    rendered(tmp_path / "theirs", MKDOCS_SITEMAP, None)
    assert len(read) == 4, "MkDocs' own template reads every page: the check above proves nothing"
