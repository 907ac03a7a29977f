"""Atomic outputs: a file appears whole under its final name, or not at all.

Writers write to a hidden temporary file in the target folder (``.<name>.tmp-<random>``), which
is renamed over the target with :func:`os.replace` only when writing succeeded. A failure, a
KeyboardInterrupt or a killed process leaves no half-written file under the real name; a rerun
removes the temporary files such a crash left (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from rosxl.errors import OutputExistsError

TEMP_MARKER = ".tmp-"


def temporary_name(path: Path) -> Path:
    """A fresh hidden temporary path beside ``path``."""
    return path.with_name(f".{path.name}{TEMP_MARKER}{secrets.token_hex(6)}")


@contextlib.contextmanager
def atomic_output(path: Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically.

    Raises :class:`OutputExistsError` when ``path`` exists and ``overwrite`` is false (checked
    before and again just before the rename). The temporary file is removed on any failure.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError("finnes fra før; bruk --overwrite for å skrive over", file=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_name(path)
    try:
        yield temp
        if not temp.exists():
            raise FileNotFoundError(temp)
        if overwrite:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _link_new(temp: Path, path: Path) -> None:
    """Give ``temp`` the name ``path`` only if no file took that name meanwhile."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputExistsError("finnes fra før; bruk --overwrite for å skrive over", file=path) from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise OutputExistsError("finnes fra før; bruk --overwrite for å skrive over", file=path) from None
        os.replace(temp, path)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files an interrupted earlier run left under ``folder``; return them."""
    stale = [p for p in Path(folder).rglob(f".*{TEMP_MARKER}*") if p.is_file()]
    for p in stale:
        p.unlink(missing_ok=True)
    return stale
