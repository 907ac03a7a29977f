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
from rosxl.workbook.export import _excel_cell, neutralise_csv_cell
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


def test_csv_data_export_neutralises_formulas(tmp_path: Path, standard: Criteria) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "csv-data", str(filled(tmp_path, standard))])
    assert result.exit_code == 0
    row = next(csv.DictReader(io.StringIO(result.output)))
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert row["measures"] == "'-tiltak" and row["responsible"] == "'@ansvar"
    assert row["consequences.okonomi"] == "4" and row["zones.okonomi"] == "red"
    assert json.loads(row["extra"]) == {"Merknad": "x"}


def test_csv_for_norwegian_excel(tmp_path: Path, standard: Criteria) -> None:
    book = filled(tmp_path, standard)
    out = tmp_path / "ut" / "scenarier.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Skrev {out}\n"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in out.read_bytes()
    with out.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    row = dict(zip(header, rows[0], strict=True))
    assert header[:3] == ["ID", "Kategori", "Uønsket hendelse"] and "rosxl-data" not in header
    assert row["Uønsket hendelse"] == "'=cmd|' /C calc'!A0"  # still neutralised
    assert (row["Foreslåtte tiltak"], row["Ansvarlig"]) == ("'-tiltak", "'@ansvar")
    assert (row["Sannsynlighet"], row["Konsekvens: Økonomi"], row["Risikoskår"]) == ("3", "4", "12")
    assert (row["Sone: Økonomi"], row["Samlet sone"], row["Sone: Miljø"]) == ("Rød – uakseptabel",) * 2 + ("",)
    # the same text on standard out
    again = CliRunner().invoke(cli, ["export", "--format", "csv", str(book)])
    assert again.stdout_bytes == out.read_bytes()


def test_csv_in_the_workbooks_written_form(tmp_path: Path, standard: Criteria) -> None:
    s = assess_scenario(Scenario(id="N1", title="Flaum", probability=1, consequences={"okonomi": 1}), standard)
    book = write_workbook(Analysis(standard, [s]), tmp_path / "nn.xlsx", language="nn")
    result = CliRunner().invoke(cli, ["export", "--format", "csv", str(book)])
    header, row = list(csv.reader(io.StringIO(result.output.removeprefix("\ufeff")), delimiter=";"))[:2]
    assert "Uønskt hending" in header and dict(zip(header, row, strict=True))["Samla sone"] == "Grøn – akseptabel"


def test_export_output_is_never_the_workbook_or_an_existing_file(tmp_path: Path, standard: Criteria) -> None:
    book = filled(tmp_path, standard)
    before = book.read_bytes()
    refused = CliRunner().invoke(cli, ["export", "--format", "csv", str(book), "-o", str(book), "--overwrite"])
    assert refused.exit_code == 1 and book.read_bytes() == before
    out = tmp_path / "a.json"
    out.write_text("min fil")
    assert CliRunner().invoke(cli, ["export", str(book), "-o", str(out)]).exit_code == 1
    foreign = CliRunner().invoke(cli, ["export", str(book), "-o", str(out), "--overwrite"])
    assert foreign.exit_code == 1 and "[output-not-rosxl]" in foreign.output
    assert out.read_text() == "min fil"
    out.unlink()
    assert CliRunner().invoke(cli, ["export", str(book), "-o", str(out)]).exit_code == 0
    assert CliRunner().invoke(cli, ["export", str(book), "-o", str(out), "--overwrite"]).exit_code == 0
    assert json.loads(out.read_text())["criteria"]["name"] == "standard"


def test_decimal_comma_and_empty_cells() -> None:
    assert [_excel_cell(v) for v in (2.5, 4.0, None, 3, "-x")] == ["2,5", "4", "", 3, "'-x"]


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
