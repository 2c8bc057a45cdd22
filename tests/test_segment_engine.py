"""The search index's segmenter (jieba-next) cuts exactly the words jieba 0.42.1 cuts.

jieba-next is jieba's algorithm and its very dictionary with the loops in Rust, five times faster. It
is a release candidate, so these tests hold it, and every upgrade of it, to jieba's own results: the
frequency suggested for each dictionary term, and every term of every document of the project's data
and of the test fixtures; then text made to find where the two could part: dictionary terms run
together, words that overlap them, characters outside jieba's Han range, Latin letters and digits
between Han runs, stop words, and runs of characters the HMM knows (which jieba-next's HMM cuts) or
does not (which jieba's does)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repo_paths import FIXTURES, REPO

from generator.engine.check import check
from generator.engine.searchindex import _dictionary
from generator.model.ordering import Ordering
from generator.outputs.search import segment as segment_module
from generator.outputs.search.documents import documents
from generator.outputs.search.segment import Segmenter
from generator.outputs.search.text import STOP, normalise


def jiebas_own(folder: Path):
    """jieba 0.42.1's tokenizer, its table kept in folder."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(folder)
    tok.initialize()
    return tok


@pytest.fixture(scope="module", params=["project data", "test fixtures"])
def engines(request, tmp_path_factory):
    """(documents, the segmenter on jieba-next, the same on jieba) for one data folder."""
    folder = {"project data": REPO / "data", "test fixtures": FIXTURES / "data"}[request.param]
    graph, _ = check(folder, warnings=False)
    assert graph is not None
    docs = documents(graph, Ordering(graph))
    dictionary = _dictionary(graph, (d.dictionary for d in docs.values()))
    tables = tmp_path_factory.mktemp("tables")
    ours = Segmenter(dictionary, segment_module.tokenizer(tables))
    reference = Segmenter(dictionary, jiebas_own(tables))
    return docs, ours, reference


def test_the_segmenter_is_jieba_next_and_the_reference_is_jieba(engines) -> None:
    import jieba
    import jieba_next

    _, ours, reference = engines
    assert isinstance(ours.tok, jieba_next.Tokenizer)
    assert type(reference.tok) is jieba.Tokenizer


def test_every_dictionary_term_gets_the_frequency_jieba_suggests(engines) -> None:
    _, ours, reference = engines
    assert ours.suggested == reference.suggested
    assert ours.tok.total == reference.tok.total


def test_every_document_gets_the_terms_jieba_gives_it(engines) -> None:
    docs, ours, reference = engines
    assert len(docs) > 20
    for url, doc in sorted(docs.items()):
        assert ours.document_terms(doc.fields) == reference.document_terms(doc.fields), url


def pieces(docs, dictionary: list[str]) -> st.SearchStrategy[str]:
    """Bits of text that make the two engines' paths differ, if anything does."""
    import jieba.finalseg

    known = sorted(set.intersection(*(set(chances) for chances in jieba.finalseg.emit_P.values())))
    words = sorted({t for t in dictionary if t})
    sentences = sorted({text for doc in docs.values() for _, text in doc.fields if text})
    return st.one_of(
        st.sampled_from(words),
        st.sampled_from(sentences).flatmap(
            lambda s: st.tuples(st.integers(0, len(s)), st.integers(0, 40)).map(lambda ab: s[ab[0] : ab[0] + ab[1]])
        ),
        st.sampled_from(sorted(STOP)),
        st.text(st.sampled_from(known), min_size=2, max_size=8),  # runs the HMM knows every character of
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # common Han, jieba's range ends at 9FD5
        st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),  # extension A: outside jieba's Han range
        st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),  # compatibility ideographs
        st.text("abcxyz0123456789.%+#&_-", min_size=1, max_size=6),
        st.sampled_from(["，", "。", "、", "：", " ", "\n", "（", "）", "·"]),
    )


@pytest.fixture(scope="module")
def texts(engines):
    docs, ours, _ = engines
    return st.lists(pieces(docs, sorted(ours.suggested)), min_size=1, max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_text_is_cut_into_the_words_jieba_cuts(engines, texts, data) -> None:
    _, ours, reference = engines
    text = data.draw(texts)
    for in_python in (False, True):  # Rust's table, or jieba's Python code for an edit's few documents
        ours.tok.in_python = in_python
        assert list(ours.tok.cut(text, HMM=True)) == list(reference.tok.cut(text, HMM=True))
        assert list(ours.tok.cut(text, HMM=False)) == list(reference.tok.cut(text, HMM=False))
        assert list(ours.terms(normalise(text))) == list(reference.terms(normalise(text)))
    ours.tok.in_python = False


def test_a_few_documents_are_cut_without_building_rusts_table_and_many_with_it(tmp_path) -> None:
    few = {"a.html": ((0, "北仑区召开产改工作联席会议暨推进会。"),)}
    many = {f"{n}.html": ((0, "北仑区召开产改工作联席会议暨推进会。" * 100),) for n in range(20)}
    for fields, built in ((few, False), (many, True)):
        segment_module._BASE = segment_module.tokenizer(tmp_path)
        base = segment_module._BASE
        terms = segment_module._segment(["联席会议"], {}, fields, tmp_path).terms
        assert "联席会议" in terms[sorted(fields)[0]]
        assert (base._rust_prefix is not None) is built
