"""``rosxl freeze``: ros_* formulas replaced by the values the functions compute, read back by LibreOffice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from rosxl import udfs
from rosxl.analysis import Analysis, Scenario
from rosxl.criteria import Criteria
from rosxl.errors import OutputExistsError, WorkbookError
from rosxl.excel.freeze import freeze
from rosxl.excel.functions import FUNCTIONS
from rosxl.workbook.criteria_sheet import criteria_to_grid
from tests.libreoffice import convert

ROWS = [("1", 5, 4, "2 døde"), ("2", "1 gang per 20 år", "kr 2,5 mill.", None), ("A-3", "ein gong i året", 1, 1),
        ("4", "tull", 2, 2)]


def grammar_workbook(path: Path, criteria: Criteria) -> Path:
    """Every form of argument the xlwings template may use, plus formulas freeze must leave alone."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Scenarier"
    ws.append(["ID", "Sannsyn", "Økonomi", "Liv og helse"])
    for row in ROWS:
        ws.append(list(row))
    crit = wb.create_sheet("Kriterier")
    grid = criteria_to_grid(criteria, "nn")
    for cells in grid:
        crit.append(cells)
    width = max(len(r) for r in grid)
    wb.defined_names["ros_kriterier"] = DefinedName(
        "ros_kriterier", attr_text=f"Kriterier!$A$1:${openpyxl.utils.get_column_letter(width)}${len(grid)}")
    other = wb.create_sheet("Mitt ark")
    other["A1"] = "hvert 5. år"
    for r in range(2, 6):
        ws[f"E{r}"] = f'=ros_sone(B{r},C{r},"Økonomi",ros_kriterier)'
        ws[f"F{r}"] = f"=ros_sone($B${r},D{r},,ros_kriterier)"
    ws["G2"] = "=ros_sannsynlighet('Mitt ark'!A1, ros_kriterier)"
    ws["G3"] = '=ros_konsekvens("okonomi", Scenarier!C3, ros_kriterier)'
    ws["G4"] = "=ros_risiko(3, 4.0)"
    ws["G5"] = '=_xludf.ros_sannsynlighet("1 gang per 20 år")'
    ws["G6"] = "=ros_sone(G2, 3, \"liv og helse\", ros_kriterier)"  # refers to another ros_ cell
    ws["H1"] = "=ros_soner(B1:D5, ros_kriterier)"  # spills H1:H5
    ws["I1"] = '=COUNTIF(E2:E5,"Raud – uakseptabel")'  # native: LibreOffice recomputes it
    ws["I2"] = "=ros_sone(B2+1,C2)"  # outside the grammar: left alone, reported
    ws["I3"] = "=ros_sone(ros_sannsynlighet(B2),C2)"
    matrix = wb.create_sheet("Matrise")
    matrix["B2"] = "=ros_matrise(Scenarier!A2:A4,Scenarier!$B$2:$B$4,Scenarier!C2:C4,ros_kriterier)"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory, luster: Criteria) -> tuple[Path, Any, list[list[Any]]]:
    tmp = tmp_path_factory.mktemp("freeze")
    source = grammar_workbook(tmp / "grammar.xlsx", luster)
    report = freeze(source, tmp / "grammar-frozen.xlsx")
    grid = [[float(v) if isinstance(v, int) else v for v in row] for row in criteria_to_grid(luster, "nn")]
    return tmp / "grammar-frozen.xlsx", report, grid


def test_every_grammar_form_is_evaluated_like_the_functions(frozen: tuple[Path, Any, list[list[Any]]]) -> None:
    path, report, grid = frozen
    ws = openpyxl.load_workbook(path)["Scenarier"]
    for r, (_, s, k, liv) in enumerate(ROWS, start=2):
        s_ = float(s) if isinstance(s, int) else s
        k_ = float(k) if isinstance(k, int) else k
        liv_ = float(liv) if isinstance(liv, int) else liv
        assert ws[f"E{r}"].value == udfs.ros_sone(s_, k_, "Økonomi", grid)
        assert ws[f"F{r}"].value == udfs.ros_sone(s_, liv_, None, grid)
    assert ws["G2"].value == udfs.ros_sannsynlighet("hvert 5. år", grid) == 3
    assert ws["G3"].value == 4
    assert ws["G4"].value == 12
    assert ws["G5"].value == 2
    assert ws["G6"].value == udfs.ros_sone(3.0, 3.0, "liv og helse", grid)
    assert ws["E5"].value == "ukjent sannsynlighet: «tull»"


