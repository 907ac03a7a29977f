"""Write a workbook's zip package with parts compressed ahead.

A stamped workbook (:mod:`rosxl.workbook.stamp`) is mostly its template's parts, unchanged: styles,
theme, criteria and matrix sheets. :mod:`zipfile` can only write a part by compressing it again,
which for a batch costs more than the parts that change. A :class:`Part` is compressed once (when
the template is loaded) and written as it is; only the parts that differ per workbook are
compressed per file. The archive is a plain ZIP (APPNOTE 6.3.x: local headers, central directory,
end record; deflate, no data descriptors, no ZIP64), which :mod:`zipfile`, Excel, LibreOffice and
Gnumeric read like any other.
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass

#: Compression of a part written ahead (once per template: the best ratio costs nothing later).
AHEAD_LEVEL = 9
#: Compression of a part written per workbook: level 1 saves about 2.5 ms of 6.5 on a 50-scenario
#: workbook against the default level, for a file about a quarter larger.
PER_FILE_LEVEL = 1
_DEFLATE, _VERSION = 8, 20  # deflate; version 2.0 needed to extract
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_FILE_MODE = 0o600 << 16  # what zipfile.writestr sets: a regular file readable by its owner


@dataclass(frozen=True)
class Part:
    """One part of the package, compressed: name, CRC-32, sizes and the deflated bytes."""

    name: str
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, content: bytes, level: int = PER_FILE_LEVEL) -> Part:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, zlib.crc32(content), len(content), packer.compress(content) + packer.flush())


def package(parts: list[Part]) -> bytes:
    """The bytes of a ZIP archive holding ``parts`` in order, dated now (local time, as zipfile does)."""
    now = time.localtime()
    dos_time = now.tm_hour << 11 | now.tm_min << 5 | now.tm_sec // 2
    dos_date = max(now.tm_year - 1980, 0) << 9 | now.tm_mon << 5 | now.tm_mday
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for part in parts:
        name = part.name.encode("ascii")  # OPC part names are ASCII (percent-encoded otherwise)
        local = _LOCAL.pack(0x04034B50, _VERSION, 0, _DEFLATE, dos_time, dos_date, part.crc, len(part.data),
                            part.size, len(name), 0)
        central.append(_CENTRAL.pack(0x02014B50, _VERSION, _VERSION, 0, _DEFLATE, dos_time, dos_date, part.crc,
                                     len(part.data), part.size, len(name), 0, 0, 0, 0, _FILE_MODE, offset) + name)
        out += (local, name, part.data)
        offset += len(local) + len(name) + len(part.data)
    directory = b"".join(central)
    out += (directory, _END.pack(0x06054B50, 0, 0, len(parts), len(parts), len(directory), offset, 0))
    return b"".join(out)
