"""Freezing a workbook needs neither Excel nor xlwings: the worksheet functions live in the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rosxl import udfs
from rosxl.excel import functions

PROBE = """
import sys
from pathlib import Path
import openpyxl
from openpyxl.workbook.defined_name import DefinedName
from rosxl.excel.freeze import freeze
from rosxl.workbook.criteria_sheet import criteria_to_grid
from rosxl.criteria import load_criteria

wb = openpyxl.Workbook()
ws = wb.active
ws["A1"], ws["B1"] = 3, 4
ws["C1"] = "=ros_sone(A1,B1)"
ws["D1"] = '=ros_sannsynlighet("1 gang per 20 år")'
out = Path(sys.argv[1])
wb.save(out / "inn.xlsx")
report = freeze(out / "inn.xlsx", out / "ut.xlsx")
assert report.ok and report.frozen["Sheet!C1"] == "Rød – uakseptabel", report
assert report.frozen["Sheet!D1"] == 2, report
print(sorted(m for m in sys.modules if m.split(".")[0] == "xlwings"))
"""


def test_freeze_does_not_import_xlwings(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_add_in_registers_the_library_functions() -> None:
    names = {n for n in dir(udfs) if n.startswith("ros_")}
    assert names == set(functions.FUNCTIONS)
    for name in names:
        assert getattr(udfs, name).__doc__, name  # the Function Wizard's description


def test_shapes() -> None:
    assert functions.rows(3.0) == [[3.0]] and functions.rows([1.0, 2.0]) == [[1.0, 2.0]]
    assert functions.cells([[1.0, 2.0], [3.0, 4.0]]) == [1.0, 2.0, 3.0, 4.0] and functions.cells("x") == ["x"]
