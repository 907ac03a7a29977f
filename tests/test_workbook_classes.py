"""Class cells as the workbook reads them: dropdown entries, raw facts, residuals, ``fill`` and the xlwings guards."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario, unchanged_after_measures
from rosxl.cli import cli
from rosxl.criteria import Criteria, load_criteria
from rosxl.excel.worksheet import Reader
from rosxl.workbook import read_analysis, write_workbook
from rosxl.workbook.check import check_workbook
from rosxl.workbook.classes import choices, class_in_cell, marker
from rosxl.workbook.criteria_sheet import criteria_block, criteria_from_grid
from rosxl.workbook.export import csv_rows
from rosxl.workbook.fill import fill_workbook
from rosxl.workbook.formulas import Formulas
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout


def decided(c: Criteria) -> Criteria:
    return dataclasses.replace(c, provenance=dataclasses.replace(c.provenance, decision="Kommunestyret, sak 1/25"))


def typed(path: Path, layout: Layout, rows: list[dict[str, Any]]) -> Path:
    """Type ``rows`` (layout key → value) into the Scenarier table, as an advisor would."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    for i, row in enumerate(rows):
        ws.cell(FIRST_ROW + i, layout["id"].index, f"N{i + 1}")
        for key, value in row.items():
            ws.cell(FIRST_ROW + i, layout[key].index, value)
    wb.save(path)
    return path


# --- dropdown entries --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_entries_are_class_en_dash_label(standard: Criteria, language: str) -> None:
    entries = choices(standard, language, "probability")  # type: ignore[arg-type]
    assert entries[0] == ("1 – Svært låg" if language == "nn" else "1 – Svært lav")
    assert all(re.fullmatch(r"\d \u2013 \S.*", e) for e in entries)
    assert choices(standard, "nb", "consequence")[1] == "2 – En viss fare"


def test_every_reader_takes_an_entry_as_its_class(standard: Criteria) -> None:
    for n, entry in enumerate(choices(standard, "nb", "probability"), start=1):
        assert standard.probability_class(entry) == n == Reader(standard).probability(entry)
        assert class_in_cell(entry, standard, "nb", "probability") == n
        assert class_in_cell(entry.upper(), standard, "nb", "probability") == n  # MATCH ignores case
    for n, entry in enumerate(choices(standard, "nn", "consequence"), start=1):
        assert standard.consequence_class("okonomi", entry) == n == Reader(standard).consequence(entry, "okonomi")
    assert class_in_cell("1 gang per 20 år", standard, "nb", "probability") is None
    assert class_in_cell(2.0, standard, "nb", "probability") == 2
    assert class_in_cell(2.5, standard, "nb", "probability") is class_in_cell(6, standard, "nb", "probability")


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(-3, 9), st.floats(allow_nan=False, allow_infinity=False)))
def test_a_cell_is_a_class_only_as_a_number_of_the_scale_or_an_entry(value: object) -> None:
    c = load_criteria("standard")
    found = class_in_cell(value, c, "nb", "probability")
    entries = [e.lower() for e in choices(c, "nb", "probability")]
    if isinstance(value, str):
        assert (found is not None) == (value.lower() in entries)
    else:
        assert (found is not None) == (float(value) in (1.0, 2.0, 3.0, 4.0, 5.0))  # type: ignore[arg-type]


def test_labelled_and_bare_classes_read_alike(tmp_path: Path, standard: Criteria) -> None:
    layout = Layout(standard, "nb")
    p, k = choices(standard, "nb", "probability"), choices(standard, "nb", "consequence")
    path = typed(write_workbook(Analysis(decided(standard)), tmp_path / "a.xlsx"), layout, [
        {"probability": p[1], "consequences.okonomi": k[3]}, {"probability": 2, "consequences.okonomi": 4}])
    a = read_analysis(path)
    labelled, bare = a.scenarios
    assert (labelled.probability, labelled.consequences, labelled.zone, labelled.score, labelled.raw) == (
        bare.probability, bare.consequences, bare.zone, bare.score, bare.raw) == (2, {"okonomi": 4}, "yellow", 8, {})
    assert [f.code for f in check_workbook(path)] == []
    rows = csv_rows(a)
    assert rows[0]["probability"] == rows[1]["probability"] == 2


