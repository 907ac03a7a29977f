"""Run a function over many items, each in a worker process that may crash, hang or bloat.

:func:`run_isolated` keeps ``jobs`` worker processes and waits on results, worker deaths and
deadlines together. A worker holds at most :data:`AHEAD` items: the one it runs and the next, in
its pipe, so it goes on without waiting for the parent. It runs them in order, so a failure is
always blamed on the one item that caused it, and the items behind it go back to the queue:

- a worker that dies (calamine's SIGABRT on a huge range, a segfault) → ``worker-crashed``;
- ``MemoryError`` under the worker's address-space cap (``RLIMIT_AS``) → ``out-of-memory``;
- an item running past :attr:`Limits.timeout_seconds` → its worker is stopped (SIGTERM, then
  SIGKILL) → ``timeout``;
- any other exception that is not a :class:`RosxlError` → ``unexpected-error``.

A dead or stopped worker is replaced and the batch goes on; no other item is blamed. A worker
that dies before it is ready (it says so once it has started) never ran its items: they go back
in the queue, and after :data:`START_FAILURES` such deaths in a row the
whole run stops with :class:`WorkersFailedError`, since the fault is the installation's, not a
file's. How workers start is chosen by :func:`start_method`.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from rosxl.errors import RosxlError, WorkerError, WorkersFailedError
from rosxl.safety.limits import Limits

T = TypeVar("T")
R = TypeVar("R")

_GRACE_SECONDS = 1.0
_READY = "ready"
#: Workers dying before they are ready, in a row, that stop the run.
START_FAILURES = 3
#: Items a worker holds: the one it runs and the next. Without the next, a worker idles while the
#: parent takes its result and hands it another (3–4 % of a batch's time, measured).
AHEAD = 2
_in_worker = False


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """What became of one item: its ``result``, or the ``error`` that stopped it."""

    item: T
    result: R | None
    error: RosxlError | None


def run_isolated(func: Callable[[T], R], items: Iterable[T], *, jobs: int,
                 limits: Limits = Limits()) -> Generator[Outcome[T, R], None, None]:  # noqa: B008 - frozen
    """Yield an :class:`Outcome` per item, in completion order; ``func`` runs in worker processes.

    ``func`` must be a picklable top-level function; it should raise :class:`RosxlError` for
    problems with an item. ``jobs=1`` still runs every item in a worker.
    """
    pending = deque(items)
    context = multiprocessing.get_context(start_method())
    workers: list[_Worker[T]] = []
    start_failures = 0
    try:
        while pending or any(w.items for w in workers):
            while pending and len(workers) < max(1, jobs):
                workers.append(_Worker(context, func, limits))
            for depth in range(1, AHEAD + 1):  # one each first: two items and two workers run side by side
                for worker in workers:
                    if pending and len(worker.items) < depth:
                        worker.give(pending.popleft(), limits.timeout_seconds)
            _wait_any(workers)
            for worker in list(workers):
                outcomes, unrun = worker.collect(limits.timeout_seconds)
                pending.extendleft(reversed(unrun))
                if not worker.alive:
                    workers.remove(worker)
                    if not worker.ready:  # it never ran its items
                        start_failures += 1
                        if start_failures >= START_FAILURES:
                            raise WorkersFailedError(_start_failure(worker.process.exitcode))
                        continue
                if worker.ready:
                    start_failures = 0
                yield from outcomes
    finally:
        for worker in workers:
            worker.stop()


def in_worker() -> bool:
    """Whether this process is one of :func:`run_isolated`'s workers (already capped and watched)."""
    return _in_worker


