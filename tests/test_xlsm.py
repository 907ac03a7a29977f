"""The macro-enabled template (.xlsm/.xltm), read back by independent readers.

olefile reads the compound file, oletools' olevba the VBA project and its module sources,
LibreOffice imports the project as Basic, openxml-audit checks the package, and xlwings' own
Excel-made quickstart workbook checks the project-text encryption.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from types import ModuleType
from typing import cast
from xml.etree import ElementTree

import olefile
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from rosxl.analysis import Analysis
from rosxl.cli import cli
from rosxl.criteria import load_criteria
from rosxl.criteria.model import Language
from rosxl.excel import cfb, ovba
from rosxl.excel.xlsm import (
    MAIN_TYPES,
    UI_PART,
    VBA_PART,
    VBA_TYPE,
    MacroWorkbookError,
    own_module_source,
    ribbon,
    wrapper_source,
    write_macro_workbook,
)
from tests.libreoffice import convert

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsm") / "ROS.xlsm"
    result = CliRunner().invoke(cli, ["template", "--flavour", "xlwings", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def olevba() -> ModuleType:
    """oletools' olevba (its pyparsing import warns about a deprecated name: not ours to fix)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from oletools import olevba as module
    return cast(ModuleType, module)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def macros(data: bytes) -> dict[str, tuple[str, str]]:
    """Module name -> (olevba's file name, source), as olevba reads the project."""
    parser = olevba().VBA_Parser("vbaProject.bin", data=data)
    try:
        return {stream.rpartition("/")[2]: (name, code) for _, stream, name, code in parser.extract_macros()}
    finally:
        parser.close()


# --- the package ---------------------------------------------------------------------------------


def test_the_package_is_macro_enabled(xlsm: Path) -> None:
    found = parts(xlsm)
    types = found["[Content_Types].xml"].decode("utf-8")
    assert f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN_TYPES[".xlsm"]}"/>' in types
    assert f'<Override PartName="/{VBA_PART}" ContentType="{VBA_TYPE}"/>' in types
    assert "spreadsheetml.sheet.main+xml" not in types
    rels = found["xl/_rels/workbook.xml.rels"].decode("utf-8")
    assert re.search(r'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                     r'Target="vbaProject.bin" Id="rId\d+"', rels)
    assert 'Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility" Target="customUI/' \
           in found["_rels/.rels"].decode("utf-8")
    assert found[VBA_PART][:8] == cfb.MAGIC


def test_code_names_match_the_document_modules(xlsm: Path) -> None:
    found = parts(xlsm)
    assert '<workbookPr codeName="ThisWorkbook"' in found["xl/workbook.xml"].decode("utf-8")
    sheets = {re.search(r'<sheetPr codeName="(\w+)"', found[p].decode("utf-8")).group(1)  # type: ignore[union-attr]
              for p in found if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", p)}
    documents = {name for name, (file, _) in macros(found[VBA_PART]).items() if file.endswith(".cls")}
    assert documents == sheets | {"ThisWorkbook"}


def test_ribbon_buttons_call_the_macros_in_the_workbook(xlsm: Path) -> None:
    ui = parts(xlsm)[UI_PART].decode("utf-8")
    actions = dict(re.findall(r'label="([^"]+)"[^>]*?onAction="(\w+)"', ui, re.DOTALL))
    assert set(actions) == {"Beregn på nytt", "Frys verdier"}
    own = macros(parts(xlsm)[VBA_PART])["rosxl"][1]
    for sub in actions.values():
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)", own, re.MULTILINE)


@pytest.mark.parametrize(("language", "labels"), [("nb", {"Beregn på nytt", "Frys verdier"}),
                                                   ("nn", {"Rekn ut på nytt", "Frys verdiar"})])
def test_the_ribbon_speaks_the_workbooks_language(language: Language, labels: set[str]) -> None:
    root = ElementTree.fromstring(ribbon(language))
    buttons = root.findall(".//{http://schemas.microsoft.com/office/2006/01/customui}button")
    assert {b.get("label") for b in buttons} == labels
    assert {b.get("onAction") for b in buttons} == {"RosBaandBeregnPaNytt", "RosBaandFrysVerdier"}


def test_olevba_finds_the_wrappers_and_macros_as_generated(xlsm: Path) -> None:
    found = macros(parts(xlsm)[VBA_PART])
    assert found["xlwings_udfs"] == ("xlwings_udfs.bas", wrapper_source())
    assert found["rosxl"] == ("rosxl.bas", own_module_source())
    # ... which are the files in vba_stub/ that IT may still import by hand
    assert wrapper_source().encode("ascii") == (ROOT / "vba_stub" / "xlwings_udfs.bas").read_bytes()
    assert own_module_source().encode("cp1252") == (ROOT / "vba_stub" / "rosxl.bas").read_bytes()
    assert "Function ros_kriterier_last(kriterier)" in found["xlwings_udfs"][1]


def test_openxml_audit_finds_no_error(xlsm: Path) -> None:
    from openxml_audit import FileFormat, OpenXmlValidator

    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=100).validate(xlsm)
    assert [e.description for e in result.errors if e.severity.name == "ERROR"] == []


