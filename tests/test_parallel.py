"""Loading and rendering in several processes give exactly what one process gives."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from repo_paths import BAD, FIXTURES, REPO

from generator.engine import check as checking
from generator.engine import generate as pipeline
from generator.engine import parallel
from generator.engine.build import Paths, check, generate
from generator.sources.yamlfile import SourceMarks, read_document


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split even the fixture's handful of files and pages over three processes."""
    monkeypatch.setattr(parallel, "cpus", lambda: 3)
    monkeypatch.setattr(checking, "FORK_FROM_FILES", 1)
    monkeypatch.setattr(pipeline, "FORK_FROM_PAGES", 1)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def generated(data: Path, root: Path) -> dict[str, bytes]:
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)
    generate(Paths(data=data, config=root / "mkdocs.yml"), full=True)
    return tree(root / "docs")


def test_map_shares_gives_every_item_to_exactly_one_process(forked: None) -> None:
    parts = parallel.map_shares(lambda share: [(os.getpid(), x * x) for x in share], list(range(10)), at_least=1)
    # The first share runs here, the others in forked workers (the pool may hand two shares to one worker).
    pids = [{pid for pid, _ in part} for part in parts]
    assert len(parts) == 3 and pids[0] == {os.getpid()} and all(len(p) == 1 and os.getpid() not in p for p in pids[1:])
    assert sorted(square for part in parts for _, square in part) == [x * x for x in range(10)]
    dealt = parallel.dealt(10, 3)
    assert [[square for _, square in part] for part in parts] == [[x * x for x in share] for share in dealt]


def test_items_are_dealt_evenly_and_the_same_way_every_run() -> None:
    dealt = parallel.dealt(1001, 2)
    assert sorted(i for share in dealt for i in share) == list(range(1001))  # each item once
    assert sorted(map(len, dealt)) == [500, 501] and all(share == sorted(share) for share in dealt)
    assert parallel.dealt(1001, 2) == dealt


@pytest.mark.parametrize("period", [2, 3, 4, 8])
def test_a_list_whose_costly_items_recur_at_a_fixed_period_is_shared_fairly(period: int) -> None:
    """A page and its small data file alternate in the render list: every n-th item gave one
    process all the pages."""
    cost = [10 if i % period == 0 else 1 for i in range(4000)]
    for shares in (2, 3):
        loads = [sum(cost[i] for i in share) for share in parallel.dealt(len(cost), shares)]
        assert max(loads) / min(loads) < 1.1, loads


