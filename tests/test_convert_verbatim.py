"""Kept text is the source's text exactly: en dashes, non-breaking spaces and line breaks survive
convert → JSON and convert → workbook → read_analysis (issue 10, item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import rosxl
from rosxl.workbook import write_workbook
from tests.sheets import new_sheet

TITLE = "Flom i Elva\u00a0–\u00a0nedre del"  # NBSP around an en dash
MEASURES = "Varsling\nSandsekker – lager ved brannstasjonen\nEvakueringsplan"
CAUSE = "  Ekstremnedbør  "  # spaces as typed


def _source(folder: Path) -> Path:
    wb, ws = new_sheet()
    ws.title = "ROS"
    ws.append(["ROS-analyse – Elvebyen kommune"])
    ws.append(["Nr", "Uønsket hendelse", "Årsak", "Sannsynlighet", "Økonomi", "Tiltak"])
    ws.append([1, TITLE, CAUSE, "ca. 1 gang per 20 år", "cirka 4 mill.", MEASURES])
    ws.append([2, "Brann i sykehjem", None, 3, "S\u00a04", "Røykvarslere"])
    path = folder / "ordrett.xlsx"
    wb.save(path)
    return path


def test_verbatim_text_survives_json_and_workbook(tmp_path: Path) -> None:
    analysis, report = rosxl.convert(_source(tmp_path))
    assert report.rows_read == report.scenarios + len(report.skipped)
    first = analysis.scenarios[0]
    assert first.title == TITLE and first.measures == MEASURES and first.causes == CAUSE
    assert first.probability == 2 and first.consequences["okonomi"] == 4  # hedged amount read
    assert first.raw["consequences.okonomi"] == "cirka 4 mill."
    assert analysis.metadata["title"] == "ROS-analyse – Elvebyen kommune"
    data = json.loads(analysis.to_json())
    assert data["scenarios"][0]["title"] == TITLE and data["scenarios"][0]["measures"] == MEASURES
    out = tmp_path / "ut.xlsx"
    write_workbook(analysis, out)
    back = rosxl.read_analysis(out).scenarios[0]
    assert back.title == TITLE and back.measures == MEASURES and back.causes == CAUSE


def test_a_converted_workbook_converts_to_the_same_scenarios(tmp_path: Path) -> None:
    from corpus.legacy import two_row_header

    analysis, _ = rosxl.convert(two_row_header(tmp_path))
    out = tmp_path / "konvertert.xlsx"
    write_workbook(analysis, out)
    again, report = rosxl.convert(out)
    assert [p.code for p in report.problems] == ["language-chosen", "rosxl-workbook"]
    assert report.rows_read == report.scenarios == len(analysis.scenarios) and not report.skipped
    expected = rosxl.read_analysis(out)
    assert [s.to_dict() for s in again.scenarios] == [s.to_dict() for s in expected.scenarios]
    assert [(s.id, s.title, s.probability, s.consequences, s.zone) for s in again.scenarios] == \
        [(s.id, s.title, s.probability, s.consequences, s.zone) for s in analysis.scenarios]
