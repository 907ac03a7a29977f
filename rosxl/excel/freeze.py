"""Freeze a workbook: replace every ``ros_*`` formula by its value, computed in Python.

A workbook of the xlwings flavour calls the worksheet functions as plain top-level formulas,
``=ros_<name>(arg, …)``, each argument being a cell reference (``B3``, ``$B$3``,
``Kriterier!$B$3``, ``'Mitt ark'!A1``), a range, a defined name (``ros_kriterier``), a string
literal in double quotes, a number, or empty. :func:`freeze` evaluates exactly that grammar with
the same functions Excel calls through the add-in (:mod:`rosxl.excel.functions`, without
xlwings), passing each argument in the shape
xlwings passes it (one cell: a value; one row or column: a list; a block: a list of rows;
numbers as floats; empty and error cells as ``None``). Results replace the formulas; a block
result is written from the formula's cell to the right and down, as Excel spills it. A ``ros_*``
call inside another formula (the template's guarded class helpers,
``=IF(…,ros_sannsynlighet(G2,ros_kriterier_token))``) is replaced by its value as a literal, when its
arguments are of that grammar; the rest of the formula stays. Every other formula is left alone
for the next spreadsheet program to recompute, and so is a ``ros_*`` formula outside the grammar
(the report lists it). The output is a macro-free ``.xlsx``
that pandas, LibreOffice and Excel without the add-in read correctly.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from rosxl.analysis import VERSION
from rosxl.errors import RosxlError, WorkbookError
from rosxl.excel.functions import FUNCTIONS
from rosxl.safety.limits import Limits
from rosxl.safety.outputs import MARKER_SHEET, write_output
from rosxl.safety.reading import read_guarded

_CALL = re.compile(r"=\s*(?:_xludf\.)?(ros_[a-z_]+)\s*\((.*)\)\s*", re.IGNORECASE | re.DOTALL)
_STRING = re.compile(r'"((?:[^"]|"")*)"')
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_REFERENCE = re.compile(rf"(?:(?P<sheet>'(?:[^']|'')+'|[^'!:\s(),\"]+)!)?(?P<a>{_CELL})(?::(?P<b>{_CELL}))?")
_NAME = re.compile(r"[A-Za-z_\\][\w.]*")
_INNER_CALL = re.compile(r'(?<![\w.])(?:_xludf\.)?(ros_[a-z_]+)\s*\(((?:[^()"]|"(?:[^"]|"")*")*)\)', re.IGNORECASE)

Key = tuple[str, str]  # (sheet title, coordinate such as "B3")


class NotFrozen(Exception):
    """A ``ros_*`` formula that :func:`freeze` cannot evaluate; the message says why."""


@dataclass
class FreezeReport:
    """What :func:`freeze` did: formulas replaced, and those left with the reason."""

    source: str
    target: str
    frozen: dict[str, Any] = field(default_factory=dict)  # "Ark!B3" -> value (top-left of a block)
    skipped: dict[str, str] = field(default_factory=dict)  # "Ark!B3" -> reason

    @property
    def ok(self) -> bool:
        return not self.skipped


#: Freeze holds the whole workbook in memory (openpyxl's normal mode, about 15 s and 600 MiB for a
#: sheet of a million styled rows), so it takes a smaller claimed range than the converter, whose
#: reader streams: 5 million cells is still 100 columns × 50 000 rows.
FREEZE_LIMITS = dataclasses.replace(Limits(), max_claimed_cells=5_000_000)


def freeze(source: str | Path, target: str | Path, overwrite: bool = False, *,
           limits: Limits = FREEZE_LIMITS) -> FreezeReport:
    """Write ``target`` (``.xlsx``): ``source`` with every ``ros_*`` formula replaced by its value.

    ``target`` is checked first (:func:`rosxl.safety.outputs.check_output`: never the source, and
    with ``overwrite`` only a file rosxl wrote); ``source`` is read through the guard, and loading,
    evaluating and saving run in an isolated worker (:func:`rosxl.safety.reading.read_guarded`).
    The output carries a hidden ``rosxl`` sheet, so that a later ``--overwrite`` may replace it.
    """
    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        raise WorkbookError("den frosne arbeidsboken må lagres som .xlsx (uten makroer)", file=target)
    return write_output(target, lambda temporary: read_guarded(
        source, partial(_freeze_into, output=temporary, name=str(target)), limits=limits),
        inputs=[source], overwrite=overwrite)


def _freeze_into(source: Path, output: Path, name: str) -> FreezeReport:
    """Load ``source``, freeze it and save it as ``output`` (runs in the worker)."""
    formulas = _load(source)
    report = FreezeReport(str(source), name)
    _Evaluator(formulas, _Cached(source), report).run()
    if MARKER_SHEET not in formulas.sheetnames:
        marker = formulas.create_sheet(MARKER_SHEET)
        marker.sheet_state = "hidden"
        marker.append(["format", "rosxl-frosset"])
        marker.append(["rosxl", VERSION])
    try:
        formulas.save(output)
    except OSError as exc:  # not the source's fault: say so, not «cannot be read»
        raise WorkbookError("kan ikke skrive den frosne arbeidsboken (er disken full, eller mappen skrivebeskyttet?)",
                            file=name) from exc
    return report


def _load(source: Path, *, data_only: bool = False) -> Workbook:
    """The workbook by content, whatever its extension says (the guard has said it is .xlsx/.xlsm)."""
    return load_workbook(io.BytesIO(source.read_bytes()), data_only=data_only, keep_links=False)


class _Cached:
    """The cached values, loaded only when a ``ros_`` formula refers to another formula's result:
    most workbooks never need them, and a second full load doubles the memory a large one takes."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.workbook: Workbook | None = None

    def __getitem__(self, sheet: str) -> Any:
        if self.workbook is None:
            self.workbook = _load(self.source, data_only=True)
        return self.workbook[sheet]


