"""``rosxl export``: canonical JSON and formula-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.cli import cli
from rosxl.criteria import Criteria
from rosxl.workbook.export import neutralise_csv_cell
from rosxl.workbook.write import write_workbook


def filled(tmp_path: Path, c: Criteria) -> Path:
    s = Scenario(id="N1", title="=cmd|' /C calc'!A0", probability=3, consequences={"okonomi": 4},
                 measures="-tiltak", responsible="@ansvar", extra={"Merknad": "x"})
    return write_workbook(Analysis(c, [assess_scenario(s, c)], metadata={"kommune": "Luster"}), tmp_path / "r.xlsx")


def test_json_export(tmp_path: Path, standard: Criteria) -> None:
    result = CliRunner().invoke(cli, ["export", str(filled(tmp_path, standard))])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["metadata"] == {"kommune": "Luster"} and data["criteria"]["name"] == "standard"
    s = data["scenarios"][0]
    assert (s["id"], s["probability"], s["consequences"], s["zone"]) == ("N1", 3, {"okonomi": 4}, "red")


def test_csv_export_neutralises_formulas(tmp_path: Path, standard: Criteria) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "csv", str(filled(tmp_path, standard))])
    assert result.exit_code == 0
    row = next(csv.DictReader(io.StringIO(result.output)))
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert row["measures"] == "'-tiltak" and row["responsible"] == "'@ansvar"
    assert row["consequences.okonomi"] == "4" and row["zones.okonomi"] == "red"
    assert json.loads(row["extra"]) == {"Merknad": "x"}


def test_neutralise_keeps_numbers() -> None:
    assert neutralise_csv_cell(-5) == -5 and neutralise_csv_cell("\tx") == "'\tx"
    assert neutralise_csv_cell("a=b") == "a=b"


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    out = neutralise_csv_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (text, "'" + text)


def test_export_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "nei.xlsx")])
    assert result.exit_code == 2
