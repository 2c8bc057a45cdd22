"""The importer on hostile files: each refused or cut with a message that names the file, in bounded time and memory.

Every case runs the command as an editor would, in its own process, whose time and peak memory are
read from the kernel (wait4) and printed; the bounds asserted are loose enough for a loaded machine
and far below what the unbounded reading cost (a page of 100,000 nested hidden elements took 70 s;
a long PDF's figures, minutes).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from documents import make_docx
from repo_paths import REPO

ARTICLES = REPO / "tests" / "fixtures" / "articles"
SECONDS = 30  # per import, however hostile the file
MEGABYTES = 600  # peak memory of the importing process

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "data"
    root.mkdir()
    shutil.copy(REPO / "data" / "themes.yaml", root / "themes.yaml")
    shutil.copytree(REPO / "data" / "regions", root / "regions")
    return root


# The child reads its own peak resident memory (VmHWM, which exec starts afresh) as it exits: the kernel's
# rusage of a child also counts the copy of this test process it was forked from.
_CHILD = """
import sys
from generator.cli import main
code = main(sys.argv[2:])
with open("/proc/self/status") as status, open(sys.argv[1], "w") as out:
    out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
sys.exit(code)
"""


def run_import(path: Path, data: Path) -> tuple[int, str, float, int, str]:
    """Exit code, standard error, seconds, peak RSS in MB and the draft written, of `generator import path`."""
    out = data.parent / f"{path.stem}.yaml"
    peak = data.parent / "peak.txt"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(peak), "import", str(path), "--data", str(data), "--out", str(out), "--force"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=300,
    )
    seconds = time.perf_counter() - start
    draft = out.read_text(encoding="utf-8") if out.exists() else ""
    out.unlink(missing_ok=True)
    return done.returncode, done.stderr.decode("utf-8"), seconds, int(peak.read_text()) // 1024, draft


def _article_html() -> str:
    return (ARTICLES / "01-epaper-header.html").read_text(encoding="utf-8")


def html_with_pictures(path: Path) -> None:
    """A saved page of 50 MB: the article among scripts and pictures embedded as data: addresses."""
    page = _article_html()
    filler = '<img src="data:image/png;base64,' + "iVBORw0KGgo" * 200_000 + '">'
    script = "<script>var tracking = '" + "x" * 1_000_000 + "';</script>"
    body = page.index("<body")
    with path.open("w", encoding="utf-8") as out:
        out.write(page[:body])
        for _ in range(20):
            out.write(script + filler)
        out.write(page[body:])


def html_of_markup(path: Path) -> None:
    """50 MB of elements (spans in divs) around one line of text."""
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><body>")
        for _ in range(1_000):
            out.write('<div class="item"><span class="dot"></span></div>' * 1_000)
        out.write("<p>北仑区总工会组织职工技能培训68期，培训职工31245人，建成技能大师工作室5个。</p></body></html>")


def html_nested(tag: str):
    def make(path: Path) -> None:
        article = "<p>北仑区总工会组织职工技能培训68期，培训职工31245人，建成技能大师工作室5个，成效明显，得到职工好评。</p>"
        path.write_text(f"<html><body>{f'<{tag}>' * 100_000}{article}{f'</{tag}>' * 100_000}</body></html>", encoding="utf-8")

    return make


def text_of_one_line(path: Path) -> None:
    """30 MB of text without a line break."""
    sentence = "北仑区总工会组织职工技能培训68期，培训职工31245人，建成技能大师工作室5个。"
    path.write_text(sentence * (30_000_000 // len(sentence.encode())), encoding="utf-8")


def docx_bomb(path: Path) -> None:
    """A Word file of 300 KB whose text part expands to 300 MB."""
    report = zipfile.ZipFile(io.BytesIO(make_docx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in report.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, report.read(info))
        with bomb.open("word/document.xml", "w") as part:
            chunk = b" " * 1_000_000
            for _ in range(300):
                part.write(chunk)


def docx_lying(path: Path) -> None:
    """A Word file whose text part says it is 1,000 bytes and expands to 20 MB."""
    report = zipfile.ZipFile(io.BytesIO(make_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as lying:
        for info in report.infolist():
            data = report.read(info)
            if info.filename == "word/document.xml":
                data = data[:-20] + b" " * 20_000_000 + data[-20:]
            lying.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    entry = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("word/document.xml")
    real = entry.file_size.to_bytes(4, "little")
    small = (1_000).to_bytes(4, "little")
    raw[entry.header_offset + 22 : entry.header_offset + 26] = small  # the local header's size
    central = raw.rfind(b"word/document.xml") - 46  # the central directory's entry
    assert raw[central + 24 : central + 28] == real
    raw[central + 24 : central + 28] = small
    path.write_bytes(bytes(raw))


def pdf_of_pages(count: int):
    def make(path: Path) -> None:
        from pypdf import PdfReader, PdfWriter
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        one = io.BytesIO()
        page = canvas.Canvas(one)
        page.setFont("STSong-Light", 12)
        for i in range(30):
            page.drawString(72, 780 - 20 * i, "北仑区总工会组织职工技能培训68期，培训职工31245人，建成技能大师工作室5个。")
        page.showPage()
        page.save()
        writer = PdfWriter()
        template = PdfReader(io.BytesIO(one.getvalue())).pages[0]
        for _ in range(count):
            writer.add_page(template)
        with path.open("wb") as out:
            writer.write(out)

    return make


def pdf_bomb(path: Path) -> None:
    """A one-page PDF whose content stream inflates to 400 MB."""
    import zlib

    stream = zlib.compress(b"0 0 m " * 70_000_000, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))


def too_large(path: Path) -> None:
    with path.open("wb") as out:
        out.truncate(150_000_000)  # sparse: the test writes nothing, the importer must not read it


# name, how the file is made, exit code, the message after "error: <file>: " (or a note), a word of the draft written
CASES = [
    ("pictures.html", html_with_pictures, 0, None, "荷塘区"),
    (
        "markup.html",
        html_of_markup,
        1,
        "the page is 49.0 MB of markup besides its scripts, styles and pictures; the importer reads pages up to 5.0 MB: "
        "save the article's page alone, or copy its text into a .txt file",
        None,
    ),
    ("nested-div.html", html_nested("div"), 0, None, "31245"),
    ("nested-aside.html", html_nested("aside"), 1, "the article is empty (no text once the markup is removed)", None),
    (
        "one-line.txt",
        text_of_one_line,
        0,
        "note: the article was cut after 200,000 characters of text (it has more); import the part you need",
        "31245",
    ),
    (
        "bomb.docx",
        docx_bomb,
        1,
        "the Word file expands to 300.8 MB, more than the 200.0 MB the importer reads; a report is a few MB: save its "
        "text alone as .docx",
        None,
    ),
    (
        "lying.docx",
        docx_lying,
        1,
        "the Word file is damaged (a part cannot be unpacked: Bad CRC-32 for file 'word/document.xml'); open it in Word "
        "or WPS and save it again as .docx, or as PDF",
        None,
    ),
    ("4000-pages.pdf", pdf_of_pages(4000), 0, "note: the PDF has 4,000 pages; the first 300 were read", "31245"),
    (
        "bomb.pdf",
        pdf_bomb,
        1,
        "the PDF is damaged: no page could be read (page 1 expands to more than the 20.0 MB a page may); export it again",
        None,
    ),
    (
        "huge.pdf",
        too_large,
        1,
        "the file is 150.0 MB; the importer reads files of up to 100.0 MB: a report is a few MB",
        None,
    ),
]


@pytest.mark.parametrize("name, make, code, message, holds", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_refused_or_cut_in_bounded_time_and_memory(tmp_path, data, name, make, code, message, holds, capsys):
    path = tmp_path / name
    make(path)
    exit_code, stderr, seconds, megabytes, draft = run_import(path, data)
    with capsys.disabled():
        print(f"\n{name} ({path.stat().st_size / 1e6:.1f} MB): exit {exit_code} in {seconds:.2f} s, peak {megabytes} MB")
    assert exit_code == code, stderr
    assert "Traceback" not in stderr
    if code:
        assert stderr == f"error: {path}: {message}\n"
    elif message:
        assert message in stderr.splitlines()
    assert (holds or "") in draft and bool(draft) == bool(holds)
    assert seconds < SECONDS and megabytes < MEGABYTES


def test_a_device_or_a_pipe_is_refused_without_being_read(tmp_path, data):
    fifo = tmp_path / "article.html"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        exit_code, stderr, seconds, _, _ = run_import(path, data)
        assert (exit_code, stderr) == (
            1,
            f"error: {path}: is not a regular file (a device, pipe or socket); save the article as a file and import that\n",
        )
        assert seconds < SECONDS
