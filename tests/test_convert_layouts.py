"""The converter on the legacy corpus: one fixture per layout, with the expected canonical output."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

import rosxl
from corpus.legacy import build_all
from rosxl.analysis import Analysis
from rosxl.conversion.report import FileReport

Converted = dict[str, tuple[Analysis, FileReport]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("legacy"))


@pytest.fixture(scope="module")
def converted(corpus: dict[str, Path]) -> Converted:
    return {name: rosxl.convert(path) for name, path in corpus.items()}


def source_cells(path: Path) -> list[Any]:
    """Every non-empty cell of a source file, read independently of the converter."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
        delimiter = ";" if text.count(";") > text.count(",") else ","
        return [v for row in csv.reader(text.splitlines(), delimiter=delimiter) for v in row if v.strip()]
    wb = CalamineWorkbook.from_path(str(path))
    return [v for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for v in row if v != ""]


def output_values(analysis: Analysis) -> set[str]:
    """Every scalar, dict key and " | "-separated piece of text anywhere in the canonical output."""
    found: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                found.add(str(k))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif x is not None:
            found.add(str(x))
            found.update(str(x).split(" | "))
    walk(json.loads(analysis.to_json()))
    return found


def as_text(v: Any) -> str:
    """A source cell as the output must hold it: text verbatim (en dashes, NBSP, line breaks)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def test_every_fixture_accounts_for_every_row_and_cell(corpus: dict[str, Path], converted: Converted) -> None:
    for name, (analysis, report) in converted.items():
        assert report.rows_read == report.scenarios + len(report.skipped), name
        assert report.scenarios == len(analysis.scenarios), name
        assert not report.lost, name
        values = output_values(analysis)
        missing = [v for v in source_cells(corpus[name]) if as_text(v) not in values
                   and as_text(v).rstrip(":") not in values]
        assert not missing, f"{name}: {missing}"


def by_id(analysis: Analysis) -> dict[str | None, Any]:
    return {s.id: s for s in analysis.scenarios}


@pytest.mark.parametrize("name", ["two_row_header", "xlsm"])
def test_two_row_header_with_groups_sections_and_residual(converted: Converted, name: str) -> None:
    analysis, report = converted[name]
    sheet = report.sheets[0]
    assert sheet["header_rows"] == [4, 5]
    fields = {c["label"]: c["field"] for c in sheet["columns"]}
    assert fields["Før tiltak / Liv og helse"] == "consequence:liv_og_helse"
    assert fields["Etter tiltak / S"] == "residual.probability"
    assert fields["Etter tiltak / Økonomi"] == "residual.consequence:okonomi"
    s = by_id(analysis)
    assert list(s) == ["1", "2", "3"]
    flood = s["1"]
    assert (flood.probability, flood.consequences) == (2, {"liv_og_helse": 3, "okonomi": 4})
    assert flood.raw["probability"] == "1 gang per 20 år" and flood.raw["consequences.okonomi"] == "2,5 mill"
    assert (flood.zone, flood.residual.probability, flood.residual.consequences) == ("yellow", 1, {"okonomi": 2})
    assert flood.residual.zone == "green"
    assert s["2"].category == "Natur" and any("fylt ned" in n for n in s["2"].review)
    assert s["3"].category == "Teknisk" and s["3"].zone == "red"
    reasons = [k.reason.split(":")[0] for k in report.skipped]
    assert sorted(reasons) == ["gjentatt overskriftsrad"] * 2 + ["merknad"] + ["seksjonsrad"] * 2
    assert analysis.metadata["title"].startswith("Risiko- og sårbarhetsanalyse")


def test_nynorsk_letters_words_and_facts(converted: Converted) -> None:
    analysis, _ = converted["nynorsk"]
    s = by_id(analysis)
    assert s["N1"].probability == 4 and s["N1"].consequences == {"liv_og_helse": 2, "tjenester": 2, "omdomme": 2}
    assert s["N1"].uncertainty == "lav" and s["N2"].uncertainty == "hoy"
    assert s["N2"].consequences["liv_og_helse"] == 3 and s["N2"].raw["consequences.liv_og_helse"] == "Farleg"
    assert s["T1"].probability == 4 and s["T1"].consequences["tjenester"] == 4 and s["T1"].zone == "red"
    assert s["T1"].category == "Tilsikta hendingar"


def test_source_legend_wins_and_four_levels_are_rescaled_and_flagged(converted: Converted) -> None:
    analysis, report = converted["legend"]
    s = {x.title: x for x in analysis.scenarios}
    assert s["Trafikkulykke"].consequences == {"samlet": 3}  # «Kritisk» is 3 in this source, 4 in standard
    assert s["Gasslekkasje"].consequences == {"samlet": 4}
    assert [s[t].probability for t in ("Trafikkulykke", "Gasslekkasje", "Strømbrudd")] == [5, 2, 4]
    assert all(any("av 4 i kilden" in n for n in x.review) for x in analysis.scenarios)
    assert {p.code for p in report.problems} >= {"legend-used", "scale-mapped", "area-added"}
    assert "samlet" in analysis.criteria.area_keys


def test_overview_sheet_does_not_double_and_hidden_sheet_gives_nothing(converted: Converted) -> None:
    analysis, report = converted["several_sheets"]
    assert [x.title for x in analysis.scenarios] == ["Flom", "Storm", "Strømbrudd"]
    assert {x.source["sheet"] for x in analysis.scenarios} == {"Natur", "Teknisk"}
    assert any(p.code == "sheet-repeats" and p.sheet == "Oversikt" for p in report.problems)
    assert sum(1 for k in report.skipped if k.sheet == "Oversikt") == 3


@pytest.mark.parametrize("name", ["matrix", "matrix_transposed"])
def test_matrix_only_sheet_either_orientation(converted: Converted, name: str) -> None:
    analysis, _ = converted[name]
    placed = {x.id: (x.probability, x.consequences["samlet"]) for x in analysis.scenarios}
    assert placed == {"1": (5, 2), "2": (3, 4), "3": (3, 4), "4": (1, 5)}
    assert all(x.review for x in analysis.scenarios)


def test_matrix_with_words_or_codes_on_its_axes(converted: Converted) -> None:
    words, report = converted["matrix_words"]
    placed = {x.id: (x.probability, x.consequences["samlet"]) for x in words.scenarios}
    assert placed == {"H1": (4, 3), "H2": (1, 5), "H3": (1, 5)}
    assert words.scenarios[0].raw == {"matrix": "H1", "probability": "Meget sannsynlig",
                                      "consequences.samlet": "Farlig"}
    assert report.sheets[0]["role"] == "risikomatrise (sannsynlighet langs radene)"
    codes, report = converted["matrix_codes"]
    assert {x.id: (x.probability, x.consequences["samlet"]) for x in codes.scenarios} == {"7": (2, 5), "8": (4, 1)}
    assert report.sheets[0]["role"] == "risikomatrise (sannsynlighet langs kolonnene)"


def test_form_sheets_beside_and_below(converted: Converted) -> None:
    analysis, _ = converted["form"]
    water, pandemic = analysis.scenarios
    assert (water.title, water.probability, water.consequences) == ("Bortfall av drikkevatn", 3, {"liv_og_helse": 4})
    assert water.responsible == "Teknisk etat" and water.source["sheet"] == "Hendelse 1"
    assert (pandemic.title, pandemic.probability, pandemic.measures) == ("Pandemi", 2, "Smittevernplan")
    assert pandemic.consequences == {"samlet": 4}


def test_colour_only_zones(converted: Converted) -> None:
    analysis, report = converted["colour_only"]
    assert [(x.title, x.zone) for x in analysis.scenarios] == [("Flom", "red"), ("Storm", "yellow"),
                                                               ("Snøskred", "green")]
    assert analysis.scenarios[1].raw["zone"] == "fyllfarge #FFC000"
    assert any(p.code == "zone-from-colour" for p in report.problems)


def test_risk_words_scores_and_pairs(converted: Converted) -> None:
    analysis, _ = converted["risk_words"]
    s = by_id(analysis)
    assert [s[i].zone for i in "12345"] == ["red", "yellow", "red", "yellow", "yellow"]
    assert any("bare 3 soner" in n for n in s["1"].review)
    assert (s["4"].probability, s["4"].consequences) == (2, {"samlet": 3})
    assert s["3"].extra["source_score"] == 20


def test_ambiguous_and_unknown_columns_go_to_extra(converted: Converted) -> None:
    analysis, report = converted["ambiguous"]
    (s,) = analysis.scenarios
    assert s.extra == {"Vurdering sannsynlighet/konsekvens": "usikker", "Fargekode kommunen": "blå"}
    codes = {(p.code, p.column) for p in report.problems}
    assert ("header-ambiguous", "D") in codes and ("column-unmapped", "E") in codes


def test_semicolon_windows_1252_csv_with_combined_cells(converted: Converted) -> None:
    analysis, report = converted["semicolon_cp1252"]
    s = by_id(analysis)
    assert report.format == "csv"
    assert (s["1"].title, s["1"].probability, s["1"].consequences) == ("Vannlekkasje", 2, {"okonomi": 1})
    assert (s["2"].probability, s["2"].consequences) == (3, {"okonomi": 4})  # S3 K4: the money column wins
    assert (s["3"].probability, s["3"].consequences) == (3, {"samlet": 4})
    assert (s["4"].probability, s["4"].consequences) == (2, {"samlet": 3})


def test_comma_csv_with_bom_on_three_levels(converted: Converted) -> None:
    analysis, report = converted["comma_bom"]
    assert [(p.code, p.column) for p in report.problems if p.code == "scale-mapped"] == [("scale-mapped", "B"),
                                                                                         ("scale-mapped", "C")]
    flood, fire = analysis.scenarios
    assert (flood.probability, flood.consequences) == (5, {"samlet": 3})
    assert (fire.probability, fire.consequences) == (1, {"samlet": 5})
    assert fire.measures == "Røykvarsler, sprinkler"
    assert all(any("av 3 i kilden" in n for n in x.review) for x in (flood, fire))


def test_every_sheets_rows_add_up(converted: Converted) -> None:
    """Per sheet too (matrix sheets and sheets that repeat others included): rows read = scenarios + skipped."""
    for name, (analysis, report) in converted.items():
        assert sum(s["rows_read"] for s in report.sheets) == report.rows_read, name
        for sheet in report.sheets:
            assert sheet["rows_read"] == sheet["scenarios"] + sheet["skipped"], (name, sheet["name"])
        assert sum(s["scenarios"] for s in report.sheets) == len(analysis.scenarios), name
