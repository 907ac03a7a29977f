"""The gate every input passes before a reader sees it: real format by content, and hard limits.

:func:`inspect` looks at the bytes, not the name. It refuses, with
:class:`rosxl.errors.InputRefusedError` and a stable ``code``:

============================  =====================================================================
``unreadable``                the file cannot be opened (permissions, vanished, a folder)
``empty-file``                0 bytes
``file-too-large``            over :attr:`Limits.max_file_bytes`
``not-a-spreadsheet``         neither zip, OLE2 nor text, or a zip/OLE2 that is no spreadsheet
``unsupported-format``        a spreadsheet rosxl does not read (.xlsb, HTML or XML saved as .xls)
``wrong-extension``           text (CSV?) under a binary spreadsheet name such as ``.xlsx``
``truncated``                 a zip whose end is missing (a half-copied file)
``corrupt-zip``               a zip that cannot be read, bad CRC, bad compressed data
``corrupt-xls``               an OLE2 compound file that cannot be read
``encrypted``                 password protected (encrypted OOXML, .xls with FILEPASS, zip crypto)
``too-many-parts``            more zip members than :attr:`Limits.max_parts`
``zip-bomb``                  declared or actual uncompressed size, or ratio, over the limits; or
                              a part that decompresses to more than its header declares
``xml-entities``              a ``<!DOCTYPE`` in a workbook XML part (entity expansion, XXE)
``dimension-too-large``       a sheet that claims or really spans more rows/columns/cells than
                              allowed, or a CSV with too many lines
============================  =====================================================================

Any other exception a library raises while the guard looks at the bytes (``NotImplementedError``
from zipfile after one flipped bit in a version field, …) becomes a refusal with the code
:mod:`rosxl.safety.failures` gives its type; nothing but :class:`InputRefusedError` leaves here.

A spreadsheet under another spreadsheet's extension (an .xlsx named .xls, common on file
shares) is accepted by its content: :func:`extension_warning` gives the note for the report.

Cost: a zip-header check plus one streamed decompression of the XML parts, which for a
typical 50-row workbook is a fraction of a millisecond — well under the cost of parsing.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, NoReturn

from rosxl.errors import InputRefusedError, RosxlError
from rosxl.safety.failures import refusal
from rosxl.safety.limits import Limits
from rosxl.safety.xmlscan import Extent, PartScanner

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = {"xlsx": (".xlsx",), "xlsm": (".xlsm",), "xls": (".xls",), "ods": (".ods",),
            "csv": (".csv", ".txt", ".tsv")}
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_BINARY_PARTS = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".bmp", ".tif", ".tiff", ".svg")
_CHUNK = 1 << 20
_MARKUP = re.compile(rb"\s*(?:\xef\xbb\xbf)?\s*<(?:\?xml|!doctype\s+html|html|table)", re.IGNORECASE)


def inspect(path: Path, limits: Limits = Limits()) -> str:  # noqa: B008 - Limits is frozen
    """The real format of ``path`` by content: ``xlsx``, ``xlsm``, ``xls``, ``ods`` or ``csv``.

    Raises :class:`InputRefusedError` (see the module docs for the codes) when the file is not a
    spreadsheet rosxl reads or breaks one of ``limits``.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fp:
            if size == 0:
                _refuse(path, "empty-file", "filen er tom (0 byte)")
            if size > limits.max_file_bytes:
                _refuse(path, "file-too-large",
                        f"filen er {_size(size)}; grensen er {_size(limits.max_file_bytes)} (max_file_bytes)")
            head = fp.read(8)
            fp.seek(0)
            if head.startswith(ZIP_MAGIC):
                return _inspect_zip(path, fp, size, limits)
            if head == OLE_MAGIC:
                return _inspect_ole(path, fp)
            return _inspect_text(path, fp, limits)
    except RosxlError:
        raise
    except OSError as exc:
        _refuse(path, "unreadable", f"filen kan ikke leses ({exc.strerror or exc})")
    except Exception as exc:  # whatever a library raises on bytes nobody foresaw: still a coded refusal
        raise refusal(exc, path) from exc


def extension_warning(path: Path, kind: str) -> str | None:
    """A note for the report when ``path``'s extension does not match its real format ``kind``."""
    if Path(path).suffix.lower() in SUFFIXES.get(kind, ()):
        return None
    return f"filen heter «{Path(path).name}», men innholdet er {kind}; den ble lest som {kind}"


def _refuse(path: Path, code: str, message: str) -> NoReturn:
    raise InputRefusedError(message, code=code, file=path)


def _size(n: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n} byte"


# --- zip: .xlsx, .xlsm, .ods --------------------------------------------------------------------