def start_method() -> str:
    """``fork`` on Linux when this process runs one thread (as the CLI does): a worker starts in
    about a millisecond with everything imported, where a fresh interpreter takes 0.3 s to import
    the converter. With other threads running, a fork could copy a lock one of them holds, so
    ``forkserver`` (a clean process); ``spawn`` where neither exists (Windows)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _wait_any(workers: list[_Worker[Any]]) -> None:
    busy = [w for w in workers if w.items]
    deadline = min((w.deadline for w in busy), default=time.monotonic())
    handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in workers]
    wait(handles, timeout=max(0.0, deadline - time.monotonic()))


class _Worker(Generic[T]):
    """One worker process, its pipe, and the items it holds (the first is the one it runs)."""

    def __init__(self, context: Any, func: Callable[[T], Any], limits: Limits) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, func, limits.worker_memory_bytes), daemon=True)
        self.process.start()
        child.close()
        self.items: deque[T] = deque()
        self.deadline = 0.0  # of the first item
        self.alive = True
        self.ready = False

    def give(self, item: T, timeout: float) -> None:
        if not self.items:
            self.deadline = time.monotonic() + timeout
        self.items.append(item)
        with contextlib.suppress(OSError, ValueError):  # a worker dead before the item arrived: collect() says so
            self.conn.send(item)

    def collect(self, timeout: float) -> tuple[list[Outcome[T, Any]], list[T]]:
        """The outcomes decided since the last call (results, errors, a crash or a timeout), and the
        items that never ran and go back to the queue (those behind a crash or a timeout)."""
        outcomes: list[Outcome[T, Any]] = []
        try:
            if not self.ready and self.conn.poll():
                self.ready = self.conn.recv() == _READY
            while self.ready and self.items and self.conn.poll():
                ok, payload = self.conn.recv()
                item = self.items.popleft()
                outcomes.append(Outcome(item, payload, None) if ok else Outcome(item, None, payload))
                self.deadline = time.monotonic() + timeout  # the next item starts now
        except (EOFError, OSError):
            pass
        if not self.process.is_alive():
            self.alive = False
            self.process.join()
            if self.items and self.ready:
                outcomes.append(Outcome(self.items.popleft(), None, _crash_error(self.process.exitcode)))
            return outcomes, self._unrun()
        if self.items and time.monotonic() >= self.deadline:
            self.stop()
            outcomes.append(Outcome(self.items.popleft(), None,
                                    WorkerError("filen tok for lang tid og ble stoppet", code="timeout")))
            return outcomes, self._unrun()
        return outcomes, []

    def _unrun(self) -> list[T]:
        unrun = list(self.items)
        self.items.clear()
        return unrun

    def stop(self) -> None:
        """Stop the worker: SIGTERM (its cleanup runs), then SIGKILL after a grace period."""
        self.alive = False
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(_GRACE_SECONDS)
            if self.process.is_alive():
                self.process.kill()
        self.process.join()
        self.conn.close()


def _crash_error(exitcode: int | None) -> WorkerError:
    return WorkerError(f"lesingen av filen krasjet ({_how(exitcode)}); filen er trolig skadet eller laget for å "
                       "sprenge minnet", code="worker-crashed")


def _start_failure(exitcode: int | None) -> str:
    return (f"arbeidsprosessene døde før de kunne ta imot en fil, {START_FAILURES} ganger på rad "
            f"(siste: {_how(exitcode)}); installasjonen av rosxl er trolig skadet, og feilen fra "
            "arbeidsprosessen står over denne meldingen")


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"avslutningskode {exitcode}"


# --- in the worker --------------------------------------------------------------------------------


def _serve(conn: Connection, func: Callable[[Any], Any], memory_bytes: int) -> None:
    """Worker loop: cap memory, then run ``func`` on each received item and send the outcome."""
    global _in_worker
    _in_worker = True
    faulthandler.disable()  # a fork inherits the parent's; a crash is reported by the parent, not dumped
    _cap_memory(memory_bytes)
    signal.signal(signal.SIGTERM, _terminate)  # so that atomic_output removes its temporary file
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    conn.send(_READY)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, func(item))
        except RosxlError as exc:
            reply = (False, exc)
        except MemoryError:
            reply = (False, WorkerError("filen krevde mer minne enn grensen tillater (worker_memory_bytes)",
                                        code="out-of-memory"))
        except Exception as exc:  # a bug must cost one file, not the batch
            reply = (False, _unexpected("uventet feil i rosxl (en programfeil, ikke nødvendigvis filens)", exc))
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result or error
            conn.send((False, _unexpected("resultatet kunne ikke sendes tilbake fra arbeidsprosessen", exc)))


def _unexpected(message: str, exc: BaseException) -> WorkerError:
    """An ``unexpected-error`` in Norwegian; the original's traceback rides along as ``original``
    (:func:`rosxl.safety.failures.with_original` re-attaches it for ``--debug``)."""
    error = WorkerError(message, code="unexpected-error")
    setattr(error, "original", "".join(traceback.format_exception(exc)).rstrip())  # noqa: B010 - pickled along
    return error


def _cap_memory(limit: int) -> None:
    if limit <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows: no address-space cap; the timeout still holds
        return

    limit += _address_space()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """Bytes of address space this process holds now (0 where ``/proc`` cannot tell)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
