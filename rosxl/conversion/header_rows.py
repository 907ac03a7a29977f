"""Which rows of a sheet are a table's header, and each column's label under its group cells.

One to three header rows: group rows above the best-matching row, or group cells in it (merged
across columns, or context words such as "Konsekvens", "Før tiltak") with sub-labels below, or a
row of abbreviations ("S", "K") under labelled columns. A column's label is its own cell in the last
header row (or a group cell merged down to it) under the group labels above ("Før tiltak /
Konsekvens / Økonomi"); an area named by a group cell over "K" gives the consequence its area.
"""

from __future__ import annotations

from dataclasses import dataclass

from rosxl.conversion.evidence import Decision
from rosxl.conversion.headers import Match, assign, group_context, match
from rosxl.conversion.read import Sheet
from rosxl.conversion.values import Scale, scale_from_header
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath


def cell_label(v: object) -> str | None:
    """A label as the source wrote it (only outer spaces trimmed), or ``None``."""
    if not isinstance(v, str):
        return None
    return v.strip() or None


@dataclass
class Column:
    index: int
    label: str  # as shown in the report: "Konsekvens / Økonomi"
    match: Match
    scale: Scale | None = None
    decision: Decision | None = None  # header and content combined (:mod:`.evidence`)
    level: int | None = None  # one column per level under a group ("Sannsynlighet" over 1…5): a mark is this level


def merged_at(sheet: Sheet, r: int, c: int) -> tuple[int, int, int, int] | None:
    return next((m for m in sheet.merged if m[0] <= r <= m[2] and m[1] <= c <= m[3]), None)


MAX_HEADER_ROWS = 3


def header_rows(sheet: Sheet, r: int, criteria: Criteria) -> tuple[int, ...]:
    """The header rows around the best-matching row ``r``, up to three: group rows above it, or
    group cells in ``r`` (merged across columns, or context words) with sub-labels below; a group
    row may itself stand under a group row ("Før tiltak" over "Konsekvens" over the areas)."""
    def grouped(g: int) -> list[int]:
        return [c for c, v in enumerate(sheet.rows[g]) if (t := cell_label(v)) and
                (group_context(t) or ((m := merged_at(sheet, g, c)) is not None and m[3] > m[1]))]

    def over(above: int, row: int) -> bool:  # ``above`` holds the groups of ``row``
        texts = [c for c, v in enumerate(sheet.rows[above]) if cell_label(v)]
        groups = grouped(above)
        return bool(texts) and (len(groups) * 2 >= len(texts) or (bool(groups) and all(  # labels over empty cells
            c in groups or sheet.value(row, c) is None for c in texts)))

    def abbreviations(row: int, below: int, subs: list[tuple[int, str]]) -> bool:
        """Short labels of fields ("S", "K", "R"), each under a labelled column ("Sannsynlighet",
        "Økonomi", or a label that names no field, "Forventet hyppighet"): a second header row
        without merges or group words."""
        def short(c: int, t: str) -> bool:
            return len(t) <= 3 and match(t, criteria).score >= 0.95 and cell_label(sheet.value(row, c)) is not None

        others = [c for c, t in subs if not short(c, t)]  # only beside the fields (a legend beside the table)
        return len(subs) - len(others) >= 2 and not any(
            (h := cell_label(sheet.value(row, c))) and match(h, criteria).field for c in others)

    def under(row: int, below: int, deeper: bool) -> bool:  # ``below`` holds the sub-labels of ``row``'s groups
        if below >= len(sheet.rows):
            return False
        if not deeper and any(isinstance(v, int) for v in sheet.rows[below]) and level_runs(sheet, row, below):
            return True
        subs = [(c, t) for c, v in enumerate(sheet.rows[below]) if (t := cell_label(v))]
        if not grouped(row):
            return not deeper and abbreviations(row, below, subs)
        if deeper and any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.rows[below]):
            return False  # a third row: labels, no numbers
        if deeper and (len(subs) < 2 or not all(  # a third row's labels all stand under a merged group cell
                (m := merged_at(sheet, row, c)) is not None and m[3] > m[1] for c, _ in subs)):
            return False  # («Konsekvens» over the areas), unlike a section row («1. | Helse»)
        if any((m := merged_at(sheet, below, c)) is not None and
               sum(cell_label(sheet.value(row, k)) is not None for k in range(m[1], m[3] + 1)) >= 2 for c, _ in subs):
            return False  # a cell merged under two labels: a section row («Helse» across the table)
        beneath = [c for c, _ in subs if sheet.value(row, c) is None or merged_at(sheet, row, c)]
        return bool(beneath) and sum(1 for _, t in subs if match(t, criteria).field) * 2 >= len(subs)

    rows = [r]
    while len(rows) < MAX_HEADER_ROWS and rows[0] > 0 and over(rows[0] - 1, rows[0]):
        rows.insert(0, rows[0] - 1)
    if len(rows) == 1:
        while len(rows) < MAX_HEADER_ROWS and under(rows[-1], rows[-1] + 1, len(rows) > 1):
            rows.append(rows[-1] + 1)
    return tuple(rows)


