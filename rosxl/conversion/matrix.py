"""Risk matrices typed full of scenario ids: a row of axis cells meeting a column of axis cells.

Axis cells are class numbers or codes (1…n, "S3", "K4", "3 - Middels", A–E, in order either way)
or labels the criteria read as classes ("Lite sannsynlig", "En viss fare"), strictly rising or
falling. Labels tell which axis is probability; with numbers on both, probability runs along the
rows unless a probability label ("Sannsynlighet") stands beside the horizontal axis. A criteria
sheet's zone grid (zone words, or every cell its score) is a key, not scenarios (:func:`is_key_grid`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rosxl.conversion.headers import zone_word_set
from rosxl.conversion.read import Sheet
from rosxl.criteria import Criteria
from rosxl.text import clean, normalise


@dataclass
class MatrixEntry:
    ids: list[str]
    probability: int  # the source's own levels (the criteria's when the axis has labels)
    consequence: int
    row: int
    col: int
    text: str
    probability_label: str | None = None  # the axis texts, when they are not bare numbers
    consequence_label: str | None = None


@dataclass
class Matrix:
    entries: list[MatrixEntry]
    levels: tuple[int, int]  # (probability, consequence) scale sizes of the source
    probability_on: Literal["rows", "columns"]
    cells: set[tuple[int, int]] = field(default_factory=set)  # axis and grid cells
    #: "rows"/"columns": the row where the axis starts and its texts, for axes with texts
    labels: dict[str, tuple[int, list[str]]] = field(default_factory=dict)


AxisKind = Literal["levels", "probability", "consequence"]
_AXIS_KINDS: tuple[AxisKind, ...] = ("levels", "probability", "consequence")
#: An axis cell that is a level by itself: "3", "S3", "K: 4", "3 - Middels", "3. Middels".
_AXIS_CODE = re.compile(r"(?:[sk]\s*:?\s*)?([1-9])(?:\s*[-.:)]\s*\D.*)?")
_AXIS_LABEL_CHARS = 60
_CODE_PREFIXES: dict[str, AxisKind] = {"s": "probability", "k": "consequence"}


@dataclass(frozen=True)
class _Run:
    """Consecutive axis cells: where they start, their levels, and what the levels were read as."""

    start: int
    levels: list[int]
    kind: AxisKind
    said: AxisKind | None  # which axis the cells say they are: by their labels, or "S"/"K" codes


class _AxisReader:
    """Reads axis cells as levels: class numbers and codes, or labels through the criteria."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self.area = criteria.area_keys[0]
        self.seen: dict[tuple[AxisKind, str], int | None] = {}

    def level(self, v: object, kind: AxisKind) -> int | None:
        if isinstance(v, bool) or v is None:
            return None
        if isinstance(v, int):
            return v if kind == "levels" and 1 <= v <= 9 else None
        if not isinstance(v, str) or len(v) > _AXIS_LABEL_CHARS:
            return None
        text = normalise(v)
        if (kind, text) not in self.seen:
            self.seen[kind, text] = self._read(text, kind)
        return self.seen[kind, text]

    def _read(self, text: str, kind: AxisKind) -> int | None:
        code = _AXIS_CODE.fullmatch(text)
        if kind == "levels":
            if code:
                return int(code[1])
            return ord(text.upper()) - 64 if re.fullmatch(r"[a-e]", text) else None
        if code or not re.search(r"[^\W\d_]{3}", text):  # words only: codes and numbers are "levels"
            return None
        reading = (self.criteria.read_probability(text) if kind == "probability"
                   else self.criteria.read_consequence(self.area, text))
        return reading.value if isinstance(reading.value, int) else None

    def runs(self, cells: list[object]) -> list[_Run]:
        """Runs of at least three axis cells: class numbers 1…n in order (either direction), or labels
        the criteria read as strictly rising or falling probability or consequence classes."""
        found: list[_Run] = []
        if sum(v is not None for v in cells) < 3:
            return found
        for kind in _AXIS_KINDS:
            i = 0
            while i < len(cells):
                values = []
                j = i
                while j < len(cells) and (level := self.level(cells[j], kind)) is not None:
                    values.append(level)
                    j += 1
                if _is_axis(values, kind):
                    found.append(_Run(i, values, kind, kind if kind != "levels" else _coded(cells[i:j])))
                i = j + 1
        return found


