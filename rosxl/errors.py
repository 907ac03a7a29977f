"""Exceptions raised by rosxl.

Every problem rosxl reports is a :class:`RosxlError`. Each subclass carries a stable
``code``, registered in :mod:`rosxl.problems` (title, severity, exit status: :attr:`RosxlError.problem`),
and, where known, the place the problem was found (file, sheet, row, column), so that the
message can point the user at it. The command line turns these into one line
``Feil: … [code]``; nothing else should leak to users.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # imported where used, so that ``python -m rosxl.problems`` runs without a warning
    from rosxl.problems import ProblemType


class RosxlError(Exception):
    """Base class of every error rosxl raises on purpose; subclasses set a registered ``code``."""

    code: ClassVar[str]

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | int | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        if code is not None:  # a registered code other than the class's own (e.g. ``zip-bomb``)
            from rosxl.problems import get

            get(code)  # an unregistered code fails here, where it is raised
            self.code = code  # type: ignore[misc]
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.field = field

    @property
    def problem(self) -> ProblemType:
        """This error's registry entry (title, severity, exit status)."""
        from rosxl.problems import get

        return get(self.code)

    @property
    def location(self) -> str:
        """Where the problem is, as ``file, ark «X», rad 3, kolonne B`` (empty when unknown)."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"ark «{self.sheet}»")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column is not None:
            parts.append(f"kolonne {self.column}")
        if self.field:
            parts.append(f"felt «{self.field}»")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


_OS_REASONS = {
    errno.ENOENT: "filen eller mappen finnes ikke",
    errno.EACCES: "mangler tilgang",
    errno.EPERM: "mangler tilgang",
    errno.EISDIR: "er en mappe, ikke en fil",
    errno.ENOTDIR: "en del av stien er ikke en mappe",
    errno.ENOSPC: "disken er full",
    errno.EROFS: "stedet er skrivebeskyttet",
    errno.EEXIST: "finnes fra før",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.EBUSY: "filen er i bruk",
}
#: Reasons by the name of a class in the exception's MRO, for libraries not imported here.
_NAMED_REASONS = {
    "BadZipFile": "ikke et gyldig zip-arkiv (skadet, eller ikke en .xlsx-fil)",
    "ZipError": "ikke et gyldig zip-arkiv (skadet fil)",
    "PasswordError": "filen er passordbeskyttet",
    "XmlError": "ugyldig XML i filen",
    "ParseError": "ugyldig XML i filen",
    "ExpatError": "ugyldig XML i filen",
    "DTDForbidden": "filen inneholder XML-entiteter (DOCTYPE)",
    "EntitiesForbidden": "filen inneholder XML-entiteter (DOCTYPE)",
    "TOMLDecodeError": "ugyldig TOML",
    "YAMLError": "ugyldig YAML",
    "JSONDecodeError": "ugyldig JSON",
    "UnicodeError": "ukjent tegnkoding",
    "Error": "ugyldig innhold",  # csv.Error, zlib.error (case differs), and others called just Error
    "error": "skadede komprimerte data",
    "NotImplementedError": "filen bruker en funksjon som ikke kan leses (komprimering eller versjon)",
    "EOFError": "filen slutter for tidlig",
    "MemoryError": "for lite minne",
    "KeyError": "en del av filen mangler",
    "IndexError": "filen er ufullstendig",
    "ValueError": "innholdet har en form som ikke kan leses",
    "TypeError": "innholdet har en form som ikke kan leses",
}


def reason(exc: BaseException) -> str:
    """A Norwegian reason for an exception a library raised (its English text is kept for ``--debug``
    only, through the exception chain): ``raise WorkbookError(f"… ({reason(exc)})") from exc``."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    for cls in type(exc).__mro__:
        if cls.__name__ in _NAMED_REASONS:
            return _NAMED_REASONS[cls.__name__]
    if isinstance(exc, OSError):
        return f"systemfeil {errno.errorcode.get(exc.errno or 0, exc.errno)}"
    return "uventet feil"


class CriteriaError(RosxlError):
    """Acceptance criteria that cannot be loaded or are inconsistent."""

    code = "criteria-invalid"


class UnknownPresetError(CriteriaError):
    """A criteria name that is neither a shipped preset nor an existing file."""

    code = "criteria-unknown"


class UnknownAreaError(CriteriaError):
    """A consequence area that the criteria do not define."""

    code = "area-unknown"


class ClassificationError(RosxlError):
    """A value that cannot be turned into a class (used where ``None`` is not an option)."""

    code = "value-unreadable"


class WorkbookError(RosxlError):
    """A standard workbook that cannot be written or read back."""

    code = "workbook-invalid"


class ConversionError(RosxlError):
    """A legacy file that cannot be converted; ``code`` says why."""

    code = "conversion-failed"


class InputRefusedError(ConversionError):
    """A file refused before or while parsing because it breaks a safety limit or is unreadable."""

    code = "input-refused"


class OutputExistsError(RosxlError):
    """An output file exists and overwriting was not asked for."""

    code = "output-exists"


class ExcelAddinError(RosxlError):
    """The Excel add-in cannot be installed, generated or used here (it needs Windows and Excel)."""

    code = "excel-addin"


class WorkerError(InputRefusedError):
    """A file whose worker process crashed, ran out of memory or time, or hit a bug; ``code`` says which."""

    code = "worker-crashed"


class WorkersFailedError(RosxlError):
    """Worker processes die before they can take any file: the installation, not a file, is broken."""

    code = "workers-failed"


class OutputRefusedError(OutputExistsError):
    """An output rosxl must not write: an input itself, an input folder, or a file rosxl did not write."""

    code = "output-is-input"


class NoInputsError(RosxlError):
    """Nothing to read: the inputs hold no spreadsheet."""

    code = "no-inputs"
