"""Write stage: put pages on disk, touching only files whose bytes change.

Unchanged files keep their mtime, so `mkdocs serve` and rsync deploys see only
real changes. Each file is written to a temporary name and renamed, so a reader
never sees half a page. The built site is swapped in whole, only on success.

Nothing planted in docs/ or site/ is followed: a link (or a file) where a folder belongs is
removed and a real folder made, a link where a page belongs is replaced, never written through,
and trees are removed without following the links inside them. What a killed build left
beside site/ is removed by the next (`remove_leftovers`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PageStamp = tuple[int, int, int]  # size, mtime_ns, inode: what a later run compares to see a hand edit


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    stamps: dict[str, PageStamp] = field(default_factory=dict)  # every file written or found unchanged
    incremental: bool = False  # True when only the pages a change reached were rendered
    site_rebuilt: bool = False  # True when MkDocs rebuilt only the changed pages of the last site
    seconds: dict[str, float] = field(default_factory=dict)  # time of each stage of a build (bench.py reports it)
    docs: dict[str, PageStamp] | None = None  # every file of docs/ after a generate, as files() finds them
    docs_digest: str | None = None  # stamps_digest(docs), when the generate made it

    def merge(self, other: WriteReport) -> None:
        self.written += other.written
        self.removed += other.removed
        self.unchanged += other.unchanged
        self.stamps.update(other.stamps)


def page_stamp(st: os.stat_result) -> PageStamp:
    return st.st_size, st.st_mtime_ns, st.st_ino


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, data: bytes, *, make_folder: bool = True) -> PageStamp:
    """Write to a temporary name and rename, so a reader never sees half a file; the stamp it ends with."""
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    # The process id keeps two writers apart; mkstemp's random names cost more than the write itself.
    tmp = f"{path.parent}/.{path.name}.{os.getpid()}.tmp"
    try:
        try:
            fd = os.open(tmp, _FLAGS, 0o644)
        except FileExistsError:  # left by a killed process of the same id, or planted (a link): replaced
            os.unlink(tmp)
            fd = os.open(tmp, _FLAGS, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            stamp = page_stamp(os.fstat(fd))  # a rename keeps size, mtime and inode
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return stamp


def remove_entry(path: Path | str) -> None:
    """Remove a file, a link (not what it points to) or a whole tree (not following links in it)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _real_folder(out_dir: Path, folder: Path, folders: set[Path]) -> None:
    """Make folder, which is under out_dir, a real folder and each folder between them too: a link or
    a file planted in the place of one is removed, never followed. One check per folder a run writes
    into (`folders`), not per file: each system call counts at 13,000 files."""
    if folder in folders:
        return
    if folder == out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    else:
        _real_folder(out_dir, folder.parent, folders)
        try:
            real = stat.S_ISDIR(os.lstat(folder).st_mode)
        except FileNotFoundError:
            real = False
        if not real:  # forked writers may get here at once: each step leaves a folder another made
            try:
                folder.unlink()  # a link or a file: never followed
            except (FileNotFoundError, IsADirectoryError):
                pass
            try:
                folder.mkdir()
            except FileExistsError:
                if not stat.S_ISDIR(os.lstat(folder).st_mode):
                    raise
    folders.add(folder)


