"""Shared formulas (:func:`rosxl.workbook.ooxml.share_formulas`): smaller sheets, the same formulas.

openpyxl's reader expands a shared formula with its own translator, an implementation independent
of ours: loading a saved workbook must give every cell exactly the formula that was built.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rosxl.criteria import load_criteria
from rosxl.workbook.ooxml import save_workbook, share_formulas
from rosxl.workbook.write import build_workbook
from tests.test_workbook_fast import hostile


def formulas(xml: str) -> dict[str, str]:
    return dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>([^<]*)</f>', xml))


@pytest.mark.parametrize(("name", "language", "flavour"), [("standard", "nb", "native"), ("risc", "nn", "xlwings")])
def test_openpyxl_expands_the_shared_formulas_to_what_was_built(tmp_path: Path, name: str, language: str,
                                                                flavour: str) -> None:
    built = build_workbook(hostile(load_criteria(name)), language, flavour)  # type: ignore[arg-type]
    want = {(ws.title, c.coordinate): c.value for ws in built.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}
    path = tmp_path / "delt.xlsx"
    save_workbook(built, path)
    with zipfile.ZipFile(path) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
    assert xml.count(b't="shared"') > len(want) / 2  # most formulas are shared
    loaded = load_workbook(path)
    got = {(ws.title, c.coordinate): c.value for ws in loaded.worksheets for row in ws.iter_rows() for c in row
           if isinstance(c.value, str) and c.value.startswith("=")}
    assert got == want


def test_a_column_is_shared_only_while_its_formula_stays_the_same_relative_to_the_row() -> None:
    rows = [("A", 2, 'IF(B2="x2",$C$1+B2,Ark!D3)'), ("A", 3, 'IF(B3="x2",$C$1+B3,Ark!D4)'),
            ("A", 4, 'IF(B4="x2",$C$1+B4,Ark!D5)'), ("A", 5, 'IF(B5="x2",$C$1+B4,Ark!D6)'),  # B4: another formula
            ("A", 6, 'IF(B6="x2",$C$1+B5,Ark!D7)'), ("A", 8, 'IF(B8="x2",$C$1+B7,Ark!D9)'),  # row 7 is empty
            ("B", 2, "LOG10(A2)+C$2"), ("B", 3, "LOG10(A3)+C$3")]  # C$2 is absolute: two formulas
    xml = "".join(f'<row r="{r}"><c r="{c}{r}" s="1"><f>{f}</f><v></v></c></row>' for c, r, f in rows).encode()
    shared = share_formulas(xml).decode()
    assert re.findall(r'<c r="(\w+)"[^>]*><f t="shared"(?: ref="([^"]+)")? si="(\d+)"', shared) == [
        ("A2", "A2:A4", "0"), ("A3", "", "0"), ("A4", "", "0"), ("A5", "A5:A6", "1"), ("A6", "", "1")]
    assert formulas(shared) == {"A8": rows[5][2], "B2": rows[6][2], "B3": rows[7][2]}
    assert share_formulas(shared.encode()).decode() == shared  # shared cells are not shared again
