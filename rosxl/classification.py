"""Classify one set of facts (a probability and consequences per area) against criteria."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rosxl.criteria import Criteria, Reading, load_criteria


@dataclass
class Classification:
    """Classes, zones and how each value was read."""

    criteria: Criteria
    probability: Reading | None = None
    consequences: dict[str, Reading] = field(default_factory=dict)

    @property
    def zones(self) -> dict[str, str | None]:
        p = self.probability.value if self.probability else None
        return {area: self.criteria.zone(p, r.value, area) for area, r in self.consequences.items()}

    @property
    def zone(self) -> str | None:
        return self.criteria.worst_zone(list(self.zones.values()))

    @property
    def problems(self) -> list[str]:
        """Reasons for every value that was given but could not be read."""
        readings = ([("sannsynlighet", self.probability)] if self.probability else []) + \
            list(self.consequences.items())
        return [f"{name}: {r.reason}" for name, r in readings if r.reason]

    def to_dict(self) -> dict[str, Any]:
        readings = {"probability": self.probability, **self.consequences}
        return {
            "criteria": self.criteria.name,
            "probability": self.probability.value if self.probability else None,
            "consequences": {a: r.value for a, r in self.consequences.items()},
            "zones": self.zones,
            "zone": self.zone,
            "how": {k: (r.how or None) for k, r in readings.items() if r is not None},
            "reasons": {k: r.reason for k, r in readings.items() if r is not None and r.reason},
        }


def classify(criteria: Criteria | str | None = None, probability: object = None,
             consequences: dict[str, object] | None = None) -> Classification:
    """Read ``probability`` and each ``{area: value}`` into classes and zones.

    Areas may be keys or Norwegian labels ("Økonomi"); an unknown area raises
    :class:`rosxl.errors.UnknownAreaError`.
    """
    crit = load_criteria(criteria)
    result = Classification(crit, crit.read_probability(probability) if probability is not None else None)
    for area, value in (consequences or {}).items():
        result.consequences[crit.area(area).key] = crit.read_consequence(area, value)
    return result
