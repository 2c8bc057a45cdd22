"""Generated Markdown: golden files, byte-identical reruns, escaping, and nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import BAD, FIXTURES, REPO

from generator.engine.build import Paths, generate
from generator.outputs.shipped import shipped_files
from generator.sources.problems import DataError
from generator.tools.schema import FOLDER, SCHEMAS, schema_text

GOLDEN = REPO / "tests" / "golden"


def generate_into(data: Path, root: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    generate(Paths(data=data, config=root / "mkdocs.yml"))
    return root / "docs"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rendered(docs: Path) -> dict[str, bytes]:
    """The pages rendered from data (static files shipped with the generator are copied verbatim)."""
    return {path: data for path, data in tree(docs).items() if path not in shipped_files()}


def test_generated_pages_match_the_golden_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    pages = rendered(generate_into(FIXTURES / "data", tmp_path))
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    assert pages == tree(GOLDEN), "run pytest --update-golden after an intended change, and review the diff"


def test_static_files_are_copied_verbatim(tmp_path: Path) -> None:
    docs = tree(generate_into(FIXTURES / "data", tmp_path))
    assert shipped_files() and all(docs[path] == data for path, data in shipped_files().items())


def test_two_runs_in_separate_processes_give_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        root = tmp_path / seed
        root.mkdir()
        shutil.copy(REPO / "mkdocs.yml", root)
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                "--data",
                str(FIXTURES / "data"),
                "--config",
                str(root / "mkdocs.yml"),
            ],
            check=True,
            env=env,
            cwd=REPO,
            capture_output=True,
        )
        outputs.append(tree(root / "docs"))
    assert outputs[0] == outputs[1]


def test_every_page_says_it_is_generated(tmp_path: Path) -> None:
    docs = generate_into(FIXTURES / "data", tmp_path)
    generated = [p for p in docs.rglob("*.md") if p.name != "guide.md"]
    assert generated
    for page in generated:
        assert page.read_text(encoding="utf-8").startswith("---\ngenerated: 由 data/ 中的记录生成，请勿手工编辑")


def test_a_rerun_rewrites_nothing_and_keeps_mtimes(tmp_path: Path) -> None:
    docs = generate_into(FIXTURES / "data", tmp_path)
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    report = generate(Paths(data=FIXTURES / "data", config=tmp_path / "mkdocs.yml"))
    assert report.written == [] and report.removed == []
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == before


def test_changing_one_record_rewrites_only_pages_that_show_it(tmp_path: Path, data_dir: Path) -> None:
    generate_into(data_dir, tmp_path)
    record = data_dir / "practices" / "shanxian-practice.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("单县读作 shan xian。", "单县的新概述。"), encoding="utf-8")
    report = generate(Paths(data=data_dir, config=tmp_path / "mkdocs.yml"))
    # Its page and data files, the downloads that hold every record in full (the summary is not in
    # metrics.csv), the feed, which carries the summaries of the newest fifty, and the compilations
    # in the site that prints it in full: the Word document of its province.
    compilations = ["compilations/region-370000.docx"]
    data = [f"practices/shanxian-practice.{ext}" for ext in ("md", "yaml")]
    downloads = ["downloads/records.csv", "downloads/records.json", "downloads/records.xlsx", "feed.xml"]
    assert report.written == sorted([*data, *downloads, *compilations])


def test_bad_data_leaves_existing_docs_untouched(tmp_path: Path, data_dir: Path) -> None:
    docs = generate_into(data_dir, tmp_path)
    before = tree(docs)
    (data_dir / "practices" / "shanxian-practice.yaml").write_text("id: shanxian-practice\ntitle: [\n", encoding="utf-8")
    shutil.copy(BAD / "practices" / "js-url.yaml", data_dir / "practices")
    with pytest.raises(DataError) as caught:
        generate(Paths(data=data_dir, config=tmp_path / "mkdocs.yml"))
    assert len(caught.value.errors) == 2
    assert tree(docs) == before


def test_values_from_yaml_cannot_inject_markdown_or_html(tmp_path: Path) -> None:
    page = (generate_into(FIXTURES / "data", tmp_path) / "practices" / "hostile-values.md").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "[link](" not in page and "*stars*" not in page and "`code`" not in page
    assert "### &#35; not a heading" in page  # the title's own # is text, not a deeper heading
    assert "| a&#124;b | 29.79万人 &#124; x |" in page  # a | inside a value does not split the cell
    assert 'title: "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_published_json_schemas_are_in_sync_with_the_models() -> None:
    for name, target in SCHEMAS.items():
        assert (FOLDER / name).read_text(encoding="utf-8") == schema_text(target), (
            f"run python -m generator.tools.schema ({name})"
        )
