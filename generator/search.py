"""Site search for Chinese readers: our own small, chunked index, written after `mkdocs build`.

Why not Material's built-in search: its index is one JSON file (about 7 MB per
1,000 Chinese pages) fetched by a web worker, which neither scales nor works
from file://. Here the generator writes, into site/search/:

- meta.js               sizes of the index (shard counts) and the t2s map
- t/<n>.js              term shards: term -> postings, terms grouped by their
                        first two characters (so one shard answers "which
                        terms start here"), spread over n files by a hash
- d/<n>.js              document shards: url, title, one line of context
- x/<n>.js              excerpt shards, a few documents each: the start of each
                        document's text and its places with their pinyin, loaded
                        after the results are shown, only for those shown
- facets.js             province / city / theme / year of every record, for
                        the filters on the record listings

Every file is a script that hands its data to `cgSearch` (JSONP style), so the
same site searches over http and when opened from disk; a search loads only
the few shards its words need.

Text is normalised the same way on both sides: NFKC, lower case, Traditional
to Simplified. Chinese is segmented with jieba plus a user dictionary built
from the data (theme names, region names, organisations, tags and a few field
terms), so 技能大师工作室 is one term; every longer term is also indexed under
the contiguous parts of its ordinary segmentation (工作室, 集体协商, 代办站).
In the browser the query is segmented by longest match against the terms
that exist in the index, so query and index always agree. Region names also
carry their pinyin (xiaoshan, xiaoshanqu, xs, xsq) as keywords.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .index import region_stem
from .link import Graph
from .models import Case, Practice, Region

# Field terms that should always be one unit even before a record names them.
FIELD_TERMS = (
    "产业工人",
    "产改",
    "产业工人队伍建设改革",
    "技能大师工作室",
    "劳模工匠创新工作室",
    "劳模创新工作室",
    "能级工资集体协商",
    "工资集体协商",
    "集体协商",
    "工情代办站",
    "工会驿站",
    "户外劳动者驿站",
    "新就业形态劳动者",
    "职工服务站",
    "技能等级评价",
    "新八级",
    "自主评价",
    "新型学徒制",
    "以技提薪",
    "技术比武",
    "岗位练兵",
    "班组长",
    "高技能人才",
    "首席技师",
    "职业技能竞赛",
    "产教融合",
    "联席会议",
)
STOP = frozenset("的 了 和 与 及 在 是 为 对 将 把 被 也 等 由 从 以 于 之 其 中 上 下 并 或 而 着 个 这 那 有".split())
_PIECES = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9·]+")
_JOINERS = re.compile(r"[与和及、]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
TITLE, KEYWORD = 2, 1  # field flags of a posting (body is 0)
DOCS_PER_SHARD = 50
KIND = {"Practice": "经验做法", "Case": "典型案例"}


# --- normalisation -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC, lower case, Simplified: the form both the index and the browser's query use."""
    return _t2s().convert(unicodedata.normalize("NFKC", text)).lower()


def t2s_char_map() -> dict[str, str]:
    """Traditional -> Simplified for single characters (what the browser applies to a query)."""
    convert = _t2s().convert
    out = {}
    for cp in range(0x3400, 0xA000):
        ch = chr(cp)
        simp = convert(ch)
        if simp != ch and len(simp) == 1:
            out[ch] = simp
    return out


# --- user dictionary ---------------------------------------------------------------------------
def _phrases(text: str) -> Iterator[str]:
    """Whole pieces of a name between punctuation, and their parts around 与/和/及/、."""
    for piece in _PIECES.split(text):
        if len(piece) >= 2:
            yield piece
            for part in _JOINERS.split(piece):
                if len(part) >= 2 and part != piece:
                    yield part


def user_terms(graph: Graph) -> list[str]:
    """The user dictionary: field terms, theme and region names, organisations and tags, sorted."""
    terms: set[str] = set(FIELD_TERMS)
    for theme in graph.themes.values():
        terms.update(_phrases(theme.name))
    for region in graph.regions.values():
        terms.add(region.name)
        terms.add(region_stem(region.name))
    for record in [*graph.practices.values(), *graph.cases.values()]:
        for tag in record.tags:
            terms.update(_phrases(tag))
        if isinstance(record, Case):
            terms.update(_phrases(record.organization))
    return sorted({normalise(t) for t in terms if len(t) >= 2 and _HAN_RUN.fullmatch(normalise(t))})