def _coded(cells: list[object]) -> AxisKind | None:
    """"probability" for cells all coded "S…", "consequence" for "K…", else ``None``."""
    prefixes = {normalise(v)[:1] if isinstance(v, str) else "" for v in cells}
    return _CODE_PREFIXES.get(prefixes.pop()) if len(prefixes) == 1 else None


def _is_axis(values: list[int], kind: AxisKind) -> bool:
    if len(values) < 3 or values not in (sorted(values), sorted(values, reverse=True)):
        return False
    if kind == "levels":
        return sorted(values) == list(range(1, len(values) + 1))
    return len(set(values)) == len(values)


def find_matrix(sheet: Sheet, criteria: Criteria) -> Matrix | None:
    """A grid of scenario ids between a row and a column of axis cells (see module docstring)."""
    reader = _AxisReader(criteria)
    height = len(sheet.rows)
    for r in range(height):
        for across in reader.runs(sheet.rows[r]):
            corner = across.start - 1
            if corner < 0:
                continue
            column = [sheet.value(i, corner) for i in range(height)]
            for down in reader.runs(column):
                if (down.start + len(down.levels) == r or down.start == r + 1) and \
                        (down.said is None or down.said != across.said):
                    return _matrix(sheet, r, across, corner, down, criteria)
    return None


def _matrix(sheet: Sheet, axis_row: int, across: _Run, axis_col: int, down: _Run, criteria: Criteria) -> Matrix:
    probability_on: Literal["rows", "columns"]
    if down.said or across.said:
        probability_on = "rows" if down.said == "probability" or across.said == "consequence" else "columns"
    else:
        around = [sheet.rows[r] for r in (axis_row - 1, axis_row, axis_row + 1) if 0 <= r < len(sheet.rows)]
        near = " ".join(normalise(v) for row in around for v in row if isinstance(v, str))
        probability_on = "columns" if "sannsyn" in near else "rows"
    c0, r0 = across.start, down.start
    entries, cells = [], {(axis_row, c0 + j) for j in range(len(across.levels))} | \
        {(r0 + i, axis_col) for i in range(len(down.levels))}
    for i, row_level in enumerate(down.levels):
        for j, col_level in enumerate(across.levels):
            r, c = r0 + i, c0 + j
            v = sheet.value(r, c)
            cells.add((r, c))
            if v is None:
                continue
            ids = [t for t in re.split(r"[,;\s]+", clean(v)) if t]
            p, k = (row_level, col_level) if probability_on == "rows" else (col_level, row_level)
            labels = (sheet.value(r, axis_col), sheet.value(axis_row, c))
            p_label, k_label = labels if probability_on == "rows" else labels[::-1]
            entries.append(MatrixEntry(ids, p, k, r, c, str(v), _label(p_label), _label(k_label)))
    runs = (down, across) if probability_on == "rows" else (across, down)
    word_levels = (criteria.probability_levels, criteria.consequence_levels_count)
    levels = tuple(w if run.kind != "levels" else len(run.levels) for run, w in zip(runs, word_levels, strict=True))
    axes = {"rows": (down.start, [sheet.value(down.start + i, axis_col) for i in range(len(down.levels))]),
            "columns": (axis_row, [sheet.value(axis_row, c0 + j) for j in range(len(across.levels))])}
    texts = {axis: (row, [v for v in values if isinstance(v, str)]) for axis, (row, values) in axes.items()}
    return Matrix(entries, (levels[0], levels[1]), probability_on, cells, {k: v for k, v in texts.items() if v[1]})


def is_key_grid(matrix: Matrix) -> bool:
    """A criteria sheet's zone grid, not scenarios: every cell a zone or colour word, or every cell
    filled with its score (probability × consequence)."""
    texts = [normalise(e.text) for e in matrix.entries]
    if all(t in zone_word_set() for t in texts):
        return True
    full = len(matrix.entries) == matrix.levels[0] * matrix.levels[1]
    return full and all(t.isdigit() and int(t) == e.probability * e.consequence for t, e in zip(texts, matrix.entries,
                                                                                             strict=True))


def _label(v: object) -> str | None:
    """An axis cell's text, when it is more than a bare class number (kept in ``raw``)."""
    return v if isinstance(v, str) else None
