"""Convert legacy municipal ROS sheets into the standard workbook and canonical JSON.

``rosxl.convert(path, criteria=…)`` returns ``(analysis, report)`` for one file;
:func:`convert_batch` converts files and folders into an output folder with one report.
Parts: :mod:`.read` (grids from files), :mod:`.headers` (column labels → fields),
:mod:`.layout` (tables, forms, matrices, legends), :mod:`.values` (cells → classes and zones),
:mod:`.pipeline` (one file), :mod:`.report` (problem kinds, reports), :mod:`.batch` (many files).
"""

from __future__ import annotations

from typing import Any

from rosxl.conversion.pipeline import convert

__all__ = ["convert", "convert_batch"]


def __getattr__(name: str) -> Any:
    if name == "convert_batch":
        from rosxl.conversion.batch import convert_batch

        return convert_batch
    raise AttributeError(name)
