"""Vectorised assessment of a whole table of scenarios with pandas and numpy.

:func:`assess` takes a DataFrame with a ``probability`` column and one column per consequence
area (classes as numbers, or texts such as "Høy" or "1 gang per 20 år") and adds a zone column
per area and an overall ``zone`` column (the worst area). Numeric classes never go through a
Python loop: each area is one lookup in a small zone table indexed by ``p * (K + 1) + k``.
Texts are read once per distinct value, so a million rows of a handful of labels cost little.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from rosxl.criteria import Criteria, load_criteria
from rosxl.errors import UnknownAreaError

UNKNOWN = -1


def class_codes(values: pd.Series, levels: int, read: Callable[[object], int | None]) -> np.ndarray:
    """Classes 1..levels as ``intp``, 0 where the value is empty or unreadable.

    Whole numbers within the scale are classes (one vectorised pass); every other value — texts,
    and numbers outside the scale such as events per year — is read by ``read``, once per
    distinct value, exactly as the scalar API reads it.
    """
    dtype = values.dtype
    if pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype) and not values.empty:
        v = values.to_numpy()
        if ((v - 1).view(f"u{v.itemsize}") < levels).all():  # the common case: every value a class
            return v.astype(np.intp, copy=False)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        f = values.to_numpy(dtype=np.float64, na_value=np.nan)
        is_class = (f >= 1) & (f <= levels) & (f == np.floor(f))
        codes = np.where(is_class, f, 0).astype(np.intp)
        rest = ~is_class & ~np.isnan(f)
        if rest.any():
            codes[rest] = _read_each(pd.Series(f[rest]), read)
        return codes
    return _read_each(values, read)


def _read_each(values: pd.Series, read: Callable[[object], int | None]) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([0, *[read(u) or 0 for u in uniques]], dtype=np.intp)
    return mapped[codes + 1]


def zone_table(criteria: Criteria, area: str) -> np.ndarray:
    """Flat zone-rank table for ``area``: index ``p * (K + 1) + k``; -1 where p or k is 0."""
    n, m = criteria.probability_levels, criteria.consequence_levels_count
    table = np.full((n + 1, m + 1), UNKNOWN, dtype=np.int8)
    for p in range(1, n + 1):
        for k in range(1, m + 1):
            zone = criteria.zone(p, k, area)
            assert zone is not None
            table[p, k] = criteria.zone_rank(zone)
    return table.ravel()


def assess(frame: pd.DataFrame, criteria: Criteria | str | None = None, *,
           probability: str = "probability") -> pd.DataFrame:
    """Add ``zone_<area>`` and ``zone`` columns (categorical zone keys, NaN where unknown).

    Columns named after an area's key (or a label such as "Økonomi") are consequence columns.
    Returns a new DataFrame; ``frame`` is not changed.
    """
    crit = load_criteria(criteria)
    if probability not in frame.columns:
        raise UnknownAreaError(f"tabellen mangler kolonnen «{probability}»", field=probability)
    area_columns: dict[str, str] = {}
    for column in frame.columns:
        if column == probability or not isinstance(column, str) or column.startswith("zone"):
            continue
        try:
            area_columns[crit.area(column).key] = column
        except UnknownAreaError:
            continue
    if not area_columns:
        raise UnknownAreaError(f"tabellen har ingen konsekvenskolonne (kjente områder: {', '.join(crit.area_keys)})")
    width = crit.consequence_levels_count + 1
    p = class_codes(frame[probability], crit.probability_levels, crit.probability_class) * width
    dtype = pd.CategoricalDtype([z.key for z in crit.zones])
    result = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    worst: np.ndarray | None = None
    for key, column in area_columns.items():
        k = class_codes(frame[column], crit.consequence_levels_count, partial(crit.consequence_class, key))
        ranks = zone_table(crit, key).take(p + k)
        result[f"zone_{key}"] = pd.Categorical.from_codes(ranks, dtype=dtype, validate=False)
        worst = ranks if worst is None else np.maximum(worst, ranks)
    assert worst is not None
    result["zone"] = pd.Categorical.from_codes(worst, dtype=dtype, validate=False)
    return result
