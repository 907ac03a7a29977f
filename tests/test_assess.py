"""``rosxl.assess``: vectorised zones agree with ``Criteria.zone`` row by row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from rosxl import assess
from rosxl.criteria import Criteria
from rosxl.errors import UnknownAreaError


def expected_zones(frame: pd.DataFrame, criteria: Criteria, areas: list[str]) -> pd.DataFrame:
    rows = []
    for _, row in frame.iterrows():
        p = criteria.probability_class(row["probability"])
        zones = {a: criteria.zone(p, criteria.consequence_class(a, row[a]), a) for a in areas}
        rows.append({**{f"zone_{a}": z for a, z in zones.items()}, "zone": criteria.worst_zone(list(zones.values()))})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "object"])
def test_numeric_classes_match_the_scalar_api(luster: Criteria, dtype: Any) -> None:  # a pandas dtype name
    rng = np.random.default_rng(7)
    n = 400
    areas = list(luster.area_keys)
    data = {"probability": rng.integers(0, 7, n)} | {a: rng.integers(0, 7, n) for a in areas}
    frame = pd.DataFrame(data).astype(dtype)
    if dtype != "int64":
        frame.iloc[::7, 1] = None
    result = assess(frame, luster)
    expected = expected_zones(frame.astype(object), luster, areas)
    def plain(values: pd.Series) -> list[object]:
        return [None if pd.isna(x) else x for x in values.astype(object)]

    for column in expected.columns:
        assert plain(result[column]) == plain(expected[column]), column


def test_texts_labels_and_facts(standard: Criteria) -> None:
    frame = pd.DataFrame({
        "probability": ["Svært høy", "1 gang per 20 år", "tull", None, 3.5, "C"],
        "Økonomi": ["2 mill", 1, 5, 5, 4, "kr 25 mill."],
        "liv_og_helse": ["ingen skadde", "2 døde", None, 1, 1, "Kritisk"],
    })
    result = assess(frame, standard)
    assert result["zone_okonomi"].tolist()[:2] == ["red", "green"]
    assert result["zone_liv_og_helse"].tolist()[:2] == ["yellow", "red"]
    assert result["zone"].tolist()[:2] == ["red", "red"]
    assert result["zone"].isna().tolist()[2:5] == [True, True, False]  # 3.5 per år is class 4
    assert result["zone"].tolist()[5] == "red"  # C=3 × E=5 and × D=4
    assert "zone" not in frame.columns  # the input is not changed


def test_zone_columns_are_categorical_in_severity_order(standard: Criteria) -> None:
    result = assess(pd.DataFrame({"probability": [1, 5], "okonomi": [1, 5]}), standard)
    assert list(result["zone"].cat.categories) == ["green", "yellow", "red"]


def test_missing_columns_are_clear_errors(standard: Criteria) -> None:
    with pytest.raises(UnknownAreaError, match="probability"):
        assess(pd.DataFrame({"okonomi": [1]}), standard)
    with pytest.raises(UnknownAreaError, match="konsekvenskolonne"):
        assess(pd.DataFrame({"probability": [1], "trafikk": [1]}), standard)


def test_distinct_texts_are_read_once(standard: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    read = type(standard).probability_class

    def counting(self: Criteria, value: object) -> int | None:
        calls.append(str(value))
        return read(self, value)

    monkeypatch.setattr(type(standard), "probability_class", counting)
    frame = pd.DataFrame({"probability": ["Høy", "Lav"] * 5000, "okonomi": [3] * 10000})
    assess(frame, standard)
    assert sorted(calls) == ["Høy", "Lav"]
