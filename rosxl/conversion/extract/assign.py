"""One source value into one field of a scenario, and the areas the source adds to the criteria."""

from __future__ import annotations

import dataclasses
from typing import Any

from rosxl.analysis import UNCERTAINTY, Scenario
from rosxl.conversion.extract import Log
from rosxl.conversion.headers import table as header_table
from rosxl.conversion.report import Problem
from rosxl.conversion.values import Mapped, Scale, ValueMapper
from rosxl.criteria import Criteria
from rosxl.criteria.model import ConsequenceArea, ConsequenceClass, Text
from rosxl.fields import TEXT_PATHS, UNDIVIDED, FieldPath
from rosxl.fields import label as field_label
from rosxl.text import clean, normalise

TEXT_FIELDS = tuple(p for p in TEXT_PATHS if p != "uncertainty")  # kept verbatim (uncertainty is a word)
_RESIDUAL_PROBABILITY = FieldPath("probability", residual=True)
_UNCERTAINTY_WORDS = {"lav": "lav", "låg": "lav", "liten": "lav", "middels": "middels", "moderat": "middels",
                      "høy": "hoy", "høg": "hoy", "stor": "hoy", "hoy": "hoy"}


def with_area(criteria: Criteria, key: str = UNDIVIDED, label: str | None = None) -> Criteria:
    """The criteria plus a consequence area they lack: «samlet» (an undivided consequence) or an area
    the source names (``[new_areas]`` in ``rosxl/data/headers.toml`` gives its labels and unit).

    **Matrix rule**: the new area is zoned by the criteria's widest matrix (the one most of their
    areas share), its classes are the criteria's shared consequence levels; so a class 4 in the new
    area means what class 4 means in most areas."""
    if key in criteria.area_keys:
        return criteria
    spec = header_table()["new_areas"].get(key, {})
    classes = tuple(ConsequenceClass(lv.value, lv.label) for lv in criteria.consequence_levels)
    name = Text(spec.get("nb", label or key), spec.get("nn", spec.get("nb", label or key)))
    area = ConsequenceArea(key, name, classes, unit=spec.get("unit"))
    widest = criteria.matrix_for(None)
    matrices = tuple(dataclasses.replace(m, areas=(*m.areas, key)) if m is widest else m
                     for m in criteria.matrices)
    return dataclasses.replace(criteria, areas=(*criteria.areas, area), matrices=matrices)


def with_undivided_area(criteria: Criteria) -> Criteria:
    """The criteria plus the area «samlet» (an undivided consequence); see :func:`with_area`."""
    return with_area(criteria, UNDIVIDED)


