"""Build a VBA project (``vbaProject.bin``) from module sources, as [MS-OVBA] describes it.

The project holds source code only. Its ``_VBA_PROJECT`` stream is the 7-byte form the spec
prescribes for writers (version ``0xFFFF``, no performance cache), so Excel compiles the modules
from source when it opens the workbook. Streams:

- ``PROJECT`` — the project's properties as text (modules, name, and the protection state,
  password and visibility, each "data-encrypted" as §2.4.3.2 says: not protected, no password,
  visible);
- ``PROJECTwm`` — each module's name in the code page and in UTF-16;
- ``VBA/dir`` — the compressed ``dir`` records: system kind, code page, name, references, modules;
- ``VBA/<module>`` — each module's source (code page 1252), compressed (§2.4.1).

The container is :func:`rosxl.excel.cfb.write`. Independent readers check the result in the
tests: olefile for the container, oletools' olevba for the project and its sources.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from rosxl.excel import cfb

CODE_PAGE = 1252
LCID = 0x0409
#: Excel's class ids of a workbook's and a worksheet's document module (the ``VB_Base`` attribute).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CHUNK = 4096


@dataclass(frozen=True)
class Module:
    """One VBA module: ``source`` as stored (attribute lines included, CRLF line ends)."""

    name: str
    source: str
    document: bool = False  # a workbook or worksheet module (class-like, owned by Excel)


@dataclass(frozen=True)
class Reference:
    """A reference of the project: a registered type library (``libid`` ``*\\G{…}``) or another
    VBA project (``*\\C`` plus a path), such as the xlwings add-in."""

    name: str
    libid: str
    project: bool = False


def document_module(name: str, base: str) -> Module:
    """An empty document module (``ThisWorkbook`` or a sheet's), with Excel's attributes."""
    lines = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{base}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "\r\n".join(lines) + "\r\n", document=True)


def vba_project(modules: Sequence[Module], references: Sequence[Reference] = (), name: str = "VBAProject") -> bytes:
    """The ``vbaProject.bin`` holding ``modules`` (their order is kept) and ``references``."""
    names = [m.name for m in modules]
    if len(set(map(str.upper, names))) != len(names):
        raise ValueError(f"duplicate module names: {names}")
    digest = hashlib.sha256("\0".join(m.name + m.source for m in modules).encode("utf-8")).digest()
    project_id = "{" + str(uuid.UUID(bytes=digest[:16])).upper() + "}"
    streams = {
        "PROJECT": _project_text(modules, name, project_id, seed=digest[16]),
        "PROJECTwm": b"".join(_mbcs(m.name) + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules)
        + b"\0\0",
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0, 0),
        "VBA/dir": compress(_dir(modules, references, name)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(_mbcs(module.source))
    return cfb.write(streams)


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODE_PAGE}")


# --- the PROJECT stream (§2.3.1) ---------------------------------------------------------------


def _project_text(modules: Sequence[Module], name: str, project_id: str, seed: int) -> bytes:
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.document else f"Module={m.name}" for m in modules]
    lines += [f'Name="{name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{encrypt(bytes(4), project_id, seed)}"',  # not protected
              f'DPB="{encrypt(bytes(1), project_id, seed + 1)}"',  # no password
              f'GC="{encrypt(bytes([0xFF]), project_id, seed + 2)}"',  # visible
              "", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
              "", "[Workspace]", *(f"{m.name}=0, 0, 0, 0, C" for m in modules), ""]
    return _mbcs("\r\n".join(lines))


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """[MS-OVBA] §2.4.3.2 data encryption, as hex digits (the ``CMG``/``DPB``/``GC`` values)."""
    seed &= 0xFF
    version, key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = [seed, seed ^ version, seed ^ key]
    plain, enc1, enc2 = key, out[2], out[1]
    for byte in bytes((seed & 6) // 2) + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((enc2 + plain) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain = enc1, byte_enc, byte
    return bytes(out).hex().upper()


def decrypt(text: str, project_id: str) -> bytes:
    """The data :func:`encrypt` hid; raises when the version or the project key disagree."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[:3]
    if seed ^ version_enc != 2 or seed ^ key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("not encrypted with this project id")
    plain, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    out = []
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((enc2 + plain) & 0xFF)
        out.append(byte)
        enc2, enc1, plain = enc1, byte_enc, byte
    data = bytes(out[(seed & 6) // 2:])
    return data[4:4 + struct.unpack("<I", data[:4])[0]]


# --- the dir stream (§2.3.4.2) -----------------------------------------------------------------


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _texts(record_id: int, text: str, unicode_id: int) -> bytes:
    """A record with the text in the code page, followed by its UTF-16 twin."""
    return _record(record_id, _mbcs(text)) + _record(unicode_id, text.encode("utf-16-le"))


def _dir(modules: Sequence[Module], references: Sequence[Reference], name: str) -> bytes:
    out = [
        _record(0x0001, struct.pack("<I", 1)),  # SYSKIND: 32-bit Windows
        _record(0x0002, struct.pack("<I", LCID)),
        _record(0x0014, struct.pack("<I", LCID)),
        _record(0x0003, struct.pack("<H", CODE_PAGE)),
        _record(0x0004, _mbcs(name)),
        _texts(0x0005, "", 0x0040),  # doc string
        _texts(0x0006, "", 0x003D),  # help file
        _record(0x0007, struct.pack("<I", 0)),  # help context
        _record(0x0008, struct.pack("<I", 0)),  # lib flags
        struct.pack("<HIIH", 0x0009, 4, 1, 0),  # version 1.0 (the size field is 4 by definition)
        _texts(0x000C, "", 0x003C),  # constants
    ]
    for ref in references:
        out.append(_texts(0x0016, ref.name, 0x003E))
        libid = _mbcs(ref.libid)
        if ref.project:
            relative = _mbcs("*\\C" + ref.libid.rsplit("\\", 1)[-1])
            body = struct.pack("<I", len(libid)) + libid + struct.pack("<I", len(relative)) + relative
            out.append(_record(0x000E, body + struct.pack("<IH", 0, 0)))
        else:
            out.append(_record(0x000D, struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)))
    out.append(struct.pack("<HIH", 0x000F, 2, len(modules)))
    out.append(_record(0x0013, struct.pack("<H", 0xFFFF)))
    for m in modules:
        out += [
            _record(0x0019, _mbcs(m.name)),
            _record(0x0047, m.name.encode("utf-16-le")),
            _texts(0x001A, m.name, 0x0032),  # stream name
            _texts(0x001C, "", 0x0048),  # doc string
            _record(0x0031, struct.pack("<I", 0)),  # source starts at offset 0: no performance cache
            _record(0x001E, struct.pack("<I", 0)),  # help context
            _record(0x002C, struct.pack("<H", 0xFFFF)),  # cookie
            _record(0x0022 if m.document else 0x0021, b""),
            _record(0x002B, b""),  # module terminator
        ]
    out.append(_record(0x0010, b""))
    return b"".join(out)


# --- compression (§2.4.1) ----------------------------------------------------------------------


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature 0x01, then one chunk per 4 096 bytes of ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        chunk = data[start:start + _CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= _CHUNK:
            out += struct.pack("<H", (len(body) + 2 - 3) | 0x3000 | 0x8000) + body
        elif len(chunk) == _CHUNK:
            out += struct.pack("<H", 0x3FFF) + chunk  # stored raw
        else:
            raise ValueError("the last chunk does not compress to 4 096 bytes; cannot be stored raw")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, end = 0, len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            bit_count = max((pos - 1).bit_length(), 4) if pos else 4
            max_length = (0xFFFF >> bit_count) + 3
            offset, length = _longest_match(chunk, pos, seen, max_length)
            if length >= 3:
                out += struct.pack("<H", ((offset - 1) << (16 - bit_count)) | (length - 3))
                out[flag_at] |= 1 << bit
            else:
                length = 1
                out.append(chunk[pos])
            for p in range(pos, min(pos + length, end - 2)):
                seen.setdefault(chunk[p:p + 3], []).append(p)
            pos += length
    return bytes(out)


def _longest_match(chunk: bytes, pos: int, seen: dict[bytes, list[int]], max_length: int) -> tuple[int, int]:
    best_offset, best_length = 0, 0
    limit = min(max_length, len(chunk) - pos)
    for candidate in reversed(seen.get(chunk[pos:pos + 3], [])[-64:]):
        length = 0
        while length < limit and chunk[candidate + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = pos - candidate, length
            if length == limit:
                break
    return best_offset, best_length
