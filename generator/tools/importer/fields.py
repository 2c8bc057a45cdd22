"""The article's own facts: publication date, title, publisher, author and address."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .clean import Article, han_len, is_furniture, is_spam, is_substantive

_Y = r"((?:19|20)\d{2})"
DATE_PATTERNS = [
    re.compile(_Y + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(_Y + r"\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)" + _Y + r"(\d{2})(\d{2})(?=\s+\d{1,2}:\d{2})"),
]
_DATE_CUES = re.compile(r"来源|发布|发表|时间|日期|星期|周[一二三四五六日]|\d{1,2}:\d{2}|作者|记者|编辑|浏览|阅读|点击|字号")
_FOOTER_CUES = re.compile(r"GMT|Copyright|©|ICP|版权|Processed|备案")


@dataclass(frozen=True)
class Found:
    """A value with the line it was found on (-1: from page metadata)."""

    value: str
    line: int


_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)


def _cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23, 三十 → 30."""
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    text = text.translate(_FULLWIDTH)  # ２０２４年１２月０２日; one character for one, so positions hold
    out = []
    for m in _CN_DATE.finditer(text):  # 二〇二五年一月三日, as official notices close
        try:
            year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
            out.append((dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3))), m.start(), m.end()))
        except (ValueError, KeyError):
            continue
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                out.append((dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end()))
            except ValueError:
                continue
    return sorted(out, key=lambda d: d[1])


@dataclass(frozen=True)
class Dated:
    """A publication date, the line it was read from (-1: not the text) and where it came from, for the summary."""

    date: dt.date
    line: int
    origin: str  # dateline, e-paper header, text, page metadata, URL


def find_date(article: Article, url: str | None = None) -> Dated | None:
    """Publication date: the 落款's 成文日期 or a WeChat page's publish time; else the dated header line, page
    metadata or the URL, else a full date near the top; a document's creation date only when nothing else."""
    lines = article.lines
    start, _ = article.body_range()
    candidates: list[tuple[float, dt.date, int, str]] = []
    for i, line in enumerate(lines):
        if article.role(i) == "signature":
            signed = _dates_in(line)
            if signed and han_len(re.sub(r"[〇零一二三四五六七八九十年月日]", "", line)) == 0:
                candidates.append((10, signed[0][0], i, "signature"))
                continue
        if _FOOTER_CUES.search(line):
            continue
        for date, s, e in _dates_in(line):
            rest = (line[:s] + line[e:]).strip()
            score = 0
            if _DATE_CUES.search(line):
                score += 3
            if han_len(rest) <= 12 or not re.search(r"[，。；]", rest):
                score += 2  # a line that is mostly the date (a dateline), or a title line ending in the date
            if i <= start:
                score += 3  # before the article text starts
            if is_substantive(line) and not _DATE_CUES.search(line):
                score -= 4  # a date mentioned in a sentence of the article
            if date > dt.date.today() + dt.timedelta(days=1):
                score -= 10
            origin = "e-paper header" if _EPAPER.search(line) else "dateline" if _DATE_CUES.search(line) else "text"
            candidates.append((score, date, i, origin))
        if len(candidates) > 200:
            break
    published = _dates_in(article.meta.get("published", ""))
    if published:  # a WeChat page's publish time: the platform's own, above any date in the text
        candidates.append((10, published[0][0], -1, "page metadata"))
    for key in _META_DATES:
        if key in article.meta:
            found = _dates_in(article.meta[key])
            if found:
                candidates.append((6, found[0][0], -1, "page metadata"))
                break
    from_url = date_in_url(url) if url else None
    if isinstance(from_url, dt.date):
        candidates.append((6, from_url, -1, "URL"))
    created = _dates_in(article.meta.get("created", ""))
    if created:  # a Word or PDF file's creation date: templates carry old ones, so only when nothing else
        candidates.append((1.5, created[0][0], -1, "document properties"))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], -max(c[2], 0)))
    if best[0] < 2 and best[3] != "document properties":
        return None
    return Dated(best[1], best[2], best[3])


