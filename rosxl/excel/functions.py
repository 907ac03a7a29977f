"""The ``ros_*`` worksheet functions as plain Python, taking their arguments in Excel's shapes.

Excel (through xlwings' default conversion) passes a float, a string, a bool, ``None`` for an empty
or error cell, a 1-D list for a single row or column and a 2-D list for a block. :func:`one`,
:func:`rows` and :func:`cells` shape that; each function calls :mod:`rosxl.excel.worksheet` and
returns a value, a column or a block. Errors are raised (:class:`~rosxl.errors.ClassificationError`
and other :class:`~rosxl.errors.RosxlError`); the xlwings adapter (:mod:`rosxl.udfs`) turns them
into the cell's text, and :mod:`rosxl.excel.freeze` calls :data:`FUNCTIONS` without Excel or xlwings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rosxl.errors import ClassificationError
from rosxl.excel import worksheet

# --- Excel's shapes --------------------------------------------------------------------------------


def one(value: Any, name: str) -> Any:
    """A single cell's value; a range of several cells is refused."""
    if isinstance(value, list):
        raise ClassificationError(f"{name}: forventet én celle, fikk et område")
    return value


def rows(value: Any) -> list[list[Any]]:
    """A table's rows: a block as it is, one row (a 1-D list) as one row, one cell as one row."""
    if not isinstance(value, list):
        return [[value]]
    if value and all(isinstance(row, list) for row in value):
        return value
    return [value]


def cells(value: Any) -> list[Any]:
    """A row, a column or a block as one list of cells, row by row."""
    if not isinstance(value, list):
        return [value]
    return [cell for row in value for cell in (row if isinstance(row, list) else [row])]


# --- the functions -------------------------------------------------------------------------------


def ros_kriterier_last(kriterier: Any) -> Any:
    return worksheet.load_token(kriterier)


def ros_sannsynlighet(frekvens: Any, kriterier: Any = None) -> Any:
    criteria = worksheet.criteria_for(kriterier)
    return worksheet.Reader(criteria).probability(one(frekvens, "frekvens"))


def ros_konsekvens(omraade: Any, verdi: Any, kriterier: Any = None) -> Any:
    reader = worksheet.Reader(worksheet.criteria_for(kriterier))
    return reader.consequence(one(verdi, "verdi"), reader.area_key(one(omraade, "omraade")))


def ros_sone(sannsynlighet: Any, konsekvens: Any, omraade: Any = None, kriterier: Any = None) -> Any:
    return worksheet.zone(worksheet.criteria_for(kriterier), one(sannsynlighet, "sannsynlighet"),
                          one(konsekvens, "konsekvens"), one(omraade, "omraade"))


def ros_risiko(s: Any, k: Any, kriterier: Any = None) -> Any:
    return worksheet.risk(worksheet.criteria_for(kriterier), one(s, "s"), one(k, "k"))


def ros_soner(tabell: Any, kriterier: Any = None) -> Any:
    zones = worksheet.table_zones(worksheet.criteria_for(kriterier), rows(tabell))
    return [[z] for z in zones]


def ros_matrise(ider: Any, s: Any, k: Any, kriterier: Any = None) -> Any:
    return worksheet.matrix_picture(worksheet.criteria_for(kriterier), cells(ider), cells(s), cells(k))


#: The worksheet functions by their Excel name.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (ros_kriterier_last, ros_sannsynlighet, ros_konsekvens, ros_sone, ros_risiko, ros_soner,
                            ros_matrise)}
