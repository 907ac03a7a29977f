"""Forms and legends: a sheet of labels with their values down one column (one scenario per sheet,
as a DSB analysis form), and a sheet or block of «level – word» rows that says what a source's
scale means (:func:`read_legend`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rosxl.conversion.header_rows import cell_label
from rosxl.conversion.headers import Match, group_context, match
from rosxl.conversion.read import Sheet
from rosxl.conversion.values import Scale, inline_levels, legend_alternatives
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.text import normalise

#: The fields a form must name one of (besides two more): the title, or a class before measures.
_KEY_FIELDS = {FieldPath("title"), FieldPath("probability"), FieldPath("consequence"), FieldPath("risk")}


@dataclass
class FormItem:
    label: str
    field: FieldPath | None
    value: object
    row: int
    col: int
    scale: Scale | None = None  # a level marked under a row of level labels: that row's scale



def find_form(sheet: Sheet, criteria: Criteria) -> list[FormItem]:
    """Label/value pairs down the first used column; empty unless three fields are found."""
    items: list[FormItem] = []
    group: str | None = None
    label_col = next((c for c in range(sheet.width)
                      if any(cell_label(sheet.value(r, c)) for r in range(len(sheet.rows)))), 0)
    rows = sheet.rows
    r = 0
    while r < len(rows):
        label = cell_label(sheet.value(r, label_col))
        if label is None:
            r += 1
            continue
        key = label.rstrip(":")
        beside = next(((c, v) for c in range(label_col + 1, len(rows[r])) if (v := rows[r][c]) is not None), None)
        found = match(key, criteria, group) if _label_like(key) else Match(None, 0.0, key)
        levels = _level_columns(rows, r, label_col)
        if levels:  # "Sannsynlighet | Svært lav | Lav | …", a mark under one in the rows below
            r = _marked(sheet, r, key, found, levels, label_col, criteria, items)
            continue
        if beside is None and group_context(key) and not found.field:
            group = key
            r += 1
            continue
        if beside is None and r + 1 < len(rows) and found.field and \
                not match(str(sheet.value(r + 1, label_col) or ""), criteria).field:
            below = sheet.value(r + 1, label_col)
            items.append(FormItem(key, found.field, below, r + 1, label_col))
            r += 2
            continue
        value, col = (beside[1], beside[0]) if beside else (None, label_col)
        items.append(FormItem(key, found.field, value, r, col))
        r += 1
    fields = {i.field for i in items if i.field}
    return items if len(fields) >= 3 and fields & _KEY_FIELDS else []


def _level_columns(rows: list[list[object]], r: int, label_col: int) -> list[int]:
    """The columns of a row of level labels right of a form's label (three or more side by side, all
    text or the numbers 1…n) when the row below has one mark under them (a short one: «x», «✓»; not
    a section row's words under a table's header); else empty."""
    row = rows[r]
    cols = [c for c in range(label_col + 1, len(row)) if row[c] is not None]
    if len(cols) < 3 or cols[-1] - cols[0] + 1 != len(cols) or r + 1 >= len(rows) or not (
            all(isinstance(row[c], str) for c in cols) or [row[c] for c in cols] == list(range(1, len(cols) + 1))):
        return []
    below = rows[r + 1]
    marks = [v for c in cols if c < len(below) and (v := below[c]) is not None]
    return cols if len(marks) == 1 and len(str(marks[0]).strip()) <= 3 else []


def _marked(sheet: Sheet, r: int, key: str, found: Match, levels: list[int], label_col: int, criteria: Criteria,
            items: list[FormItem]) -> int:
    """The form items of a row of level labels at ``r``: its own label's level (a mark in the row
    below, whose label cell is empty), or one item per labelled row below ("Liv og helse" under
    "Konsekvenstype") with the level of its mark. Returns the first row after them."""
    scale = Scale(len(levels), origin=f"nivåene ved «{key}»")
    r += 1
    while r < len(sheet.rows):
        marks = [c for c in levels if sheet.value(r, c) is not None]
        if len(marks) != 1:
            break
        label = cell_label(sheet.value(r, label_col))
        item = key if label is None else label.rstrip(":")
        field = found.field if label is None else match(item, criteria, key).field
        items.append(FormItem(item, field, levels.index(marks[0]) + 1, r, marks[0], scale))
        r += 1
    return r


def _label_like(text: str) -> bool:
    """A form's label is a few words, not a sentence: an instruction ("2. Vurder sannsynlighet fra
    1 til 5.") names fields without being one."""
    words = len(text.split())
    return words <= 6 and not (text.endswith((".", "!")) and words >= 4)  # "Nr." is a label


def scale_level(v: object) -> tuple[int, str | None] | None:
    """A legend level: 1–9, or a letter A–E (with the letter as a word)."""
    if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 9:
        return v, None
    t = cell_label(v)
    if t and re.fullmatch(r"[A-Ea-e]", t):
        return ord(t.upper()) - 64, t
    if t and t.isascii() and t.isdigit() and 1 <= int(t) <= 9:
        return int(t), None
    return None


def read_legend(sheet: Sheet) -> dict[str, Scale]:
    """Scales from blocks of "level – word" rows under a probability or consequence heading."""
    found: dict[str, dict[str, int]] = {}
    clashes: set[tuple[str, str]] = set()
    kind: str | None = None
    for values in sheet.rows:
        cells = [v for v in values if v is not None]
        if not cells:
            continue
        found_level = next(((i, lv) for i, v in enumerate(values) if (lv := scale_level(v))), None)
        if found_level is None:
            heading = " ".join(normalise(v) for v in cells if isinstance(v, str))
            kind = "probability" if "sannsyn" in heading else "consequence" if "konsekv" in heading else kind
            if kind is not None:  # a scale across the row, or in one cell: "1 = Lite sannsynlig, 2 = …"
                for inline, at in inline_levels(cells).items():
                    found.setdefault(kind, {}).setdefault(inline, at)
            continue
        i, (level, letter) = found_level
        word = next((cell_label(v) for v in values[i + 1:] if cell_label(v)), None)
        if kind is None or word is None:
            continue
        words = found.setdefault(kind, {})
        words.setdefault(normalise(word), level)
        for part in legend_alternatives(word):  # "Alvorlig/ farlig": either word names the level
            if words.setdefault(part, level) != level:
                clashes.add((kind, part))
        if letter:
            words.setdefault(normalise(letter), level)
        m = re.fullmatch(r"(.*?)\s*\(\d\)", normalise(word))
        if m:
            words.setdefault(m.group(1), level)
    for kind, part in clashes:  # a part shared by two levels names neither
        found[kind].pop(part, None)
    return {k: Scale(max(w.values()), w, origin=f"tegnforklaringen i ark «{sheet.name}»")
            for k, w in found.items() if len(set(w.values())) >= 3}
