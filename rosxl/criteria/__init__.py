"""Acceptance criteria: the typed model, the shipped presets and criteria files."""

from rosxl.criteria.files import (
    DEFAULT_PRESET,
    PresetInfo,
    criteria_from_dict,
    criteria_to_dict,
    list_presets,
    load_criteria,
    save_criteria,
)
from rosxl.criteria.model import (
    Band,
    ConsequenceArea,
    ConsequenceClass,
    ConsequenceLevel,
    Criteria,
    ProbabilityClass,
    Reading,
    Text,
    Zone,
    ZoneMatrix,
)

__all__ = [
    "DEFAULT_PRESET", "Band", "ConsequenceArea", "ConsequenceClass", "ConsequenceLevel", "Criteria",
    "PresetInfo", "ProbabilityClass", "Reading", "Text", "Zone", "ZoneMatrix", "criteria_from_dict",
    "criteria_to_dict", "list_presets", "load_criteria", "save_criteria",
]
