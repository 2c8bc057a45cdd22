"""Chinese text into index terms: jieba with a dictionary made from the data.

Built so that a document's terms depend only on the dictionary terms that occur in its own
text: each dictionary term gets the frequency jieba would suggest against its own dictionary
(not against the terms added before it), and jieba's total is left as its dictionary has it.
So when a term comes or goes, only the documents containing it are segmented again, and the
result equals segmenting everything afresh.
"""

from __future__ import annotations

import functools
import logging
import marshal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .text import _HAN_RUN, _TOKEN, KEYWORD, PINYIN, PINYIN_MARK, READING, STOP, TITLE

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


class Segmenter:
    """jieba with our dictionary, on its own instance (jieba's global one is never touched)."""

    def __init__(self, terms: Iterable[str], base=None, suggested: dict[str, int] | None = None):
        """base: a freshly initialised jieba Tokenizer (tokenizer()) to extend (it is changed); by default a new one.
        suggested: frequencies suggested for terms before (they depend only on jieba's dictionary)."""
        self.tok = base if base is not None else tokenizer()
        terms = sorted(set(terms))
        total = self.tok.total
        known = suggested or {}
        # Every suggestion before any term is added, so none depends on the others.
        self.suggested = {term: known.get(term) or self.tok.suggest_freq(term, False) for term in terms}
        for term in terms:
            self.tok.add_word(term, self.suggested[term])
        self.tok.total = total
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

    def document_terms(self, fields: Iterable[tuple[int, str]]) -> dict[str, int]:
        """term -> the OR of the flags (title, keyword) of the fields it occurs in."""
        from .text import normalise

        out: dict[str, int] = {}
        for flag, text in fields:
            if flag & PINYIN:
                terms: Iterable[str] = (PINYIN_MARK + w for w in _TOKEN.findall(normalise(text)) if not _HAN_RUN.match(w))
            elif flag & READING:
                title, _, syllables = text.partition("\t")
                terms = self.reading_terms(title, syllables.split(" "))
            else:
                terms = self.terms(normalise(text))
            for term in terms:
                # Interned: one string per distinct term, shared by every document that has it, in
                # this process and (pickle writes a shared object once) in the one it is sent to.
                # At 100,000 records the documents' terms were most of a clean build's memory.
                term = sys.intern(term)
                out[term] = out.get(term, 0) | (flag & (TITLE | KEYWORD))
        return out

    def reading_terms(self, title: str, syllables: list[str]) -> Iterator[str]:
        """Pinyin terms of a title (text.reading_field): for each of its words of two characters
        or more, and the parts of long words, the full pinyin and the initials (产改: changai, cg)."""
        for run in _HAN_RUN.finditer(title):
            at = run.start()
            for word in self.tok.cut(run.group(), HMM=True):
                spans = [(at, word)] if len(word) >= 2 else []
                spans += [(at + word.index(part), part) for part in self.parts(word)] if len(word) >= 3 else []
                for start, text in spans:
                    sounds = syllables[start : start + len(text)]
                    if len(sounds) == len(text) and "-" not in sounds:
                        yield PINYIN_MARK + "".join(sounds)
                        yield PINYIN_MARK + "".join(s[0] for s in sounds)
                at += len(word)


