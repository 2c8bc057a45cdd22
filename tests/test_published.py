"""Only what is published is published: the public build shows `published` records only, the
preview shows every record with a banner, and both stay equal to a clean build after any edit."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from repo_paths import REPO

from generator.engine import build
from generator.engine.build import Paths

FIXTURES = REPO / "tests" / "fixtures" / "data"


def project(root: Path) -> Path:
    """A copy of the fixture data/ (where changzhi-practice is reviewed) beside a copy of mkdocs.yml; returns data/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(FIXTURES, root / "data")
    edit(root / "data", "practices/changzhi-practice.yaml", lambda r: r.update(status="reviewed"))
    return root / "data"


def paths(data: Path, preview: bool) -> Paths:
    return Paths(data=data, config=data.parent / "mkdocs.yml", preview=preview)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(data: Path, rel: str, change: Callable[[dict], None]) -> None:
    path = data / rel
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def link_case_to_reviewed_practice(data: Path) -> None:
    """jinchang-station (published) names changzhi-practice (reviewed)."""
    edit(data, "cases/jinchang-station.yaml", lambda r: r.update(practices=["changzhi-practice"]))


def test_the_public_build_shows_published_records_only_and_the_preview_all_with_a_banner(tmp_path: Path) -> None:
    data = project(tmp_path / "p")
    public, preview = paths(data, False), paths(data, True)
    build.generate(public)
    build.generate(preview)
    assert not (public.docs / "practices" / "changzhi-practice.md").exists()
    # Pages, tables, JSON, YAML, the feed and the print pages as text; the Word files and the workbook as read back.
    files = tree(public.docs)
    texts = {
        rel: b.decode("utf-8-sig") for rel, b in files.items() if rel.endswith((".md", ".csv", ".json", ".yaml", ".xml", ".html"))
    }
    assert "downloads/records.csv" in texts and not [rel for rel, text in texts.items() if "长治市推进产改" in text]
    words = [Document(io.BytesIO(p)).paragraphs for rel, p in files.items() if rel.endswith(".docx")]
    assert words and not any("长治市推进产改" in paragraph.text for paragraphs in words for paragraph in paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(files["downloads/records.xlsx"]))
    assert not any(
        "长治市推进产改" in str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )
    page = (preview.docs / "practices" / "changzhi-practice.md").read_text(encoding="utf-8")
    assert '!!! warning "已审核，待发布"' in page and "状态\n:   已审核" in page
    for built, practices in ((preview, 7), (public, 6)):  # the home page's figures
        home = (built.docs / "index.md").read_text(encoding="utf-8")
        assert f"[**{practices}** 经验做法]" in home and "[**2** 典型案例]" in home
    assert public.docs != preview.docs and public.cache != preview.cache


def test_a_record_named_by_a_published_one_but_not_published_is_not_named_anywhere_in_the_public_build(tmp_path: Path) -> None:
    data = project(tmp_path / "p")
    link_case_to_reviewed_practice(data)
    public, preview = paths(data, False), paths(data, True)
    build.generate(public)
    build.generate(preview)
    case = "cases/jinchang-station.md"
    assert "长治市推进产改" not in (public.docs / case).read_text(encoding="utf-8")
    assert "- [长治市推进产改](../practices/changzhi-practice.md)\n" in (preview.docs / case).read_text(encoding="utf-8")
    leaks = [rel for rel, content in tree(public.docs).items() if "长治市推进产改".encode() in content]
    words = [
        rel for rel, content in tree(public.docs).items() if rel.endswith(".docx") and _docx_mentions(content, "长治市推进产改")
    ]
    assert leaks == [] and words == []


def _docx_mentions(content: bytes, text: str) -> bool:
    return any(text in paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)


def test_check_warns_when_a_published_record_names_an_unpublished_one(tmp_path: Path) -> None:
    data = project(tmp_path / "p")
    link_case_to_reviewed_practice(data)
    graph, problems = build.check(data)
    assert graph is not None
    warnings = [str(p) for p in problems if p.field == "practices[0]"]
    assert warnings == [
        "data/cases/jinchang-station.yaml:20:3: practices[0]: warning: "
        "'changzhi-practice' is reviewed: the published site leaves it out until it is published"
    ]


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a published case names a reviewed practice", link_case_to_reviewed_practice),
    (
        "the reviewed practice is retitled",
        lambda d: edit(d, "practices/changzhi-practice.yaml", lambda r: r.update(title="长治市改")),
    ),
    ("it is published", lambda d: edit(d, "practices/changzhi-practice.yaml", lambda r: r.update(status="published"))),
    ("a linked case goes back to draft", lambda d: edit(d, "cases/zhang-studio.yaml", lambda r: r.update(status="draft"))),
    ("a draft becomes reviewed", lambda d: edit(d, "cases/zhang-studio.yaml", lambda r: r.update(status="reviewed"))),
    ("the practice is unpublished", lambda d: edit(d, "practices/changzhi-practice.yaml", lambda r: r.update(status="draft"))),
]


@pytest.mark.parametrize("preview", [False, True], ids=["public", "preview"])
def test_publishing_and_unpublishing_keep_the_incremental_build_equal_to_a_clean_one(tmp_path: Path, preview: bool) -> None:
    data = project(tmp_path / "p")
    ours = paths(data, preview)
    build.generate(ours)
    for step, (name, change) in enumerate(EDITS):
        change(data)
        report = build.generate(ours)
        assert report.incremental, name
        clean = project(tmp_path / f"clean{step}")
        shutil.rmtree(clean)
        shutil.copytree(data, clean)  # as edited so far
        build.generate(paths(clean, preview))
        assert tree(ours.docs) == tree(paths(clean, preview).docs), name
