"""One page of each kind the site has: the browser tests that check every kind visit these."""

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
    "practices/az/c.html",
    "regions/az/s.html",
    "practices/wucheng-skills.html",
    "cases/zhang-studio.html",
    "titles.html",
    "titles/z.html",
    "policies/index.html",
    "policies/d7ed385ab6d3.html",
    "compilations/index.html",
    "guide.html",
    "404.html",
]
