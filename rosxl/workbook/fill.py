"""``rosxl fill``: raw facts typed into class cells become the classes they are, and the text is kept.

A class cell that holds something other than a class (see :mod:`rosxl.workbook.classes`), such as
«1 gang per 20 år» or «2,5 mill», gets the dropdown entry of the class the workbook's criteria read
in it («2 – Lav»: the form an advisor picks, which every formula reads); the original text goes
to the row's ``raw`` (the hidden data column), so ``read_analysis`` still shows where the class
came from. Cells the criteria cannot read are left as they are and listed. The workbook is read
through :func:`rosxl.workbook.read.read_workbook` first (the guarded entry point), then changed
with openpyxl and written atomically: in place, or to ``output``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rosxl.errors import WorkbookError
from rosxl.jsontext import dumps
from rosxl.safety.outputs import atomic_output
from rosxl.workbook.classes import Kind, class_in_cell, is_blank, levels, suggestion_of
from rosxl.workbook.criteria_sheet import choice_text
from rosxl.workbook.layout import FIRST_ROW, SHEET, Column, Layout
from rosxl.workbook.read import columns_of, read_workbook


@dataclass(frozen=True)
class Fact:
    """One class cell that held a raw fact: where, its text, and the entry written (``None``: left)."""

    row: int
    column: str
    key: str
    text: str
    entry: str | None = None
    reason: str | None = None


@dataclass
class FillReport:
    """What :func:`fill_workbook` did."""

    source: Path
    target: Path
    filled: list[Fact] = field(default_factory=list)
    left: list[Fact] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every raw fact became a class."""
        return not self.left


def fill_workbook(path: str | Path, output: str | Path | None = None) -> FillReport:
    """Write the classes of the raw facts in ``path``'s class cells; in place when ``output`` is ``None``.

    An ``output`` must be a new ``.xlsx`` file (never the input, never an existing file:
    :func:`rosxl.safety.outputs.check_output`). The workbook is read through the guard, and loading,
    filling and saving run in an isolated worker (:func:`rosxl.safety.reading.read_guarded`), as
    ``rosxl freeze`` does; the result replaces the target atomically.
    """
    from rosxl.safety.outputs import check_output
    from rosxl.safety.reading import read_guarded

    source = Path(path)
    target = Path(output) if output is not None else source
    if target.suffix.lower() != ".xlsx":
        raise WorkbookError("den utfylte arbeidsboka må lagres som .xlsx", file=target)
    if output is not None:
        check_output(target, inputs=[source], overwrite=False)
    layout = read_workbook(source).layout  # the guarded read: refuses what is not a standard workbook
    with atomic_output(target, overwrite=output is None) as temp:
        return read_guarded(source, partial(_fill_into, layout=layout, output=temp, target=target,
                                            in_place=output is None))


def _fill_into(source: Path, layout: Layout, output: Path, target: Path, in_place: bool) -> FillReport:
    """Load ``source``, fill its class cells and save it as ``output`` (runs in the worker).

    In place with nothing to fill, ``output`` gets the source's bytes: the workbook stays as it was.
    """
    from openpyxl import load_workbook

    wb = load_workbook(source)
    ws = wb[SHEET]
    header = tuple(c.value for c in ws[1])
    columns = {i + 1: col for i, col in columns_of(header, layout)[0].items()}
    data_column = next((i for i, col in columns.items() if col.kind == "data"), None)
    report = FillReport(source, target)
    for r in range(FIRST_ROW, ws.max_row + 1):
        raw: dict[str, str] = {}
        for index, col in columns.items():
            if col.kind in ("probability", "consequence"):
                fact = _fill_cell(ws.cell(r, index), col, layout, r)
                if fact is not None:
                    (report.filled if fact.entry is not None else report.left).append(fact)
                    if fact.entry is not None:
                        raw[col.key] = fact.text
        if raw:
            _keep_raw(ws, r, data_column, raw)
    if report.filled or not in_place:
        wb.save(output)
    else:
        shutil.copyfile(source, output)
    return report


def _fill_cell(cell: Any, col: Column, layout: Layout, row: int) -> Fact | None:
    value = cell.value
    kind: Kind = "probability" if col.kind == "probability" else "consequence"
    c, language = layout.criteria, layout.language
    if is_blank(value) or (isinstance(value, str) and value.startswith("=")) or class_in_cell(
            value, c, language, kind) is not None:
        return None
    text = value if isinstance(value, str) else str(value)
    area = None if kind == "probability" else col.field
    hint = suggestion_of(value, c, language, area)
    if hint is None:
        reading = c.read_probability(value) if area is None else c.read_consequence(area or "", value)
        return Fact(row, cell.column_letter, col.key, text, reason=reading.reason or "ikke en klasse")
    entry = choice_text(hint.value, next(lv for lv in levels(c, kind) if lv.value == hint.value).label(language))
    cell.value = entry
    cell.data_type = "s"
    return Fact(row, cell.column_letter, col.key, text, entry)


def _keep_raw(ws: Any, row: int, column: int | None, raw: dict[str, str]) -> None:
    """Add ``raw`` to the row's hidden JSON (the original texts of the classes written)."""
    if column is None:
        raise WorkbookError("arket mangler den skjulte datakolonnen «rosxl-data»", sheet=SHEET)
    cell = ws.cell(row, column)
    data = json.loads(cell.value) if isinstance(cell.value, str) and cell.value.strip() else {}
    data["raw"] = {**data.get("raw", {}), **raw}
    cell.value = dumps(data)
    cell.data_type = "s"