def is_ros_formula(value: object) -> bool:
    text = value.text if isinstance(value, ArrayFormula) else value
    return isinstance(text, str) and bool(re.match(r"=\s*(?:_xludf\.)?ros_", text, re.IGNORECASE))


class _Evaluator:
    def __init__(self, formulas: Workbook, cached: _Cached, report: FreezeReport) -> None:
        self.wb, self.cached, self.report = formulas, cached, report
        self.results: dict[Key, Any] = {}
        self.ranges: dict[Key, Any] = {}  # a range read once (the criteria block is read by every formula)
        self.busy: set[Key] = set()
        self.functions: dict[str, Callable[..., Any]] = FUNCTIONS

    def run(self) -> None:
        cells = [(ws.title, cell.coordinate) for ws in self.wb.worksheets for row in ws.iter_rows()
                 for cell in row if is_ros_formula(cell.value)]
        inner = [(ws.title, cell.coordinate) for ws in self.wb.worksheets for row in ws.iter_rows()
                 for cell in row if isinstance(cell.value, str) and cell.value.startswith("=")
                 and not is_ros_formula(cell.value) and _INNER_CALL.search(cell.value)]
        for key in cells:
            if key not in self.results and _label(key) not in self.report.skipped:
                try:
                    self._evaluate(key)
                except NotFrozen as exc:
                    self.report.skipped[_label(key)] = str(exc)
        for key in inner:
            try:
                self._substitute(key)
            except NotFrozen as exc:
                self.report.skipped[_label(key)] = str(exc)

    def _substitute(self, key: Key) -> None:
        """Replace each ``ros_*`` call inside the formula at ``key`` by its value, as a literal."""
        cell = self.wb[key[0]][key[1]]
        first: list[Any] = []

        def value(m: re.Match[str]) -> str:
            name = m.group(1).lower()
            if name not in self.functions:
                raise NotFrozen(f"ukjent funksjon {m.group(1)}")
            result = self._call(name, [self._argument(a, key[0]) for a in _split_arguments(m.group(2))], m.group(0))
            if isinstance(result, list):
                raise NotFrozen(f"{m.group(1)} gir en blokk inne i en formel")
            first.append(result)
            return _literal(result)

        cell.value = _INNER_CALL.sub(value, str(cell.value))
        self.report.frozen[_label(key)] = first[0] if first else None

    def _call(self, name: str, args: list[Any], text: str) -> Any:
        """``ros_<name>(*args)`` as Excel would show it: a library error becomes its reason in the cell."""
        function = self.functions[name]
        try:
            inspect.signature(function).bind(*args)
        except TypeError as exc:
            raise NotFrozen(f"feil antall argumenter i {text}") from exc
        try:
            return function(*args)
        except RosxlError as exc:  # the cell shows the reason, as in Excel
            return exc.message

    def _evaluate(self, key: Key) -> None:
        if key in self.busy:
            raise NotFrozen("sirkulær referanse")
        cell = self.wb[key[0]][key[1]]
        formula = str(cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value)
        m = _CALL.fullmatch(formula)
        if m is None or m.group(1).lower() not in self.functions:
            raise NotFrozen(f"ikke en enkel ros_-formel: {formula}")
        self.busy.add(key)
        try:
            args = [self._argument(a, key[0]) for a in _split_arguments(m.group(2))]
            result = self._call(m.group(1).lower(), args, formula)
        finally:
            self.busy.discard(key)
        self._write(key, cell, result)

    def _write(self, key: Key, cell: Any, result: Any) -> None:
        ws = self.wb[key[0]]
        if isinstance(cell.value, ArrayFormula):
            for row in ws[cell.value.ref]:
                for c in (row if isinstance(row, tuple) else (row,)):
                    c.value = None
        block = result if isinstance(result, list) else [[result]]
        for i, line in enumerate(block):
            for j, value in enumerate(line):
                target = ws.cell(row=cell.row + i, column=cell.column + j)
                target.value = None if value == "" else value
                self.results[(key[0], target.coordinate)] = target.value
        self.report.frozen[_label(key)] = block[0][0] if block and block[0] else None

    def _argument(self, text: str, sheet: str) -> Any:
        text = text.strip()
        if not text:
            return None
        if m := _STRING.fullmatch(text):
            return m.group(1).replace('""', '"')
        if _NUMBER.fullmatch(text):
            return float(text)
        if m := _REFERENCE.fullmatch(text):
            where = _unquote(m.group("sheet")) if m.group("sheet") else sheet
            return self._range(where, m.group("a").replace("$", "") + (
                f":{m.group('b').replace('$', '')}" if m.group("b") else ""))
        if _NAME.fullmatch(text):
            return self._name(text, sheet)
        raise NotFrozen(f"argumentet «{text}» er ikke en referanse, et navn, en tekst eller et tall")

    def _name(self, name: str, sheet: str) -> Any:
        local = self.wb[sheet].defined_names
        defined = local.get(name) or self.wb.defined_names.get(name)
        if defined is None:
            lower = {k.lower(): v for k, v in self.wb.defined_names.items()}
            defined = lower.get(name.lower())
        if defined is None:
            raise NotFrozen(f"ukjent navn «{name}»")
        places = list(defined.destinations)
        if len(places) != 1:
            raise NotFrozen(f"navnet «{name}» peker ikke på ett område")
        where, ref = places[0]
        return self._range(where, ref.replace("$", ""))

    def _range(self, sheet: str, ref: str) -> Any:
        if sheet not in self.wb.sheetnames:
            raise NotFrozen(f"ukjent ark «{sheet}»")
        if ":" not in ref:
            return self._value(sheet, ref)
        key = (sheet, ref.upper())
        if key not in self.ranges:
            self.ranges[key] = self._read_range(sheet, ref)
        return self.ranges[key]

    def _read_range(self, sheet: str, ref: str) -> Any:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
        assert low_col and low_row and high_col and high_row
        rows = [[self._value(sheet, f"{get_column_letter(c)}{r}") for c in range(low_col, high_col + 1)]
                for r in range(low_row, high_row + 1)]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if all(len(r) == 1 for r in rows):
            return [r[0] for r in rows]
        return rows

    def _value(self, sheet: str, coordinate: str) -> Any:
        """A cell's value as Excel hands it to a function."""
        coordinate_from_string(coordinate)  # validates
        key = (sheet, coordinate.upper())
        if key in self.results:
            return self.results[key]
        cell = self.wb[sheet][coordinate]
        value = cell.value
        if is_ros_formula(value):
            self._evaluate(key)
            return self.results.get(key)
        if isinstance(value, (str, ArrayFormula)) and (isinstance(value, ArrayFormula) or value.startswith("=")):
            cached = self.cached[sheet][coordinate]
            value = None if cached.data_type == "e" else cached.value
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value


def _split_arguments(text: str) -> list[str]:
    """Split on top-level commas, keeping quoted strings and sheet names whole."""
    if not text.strip():
        return []
    parts, current, quote = [], [], ""
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""  # a doubled quote re-opens at once on the next character
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == ",":
            parts.append("".join(current))
            current = []
        elif ch in "()":
            raise NotFrozen("nestede uttrykk er ikke støttet")
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _literal(value: Any) -> str:
    """A value as a formula literal: a number, or a string in double quotes (empty for nothing)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(int(value)) if float(value).is_integer() else repr(float(value))
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"'


def _unquote(sheet: str) -> str:
    return sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet


def _label(key: Key) -> str:
    return f"{key[0]}!{key[1]}"
