"""What the index holds for a document besides its words: the pinyin of its title's words and of its
places (~ terms), the sections its excerpt is chosen from, the synonyms kept whole, and each
document's facets by number for the search page. The browser tests (tests/browser/test_search*.py)
show what a reader gets from them."""

from __future__ import annotations

import marshal
import time

import pytest
from repo_paths import FIXTURES

from generator.engine.check import check
from generator.engine.searchindex import _dictionary
from generator.model.ordering import SEP, Ordering
from generator.outputs.search import segment as segment_module
from generator.outputs.search.documents import EXCERPT_CHARS, SECTION_CHARS, Doc, documents, excerpt_sections
from generator.outputs.search.facets import doc_facets
from generator.outputs.search.segment import Segmenter
from generator.outputs.search.shards import decode_postings, numbers, shard_key, term_shard, term_shards
from generator.outputs.search.text import syllables_by_character


@pytest.fixture(scope="module")
def indexed():
    graph, _ = check(FIXTURES / "data", warnings=False)
    assert graph is not None
    ordering = Ordering(graph)
    docs = documents(graph, ordering)
    segmenter = Segmenter(_dictionary(graph, (d.dictionary for d in docs.values())))
    return graph, ordering, docs, segmenter


def pinyin_terms(segmenter: Segmenter, doc: Doc) -> dict[str, int]:
    return {t: f for t, f in segmenter.document_terms(doc.fields).items() if t.startswith("~")}


@pytest.mark.parametrize(
    "title, syllables",
    [
        ("长治市推进产改", ["chang", "zhi", "shi", "tui", "jin", "chan", "gai"]),
        ("闵行区3D打印实训", ["min", "hang", "qu", "", "", "da", "yin", "shi", "xun"]),
        ("北仑区：技能", ["bei", "lun", "qu", "", "ji", "neng"]),
    ],
)
def test_a_titles_syllables_line_up_with_its_characters(indexed, title: str, syllables: list[str]) -> None:
    _, ordering, _, _ = indexed
    assert syllables_by_character(title, *ordering.reading(title), SEP) == syllables


def test_each_word_of_a_title_is_indexed_by_its_full_pinyin_and_its_initials(indexed) -> None:
    _, _, docs, segmenter = indexed
    terms = pinyin_terms(segmenter, docs["practices/changzhi-practice.html"])
    assert {"~changai", "~cg", "~changzhishi", "~czs", "~changzhi", "~cz"} <= terms.keys()
    assert terms["~changai"] == 2, "from the title"
    assert terms["~shanxi"] == 1, "the province, a place of the record: a keyword"


def test_a_regions_own_name_is_its_title_in_pinyin(indexed) -> None:
    _, _, docs, segmenter = indexed
    terms = pinyin_terms(segmenter, docs["regions/330109.html"])
    assert {t for t, f in terms.items() if f == 2} == {"~xiaoshanqu", "~xiaoshan", "~xsq", "~xs"}
    assert terms["~hangzhou"] == 1


def test_pinyin_terms_are_sharded_by_three_letters_and_words_by_two_characters() -> None:
    assert shard_key("~xiaoshan") == "~xia" and shard_key("~xs") == "~xs"
    assert shard_key("技能大师工作室") == "技能" and shard_key("cnc") == "cn"


def test_a_documents_excerpt_keeps_each_measure_and_figure_as_a_section(indexed) -> None:
    _, _, docs, _ = indexed
    sections = dict(docs["practices/wucheng-skills.html"].excerpt)
    assert sections["主要做法 · 以赛促学"] == "举办技能比赛，优胜者破格晋升。"
    labels = [label for label, _ in docs["practices/wucheng-skills.html"].excerpt]
    assert labels == ["概述", "概述", "主要做法 · 以赛促学", "数据", "数据"]
    assert ("数据", "技能提升补贴：1338余万元") in docs["practices/wucheng-skills.html"].excerpt
    assert ("数据", "新增高技能人才：1185人（2020年）") in docs["practices/wucheng-skills.html"].excerpt


def test_excerpt_sections_are_bounded_each_and_together() -> None:
    long = [(f"做法{n}", "很" * 500) for n in range(20)]
    kept = excerpt_sections(long)
    assert all(len(text) <= SECTION_CHARS for _, text in kept)
    assert sum(len(text) for _, text in kept) == EXCERPT_CHARS


def test_synonyms_stay_whole_terms_wherever_a_record_says_them(indexed) -> None:
    graph, _, docs, segmenter = indexed
    assert {"产改", "产业工人队伍建设改革", "人力资源和社会保障", "人社"} <= set(_dictionary(graph, []))
    assert "产改" in segmenter.document_terms(docs["practices/changzhi-practice.html"].fields)


def decode(facets: dict, number: int) -> dict:
    """One document's facets as the search page reads them (assets/results.js)."""
    w, entry = facets["widths"], facets["docs"].split(",")[number]
    at = 1 + w["province"] + w["year"]
    province, year = int(entry[1 : 1 + w["province"]], 36), int(entry[1 + w["province"] : at], 36)
    return {
        "kind": entry[0],
        "province": facets["provinces"][province - 1][0] if province else "",
        "year": facets["years"][year - 1] if year else None,
        "themes": [facets["themes"][int(entry[i : i + w["theme"]], 36) - 1][0] for i in range(at, len(entry), w["theme"])],
    }