def write_user_dict(path: Path, terms: Iterable[str]) -> None:
    """A jieba user dictionary (one word a line), e.g. for Material's `jieba_dict_user`."""
    path.write_text("".join(f"{t}\n" for t in terms), encoding="utf-8")


# --- pinyin keywords -----------------------------------------------------------------------------
def region_keywords(region: Region) -> list[str]:
    """Pinyin keywords of a region name: full and initials, with and without its suffix.

    萧山区 ("xiao1 shan1 qu1") -> ['xiaoshanqu', 'xiaoshan', 'xsq', 'xs'].
    """
    syllables = [re.sub(r"\d", "", s) for s in region.pinyin.split()]
    out = ["".join(syllables)]
    stem = region_stem(region.name)
    stem_len = len(stem) if len(syllables) == len(region.name) and stem != region.name else 0
    if stem_len:
        out.append("".join(syllables[:stem_len]))
    out.append("".join(s[0] for s in syllables))
    if stem_len:
        out.append("".join(s[0] for s in syllables[:stem_len]))
    return list(dict.fromkeys(out))


def place_keywords(graph: Graph, code: str) -> list[str]:
    """Pinyin keywords of a region and every region above it (what a record in it is found by)."""
    return [k for region in graph.region_chain(code) for k in region_keywords(region)]


# --- segmentation --------------------------------------------------------------------------------
class Segmenter:
    """jieba with our user dictionary, on its own instance (jieba's global one is never touched)."""

    def __init__(self, terms: Iterable[str]):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.tok = jieba.Tokenizer()
        self.tok.initialize()
        self.user = set()
        for term in terms:
            self.tok.add_word(term)
            self.user.add(term)
        self._parts: dict[str, tuple[str, ...]] = {}

    def _base_cut(self, word: str) -> list[str]:
        """The word cut as if it were not one dictionary entry (its own whole-word edge removed)."""
        dag = self.tok.get_DAG(word)
        dag[0] = [j for j in dag[0] if j != len(word) - 1] or [0]
        route: dict = {}
        self.tok.calc(word, dag, route)
        out, i = [], 0
        while i < len(word):
            j = route[i][1] + 1
            out.append(word[i:j])
            i = j
        return out

    def parts(self, word: str) -> tuple[str, ...]:
        """Contiguous parts (two characters or more) of a long word, and theirs in turn:
        能级工资集体协商 -> 能级, 工资集体协商, 工资, 集体协商, 集体, 协商."""
        cached = self._parts.get(word)
        if cached is None:
            spans: set[str] = set()
            if len(word) >= 3:
                pieces = self._base_cut(word)
                for i in range(len(pieces)):
                    for j in range(i + 1, len(pieces) + 1):
                        span = "".join(pieces[i:j])
                        if 2 <= len(span) < len(word):
                            spans.add(span)
                for span in list(spans):
                    spans.update(self.parts(span))
            cached = self._parts[word] = tuple(sorted(spans))
        return cached

    def terms(self, text: str) -> Iterator[str]:
        """Index terms of already normalised text: words, the parts of long words, Latin/digit words."""
        for run in _TOKEN.findall(text):
            if not _HAN_RUN.fullmatch(run):
                yield run
                continue
            for word in self.tok.cut(run, HMM=True):
                if len(word) == 1 and word in STOP:
                    continue
                yield word
                if len(word) >= 3:
                    yield from self.parts(word)


# --- the index -------------------------------------------------------------------------------------
EXCERPT_CHARS = 160  # plain text kept per document for the excerpt under its result
EXCERPTS_PER_SHARD = 8  # small: a search loads the excerpt shards of the 20 results it shows


@dataclass
class Doc:
    url: str
    title: str
    line: str  # one line of context under the title
    fields: list[tuple[int, str]] = field(default_factory=list)  # (flag, text)
    excerpt: list[list[str]] = field(default_factory=list)  # [section, plain text], EXCERPT_CHARS in all
    places: list[list] = field(default_factory=list)  # [region name, its pinyin keywords]: highlights for pinyin queries


