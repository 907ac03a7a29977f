"""The column model of the Scenarier sheet: which columns exist, in which order, and what they hold.

A :class:`Layout` is built from the criteria (one consequence and one zone column per area, one
risk-matrix helper pair per zone matrix), the written form, the flavour, and the text fields of
:data:`rosxl.fields.FIELDS` (their headers, widths and places). Writing, reading and
formulas all take their columns from here, so the sheet's shape is defined in one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from openpyxl.utils import get_column_letter

from rosxl.criteria import Criteria
from rosxl.criteria.model import Language
from rosxl.fields import Place, sheet_fields
from rosxl.workbook.page import text_width, word_width

Flavour = Literal["native", "xlwings"]
Kind = Literal["text", "choice", "probability", "consequence", "zone", "overall", "score", "review", "data", "class",
               "position", "key", "unchanged", "flag"]
Phase = Literal["before", "after"]
PHASES: tuple[Phase, Phase] = ("before", "after")

#: First data row of the Scenarier table (row 1 is the header).
FIRST_ROW = 2
SHEET = "Scenarier"

#: Kinds of the columns a scenario is written to and read from (the others hold formulas).
INPUT_KINDS: tuple[Kind, ...] = ("text", "choice", "probability", "consequence", "review", "data")


@dataclass(frozen=True)
class Column:
    """One column of the Scenarier table.

    ``field`` is the scenario field (``"probability"``, ``"okonomi"`` for an area, a text field's path:
    a ``text`` column, or a ``choice`` column when the field has choices), ``phase``
    says before or after measures, ``matrix`` names the zone matrix of a risk-matrix helper.
    """

    key: str
    header: str
    kind: Kind
    width: float
    field: str | None = None
    phase: Phase = "before"
    matrix: str | None = None
    hidden: bool = False
    index: int = 0  # 1-based sheet column, set by Layout

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)


class Layout:
    """The Scenarier columns for given criteria, written form and flavour."""

    def __init__(self, criteria: Criteria, language: Language = "nb", flavour: Flavour = "native") -> None:
        self.criteria, self.language, self.flavour = criteria, language, flavour
        cols = [*self._texts("start"), self._prob("before"), *self._texts("basis")]
        cols += [self._cons(a, "before") for a in criteria.area_keys]
        cols += [Column(f"zone.{a}", self._t("Sone", "Sone") + f": {self._area(a)}", "zone", 14, a)
                 for a in criteria.area_keys]
        cols.append(Column("zone", self._t("Samlet sone", "Samla sone"), "overall", 16))
        cols.append(Column("score", self._t("Risikoskår", "Risikoskår"), "score", 9))
        cols += self._texts("assessment")
        cols.append(self._prob("after"))
        cols += [self._cons(a, "after") for a in criteria.area_keys]
        cols.append(Column("residual.zone", self._t("Sone etter tiltak", "Sone etter tiltak"), "overall", 16,
                           phase="after"))
        cols.append(Column("residual.unchanged", self._t("Uendret etter tiltak", "Uendra etter tiltak"), "unchanged",
                           18, phase="after"))
        cols.append(Column("review", self._t("Til kontroll", "Til kontroll"), "review", 30))
        # hidden: what the sheet keeps without showing, then the formulas' helpers
        cols.append(Column("data", "rosxl-data", "data", 10, hidden=True))
        cols += [Column(f"residual.zone.{a}", f"{self._t('Sone etter tiltak', 'Sone etter tiltak')}: {self._area(a)}",
                        "zone", 12, a, "after", hidden=True) for a in criteria.area_keys]
        # the class each class cell holds (a number, a dropdown entry, or in the xlwings flavour a raw fact
        # read by the worksheet functions); after measures, the before-measures class where none is given
        for phase in PHASES:
            suffix = "" if phase == "before" else " etter tiltak"
            cols.append(Column(f"class.{phase}.probability", f"S-klasse{suffix}", "class", 6, "probability",
                               phase, hidden=True))
            cols += [Column(f"class.{phase}.{a}", f"K-klasse{suffix}: {a}", "class", 6, a, phase, hidden=True)
                     for a in criteria.area_keys]
        cols.append(Column("flag.used", "Etter tiltak fylt ut", "flag", 6, phase="after", hidden=True))
        cols += [Column(f"flag.unread.{phase}", f"Uten klasse {'før' if phase == 'before' else 'etter'} tiltak", "flag",
                        6, phase=phase, hidden=True) for phase in PHASES]
        for m in criteria.matrices:
            for phase in PHASES:
                tag = f"{m.key} {'før' if phase == 'before' else 'etter'}"
                cols.append(Column(f"position.{phase}.{m.key}", f"Plass {tag}", "position", 6, phase=phase,
                                   matrix=m.key, hidden=True))
                cols.append(Column(f"key.{phase}.{m.key}", f"Nøkkel {tag}", "key", 6, phase=phase, matrix=m.key,
                                   hidden=True))
        zone_width = max(text_width(z.label(language), bold=True) for z in criteria.zones)  # bold when coloured
        self.columns = tuple(Column(**{**c.__dict__, "index": i, "width": _width(c, zone_width)})
                             for i, c in enumerate(cols, start=1))

    def _t(self, nb: str, nn: str) -> str:
        return nn if self.language == "nn" else nb

    def _area(self, key: str) -> str:
        return self.criteria.area(key).label(self.language)

    def _texts(self, place: Place) -> list[Column]:
        """The text fields' columns at ``place`` (:func:`rosxl.fields.sheet_fields`)."""
        return [Column(f.path, self._t(c.nb, c.nn), "choice" if f.choices else "text", c.width, f.path)
                for f in sheet_fields(place) if (c := f.column) is not None]

    def _prob(self, phase: Phase) -> Column:
        header = self._t("Sannsynlighet", "Sannsyn")
        if phase == "after":
            header += " etter tiltak"
        return Column(f"{'residual.' if phase == 'after' else ''}probability", header, "probability", 12,
                      "probability", phase)

    def _cons(self, area: str, phase: Phase) -> Column:
        after = " etter tiltak" if phase == "after" else ""
        header = f"Konsekvens{after}: {self._area(area)}"
        return Column(f"{'residual.' if phase == 'after' else ''}consequences.{area}", header, "consequence", 13,
                      area, phase)

    @cached_property
    def wrapped(self) -> tuple[Column, ...]:
        """The visible columns, whose text wraps at the top of the cell."""
        return tuple(c for c in self.columns if not c.hidden)

    @cached_property
    def input_columns(self) -> tuple[Column, ...]:
        """The columns that hold what an advisor types (and the hidden data column), left to right."""
        return tuple(c for c in self.columns if c.kind in INPUT_KINDS)

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def __getitem__(self, key: str) -> Column:
        return self.by_key[key]

    @property
    def last(self) -> Column:
        return self.columns[-1]

    def inputs(self, phase: Phase) -> tuple[Column, list[Column]]:
        """The probability column and the consequence columns of ``phase``."""
        prefix = "residual." if phase == "after" else ""
        return self[f"{prefix}probability"], [self[f"{prefix}consequences.{a}"] for a in self.criteria.area_keys]

    def classes(self, phase: Phase) -> tuple[Column, list[Column]]:
        """The hidden helper columns that hold the classes of ``phase`` as numbers (see :mod:`formulas`)."""
        return self[f"class.{phase}.probability"], [self[f"class.{phase}.{a}"] for a in self.criteria.area_keys]

    def zones(self, phase: Phase) -> list[Column]:
        prefix = "" if phase == "before" else "residual."
        return [self[f"{prefix}zone.{a}"] for a in self.criteria.area_keys]

    def overall(self, phase: Phase) -> Column:
        return self["zone" if phase == "before" else "residual.zone"]


def _width(column: Column, zone_width: float) -> float:
    """A column's width: its own, widened so no header word breaks and a zone label fits on one line."""
    if column.hidden:
        return column.width
    width = max(column.width, word_width([column.header], bold=True))
    return math.ceil(10 * (max(width, zone_width) if column.kind in ("zone", "overall") else width)) / 10


@lru_cache(maxsize=32)
def layout_for(criteria: Criteria, language: Language = "nb", flavour: Flavour = "native") -> Layout:
    """The :class:`Layout` for these arguments, built once (a layout is never changed after)."""
    return Layout(criteria, language, flavour)
