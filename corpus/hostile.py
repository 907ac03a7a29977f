"""A corpus of hostile and broken spreadsheet files, made by code, beside a few good ones.

:func:`build` writes every case into a folder and returns them as :class:`Case` objects: the
file, and the reason code rosxl must refuse it with (``None`` for files that must convert).
Each file is named after the case it reproduces. Nothing here is ever parsed by a reader in the
test process itself: the huge-range file would make calamine abort the whole interpreter.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

PASSWORD = "Hemmelig1"

HEADER = ["Nr.", "Uønsket hendelse", "Årsak", "Sannsynlighet", "Konsekvens", "Risiko", "Tiltak"]
ROWS: list[list[object]] = [
    [1, "Flom i sentrum", "Styrtregn", 3, 4, "Rød", "Bygge flomvoll"],
    [2, "Brann i sykehjem", "Elektrisk feil", 2, 5, "Rød", "Sprinkling"],
    [3, "Langvarig strømbrudd", "Uvær", 4, 3, "Rød", "Aggregat"],
    [4, "Smitteutbrudd", "Pandemi", 2, 4, "Gul", "Smittevernplan"],
    [5, "Bortfall av IKT", "Dataangrep", 3, 3, "Gul", "Sikkerhetskopi"],
]
INJECTIONS = ["=cmd|' /C calc'!A0", "+1+1", "-1+2", "@SUM(A1:A9)", "=HYPERLINK(\"http://example.com\")"]


@dataclass(frozen=True)
class Case:
    """One corpus file and the reason code it must be refused with (``None``: must convert)."""

    path: Path
    code: str | None


def good_xlsx_bytes(rows: Iterable[list[object]] = ROWS) -> bytes:
    """A small legacy ROS table as an .xlsx (title row, header row, scenarios)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "ROS-analyse"
    ws.append(["Risiko- og sårbarhetsanalyse for Eksempel kommune"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_csv_text(rows: Iterable[list[object]] = ROWS) -> str:
    """The same table as a semicolon-separated CSV, as Norwegian Excel saves it."""
    lines = [";".join(HEADER)] + [";".join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def good_ods_bytes() -> bytes:
    """A minimal OpenDocument spreadsheet with the same table."""

    def cell(value: object) -> str:
        if isinstance(value, int):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    table: list[list[object]] = [list(HEADER), *ROWS]
    rows = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in table)
    return ods_bytes(rows)


def ods_bytes(rows_xml: str) -> bytes:
    """An .ods whose only table holds ``rows_xml`` (``<table:table-row>`` elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="ROS">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return raw_zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", content.encode()),
            ("META-INF/manifest.xml", manifest.encode()),
        ]
    )


# --- a minimal zip writer that can lie ------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A zip member given as already-deflated data, with the sizes its headers will declare."""

    name: str
    deflated: bytes
    crc: int
    size: int
    declared_size: int | None = None


def _member(name: str, data: bytes) -> Member:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def raw_zip(members: Iterable[tuple[str, bytes] | Member]) -> bytes:
    """A zip of deflated members; a :class:`Member` may declare a size other than its real one."""
    out = io.BytesIO()
    central = []
    items = [m if isinstance(m, Member) else _member(*m) for m in members]
    for m in items:
        declared = m.size if m.declared_size is None else m.declared_size
        name = m.name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, m.crc, len(m.deflated), declared,
                              len(name), 0))
        out.write(name)
        out.write(m.deflated)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, m.crc, len(m.deflated),
                                   declared, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(items), len(items), end - start, start, 0))
    return out.getvalue()


