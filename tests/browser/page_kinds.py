"""One page of each kind the site has: the browser tests that check every kind visit these.

PAGES are pages of the fixture site, whose listings are short (every record on the listing's own
page); LONG_PAGES are those of the same data built with long listings (a page per letter).
"""

PAGES = [
    "index.html",
    "overview.html",
    "regions/index.html",
    "regions/330000.html",
    "regions/330109.html",
    "themes/index.html",
    "themes/skills.html",
    "practices/index.html",
    "cases/index.html",
    "practices/wucheng-skills.html",
    "cases/zhang-studio.html",
    "titles.html",
    "search.html?q=技能",
    "policies/index.html",
    "policies/d7ed385ab6d3.html",
    "compilations/index.html",
    "guide.html",
    "404.html",
]
LONG_PAGES = [
    "practices/index.html",
    "practices/az/c.html",
    "regions/index.html",
    "regions/az/s.html",
    "titles.html",
    "titles/z.html",
]
# (site, page): every kind of page, on the site that has it
EVERY_KIND = [("short", p) for p in PAGES] + [("long", p) for p in LONG_PAGES]
