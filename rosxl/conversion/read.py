"""Read a legacy file into plain grids of values: .xlsx, .xlsm, .xls, .ods (python-calamine) and .csv.

Values come from python-calamine, which reads cached results of formulas and never runs macros
or follows external links. Fill colours are read separately, with openpyxl, and only when the
converter finds that colour carries meaning (:func:`read_fills`): a risk column with no readable
values. Every failure of a library becomes an :class:`~rosxl.errors.InputRefusedError` with a
stable code, so a hostile file can never raise anything else.
"""

from __future__ import annotations

import codecs
import colorsys
import csv
import datetime as dt
import io
import math
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rosxl.conversion.cfrules import holds as rule_holds
from rosxl.conversion.cfrules import parse as parse_rule
from rosxl.errors import InputRefusedError, RosxlError
from rosxl.safety.failures import refusal
from rosxl.safety.guard import extension_warning, inspect
from rosxl.safety.limits import Limits

Cell = tuple[int, int]  # (row, column), 0-based
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
_EXACT = 2**53  # floats are whole numbers exactly up to here


@dataclass
class Sheet:
    """One sheet as a grid of values (``None`` when empty), 0-based rows and columns."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1)
    hidden: bool = False
    fills: dict[Cell, str] = field(default_factory=dict)  # RRGGBB of cells whose fill is a colour
    formatted: set[Cell] = field(default_factory=set)  # of those, the cells a conditional format colours

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Book:
    """A legacy file's sheets and what kind of file it really is."""

    path: Path
    format: str  # "xlsx" | "xlsm" | "xls" | "ods" | "csv"
    sheets: list[Sheet]
    fills_read: bool = False
    note: str | None = None  # the guard's note when the name's extension lies about the content

    @property
    def can_read_fills(self) -> bool:
        return self.format in ("xlsx", "xlsm")


def read_book(path: Path, limits: Limits | None = None) -> Book:
    """Read every sheet of ``path`` after the safety guard has checked its content and limits."""
    kind = inspect(path, limits or Limits())
    try:
        sheets = [_read_csv(path)] if kind == "csv" else _read_calamine(path)
    except RosxlError:
        raise
    except Exception as exc:  # a library failing on a broken file: refuse the file, never crash
        raise refusal(exc, path.name) from exc
    return Book(path, kind, sheets, note=extension_warning(path, kind))


def _value(v: Any) -> Any:
    """A calamine value as rosxl uses it: ``None`` for empty (or only spaces), whole floats as ints
    (up to 2⁵³, where floats stop being exact), NaN and infinity (which no spreadsheet application
    writes, and JSON lacks) as text, dates as ISO text. Text is kept exactly as decoded (spaces,
    dashes, line breaks): it is only normalised where it is compared (:func:`rosxl.text.normalise`)."""
    if v == "" or v is None:
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        return int(v) if v.is_integer() and abs(v) <= _EXACT else v
    if isinstance(v, str):
        return v if not v.isspace() else None
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        if isinstance(v, dt.datetime) and v.time() == dt.time():
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return v


