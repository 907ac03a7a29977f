"""Excel's own rules: every template and converted example passes ``openxml-audit`` (the Open XML SDK's
schema and semantic checks, ported) with no error, and rosxl's semantic lint finds nothing; the lint
itself finds each problem it is meant to."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn
from openxml_audit import FileFormat, OpenXmlValidator

from rosxl import problems
from rosxl.workbook.lint import lint_workbook
from rosxl.workbook.ooxml import fix_styles
from rosxl.workbook.templates import DEFAULT_DIR
from tests.engines import converted_examples


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The shipped templates and the converted examples."""
    return sorted(DEFAULT_DIR.glob("*.xlsx")) + converted_examples(tmp_path_factory.mktemp("konvertert"))


@pytest.mark.slow
def test_openxml_audit_finds_no_errors(workbooks: list[Path]) -> None:
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=100)
    errors = [f"{path.name}: {e.part_uri if hasattr(e, 'part_uri') else ''} {e.description}"
              for path in workbooks for e in validator.validate(path).errors if e.severity.name == "ERROR"]
    assert not errors, "\n".join(errors[:10])
    assert len(workbooks) >= 16


@pytest.mark.slow
def test_lint_finds_nothing_in_rosxl_workbooks(workbooks: list[Path]) -> None:
    findings = [f"{path.name}: {f}" for path in workbooks for f in lint_workbook(path)]
    assert not findings, "\n".join(findings[:10])


def test_font_children_follow_the_sdk_sequence() -> None:
    openpyxl_order = b'<fonts><font><name val="Arial"/><family val="2"/><color rgb="00FFFFFF"/><sz val="10"/>' \
                     b'<b val="1"/></font><font/></fonts>'
    assert fix_styles(openpyxl_order) == (b'<fonts><font><b val="1"/><sz val="10"/><color rgb="00FFFFFF"/>'
                                          b'<name val="Arial"/><family val="2"/></font><font/></fonts>')


def broken(path: Path) -> Path:
    """A workbook with one instance of every problem the lint knows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ID", "Navn", "navn"])
    ws.append([1, "a", "b"])
    table = Table(displayName="Liste", ref="A1:C2")
    # «Id» where the header cell says «ID»; «navn» twice
    table.tableColumns = [TableColumn(id=i, name=name) for i, name in enumerate(("Id", "Navn", "navn"), start=1)]
    ws.add_table(table)
    ws.merge_cells("E1:F2")
    ws.merge_cells("F2:G3")
    ws.merge_cells("B4:C4")
    ws.merged_cells.add("A2:B2")  # into the table
    dv = DataValidation(type="list", formula1='"' + ",".join(f"klasse {i}" for i in range(40)) + '"',
                        prompt="x" * 300)
    dv.add("H1")
    ws.add_data_validation(dv)
    ws["A5"] = "=SUM(A1:A2"
    ws["A6"] = "=IFS(A1>1,1,TRUE,2)"
    ws["A7"] = "=_xlfn.IFS(A1>1,1,TRUE,2)"
    for name in ("A1B", "C3"):  # a valid name, and one that is a cell
        wb.defined_names[name] = DefinedName(name, attr_text="Sheet!$A$1")
    wb.save(path)
    return path


def test_lint_finds_every_problem(tmp_path: Path) -> None:
    findings = lint_workbook(broken(tmp_path / "feil.xlsx"))
    where = {(f.code, f.where) for f in findings}
    assert ("lint-table-header", "Sheet!A1") in where
    assert ("lint-table-duplicate", "Sheet!A1:C2") in where
    assert {("lint-merge-overlap", "Sheet!E1:F2"), ("lint-merge-overlap", "Sheet!F2:G3")} & where
    assert ("lint-merge-overlap", "Sheet!A2:B2") in where
    assert ("lint-merge-overlap", "Sheet!B4:C4") not in where
    assert sorted(f.message for f in findings if f.code == "lint-validation-length") == [
        "datavalideringen: listen har 389 tegn, Excel tillater 255",
        "datavalideringen: meldingen har 300 tegn, Excel tillater 255"]
    assert ("lint-formula-syntax", "Sheet!A5") in where
    assert [f.where for f in findings if f.code == "lint-xlfn-prefix"] == ["Sheet!A6"]
    assert [f.where for f in findings if f.code == "lint-defined-name"] == ["C3"]
    assert {f.code for f in findings} == {code for code, p in problems.registry().items() if p.domain == "lint"}
