"""The canonical fields of a scenario, declared once: path, kind and Norwegian labels.

A *path* is how the canonical JSON names a value: ``title``, ``probability``,
``consequences.okonomi``, ``residual.probability``, ``residual.consequences.samlet``. The converter
also knows ``risk`` (a source's combined risk cell: pair, score or zone word), ``zone``, ``extra``
(kept, without a field) and ``ignore`` (only in a mapping file). The converter's header data
(``rosxl/data/headers.toml``) names fields by the converter's own *names* (``consequence:okonomi``,
``residual.consequence``); in code a field is a :class:`FieldPath`, parsed from a name once (when
the data or a mapping file is read) and never taken apart as a string again.

The workbook's columns and the CSV export may adopt this table later; today they have their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as attribute
from typing import Literal

Kind = Literal["text", "class", "risk", "zone", "keep"]
UNDIVIDED = "samlet"


@dataclass(frozen=True)
class Field:
    """One canonical field: its JSON path, what it holds, and its label in bokmål and nynorsk."""

    path: str
    kind: Kind
    nb: str
    nn: str


FIELDS: tuple[Field, ...] = (
    Field("id", "text", "nr.", "nr."),
    Field("title", "text", "uønsket hendelse", "uønskt hending"),
    Field("category", "text", "kategori", "kategori"),
    Field("description", "text", "beskrivelse", "skildring"),
    Field("causes", "text", "årsaker", "årsaker"),
    Field("existing_measures", "text", "eksisterende tiltak", "eksisterande tiltak"),
    Field("probability", "class", "sannsynlighet", "sannsyn"),
    Field("probability_basis", "text", "begrunnelse for sannsynlighet", "grunngjeving for sannsyn"),
    Field("consequences", "class", "konsekvens", "konsekvens"),
    Field("uncertainty", "text", "usikkerhet", "usikkerheit"),
    Field("manageability", "text", "styrbarhet", "styrbarheit"),
    Field("vulnerability", "text", "sårbarhet", "sårbarheit"),
    Field("measures", "text", "tiltak", "tiltak"),
    Field("responsible", "text", "ansvarlig", "ansvarleg"),
    Field("deadline", "text", "frist", "frist"),
    Field("status", "text", "status", "status"),
    Field("residual.probability", "class", "sannsynlighet etter tiltak", "sannsyn etter tiltak"),
    Field("residual.consequences", "class", "konsekvens etter tiltak", "konsekvens etter tiltak"),
    Field("risk", "risk", "risiko (S/K, risikotall eller soneord)", "risiko (S/K, risikotal eller soneord)"),
    Field("residual.risk", "risk", "risiko etter tiltak", "risiko etter tiltak"),
    Field("zone", "zone", "risikosone", "risikosone"),
    Field("area", "keep", "konsekvensområde (én rad per område)", "konsekvensområde (éi rad per område)"),
    Field("extra", "keep", "tatt vare på uten felt", "teke vare på utan felt"),
    Field("ignore", "keep", "ikke tatt med", "ikkje teke med"),
)
BY_PATH: dict[str, Field] = {f.path: f for f in FIELDS}
TEXT_PATHS: tuple[str, ...] = tuple(f.path for f in FIELDS if f.kind == "text")


@dataclass(frozen=True)
class FieldPath:
    """A field as the converter refers to it: the field, the consequence area (``None``: undivided or
    no area) and whether it is assessed after measures. ``str()`` gives the converter's *name*
    (``residual.consequence:okonomi``), :attr:`path` the canonical path (``residual.consequences.okonomi``)."""

    field: str  # a path of :data:`FIELDS` without ``residual.``; ``consequence`` for ``consequences``
    area: str | None = None
    residual: bool = False
    _hash: int = attribute(init=False, repr=False, compare=False)  # fields key the matcher's hot dicts

    def __hash__(self) -> int:
        return self._hash

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.field, self.area, self.residual)))
        if self.field not in _NAMES:
            raise ValueError(f"ukjent felt «{self.field}» (kjente: {', '.join(_NAMES)})")
        if self.area is not None and self.field != "consequence":
            raise ValueError(f"bare konsekvens har et område, ikke «{self.field}»")
        if self.residual and self.field not in RESIDUAL:
            raise ValueError(f"«{self.field}» har ikke noe «etter tiltak»")

    @classmethod
    def parse(cls, name: str) -> FieldPath:
        """A converter name (``title``, ``consequence:okonomi``, ``residual.probability``); ValueError if unknown."""
        residual = name.startswith("residual.")
        field, _, area = name.removeprefix("residual.").partition(":")
        return cls(field, area or None, residual)

    @classmethod
    def of_path(cls, path: str) -> FieldPath | None:
        """The field at a canonical path (``consequences.okonomi``, ``residual.probability``, ``area``);
        ``None`` for ``extra``, ``zone`` and unknown paths."""
        residual = path.startswith("residual.")
        base, _, area = path.removeprefix("residual.").partition(".")
        if base == "consequences":
            base = "consequence"
        if base not in _NAMES or base in ("extra", "zone") or (area and base != "consequence"):
            return None
        try:
            return cls(base, area if area and area != UNDIVIDED else None, residual)
        except ValueError:
            return None

    def __str__(self) -> str:
        return ("residual." if self.residual else "") + self.field + (f":{self.area}" if self.area else "")

    @property
    def path(self) -> str:
        """The canonical path; an undivided consequence is the area «samlet»."""
        prefix = "residual." if self.residual else ""
        if self.field == "consequence":
            return f"{prefix}consequences.{self.area or UNDIVIDED}"
        return prefix + self.field

    @property
    def entry(self) -> Field:
        """Its entry in :data:`FIELDS` (an area's consequence shares the entry of ``consequences``)."""
        return BY_PATH[("residual." if self.residual else "") + _PATHS[self.field]]

    @property
    def kind(self) -> Kind:
        return self.entry.kind

    def after(self) -> FieldPath:
        """The same field after measures (itself when it has no such counterpart)."""
        return FieldPath(self.field, self.area, True) if self.field in RESIDUAL else self

    def in_area(self, area: str) -> FieldPath:
        return FieldPath(self.field, area, self.residual)

    def label(self, language: Literal["nb", "nn"] = "nb") -> str:
        """The field in Norwegian, for messages: «konsekvens (okonomi)»."""
        text = self.entry.nn if language == "nn" else self.entry.nb
        return f"{text} ({self.area})" if self.area else text


_PATHS = {("consequence" if f.path == "consequences" else f.path): f.path for f in FIELDS
          if not f.path.startswith("residual.")}  # the converter's field → its canonical path
_NAMES = tuple(_PATHS)
RESIDUAL = tuple(n for n in _NAMES if f"residual.{_PATHS[n]}" in BY_PATH)  # fields assessed after measures too


def label(name: FieldPath | str | None, language: Literal["nb", "nn"] = "nb") -> str:
    """A field (or a converter name, as a report stores it) in Norwegian, for messages:
    ``consequence:okonomi`` → «konsekvens (okonomi)»; ``None`` → what a column without a field gets."""
    if name is None:
        return BY_PATH["extra"].nn if language == "nn" else BY_PATH["extra"].nb
    if isinstance(name, FieldPath):
        return name.label(language)
    try:
        return FieldPath.parse(name).label(language)
    except ValueError:
        path = FieldPath.of_path(name)
        return path.label(language) if path is not None else name
