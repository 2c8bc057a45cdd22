"""Run work in forked processes: a function over shares of a list on every CPU, or one call
in the background.

Loading and rendering are pure Python, so one process keeps one core busy. Fork
lets each worker inherit what it needs (the graph, the templates, the function
itself) without pickling it; only each share's result travels back. Where fork is
missing, or the list is short, everything runs here in one process.
"""

from __future__ import annotations

import os
import pickle
import random
import select
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from multiprocessing import get_all_start_methods, get_context
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_SHARES = 4  # each worker's copy-on-write pages add memory; the budget machine has two cores

_INHERITED: Callable | None = None  # the work a forked worker finds here: set before the fork, cleared after


@contextmanager
def _forked_pool(work: Callable, workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers that can call `work` (through _call_inherited) without pickling it."""
    global _INHERITED
    _INHERITED = work
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            yield pool
    finally:
        _INHERITED = None


def _call_inherited(*args):
    return _INHERITED(*args)


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def shares_for(count: int, at_least: int) -> int:
    """How many processes share `count` items: one below `at_least` (a fork costs more than it saves)."""
    if count < at_least or "fork" not in get_all_start_methods():
        return 1
    return max(1, min(cpus(), MAX_SHARES))


def dealt(count: int, shares: int) -> list[list[int]]:
    """The indices of `count` items dealt into `shares` lists that differ in length by one at most,
    in an order shuffled with a fixed seed (the same every run). Not every n-th item: sorted lists
    have periods too, and with two shares that lined up with one. A record's page and its data file
    sit side by side in the render list, so one process got every page and the other every small
    data file: at 10,000 records it finished in 11 s of the other's 26."""
    order = list(range(count))
    random.Random(0).shuffle(order)
    return [sorted(order[k::shares]) for k in range(shares)]


def map_shares(func: Callable[[Sequence[T]], R], items: Sequence[T], *, at_least: int) -> list[R]:
    """func over shares of the items (`dealt`, each in the items' order); the first share runs
    here, the others in forked processes. Dealt rather than cut in runs: costly items (long
    records, big listings) cluster in sorted order, and one share must not get them all.
    """
    shares = shares_for(len(items), at_least)
    if shares == 1:
        return [func(items)]
    parts = [[items[i] for i in share] for share in dealt(len(items), shares)]

    def share(k: int) -> R:
        return func(parts[k])

    with _forked_pool(share, shares - 1) as pool:
        others = [pool.submit(_call_inherited, k) for k in range(1, shares)]
        return [share(0), *(f.result() for f in others)]


def interleave(parts: Sequence[Sequence[T]]) -> list[T]:
    """Undo map_in_order's split (every n-th item): per-item results of each share back in the items' order."""
    out: list[T] = []
    for i in range(max(map(len, parts), default=0)):
        out.extend(part[i] for part in parts if i < len(part))
    return out


class Background(Generic[R]):
    """func() starts in a forked process on entering the block; result() waits for it.

    For work that would otherwise hold up the rest, such as reading a new title, which imports
    pypinyin's dictionaries (a sixth of a second). Without fork, result() calls func here.
    """

    def __init__(self, func: Callable[[], R]):
        self._func = func
        self._stack = ExitStack()
        self._future: Future[R] | None = None

    def __enter__(self) -> Background[R]:
        if "fork" in get_all_start_methods():
            pool = self._stack.enter_context(_forked_pool(self._func, 1))
            self._future = pool.submit(_call_inherited)
        return self

    def result(self) -> R:
        return self._future.result() if self._future is not None else self._func()

    def __exit__(self, *exc) -> None:
        if self._future is not None:
            self._future.cancel()
        self._stack.close()


class Forked(Generic[R]):
    """func() started at once in a forked process, its result pickled back through a pipe; cancel()
    ends it unread. For work that may turn out not to be needed (a walk of site/ that only a build
    with nothing to do uses): unlike Background's pool, dropping it waits for nothing. Without fork,
    or should the process fail, result() calls func here."""

    def __init__(self, func: Callable[[], R]):
        self._func = func
        self._pid: int | None = None
        self._taken: tuple[R] | None = None
        if "fork" not in get_all_start_methods():
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def ready(self) -> bool:
        """Whether result() would return without waiting for the process (its first bytes are in)."""
        return self._taken is not None or self._pid is None or bool(select.select([self._read], [], [], 0)[0])

    def result(self) -> R:
        """func()'s result, the same object each time it is asked for."""
        if self._taken is None:
            self._taken = (self._take(),)
        return self._taken[0]

    def _take(self) -> R:
        if self._pid is None:
            return self._func()
        with os.fdopen(self._read, "rb") as handle:
            data = handle.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return pickle.loads(data) if status == 0 and data else self._func()

    def cancel(self) -> None:
        """End it unless its result was taken."""
        if self._pid is None:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read)
        self._pid = None