def test_list_source_is_the_kriterier_entries(tmp_path: Path, luster: Criteria) -> None:
    path = write_workbook(Analysis(luster), tmp_path / "l.xlsx", language="nn")
    wb = load_workbook(path)
    ws = wb[SHEET]
    lists = {dv.formula1: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert {"krit_sannsynlighet_valg", "krit_konsekvens_valg"} <= set(lists)
    assert all(lists[n].errorStyle == "warning" for n in ("krit_sannsynlighet_valg", "krit_konsekvens_valg"))
    target = wb.defined_names["krit_sannsynlighet_valg"].attr_text
    block = criteria_block(luster, "nn")
    first = block.places.probability_rows[0] + 1
    column = chr(ord("A") + block.places.choice_column)
    assert target == f"Kriterier!${column}${first}:${column}${block.places.probability_rows[1] + 1}"
    assert wb["Kriterier"][f"{column}{first}"].value == f'=IF(A{first}="","",A{first}&" – "&B{first})'
    assert "ros_kriterier_token" not in wb.defined_names  # the native flavour calls no function


# --- raw facts -----------------------------------------------------------------------------------


RAW_ROWS: list[dict[str, Any]] = [
    {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill", "consequences.miljo": 1},
    {"probability": 3, "consequences.okonomi": "tull"},
    {"probability": 4, "consequences.okonomi": 5, "consequences.liv_og_helse": 2, "measures": "Flytt",
     "residual.consequences.okonomi": "2 mill"},
]


def test_native_raw_facts_have_no_class_no_zone_and_a_suggestion(tmp_path: Path, standard: Criteria) -> None:
    layout = Layout(standard, "nb")
    path = typed(write_workbook(Analysis(decided(standard)), tmp_path / "r.xlsx"), layout, RAW_ROWS)
    fact, unknown, residual = read_analysis(path).scenarios
    assert (fact.probability, fact.consequences, fact.zone, fact.score) == (None, {"miljo": 1, "okonomi": None},
                                                                         None, None)
    assert fact.raw == {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill"}
    assert fact.review == ["Sannsynlighet: «1 gang per 20 år» tilsvarer klasse 2",
                           "Økonomi: «2,5 mill» tilsvarer klasse 4"]
    assert (unknown.zone, unknown.review) == (None, [])
    assert (residual.zone, residual.residual.zone, residual.residual.zones) == ("red", None, {
        "okonomi": None, "liv_og_helse": standard.zone(4, 2)})
    found = [(f.code, f.row, f.column) for f in check_workbook(path)]
    assert found == [("raw-fact", 2, layout["consequences.okonomi"].letter),
                     ("raw-fact", 2, layout["probability"].letter),
                     ("unknown-class", 3, layout["consequences.okonomi"].letter),
                     ("raw-fact", 4, layout["residual.consequences.okonomi"].letter)]
    exported = json.loads(CliRunner().invoke(cli, ["export", str(path)]).output)
    assert exported["scenarios"][0]["zone"] is None and exported["scenarios"][0]["probability"] is None


def test_xlwings_reads_facts_live(tmp_path: Path, standard: Criteria) -> None:
    layout = Layout(standard, "nb", "xlwings")
    path = typed(write_workbook(Analysis(standard), tmp_path / "x.xlsx", flavour="xlwings"), layout, RAW_ROWS)
    fact = read_analysis(path).scenarios[0]
    assert (fact.probability, fact.consequences["okonomi"], fact.zone, fact.review) == (2, 4, "yellow", [])
    assert "raw-fact" not in [f.code for f in check_workbook(path)]


def test_nynorsk_marker_and_note(tmp_path: Path, luster: Criteria) -> None:
    layout = Layout(luster, "nn")
    path = typed(write_workbook(Analysis(luster), tmp_path / "n.xlsx", language="nn"), layout,
                 [{"probability": "ein gong kvart 20. år", "consequences.okonomi": 1}])
    assert read_analysis(path).scenarios[0].review == ["Sannsyn: «ein gong kvart 20. år» svarar til klasse 2"]
    assert marker(luster, "nn") == "skriv ein klasse 1–5 (eller bruk tillegget)"
    assert f'"{marker(luster, "nn")}"' in Formulas(layout).row(2)[layout["zone"].index]


def test_fill_writes_entries_and_keeps_the_text(tmp_path: Path, standard: Criteria) -> None:
    layout = Layout(standard, "nb")
    path = typed(write_workbook(Analysis(decided(standard)), tmp_path / "f.xlsx"), layout, RAW_ROWS)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["fill", str(path), "-o", str(tmp_path / "utfylt.xlsx")])
    assert result.exit_code == 1, result.output  # «tull» is left
    assert "«1 gang per 20 år» → «2 – Lav»" in result.output and "«tull» står igjen" in result.output
    assert path.read_bytes() == before  # -o: the input is untouched
    again = CliRunner().invoke(cli, ["fill", str(path), "-o", str(tmp_path / "utfylt.xlsx")])
    assert again.exit_code == 1 and "finnes fra før" in again.output
    a = read_analysis(tmp_path / "utfylt.xlsx")
    fact = a.scenarios[0]
    assert (fact.probability, fact.consequences, fact.zone, fact.review) == (2, {"miljo": 1, "okonomi": 4},
                                                                            "yellow", [])
    assert fact.raw == {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill"}
    assert a.scenarios[2].residual.consequences == {"okonomi": 3}
    ws = load_workbook(tmp_path / "utfylt.xlsx")[SHEET]
    assert ws.cell(FIRST_ROW, layout["probability"].index).value == "2 – Lav"
    assert [f.code for f in check_workbook(tmp_path / "utfylt.xlsx")] == ["unknown-class"]
    report = fill_workbook(path)  # in place
    assert len(report.filled) == 3 and [f.text for f in report.left] == ["tull"]
    assert read_analysis(path).scenarios[0].zone == "yellow"


# --- after measures ------------------------------------------------------------------------------


def test_residual_takes_the_before_class_where_none_is_given(standard: Criteria) -> None:
    s = assess_scenario(Scenario(probability=5, consequences={"okonomi": 5, "liv_og_helse": 5},
                                 residual=Residual(consequences={"okonomi": 1})), standard)
    assert s.residual.zones == {"okonomi": standard.zone(5, 1), "liv_og_helse": "red"} and s.residual.zone == "red"
    assert unchanged_after_measures(s) == ["probability", "liv_og_helse"]
    s = assess_scenario(Scenario(probability=5, consequences={"okonomi": 5}, residual=Residual(probability=1)),
                        standard)
    assert s.residual.zones == {"okonomi": standard.zone(1, 5)} and unchanged_after_measures(s) == ["okonomi"]
    empty = assess_scenario(Scenario(probability=5, consequences={"okonomi": 5}), standard)
    assert (empty.residual.zones, empty.residual.zone, unchanged_after_measures(empty)) == ({}, None, [])


def test_check_reports_red_areas_left_without_residual(tmp_path: Path, standard: Criteria) -> None:
    s = Scenario(id="N1", probability=5, consequences={"okonomi": 5, "liv_og_helse": 5}, measures="Flytt",
                 residual=Residual(consequences={"okonomi": 1}))
    done = Scenario(id="N2", probability=5, consequences={"okonomi": 5}, measures="Flytt",
                    residual=Residual(consequences={"okonomi": 1}))
    path = write_workbook(Analysis(decided(standard), [assess_scenario(x, standard) for x in (s, done)]),
                          tmp_path / "r.xlsx")
    found = check_workbook(path)
    assert [(f.code, f.row) for f in found] == [("residual-incomplete", 2)]
    assert "mangler verdi for Liv og helse" in found[0].message


# --- Kriterier zone grid -------------------------------------------------------------------------


def test_zone_grid_shows_labels_and_reads_keys_and_labels(luster: Criteria) -> None:
    block = criteria_block(luster, "nn")
    m = block.places.matrices[0]
    cells = {block.grid[r][c] for r in range(m.top, m.top + m.rows) for c in range(m.left, m.left + m.columns)}
    assert cells <= {z.label("nn") for z in luster.zones} and "Raud – uakseptabel" in cells
    grid = [list(r) for r in block.grid]
    grid[m.top + m.rows - 1][m.left] = "red"
    assert criteria_from_grid(grid).zone(1, 1, m.areas[0]) == "red"
    grid[m.top + m.rows - 1][m.left] = "Rød – uakseptabel"  # the other written form too
    assert criteria_from_grid(grid).zone(1, 1, m.areas[0]) == "red"


# --- xlwings: few, light calls -----------------------------------------------------------------


_CALL = re.compile(r"(ros_[a-z_]+)\(([^()]*)\)")


def test_xlwings_calls_only_in_the_last_guard_branch(standard: Criteria) -> None:
    layout = Layout(standard, "nb", "xlwings")
    row = Formulas(layout).row(7)
    calls = {layout.columns[i - 1].key: _CALL.findall(f) for i, f in row.items() if "ros_" in f}
    assert set(calls) == {c.key for c in layout.columns if c.kind == "class"}
    for key, found in calls.items():
        assert len(found) == 1 and found[0][1].endswith("ros_kriterier_token"), key
        _, phase, name = key.split(".")
        field = name if name == "probability" else f"consequences.{name}"
        cell = layout[field if phase == "before" else f"residual.{field}"].letter
        assert found[0][1] in (f"{cell}7,ros_kriterier_token", f'"{name}",{cell}7,ros_kriterier_token'), key
        formula = row[layout[key].index]
        assert formula.index("SUMPRODUCT((krit_") < formula.index("ros_")  # an entry is matched before any call


def guard_calls(value: object, c: Criteria, kind: str) -> int:
    """Calls the guarded helper makes for a cell holding ``value``, as the IF chain decides."""
    if value is None or (isinstance(value, str) and not value.strip(" ")):
        return 0
    if isinstance(value, (int, float)):
        return 0  # ISNUMBER: a class or «ikke en klasse», never a call
    return 0 if class_in_cell(value, c, "nb", kind) is not None else 1  # type: ignore[arg-type]


def test_a_full_recalculation_calls_only_for_raw_facts(standard: Criteria) -> None:
    """1 000 rows, every fifth class cell a raw fact: calls ≤ 0.2 × class cells + 5."""
    layout = Layout(standard, "nb", "xlwings")
    entries = choices(standard, "nb", "probability"), choices(standard, "nb", "consequence")
    cells = [c for c in layout.columns if c.kind in ("probability", "consequence")]
    calls = total = 0
    for r in range(1000):
        for j, col in enumerate(cells):
            n = (r * len(cells) + j) % 5
            value: object = ("1 gang per 20 år" if col.kind == "probability" else "2 mill") if n == 0 else (
                entries[col.kind != "probability"][n - 1] if n % 2 else n)
            calls += guard_calls(value, standard, col.kind)
            total += 1
    token_cells = 1  # =ros_kriterier_last(ros_kriterier)
    assert calls + token_cells <= 0.2 * total + 5
    assert calls == total // 5


def test_freeze_replaces_guarded_calls_by_values(tmp_path: Path, standard: Criteria,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from rosxl.excel.freeze import freeze
    from rosxl.excel.functions import FUNCTIONS

    if "ros_kriterier_last" not in FUNCTIONS:
        pytest.skip("the criteria token (ros_kriterier_last) comes with the add-in branch")
    layout = Layout(standard, "nb", "xlwings")
    path = typed(write_workbook(Analysis(standard), tmp_path / "x.xlsx", flavour="xlwings"), layout, RAW_ROWS)
    report = freeze(path, tmp_path / "frosset.xlsx")
    assert report.ok, report.skipped
    ws = load_workbook(tmp_path / "frosset.xlsx")[SHEET]
    formula = str(ws.cell(FIRST_ROW, layout["class.before.probability"].index).value)
    assert "ros_" not in formula and formula.endswith(",2)))")


def test_freeze_evaluates_calls_inside_other_formulas(tmp_path: Path, standard: Criteria) -> None:
    import openpyxl

    from rosxl.excel.freeze import freeze

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["1 gang per 20 år", 3, "tull", "2 – Lav"])
    ws["A2"] = '=IF(ISNUMBER(A1),A1,ros_sannsynlighet(A1,"standard"))'
    ws["B2"] = '=IF(ISNUMBER(B1),B1,ros_sannsynlighet(B1,"standard"))'
    ws["C2"] = '=IF(C1="","",_xludf.ros_konsekvens("okonomi",C1,"standard"))&""'
    ws["D2"] = '=IF(TRIM(D1)="","",ros_sannsynlighet(D1))'
    ws["E2"] = "=IF(A1=1,ros_sannsynlighet(A1+1),0)"  # an argument outside the grammar
    wb.save(tmp_path / "g.xlsx")
    report = freeze(tmp_path / "g.xlsx", tmp_path / "f.xlsx")
    out = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    assert out is not None
    assert out["A2"].value == "=IF(ISNUMBER(A1),A1,2)"
    assert out["B2"].value == "=IF(ISNUMBER(B1),B1,3)"
    assert out["C2"].value == '=IF(C1="","","ukjent konsekvens for Økonomi: «tull»")&""'
    assert out["D2"].value == '=IF(TRIM(D1)="","",2)'
    assert out["E2"].value == "=IF(A1=1,ros_sannsynlighet(A1+1),0)" and list(report.skipped) == ["Sheet!E2"]


def test_fill_in_place_from_the_command_line(tmp_path: Path, standard: Criteria) -> None:
    layout = Layout(standard, "nb")
    path = typed(write_workbook(Analysis(decided(standard)), tmp_path / "i.xlsx"), layout,
                 [{"probability": "hvert 5. år", "consequences.tjenester": "stans i 7 dager"}])
    result = CliRunner().invoke(cli, ["fill", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"Fylte inn 2 klasser i {path}.\n")
    s = read_analysis(path).scenarios[0]
    assert (s.probability, s.consequences, s.raw) == (3, {"tjenester": 3}, {
        "probability": "hvert 5. år", "consequences.tjenester": "stans i 7 dager"})
    assert [p.name for p in tmp_path.iterdir()] == ["i.xlsx"]  # no temporary file left
    assert CliRunner().invoke(cli, ["fill", str(path)]).output == "Ingen faktum å fylle inn.\n"