_META_DATES = (
    "article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "date",
    "dc.date",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
)
_EPAPER = re.compile(r"星期[一二三四五六日天]|第\s*[0-9０-９A-Z]+\s*版|版面|电子报|数字报")
# Where sites put the date in their addresses: /2025-01/03/, /t20250103_, /20250103/, /2025/0103/, /2025/01/03/.
_URL_DATES = [
    re.compile(r"(?<!\d)(20\d{2})-(\d{2})/(\d{2})(?!\d)"),
    re.compile(r"[/_]t(20\d{2})(\d{2})(\d{2})(?!\d)"),
    re.compile(r"/(20\d{2})/?(\d{2})/?(\d{2})(?=[/_.-])"),
    re.compile(r"/(20\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(20\d{2})-(\d{2})-(\d{2})(?=[/_.])"),
    re.compile(r"[_-](20\d{2})(\d{2})(\d{2})(?=[_.-])"),
]
_URL_MONTH = re.compile(r"/(20\d{2})(?:-|/)?(\d{2})/(?!\d{2}/)")


def date_in_url(url: str) -> dt.date | tuple[int, int] | None:
    """The date a URL's path carries; (year, month) when it carries only those (/202501/abc.html)."""
    path = re.sub(r"^https?://[^/]+", "", url.strip())
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    month = _URL_MONTH.search(path)
    if month and 1 <= int(month.group(2)) <= 12:
        return int(month.group(1)), int(month.group(2))
    return None


_META_LINE = re.compile(r"来源|发布|发表|作者|记者|编辑|通讯员|浏览|阅读|点击|字号|星期|原标题|\d{1,2}:\d{2}")


def _title_like(line: str) -> bool:
    return (
        6 <= len(line) <= 80
        and han_len(line) >= 4
        and not line.endswith(("。", "：", ":", "…”", "……"))
        and not is_furniture(line)
        and not _META_LINE.search(line)
        and not is_byline(line)
        and not re.search(r"[>＞›»|｜]", line)
        and len(re.findall(r"[，,]", line)) <= 1
    )


_ROLE = r"(?:首席记者|本报记者|本台记者|特约记者|见习记者|融媒记者|全媒体记者|记者|特约通讯员|通讯员|作者|撰稿|撰文|文字|文|摄影|摄|图|编辑)"
_BYLINE = re.compile(r"^[（(【\[]?\s*(?:本报讯|讯)?\s*[（(]?\s*" + _ROLE + r"\s*[:：/｜|]?\s*[\u4e00-\u9fff]{2,4}")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_NOT_NAMES = {"来源", "编辑", "责编", "发布", "日期", "时间", "浏览", "点击", "字号", "审核", "摄影"}


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line)) and han_len(line) <= 40 and not re.search(r"[。；]", line)


def byline_names(line: str) -> list[str]:
    text = re.sub(r"^[（(【\[]?\s*(?:本报讯|讯)\s*", "", line)
    text = re.sub(_ROLE + r"\s*[:：/｜|]?", " ", text)
    text = re.sub(r"[（）()【】\[\]、,，;；]", " ", text)
    return [t for t in text.split() if _NAME.match(t)]


def find_title(article: Article, date_line: int) -> Found | None:
    """The title its document marks (a Word title, a PDF's largest line, a WeChat page's); else headline lines
    next to the dateline (before it, else after it); a kicker and a headline are joined with ——."""
    lines, original = article.lines, article.original
    marked = [i for i in range(len(lines)) if article.role(i) == "title"]
    if marked:
        run = [i for i in marked if i - marked[0] == marked.index(i)]  # the first lines marked, one after the other
        return Found("".join(original[i] for i in run), run[-1])
    if 0 <= date_line < len(lines):
        line = lines[date_line]
        dates = _dates_in(line)
        if dates:
            before = re.sub(r"\s*(?:发布时间|发表于|时间|日期)\s*[:：]?\s*$", "", line[: dates[0][1]]).strip()
            if _title_like(before) and han_len(before) >= 6 and not _WECHAT.match(line):
                cut = len(before)
                return Found(original[date_line][:cut].strip(), date_line)
    picked: list[int] = []
    if date_line >= 0:
        i = date_line - 1
        skipped = 0  # lines of furniture between headline and dateline (forum counters, share buttons)
        while i >= 0 and len(picked) < 2 and date_line - i - skipped <= 6 and date_line - i <= 30:
            line = lines[i]
            if _title_like(line) and not is_substantive(line):
                picked.insert(0, i)
            elif picked or not (
                _META_LINE.search(line) or _NAME.match(line) or is_byline(line) or is_furniture(line) or len(line) < 6
            ):
                break
            elif is_furniture(line) or len(line) < 6:
                skipped += 1
            i -= 1
        if not picked:
            i = date_line + 1
            while i < len(lines) and len(picked) < 2 and i - date_line <= 4:
                line = lines[i]
                if _title_like(line) and not is_substantive(line):
                    picked.append(i)
                elif picked or is_substantive(line):
                    break
                i += 1
    if picked:
        return Found("——".join(original[i] for i in picked), picked[-1])
    if article.html_title and not _epaper_masthead(article.html_title):
        title = re.split(r"\s*[-_|｜]\s*(?=[^-_|｜]*$)", article.html_title)[0].strip()
        if title:
            return Found(title, -1)
    for key in ("og:title", "title"):
        if article.meta.get(key):
            return Found(article.meta[key], -1)
    for i, line in enumerate(lines[:20]):
        if _title_like(line):
            return Found(original[i], i)
    return None


