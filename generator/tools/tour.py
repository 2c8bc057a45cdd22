"""Screenshots of every kind of page, at a desk (1280 px) and on a phone (390 px): a tour of the
site for readers of the repository, who see what it looks like before building it.

    python -m generator.tools.tour [--out tour] [--data data]

Builds data/ into a temporary folder twice (as it is, and with its listings as long listings show
themselves past ordering.WHOLE_LISTING entries), opens each page in headless Chromium (Debian's
/usr/bin/chromium, as the browser tests do), takes the first screen of each at both widths, reduces
each picture to 64 colours (Pillow) so that the tour stays small, and writes tests/tour/README.md, which
shows them. Run it again after a change to how pages look, and commit what it writes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"]
WIDTHS = {"desk": (1280, 800), "phone": (390, 760)}
COLOURS = 64

# (file name, what it shows, which build, the page, what to do on it before the picture)
PAGES: list[tuple[str, str, str, str, str]] = [
    ("home", "首页：搜索框、数字卡片、入口和最新记录", "site", "index.html", ""),
    (
        "search",
        "搜索页：结果、按类别省份主题年份的计数、分页，地址中保留搜索词和筛选",
        "site",
        "search.html?q=" + quote("技能"),
        "page",
    ),
    ("search-box", "页面顶部的搜索框：结果摘录命中的段落，标出命中的词", "site", "practices/index.html", "box"),
    (
        "practice",
        "经验做法：事实列表、概述、主要做法、数据、政策文件、来源",
        "site",
        "practices/jinchang-2024-five-empowerments.html",
        "",
    ),
    ("case", "典型案例", "site", "cases/xiaoshan-wanxiang-yuan-xinkai.html", ""),
    ("practices", "经验做法列表：三百条以内全部列出，按首字母分组，可筛选", "site", "practices/index.html", "filters"),
    ("titles", "标题索引", "site", "titles.html", ""),
    (
        "long-listing",
        "记录多于三百条的列表首页：首字母分页、最新收录、各省份和各主题的记录数",
        "long",
        "practices/index.html",
        "filters",
    ),
    ("letter", "记录多于三百条时，一个首字母的页面", "long", "titles/j.html", ""),
    ("regions", "地区索引：按行政区划和按拼音", "site", "regions/index.html", ""),
    ("region", "地区页：本地区和下辖地区的记录、数据、图表", "site", "regions/330109.html", ""),
    ("themes", "主题索引", "site", "themes/index.html", ""),
    ("theme", "主题页：说明、图表、汇编、按地区排列的记录", "site", "themes/innovation-studios.html", ""),
    ("overview", "概览：各省份、各年份、各主题的记录", "site", "overview.html", ""),
    ("policies", "政策文件索引", "site", "policies/index.html", ""),
    ("compilations", "汇编索引", "site", "compilations/index.html", ""),
    ("compilation", "汇编打印页", "site", "compilations/region-330000.html", ""),
    ("downloads", "数据下载", "site", "downloads/index.html", ""),
    ("guide", "编辑指南", "site", "guide.html", ""),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(data: Path, work: Path, **sizes: int) -> Path:
    """data/ built into work/ with the listing sizes of ordering.py given; its site/ folder."""
    from ..engine import build as pipeline
    from ..model import ordering

    shutil.copytree(data, work / "data")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", work / "overrides")
    paths = pipeline.Paths(data=work / "data", config=work / "mkdocs.yml")
    kept = {name: getattr(ordering, name) for name in sizes}
    try:
        for name, value in sizes.items():
            setattr(ordering, name, value)
        pipeline.build_site(paths)
    finally:
        for name, value in kept.items():
            setattr(ordering, name, value)
    return paths.site


def _prepare(page, how: str) -> None:
    """What a reader does on the page before the picture."""
    if how == "page":
        page.wait_for_function("() => document.querySelector('[data-cg-find-body]').getAttribute('data-cg-excerpts') === 'done'")
    elif how == "filters":
        page.wait_for_function("() => document.querySelector('[data-cg-filters]').getAttribute('data-cg-state') === 'done'")
    elif how == "box":
        if page.viewport_size and page.viewport_size["width"] < 600:
            page.click("label.md-header__button[for=__search]")
        page.locator("[data-cg-search-query]").fill("劳模创新工作室")
        page.wait_for_function("() => document.querySelector('[data-cg-search]').getAttribute('data-cg-excerpts') === 'done'")
        page.wait_for_timeout(600)  # the box's panel slides and fades in


def shoot(sites: dict[str, Path], out: Path) -> list[Path]:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    servers, written = {}, []
    for name, site in sites.items():
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers[name] = httpd
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for w, h in WIDTHS.values():
                context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
                page = context.new_page()
                for stem, _, built, path, how in PAGES:
                    page.goto(f"http://127.0.0.1:{servers[built].server_address[1]}/{path}", wait_until="networkidle")
                    _prepare(page, how)
                    target = out / f"{stem}-{w}.png"
                    page.screenshot(path=str(target))
                    with Image.open(target) as shot:
                        shot.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
                    written.append(target)
                context.close()
            browser.close()
    finally:
        for httpd in servers.values():
            httpd.shutdown()
            httpd.server_close()
    return written


def index(out: Path) -> str:
    lines = [
        "# 产改经验库：网站一览 (a tour of the site)",
        "",
        "每种页面在桌面（1280 像素宽）和手机（390 像素宽）上打开时的第一屏，由仓库中的 data/ 生成。",
        "Each kind of page as it first opens at 1280 and 390 px wide, built from the repository's data/;",
        "the long listing and the letter page are the same data built as a listing of more than 300 records",
        "shows itself. Made by `python -m generator.tools.tour`; run it again after a change to how pages look.",
        "",
    ]
    for stem, what, _, path, _ in PAGES:
        lines += [f"## {what}", "", f"`{path}`", ""]
        lines.append(" ".join(f"![{what}（{w} px）]({stem}-{w}.png)" for w, _ in WIDTHS.values()))
        lines.append("")
    text = "\n".join(lines)
    (out / "README.md").write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.tools.tour", description=__doc__.splitlines()[0])
    p.add_argument(
        "--out", default=str(ROOT / "tests" / "tour"), help="folder of the pictures and their page (default: tests/tour/)"
    )
    p.add_argument("--data", default=str(ROOT / "data"), help="the records to build (default: data/)")
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.stderr.write(f"{CHROMIUM} is missing (make browser installs it)\n")
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="tour-") as tmp:
        work = Path(tmp)
        (work / "site").mkdir()
        (work / "long").mkdir()
        sites = {"site": build(Path(args.data), work / "site"), "long": build(Path(args.data), work / "long", WHOLE_LISTING=3)}
        written = shoot(sites, out)
    index(out)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} pictures ({size / 1e6:.1f} MB) and README.md into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