def _replace(xlsx: bytes, parts: dict[str, bytes | Member]) -> bytes:
    """``xlsx`` re-zipped with some parts replaced (or added)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        members: dict[str, bytes | Member] = {name: zf.read(name) for name in zf.namelist()}
    members.update(parts)
    return raw_zip(m if isinstance(m, Member) else (name, m) for name, m in members.items())


# --- the hostile files ----------------------------------------------------------------------------

_SHEET_OPEN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_CLOSE = b"</sheetData></worksheet>"


def bomb_member(name: str, size: int, *, declared_size: int | None = None) -> Member:
    """A worksheet of ``size`` bytes of blanks (legal XML whitespace), compressed about 1 000:1."""
    chunk = b" " * (16 << 20)
    pieces, rest = divmod(size, len(chunk))
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    head = zlib.compressobj(6, zlib.DEFLATED, -15)
    opening = head.compress(_SHEET_OPEN) + head.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(6, zlib.DEFLATED, -15)
    closing = tail.compress(b" " * rest + _SHEET_CLOSE) + tail.flush()
    crc = zlib.crc32(_SHEET_OPEN)
    for _ in range(pieces):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(b" " * rest + _SHEET_CLOSE, crc)
    total = len(_SHEET_OPEN) + pieces * len(chunk) + rest + len(_SHEET_CLOSE)
    return Member(name, opening + block * pieces + closing, crc, total, declared_size)


def _doctype_sheet(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{body}</t></is></c></row></sheetData></worksheet>'
    ).encode()


def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return _doctype_sheet(f"<!DOCTYPE lolz [{''.join(ents)}]>", "&lol9;")


def quadratic_blowup() -> bytes:
    return _doctype_sheet(f'<!DOCTYPE kaboom [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 50_000)


def external_entity(target: str = "file:///etc/passwd") -> bytes:
    return _doctype_sheet(f'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "{target}">]>', "&xxe;")


def huge_range_xlsx() -> bytes:
    """Values in A1 and XFD1048576: 2 KB that make calamine allocate 512 GiB and abort."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Uønsket hendelse"
    ws["XFD1048576"] = "slutt"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def styled_rows_sheet(rows: int = 1_048_576) -> bytes:
    """The good table followed by styled but empty rows down to ``rows``, as Excel writes them."""
    from xml.sax.saxutils import escape

    def cell(ref: str, value: object) -> str:
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    data: list[list[object]] = [list(HEADER), *ROWS]
    parts = [_SHEET_OPEN.replace(b"<sheetData>", f'<dimension ref="A1:G{rows}"/><sheetData>'.encode())]
    for r, values in enumerate(data, start=1):
        cells = "".join(cell(f"{'ABCDEFG'[i]}{r}", v) for i, v in enumerate(values))
        parts.append(f'<row r="{r}">{cells}</row>'.encode())
    parts.append(b"".join(b'<row r="%d" s="1" customFormat="1" ht="15"/>' % r for r in range(len(data) + 1, rows + 1)))
    parts.append(_SHEET_CLOSE)
    return b"".join(parts)


def encrypted_xlsx(plain: bytes) -> bytes:
    """A real password-protected .xlsx (Agile encryption in an OLE2 container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(PASSWORD, out)
    return out.getvalue()


def corrupted(xlsx: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """``xlsx`` with bytes flipped inside the compressed data of ``part``."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(xlsx)
    for i in range(start + 4, start + min(info.compress_size, 24)):
        data[i] ^= 0x5A
    return bytes(data)


def build(folder: Path, *, bomb_bytes: int = 1 << 30) -> list[Case]:
    """Write the whole corpus into ``folder``; bombs expand to ``bomb_bytes`` (1 GiB by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = good_xlsx_bytes()
    sheet = "xl/worksheets/sheet1.xml"
    files: dict[str, tuple[bytes, str | None]] = {
        "god.xlsx": (good, None),
        "god.csv": (good_csv_text().encode("utf-8-sig"), None),
        "god.ods": (good_ods_bytes(), None),
        "god-med-feil-endelse.xls": (good, None),
        "formelinjeksjon.csv": (good_csv_text([[i + 1, text, text, 2, 3, "Gul", text]
                                               for i, text in enumerate(INJECTIONS)]).encode("utf-8"), None),
        "zipbombe-aerlig.xlsx": (_replace(good, {sheet: bomb_member(sheet, bomb_bytes)}), "zip-bomb"),
        "zipbombe-forfalsket.xlsx": (_replace(good, {sheet: bomb_member(sheet, bomb_bytes, declared_size=4096)}),
                                     "zip-bomb"),
        "milliard-latter.xlsx": (_replace(good, {sheet: billion_laughs()}), "xml-entities"),
        "kvadratisk-oppblasing.xlsx": (_replace(good, {sheet: quadratic_blowup()}), "xml-entities"),
        "ekstern-entitet.xlsx": (_replace(good, {sheet: external_entity()}), "xml-entities"),
        "avkortet.xlsx": (good[: len(good) // 2], "truncated"),
        "skadet.xlsx": (corrupted(good), "corrupt-zip"),
        "ikke-zip.xlsx": (bytes(range(256)) * 16, "not-a-spreadsheet"),
        "tom.xlsx": (b"", "empty-file"),
        "passordbeskyttet.xlsx": (encrypted_xlsx(good), "encrypted"),
        "enormt-omrade.xlsx": (huge_range_xlsx(), "dimension-too-large"),
        "million-formaterte-rader.xlsx": (_replace(good, {sheet: styled_rows_sheet()}), None),
        "tekst-med-feil-endelse.xlsx": (good_csv_text().encode(), "wrong-extension"),
    }
    cases = []
    for name, (data, code) in files.items():
        path = folder / name
        path.write_bytes(data)
        cases.append(Case(path, code))
    return cases