def _read_calamine(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with path.open("rb") as handle:  # by content: the guard has said what it is, whatever the extension
        wb = CalamineWorkbook.from_filelike(handle)
    try:
        sheets = []
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            while rows and not any(v is not None for v in rows[-1]):
                rows.pop()
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append(Sheet(meta.name, rows, merged, hidden=meta.visible != SheetVisibleEnum.Visible))
        return sheets
    finally:
        wb.close()


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = codecs.decode(data, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined
        raise InputRefusedError("CSV-filen er verken UTF-8 eller Windows-1252", code="csv-encoding", file=path.name)
    first = text[:4096]
    delimiter = max(";,\t", key=first.count)
    try:
        rows = [[_value(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputRefusedError("CSV-filen kan ikke leses: den har NUL-tegn, for lange felt eller feil bruk av "
                                "anførselstegn", code="csv-invalid", file=path.name) from exc
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return Sheet(path.stem, rows)


# --- colours ------------------------------------------------------------------------------------

_CF_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equal": operator.eq, "notEqual": operator.ne, "greaterThan": operator.gt, "lessThan": operator.lt,
    "greaterThanOrEqual": operator.ge, "lessThanOrEqual": operator.le,
}


def read_fills(book: Book, sheet_names: set[str]) -> bool:
    """Add the fill colour of every coloured cell of the named sheets (direct fills and conditional
    formats of type «cell value» or «expression», evaluated on the cached values, by priority;
    see :mod:`rosxl.conversion.cfrules`). xlsx/xlsm only; ``False`` when the colours cannot be read."""
    if book.fills_read or not book.can_read_fills:
        return book.fills_read
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(book.path.read_bytes()),  # by content: an .xlsx named .xls
                                        data_only=True, keep_links=False, keep_vba=False)
    except Exception:  # the values were read; colours are extra evidence, so their loss is reported, not fatal
        return False
    try:
        for sheet in book.sheets:
            if sheet.name in sheet_names and sheet.name in wb.sheetnames:
                _sheet_fills(wb[sheet.name], sheet)
    finally:
        wb.close()
    book.fills_read = True
    return True


def _sheet_fills(ws: Any, sheet: Sheet) -> None:
    for row in ws.iter_rows(max_row=len(sheet.rows)):
        for cell in row:
            colour = _colour(cell.fill.fgColor) if cell.fill is not None and cell.fill.fill_type == "solid" else None
            if colour:
                sheet.fills[(cell.row - 1, cell.column - 1)] = colour
    rules = sorted(((rule.priority or 0, i, rule, cf.sqref.ranges) for i, cf in enumerate(ws.conditional_formatting)
                    for rule in cf.rules), key=lambda item: (item[0], item[1]))
    for _, _, rule, ranges in rules:  # by priority: the first rule that holds colours the cell
        fill = rule.dxf.fill if rule.dxf is not None else None
        colour = _colour(fill.bgColor) or _colour(fill.fgColor) if fill is not None else None
        if not colour:
            continue
        if rule.type == "expression":
            node = parse_rule(str((rule.formula or [""])[0]))
            if node is None:
                continue
            for cell_range in ranges:
                c0, r0, _, _ = cell_range.bounds
                for r, c in _cells(cell_range.bounds):
                    if (r, c) not in sheet.fills and rule_holds(node, sheet.value, (r - r0 + 1, c - c0 + 1)):
                        sheet.fills[(r, c)] = colour
                        sheet.formatted.add((r, c))
            continue
        test = _CF_OPERATORS.get(rule.operator or "") if rule.type == "cellIs" else None
        if rule.type != "cellIs" or (test is None and rule.operator not in ("between", "notBetween")):
            continue
        bounds = [_number(f) for f in rule.formula or []]
        if any(b is None for b in bounds) or not bounds:
            continue
        for cell_range in ranges:
            for r, c in _cells(cell_range.bounds):
                v = sheet.value(r, c)
                if isinstance(v, (int, float)) and _holds(rule.operator, test, v, bounds) and (r, c) not in sheet.fills:
                    sheet.fills[(r, c)] = colour
                    sheet.formatted.add((r, c))


def _holds(op: str, test: Callable[[Any, Any], bool] | None, v: float, bounds: list[Any]) -> bool:
    if op in ("between", "notBetween"):
        inside = len(bounds) == 2 and min(bounds) <= v <= max(bounds)
        return inside if op == "between" else not inside
    return test is not None and test(v, bounds[0])


def _cells(bounds: tuple[int, int, int, int]) -> list[Cell]:
    c0, r0, c1, r1 = bounds
    return [(r - 1, c - 1) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


def _number(formula: str) -> float | None:
    try:
        return float(str(formula).strip().strip('"'))
    except ValueError:
        return None


def _colour(colour: Any) -> str | None:
    """RRGGBB of an explicit colour; ``None`` for white, black, greys and theme colours."""
    if colour is None or getattr(colour, "type", None) not in ("rgb", "indexed"):
        return None
    if colour.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = colour.indexed
        rgb = COLOR_INDEX[index] if isinstance(index, int) and 0 <= index < len(COLOR_INDEX) else None
    else:
        rgb = colour.rgb
    if not isinstance(rgb, str) or len(rgb) < 6:
        return None
    rgb = rgb[-6:].upper()
    _, _, s = colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    return rgb if s > 0.25 else None
