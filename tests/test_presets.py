"""Every shipped preset loads, validates and round-trips through TOML and YAML unchanged."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from rosxl.criteria import Criteria, criteria_from_dict, criteria_to_dict, list_presets, load_criteria, save_criteria
from rosxl.errors import CriteriaError, UnknownPresetError

PRESETS = ["standard", "luster-2013", "dsb-2014", "kmd-2011-plan", "risc"]


def test_all_presets_are_listed_standard_first() -> None:
    names = [p.name for p in list_presets()]
    assert names[0] == "standard"
    assert sorted(names) == sorted(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_file_is_exactly_its_own_dump(name: str) -> None:
    text = (resources.files("rosxl.presets") / f"{name}.toml").read_text("utf-8")
    body = text.split("\n", 1)[1]  # after the comment line
    assert tomli_w.dumps(criteria_to_dict(load_criteria(name))) == body


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("suffix", [".toml", ".yaml"])
def test_preset_round_trips_through_a_file(name: str, suffix: str, tmp_path: Path) -> None:
    criteria = load_criteria(name)
    path = tmp_path / f"kriterier{suffix}"
    save_criteria(criteria, path)
    again = load_criteria(path)
    assert again == criteria
    assert criteria_to_dict(again) == criteria_to_dict(criteria)


def test_standard_matches_the_spec(standard: Criteria) -> None:
    assert [p.band.low for p in standard.probability if p.band] == [0, 0.01, 0.1, 1, 10]
    assert standard.area_keys == ("liv_og_helse", "miljo", "okonomi", "tjenester", "omdomme")
    # Zone matrix on score = p × k: green 1–4, yellow 5–9, red 10–25.
    for p in range(1, 6):
        for k in range(1, 6):
            expected = "green" if p * k <= 4 else "yellow" if p * k <= 9 else "red"
            assert standard.zone(p, k) == expected, (p, k)


def test_luster_has_two_matrices_as_written(luster: Criteria) -> None:
    assert [m.key for m in luster.matrices] == ["liv_og_helse", "felles"]
    assert luster.zone(3, 3, "liv_og_helse") == "red"
    assert luster.zone(3, 3, "okonomi") == "yellow"
    assert luster.language == "nn"


def test_risc_scores_by_sum_with_four_zones() -> None:
    risc = load_criteria("risc")
    assert risc.risk_score(2, 3) == 5
    assert [risc.zone(p, 5 - p + 1) for p in (1,)] == ["yellow"]  # p + k = 6
    assert risc.zone(5, 5) == "dark_red" and risc.zone(1, 1) == "green"
    assert risc.probability_class(1.0) == 1  # a bare number within the scale is a class …
    assert risc.probability_class(20.5) == 4  # … otherwise events per year (20 ≈ 20^(4-3))


def test_unknown_preset_names_the_known_ones() -> None:
    with pytest.raises(UnknownPresetError, match="standard"):
        load_criteria("finnes-ikke")


# --- validation ------------------------------------------------------------------------------


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "kommune.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    return path


@pytest.fixture
def data(standard: Criteria) -> dict[str, Any]:
    return copy.deepcopy(criteria_to_dict(standard))


def _fails(tmp_path: Path, data: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(CriteriaError) as err:
        load_criteria(_write(tmp_path, data))
    text = str(err.value)
    assert "kommune.toml" in text, text
    assert f"felt «{field}»" in text, text
    assert message in text, text


def test_matrix_with_a_missing_cell(tmp_path: Path, data: dict[str, Any]) -> None:
    data["matrices"][0]["rows"][2].pop()
    _fails(tmp_path, data, "matrices[0].rows[2]", "manglende celle")


def test_matrix_with_a_missing_row(tmp_path: Path, data: dict[str, Any]) -> None:
    data["matrices"][0]["rows"].pop()
    _fails(tmp_path, data, "matrices[0].rows", "sannsynlighetsklasser")


def test_overlapping_probability_bands(tmp_path: Path, data: dict[str, Any]) -> None:
    data["probability"][1]["band"] = [0.005, 0.1]
    _fails(tmp_path, data, "probability", "overlapper")


def test_overlapping_consequence_bands(tmp_path: Path, data: dict[str, Any]) -> None:
    data["areas"][2]["classes"][3]["band"] = [1_000_000, 20_000_000]
    _fails(tmp_path, data, "areas[2].classes", "overlapper")


def test_matrix_naming_an_unknown_area(tmp_path: Path, data: dict[str, Any]) -> None:
    data["matrices"][0]["areas"].append("trafikk")
    _fails(tmp_path, data, "matrices[0].areas", "ukjent område «trafikk»")


def test_area_without_a_matrix(tmp_path: Path, data: dict[str, Any]) -> None:
    data["matrices"][0]["areas"].remove("omdomme")
    _fails(tmp_path, data, "matrices", "omdomme")


def test_unknown_zone_in_matrix(tmp_path: Path, data: dict[str, Any]) -> None:
    data["matrices"][0]["rows"][0][0] = "lilla"
    _fails(tmp_path, data, "matrices[0].rows[0]", "ukjent sone «lilla»")


def test_missing_field_and_wrong_type(tmp_path: Path, data: dict[str, Any]) -> None:
    del data["probability"][0]["label"]
    _fails(tmp_path, data, "probability[0].label", "mangler")
    data["probability"][0]["label"] = {"nb": "Svært lav"}
    data["probability"][0]["value"] = "en"
    _fails(tmp_path, data, "probability[0].value", "feil type")


def test_gap_in_classes_and_bad_colour(tmp_path: Path, data: dict[str, Any]) -> None:
    data["probability"][4]["value"] = 6
    _fails(tmp_path, data, "probability", "uten hull")
    data["probability"][4]["value"] = 5
    data["zones"][0]["colour"] = "grønn"
    _fails(tmp_path, data, "zones[0].colour", "ugyldig farge")


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kommune.toml"
    path.write_text("name = \n", "utf-8")
    with pytest.raises(CriteriaError, match="kommune.toml"):
        load_criteria(path)


def test_a_municipality_file_in_yaml_is_just_another_preset(tmp_path: Path, data: dict[str, Any]) -> None:
    data["name"] = "min-kommune"
    data["provenance"]["decision"] = "Kommunestyret, sak 12/26, 2026-02-10"
    path = tmp_path / "min.yaml"
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    c = load_criteria(path)
    assert c.name == "min-kommune" and c.provenance.decision.startswith("Kommunestyret")
    assert c == criteria_from_dict(data)
