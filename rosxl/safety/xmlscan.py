"""Streaming scan of decompressed workbook XML: DTDs and the real extent of every sheet.

:class:`PartScanner` is fed a part chunk by chunk while it is being decompressed, so a part is
never held in memory whole. It finds

- any ``<!DOCTYPE`` (entity tricks need one; no workbook part ever has one), in UTF-8 and UTF-16;
- in SpreadsheetML: the ``<dimension ref>`` a sheet claims, and the rectangle its cells really
  span (``<c r="XFD1048576">``) — what calamine allocates densely;
- in OpenDocument ``content.xml``: the rectangle spanned by non-empty cells of each table,
  counting ``number-rows-repeated`` / ``number-columns-repeated``, which expand in the readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOCTYPES = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le")[:-1])  # UTF-16 BE differs only by a leading NUL
_CARRY_MAX = 1 << 20

_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?\bref="'
                        rb'\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?(?::\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?)?"')
# Only cell references have letters after ` r="`; rows have digits. The literal single space of
# the fast patterns lets the regex engine skip ahead; when they find fewer references than there
# are cell tags (other whitespace, cells without r), the careful patterns run on that chunk.
_FAST_COLUMN = re.compile(rb' r="([A-Za-z]{1,3})[0-9]')
_FAST_ROW = re.compile(rb' r="[A-Za-z]{1,3}([0-9]{1,7})"')
_COLUMN = re.compile(rb'\sr\s*=\s*["\']\$?([A-Za-z]{1,3})\$?[0-9]')
_ROW = re.compile(rb'\sr\s*=\s*["\']\$?[A-Za-z]{1,3}\$?([0-9]{1,7})')
_FILLED_ROW = re.compile(rb'<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*["\']([0-9]{1,7})[^>]*+(?<!/)>')
_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_ODS_COLS = re.compile(rb'table:number-columns-repeated="([0-9]+)"')


def column_number(letters: bytes | str) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16384."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class Extent:
    """The rectangle a sheet spans: rows and columns counted from A1."""

    sheet: str
    rows: int
    columns: int
    claimed: bool = False

    @property
    def cells(self) -> int:
        return self.rows * self.columns


class PartScanner:
    """Scans one decompressed part; ``kind`` is ``"ooxml"``, ``"ods"`` (content.xml) or ``"plain"``."""

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind
        self.doctype = False
        self.claimed: Extent | None = None
        self.extents: list[Extent] = []
        self._carry = b""
        self._rows = 0
        self._cols = 0
        self._in_data = False
        self._ods = _OdsTables()

    def feed(self, data: bytes) -> None:
        buf = self._carry + data
        cut = buf.rfind(b"<")
        if cut < 0:
            cut = len(buf)
        done, self._carry = buf[:cut], buf[cut:][-_CARRY_MAX:]
        self._scan(done)

    def close(self) -> None:
        """Scan what is left and record the extent of a SpreadsheetML sheet."""
        self._scan(self._carry)
        self._carry = b""
        if self.kind == "ooxml" and (self._rows or self._cols):
            self.extents.append(Extent(self.name, self._rows, self._cols))
        elif self.kind == "ods":
            self.extents.extend(self._ods.extents)

    def _scan(self, tags: bytes) -> None:
        if not self.doctype and any(p in tags for p in _DOCTYPES):
            self.doctype = True
        if self.kind == "ooxml":
            self._scan_sheet(tags)
        elif self.kind == "ods":
            self._ods.scan(tags)

    def _scan_sheet(self, tags: bytes) -> None:
        if self.claimed is None and not self._in_data and (m := _DIMENSION.search(tags)):
            col, row = (m.group(3), m.group(4)) if m.group(3) or m.group(4) else (m.group(1), m.group(2))
            if col or row:  # a missing row or column means whole columns or rows
                self.claimed = Extent(self.name, int(row) if row else 1_048_576,
                                      column_number(col) if col else 16_384, True)
        self._in_data = self._in_data or b"sheetData" in tags
        rows = _FAST_ROW.findall(tags)
        careful = tags.count(b"<c") > len(rows)
        if careful:
            rows = _ROW.findall(tags) + _FILLED_ROW.findall(tags)
        columns = set((_COLUMN if careful else _FAST_COLUMN).findall(tags))
        self._cols = max(self._cols, 0, *map(column_number, columns))
        self._rows = max(self._rows, 0, *map(int, set(rows)))


class _OdsTables:
    """Walks the table, row and cell tags of ``content.xml`` and keeps each table's non-empty extent."""

    def __init__(self) -> None:
        self.extents: list[Extent] = []
        self._name = ""
        self._row = self._col = self._row_repeat = 0
        self._row_has_value = False
        self._max_row = self._max_col = 0

    def scan(self, tags: bytes) -> None:
        for closing, tag, attrs, empty in _ODS_TAG.findall(tags):
            if tag == b"table":
                if closing:
                    self.extents.append(Extent(self._name, self._max_row, self._max_col))
                else:
                    name = _ODS_NAME.search(attrs)
                    self._name = name.group(1).decode("utf-8", "replace") if name else "?"
                    self._row = self._max_row = self._max_col = 0
            elif tag == b"table-row":
                if closing:
                    self._end_row()
                else:
                    self._row_repeat = _repeat(_ODS_ROWS, attrs)
                    self._col, self._row_has_value = 0, False
                    if empty:
                        self._end_row()
            elif not closing:
                repeat = _repeat(_ODS_COLS, attrs)
                if not empty or b"value-type" in attrs:
                    self._row_has_value = True
                    self._max_col = max(self._max_col, self._col + repeat)
                self._col += repeat

    def _end_row(self) -> None:
        self._row += self._row_repeat
        if self._row_has_value:
            self._max_row = self._row
        self._row_has_value = False


def _repeat(pattern: re.Pattern[bytes], attrs: bytes) -> int:
    m = pattern.search(attrs)
    return max(1, int(m.group(1))) if m else 1
