"""Only regular files are read from data/, and never through a link (Jekyll's safe mode).

A symbolic link in data/ could put any readable file of the machine (/etc/passwd, a key) into
the public site; a FIFO would block the build for ever; a device could be read without end; a
folder named like a record file would be skipped without a word. Each is an error that names
it. Links are seen with lstat and a file is opened with O_NOFOLLOW, so no link is followed
even if one appears between the two; a FIFO is opened without blocking, and only after lstat
said it is a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import Problem

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def what_is(st: os.stat_result) -> str | None:
    """What an entry is when it is not a regular file (from lstat); None for a regular file."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def irregular(path: Path, shown: str) -> Problem | None:
    """The problem with path when it is not a regular file (a link is not followed to see)."""
    try:
        kind = what_is(os.lstat(path))
    except OSError as exc:  # removed while data/ was read, or in a folder this user may not read
        return Problem(shown, 1, 1, "-", f"cannot read the file: {exc.strerror}")
    if kind is None:
        return None
    return Problem(shown, 1, 1, "-", _refusal(kind, path))


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:  # no longer a link
        return "?"


def _refusal(kind: str, path: Path) -> str:
    if kind == "symbolic link":
        return f"symbolic link to {_target(path)}; data/ is read from regular files only, never through a link: put the file itself here"
    return f"{kind}, not a regular file; data/ is read from regular files only"


def read_regular(path: Path, shown: str, limit: int) -> bytes | Problem:
    """The bytes of path, a regular file of at most `limit` bytes; otherwise the problem with it."""
    problem = irregular(path, shown)
    if problem is not None:
        return problem
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError as exc:  # replaced by a link since lstat (ELOOP), removed, or unreadable
        return irregular(path, shown) or Problem(shown, 1, 1, "-", f"cannot read the file: {exc.strerror}")
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        kind = what_is(st)
        if kind is not None:
            return Problem(shown, 1, 1, "-", _refusal(kind, path))
        if st.st_size > limit:
            return Problem(shown, 1, 1, "-", f"file is {st.st_size:,} bytes; a record file may be at most {limit:,}")
        raw = handle.read(limit + 1)  # the file may have grown since fstat
    if len(raw) > limit:
        return Problem(shown, 1, 1, "-", f"file is more than {limit:,} bytes; a record file may be at most {limit:,}")
    return raw


def folder_problem(path: Path, shown: str) -> Problem | None:
    """The problem with a folder of data/ that is something else (a link, a file); None when it is
    a folder or missing."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Problem(shown, 1, 1, "-", f"cannot read the folder: {exc.strerror}")
    kind = what_is(st)
    if kind == "folder":
        return None
    if kind == "symbolic link":
        message = f"symbolic link to {_target(path)}; data/ is read from its own folders only, never through a link: put the folder itself here"
    else:
        message = f"{kind or 'file'} where a folder is expected"
    return Problem(shown, 1, 1, "-", message)


def listing(folder: Path, shown: str) -> list[Path] | Problem:
    """The entries of a folder of data/ in name order, without hidden ones (.git, an editor's swap
    files); links and folders among them too, for the reader to refuse by name."""
    try:
        with os.scandir(folder) as entries:
            return sorted(folder / entry.name for entry in entries if not entry.name.startswith("."))
    except OSError as exc:
        return Problem(shown, 1, 1, "-", f"cannot read the folder: {exc.strerror}")
