"""The macro-enabled template: the xlwings-flavour workbook as ``.xlsm`` (or ``.xltm``), ready to use.

It holds a VBA project (:mod:`rosxl.excel.ovba`) with the ``ros_*`` wrappers that xlwings' own
machinery generates (:func:`rosxl.excel.vba.generate`, the module ``xlwings_udfs``), the
template's macros (``rosxl``, from ``rosxl/data/vba/rosxl.bas``), the document modules of the
workbook and its sheets, a reference to the xlwings add-in's VBA project (``XLPy.CallUDF`` lives
there) and to the Office library (the ribbon's ``IRibbonControl``), and a ribbon tab «ROS» with
the buttons "Beregn på nytt" and "Frys verdier" (``rosxl/data/vba/customUI.xml``, labelled from
``ribbon.toml`` in bokmål or nynorsk). Nobody has to open the VBA editor; the add-in itself is
installed once per PC by ``rosxl excel install``.

The package parts are rewritten in place: the workbook's content type becomes the macro-enabled
one, ``xl/vbaProject.bin`` gets its relationship and content-type override, the workbook and each
sheet get the code name of their document module, and the package gets the customUI part.
"""

from __future__ import annotations

import io
import re
import tempfile
import tomllib
import zipfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from rosxl.analysis import Analysis
from rosxl.criteria.model import Language
from rosxl.errors import WorkbookError
from rosxl.excel import ovba
from rosxl.safety.outputs import atomic_output