def _inspect_zip(path: Path, fp: BinaryIO, size: int, limits: Limits) -> str:
    count = _declared_member_count(path, fp, size)
    if count > limits.max_parts:
        _refuse(path, "too-many-parts", f"zip-arkivet har {count} deler; grensen er {limits.max_parts} (max_parts)")
    try:
        with zipfile.ZipFile(fp) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, struct.error, NotImplementedError) as exc:  # "zip file version"
        raise InputRefusedError("filen er skadet og kan ikke åpnes som zip-arkiv", code="corrupt-zip",
                                file=path) from exc
    names = {info.filename for info in infos}
    if any(info.flag_bits & 0x1 for info in infos):
        _refuse(path, "encrypted", "filen er passordbeskyttet (kryptert zip); fjern passordet og prøv igjen")
    if "xl/workbook.bin" in names:
        _refuse(path, "unsupported-format", "binær Excel-arbeidsbok (.xlsb) leses ikke; lagre den som .xlsx")
    is_ods = "content.xml" in names and "mimetype" in names
    if not is_ods and "xl/workbook.xml" not in names:
        _refuse(path, "not-a-spreadsheet", "filen er et zip-arkiv, men ikke et regneark (.xlsx, .xlsm eller .ods)")
    _check_declared_sizes(path, infos, limits)
    total = 0
    extents: list[Extent] = []
    head: dict[str, bytes] = {}
    for info in infos:
        if info.filename.lower().endswith(_BINARY_PARTS) or info.is_dir():
            continue
        kind = "ods" if is_ods and info.filename == "content.xml" else "plain" if is_ods else "ooxml"
        scanner = PartScanner(info.filename, kind)
        total += _stream_part(path, fp, size, info, scanner, limits, head)
        if total > limits.max_total_bytes:
            _refuse(path, "zip-bomb", f"delene pakkes ut til mer enn {_size(limits.max_total_bytes)} til sammen "
                                      "(max_total_bytes); filen kan være en zip-bombe")
        if scanner.doctype:
            _refuse(path, "xml-entities", f"delen «{info.filename}» inneholder en DOCTYPE-deklarasjon (XML-entiteter), "
                                          "som regneark aldri trenger; filen kan være laget for å angripe leseren")
        extents.extend(scanner.extents)
        if scanner.claimed is not None:
            _check_claimed(path, scanner.claimed, limits)
    for extent in extents:
        _check_extent(path, extent, limits)
    if is_ods:
        if not head.get("mimetype", b"").startswith(_ODS_MIME):
            _refuse(path, "not-a-spreadsheet", "filen er et OpenDocument-dokument, men ikke et regneark (.ods)")
        return "ods"
    return "xlsm" if b"macroEnabled" in head.get("[Content_Types].xml", b"") else "xlsx"


def _declared_member_count(path: Path, fp: BinaryIO, size: int) -> int:
    """Number of members from the end-of-central-directory record, read before zipfile builds its list."""
    tail_len = min(size, 65_557)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        _refuse(path, "truncated", "filen er ufullstendig: slutten av zip-arkivet mangler (avbrutt kopiering?)")
    count: int = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        fp.seek(offset)
        record = fp.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            count = struct.unpack_from("<Q", record, 32)[0]
    return count