def test_every_documents_facets_are_found_by_its_number(indexed) -> None:
    graph, ordering, docs, _ = indexed
    numbered = numbers(docs)
    facets = doc_facets(graph, ordering, numbered)
    assert decode(facets, numbered["practices/wucheng-skills.html"]) == {
        "kind": "p",
        "province": "330000",
        "year": 2021,
        "themes": ["skills", "skill-competitions", "rights", "care-assistance"],  # each with its broader theme
    }
    assert decode(facets, numbered["cases/jinchang-station.html"])["kind"] == "c"
    assert decode(facets, numbered["regions/330109.html"]) == {"kind": "r", "province": "330000", "year": None, "themes": []}
    assert decode(facets, numbered["themes/skills.html"]) == {"kind": "t", "province": "", "year": None, "themes": []}
    free = set(range(len(facets["docs"].split(",")))) - set(numbered.values())
    assert all(facets["docs"].split(",")[n] == "" for n in free)


def test_a_term_many_documents_share_is_one_string_here_and_after_the_trip_from_the_segmenting_process(indexed) -> None:
    import pickle

    _, _, docs, segmenter = indexed
    terms = [segmenter.document_terms(doc.fields) for doc in docs.values()]
    common = {t for t in terms[0] if all(t in other for other in terms[1:3])}
    assert common  # the fixture's documents share words
    for term in common:
        assert len({id(next(k for k in other if k == term)) for other in terms[:3]}) == 1
    received = pickle.loads(pickle.dumps(terms[:3]))  # as Segmentation sends them back
    for term in common:
        assert len({id(next(k for k in other if k == term)) for other in received}) == 1


def test_every_documents_terms_reach_the_term_shards_under_its_number_with_their_flags(indexed) -> None:
    _, _, docs, segmenter = indexed
    terms = {url: segmenter.document_terms(doc.fields) for url, doc in docs.items()}
    numbered = numbers(terms)
    shards = term_shards(numbered, terms)
    expected: dict[str, dict[int, int]] = {}
    for url, doc_terms in terms.items():
        for term, flags in doc_terms.items():
            expected.setdefault(term, {})[numbered[url]] = flags
    found = {term: decode_postings(postings) for shard in shards.shards.values() for term, postings in shard.items()}
    assert found == expected
    assert all(term_shard(term, shards.count) == n for n, shard in shards.shards.items() for term in shard)
    assert shards.total == sum(len(t) for t in terms.values())


def test_the_segmenting_process_gets_the_documents_a_batch_at_a_time_and_segments_them_as_this_one_does(
    indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, _, docs, _ = indexed
    dictionary = _dictionary(graph, (d.dictionary for d in docs.values()))
    fields = {url: doc.fields for url, doc in sorted(docs.items())}
    here = segment_module._segment(dictionary, {}, fields)
    monkeypatch.setattr(segment_module, "SEND_BATCH", 2)
    taken: list[str] = []  # the documents read from the caller's iterator, as each batch is sent
    sent: list[object] = []
    with segment_module.Segmentation() as segmentation:
        assert segmentation._conn is not None, "no segmenting process (this platform has no fork)"
        send = segmentation._conn.send
        monkeypatch.setattr(segmentation._conn, "send", lambda item: (sent.append((item, len(taken))), send(item))[1])

        def each():
            for url, f in fields.items():
                taken.append(url)
                yield url, f

        result = segmentation.segment(dictionary, {}, each()).result()
    assert result.terms == here.terms and result.suggested == here.suggested
    assert sent[0][0] == segment_module.LOAD and sent[1][0] == (dictionary, {})
    batches = [(item, read) for item, read in sent[2:-1]]
    assert sent[-1][0] is None and len(batches) == len(fields) // 2 + 1
    assert all(len(batch) <= 2 and read <= 2 * (n + 1) for n, (batch, read) in enumerate(batches))


def test_the_segmenting_process_loads_its_dictionary_only_once_told_to(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A build with nothing to do never tells it: the second of loading stays off its walks' CPUs.
    loaded = tmp_path / "loaded"
    monkeypatch.setattr(segment_module, "_load_base", lambda folder: loaded.touch())  # the forked process inherits it
    with segment_module.Segmentation() as segmentation:
        assert segmentation._conn is not None, "no segmenting process (this platform has no fork)"
        time.sleep(0.5)  # a process that loads as it starts has done it by now
        assert not loaded.exists(), "loaded before it was told to"
        segmentation.load()
        deadline = time.monotonic() + 20
        while not loaded.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert loaded.exists(), "told to load, it did not"


def test_jiebas_table_is_kept_in_the_projects_folder_and_read_back_from_it(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    import jieba_next

    system_temp, home = tmp_path / "system-temp", tmp_path / "home"
    system_temp.mkdir()
    home.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    made = segment_module.tokenizer(tmp_path / ".cache")
    assert [p.name for p in (tmp_path / ".cache").iterdir()] == [f"jieba-next-{jieba_next.__version__}.cache"]
    assert not any(system_temp.iterdir()), "jieba wrote to the system's temporary folder"
    assert not any(home.iterdir()), "jieba wrote to the user's cache folder"

    monkeypatch.setattr(jieba_next.Tokenizer, "gen_pfdict", lambda *_: pytest.fail("made again, not read back"))
    read = segment_module.tokenizer(tmp_path / ".cache")
    assert read.FREQ == made.FREQ and read.total == made.total
    assert list(read.cut("技能大师工作室")) == list(made.cut("技能大师工作室"))


@pytest.mark.parametrize("damage", [b"", b"\x00\x01 not marshal", marshal.dumps([1, 2]), marshal.dumps(({"a": 1}, "x"))])
def test_a_damaged_jieba_table_is_made_again_as_a_fresh_one(tmp_path, damage: bytes) -> None:
    folder = tmp_path / ".cache"
    fresh = segment_module.tokenizer(folder)
    table = next(folder.iterdir())
    good = table.read_bytes()
    table.write_bytes(damage)
    again = segment_module.tokenizer(folder)
    assert again.FREQ == fresh.FREQ and again.total == fresh.total
    assert table.read_bytes() == good, "the table is written anew"