def tokenizer(folder: Path | None = None):
    """A jieba Tokenizer with jieba's dictionary loaded, its prefix table kept in folder/ (the
    project's .cache/) rather than in the user's or the system's cache folder.

    The tokenizer is jieba-next's: jieba's algorithm and its very dictionary, with the word graph,
    the best route through it and (for characters its model knows) the HMM in Rust. It cuts the same words as
    jieba 0.42.1 (tests/test_segment_engine.py compares the two) about five times faster:
    segmenting was three quarters of the search index's time, most of it in jieba's Python loops.

    jieba reads that table back with marshal.load on the open file, which reads it a few bytes at a
    time: 0.9 s for its 500,000 words, where reading the file first and then unmarshalling its bytes
    takes 0.2 s, on every build that updates the search index. So the table is read here, and jieba
    makes it (and writes it, atomically) only when it is missing or unreadable."""
    import jieba_next as jieba

    jieba.set_log_level(logging.WARNING)
    tok = _tokenizer_class()(cache_dir=folder)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        table = folder / f"jieba-next-{jieba.__version__}.cache"
        tok.cache_file = str(table)  # where jieba-next writes the table it makes
        try:
            freq, total = marshal.loads(table.read_bytes())
            if not isinstance(freq, dict) or not isinstance(total, int):
                raise TypeError(table)
        except FileNotFoundError:
            pass  # jieba makes it
        except (OSError, EOFError, ValueError, TypeError):
            table.unlink(missing_ok=True)  # jieba would take any pair it unmarshals
        else:
            tok.FREQ, tok.total, tok.initialized = freq, total, True
    tok.initialize()  # nothing to do once initialized
    return tok


@functools.cache
def _tokenizer_class() -> type:
    """jieba-next's Tokenizer, held to jieba's words where the two part (tests/test_segment_engine.py):

    - its blocks leave out the hyphen that jieba's keep in (a-b is one block to jieba), so a sentence is
      split into blocks here with jieba's own patterns;
    - its HMM (in Rust) parts from jieba's on a character the model has never seen (丏豈 is one word
      to it, two to jieba, which gives such a character the same tiny chance in every state and
      takes the first best), so a run of single characters between words with such a character
      goes through jieba's HMM in Python. A run of characters the model knows in all four states
      goes through jieba-next's, six times quicker, which cut 24,000 such runs of the bench corpus
      as jieba does."""
    import jieba
    import jieba.finalseg
    import jieba_next
    import jieba_next.finalseg

    blocks, skips = jieba.re_han_default, jieba.re_skip_default
    known = frozenset.intersection(*(frozenset(chances) for chances in jieba.finalseg.emit_P.values()))

    class Tokenizer(jieba_next.Tokenizer):
        in_python = False  # the route through the word graph by jieba's Python code (see IN_PYTHON_BELOW)

        def _route_from_rust(self, sentence: str) -> list[int]:  # where jieba-next's cuts take their route
            if not self.in_python:
                return super()._route_from_rust(sentence)
            graph: dict[int, list[int]] = self.get_DAG(sentence)  # jieba's own get_DAG and calc
            route: dict[int, tuple[float, int]] = {}
            self.calc(sentence, graph, route)
            return [route[at][1] for at in range(len(sentence))]

        def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:
            if cut_all:
                raise NotImplementedError("only jieba's accurate mode is held to jieba")
            cut_block = self._cut_dag if HMM else self._cut_dag_no_hmm
            for block in blocks.split(sentence):
                if not block:
                    continue
                if blocks.match(block):
                    yield from cut_block(block)
                    continue
                for part in skips.split(block):
                    if skips.match(part):
                        yield part
                    else:
                        yield from part

        def _cut_dag(self, sentence: str) -> Iterator[str]:
            route, x, run = self._route_from_rust(sentence), 0, ""
            while x < len(sentence):
                y = route[x] + 1
                if y - x == 1:
                    run += sentence[x]
                else:
                    if run:
                        yield from self._single_characters(run)
                        run = ""
                    yield sentence[x:y]
                x = y
            if run:
                yield from self._single_characters(run)

        def _single_characters(self, run: str) -> Iterator[str]:
            if len(run) == 1:
                yield run
            elif not self.FREQ.get(run):
                yield from (jieba_next.finalseg.cut if known.issuperset(run) else jieba.finalseg.cut)(run)
            else:
                yield from run

    return Tokenizer


# jieba-next builds its Rust table of the dictionary (0.1 s) when it first cuts after words were
# added: text shorter than this (an edit's few documents) is cut by jieba's Python code instead.
IN_PYTHON_BELOW = 30_000  # characters: jieba's Python takes about 4 µs a character more than Rust


