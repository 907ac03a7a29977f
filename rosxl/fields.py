"""The canonical fields of a scenario, declared once: path, kind, Norwegian labels, and where each
text field stands on the Scenarier sheet.

A *path* is how the canonical JSON names a value: ``title``, ``probability``,
``consequences.okonomi``, ``residual.probability``, ``residual.consequences.samlet``. The converter
also knows ``risk`` (a source's combined risk cell: pair, score or zone word), ``area`` (a long
table's area column) and ``ignore`` (only in a mapping file), which the JSON does not store; ``zone``
and ``extra`` (kept, without a field) it does. The converter's header data
(``rosxl/data/headers.toml``) names fields by the converter's own *names* (``consequence:okonomi``,
``residual.consequence``); in code a field is a :class:`FieldPath`, parsed from a name once (when
the data or a mapping file is read) and never taken apart as a string again.

Everything that lists the text fields takes them from :data:`FIELDS`: the Scenarier sheet's text
columns (:class:`SheetColumn`: header, width and place, in the table's order within a place; a
field with :class:`Choice` values gets a dropdown), hence the workbook's writing and reading and the
CSV for Excel, the council report's rows and the checks of an analysis's JSON. The machine CSV and
the JSON follow the :class:`~rosxl.analysis.Scenario` dataclass, which a test holds equal to this
table, as another holds ``headers.toml`` (whose keys are checked when it is loaded) to have synonyms
for every text field. Adding a text field is a line here, an attribute of ``Scenario`` and its
synonyms in ``headers.toml``; nothing else needs to name it (only the comment at the head of a
written ``kobling.toml`` still lists the fields by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as attribute
from functools import lru_cache
from typing import Literal

from rosxl.text import normalise

Kind = Literal["text", "class", "risk", "zone", "keep"]
Place = Literal["start", "basis", "assessment"]
PLACES: tuple[Place, ...] = ("start", "basis", "assessment")
UNDIVIDED = "samlet"


@dataclass(frozen=True)
class SheetColumn:
    """A text field's column on the Scenarier sheet: its header in bokmål and nynorsk, its width (in
    characters, before the sheet widens it to its header's longest word) and its place: ``start``
    (before the probability), ``basis`` (right after the probability) or ``assessment`` (after the
    consequences, zones and risk score, before the columns after measures)."""

    nb: str
    nn: str
    width: float
    place: Place


@dataclass(frozen=True)
class Choice:
    """One value of a field with a fixed vocabulary: its key in the JSON and its word in either form."""

    key: str
    nb: str
    nn: str


@dataclass(frozen=True)
class Field:
    """One canonical field: its JSON path, what it holds, its label in bokmål and nynorsk (for
    messages), its Scenarier column (text fields), its vocabulary (``choices``: the sheet offers
    them in a dropdown) and whether the canonical JSON stores it."""

    path: str
    kind: Kind
    nb: str
    nn: str
    column: SheetColumn | None = None
    choices: tuple[Choice, ...] = ()
    stored: bool = True

    def header(self, language: Literal["nb", "nn"] = "nb") -> str:
        """The field as a heading: its Scenarier column's header, else its label."""
        c = self.column
        return (c.nn if language == "nn" else c.nb) if c is not None else self.nn if language == "nn" else self.nb

    def choice_label(self, key: str | None, language: Literal["nb", "nn"] = "nb") -> str | None:
        """The word of choice ``key`` in ``language``; ``None`` when it is not one of the choices."""
        found = next((c for c in self.choices if c.key == key), None)
        return None if found is None else found.nn if language == "nn" else found.nb

    def choice_key(self, value: object) -> str | None:
        """The choice whose key or word (either form, any case) ``value`` is; ``None`` when none."""
        text = normalise(value)
        return next((c.key for c in self.choices if text in (c.key, normalise(c.nb), normalise(c.nn))), None)


_UNCERTAINTY = (Choice("lav", "Lav", "Låg"), Choice("middels", "Middels", "Middels"), Choice("hoy", "Høy", "Høg"))

