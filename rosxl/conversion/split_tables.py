"""One table split over several sheets: the same header on each, often one sheet per category
("Naturhendelser", "Helse", …) with a row or two under it.

One or two rows are too few for content to tell a title from a description, or a category from a
consequence area ("Helse"). The sheets' rows are weighed together, as the one table they are, and
every sheet's table takes the columns so decided. A column whose values on every sheet are that
sheet's own name is the category (the sheet holds one category, and the column says which).
"""

from __future__ import annotations

from dataclasses import replace

from rosxl.conversion.evidence import Decision, evidence_for
from rosxl.conversion.header_rows import cell_label
from rosxl.conversion.headers import Match
from rosxl.conversion.layout import Layout, Table, find_table, weigh_content
from rosxl.conversion.read import Sheet
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.text import normalise

CATEGORY = FieldPath("category")
MAX_SHEET_NAME = 31  # Excel cuts a sheet's name here: a longer category stands cut in the name


def weigh_together(layouts: list[Layout], criteria: Criteria) -> None:
    """Weigh the tables of sheets with the same header together (see the module docstring); only
    sheets of one plain table each (not turned, nothing beside or below it) are joined."""
    groups: dict[tuple[tuple[str, ...], ...], list[Layout]] = {}
    for layout in layouts:
        table = layout.table
        if layout.kind == "table" and table is not None and not layout.transposed and not layout.more and \
                table.sheet is None and table.beside is None and not layout.sheet.hidden:
            groups.setdefault(_header_key(layout.sheet, table), []).append(layout)
    for group in groups.values():
        if len(group) >= 2:
            _weigh_group(group, criteria)


def _header_key(sheet: Sheet, table: Table) -> tuple[tuple[str, ...], ...]:
    key = []
    for r in table.header_rows:
        labels = [normalise(t) if (t := cell_label(v)) else "" for v in sheet.rows[r]]
        while labels and not labels[-1]:
            labels.pop()
        key.append(tuple(labels))
    return tuple(key)


def _weigh_group(group: list[Layout], criteria: Criteria) -> None:
    first = group[0].sheet
    tables = [layout.table for layout in group if layout.table is not None]
    rows = first.rows[:tables[0].end] + [row for layout, t in zip(group[1:], tables[1:], strict=True)
                                          for row in layout.sheet.rows[t.first_row:t.end]]
    pooled_sheet = Sheet(first.name, rows, first.merged)
    pooled = find_table(pooled_sheet, criteria)
    if pooled is None or pooled.header_rows != tables[0].header_rows:
        return
    named = next((c.index for c in pooled.columns  # «Kategori» over them says so itself
                  if c.match.field != CATEGORY and _holds_sheet_names(group, c.index)), None)
    weigh_content(pooled_sheet, pooled, evidence_for(criteria), {} if named is None else {named: CATEGORY})
    for col in pooled.columns:
        if col.index == named:  # the mapping's way to fix a field, reported as what it is: content
            col.decision = Decision(CATEGORY, 1.0, "by-content", "arkets navn i hver rad")
            col.match = Match(CATEGORY, 1.0, col.match.label)
    for table in tables:
        table.columns = [replace(c) for c in pooled.columns]


def _holds_sheet_names(group: list[Layout], col: int) -> bool:
    """On every sheet, the column's values are the sheet's name (cut like a sheet name)."""
    for layout in group:
        assert layout.table is not None
        name = normalise(layout.sheet.name)
        values = [normalise(str(v)) for r in range(layout.table.first_row, layout.table.end)
                  if (v := layout.sheet.value(r, col)) is not None]
        if not values or not all(v == name or (len(layout.sheet.name) == MAX_SHEET_NAME and v.startswith(name))
                                 for v in values):
            return False
    return True
