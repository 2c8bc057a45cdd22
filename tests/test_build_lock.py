"""One build at a time (generator/engine/lock.py): a second run waits for the first and says whose it
waits for, or with --no-wait stops at once; a killed holder blocks nobody; two builds started
together leave the site a clean build gives (before the lock, the second's search index could miss
a new title, and every later build said nothing changed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import CleanBuilds, Project, assert_like_clean, free_port, read_yaml, write_yaml
from repo_paths import REPO

from generator.engine.lock import build_lock

BUSY = "run again when it has finished, or without --no-wait to wait for it"


def cli(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args, "--data", str(project / "data"), "--config", str(project / "mkdocs.yml")]


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """The fixture data/ beside a copy of mkdocs.yml and overrides/."""
    return Project(tmp_path / "project", REPO / "tests" / "fixtures" / "data").root


@pytest.mark.parametrize(
    "command",
    [
        ["generate", "--no-wait"],
        ["build", "--no-wait"],
        ["serve", "--no-wait"],
        ["compile", "--theme", "skills", "--no-wait"],
    ],
)
def test_with_no_wait_a_second_run_stops_at_once_naming_the_first(fixture_project: Path, command: list[str]) -> None:
    with build_lock(fixture_project, "python -m generator build"):
        started = time.monotonic()
        result = run(cli(fixture_project, *command))
    assert result.returncode == 1
    assert (
        result.stderr == f"another build of this project is running (process {os.getpid()}: python -m generator build); {BUSY}\n"
    )
    assert time.monotonic() - started < 30
    assert not (fixture_project / "docs").exists()


def test_offline_with_no_wait_stops_at_once_too(fixture_project: Path) -> None:
    with build_lock(fixture_project, "python -m generator serve"):
        result = run(
            [
                sys.executable,
                "-m",
                "generator.engine.offline",
                "--no-wait",
                "--data",
                str(fixture_project / "data"),
                "--config",
                str(fixture_project / "mkdocs.yml"),
            ]
        )
    assert result.returncode == 1
    assert (
        result.stderr == f"another build of this project is running (process {os.getpid()}: python -m generator serve); {BUSY}\n"
    )


def test_a_second_run_says_whose_build_it_waits_for_then_runs(fixture_project: Path) -> None:
    with build_lock(fixture_project, "python -m generator serve"):
        second = subprocess.Popen(
            cli(fixture_project, "generate"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO
        )
        assert second.stderr is not None
        waiting = second.stderr.readline()
        assert (
            waiting == f"waiting for another build of this project to finish (process {os.getpid()}: python -m generator serve)\n"
        )
        time.sleep(1)
        assert second.poll() is None and not (fixture_project / "docs").exists(), "it did not wait"
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0 and out.startswith("docs/: ")
    assert (fixture_project / ".cache" / "build.lock").read_text(encoding="utf-8") == ""  # nobody holds it


def test_the_lock_of_a_killed_build_blocks_nobody(fixture_project: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from generator.engine.lock import build_lock\n"
            "with build_lock(Path(sys.argv[1]), 'python -m generator build'):\n    print('held', flush=True); time.sleep(600)",
            str(fixture_project),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    result = run(cli(fixture_project, "generate", "--no-wait"))
    assert result.returncode == 0 and "waiting" not in result.stderr


def test_check_takes_no_lock(fixture_project: Path) -> None:
    """check writes nothing: it runs beside a build."""
    with build_lock(fixture_project, "python -m generator build"):
        assert run(cli(fixture_project, "check")[:-2]).returncode == 0


@pytest.mark.slow
@pytest.mark.usefixtures("fixed_build_time")
def test_two_builds_started_together_leave_what_a_clean_build_leaves(sample: Path, tmp_path: Path) -> None:
    project = Project(tmp_path / "project", sample)
    project.build()
    record = read_yaml(project.files("practices")[0])
    record.update(id="added-practice", title="焊花工坊：新增的经验做法")
    write_yaml(project.data / "practices" / "added-practice.yaml", record)

    env = dict(os.environ)
    builds = [
        subprocess.Popen(cli(project.root, "build"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
        for _ in range(2)
    ]
    results = [(b.wait(timeout=600), *b.communicate()) for b in builds]
    assert [code for code, _, _ in results] == [0, 0], results
    assert sum("waiting for another build of this project to finish" in err for _, _, err in results) == 1

    clean = CleanBuilds(tmp_path / "clean").of(project.data)
    assert_like_clean(project, clean, when="after both builds")
    assert any("焊花工坊" in text.decode("utf-8", "replace") for rel, text in clean.site.items() if rel.startswith("search/"))
    assert run(cli(project.root, "build")).returncode == 0
    assert_like_clean(project, clean, when="after the next build")
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site-")]


@pytest.mark.slow
def test_a_build_beside_a_running_preview_waits_for_one_rebuild_at_most(fixture_project: Path) -> None:
    """serve holds the lock while it rebuilds, not while it serves: `make site` beside `make serve` runs."""
    port = free_port()
    log = fixture_project / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*cli(fixture_project, "serve"), "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while "preview on" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "preview on" in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")
        assert run(cli(fixture_project, "build", "--no-wait")).returncode == 0  # the server is idle: the lock is free
        record = fixture_project / "data" / "practices" / "shanxian-practice.yaml"
        record.write_text(
            record.read_text(encoding="utf-8").replace("title: 单县工会驿站", "title: 单县职工驿站"), encoding="utf-8"
        )
        time.sleep(0.5)  # the server starts its rebuild
        started = time.monotonic()
        assert run(cli(fixture_project, "build")).returncode == 0
        assert time.monotonic() - started < 120
    finally:
        server.terminate()
        server.wait(timeout=30)
