"""The standard ROS workbook: write it, read it back, check and export it.

``write_workbook`` and ``read_analysis`` load openpyxl only when first used, so importing
:mod:`rosxl.workbook.criteria_sheet` (the worksheet functions do) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rosxl.workbook.read import read_analysis
    from rosxl.workbook.write import write_workbook

_LAZY = {"write_workbook": "rosxl.workbook.write", "read_analysis": "rosxl.workbook.read"}

__all__ = ["read_analysis", "write_workbook"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rosxl.workbook' has no attribute {name!r}")