COMPARED_AT_ONCE = 1 << 20  # bytes of a file read at a time to compare it with what would replace it


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly data, read a megabyte at a time: a download of 100,000
    records is over 100 MB, and reading it whole doubled what writing it took."""
    view, at = memoryview(data), 0
    with path.open("rb") as handle:
        while chunk := handle.read(COMPARED_AT_ONCE):
            if view[at : at + len(chunk)] != chunk:
                return False
            at += len(chunk)
    return at == len(data)


def _put(path: Path, data: bytes, out_dir: Path, folders: set[Path]) -> tuple[bool, PageStamp]:
    """Write path unless it already holds exactly data; (written, stamp after)."""
    _real_folder(out_dir, path.parent, folders)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISREG(st.st_mode):
            if st.st_size == len(data) and _holds(path, data):
                return False, page_stamp(st)
        elif stat.S_ISDIR(st.st_mode):  # a folder where the page goes (a link is replaced by the rename)
            remove_entry(path)
    return True, write_atomic(path, data, make_folder=False)


def write_pages(out_dir: Path, pages: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> WriteReport:
    """Write the pages whose bytes differ from what out_dir holds; leave the rest alone.

    pages may be a lazy iterable of (path, text): each page is written as soon as it is
    produced. Stale files are the caller's to remove (see `remove`).
    """
    report = WriteReport()
    items = pages.items() if isinstance(pages, Mapping) else pages
    folders: set[Path] = set()

    def put(item: tuple[str, str | bytes]) -> tuple[str, bool, PageStamp]:
        rel, content = item
        return (rel, *_put(out_dir / rel, content.encode("utf-8") if isinstance(content, str) else content, out_dir, folders))

    # One thread: rendering is Python and holds the lock that writer threads wait on; handing it
    # back and forth cost more system time than the writes themselves.
    for rel, written, stamp in sorted(map(put, items)):
        report.stamps[rel] = stamp
        if written:
            report.written.append(rel)
        else:
            report.unchanged += 1
    return report


def files(out_dir: Path, known: Mapping[str, PageStamp] | None = None) -> dict[str, PageStamp]:
    """Every file under out_dir (relative, POSIX) with its stamp.

    known: stamps taken moments ago of files that may be here as hard links (a rebuild links the
    last site's files), kept by a caller that keeps those files alive meanwhile: a file whose inode
    is the one known for its path is that same file, and its stamp is taken as known without a
    stat (at 100,000 records, 0.15 s for the site's 150,000 files instead of 0.7 s)."""
    out: dict[str, PageStamp] = {}
    known = known or {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    rel = f"{prefix}{entry.name}"
                    stamp = known.get(rel)
                    if stamp is None or stamp[2] != entry.inode():
                        stamp = page_stamp(entry.stat(follow_symlinks=False))
                    out[rel] = stamp

    if out_dir.is_dir():
        walk(str(out_dir), "")
    return out


def stamps_digest(stamps: Mapping[str, tuple[int, ...]]) -> str:
    """One short value for a folder's stamps (files() or a scan of data/): equal digests, equal
    stamps. A run that finds nothing changed compares these instead of loading every stamp."""
    # The paths as one text and the stamps as one pickle: formatting each of 150,000 entries took
    # twice as long (the cache's fingerprint holds the Python version, whose pickle this is).
    rels = sorted(stamps)
    digest = hashlib.sha256("\n".join(rels).encode("utf-8", "surrogateescape"))
    digest.update(pickle.dumps([stamps[rel] for rel in rels], protocol=5))
    return digest.hexdigest()


def site_digest(stamps: Mapping[str, tuple[int, ...]], apart: str) -> str:
    """One short value for a site's stamps: the stamps_digest of its files outside the folder
    `apart` (the search index's) and that of the files in it, digested together (joined_digest).
    The build's MkDocs process digests the 150,000 files it built while the build still writes
    the index, and only the index's once it is moved in: 0.1 s less on the build's path."""
    outside, inside = split_stamps(stamps, apart)
    return joined_digest(stamps_digest(outside), stamps_digest(inside))


def split_stamps(stamps: Mapping[str, T], apart: str) -> tuple[Mapping[str, T], dict[str, T]]:
    """The stamps of the files outside the folder `apart`, and those of the files in it."""
    prefix = f"{apart}/"
    inside = {rel: stamp for rel, stamp in stamps.items() if rel.startswith(prefix)}
    return ({rel: stamp for rel, stamp in stamps.items() if rel not in inside} if inside else stamps), inside


def joined_digest(outside: str, inside: str) -> str:
    """site_digest, from the digests of the files outside the folder set apart and in it."""
    return hashlib.sha256(f"{outside}\n{inside}".encode()).hexdigest()


def remove(out_dir: Path, rels: Iterable[str]) -> list[str]:
    """Remove these files, then any folder they leave empty."""
    removed = sorted(rels)
    folders: set[Path] = set()
    for rel in removed:
        try:
            (out_dir / rel).unlink(missing_ok=True)
        except IsADirectoryError:  # a link planted where a folder belongs, made a real folder since
            continue
        folders.update(Path(rel).parents)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        path = out_dir / folder
        if folder.parts and os.path.isdir(path) and not os.path.islink(path) and not any(path.iterdir()):
            path.rmdir()
    return removed


_removing: list[threading.Thread] = []  # the old tree of the last swap_dir(later=True), being removed


def finish_removing() -> None:
    """Wait until the old tree of the last swap_dir(later=True) is gone."""
    while _removing:
        _removing.pop().join()


def swap_dir(new: Path, target: Path, *, later: bool = False, trash: Path | None = None) -> None:
    """Put new in the place of target, in one step where the system can exchange two names (Linux's
    renameat2), else in two renames; the old tree is removed only afterwards, with later in a thread
    of its own (the preview server shows the new tree meanwhile); finish_removing() waits for it, as
    the next swap and the end of the process do.

    trash: a folder to move the old tree into instead, for the next rebuild to start from
    (sitebuild.reuse_set_aside) or remove (empty_folder); removed as above when it cannot be moved
    there (another file system)."""
    finish_removing()
    old = target.with_name(f".{target.name}-old")
    remove_entry(old)
    if os.path.lexists(target):
        if _exchange(new, target):
            new.rename(old)  # the old tree, now under new's name
        else:
            target.rename(old)
            new.rename(target)
    else:
        new.rename(target)
    if trash is not None and os.path.lexists(old):
        try:
            trash.mkdir(parents=True, exist_ok=True)
            old.rename(tempfile.mkdtemp(prefix=f"{target.name}-", dir=trash))
            return
        except OSError:
            pass  # removed here after all
    if later:
        _removing.append(threading.Thread(target=remove_entry, args=(old,)))
        _removing[-1].start()
    else:
        remove_entry(old)


def empty_folder(folder: Path) -> None:
    """Remove everything in folder (a trash of swap_dir's), not following links."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries]
    except FileNotFoundError:
        return
    for name in names:
        remove_entry(folder / name)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names a and b at once (so that b is never missing); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a C library before glibc 2.28
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def link_tree(
    source: Path,
    target: Path,
    stamps: dict[str, PageStamp] | None = None,
    prefix: str = "",
    *,
    keep: Callable[[os.DirEntry, str, os.stat_result], bool] | None = None,
    skip: Collection[str] = (),
) -> set[str]:
    """target/ as a copy of source/ made of hard links (empty when there is no source/): files
    written into it later replace links (write.py renames), so source/ keeps its bytes. stamps:
    filled with the stamp of every file of source/ as files() takes them, under prefix + its path.
    keep: whether a file (its entry, path and stamp) is linked (every file when None); skip: folders
    of source/ left out, by path. A link or a special file in source/ is never linked, nor followed.
    What target/ holds already (an older copy) stays where it is the same file as the one to link;
    the rest goes. Returns the paths linked."""
    target.mkdir(exist_ok=True)
    stamped = stamps if stamps is not None else {}
    linked: set[str] = set()

    def link(folder: str | None, into: str, rel: str) -> None:  # plain strings: 150,000 files
        with os.scandir(into) as held:
            there = {entry.name: entry for entry in held}
        if folder is not None:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name, path = entry.name, f"{rel}{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        if path in skip:
                            continue  # what target/ holds there goes below
                        old = there.pop(name, None)
                        if old is not None and not old.is_dir(follow_symlinks=False):
                            remove_entry(old.path)
                        os.makedirs(f"{into}/{name}", exist_ok=True)
                        link(entry.path, f"{into}/{name}", f"{path}/")
                        continue
                    old = there.pop(name, None)
                    st = entry.stat(follow_symlinks=False)
                    stamped[prefix + path] = page_stamp(st)
                    if entry.is_file(follow_symlinks=False) and (keep is None or keep(entry, path, st)):
                        if old is None or old.inode() != st.st_ino or not old.is_file(follow_symlinks=False):
                            if old is not None:
                                remove_entry(old.path)
                            os.link(entry.path, f"{into}/{name}")
                        linked.add(path)
                    elif old is not None:
                        remove_entry(old.path)
        for old in there.values():
            remove_entry(old.path)

    link(str(source) if source.is_dir() else None, str(target), "")
    return linked


def remove_leftovers(target: Path) -> list[str]:
    """Remove what a build killed before it ended left beside target (site/): its working copy
    `.site-XXXXXXXX` with its `-search` and `-partN` folders, and `.site-old`; their names.

    Only while no other build of this project runs: the caller holds the build lock (lock.py)."""
    finish_removing()
    prefix = f".{target.name}-"
    try:
        with os.scandir(target.parent) as entries:
            names = sorted(entry.name for entry in entries if entry.name.startswith(prefix))
    except FileNotFoundError:
        return []
    for name in names:
        remove_entry(target.parent / name)
    return names


def exit_now(code: int | None) -> None:
    """End the process without tearing the interpreter down object by object.

    After a generate the graph, the cache state and the sort keys are a few hundred thousand
    objects; freeing them one at a time took 0.07 s of a 1 s incremental run, and nothing
    needs it done. Every file and pool is closed by then; only the streams need flushing.
    """
    finish_removing()  # an old preview tree still being removed
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if code is None else code)