def test_a_worker_sends_its_results_back_a_few_at_a_time_and_they_come_back_in_order(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SEND_AT_ONCE", 2)
    results = parallel.map_in_order(lambda share: [(os.getpid(), len(share), x) for x in share], list(range(20)), at_least=1)
    assert [x for _, _, x in results] == list(range(20))
    here = [size for pid, size, _ in results if pid == os.getpid()]
    elsewhere = [size for pid, size, _ in results if pid != os.getpid()]
    assert here == [7] * 7  # this process's share, whole (20 items over 3 processes: 7, 7, 6)
    assert len(elsewhere) == 13 and set(elsewhere) == {1, 2}  # the workers': 2 at a time, and a last single one


def test_a_short_list_stays_in_this_process(forked: None) -> None:
    assert parallel.map_shares(lambda share: [os.getpid() for _ in share], [1, 2], at_least=3) == [[os.getpid()] * 2]


def test_forked_generate_writes_the_same_bytes_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = generated(FIXTURES / "data", tmp_path / "alone")
    monkeypatch.setattr(parallel, "cpus", lambda: 3)
    monkeypatch.setattr(checking, "FORK_FROM_FILES", 1)
    monkeypatch.setattr(pipeline, "FORK_FROM_PAGES", 1)
    assert generated(FIXTURES / "data", tmp_path / "forked") == alone


def test_forked_check_reports_the_same_problems_in_the_same_order(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for bad in (
        "practices/duplicate-key.yaml",
        "practices/unknown-region.yaml",
        "practices/id-mismatch.yaml",
        "practices/empty-file.yaml",
        "cases/bad-kind.yaml",
    ):
        shutil.copy(BAD / bad, data_dir / bad)
    alone = [str(p) for p in check(data_dir)[1]]
    monkeypatch.setattr(parallel, "cpus", lambda: 3)
    monkeypatch.setattr(checking, "FORK_FROM_FILES", 1)
    assert [str(p) for p in check(data_dir)[1]] == alone and len(alone) >= 5


def test_a_valid_records_marks_are_found_again_from_its_file(tmp_path: Path) -> None:
    path = tmp_path / "wucheng-skills.yaml"
    shutil.copy(FIXTURES / "data" / "practices" / "wucheng-skills.yaml", path)
    document, problems = read_document(path, "x")
    assert not problems
    lazy = pickle.loads(pickle.dumps(SourceMarks(path)))  # as a loading worker sends it
    assert lazy.values == document.marks.values and lazy.keys == document.marks.keys
    assert lazy.at(("metrics", 1, "value")) == document.marks.at(("metrics", 1, "value")) != (1, 1)

    saved_again = pickle.loads(pickle.dumps(SourceMarks(path)))
    path.write_text("\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")  # the editor added two lines on top
    line, column = document.marks.at(("metrics", 1, "value"))
    assert saved_again.at(("metrics", 1, "value")) == (line + 2, column), "the lines of the file as it is now"


def test_a_worker_sends_the_path_not_the_text_or_the_tables() -> None:
    path = FIXTURES / "data" / "practices" / "wucheng-skills.yaml"
    assert pickle.loads(pickle.dumps(SourceMarks(path))).__dict__ == {"path": str(path)}


def test_background_work_runs_in_another_process_and_its_error_reaches_the_caller() -> None:
    with parallel.Background(os.getpid) as pending:
        assert pending.result() != os.getpid()
    with parallel.Background(lambda: 1 // 0) as pending, pytest.raises(ZeroDivisionError):
        pending.result()


def test_forked_work_gives_its_result_from_another_process_and_is_redone_here_if_that_process_fails() -> None:
    assert parallel.Forked(os.getpid).result() != os.getpid()
    here = os.getpid()
    calls: list[int] = []

    def dies_in_the_child() -> int:
        calls.append(os.getpid())
        if os.getpid() != here:
            os._exit(3)
        return 42

    assert parallel.Forked(dies_in_the_child).result() == 42 and calls == [here]


def test_forked_work_says_when_its_result_is_in_and_gives_that_one_result_each_time(tmp_path: Path) -> None:
    import time

    go = tmp_path / "go"

    def when_told() -> list[int]:
        while not go.exists():
            time.sleep(0.01)
        return [os.getpid()]

    work = parallel.Forked(when_told)
    time.sleep(0.2)
    assert not work.ready(), "ready before the process has its result"
    go.touch()
    deadline = time.monotonic() + 20
    while not work.ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert work.ready()
    first = work.result()
    assert first[0] != os.getpid() and work.result() is first and work.ready()


def test_forked_work_dropped_unread_is_ended_without_waiting_for_it() -> None:
    import time

    clock = time.perf_counter()
    work = parallel.Forked(lambda: time.sleep(30))
    work.cancel()
    assert time.perf_counter() - clock < 5
    work.cancel()  # twice is harmless


def test_a_new_title_read_in_the_background_sorts_as_if_read_here(tmp_path: Path) -> None:
    from generator.model.ordering import Ordering, readings_for

    graph, _ = check(FIXTURES / "data")
    titles = ["修订长治市产业工人技能提升", "重庆的经验"]
    with parallel.Background(lambda: readings_for(titles, graph.regions.values())) as pending:
        away = pending.result()
    here = Ordering(graph)
    assert away == {t: here.text_key(t, "x")[:2] for t in titles}


def test_a_full_generate_reads_half_its_titles_in_another_process_and_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = generated(FIXTURES / "data", tmp_path / "alone")
    monkeypatch.setattr(pipeline, "READ_BESIDE_FROM", 1)
    asked: list[int] = []
    result = parallel.Background.result
    monkeypatch.setattr(parallel.Background, "result", lambda self: asked.append(os.getpid()) or result(self))
    assert generated(FIXTURES / "data", tmp_path / "beside") == alone
    assert asked, "the titles were read beside"

    from contextlib import ExitStack

    from generator.model.ordering import Ordering

    sources = pipeline.read(FIXTURES / "data", None, None)
    with ExitStack() as stack:
        linked = pipeline.link(sources, None, tmp_path / "cache", stack, preview=False)
        titles = sorted({t for b in linked.graph.briefs.values() for t in (b.title, *b.policies)})
        assert list(linked.own) == titles[0::2] and linked.reading is not None
        here = Ordering(linked.graph)
        assert linked.ready().readings == {t: here.reading(t) for t in titles}


def claimed_in_forks(claims: parallel.Claims, keys: list[str], delays: list[float]) -> list[list[str]]:
    """Each party (one per delay, the first in this process) asks about every key in order, waiting
    its delay after each key it gets; the keys each party got."""
    import time

    def ask(party: int) -> list[str]:
        claims.joined(party)
        got = []
        for key in keys:
            if claims.mine(key):
                got.append(key)
                time.sleep(delays[party])
        assert [k for k in keys if claims.mine(k)] == got, "asked again: the first answer stands"
        return got

    pipes = []
    for party in range(1, len(delays)):
        read, write = os.pipe()
        if os.fork() == 0:
            os.close(read)
            try:
                os.write(write, pickle.dumps(ask(party)))
            finally:
                os._exit(0)
        os.close(write)
        pipes.append(read)
    got = [ask(0)]
    for read in pipes:
        with os.fdopen(read, "rb") as pipe:
            got.append(pickle.loads(pipe.read()))
    os.waitpid(-1, 0)
    return got


def test_claims_give_each_page_to_exactly_one_process_and_more_to_the_quicker() -> None:
    keys = [f"practices/p{i}.md" for i in range(400)]
    quick, slow = claimed_in_forks(parallel.Claims(2), keys, [0.0005, 0.003])
    assert sorted(quick + slow) == sorted(keys) and not set(quick) & set(slow)
    assert len(quick) > len(slow) > 0, "the quicker process takes more, the slower still some"
    even = claimed_in_forks(parallel.Claims(3), keys, [0.001, 0.001, 0.001])
    assert sorted(sum(even, [])) == sorted(keys)
    assert all(len(got) > 50 for got in even), [len(got) for got in even]


def test_a_process_asking_in_another_order_is_stopped_not_given_a_page_twice_or_never() -> None:
    claims = parallel.Claims(2)
    assert claims.mine("a.md") and claims.mine("b.md")
    other = parallel.Claims.__new__(parallel.Claims)
    vars(other).update(vars(claims), _party=1, _asked=0, _answers={})  # the second process, as after the fork
    with pytest.raises(ValueError, match="out of the order"):
        other.mine("b.md")


def test_claims_beyond_their_capacity_are_split_by_checksum() -> None:
    import zlib

    claims = parallel.Claims(2, capacity=3)
    keys = [f"k{i}" for i in range(20)]
    answers = [claims.mine(k) for k in keys]
    assert answers[:3] == [True, True, True]
    assert answers[3:] == [zlib.crc32(k.encode()) % 2 == 0 for k in keys[3:]]
