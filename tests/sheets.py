"""A new workbook with its first sheet, typed (``Workbook.active`` may be a chartsheet or ``None``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def new_sheet(title: str | None = None, rows: Iterable[Sequence[object]] = ()) -> tuple[Workbook, Worksheet]:
    """A workbook whose first sheet (named ``title``) holds ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    if title:
        ws.title = title
    for row in rows:
        ws.append(list(row))
    return wb, ws
