"""Read a filled standard workbook back into the canonical :class:`~rosxl.analysis.Analysis`.

The criteria come from the workbook's own Kriterier block (so a municipality's edits count),
the scenarios from the Scenarier table by header, the hidden data from the ``rosxl`` sheet and
the table's hidden data column. Zones and scores are recomputed from the classes with the
workbook's criteria; cached formula results are not trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria import Criteria
from rosxl.criteria.model import Language, Reading
from rosxl.errors import RosxlError, WorkbookError
from rosxl.text import as_int, normalise
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.criteria_sheet import criteria_from_grid
from rosxl.workbook.layout import FIRST_ROW, INPUT_KINDS, SHEET, UNCERTAINTY_LABELS, Column, Flavour, Layout, layout_for
from rosxl.workbook.write import DATA_SHEET


@dataclass
class ReadResult:
    """An analysis and, for each scenario, the sheet row it came from."""

    analysis: Analysis
    rows: list[int]
    layout: Layout


def read_analysis(path: str | Path) -> Analysis:
    """The analysis in a standard workbook written by :func:`rosxl.write_workbook` (and filled in)."""
    return read_workbook(path).analysis


def read_workbook(path: str | Path) -> ReadResult:
    """Like :func:`read_analysis`, with the sheet row of each scenario (for messages)."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise WorkbookError("finner ikke arbeidsboka", file=path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"kan ikke åpne arbeidsboka som .xlsx ({exc})", file=path) from exc
    try:
        for name in (CRITERIA_SHEET, SHEET):
            if name not in wb.sheetnames:
                raise WorkbookError(f"ikke en rosxl-arbeidsbok: arket «{name}» mangler", file=path)
        grid = [list(r) for r in wb[CRITERIA_SHEET].iter_rows(values_only=True)]
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
    columns, extras = _columns(rows[0], layout)
    scenarios, numbers = [], []
    for r, cells in enumerate(rows[1:], start=FIRST_ROW):
        scenario = _scenario(cells, columns, extras, criteria, path, r)
        if scenario is not None:
            scenarios.append(assess_scenario(scenario, criteria))
            numbers.append(r)
    analysis = Analysis(criteria, scenarios, _json(data.get("metadata")), _json(data.get("report")))
    return ReadResult(analysis, numbers, layout)


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


def _columns(header: tuple[Any, ...], layout: Layout) -> tuple[dict[int, Column], dict[int, str]]:
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



def _scenario(cells: tuple[Any, ...], columns: dict[int, Column], extras: dict[int, str], criteria: Criteria,
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
    for key, value in values.items():
        col = next(c for c in columns.values() if c.key == key)
        if col.kind == "text" and col.field:
            setattr(s, col.field, _as_text(value))
        elif col.kind == "probability":
            cls = _class(criteria.read_probability(value) if isinstance(value, str) else None, value,
                         criteria.probability_levels, s.raw, key)
            if col.phase == "before":
                s.probability = cls
            else:
                s.residual.probability = cls
        elif col.kind == "consequence" and col.field:
            reading = criteria.read_consequence(col.field, value) if isinstance(value, str) else None
            cls = _class(reading, value, criteria.consequence_levels_count, s.raw, key)
            (s.consequences if col.phase == "before" else s.residual.consequences)[col.field] = cls
        elif col.kind == "uncertainty":
            s.uncertainty = _uncertainty(value)
        elif col.kind == "review":
            text = _as_text(value) or ""
            exact = data.get("review")
            s.review = exact if isinstance(exact, list) and "\n".join(exact) == text else text.split("\n")
    return s


def _class(reading: Reading | None, value: Any, levels: int, raw: dict[str, str], key: str) -> int | None:
    """A class from a cell: a whole number within the scale, or a text the criteria can read.

    Text (a label or a raw fact) is kept in ``raw``; so is a number outside the scale.
    """
    if reading is None:
        number = as_int(value) if not isinstance(value, bool) else None
        if number is not None and 1 <= number <= levels:
            return number
        raw[key] = _as_text(value) or ""
        return None
    if not (reading.ok and reading.how == f"klasse {reading.value}"):
        raw[key] = value.strip() if isinstance(value, str) else str(value)
    return reading.value


def _uncertainty(value: Any) -> str:
    text = normalise(value)
    for key, labels in UNCERTAINTY_LABELS.items():
        if text == key or text in (normalise(x) for x in labels):
            return key
    return _as_text(value) or ""


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
