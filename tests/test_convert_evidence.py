"""Column roles from header and content together (issue 10, item 1): named fixtures."""

from __future__ import annotations

from pathlib import Path

import rosxl
from tests.sheets import new_sheet


def _book(folder: Path, name: str, rows: list[list[object]]) -> Path:
    wb, _ = new_sheet(rows=rows)
    path = folder / name
    wb.save(path)
    return path


def test_frequency_column_under_an_unknown_header(tmp_path: Path) -> None:
    path = _book(tmp_path, "ukjent-overskrift.xlsx", [
        ["Nr", "Uønsket hendelse", "Hvor ofte skjer dette", "Økonomi"],
        [1, "Flom i sentrum", "hvert 15. år", 3],
        [2, "Brann i skole", "1 gang per 50 år", 4],
        [3, "Strømbrudd", "3 % per år", 2],
    ])
    analysis, report = rosxl.convert(path)
    criteria = rosxl.load_criteria("standard")
    expected = [criteria.read_probability(t).value for t in ("hvert 15. år", "1 gang per 50 år", "3 % per år")]
    assert [s.probability for s in analysis.scenarios] == expected and None not in expected
    assert analysis.scenarios[0].raw["probability"] == "hvert 15. år"
    column = report.sheets[0]["columns"][2]
    assert column["field"] == "probability" and column["rule"] == "by-content"
    assert "frekvens 100 %" in column["evidence"]
    assert [p.code for p in report.problems if p.code.startswith("column-")] == ["column-by-content"]


def test_free_text_under_a_score_like_header(tmp_path: Path) -> None:
    path = _book(tmp_path, "risiko-er-tittel.xlsx", [
        ["Nr", "Risikoforhold", "S", "K"],
        [1, "Flom i Elva ved snøsmelting og kraftig regn", 3, 4],
        [2, "Brann i sykehjem om natten med få ansatte", 2, 5],
        [3, "Langvarig strømbrudd i kaldt vær i januar", 4, 3],
    ])
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom i Elva ved snøsmelting og kraftig regn",
                                                     "Brann i sykehjem om natten med få ansatte",
                                                     "Langvarig strømbrudd i kaldt vær i januar"]
    assert (analysis.scenarios[0].probability, analysis.scenarios[0].consequences["samlet"]) == (3, 4)


def test_risk_header_over_free_text_is_not_risk(tmp_path: Path) -> None:
    path = _book(tmp_path, "risiko-fritekst.xlsx", [
        ["Hendelse", "Risiko", "S", "K"],
        ["Flom", "Vannet stiger raskt i nedre del av sentrum", 3, 4],
        ["Brann", "Brann i eldre trehusbebyggelse uten sprinkling", 2, 5],
        ["Ras", "Steinsprang over fylkesvegen i vårløsningen", 4, 3],
    ])
    analysis, report = rosxl.convert(path)
    first = analysis.scenarios[0]
    assert first.title == "Flom" and first.description == "Vannet stiger raskt i nedre del av sentrum"
    assert "risk" not in first.raw
    assert any(p.code == "column-content-wins" for p in report.problems)


def test_areas_the_criteria_lack_are_added(tmp_path: Path) -> None:
    path = _book(tmp_path, "dsb-omrader.xlsx", [
        ["Nr", "Hendelse", "S", "Konsekvens", None, None, None],
        [None, None, None, "Liv og helse", "Samfunnsstabilitet", "Styringsevne", "Dyrevelferd"],
        [1, "Langvarig strømbrudd", 3, 2, 4, 3, 2],
        [2, "Pandemi", 2, 5, 5, 4, 1],
    ])
    analysis, report = rosxl.convert(path)
    first = analysis.scenarios[0]
    assert first.consequences == {"liv_og_helse": 2, "stabilitet": 4, "styringsevne": 3, "dyrevelferd": 2}
    assert not first.extra
    assert {"stabilitet", "styringsevne", "dyrevelferd"} <= set(analysis.criteria.area_keys)
    assert analysis.criteria.area("stabilitet").label.nb == "Samfunnsstabilitet"
    assert analysis.criteria.area("dyrevelferd").label.nb == "Dyrevelferd"
    assert [p.code for p in report.problems].count("area-added") == 3
    assert first.zone is not None