def excerpt_text(sections: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The first EXCERPT_CHARS characters of the sections' text, whitespace folded, by section."""
    out: list[list[str]] = []
    left = EXCERPT_CHARS
    for label, text in sections:
        plain = " ".join(text.split())
        if not plain or left <= 0:
            continue
        out.append([label, plain[:left]])
        left -= len(plain)
    return out


def place_highlights(graph: Graph, code: str) -> list[list]:
    return [[r.name, region_keywords(r)] for r in graph.region_chain(code)]


def _html(path: str) -> str:
    return path[:-3] + ".html"


def documents(graph: Graph) -> list[Doc]:
    """What is searchable: every record, region page and theme page (urls relative to the site root)."""
    from .render import record_path, region_path, theme_path

    docs: list[Doc] = []
    place = lambda code: " ".join(r.name for r in graph.region_chain(code))  # noqa: E731
    for record in [*graph.practices.values(), *graph.cases.values()]:
        kind = KIND[type(record).__name__]
        doc = Doc(_html(record_path(record)), record.title, f"{kind} · {place(record.region)} · {record.date.isoformat()}")
        doc.fields.append((TITLE, record.title))
        keywords = [place(record.region), *record.tags, *place_keywords(graph, record.region)]
        keywords += [t.name for tid in record.themes for t in graph.theme_chain(tid)]
        body: list[str] = []
        if isinstance(record, Practice):
            body += [record.summary, *(f"{m.title} {m.text}" for m in record.measures), *(p.title for p in record.policies)]
            sections = [("概述", record.summary), *((f"主要做法 · {m.title}", m.text) for m in record.measures)]
        else:
            keywords.append(record.organization)
            body.append(record.narrative)
            sections = [("案例介绍", body[-1])]
        doc.excerpt = excerpt_text(sections)
        doc.places = place_highlights(graph, record.region)
        body += [m.indicator for m in record.metrics]
        doc.fields += [(KEYWORD, " ".join(keywords)), (0, " ".join(body))]
        docs.append(doc)
    with_records = {r.code for rec in [*graph.practices.values(), *graph.cases.values()] for r in graph.region_chain(rec.region)}
    for code, region in graph.regions.items():
        if code not in with_records:  # only regions with records have a page
            continue
        chain = graph.region_chain(code)
        doc = Doc(_html(region_path(code)), region.name, "地区 · " + (" ".join(r.name for r in chain[:-1]) or "省级"))
        doc.fields += [(TITLE, region.name), (KEYWORD, " ".join([*(r.name for r in chain), *place_keywords(graph, code)]))]
        doc.places = place_highlights(graph, code)
        docs.append(doc)
    for theme_id, theme in graph.themes.items():
        doc = Doc(_html(theme_path(theme_id)), theme.name, "主题")
        doc.fields += [(TITLE, theme.name), (0, theme.description)]
        doc.excerpt = excerpt_text([("主题说明", theme.description)])
        docs.append(doc)
    return docs


def shard_key(term: str) -> str:
    return term[:2]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (the browser computes the same with Math.imul)."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def encode_postings(postings: dict[int, int]) -> str:
    """doc*4+flags, ascending, delta-coded in base 36, comma separated."""
    out, last = [], 0
    for doc in sorted(postings):
        value = doc * 4 + postings[doc]
        out.append(_b36(value - last))
        last = value
    return ",".join(out)


def _script(call: str, *args) -> str:
    """cgSearch.<call>(<args as JSON>); (a script, so it loads from file:// too)."""
    text = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"cgSearch.{call}({text});\n"


@dataclass
class IndexStats:
    docs: int
    terms: int
    term_shards: int
    doc_shards: int
    bytes: int


def build_index(graph: Graph, out: Path) -> IndexStats:
    """Write the search index for graph into out/ (site/search)."""
    seg = Segmenter(user_terms(graph))
    docs = documents(graph)
    index: dict[str, dict[int, int]] = defaultdict(dict)
    for n, doc in enumerate(docs):
        for flag, text in doc.fields:
            for term in seg.terms(normalise(text)):
                postings = index[term]
                postings[n] = postings.get(n, 0) | flag

    total_postings = sum(len(p) for p in index.values())
    # About 1,500 postings (~6 KB) per term shard, a power of two between 16 and 4096.
    term_shards = 1 << max(4, min(12, math.ceil(math.log2(max(1, total_postings / 1500)))))
    shards: dict[int, dict[str, str]] = defaultdict(dict)
    for term in sorted(index):
        shards[fnv1a(shard_key(term)) % term_shards][term] = encode_postings(index[term])

    out.mkdir(parents=True, exist_ok=True)
    (out / "t").mkdir(exist_ok=True)
    (out / "d").mkdir(exist_ok=True)
    written = 0

    def write(rel: str, text: str) -> None:
        nonlocal written
        data = text.encode("utf-8")
        (out / rel).write_bytes(data)
        written += len(data)

    for n in range(term_shards):
        write(f"t/{n}.js", _script("shard", "t", n, shards.get(n, {})))
    doc_shards = math.ceil(len(docs) / DOCS_PER_SHARD)
    for n in range(doc_shards):
        chunk = docs[n * DOCS_PER_SHARD : (n + 1) * DOCS_PER_SHARD]
        write(f"d/{n}.js", _script("shard", "d", n, [[d.url, d.title, d.line] for d in chunk]))
    (out / "x").mkdir(exist_ok=True)
    for n in range(math.ceil(len(docs) / EXCERPTS_PER_SHARD)):
        chunk = docs[n * EXCERPTS_PER_SHARD : (n + 1) * EXCERPTS_PER_SHARD]
        write(f"x/{n}.js", _script("shard", "x", n, [[d.excerpt, d.places] for d in chunk]))
    t2s = t2s_char_map()
    meta = {
        "docs": len(docs),
        "docsPerShard": DOCS_PER_SHARD,
        "excerptsPerShard": EXCERPTS_PER_SHARD,
        "termShards": term_shards,
        "stop": "".join(sorted(STOP)),
        "t2s": ["".join(t2s), "".join(t2s.values())],
    }
    write("meta.js", _script("meta", meta))
    write("facets.js", _script("facets", facets(graph)))
    return IndexStats(len(docs), len(index), term_shards, doc_shards, written)


# --- facets for the listing filters -------------------------------------------------------------
def facets(graph: Graph) -> dict:
    """Province, city, themes (with their broader themes), year and document number of every record, by url."""
    from .render import record_path

    provinces: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    themes: dict[str, list] = {}
    records: dict[str, list] = {}
    # Records are the first documents of the index, in this order (see documents()).
    for doc, record in enumerate([*graph.practices.values(), *graph.cases.values()]):
        chain = graph.region_chain(record.region)
        province = chain[0]
        provinces[province.code] = province.name
        city = next((r for r in chain if r.level == "prefecture"), None)
        if city is None and province.name.endswith("市"):
            city = province  # municipalities are their own city
        if city is not None:
            cities[city.code] = [city.name, province.code]
        theme_ids = list(dict.fromkeys(t.id for tid in record.themes for t in graph.theme_chain(tid)))
        for tid in theme_ids:
            themes[tid] = [graph.themes[tid].name, len(graph.theme_chain(tid)) - 1]
        records[_html(record_path(record))] = [province.code, city.code if city else "", theme_ids, record.date.year, doc]

    from .index import Index

    idx = Index(graph)
    order_regions = lambda codes: sorted(codes, key=idx.region_key)  # noqa: E731
    return {
        "provinces": [[c, provinces[c]] for c in order_regions(provinces)],
        "cities": [[c, *cities[c]] for c in order_regions(cities)],
        "themes": [[t, *themes[t]] for t in _theme_order(graph, idx, themes)],
        "records": records,
    }


def _theme_order(graph: Graph, idx, used: dict) -> list[str]:
    """Themes as a tree (broader first), siblings in pinyin order, only those used."""
    out: list[str] = []

    def walk(parent: str | None) -> None:
        ids = graph.theme_children.get(parent, ()) if parent else [t for t, th in graph.themes.items() if not th.parent]
        for tid in idx.sorted_themes(ids):
            if tid in used:
                out.append(tid)
                walk(tid)

    walk(None)
    return out


# --- post-build step ------------------------------------------------------------------------------
def index_site(data: Path, site_dir: Path) -> IndexStats:
    """Called by build_site() after `mkdocs build`: write site_dir/search/ from the records in data/."""
    from .build import check

    graph, _ = check(data)
    if graph is None:  # generate() has already refused invalid data; keep the type checker honest
        raise RuntimeError("search index: data/ did not load")
    return build_index(graph, site_dir / "search")
