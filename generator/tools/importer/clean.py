"""An article as lines (from the document its reader made), and article lines told from page furniture.

Nothing here knows a particular site: furniture is recognised by what it is
(navigation, share buttons, login prompts, forum counters, copyright and ICP
lines, editor credits, keyword and spam lists), not by where it came from.
Reading the file (text, web pages, Word, PDF) is the sources' part (generator/sources/articles/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...sources.articles import ArticleError, Document, read_document
from ...sources.pinyin import simplified

__all__ = ["ArticleError", "Article", "read_article"]


# --- lines ----------------------------------------------------------------------------------------

SPACE = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_END = "。！？!?；;…”」』）)"


def split_lines(text: str) -> list[str]:
    """Lines with outer spaces trimmed and inner runs of spaces made one; empty lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for line in text.split("\n"):
        line = SPACE.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def reflow(lines: list[str], roles: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Join lines a page layout broke inside a sentence (…企业正在发挥示范引领作 / 用，激活… ; 2022 / 年，全区…).

    Only paragraph lines are joined: a title, heading, table row or 落款 line stays whole. Returns
    the lines and their roles.
    """
    roles = roles or ["paragraph"] * len(lines)
    out: list[str] = []
    kinds: list[str] = []
    for line, role in zip(lines, roles, strict=True):
        if out and role == "paragraph" and kinds[-1] == "paragraph":
            prev = out[-1]
            broken = (
                (prev[-1].isdigit() and re.match(r"[年月日%万亿余多个人名家项场期]", line))
                or (re.match(r"^[，。、；：！？）”,.;:!?)]", line) and not prev.endswith(tuple(_END)))
                or (
                    len(prev) >= 30
                    and not prev.endswith(tuple(_END + "：:"))
                    and han_share(prev) > 0.6
                    and not is_furniture(line)
                    and re.match(r"^[\u4e00-\u9fff]", line)
                    and re.search(r"[，。、；,;]", line[:12])
                )
            )
            if broken:
                out[-1] = prev + line
                continue
        out.append(line)
        kinds.append(role)
    return out, kinds


def han_share(text: str) -> float:
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return han / max(1, len(text))


def han_len(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


# --- furniture --------------------------------------------------------------------------------------

_SPAM_WORDS = re.compile(
    r"无码|有码|一区二区|午夜|久久|av\b|成人(?:网|电影|视频|影院|小说)|色情|黄色(?:网|视频|电影)|偷拍|自拍|人妻|乱伦|"
    r"杂交|狂配|淫|裸聊|援交|AV|博彩|赌场|百家乐|六合彩|时时彩|娱乐城|真人荷官|棋牌|老虎机|代孕|办证|刻章|代开发票|"
    r"发票代开|私服|外挂|枪支|迷药|免费(?:看|观看|播放)|在线(?:观看|播放|视频)|高清(?:无|在线)|精品.{0,4}99",
    re.IGNORECASE,
)
_FURNITURE = [
    # navigation and breadcrumbs
    r"^(?:首页|当前位置|您的位置|你的位置|位置)\s*[>＞›»:：]",
    r"[>＞›»]\s*(?:正文|资讯|新闻|列表)?\s*[>＞›»]?\s*$",
    r"^(?:快捷导航|导航|网站导航|搜索|站内搜索|热搜[:：].*|热门搜索.*|返回顶部|返回列表|返回首页|快速回复|上一篇.*|下一篇.*)$",
    # e-paper chrome: page numbers and page turning (第06版:综合新闻 | 上一版 下一版; 上一期 下一期)
    r"^第\s*[0-9０-９A-Z]{1,3}\s*版\s*(?:[:：]\s*\S{0,10})?(?:\s*[|｜]?\s*(?:上一版|下一版|版面导航|本版新闻|返回目录))*$",
    r"^(?:(?:上一[期版篇页]|下一[期版篇页]|往期回顾|版面导航|本版新闻|返回目录|PDF下载|放大|缩小|默认)\s*[|｜]?\s*)+$",
    r"^(?:打印|收藏|分享到?|关闭窗口|关闭|字号|大|中|小|【?打印本页】?|【?关闭窗口】?|纠错|推荐|评论|点赞|转发|顶|踩)(?:\s+\S{1,6}){0,6}$",
    r"(?:分享到|分享至|一键分享|扫一扫|扫码|长按识别|二维码|微信扫|关注我们|关注公众号)",
    r"^(?:媒体矩阵|客户端|微信号|微博号|抖音号|头条号|视频号|官方微博|官方微信|马上体验|立即下载|下载客户端|APP下载)",
    r"(?:客户端|微信号|微博号|抖音号|微信|微博|抖音)$",
    # accounts and forums
    r"(?:立即注册|找回密码|用户名|忘记密码|注册账号|登录|登陆|请先登录|需要登录|后才可以|回帖|发帖|只看该作者|倒序浏览|正序浏览|"
    r"阅读模式|使用道具|举报|跳转到指定楼层|复制链接|本版积分规则|上一主题|下一主题|楼主|沙发|板凳|地板)",
    r"^(?:查看|回复|积分|帖子|主题|精华|版主|管理员|超级版主|注册会员|在线时间|活动时间|最后登录|UID|金钱|威望|贡献)\s*[:：]?\s*\S{0,12}$",
    r"^Rank\s*:",
    r"^\d+\s*[万千]?$",
    r"^\W*$",
    r"Powered by|Discuz|Comsenz|GMT\s*[+-]\s*\d|Processed in .*second|queries",
    # copyright, licences, contacts
    r"ICP[备证]|公网安备|网安备|版权所有|版权声明|Copyright|©|\(c\)\s*\d{4}|All rights reserved|未经授权|不得转载|禁止转载|转载请注明",
    r"(?:举报电话|举报邮箱|违法和不良信息|有偿删帖|联系我们|关于我们|广告服务|服务条款|隐私政策|网站地图|商务合作|商务洽谈|招聘|免责声明)",
    # editor credits, ads, keyword lists, recommendations
    r"^[（(【\[]?\s*(?:责编|责任编辑|编辑|审核|审校|校对|终审|初审|复审|值班编辑|监制|编审)\s*[:：]",
    r"^(?:关键词|关键字|标签|Tags?|相关阅读|相关新闻|相关文章|延伸阅读|热点|热门|推荐阅读|原创推荐|猜你喜欢|精彩推荐|热门推荐|"
    r"图片|图片新闻|视频|广告|推广|赞助)\b",
    r"^(?:图片\s*)+$",
]
_FURNITURE_RE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE), re.IGNORECASE)


def is_spam(line: str) -> bool:
    return bool(_SPAM_WORDS.search(line))


def is_furniture(line: str) -> bool:
    """A line of page furniture or advertising rather than article text."""
    if is_spam(line):
        return True
    if _FURNITURE_RE.search(line):
        # A long sentence that happens to mention 登录 or 举报 is still text.
        return not (
            han_len(line) >= 40
            and re.search(r"[，。]", line)
            and not is_spam(line)
            and not re.search(r"ICP|Copyright|©|责编|责任编辑|关键词", line)
        )
    # Lists of short comma- or space-separated items with no sentence in them (keyword stuffing).
    items = [i for i in re.split(r"[,，|｜]\s*|\s+", line) if i]
    if (
        len(items) >= 5
        and all(len(i) <= 10 for i in items)
        and not re.search(r"[。！？、；]", line)
        and not re.search(r"\d", line)
        and han_share(line) > 0.3
    ):
        return True
    return False


def is_substantive(line: str) -> bool:
    """A paragraph of article prose: long, mostly Han, with sentence punctuation."""
    return han_len(line) >= 25 and bool(re.search(r"[，。；！？]|[,;!?](?!\d)", line))


@dataclass
class Article:
    """An article as lines: `original` as published, `lines` in Simplified Chinese, index for index.

    roles: each line's role as its reader saw it (title, heading, paragraph, table, signature);
    tables: the rows of each table; format: the reader's (text, html, wechat, docx, pdf).
    """

    original: list[str]
    lines: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    html_title: str = ""
    raw_lines: list[str] = field(default_factory=list)  # every line, furniture included (for site names)
    roles: list[str] = field(default_factory=list)
    tables: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)
    format: str = "text"
    notes: tuple[str, ...] = ()

    def role(self, i: int) -> str:
        return self.roles[i] if 0 <= i < len(self.roles) else "paragraph"

    def body_range(self) -> tuple[int, int]:
        """Index of the first and one past the last substantive paragraph."""
        idx = [
            i
            for i, line in enumerate(self.lines)
            if is_substantive(line) and not is_furniture(line) and self.role(i) in ("paragraph", "heading")
        ]
        if not idx:
            return 0, len(self.lines)
        end = idx[-1] + 1
        # Short closing sentences (出台《…》。) still belong to the article.
        while (
            end < len(self.lines)
            and han_len(self.lines[end]) >= 8
            and self.lines[end].endswith(("。", "！", "？"))
            and not is_furniture(self.lines[end])
            and self.role(end) == "paragraph"
        ):
            end += 1
        return idx[0], end


def read_article(raw: bytes, name: str = "") -> Article:
    """The article in a file's bytes, as lines (text, web page, WeChat page, Word document or PDF)."""
    return article_of(read_document(raw, name))


def article_of(document: Document) -> Article:
    lines: list[str] = []
    roles: list[str] = []
    tables: list[tuple[tuple[str, ...], ...]] = []
    for block in document.blocks:
        if block.role == "table":
            tables.append(block.cells)
            rows = [SPACE.sub(" ", "  ".join(row)).strip() for row in block.cells]
            lines.extend(row for row in rows if row)
            roles.extend("table" for row in rows if row)
            continue
        for line in split_lines(block.text):
            lines.append(line)
            roles.append(block.role)
    original, kinds = reflow(lines, roles)
    if not original:
        raise ArticleError("the article is empty (no text once the markup is removed)")
    return Article(
        original=original,
        lines=[simplified(line) for line in original],
        meta={k: simplified(v) for k, v in document.meta.items()},
        html_title=document.page_title,
        raw_lines=[simplified(line) for line in lines],
        roles=kinds,
        tables=[tuple(tuple(simplified(cell) for cell in row) for row in table) for table in tables],
        format=document.format,
        notes=document.notes,
    )