def test_a_template_gets_the_template_content_type(tmp_path: Path) -> None:
    path = write_macro_workbook(Analysis(load_criteria("standard")), tmp_path / "Ny ROS-analyse.xltm")
    assert MAIN_TYPES[".xltm"] in parts(path)["[Content_Types].xml"].decode("utf-8")


def test_refusals(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", "-o", str(tmp_path / "ROS.xlsm")])
    assert result.exit_code == 1
    assert "en arbeidsbok med makroer lages med --flavour xlwings" in result.output
    assert not (tmp_path / "ROS.xlsm").exists()
    with pytest.raises(MacroWorkbookError, match="må hete .xlsm"):
        write_macro_workbook(Analysis(load_criteria("standard")), tmp_path / "ROS.xlsx")


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_imports_the_vba_project(xlsm: Path, tmp_path: Path) -> None:
    """LibreOffice's own MS-OVBA reader turns every module into Basic, with its source."""
    found = parts(convert(xlsm, "ods", tmp_path)[0])
    basic = {Path(name).stem: data.decode("utf-8") for name, data in found.items()
             if name.startswith("Basic/VBAProject/") and not name.endswith("script-lb.xml")}
    assert set(basic) == set(macros(parts(xlsm)[VBA_PART]))
    assert "VBA_ModuleType=VBADocumentModule" in basic["ThisWorkbook"]
    for line in ("Public Sub RosFrysVerdier()", "Knapp «Beregn på nytt»"):
        assert line in basic["rosxl"]
    assert "ros_kriterier_last = XLPy.CallUDF(&quot;rosxl.udfs&quot;" in basic["xlwings_udfs"]


# --- the writers, against independent readers ------------------------------------------------------


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(alphabet="abc dé\r\n«»()=_", max_size=9000))
def test_compression_round_trips_through_oletools(text: str) -> None:
    data = text.encode("cp1252")
    assert bytes(olevba().decompress_stream(bytearray(ovba.compress(data)))) == data


def test_compression_shrinks_source() -> None:
    source = wrapper_source().encode("ascii")
    assert len(ovba.compress(source)) < len(source) / 3


names = st.text(alphabet="ABCdef_0123", min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.dictionaries(st.lists(names, min_size=1, max_size=3).map("/".join), st.binary(max_size=9000),
                       min_size=1, max_size=12))
def test_compound_file_round_trips_through_olefile(streams: dict[str, bytes]) -> None:
    paths = set(streams)
    if any(p.startswith(q + "/") for p in paths for q in paths):
        return  # a path cannot be both a stream and a storage
    with olefile.OleFileIO(io.BytesIO(cfb.write(streams))) as ole:
        assert {"/".join(e) for e in ole.listdir()} == paths
        for path, data in streams.items():
            assert ole.openstream(path).read() == data


def test_project_encryption_reads_excels_own_project() -> None:
    """xlwings' quickstart.xlsm was saved by Excel: its visibility and password decrypt as the spec says."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as z, \
            olefile.OleFileIO(io.BytesIO(z.read(VBA_PART))) as ole:
        text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.MULTILINE))
    assert ovba.decrypt(values["GC"], values["ID"]) == b"\xff"
    assert ovba.decrypt(values["DPB"], values["ID"]) == b"\x00"
    assert ovba.decrypt(values["CMG"], values["ID"]) == bytes(4)
    for seed in range(8):
        assert ovba.decrypt(ovba.encrypt(b"\x00\xff", values["ID"], seed), values["ID"]) == b"\x00\xff"
