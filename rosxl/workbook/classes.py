"""What a class cell of the Scenarier sheet holds: a class, or a raw fact; read as the workbook reads it.

A class cell holds a class when it holds a whole number of the scale (``2``) or one of its
dropdown entries (``"2 – Lav"``: the class, space, EN DASH, space, the criteria's label in the
sheet's written form; compared without regard to case, as Excel's MATCH does). Anything else is a
*raw fact* («1 gang per 20 år», «2,5 mill», ``9``): the ``native`` workbook shows no zone for it but
:func:`marker`, and the library reports the same, with the class the criteria would read as a
review note (:func:`suggestion_note`) that ``rosxl fill`` can write in. The formulas in
:mod:`rosxl.workbook.formulas` apply exactly this rule, so the workbook and the library agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rosxl.criteria import Criteria
from rosxl.criteria.model import ConsequenceLevel, Language, ProbabilityClass
from rosxl.text import as_int, parse_number
from rosxl.workbook.criteria_sheet import choice_text

Kind = Literal["probability", "consequence"]


def levels(criteria: Criteria, kind: Kind) -> Sequence[ProbabilityClass | ConsequenceLevel]:
    """The classes a probability or consequence cell offers."""
    return criteria.probability if kind == "probability" else criteria.consequence_levels


def choices(criteria: Criteria, language: Language, kind: Kind) -> list[str]:
    """The dropdown entries of a probability or consequence cell, class 1 first."""
    return [choice_text(c.value, c.label(language)) for c in levels(criteria, kind)]


def class_in_cell(value: object, criteria: Criteria, language: Language, kind: Kind) -> int | None:
    """The class a cell holds by the workbook's rule (a number of the scale or a dropdown entry), else ``None``."""
    offered = levels(criteria, kind)
    if isinstance(value, str):
        wanted = value.lower()
        return next((c.value for c, text in zip(offered, choices(criteria, language, kind), strict=True)
                     if text.lower() == wanted), None)
    number = as_int(value)
    return number if number is not None and any(c.value == number for c in offered) else None


def is_blank(value: object) -> bool:
    """An empty class cell, as the formulas' ``TRIM(x)=""`` sees it."""
    return value is None or (isinstance(value, str) and not value.strip(" "))


def marker(criteria: Criteria, language: Language) -> str:
    """What the zone cell of the ``native`` workbook says when a class cell holds a raw fact."""
    scale = f"1\u2013{criteria.probability_levels}"
    if language == "nn":
        return f"skriv ein klasse {scale} (eller bruk tillegget)"
    return f"skriv en klasse {scale} (eller bruk tillegget)"


def not_a_class(language: Language) -> str:
    """The hidden class helper's text for a cell that holds something other than a class."""
    return "ikkje ein klasse" if language == "nn" else "ikke en klasse"


@dataclass(frozen=True)
class Suggestion:
    """The class the criteria read in a raw fact, and the note that says so."""

    value: int
    note: str


def suggestion_of(value: object, criteria: Criteria, language: Language, area: str | None) -> Suggestion | None:
    """The class the criteria read in the raw fact ``value`` of the probability (``area`` ``None``) or of an
    area, with its note; ``None`` when they read none, or when ``value`` is a bare number off the scale."""
    if not isinstance(value, str) or parse_number(value) is not None:
        return None
    if area is None:
        reading, label = criteria.read_probability(value), "Sannsyn" if language == "nn" else "Sannsynlighet"
    else:
        reading, label = criteria.read_consequence(area, value), criteria.area(area).label(language)
    if reading.value is None:
        return None
    verb = "svarar til" if language == "nn" else "tilsvarer"
    return Suggestion(reading.value, f"{label}: «{value}» {verb} klasse {reading.value}")
