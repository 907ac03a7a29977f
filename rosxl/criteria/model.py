"""The acceptance criteria as typed data, and the lookups that use them.

A :class:`Criteria` holds probability classes (with frequency bands), consequence areas (with
classes, numeric bands or casualty rules), zones and zone matrices. Nothing here knows a fixed
scale size: everything is read from the data (see ``rosxl/presets/*.toml``).

Reading a value into a class goes through :meth:`Criteria.read_probability` and
:meth:`Criteria.read_consequence`, which return a :class:`Reading` that says how the value was
read or why it could not be; :meth:`Criteria.probability_class` and
:meth:`Criteria.consequence_class` return just the class.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Literal

from rosxl import facts
from rosxl.errors import UnknownAreaError
from rosxl.text import as_int, clean, is_number, normalise

Language = Literal["nb", "nn"]
Unit = Literal["NOK", "days", "persons"]
UNITS: tuple[str, ...] = ("NOK", "days", "persons")


@dataclass(frozen=True)
class Text:
    """A text in bokmål and nynorsk."""

    nb: str
    nn: str

    def __call__(self, language: Language = "nb") -> str:
        return self.nn if language == "nn" else self.nb


@dataclass(frozen=True)
class Band:
    """A numeric interval ``low``–``high`` (``high`` may be ``inf``)."""

    low: float
    high: float

    def contains(self, x: float, closed: Literal["low", "high"]) -> bool:
        """``[low, high)`` when ``closed == "low"``, ``(low, high]`` when ``"high"``."""
        if closed == "low":
            return self.low <= x < self.high or (x == self.high == math.inf)
        return self.low < x <= self.high or (x == self.low == 0)


@dataclass(frozen=True)
class CasualtyRule:
    """Minimum numbers of dead / seriously / lightly injured; an empty rule matches anything."""

    dead: int | None = None
    serious: int | None = None
    minor: int | None = None

    def matches(self, c: facts.Casualties) -> bool:
        pairs = ((self.dead, c.dead), (self.serious, c.serious), (self.minor, c.minor))
        return all(need is None or (have or 0) >= need for need, have in pairs)


@dataclass(frozen=True)
class ProbabilityClass:
    value: int
    label: Text
    description: Text
    band: Band | None = None
    codes: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsequenceLevel:
    """The scale's words for a consequence class, shared by all areas."""

    value: int
    label: Text
    codes: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsequenceClass:
    """One class of one area: what it means there and, where measurable, its band."""

    value: int
    description: Text
    band: Band | None = None
    casualties: tuple[CasualtyRule, ...] = ()
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsequenceArea:
    key: str
    label: Text
    classes: tuple[ConsequenceClass, ...]
    unit: Unit | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Zone:
    key: str
    label: Text
    meaning: Text
    colour: str  # RRGGBB


@dataclass(frozen=True)
class ZoneMatrix:
    """Zone of each (probability, consequence) cell for a group of areas.

    ``rows[0]`` is the highest probability class, as the matrix is drawn; ``rows[i][j]`` is the
    zone of probability ``len(rows) - i`` and consequence ``j + 1``.
    """

    key: str
    label: Text
    areas: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def zone(self, probability: int, consequence: int) -> str:
        return self.rows[len(self.rows) - probability][consequence - 1]


