"""xlwings' real Windows UDF machinery, run on Linux over rosxl.udfs (see rosxl.excel.vba).

On Linux ``@xw.func`` and ``@xw.arg`` do nothing, so these tests run xlwings' own decorators and
"Import Functions" in a subprocess with stand-ins for the Windows-only modules. A module that
Windows would reject must fail here too: the broken modules below prove the harness catches it.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from rosxl.errors import ExcelAddinError
from rosxl.excel.vba import Stub, generate

FUNCTIONS = {"ros_kriterier_last", "ros_sannsynlighet", "ros_konsekvens", "ros_sone", "ros_risiko", "ros_soner",
             "ros_matrise"}


@pytest.fixture(scope="module")
def stub() -> Stub:
    return generate()


def test_every_function_is_registered_with_its_arguments(stub: Stub) -> None:
    import inspect

    from rosxl import udfs

    assert {f.name for f in stub.functions} == FUNCTIONS
    for f in stub.functions:
        assert f.arguments == tuple(inspect.signature(getattr(udfs, f.name)).parameters)
        assert f"Function {f.name}(" in stub.bas


def test_function_wizard_texts(stub: Stub) -> None:
    for f in stub.functions:
        assert f.category == "ROS (rosxl)"
        assert 20 <= len(f.description) <= 255 and "Python function" not in f.description, f.name
        assert len(f.argument_help) == len(f.arguments), f.name
        for name, text in zip(f.arguments, f.argument_help, strict=True):
            assert 10 <= len(text) <= 255 and not text.startswith("Positional argument"), (f.name, name)


def test_optional_arguments_are_optional_in_vba(stub: Stub) -> None:
    assert "Function ros_sone(sannsynlighet, konsekvens, Optional omraade, Optional kriterier)" in stub.bas
    assert "Function ros_soner(tabell, Optional kriterier)" in stub.bas
    assert 'XLPy.CallUDF("rosxl.udfs", "ros_matrise", Array(ider, s, k, kriterier), ThisWorkbook' in stub.bas


BROKEN = {
    "misspelt_argument": ("""
        @xw.func
        @xw.arg("frekvnes", doc="Hvor ofte.")
        def ros_x(frekvens):
            return frekvens
        """, "Invalid argument name 'frekvnes'"),
    "keyword_only": ("""
        @xw.func
        def ros_x(verdi, *, kriterier=None):
            return verdi
        """, "does not support UDFs with keyword arguments"),
    "optional_and_varargs": ("""
        @xw.func
        def ros_x(verdi, kriterier=None, *rest):
            return verdi
        """, "both optional and variable length arguments"),
    "unconvertible_annotation": ("""
        @xw.func
        def ros_x(verdi: object):
            return verdi
        """, "argument verdi: xlwings cannot convert"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_harness_rejects_what_windows_would_reject(case: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    body, message = BROKEN[case]
    module = f"broken_{case}"
    (tmp_path / f"{module}.py").write_text("import xlwings as xw\n\n" + textwrap.dedent(body), "utf-8")
    with pytest.raises(ExcelAddinError, match="xlwings avviser") as info:
        generate(module, path=[tmp_path])
    assert message in str(info.value)
    # ... while on Linux the same module imports without complaint: only the harness sees it.
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module(module)
    sys.modules.pop(module, None)


def test_a_correct_module_passes_the_harness(tmp_path: Path) -> None:
    (tmp_path / "fine_udfs.py").write_text(textwrap.dedent('''
        from typing import Any
        import xlwings as xw

        @xw.func(category="Test")
        @xw.arg("verdi", doc="En verdi.")
        def ros_y(verdi: Any, kriterier: Any = None) -> Any:
            """Gir verdien tilbake."""
            return verdi
        '''), "utf-8")
    stub = generate("fine_udfs", path=[tmp_path])
    assert [(f.name, f.category, f.argument_help[0]) for f in stub.functions] == [("ros_y", "Test", "En verdi.")]
