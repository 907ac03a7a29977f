"""The workbook computed by a real spreadsheet engine: LibreOffice recalculates the typed classes.

All files of the module go through one LibreOffice start (``recalculated``), which is why the
cases are built together.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from rosxl.analysis import Analysis
from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout
from rosxl.workbook.write import write_workbook
from tests.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

PAIRS = [(p, k) for p in range(1, 6) for k in range(1, 6)]
CASES = ("standard", "luster-2013")


def type_pairs(path: Path, criteria: Criteria, language: str) -> None:
    """Type the 25 (probability, consequence) pairs into the template, as a user would."""
    layout = Layout(criteria, language)  # type: ignore[arg-type]
    wb = load_workbook(path)
    ws = wb[SHEET]
    for i, (p, k) in enumerate(PAIRS):
        r = FIRST_ROW + i
        ws.cell(r, layout["id"].index, f"N{i + 1}")
        ws.cell(r, layout["probability"].index, p)
        for a in criteria.area_keys:
            ws.cell(r, layout[f"consequences.{a}"].index, k)
    wb.save(path)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("typed")
    files = {}
    for name in CASES:
        c = load_criteria(name)
        path = write_workbook(Analysis(c), src / f"{name}.xlsx")
        type_pairs(path, c, c.language)
        files[name] = path
    # an advisor edits one matrix cell on Kriterier: standard p=1, k=1 becomes red
    edited = src / "edited.xlsx"
    edited.write_bytes(files["standard"].read_bytes())
    wb = load_workbook(edited)
    from rosxl.workbook.criteria_sheet import criteria_block

    m = criteria_block(load_criteria("standard"), "nb").places.matrices[0]
    wb["Kriterier"].cell(m.top + m.rows, m.left + 1, "red")
    wb.save(edited)
    files["edited"] = edited
    out = convert(list(files.values()), "xlsx:Calc MS Excel 2007 XML", tmp_path_factory.mktemp("recalculated"))
    return dict(zip(files, out, strict=True))


@pytest.mark.parametrize("name", CASES)
def test_zones_equal_criteria_for_every_pair(recalculated: dict[str, Path], name: str) -> None:
    c = load_criteria(name)
    layout = Layout(c, c.language)
    ws = load_workbook(recalculated[name], data_only=True)[SHEET]
    for i, (p, k) in enumerate(PAIRS):
        r = FIRST_ROW + i
        for a in c.area_keys:
            want = c.zone_def(c.zone(p, k, a)).label(c.language)  # type: ignore[arg-type]
            assert ws.cell(r, layout[f"zone.{a}"].index).value == want, (name, p, k, a)
        worst = c.worst_zone([c.zone(p, k, a) for a in c.area_keys])
        assert ws.cell(r, layout["zone"].index).value == c.zone_def(worst).label(c.language)  # type: ignore[arg-type]
        assert ws.cell(r, layout["score"].index).value == c.risk_score(p, k)


def test_risk_matrix_places_ids(recalculated: dict[str, Path]) -> None:
    wb = load_workbook(recalculated["luster-2013"], data_only=True)
    cells = [c for row in wb["Risikomatrise"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    # before measures, p=5 k=5 is the last pair (N25) in both matrices; nothing spills over
    assert cells.count("N25") == 2 and cells.count("N1") == 2


def test_edited_matrix_cell_changes_zone(recalculated: dict[str, Path], standard: Criteria) -> None:
    layout = Layout(standard, "nb")
    ws = load_workbook(recalculated["edited"], data_only=True)[SHEET]
    red = standard.zone_def("red").label.nb
    green = standard.zone_def("green").label.nb
    assert ws.cell(FIRST_ROW, layout["zone.okonomi"].index).value == red  # pair (1, 1)
    assert ws.cell(FIRST_ROW + 1, layout["zone.okonomi"].index).value == green  # pair (1, 2) unchanged
    assert ws.cell(FIRST_ROW, layout["zone"].index).value == red