@dataclass(frozen=True)
class Provenance:
    source: str = ""
    decision: str = ""  # who decided the criteria, and when (municipal decision reference)


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one value: a class, or ``None`` with the reason."""

    value: int | None
    how: str = ""
    reason: str | None = None
    text: str | None = None  # the original text, when the class was derived from one

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Criteria:
    """A complete, validated set of acceptance criteria (see :func:`rosxl.load_criteria`)."""

    name: str
    version: str
    title: Text
    probability: tuple[ProbabilityClass, ...]
    consequence_levels: tuple[ConsequenceLevel, ...]
    areas: tuple[ConsequenceArea, ...]
    zones: tuple[Zone, ...]
    matrices: tuple[ZoneMatrix, ...]
    score: Literal["product", "sum"] = "product"
    language: Language = "nb"
    description: Text = field(default=Text("", ""))
    provenance: Provenance = field(default=Provenance())

    # --- structure -----------------------------------------------------------------------

    @property
    def probability_levels(self) -> int:
        return len(self.probability)

    @property
    def consequence_levels_count(self) -> int:
        return len(self.consequence_levels)

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.areas)

    def zone_rank(self, zone: str) -> int:
        """0 for the mildest zone, rising with severity."""
        return self._zone_ranks[zone]

    def worst_zone(self, zones: list[str | None]) -> str | None:
        known = [z for z in zones if z is not None]
        return max(known, key=self.zone_rank) if known else None

    def zone_def(self, key: str) -> Zone:
        return self.zones[self._zone_ranks[key]]

    def area(self, key_or_label: str) -> ConsequenceArea:
        """The area named by key, label (bokmål or nynorsk) or synonym, e.g. ``"Økonomi"``."""
        names = self._area_names
        found = names.get(key_or_label) or names.get(normalise(key_or_label))
        if found is None:
            known = ", ".join(self.area_keys)
            raise UnknownAreaError(f"ukjent konsekvensområde «{key_or_label}» (kjente: {known})",
                                   field="areas")
        return found

    def matrix_for(self, area: str | None = None) -> ZoneMatrix:
        """The zone matrix of ``area``; without an area, the matrix that covers most areas."""
        if area is None:
            return self._widest_matrix
        found = self._matrix_by_area.get(area)
        return found if found is not None else self._matrix_by_area[self.area(area).key]

    # --- zones and scores ----------------------------------------------------------------

    def zone(self, probability: int | None, consequence: int | None, area: str | None = None) -> str | None:
        """Zone key of a (probability, consequence) pair, ``None`` when either is unknown."""
        p, k = as_int(probability), as_int(consequence)
        if p is None or k is None:
            return None
        if not (1 <= p <= self.probability_levels and 1 <= k <= self.consequence_levels_count):
            return None
        return self.matrix_for(area).zone(p, k)

    def risk_score(self, probability: int | None, consequence: int | None) -> int | None:
        """``p × k`` (or ``p + k`` for criteria scored by sum), ``None`` when either is unknown."""
        p, k = as_int(probability), as_int(consequence)
        if p is None or k is None:
            return None
        return p * k if self.score == "product" else p + k

    # --- reading values into classes -----------------------------------------------------

    def probability_class(self, value: object) -> int | None:
        return self.read_probability(value).value

    def consequence_class(self, area: str, value: object) -> int | None:
        return self.read_consequence(area, value).value

    def read_probability(self, value: object) -> Reading:
        """Read a probability class from a class number, a label, or a frequency fact."""
        n = self.probability_levels
        label = self._read_label(value, n, self._probability_names, "sannsynlighet")
        if label is not None:
            return label
        span = facts.parse_frequency(value)
        if isinstance(span, facts.Failure):
            return Reading(None, reason=f"ukjent sannsynlighet: «{clean(value)}»", text=clean(value))
        bands = [(c.value, c.band) for c in self.probability if c.band is not None]
        return self._classify_span(span, bands, "low", value, "sannsynlighet")

    def read_consequence(self, area: str, value: object) -> Reading:
        """Read a consequence class of ``area`` from a class number, a label, or a fact."""
        a = self.area(area)
        label = self._read_label(value, self.consequence_levels_count, self._consequence_names[a.key],
                                 f"konsekvens ({a.label.nb})")
        if label is not None:
            return label
        text = clean(value)
        if a.unit == "persons":
            return self._classify_casualties(a, value)
        if a.unit is None:
            return Reading(None, reason=f"ukjent konsekvens for {a.label.nb}: «{text}»", text=text)
        span = facts.parse_money(value) if a.unit == "NOK" else facts.parse_duration(value)
        if isinstance(span, facts.Failure):
            return Reading(None, reason=f"ukjent konsekvens for {a.label.nb}: «{text}»", text=text)
        bands = [(c.value, c.band) for c in a.classes if c.band is not None]
        return self._classify_span(span, bands, "high", value, f"konsekvens ({a.label.nb})")

    def _read_label(self, value: object, levels: int, names: dict[str, int], what: str) -> Reading | None:
        """A class given as a number within the scale or as a word; ``None`` when neither."""
        if value is None or (isinstance(value, float) and value != value):
            return Reading(None, reason="tom celle")
        if is_number(value):
            whole = as_int(value)
            return Reading(whole, how=f"klasse {whole}") if whole is not None and 1 <= whole <= levels else None
        if isinstance(value, str) and re.fullmatch(r"\d+", normalise(value)):
            whole = int(normalise(value))
            if 1 <= whole <= levels:
                return Reading(whole, how=f"klasse {whole}")
        if not isinstance(value, str):
            return None
        key = normalise(value)
        if not key:
            return Reading(None, reason="tom celle")
        if key in names:
            return Reading(names[key], how=f"«{clean(value)}» = klasse {names[key]}", text=clean(value))
        m = re.fullmatch(r"(.*?)\s*\((\d+)\)|(\d+)\s*[-:.]?\s*(.+)", key)
        if m:
            word, digit = (m.group(1), m.group(2)) if m.group(2) else (m.group(4), m.group(3))
            n = int(digit)
            if 1 <= n <= levels and (word in names and names[word] == n):
                return Reading(n, how=f"«{clean(value)}» = klasse {n}", text=clean(value))
            if 1 <= n <= levels and word in names:
                return Reading(None, reason=f"motstridende {what}: «{clean(value)}» "
                                            f"(ordet betyr klasse {names[word]})", text=clean(value))
        return None

    def _classify_span(self, span: facts.Span, bands: list[tuple[int, Band]],
                       closed: Literal["low", "high"], value: object, what: str) -> Reading:
        text = clean(value) if isinstance(value, str) else None
        low, high = span.low, span.high
        if not span.is_point:  # a range is read with the scale's own open end
            if closed == "low" and high != math.inf:
                high = math.nextafter(high, -math.inf)
            elif closed == "high" and low != 0:
                low = math.nextafter(low, math.inf)
        found_low = next((v for v, b in bands if b.contains(low, closed)), None)
        found_high = next((v for v, b in bands if b.contains(high, closed)), None)
        if found_low is None or found_high is None:
            return Reading(None, how=span.how, text=text,
                           reason=f"{what} {span.how} faller utenfor kriterienes intervaller")
        if found_low != found_high:
            return Reading(None, how=span.how, text=text,
                           reason=f"{what} {span.how} spenner over klasse {found_low}–{found_high}")
        return Reading(found_low, how=f"{span.how} → klasse {found_low}", text=text)

    def _classify_casualties(self, area: ConsequenceArea, value: object) -> Reading:
        text = clean(value)
        read = facts.parse_casualties(value)
        if isinstance(read, facts.Failure):
            return Reading(None, reason=f"ukjent konsekvens for {area.label.nb}: «{text}» ({read.reason})",
                           text=text)
        found = {self._casualty_class(area, r) for r in (read, read.lower) if r is not None}
        if None in found:
            return Reading(None, reason=f"ingen klasse passer: {read.how}", text=text)
        if len(found) > 1:
            return Reading(None, how=read.how, text=text,
                           reason=f"{read.how} spenner over klasse {min(found)}–{max(found)}")  # type: ignore[type-var]
        cls = found.pop()
        return Reading(cls, how=f"{read.how} → klasse {cls}", text=text)

    @staticmethod
    def _casualty_class(area: ConsequenceArea, read: facts.Casualties) -> int | None:
        return next((cls.value for cls in sorted(area.classes, key=lambda c: -c.value)
                     if any(rule.matches(read) for rule in cls.casualties)), None)

    # --- lookup tables built once --------------------------------------------------------

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:  # once: the criteria key caches every file looks up (templates, JSON)
        return hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare))

    @cached_property
    def _zone_ranks(self) -> dict[str, int]:
        return {z.key: i for i, z in enumerate(self.zones)}

    @cached_property
    def _area_names(self) -> dict[str, ConsequenceArea]:
        names: dict[str, ConsequenceArea] = {}
        for a in self.areas:
            for name in (a.key, a.key.replace("_", " "), a.label.nb, a.label.nn, *a.synonyms):
                names.setdefault(normalise(name), a)
        return names

    @cached_property
    def _widest_matrix(self) -> ZoneMatrix:
        return max(self.matrices, key=lambda m: len(m.areas))

    @cached_property
    def _matrix_by_area(self) -> dict[str, ZoneMatrix]:
        return {key: m for m in reversed(self.matrices) for key in m.areas}  # the first matrix wins

    @cached_property
    def _probability_names(self) -> dict[str, int]:
        return _names((c.value, (c.label.nb, c.label.nn, c.description.nb, c.description.nn, *c.codes,
                                 *c.synonyms)) for c in self.probability)

    @cached_property
    def _consequence_names(self) -> dict[str, dict[str, int]]:
        shared = [(lv.value, (lv.label.nb, lv.label.nn, *lv.codes, *lv.synonyms))
                  for lv in self.consequence_levels]
        return {a.key: _names([*((c.value, (c.description.nb, c.description.nn, *c.synonyms))
                                 for c in a.classes), *shared]) for a in self.areas}


def _names(pairs: object) -> dict[str, int]:
    """Map normalised words to classes; the first definition of a word wins."""
    names: dict[str, int] = {}
    for value, words in pairs:  # type: ignore[attr-defined]
        for w in words:
            if w:
                names.setdefault(normalise(w), value)
    return names
