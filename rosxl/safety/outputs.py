"""Outputs: never over an input, never over a file rosxl did not write, and whole or not at all.

:func:`check_output` is the policy every command applies to each output path *before* anything
is written (:func:`check_output_folder` to an output folder):

- an output that is one of the inputs is refused, even with ``--overwrite`` (``output-is-input``):
  the same path, or the same file reached through a symbolic link, a hard link (same inode) or
  another spelling on a case-insensitive file system (``os.path.samefile``, ``os.path.normcase``);
- an output folder that is an input folder is refused (``output-folder-is-input``); a folder
  *inside* an input folder is fine, and the batch never reads it as input;
- an existing output is only replaced with ``--overwrite`` (``output-exists``), and then only when
  rosxl wrote it (``output-not-rosxl``, :func:`is_rosxl_output`).

:func:`is_rosxl_output` recognises rosxl's files by content, cheaply and without a full parse:

- ``.xlsx``/``.xlsm``/``.xltm``: ``xl/workbook.xml`` (read from the zip with a size cap, no DOCTYPE) lists a
  *hidden* sheet named ``rosxl``, the sheet every workbook rosxl writes carries;
- ``.json``: a JSON object with a top-level ``"rosxl"`` key (analyses and reports carry the version);
- ``.txt``: the text report, when the ``.json`` beside it (same stem) is rosxl's and the text
  starts with the report's heading. rosxl writes the two together, so they are replaced together;
- ``.toml``: the mapping a batch writes beside its report (``kobling.toml``), by its first line;
- ``.docx``: a Word document whose core properties (``docProps/core.xml``) name ``rosxl`` as its
  creator (python-docx: ``document.core_properties.author = "rosxl"``); Word keeps the creator
  when a person edits the document, as Excel keeps the hidden sheet;
- ``.pdf``: a PDF whose document information names ``rosxl`` as its author, as LibreOffice writes
  it when it converts such a Word document (``/Author`` as text or as UTF-16 hex, looked for in the
  first and last 256 KiB, where PDF writers put it).

Anything else, or anything that cannot be read, is not rosxl's: it is never replaced.

Atomic writing (:func:`atomic_output`): writers write to a hidden temporary file in the target
folder (``.<name>.tmp-<random>``), which is renamed over the target with :func:`os.replace` only
when writing succeeded. A failure, a KeyboardInterrupt or a killed process leaves no half-written
file under the real name; a rerun removes the temporary files such a crash left
(:func:`remove_stale_temporaries`). :func:`write_output` is the one call a command needs: the
check, then the atomic write.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from rosxl.errors import OutputExistsError, OutputRefusedError
from rosxl.safety.limits import Limits

T = TypeVar("T")
TEMP_MARKER = ".tmp-"
#: The hidden sheet every workbook rosxl writes carries (:data:`rosxl.workbook.write.DATA_SHEET`).
MARKER_SHEET = "rosxl"
#: The first words of the text report (:meth:`rosxl.conversion.report.BatchReport.to_text`).
REPORT_HEADINGS = ("Konverteringsrapport",)
#: The first words of the mapping a batch writes (:func:`rosxl.conversion.mapping.render`).
MAPPING_HEADING = "# Koblingen rosxl brukte"
_MAX_WORKBOOK_XML = 4 << 20  # xl/workbook.xml of a real workbook is a few KiB
_MAX_FILE = Limits().max_file_bytes  # larger is no file rosxl wrote; not worth opening
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_CREATOR = re.compile(rb"<(?:\w+:)?creator>\s*rosxl\b")
_PDF_AUTHOR = re.compile(rb"/Author\s*(?:\(\s*rosxl\b|<\s*(?:FEFF0072006F00730078006C|726F73786C))", re.IGNORECASE)
_PDF_WINDOW = 256 << 10
_ATTRIBUTE = re.compile(rb"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class Inputs:
    """The files a command reads, for asking whether a path is one of them in constant time.

    Known by inode where they exist (links, hard links, case-insensitive names) and by their
    resolved, case-normalised name, so that a batch of thousands of outputs is checked against
    thousands of inputs once each, not pair by pair.
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = [Path(p) for p in paths]
        self._folders: dict[str, str] = {}  # folder → its resolved name, for the names of many files in it
        self._names = {self._name(p): p for p in self.paths}
        self._inodes: dict[tuple[int, int], Path] = {}
        for p in self.paths:
            known = identity(p)
            if known is not None:
                self._inodes.setdefault(known, p)

    def find(self, path: Path) -> Path | None:
        """The input that ``path`` names, or ``None``."""
        known = identity(path)
        if known is not None and known in self._inodes:
            return self._inodes[known]
        return self._names.get(self._name(path))

    def _name(self, path: Path) -> str:
        """:func:`_name`, resolving each folder once: a name that is no link resolves to its resolved
        folder and itself."""
        folder, leaf = os.path.split(os.path.abspath(path))
        if os.path.islink(path) or leaf in ("", ".", ".."):
            return _name(path)
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(folder)
        return os.path.normcase(os.path.join(self._folders[folder], leaf))


