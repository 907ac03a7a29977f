"""rosxl: risk and vulnerability analyses (ROS) for Norwegian municipalities, in Excel.

The public API is importable from here; heavy modules (pandas, openpyxl) load only when the
name that needs them is first used, so ``import rosxl`` stays cheap and never imports xlwings
or click::

    import rosxl
    criteria = rosxl.load_criteria("standard")
    criteria.probability_class("1 gang per 20 år")        # 2
    criteria.zone(4, criteria.consequence_class("Økonomi", "kr 2,5 mill."))   # "red"
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from rosxl.analysis import VERSION as __version__
from rosxl.criteria import Criteria, list_presets, load_criteria
from rosxl.errors import RosxlError

if TYPE_CHECKING:
    from rosxl.analysis import Analysis, Scenario
    from rosxl.assessment import assess
    from rosxl.merging import merge
    from rosxl.risikobilde import write_report

_LAZY = {
    "Analysis": "rosxl.analysis",
    "Scenario": "rosxl.analysis",
    "assess": "rosxl.assessment",
    "classify": "rosxl.classification",
    "write_workbook": "rosxl.workbook",
    "read_analysis": "rosxl.workbook",
    "convert": "rosxl.conversion",
    "merge": "rosxl.merging",
    "write_report": "rosxl.risikobilde",
}

__all__ = ["Analysis", "Criteria", "RosxlError", "Scenario", "__version__", "assess", "classify",
           "convert", "list_presets", "load_criteria", "merge", "read_analysis", "write_report", "write_workbook"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rosxl' has no attribute {name!r}")
