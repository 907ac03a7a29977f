"""The committed templates in ``workbook_templates/``: build them, and compare them with a fresh build.

Run ``python -m rosxl.workbook.templates [DIR]`` to regenerate one native and one xlwings template
per shipped preset, in the preset's own written form (``<preset>.xlsx``, ``<preset>-xlwings.xlsx``).
openpyxl stamps the save time into the file, so templates are compared by content
(:func:`fingerprint`: cells, formulas, styles that matter, names, conditional formats, validations,
tables), not by bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rosxl.analysis import Analysis
from rosxl.criteria import list_presets, load_criteria
from rosxl.workbook.layout import Flavour
from rosxl.workbook.write import write_workbook

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "workbook_templates"
FLAVOURS: tuple[Flavour, ...] = ("native", "xlwings")


def template_name(preset: str, flavour: Flavour) -> str:
    return f"{preset}.xlsx" if flavour == "native" else f"{preset}-{flavour}.xlsx"


def build_templates(directory: Path = DEFAULT_DIR) -> list[Path]:
    """Write every preset's templates into ``directory``; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for info in list_presets():
        criteria = load_criteria(info.name)
        for flavour in FLAVOURS:
            written.append(write_workbook(Analysis(criteria), directory / template_name(info.name, flavour),
                                          flavour=flavour))
    return written


def fingerprint(path: Path) -> dict[str, Any]:
    """What a template contains, independent of save time and zip layout."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames,
                           "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.data_type, c.fill.fgColor.rgb, c.font.b)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.fill.fill_type]
        cf = [(str(cf.sqref), [(r.type, r.formula, r.dxf.fill.fgColor.rgb if r.dxf and r.dxf.fill else None)
                                for r in cf.rules]) for cf in ws.conditional_formatting]
        dv = [(str(d.sqref), d.type, d.formula1, d.errorStyle) for d in ws.data_validations.dataValidation]
        out[ws.title] = {"cells": cells, "cf": cf, "dv": dv, "state": ws.sheet_state,
                         "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
                         "widths": sorted((k, d.width, d.hidden) for k, d in ws.column_dimensions.items()),
                         "freeze": ws.freeze_panes, "print": (ws.page_setup.orientation, ws.page_setup.paperSize)}
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    for path in build_templates(Path(args[0]) if args else DEFAULT_DIR):
        print(path)


if __name__ == "__main__":
    main()