# Items whose results a worker of map_in_order sends back in one message. Each message is pickled
# whole before it is sent and read whole before it is unpickled: one message of 50,000 records was
# 265 MB on top of the records themselves when check read 100,000.
SEND_AT_ONCE = 2_000


def map_in_order(func: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, at_least: int) -> list[R]:
    """func over the items, shared out as map_shares does, the per-item results back in the items'
    order; a worker sends its share's results back SEND_AT_ONCE items at a time."""
    shares = shares_for(len(items), at_least)
    if shares == 1:
        return func(items)
    parts = [items[k::shares] for k in range(shares)]

    def piece(k: int, start: int) -> list[R]:
        return func(parts[k][start : start + SEND_AT_ONCE])

    with _forked_pool(piece, shares - 1) as pool:
        pending = [
            [pool.submit(_call_inherited, k, start) for start in range(0, len(parts[k]), SEND_AT_ONCE)] for k in range(1, shares)
        ]
        mine = func(parts[0])
        return interleave([mine, *([r for future in futures for r in future.result()] for futures in pending)])


class Claims:
    """Items of one list shared out among forked processes as they come to them: each process asks
    about the items in the list's order, and the first to ask about an item has it. A process that
    falls behind (its items cost more, or another process takes its CPU) finds the next items taken
    and catches up, so the processes end together, as a split made beforehand does not.

    Make it before the fork; each process then asks `mine(key)` (again and again: the first answer
    stands). The processes must ask about the same keys in the same order; each key's checksum is
    kept with its claim, and a process that comes to another key at a place raises ValueError
    rather than leave an item to no one or to two. Beyond `capacity` items, the rest are split by
    checksum, every `parties`-th to each."""

    def __init__(self, parties: int, capacity: int = 1 << 22) -> None:
        import mmap

        self._lock = get_context("fork").Lock()
        self._shared = mmap.mmap(-1, 8 + 4 * capacity)  # anonymous and shared: the next place, then checksums
        self._parties, self._capacity = parties, capacity
        self._party = 0
        self._asked = 0
        self._answers: dict[str, bool] = {}

    def joined(self, party: int) -> None:
        """This process is party number `party` (0 in the process that made the claims)."""
        self._party = party

    def mine(self, key: str) -> bool:
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._claim(key)
        return answer

    def _claim(self, key: str) -> bool:
        import zlib

        place, self._asked = self._asked, self._asked + 1
        checksum = zlib.crc32(key.encode("utf-8"))
        if place >= self._capacity:
            return checksum % self._parties == self._party
        at = slice(8 + 4 * place, 12 + 4 * place)
        with self._lock:
            taken = int.from_bytes(self._shared[0:8], "little")
            if taken == place:
                self._shared[0:8] = (place + 1).to_bytes(8, "little")
                self._shared[at] = checksum.to_bytes(4, "little")
                return True
        if taken < place or int.from_bytes(self._shared[at], "little") != checksum:
            raise ValueError(f"claims: {key!r} asked about out of the order the others asked in")
        return False
