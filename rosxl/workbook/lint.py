"""What Excel repairs or refuses although the schema allows it: a semantic lint of an ``.xlsx`` file.

A schema check (``openxml-audit``) passes files that Excel still "repairs" on opening. This lint
checks what such repairs are most often about, on any ``.xlsx`` (a rosxl workbook or not):

- a table's header cell text differs from its ``tableColumn`` name, or two column names are equal
  ignoring case (``lint-table-header``, ``lint-table-duplicate``);
- merged ranges overlap each other or a table (``lint-merge-overlap``);
- a data validation's list or message is longer than Excel allows (``lint-validation-length``);
- a formula (cell, conditional format, validation, defined name) does not tokenize
  (``lint-formula-syntax``);
- a defined name is not a valid Excel name (``lint-defined-name``);
- a function newer than Excel 2007 is written without its ``_xlfn.`` prefix (``lint-xlfn-prefix``):
  Excel then shows ``#NAME?``.

Findings carry codes of the problem registry (``rosxl/data/problems/lint.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from rosxl import problems

#: Excel's limits: a list validation's source text, its messages and their titles.
MAX_LIST, MAX_MESSAGE, MAX_TITLE = 255, 255, 32
#: Functions that Excel 2010 and later store with the ``_xlfn.`` prefix (the common ones).
NEWER_FUNCTIONS = frozenset({
    "AGGREGATE", "CEILING.MATH", "CONCAT", "DAYS", "FILTER", "FLOOR.MATH", "FORMULATEXT", "IFNA", "IFS", "ISOWEEKNUM",
    "LAMBDA", "LET", "MAXIFS", "MINIFS", "NUMBERVALUE", "RANDARRAY", "SEQUENCE", "SHEET", "SHEETS", "SORT", "SORTBY",
    "STDEV.P", "STDEV.S", "SWITCH", "TEXTJOIN", "UNIQUE", "VAR.P", "VAR.S", "XLOOKUP", "XMATCH", "XOR",
})
_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\?]*")
_CELL_LIKE = re.compile(r"(?:[A-Za-z]{1,3}\d+|[RrCc]|[Rr]\d*[Cc]\d*)")

Box = tuple[int, int, int, int]  # min column, min row, max column, max row


@dataclass(frozen=True)
class Finding:
    """One problem: its registered code, where it is (``Ark!A1``, a name, a part) and the message."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


def lint_workbook(path: str | Path) -> list[Finding]:
    """Every finding of the semantic lint in the ``.xlsx`` at ``path`` (none: Excel has nothing to repair)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    findings: list[Finding] = []
    for name, defined in wb.defined_names.items():
        findings += _name(name, name)
        findings += _formula(defined.attr_text, f"navnet {name}")
    for ws in wb.worksheets:
        for name, defined in ws.defined_names.items():
            findings += _name(name, f"{ws.title}!{name}")
            findings += _formula(defined.attr_text, f"navnet {ws.title}!{name}")
        findings += _tables(ws)
        findings += _merges(ws)
        findings += _validations(ws)
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                if cell.data_type == "f" and isinstance(value, str):
                    findings += _formula(value, f"{ws.title}!{cell.coordinate}")
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                for formula in rule.formula or []:
                    findings += _formula(formula, f"{ws.title}!{cf.sqref} (betinget formatering)")
    return findings


def _finding(code: str, where: str, **values: Any) -> Finding:
    return Finding(code, where, problems.get(code).message(**values))


def _box(ref: str) -> Box:
    low_col, low_row, high_col, high_row = range_boundaries(ref)
    assert low_col and low_row and high_col and high_row
    return low_col, low_row, high_col, high_row


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _tables(ws: Any) -> Iterator[Finding]:
    for table in ws.tables.values():
        left, top, _, _ = _box(table.ref)
        names = [c.name for c in table.tableColumns]
        for i, name in enumerate(names):
            cell = ws.cell(top, left + i)
            if (table.headerRowCount is None or table.headerRowCount) and str(cell.value or "") != name:
                yield _finding("lint-table-header", f"{ws.title}!{cell.coordinate}", table=table.displayName,
                               header=cell.value or "", name=name)
        seen: dict[str, str] = {}
        for name in names:
            if name.casefold() in seen:
                yield _finding("lint-table-duplicate", f"{ws.title}!{table.ref}", table=table.displayName, name=name)
            seen[name.casefold()] = name


def _merges(ws: Any) -> Iterator[Finding]:
    merged = [(str(m), _box(str(m))) for m in ws.merged_cells.ranges]
    for (a, box_a), (b, box_b) in combinations(merged, 2):
        if _overlap(box_a, box_b):
            yield _finding("lint-merge-overlap", f"{ws.title}!{a}", first=a, second=b)
    for table in ws.tables.values():
        for ref, box in merged:
            if _overlap(box, _box(table.ref)):
                yield _finding("lint-merge-overlap", f"{ws.title}!{ref}", first=ref, second=table.displayName)


def _validations(ws: Any) -> Iterator[Finding]:
    for dv in ws.data_validations.dataValidation:
        where = f"{ws.title}!{dv.sqref}"
        formula = dv.formula1 or ""
        if dv.type == "list" and formula.startswith('"') and len(formula) - 2 > MAX_LIST:
            yield _finding("lint-validation-length", where, what="listen", length=len(formula) - 2, limit=MAX_LIST)
        for what, text, limit in (("meldingen", dv.prompt, MAX_MESSAGE), ("feilmeldingen", dv.error, MAX_MESSAGE),
                                  ("tittelen", dv.promptTitle, MAX_TITLE), ("feiltittelen", dv.errorTitle, MAX_TITLE)):
            if text and len(text) > limit:
                yield _finding("lint-validation-length", where, what=what, length=len(text), limit=limit)
        if formula and not formula.startswith('"'):
            yield from _formula("=" + formula, f"{where} (datavalidering)")


def _formula(text: str, where: str) -> list[Finding]:
    formula = text if text.startswith("=") else "=" + text
    try:
        tokens = Tokenizer(formula).items
    except IndexError:  # a «)» without its «(»
        return [_finding("lint-formula-syntax", where, formula=text, reason="en «)» uten «(»")]
    except TokenizerError:
        return [_finding("lint-formula-syntax", where, formula=text,
                         reason="en tekst, en klamme eller et ark-navn slutter ikke")]
    opened = sum(t.subtype == Token.OPEN for t in tokens) - sum(t.subtype == Token.CLOSE for t in tokens)
    if opened:  # the tokenizer accepts a formula that ends inside a bracket
        return [_finding("lint-formula-syntax", where, formula=text, reason=f"{opened} «(» uten «)»")]
    if tokens and tokens[-1].type == Token.OP_IN:
        return [_finding("lint-formula-syntax", where, formula=text, reason="slutter med en operator")]
    found = []
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper()
            if name in NEWER_FUNCTIONS:
                found.append(_finding("lint-xlfn-prefix", where, function=name))
    return found


def _name(name: str, where: str) -> list[Finding]:
    if name.startswith("_xlnm."):
        return []
    if len(name) > 255 or not _NAME.fullmatch(name) or _CELL_LIKE.fullmatch(name):
        return [_finding("lint-defined-name", where, name=name)]
    return []
