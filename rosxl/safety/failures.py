"""Every exception a reader can raise on bad bytes, as a coded Norwegian refusal.

Parsers (zipfile, zlib, expat, lxml, defusedxml, openpyxl, python-calamine, olefile, csv) raise
whatever they like on a damaged or crafted file: ``BadZipFile``, ``NotImplementedError("zip file
version 14.8")`` after one flipped bit, ``KeyError`` for a missing part, ``ValueError`` for a bad
number, ``RecursionError``… :func:`refusal` turns any of them into an
:class:`~rosxl.errors.InputRefusedError` with a stable code and a message without the library's
English, by the first entry of :data:`CODES` in the exception type's MRO:

==================  ==============================================================================
``corrupt-zip``     the zip container is broken (bad headers, compressed data, unsupported version)
``corrupt-xml``     a part's XML is not well-formed (expat, ElementTree, lxml, calamine's XmlError)
``xml-entities``    defusedxml refused entities or a DTD
``encrypted``       calamine found a password
``truncated``       the data ends too early (``EOFError``)
``unreadable``      the operating system could not read the file
``out-of-memory``   the reader ran out of memory (a :class:`~rosxl.errors.WorkerError`)
``corrupt-file``    anything else: the content is damaged or not what the format promises
==================  ==============================================================================

The original exception stays available for ``--debug``: as ``__cause__`` in the process that
caught it, and as the text :attr:`original` (its traceback) when the refusal comes from a
worker process, where the parent re-attaches it as :class:`ReaderFailure`.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from rosxl.errors import InputRefusedError, RosxlError, WorkerError


def _maps(exception: str, code: str) -> tuple[str, str]:
    """One entry of :data:`CODES`: an exception type (``module.QualName``) and its code."""
    return exception, code


#: Exception types (``module.QualName``, so that optional libraries need not be imported) → code.
CODES: dict[str, str] = dict([
    _maps("zipfile.BadZipFile", "corrupt-zip"),
    _maps("zipfile.LargeZipFile", "corrupt-zip"),
    _maps("zlib.error", "corrupt-zip"),
    _maps("python_calamine.ZipError", "corrupt-zip"),
    _maps("python_calamine.PasswordError", "encrypted"),
    _maps("python_calamine.XmlError", "corrupt-xml"),
    _maps("defusedxml.common.DefusedXmlException", "xml-entities"),
    _maps("xml.parsers.expat.ExpatError", "corrupt-xml"),
    _maps("xml.etree.ElementTree.ParseError", "corrupt-xml"),
    _maps("xml.sax._exceptions.SAXException", "corrupt-xml"),
    _maps("lxml.etree.Error", "corrupt-xml"),
    _maps("builtins.MemoryError", "out-of-memory"),
    _maps("builtins.EOFError", "truncated"),
    _maps("builtins.OSError", "unreadable"),
    _maps("builtins.Exception", "corrupt-file"),
])

MESSAGES: dict[str, str] = {
    "corrupt-zip": "filen er skadet: zip-arkivet den er pakket i, kan ikke pakkes ut",
    "corrupt-xml": "filen er skadet: en av delene er ikke gyldig XML",
    "xml-entities": "filen inneholder XML-entiteter eller en DTD, som regneark aldri trenger; "
                    "den kan være laget for å angripe leseren",
    "encrypted": "filen er passordbeskyttet; fjern passordet og prøv igjen",
    "truncated": "filen er ufullstendig: dataene slutter for tidlig (avbrutt kopiering?)",
    "unreadable": "filen kan ikke leses fra disken",
    "out-of-memory": "filen krevde mer minne enn grensen tillater (worker_memory_bytes)",
    "corrupt-file": "filen er skadet eller ugyldig: innholdet er ikke det filformatet lover",
}


class ReaderFailure(Exception):
    """The original exception of a reader in a worker process, as its traceback text (for ``--debug``)."""


def code_for(exc: BaseException) -> str:
    """The refusal code of an exception a reader raised (see the module docs)."""
    for kind in type(exc).__mro__:
        code = CODES.get(f"{kind.__module__}.{kind.__qualname__}")
        if code is not None:
            return code
    return "corrupt-file"


def refusal(exc: BaseException, path: str | Path) -> RosxlError:
    """``exc`` as a coded refusal of ``path`` (a :class:`RosxlError` is returned unchanged).

    The caller raises it ``from exc``; :attr:`original` keeps the traceback text for a parent process.
    """
    if isinstance(exc, RosxlError):
        return exc
    code = code_for(exc)
    error: RosxlError
    if code == "out-of-memory":
        error = WorkerError(MESSAGES[code], code=code, file=path)
    else:
        error = InputRefusedError(MESSAGES[code], code=code, file=path)
    setattr(error, "original", "".join(traceback.format_exception(exc)).rstrip())  # noqa: B010 - pickled along
    return error


def with_original(error: RosxlError) -> RosxlError:
    """``error`` with its worker-side original re-attached as ``__cause__`` (for ``--debug``)."""
    original = getattr(error, "original", None)
    if isinstance(original, str) and error.__cause__ is None:
        error.__cause__ = ReaderFailure(original)
    return error
