"""``rosxl presets`` and ``rosxl classify``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rosxl.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_presets_lists_each_with_a_description() -> None:
    code, out = run("presets")
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["standard", "dsb-2014", "kmd-2011-plan", "luster-2013", "risc"]
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)


def test_classify_prints_classes_zones_and_how() -> None:
    code, out = run("classify", "-s", "1 gang per 20 år", "-k", "Økonomi=kr 2,5 mill.", "-k", "liv_og_helse=2 døde")
    assert code == 0
    assert out.splitlines() == [
        "Kriterier: standard (1.0)",
        "Sannsynlighet: 2 Lav (1 per 20 år = 0,05 per år → klasse 2)",
        "Økonomi: 4 Kritisk (kr 2,5 mill. = 2 500 000 kr → klasse 4)  → sone Gul – tolerabel",
        "Liv og helse: 5 Katastrofal («2 døde»: 2 døde → klasse 5)  → sone Rød – uakseptabel",
        "Samlet sone: Rød – uakseptabel",
    ]


def test_classify_json_shape() -> None:
    code, out = run("classify", "--criteria", "luster-2013", "-s", "3", "-k", "liv_og_helse=3", "-k", "okonomi=3",
                    "--json")
    assert code == 0
    data = json.loads(out)
    assert data["probability"] == 3
    assert data["consequences"] == {"liv_og_helse": 3, "okonomi": 3}
    assert data["zones"] == {"liv_og_helse": "red", "okonomi": "yellow"}
    assert data["zone"] == "red"


def test_unreadable_value_exits_1_with_the_reason() -> None:
    code, out = run("classify", "-s", "tull", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["probability"] is None and data["reasons"]["probability"] == "ukjent sannsynlighet: «tull»"


def test_bad_option_is_a_usage_error() -> None:
    code, out = run("classify", "-k", "bare-tekst")
    assert code == 2 and "OMRÅDE=TEKST" in out


def test_unknown_area_and_criteria_are_one_line_errors(tmp_path: Path) -> None:
    code, out = run("classify", "-k", "trafikk=3")
    assert code == 1 and out.startswith("Feil: ") and "Traceback" not in out
    code, out = run("classify", "--criteria", str(tmp_path / "mangler.toml"), "-s", "3")
    assert code == 1 and "mangler.toml" in out


def test_municipal_criteria_file(tmp_path: Path) -> None:
    from rosxl.criteria import load_criteria, save_criteria

    path = tmp_path / "kommune.yaml"
    save_criteria(load_criteria("kmd-2011-plan"), path)
    code, out = run("classify", "--criteria", str(path), "-k", "miljo=kritisk", "--json")
    assert code == 0 and json.loads(out)["consequences"] == {"miljo": 3}
