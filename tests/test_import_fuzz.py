"""Fuzzing the importer (issue 22, item 8): mutated copies of real pages, Word files and PDFs.

The bases are the seed articles beside the repository (when present), the thirty fixture articles,
the WeChat page, and the Word and PDF reports the tests build. Hypothesis cuts them short, flips
bytes, drops or repeats stretches, inserts random Unicode, and breaks the zip and PDF structures
(their directories, cross-reference tables, stream lengths). The property: a draft, or an
ArticleError whose message says what is wrong; never another exception; each example within a
deadline, and memory that does not grow past a bound over the whole run.

    HYPOTHESIS_PROFILE=long pytest tests/test_import_fuzz.py -s      # 20 times the examples
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
from pathlib import Path

import pytest
from documents import make_docx, make_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repo_paths import FIXTURES, REPO
from test_import import SEEDS

from generator.sources.articles import ArticleError
from generator.tools.importer import build_draft

EXAMPLES = {"default": 60, "long": 1200}[os.environ.get("HYPOTHESIS_PROFILE", "default")]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=dt.timedelta(seconds=20),
    database=None,
    derandomize=True,  # the same examples on every run: a failure here is never a fluke of the seed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
GROWTH_MB = 400  # how far the test process's peak memory may grow over all examples

PAGES = sorted((FIXTURES / "articles").iterdir()) + [FIXTURES / "documents" / "wechat-page.html"]
PAGES += sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
WORD = {"report.docx": make_docx()}
PDF = {"report.pdf": make_pdf(), "columns.pdf": make_pdf(page_numbers="第{}页", columns_page=True)}
RESULTS: dict[str, int] = {}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "data"
    root.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", root / "themes.yaml")
    shutil.copytree(REPO / "data" / "regions", root / "regions")
    return root


@st.composite
def mutated(draw: st.DrawFn, bases: dict[str, bytes], markers: tuple[bytes, ...] = (), head: int = 0) -> tuple[str, bytes]:
    """A base file with one to four mutations, none in its first `head` bytes (a format's signature: a file
    without it is refused at once, which says nothing about the reader behind it)."""
    name = draw(st.sampled_from(sorted(bases)))
    raw = bytearray(bases[name])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "delete", "repeat", "unicode", "structure"]))
        at = draw(st.integers(min(head, len(raw)), max(head, len(raw) - 1)))
        if kind == "truncate":
            del raw[at:]
        elif kind == "flip":
            for _ in range(draw(st.integers(1, 16))):
                if raw:
                    spot = draw(st.integers(min(head, len(raw) - 1), len(raw) - 1))
                    raw[spot] ^= draw(st.integers(1, 255))
        elif kind == "delete":
            del raw[at : at + draw(st.integers(1, 4096))]
        elif kind == "repeat":
            raw[at:at] = raw[at : at + draw(st.integers(1, 4096))] * draw(st.integers(1, 50))
        elif kind == "unicode":
            raw[at:at] = draw(st.text(min_size=1, max_size=200)).encode("utf-8", "surrogatepass")
        elif markers:  # break the file's own structure where it is: a directory, a table, a length
            marker = draw(st.sampled_from(markers))
            spot = raw.find(marker, draw(st.integers(0, max(0, len(raw) - 1))))
            spot = spot if spot >= 0 else raw.find(marker)
            if spot >= 0:
                raw[spot : spot + len(marker)] = draw(st.binary(min_size=0, max_size=len(marker) + 4))
    return name, bytes(raw)


def _check(data: Path, name: str, raw: bytes) -> None:
    try:
        result = build_draft(raw, name, data)
    except ArticleError as exc:
        assert str(exc).strip(), "an error without a message"
        RESULTS["refused"] = RESULTS.get("refused", 0) + 1
        return
    assert result.text.startswith("# yaml-language-server:")
    RESULTS["drafted"] = RESULTS.get("drafted", 0) + 1


@pytest.fixture(scope="module", autouse=True)
def bounded_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    print(f"\nfuzzed the importer with {sum(RESULTS.values())} examples ({RESULTS}); peak memory grew {grown} MB")
    assert grown < GROWTH_MB


@FUZZ
@given(case=mutated({path.name: path.read_bytes() for path in PAGES}, (b"<", b">", b"\n", b"<script", b"charset=")))
def test_a_mutated_web_page_or_text_is_drafted_or_refused_with_a_message(data, case):
    _check(data, *case)


@FUZZ
@given(case=mutated(WORD, (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"word/document.xml", b"[Content_Types].xml"), 8))
def test_a_mutated_word_file_is_drafted_or_refused_with_a_message(data, case):
    _check(data, *case)


@FUZZ
@given(case=mutated(PDF, (b"xref", b"trailer", b"startxref", b"obj", b"endobj", b"stream", b"/Length", b"/Type /Page"), 8))
def test_a_mutated_pdf_is_drafted_or_refused_with_a_message(data, case):
    _check(data, *case)
