"""click's own texts in Norwegian, through the gettext hook click provides.

click marks every text it prints with Python's classic gettext API (``from gettext import
gettext as _`` in its modules): "Usage:", "Options", "Show this message and exit.",
"Error: {message}", "No such option …", "Invalid value for …", "… does not exist.", "[required]",
"Aborted!" and the rest. :func:`norwegian` points that API at rosxl's catalogues,
``rosxl/locale/{nb,nn}/LC_MESSAGES/rosxl.mo`` (compiled from the ``.po`` beside them), while a
command runs: it binds the text domain ``rosxl``, makes it the current domain and sets
``LANGUAGE``, which gettext reads, to ``nb`` or ``nn`` (``ROSXL_SPRAK``; a command's
``--language`` switches it with :func:`use_language`). Afterwards all of it is put back, so that a
program that imports rosxl keeps its own gettext setup. click is neither copied nor patched.

A few texts click builds when the command line is *defined* (the ``--version`` help and message)
are given in Norwegian where :mod:`rosxl.cli` defines them, and no translation relies on a word
click computed at import time (the "File" in "File 'x' does not exist." is left out).

``python -m rosxl.cli_texts`` compiles the catalogues with ``msgfmt`` (Debian package gettext);
``tests/test_cli_norwegian.py`` fails when a text click marks has no translation, or a ``.mo`` is
older than its ``.po``.
"""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rosxl.problems import LANGUAGE_ENV, Language, resolve_language

DOMAIN = "rosxl"
LOCALE = Path(__file__).parent / "locale"
LANGUAGES: tuple[Language, ...] = ("nb", "nn")


def catalogue(language: Language) -> Path:
    """The compiled catalogue of ``language`` (its source is the ``.po`` beside it)."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def use_language(language: str | None = None) -> Language:
    """Speak ``language`` (default: ``ROSXL_SPRAK``, else bokmål) from now on, click and the problem
    registry alike; returns it."""
    chosen = resolve_language(language)
    os.environ["LANGUAGE"] = os.environ[LANGUAGE_ENV] = chosen
    return chosen


@contextmanager
def norwegian(language: str | None = None) -> Iterator[Language]:
    """click's texts in bokmål or nynorsk inside the block; gettext's previous state after it."""
    domain = gettext.textdomain()
    saved = {name: os.environ.get(name) for name in ("LANGUAGE", LANGUAGE_ENV)}
    gettext.bindtextdomain(DOMAIN, str(LOCALE))
    gettext.textdomain(DOMAIN)
    try:
        yield use_language(language)
    finally:
        gettext.textdomain(domain)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def compile_catalogues() -> list[Path]:
    """Compile every ``.po`` to its ``.mo`` with ``msgfmt --check-format``; the ``.mo`` files written."""
    written = []
    for language in LANGUAGES:
        target = catalogue(language)
        subprocess.run(["msgfmt", "--check-format", "-o", str(target), str(target.with_suffix(".po"))], check=True)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        sys.stdout.write(f"Skrev {path}\n")
