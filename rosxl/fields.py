"""The canonical fields of a scenario, declared once: path, kind and Norwegian labels.

A *path* is how the canonical JSON names a value: ``title``, ``probability``,
``consequences.okonomi``, ``residual.probability``, ``residual.consequences.samlet``. The converter
also knows ``risk`` (a source's combined risk cell: pair, score or zone word), ``zone``, ``extra``
(kept, without a field) and ``ignore`` (only in a mapping file). The converter's header data
(``rosxl/data/headers.toml``) names fields by the converter's own *names* (``consequence:okonomi``,
``residual.consequence``), which :func:`path_of` and :func:`name_of` translate.

The workbook's columns and the CSV export may adopt this table later; today they have their own.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def path_of(name: str) -> str:
    """The canonical path of a converter field name: ``consequence:okonomi`` → ``consequences.okonomi``,
    ``residual.consequence`` → ``residual.consequences.samlet``."""
    prefix = "residual." if name.startswith("residual.") else ""
    base = name.removeprefix("residual.")
    if base.startswith("consequence"):
        return f"{prefix}consequences.{base.partition(':')[2] or UNDIVIDED}"
    return prefix + base


def name_of(path: str) -> str | None:
    """The converter field name of a canonical path (``None`` for ``extra``/``ignore`` and unknown paths)."""
    prefix = "residual." if path.startswith("residual.") else ""
    base = path.removeprefix("residual.")
    if base.startswith("consequences."):
        area = base.partition(".")[2]
        return f"{prefix}consequence:{area}" if area and area != UNDIVIDED else f"{prefix}consequence"
    if path == "area" or (path in BY_PATH and BY_PATH[path].kind not in ("keep", "zone")):
        return path
    return None


def label(name: str | None, language: Literal["nb", "nn"] = "nb") -> str:
    """A field name or path in Norwegian, for messages: ``consequence:okonomi`` → «konsekvens (okonomi)»."""
    if name is None:
        return BY_PATH["extra"].nn if language == "nn" else BY_PATH["extra"].nb
    path = path_of(name) if ":" in name or name.endswith("consequence") else name
    head, _, area = path.partition("consequences.")
    field = BY_PATH.get(head + "consequences" if area else path)
    if field is None:
        return path
    text = field.nn if language == "nn" else field.nb
    return f"{text} ({area})" if area else text
