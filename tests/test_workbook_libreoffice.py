"""The workbook computed by a real spreadsheet engine: LibreOffice recalculates the typed classes.

All files of the module go through one LibreOffice start (``recalculated``), which is why the
cases are built together: bare classes, dropdown entries, the xlwings flavour (its native parts:
with classes given, no ros_* branch is taken), raw facts with partial residuals, the same after
``rosxl fill``, and edited zone matrices.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rosxl.analysis import Analysis, has_unread, unchanged_after_measures
from rosxl.cli import cli
from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook.classes import choices, marker
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout
from rosxl.workbook.read import read_workbook
from rosxl.workbook.write import write_workbook
from tests.libreoffice import convert
from tests.test_workbook_classes import typed

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

PAIRS = [(p, k) for p in range(1, 6) for k in range(1, 6)]
CASES = ("standard", "luster-2013")


def type_pairs(path: Path, criteria: Criteria, language: str, flavour: str = "native",
               labelled: bool = False) -> None:
    """Type the 25 (probability, consequence) pairs into the template, as a user would (or pick entries)."""
    layout = Layout(criteria, language, flavour)  # type: ignore[arg-type]
    entries = choices(criteria, language, "probability"), choices(criteria, language, "consequence")  # type: ignore
    wb = load_workbook(path)
    ws = wb[SHEET]
    for i, (p, k) in enumerate(PAIRS):
        r = FIRST_ROW + i
        ws.cell(r, layout["id"].index, f"N{i + 1}")
        ws.cell(r, layout["probability"].index, entries[0][p - 1] if labelled else p)
        for a in criteria.area_keys:
            ws.cell(r, layout[f"consequences.{a}"].index, entries[1][k - 1] if labelled else k)
    wb.save(path)


#: Raw facts and partial residuals (layout key → value), standard criteria.
FACT_ROWS: list[dict[str, str | int]] = [
    {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill", "consequences.miljo": 1},
    {"probability": 3, "consequences.okonomi": "2 mill", "consequences.omdomme": 5},
    {"probability": 5, "consequences.okonomi": 5, "consequences.liv_og_helse": 5, "measures": "Flytt",
     "residual.consequences.okonomi": 1},
    {"probability": 5, "consequences.okonomi": 5, "consequences.liv_og_helse": 2, "measures": "Flytt",
     "residual.probability": "1 – Svært lav"},
    {"probability": 4, "consequences.tjenester": 4, "residual.consequences.tjenester": "7 døgn"},
    {"probability": "2 – Lav", "consequences.okonomi": "kr 150 000", "residual.consequences.miljo": 1},
]


FACT_ROWS_NN: list[dict[str, str | int]] = [
    {"probability": "ein gong kvart 20. år", "consequences.okonomi": "2,5 mill", "consequences.miljo": 1},
    {"probability": 5, "consequences.liv_og_helse": 5, "consequences.okonomi": 3, "measures": "Flytt",
     "residual.consequences.okonomi": 1},
    {"probability": "2 – Liten", "consequences.okonomi": "3 – Farleg", "residual.probability": 1},
]


def assert_agrees(computed: Path, source: Path) -> None:
    """Every zone, score and residual cell LibreOffice computed equals what rosxl reads in ``source``."""
    result = read_workbook(source)
    c, layout = result.analysis.criteria, result.layout
    language = layout.language
    ws = load_workbook(computed, data_only=True)[SHEET]

    def cell(r: int, key: str) -> object:
        value = ws.cell(r, layout[key].index).value
        return None if value == "" else value

    def label(zone: str | None) -> str | None:
        return c.zone_def(zone).label(language) if zone else None

    flagged = marker(c, language)
    for s, r in zip(result.analysis.scenarios, result.rows, strict=True):
        for a in c.area_keys:
            assert cell(r, f"zone.{a}") == label(s.zones.get(a)), (r, a)
            assert cell(r, f"residual.zone.{a}") == label(s.residual.zones.get(a)), (r, a)
        assert cell(r, "zone") == (flagged if has_unread(s, "before") else label(s.zone)), r
        assert cell(r, "score") == s.score, r
        assert cell(r, "residual.zone") == (flagged if has_unread(s, "after") else label(s.residual.zone)), r
        names = {"probability": "Sannsyn" if language == "nn" else "Sannsynlighet"}
        kept = [names.get(f) or c.area(f).label(language) for f in unchanged_after_measures(s)]
        assert cell(r, "residual.unchanged") == (", ".join(kept) or None), r


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("typed")
    files = {}
    for name in CASES:
        c = load_criteria(name)
        path = write_workbook(Analysis(c), src / f"{name}.xlsx")
        type_pairs(path, c, c.language)
        files[name] = path
    standard = load_criteria("standard")
    files["labelled"] = write_workbook(Analysis(standard), src / "labelled.xlsx")
    type_pairs(files["labelled"], standard, "nb", labelled=True)
    files["xlwings"] = write_workbook(Analysis(standard), src / "xlwings.xlsx", flavour="xlwings")
    type_pairs(files["xlwings"], standard, "nb", "xlwings", labelled=True)
    files["facts"] = write_workbook(Analysis(standard), src / "facts.xlsx")
    typed(files["facts"], Layout(standard, "nb"), FACT_ROWS)
    luster = load_criteria("luster-2013")
    files["facts-nn"] = write_workbook(Analysis(luster), src / "facts-nn.xlsx", language="nn")
    typed(files["facts-nn"], Layout(luster, "nn"), FACT_ROWS_NN)
    filled = CliRunner().invoke(cli, ["fill", str(files["facts"]), "-o", str(src / "filled.xlsx")])
    assert filled.exit_code == 0, filled.output
    files["filled"] = src / "filled.xlsx"
    # an advisor edits matrix cells on Kriterier: standard p=1, k=1 becomes red (by key), p=1, k=3 red (by label)
    edited = src / "edited.xlsx"
    edited.write_bytes(files["standard"].read_bytes())
    wb = load_workbook(edited)
    from rosxl.workbook.criteria_sheet import criteria_block

    m = criteria_block(standard, "nb").places.matrices[0]
    wb["Kriterier"].cell(m.top + m.rows, m.left + 1, "red")
    wb["Kriterier"].cell(m.top + m.rows, m.left + 3, standard.zone_def("red").label.nb)
    wb["Kriterier"].cell(m.top + m.rows, m.left + 4, standard.zone_def("red").label.nn)  # p=1, k=4: «Raud – …»
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
    assert ws.cell(FIRST_ROW + 2, layout["zone.okonomi"].index).value == red  # pair (1, 3), a label typed in
    assert ws.cell(FIRST_ROW + 3, layout["zone.okonomi"].index).value == red  # pair (1, 4), in nynorsk
    assert ws.cell(FIRST_ROW, layout["zone"].index).value == red
    assert_agrees(recalculated["edited"], recalculated["edited"])  # its own cached Kriterier are read back


def computed_cells(path: Path, layout: Layout) -> list[list[Any]]:
    """The zone, score and risk-matrix cells LibreOffice computed."""
    wb = load_workbook(path, data_only=True)
    keys = [c.key for c in layout.columns if c.kind in ("zone", "overall", "score", "unchanged", "position", "key")]
    table = [[wb[SHEET].cell(FIRST_ROW + i, layout[k].index).value for k in keys] for i in range(len(PAIRS))]
    return table + [list(row) for row in wb["Risikomatrise"].iter_rows(values_only=True)]


def test_entries_bare_numbers_and_xlwings_give_the_same_zones(recalculated: dict[str, Path],
                                                              standard: Criteria) -> None:
    bare = computed_cells(recalculated["standard"], Layout(standard, "nb"))
    assert computed_cells(recalculated["labelled"], Layout(standard, "nb")) == bare
    assert computed_cells(recalculated["xlwings"], Layout(standard, "nb", "xlwings")) == bare
    assert any("N25" in str(v) for row in bare for v in row)


def test_raw_facts_and_partial_residuals_agree_with_the_library(recalculated: dict[str, Path],
                                                                standard: Criteria, tmp_path: Path) -> None:
    source = tmp_path / "facts.xlsx"  # the typed workbook as LibreOffice saved it: its cells, no cached zones
    source.write_bytes(recalculated["facts"].read_bytes())
    assert_agrees(recalculated["facts"], source)
    layout = Layout(standard, "nb")
    ws = load_workbook(recalculated["facts"], data_only=True)[SHEET]
    assert ws.cell(FIRST_ROW, layout["zone"].index).value == marker(standard, "nb")
    assert ws.cell(FIRST_ROW, layout["score"].index).value in (None, "")
    assert ws.cell(FIRST_ROW + 2, layout["residual.zone"].index).value == standard.zone_def("red").label.nb
    assert ws.cell(FIRST_ROW + 2, layout["residual.unchanged"].index).value == "Sannsynlighet, Liv og helse"


def test_nynorsk_raw_facts_and_residuals_agree(recalculated: dict[str, Path], luster: Criteria) -> None:
    assert_agrees(recalculated["facts-nn"], recalculated["facts-nn"])
    layout = Layout(luster, "nn")
    ws = load_workbook(recalculated["facts-nn"], data_only=True)[SHEET]
    assert ws.cell(FIRST_ROW, layout["zone"].index).value == "skriv ein klasse 1–5 (eller bruk tillegget)"
    assert ws.cell(FIRST_ROW + 2, layout["zone"].index).value == luster.zone_def(
        luster.zone(2, 3, "okonomi") or "").label("nn")


def test_filled_workbook_agrees_and_passes_check(recalculated: dict[str, Path], tmp_path: Path) -> None:
    assert_agrees(recalculated["filled"], recalculated["filled"])
    result = read_workbook(recalculated["filled"])
    assert all(s.zone is not None for s in result.analysis.scenarios)
    from rosxl.workbook.check import check_workbook

    found = [(f.code, f.row) for f in check_workbook(recalculated["filled"])]  # only the expected findings
    assert found == [("criteria-incomplete", None), ("red-without-measures", 3), ("residual-incomplete", 4),
                     ("red-without-measures", 6)]


@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="Gnumeric (ssconvert) is not installed")
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # Gnumeric writes no named style
def test_gnumeric_computes_raw_facts_and_residuals_alike(recalculated: dict[str, Path], tmp_path: Path) -> None:
    """A second engine: Gnumeric recalculates the typed workbooks (cached values or not) and agrees too."""
    for name in ("facts", "facts-nn", "filled", "labelled", "edited"):
        out = tmp_path / f"{name}-gnumeric.xlsx"
        subprocess.run(["ssconvert", "--recalc", str(recalculated[name]), str(out)], check=True, capture_output=True,
                       timeout=240)
        assert_agrees(out, recalculated[name])
