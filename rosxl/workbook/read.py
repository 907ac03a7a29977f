"""Read a filled standard workbook back into the canonical :class:`~rosxl.analysis.Analysis`.

The criteria come from the workbook's own Kriterier block (so a municipality's edits count),
the scenarios from the Scenarier table by header, the hidden data from the ``rosxl`` sheet and
the table's hidden data column. Zones and scores are recomputed from the classes with the
workbook's criteria; cached formula results are not trusted.

A class cell is read as the workbook's formulas read it (:mod:`rosxl.workbook.classes`): a number
of the scale or a dropdown entry («2 – Lav») is a class. In the ``native`` flavour anything else is
a raw fact without a class, as the workbook shows it; its text goes to ``raw`` and the class the
criteria would read in it to ``review`` («Sannsynlighet: «1 gang per 20 år» tilsvarer klasse 2»).
In the ``xlwings`` flavour the worksheet functions read raw facts, and so does this module.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria.model import Language
from rosxl.errors import RosxlError, WorkbookError
from rosxl.fields import BY_PATH
from rosxl.safety.limits import Limits
from rosxl.safety.reading import read_guarded
from rosxl.text import normalise
from rosxl.workbook.classes import Kind, class_in_cell, suggestion_of
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.criteria_sheet import criteria_from_grid
from rosxl.workbook.layout import FIRST_ROW, INPUT_KINDS, SHEET, Column, Flavour, Layout, layout_for
from rosxl.workbook.write import DATA_SHEET


@dataclass
class ReadResult:
    """An analysis and, for each scenario, the sheet row it came from."""

    analysis: Analysis
    rows: list[int]
    layout: Layout


def read_analysis(path: str | Path, *, limits: Limits | None = None, isolate: bool = True) -> Analysis:
    """The analysis in a standard workbook written by :func:`rosxl.write_workbook` (and filled in).

    Guarded: the file passes :func:`rosxl.safety.guard.inspect` and is read in an isolated worker
    (:func:`rosxl.safety.reading.read_guarded`); every failure is a :class:`RosxlError` with a code.
    ``isolate=False`` only for a workbook rosxl has just written itself.
    """
    return read_workbook(path, limits=limits, isolate=isolate).analysis


def read_workbook(path: str | Path, *, limits: Limits | None = None, isolate: bool = True) -> ReadResult:
    """Like :func:`read_analysis`, with the sheet row of each scenario (for messages)."""
    path = Path(path)
    if not path.is_file():
        raise WorkbookError("finner ikke arbeidsboka", file=path)
    return read_guarded(path, _read_workbook, limits=limits, isolate=isolate)


def _read_workbook(path: Path) -> ReadResult:
    """Parse a workbook the guard has passed (runs in the worker)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)  # by content, any extension
    try:
        for name in (CRITERIA_SHEET, SHEET):
            if name not in wb.sheetnames:
                raise WorkbookError(f"ikke en rosxl-arbeidsbok: arket «{name}» mangler", file=path)
        grid = _block([list(r) for r in wb[CRITERIA_SHEET].iter_rows(values_only=True)])
        try:
            criteria = criteria_from_grid(grid)
        except RosxlError as exc:
            exc.file = str(path)
            raise
        data = _data_sheet(wb[DATA_SHEET]) if DATA_SHEET in wb.sheetnames else {}
        language: Language = "nn" if data.get("language") == "nn" else "nb"
        flavour: Flavour = "xlwings" if data.get("flavour") == "xlwings" else "native"
        layout = layout_for(criteria, language, flavour)
        rows = list(wb[SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    if not rows:
        raise WorkbookError("arket er tomt", file=path, sheet=SHEET)
    columns, extras = columns_of(rows[0], layout)
    scenarios, numbers = [], []
    for r, cells in enumerate(rows[1:], start=FIRST_ROW):
        scenario = _scenario(cells, columns, extras, layout, path, r)
        if scenario is not None:
            scenarios.append(assess_scenario(scenario, criteria))
            numbers.append(r)
    analysis = Analysis(criteria, scenarios, _json(data.get("metadata")), _json(data.get("report")))
    return ReadResult(analysis, numbers, layout)


def _block(rows: list[list[Any]]) -> list[list[Any]]:
    """The criteria block: the sheet's columns up to the first empty one (the dropdown entries stand beyond)."""
    width = max((len(r) for r in rows), default=0)
    end = next((j for j in range(width) if all(_empty(r[j]) for r in rows if j < len(r))), width)
    return [r[:end] for r in rows]


def _data_sheet(ws: Any) -> dict[str, str]:
    out = {}
    for row in ws.iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            out[row[0]] = "".join(str(v) for v in row[1:] if v is not None)
    return out


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def columns_of(header: tuple[Any, ...], layout: Layout) -> tuple[dict[int, Column], dict[int, str]]:
    """Known columns by 0-based position, and the labels of columns the template does not have."""
    names = {normalise(c.header): c for c in layout.columns}
    known: dict[int, Column] = {}
    extras: dict[int, str] = {}
    for i, value in enumerate(header):
        if value is None:
            continue
        col = names.get(normalise(value))
        if col is not None:
            known[i] = col
        else:
            extras[i] = str(value)
    return known, extras



def _scenario(cells: tuple[Any, ...], columns: dict[int, Column], extras: dict[int, str], layout: Layout,
              path: Path, row: int) -> Scenario | None:
    values = {col.key: cells[i] for i, col in columns.items() if i < len(cells) and col.kind in INPUT_KINDS
              and not _empty(cells[i])}
    added = {label: cells[i] for i, label in extras.items() if i < len(cells) and not _empty(cells[i])}
    if not values and not added:
        return None
    s = Scenario()
    try:
        data = json.loads(values.pop("data")) if "data" in values else {}
    except json.JSONDecodeError as exc:
        raise WorkbookError("de skjulte dataene er ødelagt (ugyldig JSON)", file=path, sheet=SHEET, row=row) from exc
    s.raw = dict(data.get("raw", {}))
    s.source = dict(data.get("source", {}))
    s.extra = {**data.get("extra", {}), **{k: _plain(v) for k, v in added.items()}}
    s.consequences = dict(data.get("consequences", {}))
    notes: list[str] = []
    for key, value in values.items():
        col = next(c for c in columns.values() if c.key == key)
        if col.kind == "text" and col.field:
            setattr(s, col.field, _as_text(value))
        elif col.kind in ("probability", "consequence") and col.field:
            cls = _class(value, col, layout, s.raw, notes)
            target = s if col.phase == "before" else s.residual
            if col.kind == "probability":
                target.probability = cls
            else:
                target.consequences[col.field] = cls
        elif col.kind == "choice" and col.field:
            setattr(s, col.field, BY_PATH[col.field].choice_key(value) or _as_text(value))
        elif col.kind == "review":
            text = _as_text(value) or ""
            exact = data.get("review")
            s.review = exact if isinstance(exact, list) and "\n".join(exact) == text else text.split("\n")
    s.review += [note for note in notes if note not in s.review]
    return s


def _class(value: Any, col: Column, layout: Layout, raw: dict[str, str], notes: list[str]) -> int | None:
    """The class of a class cell (see the module doc); a raw fact's text is kept in ``raw``.

    ``native``: a raw fact has no class, and the class the criteria read in it becomes a note.
    ``xlwings``: the criteria read it, as the worksheet functions do.
    """
    c, language = layout.criteria, layout.language
    kind: Kind = "probability" if col.kind == "probability" else "consequence"
    found = class_in_cell(value, c, language, kind)
    if found is not None:
        return found
    text = value.strip() if isinstance(value, str) else (_as_text(value) or "")
    area = None if kind == "probability" else col.field
    if layout.flavour == "native" or not isinstance(value, str):
        raw[col.key] = text
        hint = suggestion_of(value, c, language, area) if layout.flavour == "native" else None
        if hint is not None:
            notes.append(hint.note)
        return None
    reading = c.read_probability(value) if area is None else c.read_consequence(area, value)
    if not (reading.ok and reading.how == f"klasse {reading.value}"):
        raw[col.key] = text
    return reading.value


def _as_text(value: Any) -> str | None:
    if _empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _plain(value: Any) -> Any:
    return _as_text(value) if isinstance(value, (dt.date, dt.datetime)) else value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
