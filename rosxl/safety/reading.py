"""Read a user's file the safe way: the guard first, then the reader in an isolated worker.

:func:`read_guarded` is what every command that opens a user's file goes through (``export``,
``check``, ``freeze``, :func:`rosxl.read_analysis`, criteria read from a workbook):

1. :func:`rosxl.safety.guard.inspect` decides the real format by content and enforces the
   :class:`~rosxl.safety.limits.Limits` (zip bombs, entities, huge ranges, encryption), with a
   coded refusal; a format the reader does not take is refused as ``not-a-workbook``;
2. the reader runs in a worker process (:func:`rosxl.safety.isolation.run_isolated`) under the
   memory cap and the timeout, so a crash, a hang or a blow-up costs a coded refusal
   (``worker-crashed``, ``timeout``, ``out-of-memory``), never the caller;
3. any exception the reader raises becomes a coded refusal (:mod:`rosxl.safety.failures`); the
   original stays attached as ``__cause__`` for ``--debug``.

The result must be picklable. ``isolate=False`` skips step 2 (never step 1) for a trusted file
rosxl has just written; inside a worker the reader runs in place (the worker is the isolation).

Cost (``python benchmarks/bench_workbook.py``, two-core machine): a 50-row standard workbook reads
in 37–50 ms with the guard and no worker, 47–65 ms with the worker: the isolation (fork, ready
signal, result pickled back, worker stopped) adds 9–15 ms, 1.2–1.4×. That does not matter for a
command (its start alone takes longer), so the isolation stays on by default everywhere;
``isolate=False`` is for callers that read back many files rosxl has just written itself.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar, cast

from rosxl.errors import InputRefusedError, RosxlError
from rosxl.safety.failures import refusal, with_original
from rosxl.safety.guard import inspect
from rosxl.safety.isolation import in_worker, run_isolated
from rosxl.safety.limits import Limits

R = TypeVar("R")
#: What a standard workbook can be.
WORKBOOK_FORMATS = ("xlsx", "xlsm")
_NAMES = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xls": ".xls (Excel 97–2003)", "ods": ".ods (OpenDocument)",
          "csv": "tekst (CSV)"}


@dataclass(frozen=True)
class _Read(Generic[R]):
    """The reader as the worker runs it: any exception it raises becomes a coded refusal."""

    reader: Callable[[Path], R]

    def __call__(self, path: Path) -> R:
        try:
            with warnings.catch_warnings():  # a parser's English warnings about a broken file never reach the user
                warnings.simplefilter("ignore")
                return self.reader(path)
        except RosxlError:
            raise
        except Exception as exc:
            raise refusal(exc, path) from exc


def read_guarded(path: str | Path, reader: Callable[[Path], R], *, limits: Limits | None = None,
                 isolate: bool = True, formats: Collection[str] | None = WORKBOOK_FORMATS) -> R:
    """``reader(path)`` after the guard, in a worker process (see the module docs).

    ``reader`` must be a picklable top-level function (or a :func:`functools.partial` of one)
    returning a picklable result. ``formats``: the real formats the reader takes (``None``: any
    the guard accepts). Raises :class:`RosxlError` with a code for every failure.
    """
    path = Path(path)
    limits = limits or Limits()
    kind = inspect(path, limits)
    if formats is not None and kind not in formats:
        raise InputRefusedError(f"filen er {_NAMES.get(kind, kind)}, men her trengs en standard ROS-arbeidsbok "
                                f"({' eller '.join('.' + f for f in formats)})", code="not-a-workbook", file=path)
    task = _Read(reader)
    if not isolate or in_worker():
        return task(path)
    with contextlib.closing(run_isolated(task, [path], jobs=1, limits=limits)) as outcomes:
        outcome = next(outcomes)
    if outcome.error is not None:
        raise with_original(outcome.error)
    return cast(R, outcome.result)
