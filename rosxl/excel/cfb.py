"""Write a Compound File Binary file ([MS-CFB], version 3, 512-byte sectors), the container of ``vbaProject.bin``.

Only what a VBA project needs: a tree of storages and streams written once, in one go. Streams
under the 4 096-byte cutoff go to the mini stream (64-byte sectors), larger ones to ordinary
sectors; the FAT must fit in the header's 109 DIFAT slots (files up to about 6.8 MB). Each
storage's children form a red-black tree ordered as the spec says (shorter names first, then by
upper-cased name), built balanced, with the nodes of an incomplete last level red.

Reading is left to well-kept readers (olefile, oletools), which the tests use to check the output.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_IDS_PER_SECTOR = SECTOR // 4


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = _BLACK
    start: int = ENDOFCHAIN


def write(streams: Mapping[str, bytes]) -> bytes:
    """The compound file holding ``streams``, keyed by path (``"VBA/dir"``); storages are implied."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *folders, name = path.split("/")
        node = root
        for folder in folders:
            node = node.children.setdefault(folder, _Entry(folder, _STORAGE))
            if node.kind != _STORAGE:
                raise ValueError(f"{folder} is a stream, not a storage")
        if len(name.encode("utf-16-le")) > 62 or not name:
            raise ValueError(f"bad stream name {name!r}")
        node.children[name] = _Entry(name, _STREAM, bytes(data))
    entries = _number(root)
    return _layout(entries)


def _sort_key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name.encode("utf-16-le")), entry.name.upper()


def _number(root: _Entry) -> list[_Entry]:
    """Directory order: the root, then each storage's children; links set as red-black trees."""
    entries = [root]
    pending = [root]
    while pending:
        parent = pending.pop(0)
        children = sorted(parent.children.values(), key=_sort_key)
        first = len(entries)
        entries.extend(children)
        pending.extend(c for c in children if c.kind == _STORAGE)
        ids = list(range(first, first + len(children)))
        height = len(ids).bit_length()
        perfect = len(ids) == (1 << height) - 1
        parent.child = _tree(entries, ids, 1, height, perfect)
    return entries


def _tree(entries: list[_Entry], ids: list[int], depth: int, height: int, perfect: bool) -> int:
    if not ids:
        return NOSTREAM
    middle = len(ids) // 2
    node = entries[ids[middle]]
    node.left = _tree(entries, ids[:middle], depth + 1, height, perfect)
    node.right = _tree(entries, ids[middle + 1:], depth + 1, height, perfect)
    node.colour = _RED if depth == height and not perfect else _BLACK
    return ids[middle]


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else ENDOFCHAIN


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _layout(entries: list[_Entry]) -> bytes:
    small = [e for e in entries if e.kind == _STREAM and 0 < len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]
    mini_fat: list[int] = []
    mini_stream = b""
    for entry in small:
        entry.start = len(mini_fat)
        count = -(-len(entry.data) // MINI_SECTOR)
        mini_fat.extend([0] * count)
        _chain(mini_fat, entry.start, count)
        mini_stream += _pad(entry.data, MINI_SECTOR)
    directory_sectors = -(-len(entries) // (SECTOR // 128))
    mini_fat_sectors = -(-len(mini_fat) // _IDS_PER_SECTOR)
    mini_stream_sectors = -(-len(mini_stream) // SECTOR)
    large_sectors = [-(-len(e.data) // SECTOR) for e in large]
    others = directory_sectors + mini_fat_sectors + mini_stream_sectors + sum(large_sectors)
    fat_sectors = 1
    while fat_sectors * _IDS_PER_SECTOR < fat_sectors + others:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("compound file too large for a FAT without DIFAT sectors")
    fat = [FREESECT] * (fat_sectors * _IDS_PER_SECTOR)
    for i in range(fat_sectors):
        fat[i] = FATSECT
    position = fat_sectors
    directory_start = position
    _chain(fat, position, directory_sectors)
    position += directory_sectors
    mini_fat_start = position if mini_fat_sectors else ENDOFCHAIN
    _chain(fat, position, mini_fat_sectors)
    position += mini_fat_sectors
    root = entries[0]
    root.start = position if mini_stream_sectors else ENDOFCHAIN
    root.data = mini_stream  # the root's size is the mini stream's
    _chain(fat, position, mini_stream_sectors)
    position += mini_stream_sectors
    for entry, count in zip(large, large_sectors, strict=True):
        entry.start = position
        _chain(fat, position, count)
        position += count
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", MAGIC, b"\0" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6,
                         0, fat_sectors, directory_start, 0, MINI_CUTOFF, mini_fat_start, mini_fat_sectors,
                         ENDOFCHAIN, 0)
    header += struct.pack("<109I", *range(fat_sectors), *[FREESECT] * (109 - fat_sectors))
    directory = b"".join(_entry_bytes(e) for e in entries)
    directory += _entry_bytes(None) * (-len(entries) % (SECTOR // 128))
    body = [
        struct.pack(f"<{len(fat)}I", *fat),
        directory,
        _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR) if mini_fat else b"",
        _pad(mini_stream, SECTOR),
        *(_pad(e.data, SECTOR) for e in large),
    ]
    return header + b"".join(body)


def _entry_bytes(entry: _Entry | None) -> bytes:
    if entry is None:
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    name = entry.name.encode("utf-16-le") + b"\0\0"
    size = len(entry.data) if entry.kind in (_STREAM, _ROOT) else 0
    start = entry.start if entry.kind != _STORAGE else 0
    if entry.kind == _STREAM and size == 0:
        start = ENDOFCHAIN
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry.kind, entry.colour, entry.left, entry.right,
                       entry.child, b"\0" * 16, 0, 0, 0, start, size)
