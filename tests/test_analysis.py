"""The canonical model's JSON form."""

from __future__ import annotations

import dataclasses
import json

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.criteria import Criteria


def full_scenario(standard: Criteria) -> Scenario:
    return assess_scenario(Scenario(
        id="N1", title="Flaum", category="Naturhendingar", description="d", causes="c", existing_measures="e",
        probability=4, probability_basis="1 gang per 2 år", consequences={"okonomi": 4, "liv_og_helse": None},
        uncertainty="middels", manageability="høy", vulnerability="v", measures="m", responsible="r",
        deadline="2027-01-01", status="pågår",
        residual=Residual(probability=2, consequences={"okonomi": 3}),
        raw={"probability": "1 gang per 2 år"}, source={"file": "a.xlsx", "sheet": "ROS", "row": 4},
        review=["sjekk"], extra={"Merknad": "x"}), standard)


def test_to_dict_is_asdict_and_a_copy(standard: Criteria) -> None:
    s = full_scenario(standard)
    data = s.to_dict()
    assert data == dataclasses.asdict(s)  # every field, new ones included
    data["consequences"]["okonomi"] = 1
    data["review"].append("x")
    data["residual"]["consequences"]["okonomi"] = 1
    assert s.consequences["okonomi"] == 4 and s.review == ["sjekk"] and s.residual.consequences["okonomi"] == 3


def test_json_round_trip_with_open_bands(standard: Criteria) -> None:
    analysis = Analysis(standard, [full_scenario(standard)], {"title": "ROS"})
    for indent in (2, None):
        text = analysis.to_json(indent=indent)
        assert "Infinity" not in text  # JSON has no infinity: open band ends are null
        again = Analysis.from_dict(json.loads(text))
        assert again.criteria == standard
        assert again.scenarios[0] == analysis.scenarios[0]
        assert json.loads(text) == json.loads(json.dumps(analysis.to_dict(), default=str))  # every key, in order
        assert list(json.loads(text)) == ["rosxl", "criteria", "metadata", "scenarios", "report"]
