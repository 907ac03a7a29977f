"""Built templates kept on disk, so that a new process does not build them again.

Building the template a workbook is stamped into (:mod:`rosxl.workbook.stamp`, 60–90 ms with
openpyxl) is the largest fixed cost of a conversion worker: without this cache every worker of
every ``rosxl convert`` builds the same few templates again. A template is stored under a key
made of everything it is built from: the criteria as data, the written form, the flavour, the
table size, the versions of rosxl and openpyxl and the source code of rosxl itself, so a change
to any of them simply misses the cache.

The folder is ``$ROSXL_CACHE_DIR``, else the user's cache folder (``~/.cache/rosxl`` on Linux,
``%LOCALAPPDATA%\\rosxl\\Cache`` on Windows); ``ROSXL_CACHE_DIR=off`` turns the cache off. It is
created readable by its owner only, and a file someone else owns is not used. A cache that
cannot be read or written is passed over: it can only cost the time it was meant to save.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path

import openpyxl
import platformdirs

from rosxl.analysis import VERSION
from rosxl.criteria import Criteria, criteria_to_dict
from rosxl.safety.outputs import atomic_output

ENV = "ROSXL_CACHE_DIR"
#: Templates kept; the least recently written go first.
MAX_FILES = 64


def folder() -> Path | None:
    """The cache folder, or ``None`` when the cache is off."""
    configured = os.environ.get(ENV)
    if configured is not None and configured.strip().lower() in ("", "off", "0", "no"):
        return None
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("rosxl", appauthor=False))


def template_key(criteria: Criteria, *parts: object) -> str:
    """The cache key of a template built from ``criteria`` and ``parts`` (form, flavour, rows…)."""
    data = json.dumps([criteria_to_dict(criteria), *map(str, parts)], sort_keys=True, default=str)
    return hashlib.sha256(f"{_code_digest()}\n{data}".encode()).hexdigest()[:32]


def load(key: str) -> bytes | None:
    """The cached bytes of ``key``, or ``None`` (not cached, cache off, unreadable, not ours)."""
    base = folder()
    if base is None:
        return None
    path = base / f"{key}.xlsx"
    try:
        with path.open("rb") as f:
            if hasattr(os, "getuid") and os.fstat(f.fileno()).st_uid != os.getuid():
                return None
            return f.read()
    except OSError:
        return None


def store(key: str, data: bytes) -> None:
    """Keep ``data`` under ``key`` (atomically; any failure is ignored), pruning old entries."""
    base = folder()
    if base is None:
        return
    with contextlib.suppress(OSError):
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        with atomic_output(base / f"{key}.xlsx", overwrite=True) as tmp:
            tmp.write_bytes(data)
        entries = sorted(base.glob("*.xlsx"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_FILES]:
            old.unlink(missing_ok=True)


@cache
def _code_digest() -> str:
    """A digest of rosxl's source and the versions that shape a written workbook."""
    digest = hashlib.sha256(f"rosxl {VERSION}, openpyxl {openpyxl.__version__}".encode())
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