def _in_group_area(found: Match, parts: list[str], criteria: Criteria) -> Match:
    """A consequence or risk column under a group cell naming an area ("Økonomi" over "K" and "R"):
    the consequence is in that area; that area's own risk is kept in ``extra``."""
    field = found.field
    if not parts or field is None or field.field not in ("consequence", "risk") or field.area is not None:
        return found
    named = match(parts[-1], criteria).field
    if named is None or named.field != "consequence" or named.area is None:
        return found
    if field.field == "risk":
        return Match(None, 0.0, found.label)
    return Match(FieldPath("consequence", named.area, field.residual or named.residual), found.score, found.label)


def _groups(sheet: Sheet, g: int) -> list[str | None]:
    """The group label over each column: from merged cells, or (without merges) a context word
    carried right over empty cells."""
    labels: list[str | None] = []
    carry: str | None = None
    for c in range(sheet.width):
        m = merged_at(sheet, g, c)
        text = cell_label(sheet.value(m[0], m[1]) if m else sheet.value(g, c))
        if text is None and not sheet.merged and carry:
            text = carry
        carry = text if text and group_context(text) else (carry if text is None else None)
        labels.append(text)
    return labels


def level_runs(sheet: Sheet, row: int, below: int) -> list[range]:
    """Runs of level columns: under one group cell of ``row`` merged across them, the numbers 1…n
    (n ≥ 3) in ``below``, one per column ("Sannsynlighet" over 1 2 3 4 5, a mark in one)."""
    runs = []
    for m in sheet.merged:
        if m[0] <= row <= m[2] and m[2] < below and m[3] - m[1] >= 2:
            cols = range(m[1], m[3] + 1)
            levels = [sheet.value(below, c) for c in cols]
            if all(isinstance(v, int) and not isinstance(v, bool) for v in levels) and \
                    levels in (list(range(1, len(cols) + 1)), list(range(len(cols), 0, -1))):
                runs.append(cols)
    return runs


def header_columns(sheet: Sheet, rows: tuple[int, ...], criteria: Criteria) -> list[Column]:
    """Each labelled column: its own label in the last header row (or a group cell merged down to
    it), under the group labels of the rows above ("Før tiltak / Konsekvens / Økonomi"); under a
    group cell over the levels 1…n, one level column each, with the group's field."""
    columns = []
    sub_row = rows[-1]
    levels = {c: len(run) for run in (level_runs(sheet, rows[-2], sub_row) if len(rows) > 1 else [])
              for c in run}
    groups = [_groups(sheet, g) for g in rows[:-1]]
    for c in range(sheet.width):
        sub = cell_label(sheet.value(sub_row, c))
        parts: list[str] = []
        only_group = False  # a column under a group word ("Før tiltak") with no label of its own
        for g, labels in zip(rows, groups, strict=False):
            text = labels[c]
            m = merged_at(sheet, g, c)
            if text is not None and m is not None and m[2] >= sub_row:  # merged down: the column's own label
                sub = text
                break
            if text is not None and text not in parts:
                parts.append(text)
        else:
            if sub is None and parts and c not in levels:
                sub = parts.pop()
                only_group = bool(group_context(sub))
        if c in levels and parts:  # a level column: the group's field, the level in the label
            level = sheet.value(sub_row, c)
            found = match(parts[-1], criteria, " / ".join(parts[:-1]) or None)
            columns.append(Column(c, f"{' / '.join(parts)} / {level}", found,
                                  Scale(levels[c], origin=f"nivåene 1–{levels[c]} under «{parts[-1]}»"), level=level))
            continue
        if sub is None:
            continue
        group = " / ".join(parts) or None
        label = f"{group} / {sub}" if group else sub
        found = Match(None, 0.0, label) if only_group else _in_group_area(match(sub, criteria, group), parts, criteria)
        columns.append(Column(c, label, found, scale_from_header(label)))
    chosen = assign([col.match for col in columns])
    for i, col in enumerate(columns):
        if i not in chosen and col.match.field and col.level is None:  # level columns share their field
            col.match = Match(None, col.match.score, col.match.label, runner_up=col.match.field)
    return columns
