"""write → read → write keeps every canonical field; text that starts with «=» stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.criteria import Criteria
from rosxl.workbook import read_analysis, write_workbook
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout


def full_analysis(c: Criteria) -> Analysis:
    areas = c.area_keys
    s1 = Scenario(
        id="N1", title="Flaum i sentrum", category="Naturhendingar", description="Elva går over breiddene.",
        causes="Kraftig nedbør; snøsmelting", existing_measures="Flaumvoll", probability=3,
        probability_basis="1 gong per 10 år (NVE)", consequences={a: (i % 5) + 1 for i, a in enumerate(areas)},
        uncertainty="hoy", manageability="Middels", vulnerability="Sårbar vassforsyning",
        measures="=Heve flaumvollen", responsible="Teknisk eining", deadline="2026-06-30", status="Planlagd",
        residual=Residual(probability=2, consequences=dict.fromkeys(areas, 2)),
        raw={"probability": "1 gong per 10 år"}, source={"file": "gammal.xls", "sheet": "ROS", "row": 7},
        review=["Sjekk klasse for økonomi", "Kjelde manglar"], extra={"Merknad": "frå 2013", "Tal": 4.5})
    s2 = Scenario(id="7", title="+Straumbrot", probability=None, consequences={areas[0]: None},
                  raw={f"consequences.{areas[0]}": "-ukjent"}, review=["linje 1\nlinje 2"], uncertainty="låg ish")
    return Analysis(c, [assess_scenario(s1, c), assess_scenario(s2, c)],
                    metadata={"kommune": "Luster", "tittel": "Heilskapleg ROS"}, report={"rows": 2})


@pytest.mark.parametrize("flavour", ["native", "xlwings"])
def test_write_read_write_is_lossless(tmp_path: Path, luster: Criteria, flavour: str) -> None:
    a = full_analysis(luster)
    first = read_analysis(write_workbook(a, tmp_path / "a.xlsx", flavour=flavour))  # type: ignore[arg-type]
    assert first.to_dict() == a.to_dict()
    second = read_analysis(write_workbook(first, tmp_path / "b.xlsx", flavour=flavour))  # type: ignore[arg-type]
    assert second.to_dict() == a.to_dict()


def test_language_of_sheet_does_not_change_data(tmp_path: Path, luster: Criteria) -> None:
    a = full_analysis(luster)
    assert read_analysis(write_workbook(a, tmp_path / "nb.xlsx", language="nb")).to_dict() == a.to_dict()


def test_equals_sign_text_is_never_a_formula(tmp_path: Path, standard: Criteria) -> None:
    s = Scenario(id="=1+1", title="=HYPERLINK(\"http://x\")", measures="=SUM(A1:A9)", probability=1,
                 consequences={"okonomi": 1}, extra={"=kolonne": "=verdi"})
    path = write_workbook(Analysis(standard, [assess_scenario(s, standard)]), tmp_path / "f.xlsx")
    layout = Layout(standard, "nb")
    ws = load_workbook(path)[SHEET]
    for key in ("id", "title", "measures"):
        cell = ws.cell(FIRST_ROW, layout[key].index)
        assert cell.data_type == "s" and cell.value == getattr(s, key)
    back = read_analysis(path).scenarios[0]
    assert (back.id, back.title, back.measures, back.extra) == (s.id, s.title, s.measures, s.extra)


def test_typed_facts_become_classes_and_raw(tmp_path: Path, standard: Criteria) -> None:
    path = write_workbook(Analysis(standard), tmp_path / "t.xlsx", flavour="xlwings")
    layout = Layout(standard, "nb", "xlwings")
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws.cell(FIRST_ROW, layout["id"].index, "N1")
    ws.cell(FIRST_ROW, layout["probability"].index, "1 gang per 20 år")
    ws.cell(FIRST_ROW, layout["consequences.okonomi"].index, "2,5 mill")
    ws.cell(FIRST_ROW, layout["consequences.miljo"].index, 9)
    ws.cell(1, 200, "Tilleggskolonne")  # a column the advisor added goes to extra
    ws.cell(FIRST_ROW, 200, "x")
    wb.save(path)
    s = read_analysis(path).scenarios[0]
    assert s.probability == 2 and s.consequences["okonomi"] == 4 and s.consequences["miljo"] is None
    assert s.raw == {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill",
                     "consequences.miljo": "9"}
    assert s.zones["okonomi"] == standard.zone(2, 4) and s.extra == {"Tilleggskolonne": "x"}


def test_edited_criteria_are_read_from_the_workbook(tmp_path: Path, standard: Criteria) -> None:
    from rosxl.workbook.criteria_sheet import criteria_block

    s = Scenario(id="N1", probability=1, consequences={"okonomi": 1})
    path = write_workbook(Analysis(standard, [s]), tmp_path / "k.xlsx")
    m = criteria_block(standard, "nb").places.matrices[0]
    wb = load_workbook(path)
    wb["Kriterier"].cell(m.top + m.rows, m.left + 1, "red")
    wb.save(path)
    back = read_analysis(path)
    assert back.criteria.zone(1, 1) == "red" and back.scenarios[0].zone == "red"
