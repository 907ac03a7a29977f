"""Worker isolation: a crash, a hang, a memory hog or a bug costs one item; the rest go on."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rosxl.errors import InputRefusedError, WorkersFailedError
from rosxl.safety import isolation
from rosxl.safety.isolation import run_isolated, start_method
from rosxl.safety.limits import GiB, Limits

LIMITS = replace(Limits(), timeout_seconds=3.0, worker_memory_bytes=1 * GiB)


def misbehave(item: str) -> str:
    """Top-level so that workers can import it."""
    if item == "abort":
        os.abort()
    if item == "sleep":
        time.sleep(1000)
    if item == "alloc":
        return str(len(bytearray(4 * GiB)))
    if item == "bug":
        nothing: dict[str, str] = {}
        return nothing["mangler"]
    if item == "refused":
        raise InputRefusedError("passordbeskyttet", code="encrypted", file=item)
    if item == "exit":
        os._exit(3)
    return item.upper()


@pytest.fixture(params=["fork", "forkserver"])
def method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Workers forked from this process, or (while another thread runs) from a clean forkserver."""
    if request.param == "fork":
        yield start_method()
        return
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield start_method()
    finally:
        stop.set()
        thread.join()


def test_each_failure_is_blamed_on_its_item_only(method: str, request: pytest.FixtureRequest) -> None:
    assert method == request.node.callspec.params["method"]
    items = ["a", "abort", "b", "sleep", "alloc", "c", "bug", "refused", "exit", "d"]
    started = time.monotonic()
    outcomes = {o.item: o for o in run_isolated(misbehave, items, jobs=2, limits=LIMITS)}
    assert time.monotonic() - started < 60  # generous: a hang would block forever, not fail slowly
    assert sorted(outcomes) == sorted(items)
    assert {k: o.result for k, o in outcomes.items() if o.error is None} == {"a": "A", "b": "B", "c": "C", "d": "D"}
    codes = {k: o.error.code for k, o in outcomes.items() if o.error is not None}
    assert codes == {"abort": "worker-crashed", "sleep": "timeout", "alloc": "out-of-memory",
                     "bug": "unexpected-error", "refused": "encrypted", "exit": "worker-crashed"}
    assert "SIGABRT" in str(outcomes["abort"].error) and "KeyError" not in str(outcomes["bug"].error)
    assert "KeyError: 'mangler'" in getattr(outcomes["bug"].error, "original", "")  # for --debug
    assert outcomes["refused"].error is not None and outcomes["refused"].error.file == "refused"


def test_one_job_still_isolates() -> None:
    outcomes = list(run_isolated(misbehave, ["abort", "a"], jobs=1, limits=LIMITS))
    assert [(o.item, o.error.code if o.error else o.result) for o in outcomes] == [("abort", "worker-crashed"),
                                                                                 ("a", "A")]


def _pid_then_sleep(pidfile: str) -> None:
    Path(pidfile).write_text(str(os.getpid()))
    time.sleep(1000)


def test_timeout_kills_the_worker(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    outcomes = list(run_isolated(_pid_then_sleep, [str(pidfile)], jobs=1, limits=replace(LIMITS, timeout_seconds=1.0)))
    assert outcomes[0].error is not None and outcomes[0].error.code == "timeout"
    assert not Path(f"/proc/{pidfile.read_text()}").exists()


def test_stopping_early_stops_the_workers() -> None:
    results = run_isolated(misbehave, ["a", "sleep", "sleep"], jobs=2, limits=LIMITS)
    first = next(results)
    assert first.result == "A"
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 10


def _die_at_start(limit: int) -> None:
    os._exit(7)


def test_workers_that_die_before_they_are_ready_stop_the_run_and_blame_no_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert start_method() == "fork"  # the forked workers inherit the broken start-up
    monkeypatch.setattr(isolation, "_cap_memory", _die_at_start)
    started = time.monotonic()
    with pytest.raises(WorkersFailedError, match="3 ganger på rad.*avslutningskode 7"):
        list(run_isolated(misbehave, ["a", "b", "c", "d"], jobs=2, limits=LIMITS))
    assert time.monotonic() - started < 10


def _die_first_time(limit: int) -> None:
    marker = Path(os.environ["ROSXL_TEST_MARKER"])
    if not marker.exists():
        marker.touch()
        os._exit(7)


def test_an_item_whose_worker_died_at_start_is_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSXL_TEST_MARKER", str(tmp_path / "died"))
    monkeypatch.setattr(isolation, "_cap_memory", _die_first_time)
    outcomes = list(run_isolated(misbehave, ["a", "b"], jobs=1, limits=LIMITS))
    assert [(o.item, o.result, o.error) for o in outcomes] == [("a", "A", None), ("b", "B", None)]
    assert (tmp_path / "died").exists()


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_two_items_and_two_workers_run_side_by_side() -> None:
    """Each worker is given one item before any is given its next (the items it holds ahead)."""
    outcomes = list(run_isolated(_pid_after, [0.3, 0.3], jobs=2, limits=LIMITS))
    assert len({o.result for o in outcomes}) == 2


@pytest.mark.parametrize("first", ["sleep", "abort"])
def test_the_items_a_failing_worker_held_ahead_run_in_a_new_one(first: str) -> None:
    assert isolation.AHEAD >= 2  # "a" and "b" wait in the failing worker's pipe
    outcomes = list(run_isolated(misbehave, [first, "a", "b"], jobs=1, limits=replace(LIMITS, timeout_seconds=1.0)))
    assert [(o.item, o.error.code if o.error else o.result) for o in outcomes] == [
        (first, "timeout" if first == "sleep" else "worker-crashed"), ("a", "A"), ("b", "B")]
