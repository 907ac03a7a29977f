"""``rosxl check``: findings in a filled workbook, exit 1 when there are any."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.cli import cli
from rosxl.criteria import Criteria
from rosxl.workbook.check import check_workbook
from rosxl.workbook.write import write_workbook


def decided(c: Criteria) -> Criteria:
    return dataclasses.replace(c, provenance=dataclasses.replace(c.provenance, decision="Kommunestyret 2024, sak 5"))


def workbook(tmp_path: Path, c: Criteria, scenarios: list[Scenario]) -> Path:
    return write_workbook(Analysis(c, [assess_scenario(s, c) for s in scenarios]), tmp_path / "ros.xlsx")


def test_clean_workbook_has_no_findings(tmp_path: Path, standard: Criteria) -> None:
    path = workbook(tmp_path, decided(standard), [Scenario(id="N1", probability=2, consequences={"okonomi": 2})])
    assert check_workbook(path) == []
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0 and "Ingen funn" in result.output


def test_findings(tmp_path: Path, standard: Criteria) -> None:
    scenarios = [
        Scenario(id="N1", consequences={"okonomi": 2}),  # no probability
        Scenario(id="N2", probability=2),  # no consequence
        Scenario(id="N3", probability=5, consequences={"okonomi": 5}),  # red without measures
        Scenario(id="N4", probability=5, consequences={"okonomi": 5}, measures="Flytt", deadline="2020-01-31",
                 status="Pågår"),  # deadline passed
        Scenario(id="N5", probability=5, consequences={"okonomi": 5}, measures="Flytt", deadline="31.01.2020",
                 status="Utført"),  # done: fine
        Scenario(id="N6", probability=None, consequences={"okonomi": 1}, raw={"probability": "av og til"}),
    ]
    path = workbook(tmp_path, standard, scenarios)
    found = [(f.code, f.row) for f in check_workbook(path, today=dt.date(2025, 1, 1))]
    assert found == [("criteria-incomplete", None), ("missing-probability", 2), ("missing-consequence", 3),
                     ("red-without-measures", 4), ("deadline-passed", 5), ("unknown-class", 7)]
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "ark «Scenarier», rad 4, kolonne" in result.output and "uten foreslåtte tiltak" in result.output


def test_criteria_gap_is_reported(tmp_path: Path, luster: Criteria) -> None:
    path = workbook(tmp_path, decided(luster), [])
    assert [f.message for f in check_workbook(path)] == [
        "sannsynlighetsklasse 1 og 2 har et hull mellom 0,01 og 0,02 hendelser per år"]


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "tull.xlsx"
    bad.write_text("ikke en arbeidsbok")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("Feil: ") and "Traceback" not in result.output


def test_original_zone_text_is_not_an_unknown_class(tmp_path: Path, standard: Criteria) -> None:
    """A converter keeps the source's zone text in raw["zone"]; only class columns can hold unknown classes."""
    s = assess_scenario(Scenario(id="F1", title="Flom", probability=2, consequences={"okonomi": 2},
                                 raw={"zone": "fyllfarge #FF0000"}), standard)
    codes = [f.code for f in check_workbook(workbook(tmp_path, decided(standard), [s]))]
    assert "unknown-class" not in codes