# The header of a public-account post: 原创 苏州工会 2024-10-11 18:00 江苏 (the account, then the date).
_WECHAT = re.compile(r"^(?:原创|转载)\s+([^\s\d]{2,20})\s+(?:19|20)\d{2}[-年]")
_SOURCE = re.compile(r"(?:来源|来自|稿源|出处|信息来源|文章来源|新闻来源)\s*[:：]\s*([^\s|｜/，,。;；）)]{2,30})")


def _site_name(article: Article) -> str | None:
    """A site's own name from its copyright or ICP line (红领之家 ( 浙ICP备…) → 红领之家), widened to a header line."""
    for line in reversed(article.raw_lines):
        m = re.search(
            r"([\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]{1,20}?)\s*(?:版权所有)?\s*[（(]?\s*[\u4e00-\u9fff]ICP[备证]", line
        ) or re.search(r"(?:©|Copyright)\s*(?:\d{4}(?:\s*-\s*\d{4})?)?\s*([\u4e00-\u9fff]{2,20})", line)
        if m:
            name = m.group(1)
            for header in article.raw_lines[:15]:
                if name in header and len(header) <= 24 and han_len(header) == len(re.sub(r"\s", "", header)):
                    return header.strip()
            return name
    return None


def find_publisher(article: Article, date_line: int) -> Found | None:
    """A WeChat page's account; 来源:X on the header lines; the 落款's issuing unit; else a masthead line above a bare
    dateline; else page metadata; else the site's name."""
    if article.format == "wechat" and article.meta.get("publisher"):
        return Found(article.meta["publisher"], -1)
    start, end = article.body_range()
    header = range(0, min(len(article.lines), max(start, date_line) + 3))
    for i in list(header) + list(range(end, len(article.lines))):
        m = _SOURCE.search(article.lines[i])
        if m:
            name = re.sub(r"(?:\d{4}.*|记者.*|作者.*|编辑.*)$", "", m.group(1)).strip("”“\"'：:")
            if len(name) >= 2:
                return Found(name, i)
    issuer = _issuer(article)
    if issuer:
        return issuer
    if 0 <= date_line:
        account = _WECHAT.match(article.lines[date_line])
        if account:
            return Found(account.group(1), date_line)
        line = article.lines[date_line]
        bare = re.sub(r"星期.|周[一二三四五六日]|\d|[年月日号:：\-/. ]|农历\S*", "", line)
        if han_len(bare) <= 2:
            for j in range(date_line - 1, max(-1, date_line - 3), -1):
                cand = article.lines[j]
                if 2 <= len(cand) <= 12 and han_len(cand) == len(cand) and not is_furniture(cand):
                    return Found(cand, j)
    for key in ("og:site_name", "source", "publisher", "application-name", "sitename", "site_name"):
        if article.meta.get(key):
            return Found(article.meta[key], -1)
    masthead = _epaper_masthead(article.html_title)
    if masthead:
        return Found(masthead, -1)
    signed = _signature(article)
    if signed:
        return signed
    site = _site_name(article)
    if site:
        return Found(site, -1)
    return None


