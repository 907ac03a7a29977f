"""The canonical analysis: metadata + criteria + scenarios, and its JSON form.

This is the model that the standard workbook, the converter and ``rosxl export`` share. Keys are
stable ASCII; classes are integers; zones are the criteria's zone keys; ``None`` where unknown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, cast

from rosxl.criteria import Criteria, criteria_from_dict, criteria_to_dict
from rosxl.fields import BY_PATH
from rosxl.jsontext import dumps

VERSION = "0.1.0"

#: The keys an uncertainty may have (:data:`rosxl.fields.FIELDS` gives their words).
UNCERTAINTY = tuple(c.key for c in BY_PATH["uncertainty"].choices)


@dataclass
class Residual:
    """Risk after the proposed measures."""

    probability: int | None = None
    consequences: dict[str, int | None] = field(default_factory=dict)
    zones: dict[str, str | None] = field(default_factory=dict)
    zone: str | None = None

    def is_empty(self) -> bool:
        return self.probability is None and not any(v is not None for v in self.consequences.values())


@dataclass
class Scenario:
    """One unwanted event (uønsket hendelse) with its assessment.

    Its fields are those of :data:`rosxl.fields.FIELDS` that the JSON stores (``Field.stored``), in the
    JSON's order, plus what rosxl derives or keeps (:data:`rosxl.fields.DERIVED`); a test holds them equal.
    """

    id: str | None = None
    title: str | None = None
    category: str | None = None
    description: str | None = None
    causes: str | None = None
    existing_measures: str | None = None
    probability: int | None = None
    probability_basis: str | None = None
    consequences: dict[str, int | None] = field(default_factory=dict)
    zones: dict[str, str | None] = field(default_factory=dict)
    zone: str | None = None
    score: int | None = None
    uncertainty: str | None = None
    manageability: str | None = None
    vulnerability: str | None = None
    measures: str | None = None
    responsible: str | None = None
    deadline: str | None = None
    status: str | None = None
    residual: Residual = field(default_factory=Residual)
    raw: dict[str, str] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, *, copy: bool = True) -> dict[str, Any]:
        """The scenario's JSON form; its containers are copied one level deep unless ``copy`` is false
        (to serialise at once)."""
        take = _copy if copy else _same
        data = {name: take(getattr(self, name)) for name in _SCENARIO_FIELDS}
        data["residual"] = {name: take(getattr(self.residual, name)) for name in _RESIDUAL_FIELDS}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["residual"] = Residual(**(data.get("residual") or {}))
        return cls(**values)


@dataclass
class Analysis:
    """A whole ROS analysis."""

    criteria: Criteria
    scenarios: list[Scenario] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._data(_json_safe(criteria_to_dict(self.criteria)), copy=True)

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text; ``indent=None`` is compact and several times faster to write (the criteria's
        part is written once per criteria, the rest by :func:`rosxl.jsontext.dumps`)."""
        if indent is not None:
            return json.dumps(self._data(_criteria_data(self.criteria), copy=False), ensure_ascii=False,
                              indent=indent, default=str)
        data = self._data({}, copy=False)
        del data["rosxl"], data["criteria"]
        return f'{{"rosxl":{json.dumps(VERSION)},"criteria":{_criteria_json(self.criteria)},{dumps(data)[1:]}'

    def _data(self, criteria: dict[str, Any], *, copy: bool) -> dict[str, Any]:
        return {
            "rosxl": VERSION,
            "criteria": criteria,
            "metadata": self.metadata,
            "scenarios": [s.to_dict(copy=copy) for s in self.scenarios],
            "report": self.report,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            criteria=criteria_from_dict(_json_restore(data["criteria"]), source="JSON"),
            scenarios=[Scenario.from_dict(s) for s in data.get("scenarios", [])],
            metadata=dict(data.get("metadata") or {}),
            report=dict(data.get("report") or {}),
        )


_SCENARIO_FIELDS = tuple(f.name for f in fields(Scenario))
_RESIDUAL_FIELDS = tuple(f.name for f in fields(Residual))


def _same(value: Any) -> Any:
    return value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: dict(v) if isinstance(v, dict) else v for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