#: The fields; text fields in the order the Scenarier sheet shows them within a place.
FIELDS: tuple[Field, ...] = (
    Field("id", "text", "nr.", "nr.", SheetColumn("ID", "ID", 7, "start")),
    Field("category", "text", "kategori", "kategori", SheetColumn("Kategori", "Kategori", 16, "start")),
    Field("title", "text", "uønsket hendelse", "uønskt hending",
          SheetColumn("Uønsket hendelse", "Uønskt hending", 28, "start")),
    Field("description", "text", "beskrivelse", "skildring", SheetColumn("Beskrivelse", "Skildring", 34, "start")),
    Field("causes", "text", "årsaker", "årsaker", SheetColumn("Årsaker", "Årsaker", 24, "start")),
    Field("existing_measures", "text", "eksisterende tiltak", "eksisterande tiltak",
          SheetColumn("Eksisterende tiltak", "Eksisterande tiltak", 24, "start")),
    Field("probability", "class", "sannsynlighet", "sannsyn"),
    Field("probability_basis", "text", "begrunnelse for sannsynlighet", "grunngjeving for sannsyn",
          SheetColumn("Grunnlag for sannsynlighet", "Grunnlag for sannsyn", 24, "basis")),
    Field("consequences", "class", "konsekvens", "konsekvens"),
    Field("uncertainty", "text", "usikkerhet", "usikkerheit",
          SheetColumn("Usikkerhet", "Usikkerheit", 11, "assessment"), _UNCERTAINTY),
    Field("manageability", "text", "styrbarhet", "styrbarheit",
          SheetColumn("Styrbarhet", "Styrbarheit", 12, "assessment")),
    Field("vulnerability", "text", "sårbarhet", "sårbarheit", SheetColumn("Sårbarhet", "Sårbarheit", 24, "assessment")),
    Field("measures", "text", "tiltak", "tiltak",
          SheetColumn("Foreslåtte tiltak", "Framlegg til tiltak", 30, "assessment")),
    Field("responsible", "text", "ansvarlig", "ansvarleg",  # 20: «Beredskapskoordinator» on one line
          SheetColumn("Ansvarlig", "Ansvarleg", 20, "assessment")),
    Field("deadline", "text", "frist", "frist", SheetColumn("Frist", "Frist", 11, "assessment")),
    Field("status", "text", "status", "status", SheetColumn("Status", "Status", 12, "assessment")),
    Field("residual.probability", "class", "sannsynlighet etter tiltak", "sannsyn etter tiltak"),
    Field("residual.consequences", "class", "konsekvens etter tiltak", "konsekvens etter tiltak"),
    Field("risk", "risk", "risiko (S/K, risikotall eller soneord)", "risiko (S/K, risikotal eller soneord)",
          stored=False),
    Field("residual.risk", "risk", "risiko etter tiltak", "risiko etter tiltak", stored=False),
    Field("zone", "zone", "risikosone", "risikosone"),
    Field("area", "keep", "konsekvensområde (én rad per område)", "konsekvensområde (éi rad per område)",
          stored=False),
    Field("extra", "keep", "tatt vare på uten felt", "teke vare på utan felt"),
    Field("ignore", "keep", "ikke tatt med", "ikkje teke med", stored=False),
)
BY_PATH: dict[str, Field] = {f.path: f for f in FIELDS}
#: What a :class:`~rosxl.analysis.Scenario` holds besides the stored fields: computed from the classes
#: (zones, score) or kept by rosxl (the raw text of unread classes, the source, the notes to check).
DERIVED = ("zones", "score", "raw", "source", "review", "residual.zones", "residual.zone")
TEXT_PATHS: tuple[str, ...] = tuple(f.path for f in FIELDS if f.kind == "text")


def sheet_fields(place: Place) -> tuple[Field, ...]:
    """The text fields with a Scenarier column at ``place``, left to right."""
    return tuple(f for f in FIELDS if f.column is not None and f.column.place == place)


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


@lru_cache(maxsize=1024)  # a batch report names the same few fields for every column of every file
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
