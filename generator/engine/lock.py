"""One build at a time: an OS lock on `.cache/build.lock` beside mkdocs.yml (Hugo's
`.hugo_build.lock`).

Two builds of one project at once each write docs/, the cache and the site's search index from
what they read, and the one that ends last leaves a mix of both: a new title that search cannot
find, and every later build sure that nothing changed. So generate, build, each rebuild of serve,
offline and compile take this lock. A second run says whose it waits for (the holder writes its
process id and command into the file) and builds when it is free; with wait=False it stops at once.

The lock is flock(2)'s: the kernel releases it when its process ends in any way, killed too, so a
stale lock never blocks anyone and the file is never removed. Processes the build forks (workers,
the segmenter) are given a signal to end with it, so none outlives a killed build to go on writing
pages, or to hold the lock.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock (the build runs on Linux)
    fcntl = None  # type: ignore[assignment]

NAME = ".cache/build.lock"  # beside mkdocs.yml


class Busy(RuntimeError):
    """Another build of the project holds the lock, and the caller would not wait."""


def lock_path(project: Path) -> Path:
    return project / NAME


def holder(path: Path) -> str:
    """Who holds (or last held) the lock, as its holder wrote it: 'process 1234: python -m generator build'."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    pid, _, command = text.partition(" ")
    return f"process {pid}: {command}" if pid.isdigit() else "a process that has not said which"


@contextmanager
def build_lock(project: Path, command: str, *, wait: bool = True, notice: TextIO | None = None) -> Iterator[None]:
    """Hold the project's build lock for the block; wait for it (saying so on notice, stderr by
    default) unless wait is False, then raise Busy."""
    if fcntl is None:
        yield
        return
    path = lock_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy(
                    f"another build of this project is running ({holder(path)}); "
                    "run again when it has finished, or without --no-wait to wait for it"
                ) from None
            out = notice or sys.stderr
            out.write(f"waiting for another build of this project to finish ({holder(path)})\n")
            out.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        _forks_end_with_this_process()
        yield
        os.ftruncate(fd, 0)  # nobody holds it now
    finally:
        os.close(fd)  # releases the lock (a forked worker's copy ends with the worker)


_registered = False
_forker = 0  # the process that forks, as the child finds it in its copy of memory


def _forks_end_with_this_process() -> None:
    """From now on every process this one forks is sent SIGKILL when this one ends (Linux)."""
    global _registered
    if _registered or not sys.platform.startswith("linux"):
        return
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in each child

    def before() -> None:
        global _forker
        _forker = os.getpid()

    def after_in_child() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != _forker:  # the parent ended before the line above
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=after_in_child)
    _registered = True


def end_with_parent(parent: int) -> None:
    """Called first by a process the build starts (sitebuild.py): end when `parent` ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        sys.exit(1)
