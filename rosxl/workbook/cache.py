"""Built templates kept on disk, so that a new process does not build them again.

Building the template a workbook is stamped into (:mod:`rosxl.workbook.stamp`, 80–200 ms with
openpyxl) is the largest fixed cost of a conversion worker: without this cache every worker of
every ``rosxl convert`` builds the same few templates again. A template is stored under a key
made of everything it is built from: the criteria as data, the written form, the flavour, the
table size, the versions of rosxl and openpyxl and the source code of rosxl itself, so a change
to any of them simply misses the cache.

``python -m rosxl.workbook.cache --warm`` (run by ``scripts/install.sh``) builds ahead the templates
a conversion most often needs (:func:`rosxl.workbook.stamp.warm`): every shipped preset, as it is
and with the «samlet» area a converter adds for an undivided consequence, so that a first
conversion finds them. It fills the cache of the user who runs it (see below: a file someone
else owns is not used), so each user of a shared installation runs it once.

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
import sys
from functools import cache
from pathlib import Path

import openpyxl
import platformdirs

from rosxl.analysis import VERSION
from rosxl.criteria import Criteria, criteria_to_dict
from rosxl.safety.outputs import atomic_output

ENV = "ROSXL_CACHE_DIR"
#: Templates kept (about 50 KB each), the least recently written going first: room for the
#: install step's (:func:`main`, 54) and as many again of a user's own criteria and sizes.
MAX_FILES = 128


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
    try:
        with (base / f"{key}.xlsx").open("rb") as f:
            return f.read() if _ours(os.fstat(f.fileno())) else None
    except OSError:
        return None


def has(key: str) -> bool:
    """Whether ``key`` is cached (a file of ours; whether it is a whole workbook is known when loaded)."""
    base = folder()
    try:
        return base is not None and _ours((base / f"{key}.xlsx").stat())
    except OSError:
        return False


def _ours(stat: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or stat.st_uid == os.getuid()


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


def main(argv: list[str]) -> int:
    """``python -m rosxl.workbook.cache --warm``: build the shipped presets' templates into the cache."""
    if argv != ["--warm"]:
        print("bruk: python -m rosxl.workbook.cache --warm", file=sys.stderr)
        return 2
    base = folder()
    if base is None:
        print(f"malbufferen er slått av ({ENV}=off); ingenting å bygge")
        return 0
    from rosxl.conversion.pipeline import with_undivided_area
    from rosxl.criteria import list_presets, load_criteria
    from rosxl.workbook.stamp import warm  # stamp stores its templates through this module

    presets = [load_criteria(p.name) for p in list_presets()]
    built, ready = warm([*presets, *map(with_undivided_area, presets)])
    print(f"{ready} maler klare i {base} ({built} bygd nå)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
