"""Compact JSON (rosxl.jsontext): orjson's text reads back as the standard library's would, falls
back where orjson refuses, and no cell of a file becomes a NaN or a huge integer in it."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rosxl
from rosxl.jsontext import dumps
from tests.sheets import new_sheet

_JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) |
                     st.floats(allow_nan=False, allow_infinity=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                     max_leaves=20)


def _strict(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"ikke JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@given(_JSON)
def test_reads_back_as_the_standard_library_writes_it(value: Any) -> None:
    assert _strict(dumps(value)) == json.loads(json.dumps(value, ensure_ascii=False))


@dataclass(frozen=True)
class _Path:
    name: str

    def __str__(self) -> str:
        return f"sti/{self.name}"


@pytest.mark.parametrize(("value", "expected"), [
    ({"stor": 2**70}, {"stor": 2**70}),  # beyond 64 bits: orjson refuses, the standard library writes it
    ({1: "nøkkel som tall"}, {"1": "nøkkel som tall"}),
    ({"sti": _Path("x"), "dato": dt.date(2026, 1, 2), "tid": dt.datetime(2026, 1, 2, 3, 4)},
     {"sti": "sti/x", "dato": "2026-01-02", "tid": "2026-01-02 03:04:00"}),  # str(), as json's default=str
    ({"tekst": "Flom\u00a0–\u00a0nedre del\nlinje 2"}, {"tekst": "Flom\u00a0–\u00a0nedre del\nlinje 2"}),
])
def test_what_orjson_does_not_write_as_json_does_is_written_as_json_does(value: Any, expected: Any) -> None:
    text = dumps(value)
    assert _strict(text) == expected and ", " not in text and "\\u00a0" not in text


def test_nan_and_huge_numbers_in_cells_stay_valid_json(tmp_path: Path) -> None:
    """A file may hold «NaN» or 1e300 as a cell's number (no spreadsheet application writes them);
    the converted JSON keeps them as text and a float, and stays strict JSON."""
    wb, ws = new_sheet()
    ws.append(["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens", "Merknad"])
    ws.append([1, "Flom", 3, 4, 1234567.5])
    ws.append([2, "Brann", 2, 3, 1e300])
    source = tmp_path / "tall.xlsx"
    wb.save(source)
    patched = tmp_path / "nan.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>1234567.5</v>" in data
                data = data.replace(b"<v>1234567.5</v>", b"<v>NaN</v>")
            zout.writestr(info, data)
    analysis, report = rosxl.convert(patched)
    assert report.scenarios == 2
    extras = [s.extra for s in analysis.scenarios]
    assert list(extras[0].values()) == ["nan"] and [type(v) for v in extras[1].values()] == [float]
    data = _strict(analysis.to_json(indent=None))
    assert [list(s["extra"].values()) for s in data["scenarios"]] == [["nan"], [1e300]]
    assert "1e+300" in analysis.to_json(indent=None)  # a float, not 301 digits of an integer
