"""Colour per row: fills and conditional formats, expression rules included (issue 10, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill

import rosxl
from rosxl.conversion.cfrules import holds, parse
from tests.sheets import new_sheet

VALUES = {(6, 7): 13, (7, 7): 2, (8, 7): 1, (6, 8): "Rød"}


@pytest.mark.parametrize(("formula", "expected"), [
    ("=$H7>12", [True, False, False]), ("=AND($H7>1,$H7<3)", [False, True, False]),
    ("=OR($H7=1,$H7>12)", [True, False, True]), ("=NOT($H7=2)", [True, False, True]),
    ('=$I$7="rød"', [True, True, True]), ("=H7", [True, True, True])])
def test_expression_rules(formula: str, expected: list[bool]) -> None:
    node = parse(formula)
    assert node is not None
    assert [holds(node, lambda r, c: VALUES.get((r, c)), (i, 0)) for i in range(3)] == expected


@pytest.mark.parametrize("formula", ["=SUM(H7)>1", "=INDIRECT(\"A1\")", "=$H7>", "=AND($H7>1", "=1+1"])
def test_anything_else_is_not_read(formula: str) -> None:
    assert parse(formula) is None


def test_expression_rule_colour_and_colour_per_row(tmp_path: Path) -> None:
    wb, ws = new_sheet()
    ws.append(["Nr", "Hendelse", "Prioritet", "Risiko", "S", "K"])
    ws.append([1, "Flom", 1, None])
    ws.append([2, "Brann", 2, None])
    ws.append([3, "Ras", 3, None])
    ws.append([4, "Storm", None, None, 2, 2])  # its zone comes from its classes, not from a colour
    ws.append([5, "Tørke", None, None])
    ws["D6"].fill = PatternFill("solid", fgColor="FF0000")  # a direct fill on one row only
    for formula, colour in (("=$C2=1", "FF0000"), ("=AND($C2>1,$C2<3)", "FFC000"), ("=$C2>=3", "00B050")):
        ws.conditional_formatting.add("D2:D5", FormulaRule(  # type: ignore[no-untyped-call]
            formula=[formula.removeprefix("=")],
                                                          fill=PatternFill("solid", bgColor=colour)))
    path = tmp_path / "uttrykk.xlsx"
    wb.save(path)
    analysis, report = rosxl.convert(path)
    assert [s.zone for s in analysis.scenarios] == ["red", "yellow", "green", "green", "red"]
    assert analysis.scenarios[3].raw.get("zone") is None
    assert any(p.code == "zone-from-colour" for p in report.problems)