def assess_scenario(scenario: Scenario, criteria: Criteria) -> Scenario:
    """Fill ``zones``, ``zone``, ``score`` and the residual zones from the classes (in place).

    A class field that holds a text no class was read from (in ``raw``, class ``None``) leaves its
    area without a zone and the scenario without an overall zone and score, as the standard
    workbook shows it. After measures, once any after-measures value is given, each field without
    one keeps its before-measures class (:func:`after_measures`): the residual zones cover every
    area, and the residual zone is the worst of them.
    """
    s, r = scenario, scenario.residual
    s.zones = {a: criteria.zone(s.probability, k, a) for a, k in s.consequences.items()}
    missing = has_unread(s, "before")
    s.zone = None if missing else criteria.worst_zone(list(s.zones.values()))
    scores = [criteria.risk_score(s.probability, k) for k in s.consequences.values()]
    known = [x for x in scores if x is not None]
    s.score = max(known) if known and not missing else None
    after = after_measures(s)
    p = after["probability"].value if after else None
    r.zones = {a: criteria.zone(p, c.value, a) for a, c in after.items() if a != "probability"}
    r.zone = None if not after or any(c.unread for c in after.values()) else criteria.worst_zone(list(r.zones.values()))
    return s


@dataclass(frozen=True)
class AfterClass:
    """One field after measures: its class, whether it holds unread text, whether it kept the before-measures one."""

    value: int | None
    unread: bool
    kept: bool


def after_measures(s: Scenario) -> dict[str, AfterClass]:
    """The classes after measures by field (``"probability"``, then the areas); empty when none is given.

    A field without an after-measures value keeps its before-measures class.
    """
    r = s.residual
    if r.is_empty() and not any(unread(s, key) for key in s.raw if key.startswith("residual.")):
        return {}
    out = {}
    for name in ["probability", *dict.fromkeys([*s.consequences, *r.consequences])]:
        path = name if name == "probability" else f"consequences.{name}"
        after = r.probability if name == "probability" else r.consequences.get(name)
        before = s.probability if name == "probability" else s.consequences.get(name)
        if after is not None or unread(s, f"residual.{path}"):
            out[name] = AfterClass(after, unread(s, f"residual.{path}"), kept=False)
        else:
            out[name] = AfterClass(before, unread(s, path), kept=before is not None or unread(s, path))
    return out


def has_unread(s: Scenario, phase: str) -> bool:
    """Whether a class field of ``phase`` (``"before"``/``"after"`` measures) holds unread text."""
    if phase == "after":
        return any(c.unread for c in after_measures(s).values())
    return unread(s, "probability") or any(unread(s, f"consequences.{a}") for a in s.consequences)


def unchanged_after_measures(scenario: Scenario) -> list[str]:
    """The fields (``"probability"`` or an area key) that keep their before-measures class after measures."""
    return [name for name, c in after_measures(scenario).items() if c.kept]


def unread(s: Scenario, key: str) -> bool:
    """Whether the class field ``key`` (``"probability"``, ``"residual.consequences.miljo"``, …) holds a
    text no class was read from (kept in ``raw``, class ``None``)."""
    if key not in s.raw:
        return False
    target = s.residual if key.startswith("residual.") else s
    field_ = key.removeprefix("residual.")
    value = target.probability if field_ == "probability" else target.consequences.get(field_.split(".", 1)[-1])
    return value is None


@lru_cache(maxsize=8)
def _criteria_json(criteria: Criteria) -> str:
    """The criteria's part of the compact JSON, written once per criteria."""
    return json.dumps(_criteria_data(criteria), ensure_ascii=False)


@lru_cache(maxsize=8)
def _criteria_data(criteria: Criteria) -> dict[str, Any]:
    """The criteria's JSON form, built once per criteria; only serialised, never handed out."""
    return cast(dict[str, Any], _json_safe(criteria_to_dict(criteria)))


def _json_safe(value: Any) -> Any:
    """JSON has no infinity: an open upper band end becomes ``null``."""
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _json_restore(value: Any, key: str | None = None) -> Any:
    if key == "band" and isinstance(value, list):
        return [math.inf if v is None else v for v in value]
    if isinstance(value, dict):
        return {k: _json_restore(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_restore(v) for v in value]
    return value
