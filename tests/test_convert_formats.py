"""The converter on .xls and .ods (made by LibreOffice) and its workbooks in LibreOffice and ``rosxl check``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import rosxl
from corpus.legacy import build_all
from rosxl.conversion.batch import convert_batch
from rosxl.workbook.check import check_workbook
from rosxl.workbook.layout import SHEET, Layout
from rosxl.workbook.read import read_workbook
from tests import libreoffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
SAME_IN_ALL_FORMATS = ("two_row_header", "nynorsk", "legend", "several_sheets", "matrix", "form", "risk_words")


def summary(path: Path) -> list[tuple[object, ...]]:
    analysis, report = rosxl.convert(path)
    assert report.rows_read == report.scenarios + len(report.skipped)
    return [(s.id, s.title, s.category, s.probability, s.consequences, s.zone, s.residual.probability,
             s.residual.consequences) for s in analysis.scenarios]


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_xls_and_ods_convert_like_xlsx(tmp_path: Path, target: str) -> None:
    corpus = build_all(tmp_path / "src")
    sources = [corpus[n] for n in SAME_IN_ALL_FORMATS]
    converted = libreoffice.convert(sources, target, tmp_path / target)
    for source, other in zip(sources, converted, strict=True):
        assert summary(other) == summary(source), other.name


def test_converted_workbooks_compute_zones_in_libreoffice_and_pass_check(tmp_path: Path) -> None:
    corpus = build_all(tmp_path / "src")
    report = convert_batch([tmp_path / "src"], tmp_path / "out", jobs=2)
    assert report.ok
    outputs = [Path(f.outputs["xlsx"]) for f in report.files]
    recalculated = libreoffice.convert(outputs, "xlsx:Calc MS Excel 2007 XML", tmp_path / "recalc")
    assert len(recalculated) == len(corpus)
    for file_report, original, recalc in zip(report.files, outputs, recalculated, strict=True):
        analysis = rosxl.read_analysis(original)
        layout = Layout(analysis.criteria)
        ws = openpyxl.load_workbook(recalc, data_only=True)[SHEET]
        zone_col = layout["zone"].index
        language = read_workbook(original).layout.language  # a nynorsk source: nynorsk labels
        labels = {z.label(language): z.key for z in analysis.criteria.zones}
        for row, scenario in enumerate(analysis.scenarios, start=2):
            computed = analysis.criteria.worst_zone([analysis.criteria.zone(scenario.probability, k, a)
                                                     for a, k in scenario.consequences.items()])
            if computed is not None:
                shown = ws.cell(row, zone_col).value
                assert labels.get(shown, shown) == computed, (original.name, row, shown)
        listed = {(r.get("check"), r["note"]) for r in file_report.review}
        for finding in check_workbook(original):
            assert (finding.code, finding.message) in listed, (original.name, finding)