#: The workbook part's content type per suffix (a template has its own).
MAIN_TYPES = {
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_PART, VBA_TYPE = "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_PART = "customUI/customUI.xml"
UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
WORKBOOK_CODE_NAME = "ThisWorkbook"
#: The xlwings add-in's project, as ``xlwings addin install`` puts it; Excel binds the reference
#: to the open add-in of that file name.
XLWINGS_REFERENCE = ovba.Reference("xlwings", "*\\C%APPDATA%\\Microsoft\\Excel\\XLSTART\\xlwings.xlam",
                                   project=True)
OFFICE_REFERENCE = ovba.Reference(
    "Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\Microsoft Shared"
              "\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library")
OWN_MODULE = "rosxl.bas"


class MacroWorkbookError(WorkbookError):
    """A macro-enabled workbook that rosxl will not write (wrong name or flavour)."""

    code = "macro-workbook-refused"


def own_module_source() -> str:
    """The template's macros (``rosxl.bas``) as stored in the project: code page 1252, CRLF."""
    return (resources.files("rosxl") / "data" / "vba" / OWN_MODULE).read_bytes().decode("cp1252")


@lru_cache(maxsize=1)
def wrapper_source() -> str:
    """The ``ros_*`` wrappers as xlwings' machinery generates them (CRLF, as in ``vba_stub``)."""
    from rosxl.excel.vba import generate

    return generate().bas_bytes().decode("ascii")


def modules(sheet_code_names: list[str]) -> list[ovba.Module]:
    """Every module of the project: workbook, sheets, wrappers, macros."""
    return [ovba.document_module(WORKBOOK_CODE_NAME, ovba.WORKBOOK_BASE),
            *(ovba.document_module(n, ovba.WORKSHEET_BASE) for n in sheet_code_names),
            ovba.Module(_module_name(wrapper_source()), wrapper_source()),
            ovba.Module(_module_name(own_module_source()), own_module_source())]


def _module_name(source: str) -> str:
    m = re.match(r'Attribute VB_Name = "(\w+)"', source)
    if m is None:
        raise WorkbookError("VBA-modulen mangler Attribute VB_Name")
    return m.group(1)


def write_macro_workbook(analysis: Analysis, path: Path, *, language: Language | None = None,
                         flavour: str = "xlwings", overwrite: bool = False) -> Path:
    """Write the xlwings-flavour workbook of ``analysis`` as a macro-enabled ``.xlsm``/``.xltm`` at ``path``."""
    from rosxl.workbook import write_workbook

    suffix = path.suffix.lower()
    if suffix not in MAIN_TYPES:
        raise MacroWorkbookError("en arbeidsbok med makroer må hete .xlsm (eller .xltm for en mal)", file=path)
    if flavour != "xlwings":
        raise MacroWorkbookError("en arbeidsbok med makroer lages med --flavour xlwings; native-malen har ingen "
                                 "makroer og skal hete .xlsx", file=path)
    with tempfile.TemporaryDirectory(prefix="rosxl-xlsm-") as work:
        plain = write_workbook(analysis, Path(work) / "ROS.xlsx", language=language, flavour="xlwings")
        data = macro_enabled(plain.read_bytes(), suffix, language or analysis.criteria.language)
    with atomic_output(path, overwrite=overwrite) as temp:
        temp.write_bytes(data)
    return path


def ribbon(language: Language = "nb") -> str:
    """The customUI part: the tab «ROS» with its two buttons, labelled in ``language``."""
    folder = resources.files("rosxl") / "data" / "vba"
    texts = tomllib.loads((folder / "ribbon.toml").read_text("utf-8"))[language]
    return (folder / "customUI.xml").read_text("utf-8").format_map(
        {key: escape(value, {'"': "&quot;"}) for key, value in texts.items()})


def macro_enabled(xlsx: bytes, suffix: str = ".xlsm", language: Language = "nb") -> bytes:
    """The package ``xlsx`` (written by rosxl) made macro-enabled, with the VBA project and the ribbon tab."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    sheets = sorted((p for p in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", p)),
                    key=lambda p: int(re.sub(r"\D", "", p)))
    code_names = [f"Ark{re.sub(r'[^0-9]', '', p)}" for p in sheets]
    for part, code_name in zip(sheets, code_names, strict=True):
        parts[part] = _with_sheet_code_name(parts[part].decode("utf-8"), code_name).encode("utf-8")
    parts["xl/workbook.xml"] = _with_workbook_code_name(parts["xl/workbook.xml"].decode("utf-8")).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if XLSX_TYPE not in types:
        raise WorkbookError("arbeidsboka har ikke innholdstypen til en .xlsx")
    types = types.replace(XLSX_TYPE, MAIN_TYPES[suffix]).replace(
        "</Types>", f'<Override PartName="/{VBA_PART}" ContentType="{VBA_TYPE}"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = _with_relationship(parts["xl/_rels/workbook.xml.rels"], VBA_RELATIONSHIP,
                                                             "vbaProject.bin")
    parts["_rels/.rels"] = _with_relationship(parts["_rels/.rels"], UI_RELATIONSHIP, UI_PART)
    parts[VBA_PART] = ovba.vba_project(modules(code_names), [XLWINGS_REFERENCE, OFFICE_REFERENCE])
    parts[UI_PART] = ribbon(language).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _with_workbook_code_name(xml: str) -> str:
    if re.search(r"<workbookPr\b[^>]*\bcodeName=", xml):
        return xml
    if "<workbookPr" in xml:
        return re.sub(r"<workbookPr\b", f'<workbookPr codeName="{WORKBOOK_CODE_NAME}"', xml, count=1)
    return re.sub(r"(<workbook\b[^>]*>)", rf'\1<workbookPr codeName="{WORKBOOK_CODE_NAME}"/>', xml, count=1)


def _with_sheet_code_name(xml: str, code_name: str) -> str:
    if re.search(r"<sheetPr\b[^>]*\bcodeName=", xml):
        raise WorkbookError("arket har allerede et kodenavn")
    if "<sheetPr" in xml:
        return re.sub(r"<sheetPr\b", f'<sheetPr codeName="{code_name}"', xml, count=1)
    return re.sub(r"(<worksheet\b[^>]*>)", rf'\1<sheetPr codeName="{code_name}"/>', xml, count=1)


def _with_relationship(rels: bytes, kind: str, target: str) -> bytes:
    xml = rels.decode("utf-8")
    taken = set(re.findall(r'Id="rId(\d+)"', xml))
    number = next(n for n in range(1, len(taken) + 2) if str(n) not in taken)
    return xml.replace("</Relationships>", f'<Relationship Type="{kind}" Target="{target}" Id="rId{number}"/>'
                                           "</Relationships>").encode("utf-8")
