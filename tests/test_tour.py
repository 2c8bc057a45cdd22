"""The tour of the site (tests/tour/, made by python -m generator.tools.tour): a picture of every kind of
page at 1280 and 390 px, small, shown by tests/tour/README.md, which the README links."""

from __future__ import annotations

import re

from repo_paths import REPO

from generator.tools.tour import PAGES, WIDTHS

TOUR = REPO / "tests" / "tour"


def test_every_kind_of_page_has_a_picture_at_both_widths_and_the_tour_shows_them_all() -> None:
    shown = re.findall(r"\]\(([^)]+\.png)\)", (TOUR / "README.md").read_text(encoding="utf-8"))
    expected = [f"{stem}-{w}.png" for stem, *_ in PAGES for w, _ in WIDTHS.values()]
    assert shown == expected
    assert sorted(p.name for p in TOUR.glob("*.png")) == sorted(expected)


def test_the_pictures_stay_small() -> None:
    sizes = {p.name: p.stat().st_size for p in TOUR.glob("*.png")}
    assert max(sizes.values()) < 100_000 and sum(sizes.values()) < 2_000_000, sizes


def test_the_readme_leads_to_the_tour() -> None:
    assert "(tests/tour/README.md)" in (REPO / "README.md").read_text(encoding="utf-8")