class Assigner:
    """Maps values into fields for one file; the criteria grow by the areas its sources name."""

    def __init__(self, criteria: Criteria, mapper: ValueMapper) -> None:
        self.criteria, self.mapper = criteria, mapper
        self.areas: set[str] = set()  # areas known to be in the criteria (checked once each)

    def undivided(self, log: Log) -> str:
        return self.area(UNDIVIDED, log)

    def area(self, key: str, log: Log, label: str | None = None) -> str:
        """``key``, added to the criteria (see :func:`with_area`) when they lack it."""
        if key not in self.areas:
            if key in self.criteria.area_keys:
                self.areas.add(key)
                return key
            self.criteria = with_area(self.criteria, key, label)
            self.areas.add(key)
            self.mapper.criteria = self.criteria
            log.add("area-added", area=self.criteria.area(key).label.nb, matrix=self.criteria.matrix_for(key).key)
        return key

    def set(self, s: Scenario, name: FieldPath, v: Any, label: str, scale: Scale | None, log: Log) -> None:
        """Value ``v`` from the column ``label`` into field ``name``: texts verbatim, classes mapped."""
        base = name.field
        if base in TEXT_FIELDS:
            setattr(s, base, str(v))  # verbatim
        elif base == "uncertainty":
            word = _UNCERTAINTY_WORDS.get(normalise(v))
            s.uncertainty = word if word in UNCERTAINTY else None
            if s.uncertainty is None:
                s.raw["uncertainty"] = str(v)
                s.review.append(f"usikkerhet «{clean(v)}» er ikke lav/middels/høy")
        elif base == "probability":
            self._class(s, name, self.mapper.probability(v, scale), label, log)
        elif base == "consequence":
            area = self.area(name.area or UNDIVIDED, log, label.rpartition(" / ")[2])
            field = name if name.area == area else name.in_area(area)
            self._class(s, field, self.mapper.consequence(area, v, scale), label, log)
        elif base == "risk":
            self._risk(s, name.residual, v, label, log)

    def _risk(self, s: Scenario, residual: bool, v: Any, label: str, log: Log) -> None:
        """A combined risk cell: a pair (S3 K4), a pair before and after measures, a score or a zone word."""
        m = self.mapper.risk(v)
        log.mappings.append(mapping_of(label, m))
        if m.pair is not None:
            p, k = m.pair
            self._class(s, FieldPath("probability", None, residual), Mapped(p, how=m.how, raw=m.raw,
                                                                             review=m.review), label, log, keep=True)
            if not _has_consequences(s, residual):
                self._class(s, FieldPath("consequence", self.undivided(log), residual),
                            Mapped(k, how=m.how, raw=m.raw), label, log, keep=True)
        if m.residual_pair is not None and not residual:  # "Før: S3 K4 / Etter: S2 K3" in one cell
            p, k = m.residual_pair
            self._class(s, _RESIDUAL_PROBABILITY, Mapped(p, how=m.how, raw=m.raw), label, log, keep=True)
            if not _has_consequences(s, True):
                self._class(s, FieldPath("consequence", self.undivided(log), True), Mapped(k, how=m.how, raw=m.raw),
                            label, log, keep=True)
        elif m.value is not None:
            s.extra["source_zone" if not residual else "source_residual_zone"] = m.value
        if m.score is not None:
            s.extra["source_score" if not residual else "source_residual_score"] = m.score
        s.raw[FieldPath("risk", None, residual).path] = m.raw or str(v)
        if m.review:
            s.review.append(m.review)

    def _class(self, s: Scenario, field: FieldPath, m: Mapped, label: str, log: Log, keep: bool = False) -> None:
        """Store a class in ``field`` (a probability, or a consequence in an area), its raw text under its path."""
        target: Any = s.residual if field.residual else s
        value = m.value if isinstance(m.value, int) else None
        if field.field == "probability":
            if keep and target.probability is not None:
                return
            target.probability = value
        else:
            target.consequences[field.area] = value
        if m.raw is not None:
            s.raw[field.path] = m.raw
        if m.review:
            s.review.append(m.review)
        if not keep:
            log.mappings.append(mapping_of(label, m))

    def scale_mapped(self, probability: bool, scale: Scale, problems: list[Problem], **where: Any) -> None:
        """Report a source scale with another number of levels than the criteria (it is rescaled)."""
        target = self.criteria.probability_levels if probability else self.criteria.consequence_levels_count
        if scale.levels and scale.levels != target:  # 0: the header named only a unit
            problems.append(Problem.of("scale-mapped", what="sannsynlighet" if probability else "konsekvens",
                                       levels=scale.levels, target=target, **where))


def fill_missing(into: Scenario, s: Scenario, where: str) -> None:
    """What a repeat of a scenario (``s``: a summary's row, an overview sheet's, standing ``where``)
    has that the scenario lacks (a follow-up list's responsible and deadline, a class, a column kept
    in ``extra``), filled in and noted for review; its id, title and category are the repeat's own."""
    filled = [name for name in TEXT_FIELDS if name not in ("id", "title", "category")
              and getattr(into, name) is None and getattr(s, name) is not None]
    for name in filled:
        setattr(into, name, getattr(s, name))
    for phase_into, phase_from in ((into, s), (into.residual, s.residual)):
        after = phase_into is into.residual
        if phase_into.probability is None and phase_from.probability is not None:
            phase_into.probability = phase_from.probability
            filled.append("residual.probability" if after else "probability")
        for area, cls in phase_from.consequences.items():
            if cls is not None and phase_into.consequences.get(area) is None:
                phase_into.consequences[area] = cls
                filled.append(f"residual.consequence:{area}" if after else f"consequence:{area}")
    into.raw = {**s.raw, **into.raw}
    for key, value in s.extra.items():
        if key not in into.extra:
            into.extra[key] = value
            filled.append(f"«{key}»")
    if filled:
        names = ", ".join(f if f.startswith("«") else field_label(f) for f in filled)
        into.review.append(f"{names} er hentet fra {where}")


def mapping_of(label: str, m: Mapped) -> tuple[str, str]:
    """How a value of the column ``label`` was mapped, for the report's count of value mappings."""
    return label, m.how or (m.reason or "")


def _has_consequences(s: Scenario, residual: bool) -> bool:
    target = s.residual.consequences if residual else s.consequences
    return any(k is not None for k in target.values())
