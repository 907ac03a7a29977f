"""A form: one scenario per sheet, each value beside or below its label."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from rosxl.analysis import Scenario
from rosxl.conversion.extract import Extracted, Log
from rosxl.conversion.extract.assign import Assigner
from rosxl.conversion.layout import Layout


def extract_form(file: str, layout: Layout, assigner: Assigner, role: str) -> Extracted:
    """The form's one scenario (titled by the sheet's name when it has no title); other rows are context."""
    sheet = layout.sheet
    log = Log(sheet)
    columns = [{"column": f"{get_column_letter(i.col + 1)}{i.row + 1}", "label": i.label,
                "field": str(i.field) if i.field else None,
                "score": 1.0 if i.field else 0.0, "sure": i.field is not None} for i in layout.form]
    first = layout.form[0]
    cell = f"{get_column_letter(first.col + 1)}{first.row + 1}"
    s = Scenario(source={"file": file, "sheet": sheet.name, "cell": cell})
    for item in layout.form:
        if item.field is None or item.value is None:
            s.extra[item.label] = item.value
        else:
            assigner.set(s, item.field, item.value, item.label, item.scale, log)
    log.keep_context({item.row for item in layout.form} | {i.row - 1 for i in layout.form}, "skjema")
    if s.title is None:
        s.title = sheet.name
        s.review.append(f"tittelen er hentet fra arknavnet «{sheet.name}»")
    log.outcomes.append(s)
    return log.freeze(role, {"columns": columns})
