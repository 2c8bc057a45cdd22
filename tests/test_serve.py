"""Live preview: saving a record updates the page; a broken record leaves the last good preview up."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import fetch, free_port
from repo_paths import REPO

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_saving_a_record_updates_the_preview_and_errors_keep_the_last_good_one(tmp_path: Path, data_dir: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    shutil.copytree(REPO / "overrides", tmp_path / "overrides")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--data",
            str(data_dir),
            "--config",
            str(tmp_path / "mkdocs.yml"),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    page = f"http://127.0.0.1:{port}/practices/shanxian-practice.html"
    record = data_dir / "practices" / "shanxian-practice.yaml"
    try:
        assert wait_for(lambda: "单县工会驿站" in fetch(page)), "the preview never came up"

        record.write_text(
            record.read_text(encoding="utf-8").replace("title: 单县工会驿站", "title: 单县职工驿站"), encoding="utf-8"
        )
        assert wait_for(lambda: "单县职工驿站" in fetch(page)), "the saved title never reached the preview"

        record.write_text("id: shanxian-practice\ntitle: [broken\n", encoding="utf-8")
        assert wait_for(lambda: "preview not updated" in (tmp_path / "serve.log").read_text(encoding="utf-8"))
        assert "shanxian-practice.yaml:3:1: -: YAML syntax error" in (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "单县职工驿站" in fetch(page)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert wait_for(lambda: not serving(port), timeout=20), "stopping the preview left mkdocs serve running"


def serving(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