def _check_declared_sizes(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            _refuse(path, "zip-bomb", f"delen «{info.filename}» oppgir {_size(info.file_size)} utpakket; grensen er "
                                      f"{_size(limits.max_part_bytes)} per del (max_part_bytes); mulig zip-bombe")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_min_bytes and ratio > limits.max_compression_ratio:
            _refuse(path, "zip-bomb", f"delen «{info.filename}» er komprimert {ratio:.0f}:1; grensen er "
                                      f"{limits.max_compression_ratio:.0f}:1 (max_compression_ratio); mulig zip-bombe")
    if total > limits.max_total_bytes:
        _refuse(path, "zip-bomb", f"delene oppgir {_size(total)} utpakket til sammen; grensen er "
                                  f"{_size(limits.max_total_bytes)} (max_total_bytes); mulig zip-bombe")


def _stream_part(path: Path, fp: BinaryIO, size: int, info: zipfile.ZipInfo, scanner: PartScanner,
                 limits: Limits, head: dict[str, bytes]) -> int:
    """Decompress one part in chunks with a cap, feeding ``scanner``; return its real size."""
    name = info.filename
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != ZIP_MAGIC:
        _refuse(path, "corrupt-zip", f"delen «{name}» mangler sin lokale zip-header")
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    start = info.header_offset + 30 + name_len + extra_len
    if start + info.compress_size > size:
        _refuse(path, "truncated", f"delen «{name}» slutter etter filens slutt (avbrutt kopiering?)")
    fp.seek(start)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        _refuse(path, "corrupt-zip", f"delen «{name}» bruker en komprimeringsmetode som regneark ikke bruker")
    cap = min(info.file_size, limits.max_part_bytes)
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, crc = info.compress_size, 0, 0
    pending = b""
    while True:
        if not pending:
            if left <= 0:
                break
            pending = fp.read(min(_CHUNK, left))
            left -= len(pending)
        if inflate is None:
            out, pending = pending, b""
        else:
            try:
                out = inflate.decompress(pending, cap - produced + 1)
            except zlib.error as exc:
                raise InputRefusedError(f"delen «{name}» har skadede komprimerte data", code="corrupt-zip",
                                        file=path) from exc
            pending = inflate.unconsumed_tail
        produced += len(out)
        if produced > cap:
            if produced > info.file_size:
                _refuse(path, "zip-bomb", f"delen «{name}» pakkes ut til mer enn de {info.file_size} byte headeren "
                                          "oppgir (forfalsket størrelse); filen kan være en zip-bombe")
            _refuse(path, "zip-bomb", f"delen «{name}» pakkes ut til mer enn {_size(limits.max_part_bytes)} "
                                      "(max_part_bytes); filen kan være en zip-bombe")
        crc = zlib.crc32(out, crc)
        if name in ("mimetype", "[Content_Types].xml") and len(head.get(name, b"")) < 65_536:
            head[name] = head.get(name, b"") + out
        scanner.feed(out)
        if inflate is not None and inflate.eof:
            break
    if inflate is not None and not inflate.eof:
        _refuse(path, "corrupt-zip", f"delen «{name}» er ufullstendig komprimert")
    if produced != info.file_size or crc != info.CRC:
        _refuse(path, "corrupt-zip", f"delen «{name}» er skadet (størrelse eller kontrollsum stemmer ikke)")
    scanner.close()
    return produced


def _check_claimed(path: Path, extent: Extent, limits: Limits) -> None:
    if extent.cells > limits.max_claimed_cells:
        _refuse(path, "dimension-too-large",
                f"«{extent.sheet}» oppgir et område på {extent.rows} rader × {extent.columns} kolonner "
                f"({extent.cells:,} celler); grensen er {limits.max_claimed_cells:,} celler (max_claimed_cells)"
                .replace(",", " "))


def _check_extent(path: Path, extent: Extent, limits: Limits) -> None:
    over = [(extent.rows, limits.max_rows, "rader", "max_rows"),
            (extent.columns, limits.max_columns, "kolonner", "max_columns"),
            (extent.cells, limits.max_cells, "celler", "max_cells")]
    for value, limit, what, name in over:
        if value > limit:
            _refuse(path, "dimension-too-large",
                    f"«{extent.sheet}» spenner over {extent.rows} rader × {extent.columns} kolonner; "
                    f"grensen er {limit:,} {what} ({name})".replace(",", " "))


# --- OLE2: .xls, and encrypted OOXML ---------------------------------------------------------------


def _inspect_ole(path: Path, fp: BinaryIO) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(fp)
    except Exception as exc:  # olefile raises many kinds on crafted input
        raise InputRefusedError("filen er skadet og kan ikke leses som Office-fil", code="corrupt-xls",
                                file=path) from exc
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            _refuse(path, "encrypted", "filen er passordbeskyttet (kryptert); åpne den i Excel, fjern passordet "
                                       "og lagre den på nytt")
        stream = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if stream is None:
            _refuse(path, "not-a-spreadsheet", "filen er et Office-dokument, men ikke et Excel-regneark")
        try:
            data = ole.openstream(stream).read()
        except Exception as exc:  # as above
            raise InputRefusedError("filen er skadet og kan ikke leses som .xls", code="corrupt-xls",
                                    file=path) from exc
    if _biff_is_encrypted(data):
        _refuse(path, "encrypted", "filen er passordbeskyttet (kryptert .xls); åpne den i Excel, fjern passordet "
                                   "og lagre den på nytt")
    return "xls"


def _biff_is_encrypted(data: bytes) -> bool:
    """Whether the workbook globals of a BIFF stream hold a FILEPASS record (before their EOF)."""
    pos = 0
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        if kind == 0x002F:
            return True
        if kind == 0x000A:
            return False
        pos += 4 + length
    return False


# --- text: .csv ---------------------------------------------------------------------------------


def _inspect_text(path: Path, fp: BinaryIO, limits: Limits) -> str:
    head = fp.read(65_536)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        _refuse(path, "not-a-spreadsheet", "filen er verken et regneark (.xlsx, .xlsm, .xls, .ods) eller en CSV-fil")
    if _MARKUP.match(head.decode("utf-16" if utf16 else "latin-1", "replace").encode("utf-8", "replace")):
        _refuse(path, "unsupported-format", "filen er en nettside eller et XML-regneark (f.eks. «XML-regneark 2003») "
                                            "og leses ikke; åpne den i Excel og lagre den som .xlsx")
    if path.suffix.lower() not in SUFFIXES["csv"]:
        _refuse(path, "wrong-extension", f"filen heter «{path.name}», men er en tekstfil; gi den endelsen .csv "
                                         "hvis det er en CSV-fil")
    fp.seek(0)
    lines = 0
    while chunk := fp.read(_CHUNK):
        lines += chunk.count(b"\n")
    if lines > limits.max_rows:
        _refuse(path, "dimension-too-large", f"filen har {lines} linjer; grensen er {limits.max_rows} rader (max_rows)")
    return "csv"