# --- segmenting in another process ----------------------------------------------------------------
Fields = tuple[tuple[int, str], ...]  # a document's fields (documents.Doc.fields)
SEND_BATCH = 500  # documents sent to the segmenting process at a time
_BASE = None  # a worker's jieba, loaded once when the worker is told to (LOAD)
LOAD = "load"


def _load_base(folder: Path | None) -> None:
    global _BASE
    _BASE = tokenizer(folder)


def _segment(
    dictionary: list[str], suggested: dict[str, int], fields: dict[str, Fields], folder: Path | None = None
) -> Segmented:
    global _BASE
    if not fields:
        return Segmented({}, suggested)
    base, _BASE = _BASE or tokenizer(folder), None  # a Segmenter changes its tokenizer: use the loaded one once
    base.in_python = sum(len(text) for f in fields.values() for _, text in f) < IN_PYTHON_BELOW
    segmenter = Segmenter(dictionary, base, suggested)
    return Segmented({url: segmenter.document_terms(f) for url, f in sorted(fields.items())}, segmenter.suggested)


@dataclass
class Segmented:
    terms: dict[str, dict[str, int]]  # url -> term -> flags
    suggested: dict[str, int]  # the frequency given to each dictionary term, to reuse next time


class Segmentation:
    """A process that loads jieba's dictionary (a second or two) once told to (load), while the
    build does other work, then segments the documents it is given, once. Use as a context
    manager; without fork, segments here. A worker that was never given work is stopped, not
    waited for."""

    def __init__(self, folder: Path | None = None) -> None:
        """folder: where jieba's prefix table is kept (tokenizer)."""
        self._folder = folder
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._loading = False

    def __enter__(self) -> Segmentation:
        from multiprocessing import get_all_start_methods, get_context

        if "fork" in get_all_start_methods():
            context = get_context("fork")
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child, self._folder), daemon=True)
            self._process.start()
            child.close()
        return self

    def load(self) -> None:
        """Load jieba's dictionary now (segment() does, if this was not said): the build says it
        once it knows it will segment, so that a build with nothing to do loads nothing."""
        if self._conn is not None and not self._loading:
            self._conn.send(LOAD)
            self._loading = True

    def segment(self, dictionary: list[str], suggested: dict[str, int], fields: Iterable[tuple[str, Fields]]):
        """An object whose result() is the Segmented documents. fields: (url, the document's
        fields), read as they are sent, a batch at a time, so that the caller never holds them all
        (at 100,000 records, some 200 MB, and as much again pickled in one piece)."""
        if self._conn is None:
            return _Done(_segment(dictionary, suggested, dict(fields), self._folder))
        self.load()
        self._conn.send((dictionary, suggested))
        batch: list[tuple[str, Fields]] = []
        for item in fields:
            batch.append(item)
            if len(batch) == SEND_BATCH:
                self._conn.send(batch)
                batch = []
        self._conn.send(batch)
        self._conn.send(None)  # the end of the documents
        return _Pending(self._conn)

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            self._process.terminate()  # idle after its one job, or never given one
            self._process.join()
            assert self._conn is not None  # set together with the process
            self._conn.close()


def _serve(conn, folder: Path | None) -> None:
    try:
        if conn.recv() != LOAD:
            return
        _load_base(folder)
        dictionary, suggested = conn.recv()
        fields: dict[str, Fields] = {}
        while (batch := conn.recv()) is not None:
            fields.update(batch)
    except EOFError:
        return
    try:
        conn.send(_segment(dictionary, suggested, fields))
    except BaseException as exc:  # the build reports it
        conn.send(exc)


class _Done:
    def __init__(self, value: Segmented):
        self._value = value

    def result(self) -> Segmented:
        return self._value


class _Pending:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._value: Segmented | None = None

    def result(self) -> Segmented:
        if self._value is None:
            value = self._conn.recv()
            if isinstance(value, BaseException):
                raise value
            self._value = value
        return self._value