_ORG_END = r"(?:总工会|工会|人民政府|政府|委员会|局|厅|办公室|中心|协会|联合会|集团|公司|报社|日报|晚报)"


def _epaper_masthead(html_title: str) -> str | None:
    """The paper of an e-paper page, from its window title (株洲日报数字报-第06版:综合新闻 → 株洲日报)."""
    m = re.match(r"^\s*(.{2,16}?)(?:数字报|电子报|电子版|数字版)?\s*[-_|｜—:：]*\s*第\s*[0-9０-９A-Z]{1,3}\s*版", html_title)
    return m.group(1).strip(" -_|｜—:：") if m else None


def _issuer(article: Article) -> Found | None:
    """The issuing unit of a 落款 its document marks: the last line of it that is no date."""
    for i in range(len(article.lines) - 1, -1, -1):
        if article.role(i) == "signature" and not _dates_in(article.lines[i]):
            name = article.lines[i].strip()
            if 2 <= len(name) <= 40 and han_len(name) >= 2:
                return Found(name, i)
    return None


def _signature(article: Article) -> Found | None:
    """An issuing body signing off above a closing date (佛山市顺德区人力资源和社会保障局 / 二〇二四年九月二十日)."""
    lines = article.lines
    for i in range(len(lines) - 1, max(0, len(lines) - 8), -1):
        if _dates_in(lines[i]) and han_len(re.sub(r"[〇零一二三四五六七八九十年月日]", "", lines[i])) == 0:
            above = lines[i - 1].strip()
            if 4 <= len(above) <= 30 and han_len(above) == len(above) and re.search(_ORG_END + "$", above):
                return Found(above, i - 1)
    return None


def find_author(article: Article, title_line: int, date_line: int) -> Found | None:
    """A byline (记者 X 通讯员 Y), a lone name between headline and dateline, or (X) closing the article."""
    lines = article.lines
    start, end = article.body_range()
    top = max(title_line, date_line, start)
    for i in range(0, min(len(lines), top + 2)):
        line = lines[i]
        if is_byline(line):
            names = byline_names(line)
            if names:
                return Found("、".join(dict.fromkeys(names)), i)
        m = re.search(r"(?:作者|记者)\s*[:：]\s*([\u4e00-\u9fff]{2,4}(?:[ 、，,][\u4e00-\u9fff]{2,4})*)", line)
        if m and i < start + 1:
            names = [n for n in re.split(r"[ 、，,]", m.group(1)) if n not in _NOT_NAMES]
            if names:
                return Found("、".join(names), i)
    low, high = sorted((title_line, date_line))
    for i in range(max(0, low), min(len(lines), high + 2)):
        parts = lines[i].split()
        if (
            parts
            and all(_NAME.match(p) for p in parts)
            and len(parts) <= 4
            and not is_furniture(lines[i])
            and i not in (title_line, date_line)
        ):
            return Found("、".join(parts), i)
    for i in range(end, min(len(lines), end + 3)):
        inner = re.fullmatch(r"[（(](.{2,40})[)）]", lines[i])
        if inner and is_byline(inner.group(1)) and byline_names(inner.group(1)):
            return Found("、".join(dict.fromkeys(byline_names(inner.group(1)))), i)  # （记者 李明 通讯员 王芳）
    for i in range(end - 1, max(start - 1, end - 3), -1):
        m = re.search(
            r"[（(]\s*(?:" + _ROLE + r"\s*)?([\u4e00-\u9fff]{2,4}(?:[ 、][\u4e00-\u9fff]{2,4}){0,3})\s*[)）]\s*$", lines[i]
        )
        if m and not is_spam(lines[i]):
            return Found("、".join(re.split(r"[ 、]", m.group(1))), i)
    if article.format in ("docx", "pdf"):
        return None  # a file's author property names whoever made the template, not a reporter
    for key in ("author", "article:author", "dc.creator"):
        value = article.meta.get(key, "")
        if 2 <= len(value) <= 40 and not value.startswith("http"):
            return Found(value, -1)
    return None


def find_url(article: Article) -> str | None:
    for key in ("canonical", "og:url", "url"):
        value = article.meta.get(key, "")
        if re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", value) and not re.search(r"[\s<>\"'`\\]", value):
            return value
    return None