def check_output(path: Path, *, inputs: Sequence[Path] | Inputs, overwrite: bool) -> None:
    """Refuse to write ``path`` when it is an input, or exists and may not be replaced (module docs).

    Raises :class:`~rosxl.errors.OutputRefusedError` (``output-is-input``, or ``output-not-rosxl``
    with ``overwrite``) or :class:`~rosxl.errors.OutputExistsError` (``output-exists``). Call it for every
    output before writing any of them; pass an :class:`Inputs` when checking many outputs.
    """
    path = Path(path)
    source = (inputs if isinstance(inputs, Inputs) else Inputs(inputs)).find(path)
    if source is not None:
        same = "" if str(source) == str(path) else f" («{source}»)"
        raise OutputRefusedError(f"er også en innfil{same}; rosxl skriver aldri over det den leser, heller ikke "
                                 "med --overwrite. Velg en annen utfil eller mappe", file=path)
    if not os.path.lexists(path):
        return
    if path.is_dir():
        raise OutputExistsError("er en mappe; utfilen må være en fil", file=path)
    if not overwrite:
        raise OutputExistsError("finnes fra før; bruk --overwrite for å skrive over", file=path)
    if not is_rosxl_output(path):
        raise OutputRefusedError("finnes fra før og er ikke skrevet av rosxl; --overwrite erstatter bare filer "
                                 "rosxl selv har skrevet. Flytt filen eller velg et annet navn", file=path,
                                 code="output-not-rosxl")


def write_output(path: Path, write: Callable[[Path], T], *, inputs: Sequence[Path], overwrite: bool) -> T:
    """:func:`check_output`, then ``write(temporary)`` inside :func:`atomic_output`; its result.

    The one call a command needs for an output file: nothing is written when the check fails, and
    the file appears whole or not at all.
    """
    path = Path(path)
    check_output(path, inputs=inputs, overwrite=overwrite)
    with atomic_output(path, overwrite=overwrite) as temporary:
        return write(temporary)


def check_output_folder(folder: Path, *, inputs: Sequence[Path]) -> None:
    """Refuse an output folder that is one of the input folders (``output-folder-is-input``).

    A folder inside an input folder is allowed; :func:`rosxl.conversion.batch.find_inputs` skips it.
    """
    folder = Path(folder)
    for source in map(Path, inputs):
        if source.is_dir() and _same(folder, source):
            raise OutputRefusedError(f"utmappen er innmappen («{source}»); da blandes utfilene med originalene. "
                                     "Velg en annen mappe, gjerne en undermappe som «ut»", file=folder,
                                     code="output-folder-is-input")


def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file or folder: by inode when both exist, else by name."""
    return Inputs([b]).find(a) is not None


def identity(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), or ``None`` when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _name(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def is_rosxl_output(path: Path) -> bool:
    """Whether rosxl wrote ``path`` (see the module docs); ``False`` for anything unreadable."""
    path = Path(path)
    recognise = _RECOGNISERS.get(path.suffix.lower())
    try:
        return path.is_file() and recognise is not None and path.stat().st_size <= _MAX_FILE and recognise(path)
    except (OSError, ValueError, zipfile.BadZipFile, NotImplementedError, EOFError, RuntimeError):
        return False


def _part(path: Path, name: str) -> bytes | None:
    """One small XML part of a zip, read with a cap; ``None`` when too large or holding a DOCTYPE."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        if info.file_size > _MAX_WORKBOOK_XML:
            return None
        with zf.open(info) as part:
            xml = part.read(_MAX_WORKBOOK_XML + 1)
    return None if b"<!DOCTYPE" in xml.upper() or len(xml) > _MAX_WORKBOOK_XML else xml


def _is_rosxl_workbook(path: Path) -> bool:
    xml = _part(path, "xl/workbook.xml")
    if xml is None:
        return False
    for tag in _SHEET_TAG.finditer(xml):
        attributes = {m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTRIBUTE.finditer(tag.group(1))}
        if attributes.get(b"name") == MARKER_SHEET.encode() and attributes.get(b"state") in (b"hidden",
                                                                                            b"veryHidden"):
            return True
    return False


def _is_rosxl_document(path: Path) -> bool:
    xml = _part(path, "docProps/core.xml")
    return xml is not None and _CREATOR.search(xml) is not None


def _is_rosxl_pdf(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as fp:
        head = fp.read(_PDF_WINDOW)
        fp.seek(max(0, size - _PDF_WINDOW))
        tail = fp.read(_PDF_WINDOW)
    return head.startswith(b"%PDF-") and any(_PDF_AUTHOR.search(part) for part in (head, tail))


def _is_rosxl_json(path: Path) -> bool:
    if path.stat().st_size > _MAX_FILE:
        return False
    data = json.loads(path.read_bytes())
    return isinstance(data, dict) and MARKER_SHEET in data


def _head(path: Path) -> str:
    with path.open("rb") as fp:
        return fp.read(256).decode("utf-8", "replace")


def _is_rosxl_text_report(path: Path) -> bool:
    return _head(path).startswith(REPORT_HEADINGS) and _is_rosxl_json(path.with_suffix(".json"))


def _is_rosxl_mapping(path: Path) -> bool:
    return _head(path).startswith(MAPPING_HEADING)


_RECOGNISERS: dict[str, Callable[[Path], bool]] = {
    ".xlsx": _is_rosxl_workbook, ".xlsm": _is_rosxl_workbook, ".xltm": _is_rosxl_workbook,
    ".json": _is_rosxl_json, ".txt": _is_rosxl_text_report,
    ".docx": _is_rosxl_document, ".pdf": _is_rosxl_pdf, ".toml": _is_rosxl_mapping,
}


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
