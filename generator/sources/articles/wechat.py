"""WeChat public-account article pages (mp.weixin.qq.com), as a browser saves them.

The page says what the article is in its script variables and tags: the title (`msg_title`,
`<h1 id="activity-name">`, og:title), the account that published it (`nickname`, `<a id="js_name">`)
and the publish time (`ct`, seconds since 1970, or `publish_time`); `<em id="publish_time">` is
filled in by a script and is empty in most saved pages. The article itself is the element
`id="js_content"`; around it are the account's header, the reading and like counters, the QR code
and the recommendations, none of them text of the article. The openers and closers accounts put
inside the article (点击蓝字关注我们, 长按识别二维码, 点亮在看) are dropped too.
"""

from __future__ import annotations

import datetime as dt
import html as entities
import re

from .document import Block, Document, cut_blocks
from .html import parse_html
from .text import text_blocks

CHINA = dt.timezone(dt.timedelta(hours=8))
SCRIPTS_READ = 5_000_000  # bytes of the page searched for its script variables (they are in its <head>)  # the time WeChat shows, whatever the reader's clock

_MARKERS = re.compile(r"mp\.weixin\.qq\.com|id=[\"']js_content[\"']|rich_media_content|var\s+msg_title\s*=")
_CONTENT = re.compile(r"<div\b[^<>]{0,2000}?\bid=[\"']js_content[\"'][^<>]{0,2000}>", re.IGNORECASE)
_DIV = re.compile(r"<(/?)div\b", re.IGNORECASE)
# Script variables as the page writes them: var nickname = htmlDecode("苏州工会"); var ct = "1728640800";
_VARIABLE = r"var\s+{name}\s*=\s*(?:htmlDecode\()?\s*[\"']([^\"'\n]{{0,300}})[\"']"
_ELEMENT = r"<(?:h1|a|strong|em|span)\b[^<>]{{0,2000}}?\bid=[\"']{id}[\"'][^<>]{{0,2000}}>\s*([^<]{{1,300}}?)\s*<"
_META = r"<meta\b[^<>]{{0,2000}}?{key}[^<>]{{0,2000}}?content=\"([^\"<>]{{1,2000}})\""
# Lines an account adds around its article: follow us, QR codes, like and share prompts.
_BOILERPLATE = re.compile(
    r"点击?(?:上方|下方)?\s*(?:蓝字|蓝色字|“[^”]{0,12}”)\s*(?:关注|订阅)|关注我们|关注公众号|长按(?:识别)?(?:二维码|图片)|扫码关注|"
    r"扫一扫|二维码|点亮(?:在看|“在看”)|点个?(?:在看|赞)|分享、?点赞|在看|喜欢此内容|阅读原文|继续滑动看下一个|"
    r"预览时标签不可点|微信公众平台|轻触阅读原文|向上滑动看下一个|^▼+$|^↓+$|^[▲△↑]"  # ▲ opens a picture's caption
)


def is_wechat(html: str) -> bool:
    return bool(_MARKERS.search(html))


def _first(patterns: list[str], html: str) -> str:
    for pattern in patterns:
        found = re.search(pattern, html, re.IGNORECASE)
        if found and found.group(1).strip():
            return entities.unescape(found.group(1)).strip()
    return ""


def _content(html: str) -> str:
    """The markup of the js_content element (the page whole when it has none), found by counting its divs."""
    start = _CONTENT.search(html)
    if not start:
        return html
    depth = 1
    for tag in _DIV.finditer(html, start.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start.end() : tag.start()]
    return html[start.end() :]


def _published(html: str) -> str:
    seconds = _first([_VARIABLE.format(name="ct"), _VARIABLE.format(name="create_time")], html)
    if seconds.isdigit() and 10**9 <= int(seconds) < 10**11:
        return dt.datetime.fromtimestamp(int(seconds), CHINA).isoformat()
    shown = _first([_VARIABLE.format(name="publish_time"), _ELEMENT.format(id="publish_time")], html)
    found = re.search(r"(20\d{2})[-年/.](\d{1,2})[-月/.](\d{1,2})", shown)
    if found:
        try:
            return dt.date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            return ""
    return ""


def read_wechat(markup: str, html: str) -> Document:
    """markup: the page without its scripts (checked_markup, decoded); html: the page as saved, or its first
    megabytes, where the script variables are."""
    meta = {
        "title": _first(
            [_VARIABLE.format(name="msg_title"), _ELEMENT.format(id="activity-name"), _META.format(key="og:title")],
            html,
        ),
        "publisher": _first([_VARIABLE.format(name="nickname"), _ELEMENT.format(id="js_name")], html),
        "published": _published(html),
        "url": _first([_VARIABLE.format(name="msg_link"), _META.format(key="og:url")], html),
    }
    body = markup.lower().find("<body")
    _, page_meta, page_title = parse_html(markup[: body if body >= 0 else 0])
    text, _, _ = parse_html(_content(markup))
    blocks = [block for block in text_blocks(text) if not _BOILERPLATE.search(block.text.strip())]
    if meta["title"]:
        blocks.insert(0, Block(meta["title"], "title"))
    notes: list[str] = []
    kept = {k: v for k, v in meta.items() if v}
    return Document("wechat", tuple(cut_blocks(blocks, notes)), page_meta | kept, page_title, tuple(notes))