def test_block_results_spill_right_and_down(frozen: tuple[Path, Any, list[list[Any]]]) -> None:
    path, _, grid = frozen
    wb = openpyxl.load_workbook(path)
    table = [["Sannsyn", "Økonomi", "Liv og helse"], *[[float(c) if isinstance(c, int) else c for c in row[1:]]
                                                     for row in ROWS]]
    expected = udfs.ros_soner(table, grid)
    assert [[wb["Scenarier"][f"H{r}"].value] for r in range(1, 6)] == expected
    assert expected[0] == ["Sone"]
    picture = [[wb["Matrise"].cell(row=2 + i, column=2 + j).value for j in range(5)] for i in range(5)]
    assert picture[0][3] == "1"  # p 5, k 4
    assert picture[1][0] == "A-3"  # p 4, k 1


def test_other_formulas_stay_and_odd_ones_are_reported(frozen: tuple[Path, Any, list[list[Any]]]) -> None:
    path, report, _ = frozen
    ws = openpyxl.load_workbook(path)["Scenarier"]
    assert ws["I1"].value == '=COUNTIF(E2:E5,"Raud – uakseptabel")'
    assert ws["I2"].value == "=ros_sone(B2+1,C2)"
    assert report.skipped == {
        "Scenarier!I2": "argumentet «B2+1» er ikke en referanse, et navn, en tekst eller et tall",
        "Scenarier!I3": "nestede uttrykk er ikke støttet"}
    assert not report.ok and len(report.frozen) == 15


def test_freeze_refuses_to_overwrite_and_wants_xlsx(tmp_path: Path, luster: Criteria) -> None:
    source = grammar_workbook(tmp_path / "a.xlsx", luster)
    with pytest.raises(OutputExistsError):
        freeze(source, source, overwrite=True)
    with pytest.raises(WorkbookError, match=r"\.xlsx"):
        freeze(source, tmp_path / "b.xlsm")


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif("ros_kriterier_last" not in FUNCTIONS, reason="the template's criteria token comes with the "
                    "add-in branch (ros_kriterier_last)")
def test_libreoffice_shows_the_zones_the_functions_computed(frozen: tuple[Path, Any, list[list[Any]]],
                                                             tmp_path: Path, luster: Criteria) -> None:
    """A filled xlwings template and the grammar workbook, frozen and recalculated in one LibreOffice run."""
    from rosxl.workbook import write_workbook

    scenarios = [Scenario(id=str(i), title=f"Hending {i}", probability=p, consequences={"okonomi": k,
                                                                                          "liv_og_helse": k2})
                 for i, (p, k, k2) in enumerate([(5, 5, 1), (1, 1, 1), (3, 2, 4), (2, 4, 2), (4, 3, 3)], start=1)]
    template = write_workbook(Analysis(luster, scenarios), tmp_path / "mal.xlsx", flavour="xlwings")
    wb = openpyxl.load_workbook(template)  # an advisor types raw facts instead of classes in row 3
    ws = wb["Scenarier"]
    headers = {c.value: get_column_letter(c.column) for c in ws[1] if c.column is not None}
    ws[f"{headers['Sannsyn']}3"] = "ein gong kvart 20. år"
    ws[f"{headers['Konsekvens: Økonomi']}3"] = "kr 2,5 mill."
    wb.save(template)
    report = freeze(template, tmp_path / "mal-frosset.xlsx")
    assert report.ok, report.skipped
    grammar, _, _ = frozen
    out = convert([tmp_path / "mal-frosset.xlsx", grammar], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    values = openpyxl.load_workbook(out[0], data_only=True)["Scenarier"]
    overall = headers.get("Samla sone") or headers["Samlet sone"]

    def worst(zones: list[str | None]) -> str:
        zone = luster.worst_zone(zones)
        assert zone is not None
        return luster.zone_def(zone).label("nn")

    for row in range(2, 2 + len(scenarios)):
        p = luster.probability_class(ws[f"{headers['Sannsyn']}{row}"].value)
        zones = [luster.zone(p, luster.consequence_class(a, ws[f"{headers[h]}{row}"].value), a)
                 for a, h in (("okonomi", "Konsekvens: Økonomi"), ("liv_og_helse", "Konsekvens: Liv og helse"))]
        assert values[f"{overall}{row}"].value == worst(zones), row
    assert values[f"{overall}3"].value == worst([luster.zone(2, 4, "okonomi"), luster.zone(2, 2, "liv_og_helse")])
    grammar_values = openpyxl.load_workbook(out[1], data_only=True)["Scenarier"]
    red = luster.zone_def("red").label("nn")
    assert grammar_values["I1"].value == sum(grammar_values[f"E{r}"].value == red for r in range(2, 6)) > 0
