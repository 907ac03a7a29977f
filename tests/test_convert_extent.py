"""Where a table ends, several tables on a sheet, description rows, and criteria grids (issue 10, item 3)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

import rosxl


def _book(folder: Path, name: str, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    path = folder / name
    wb.save(path)
    return path


TABLE: list[Sequence[object]] = [["Nr", "Hendelse", "S", "K", "Risiko"],
         [1, "Flom", 3, 4, "Rød"],
         [2, "Brann", 2, 3, "Gul"]]


def test_a_legend_block_below_a_table_is_not_scenarios(tmp_path: Path) -> None:
    path = _book(tmp_path, "tegnforklaring-under.xlsx", {"ROS": [
        *TABLE, [], ["Tegnforklaring"], ["Grønn", "Akseptabel risiko"], ["Gul", "Vurder tiltak"],
        ["Rød", "Tiltak må gjennomføres"], [], ["1-4", "Lav"], ["5-9", "Middels"], ["10-25", "Høy"]]})
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom", "Brann"]
    assert report.rows_read == 2 and not report.skipped
    kept = [c["text"] for c in analysis.metadata["context"]]
    assert "Grønn | Akseptabel risiko" in kept and "10-25 | Høy" in kept


def test_a_key_without_a_heading_after_a_blank_row_ends_the_table(tmp_path: Path) -> None:
    path = _book(tmp_path, "fargekode.xlsx", {"ROS": [
        *TABLE, [], ["Grønn", "Akseptabel"], ["Gul", "Tiltak vurderes"], ["Rød", "Uakseptabel"]]})
    analysis, _ = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom", "Brann"]


def test_several_tables_on_one_sheet(tmp_path: Path) -> None:
    path = _book(tmp_path, "to-tabeller.xlsx", {"ROS": [
        ["Naturhendelser"], *TABLE, [], [], ["ID", "Uønsket hendelse", "Sannsynlighet", "Konsekvens"],
        ["T1", "Strømbrudd", 4, 2], ["T2", "Dataangrep", 3, 3]]})
    analysis, report = rosxl.convert(path)
    assert [s.id for s in analysis.scenarios] == ["1", "2", "T1", "T2"]
    assert analysis.scenarios[2].title == "Strømbrudd" and analysis.scenarios[2].probability == 4
    assert report.sheets[0]["header_rows"] == [2, 7]
    assert report.rows_read == report.scenarios + len(report.skipped)


def test_two_rows_per_scenario(tmp_path: Path) -> None:
    text = "Kraftig nedbør over flere døgn gir flom i nedre del av sentrum"
    path = _book(tmp_path, "to-rader.xlsx", {"ROS": [
        ["Nr", "Hendelse", "S", "K"], [1, "Flom", 3, 4], [None, text], [2, "Brann", 2, 3],
        [None, "Brann i sykehjem om natten med få på vakt"]]})
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.description) for s in analysis.scenarios] == [
        ("Flom", text), ("Brann", "Brann i sykehjem om natten med få på vakt")]
    assert report.rows_read == 4 == report.scenarios + len(report.skipped)


def test_a_criteria_sheets_zone_grid_is_not_a_scenario_matrix(tmp_path: Path) -> None:
    grid: list[Sequence[object]] = [["Risikomatrise"], [None, 1, 2, 3, 4, 5]]
    for p in range(5, 0, -1):
        grid.append([p, *(p * k for k in range(1, 6))])
    words: list[Sequence[object]] = [[None, 1, 2, 3]]
    words += [[p, *("Rød" if p * k > 5 else "Grønn" for k in range(1, 4))] for p in (3, 2, 1)]
    path = _book(tmp_path, "kriterieark.xlsx", {"ROS": TABLE, "Matrise": grid, "Soner": words})
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom", "Brann"]
    assert report.rows_read == 2
