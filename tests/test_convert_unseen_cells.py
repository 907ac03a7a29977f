"""Combined S/K cells with tails, several tables on one sheet and summary tables, as unseen municipal
sheets have them (issue 10, helper «cells»).

One named fixture per mechanism, built by code, with the exact scenarios it must give.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import rosxl
from rosxl.analysis import Analysis
from rosxl.conversion.report import FileReport
from tests.sheets import new_sheet

Facts = tuple[str | None, str | None, int | None, dict[str, int | None]]


def _save(tmp_path: Path, name: str, rows: Sequence[Sequence[object]]) -> Path:
    wb, _ = new_sheet("ROS", rows)
    path = tmp_path / name
    wb.save(path)
    return path


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _facts(analysis: Analysis) -> list[Facts]:
    return [(s.id, s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios]


def _adds_up(report: FileReport) -> None:
    assert report.rows_read == report.scenarios + len(report.skipped)
    for sheet in report.sheets:
        assert sheet["rows_read"] == sheet["scenarios"] + sheet["skipped"], sheet["name"]


def test_a_combined_cell_whose_first_line_has_a_tail_and_a_note_below_is_a_pair(tmp_path: Path) -> None:
    # «4 x 4 = 16» over a remark: the column is still a risk column of S/K pairs (not free text)
    path = _save(tmp_path, "par-med-hale.xlsx", [
        ["Situasjon", "Moglege årsaker", "Risiko (S/K)", "Hvem følger opp?"],
        ["Mangel på helsepersonell", "Grunnarbeid i området", "4 x 4 = 16\nusikker vurdering", "Kommunedirektøren"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Mangel på helsepersonell", 4, {"samlet": 4})]
    assert analysis.scenarios[0].raw["risk"] == "4 x 4 = 16\nusikker vurdering"
    _adds_up(report)
