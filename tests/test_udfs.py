"""The ros_* worksheet functions called with exactly what Excel passes through xlwings.

Excel hands over floats for numbers, strings, ``None`` for empty and error cells, a 1-D list for a
single row or column and a 2-D list for a block; ``kriterier`` is the block under the defined name
``ros_kriterier`` of a generated template.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosxl import udfs
from rosxl.analysis import Analysis
from rosxl.criteria import Criteria
from rosxl.excel import worksheet


def excel_range(path: Path, name: str) -> list[list[Any]]:
    """A defined name's block as xlwings passes it: numbers as floats, empty cells as None."""
    wb = openpyxl.load_workbook(path)
    ((sheet, ref),) = wb.defined_names[name].destinations
    return [[float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in (c.value for c in row)]
            for row in wb[sheet][ref.replace("$", "")]]


@pytest.fixture(scope="module")
def luster_block(tmp_path_factory: pytest.TempPathFactory, luster: Criteria) -> list[list[Any]]:
    from rosxl.workbook import write_workbook

    path = write_workbook(Analysis(luster), tmp_path_factory.mktemp("tpl") / "luster.xlsx", flavour="xlwings")
    return excel_range(path, "ros_kriterier")


def label(criteria: Criteria, zone: str | None, language: str | None = None) -> str | None:
    return criteria.zone_def(zone).label(language or criteria.language) if zone else None  # type: ignore[arg-type]


# --- ros_sannsynlighet ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (3.0, 3), ("3", 3), ("  1 gang per   20 år ", 2), ("ein gong i året", 4), ("Svært  høg", 5), ("årleg", 4),
    ("0,5 %", 1), (None, None), ("", None), ("   ", None),
])
def test_sannsynlighet_reads_classes_words_and_facts(value: Any, expected: int | None) -> None:
    assert udfs.ros_sannsynlighet(value) == expected


def test_sannsynlighet_gives_the_reason_for_bad_input() -> None:
    assert udfs.ros_sannsynlighet("tull") == "ukjent sannsynlighet: «tull»"
    assert udfs.ros_sannsynlighet([1.0, 2.0]) == "frekvens: forventet én celle, fikk et område"


@given(st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=40), st.booleans()))
def test_sannsynlighet_never_raises(value: Any) -> None:
    result = udfs.ros_sannsynlighet(value)
    assert result is None or isinstance(result, str) or 1 <= result <= 5


# --- ros_konsekvens -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("area", "value", "expected"), [
    ("Økonomi", "kr 2,5 mill.", 4), ("okonomi", 4.0, 4), (" liv og  helse ", "2 døde", 5),
    ("Tenesteproduksjon", "stopp i 7 dagar", 3), ("tjenester", "3 veker", 4),
    (None, "2 mill", 3),  # no area: the one area that reads money
    ("miljo", "Kritisk", 4), ("okonomi", None, None),
])
def test_konsekvens(area: Any, value: Any, expected: int | None) -> None:
    assert udfs.ros_konsekvens(area, value) == expected


def test_konsekvens_reasons() -> None:
    assert udfs.ros_konsekvens("tull", 3.0).startswith("ukjent konsekvensområde «tull»")
    assert udfs.ros_konsekvens("okonomi", "masse") == "ukjent konsekvens for Økonomi: «masse»"
    assert udfs.ros_konsekvens(None, "masse") == "ukjent konsekvens: «masse»"


# --- ros_sone and ros_risiko --------------------------------------------------------------------------


def test_sone_with_the_default_criteria(standard: Criteria) -> None:
    assert udfs.ros_sone(5.0, 5.0) == "Rød – uakseptabel"
    assert udfs.ros_sone(1.0, 1.0) == "Grønn – akseptabel"
    assert udfs.ros_sone("1 gang per 20 år", "kr 2,5 mill.", "Økonomi") == label(standard, standard.zone(2, 4))
    assert udfs.ros_sone(None, 3.0) is None
    assert udfs.ros_sone("tull", 3.0) == "ukjent sannsynlighet: «tull»"


def test_sone_with_the_template_criteria_block(luster: Criteria, luster_block: list[list[Any]]) -> None:
    """Luster's two matrices: liv og helse is stricter than the shared one; labels are nynorsk."""
    for p in range(1, 6):
        for k in range(1, 6):
            assert udfs.ros_sone(float(p), float(k), "Liv og helse", luster_block) == label(
                luster, luster.zone(p, k, "liv_og_helse"))
            assert udfs.ros_sone(float(p), float(k), None, luster_block) == label(luster, luster.zone(p, k))
    assert any(luster.zone(p, k, "liv_og_helse") != luster.zone(p, k) for p in range(1, 6) for k in range(1, 6))
    assert udfs.ros_sone("ein gong i året", "2 døde", "liv og helse", luster_block) == label(
        luster, luster.zone(4, 5, "liv_og_helse"))


def test_a_broken_criteria_block_is_a_reason_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSXL_UDF_LOG", str(tmp_path / "udfs.log"))
    result = udfs.ros_sone(3.0, 3.0, None, [["tull", None], [None, 1.0]])
    assert isinstance(result, str) and "Traceback" not in result and len(result) < 300
    assert "Traceback" in (tmp_path / "udfs.log").read_text("utf-8")
    assert udfs.ros_sone(3.0, 3.0, None, [1.0, 2.0]).startswith("kriterier må være hele kriterieblokken")


def test_an_unexpected_error_goes_to_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "logg" / "udfs.log"
    monkeypatch.setenv("ROSXL_UDF_LOG", str(log))

    def broken(*args: Any) -> Any:
        raise RuntimeError("noe uventet")

    monkeypatch.setattr(worksheet, "zone", broken)
    assert udfs.ros_sone(3.0, 3.0) == f"intern feil i ros_sone, se loggen {log.resolve()}"
    text = log.read_text("utf-8")
    assert "RuntimeError: noe uventet" in text and "Traceback" in text


def test_risiko_follows_the_criteria_score() -> None:
    assert udfs.ros_risiko(2.0, 3.0) == 6
    assert udfs.ros_risiko(2.0, 3.0, "risc") == 5  # RiSc scores p + k
    assert udfs.ros_risiko("Høy", "Kritisk") == 16
    assert udfs.ros_risiko(None, 3.0) is None


# --- ros_soner ------------------------------------------------------------------------------------------


def test_soner_one_zone_per_row_as_a_column(standard: Criteria) -> None:
    table = [[5.0, 4.0, 1.0], [None, None, None], ["tull", 2.0, 2.0], ["1 gang per 20 år", "Kritisk", None]]
    assert udfs.ros_soner(table) == [
        [label(standard, "red")], [None], ["ukjent sannsynlighet: «tull»"], [label(standard, standard.zone(2, 4))]]


def test_soner_header_row_chooses_each_areas_matrix(luster: Criteria, luster_block: list[list[Any]]) -> None:
    table = [["Sannsyn", "Liv og helse", "Økonomi"], [3.0, 3.0, 1.0], [2.0, 1.0, "2 mill"]]
    assert udfs.ros_soner(table, luster_block) == [
        ["Sone"],
        [label(luster, luster.worst_zone([luster.zone(3, 3, "liv_og_helse"), luster.zone(3, 1, "okonomi")]))],
        [label(luster, luster.worst_zone([luster.zone(2, 1, "liv_og_helse"), luster.zone(2, 3, "okonomi")]))],
    ]


def test_soner_shapes_one_row_and_one_cell(standard: Criteria) -> None:
    assert udfs.ros_soner([4.0, 4.0]) == [[label(standard, "red")]]  # a single row comes as a 1-D list
    assert udfs.ros_soner(4.0) == [["tabellen må ha sannsynlighet i første kolonne og konsekvenser i de neste"]]


def test_soner_agrees_with_single_sone_calls() -> None:
    table = [[float(p), float(k)] for p in range(1, 6) for k in range(1, 6)]
    assert [z for (z,) in udfs.ros_soner(table)] == [udfs.ros_sone(p, k) for p, k in table]


# --- ros_matrise --------------------------------------------------------------------------------------


def test_matrise_places_ids_with_probability_5_on_top() -> None:
    picture = udfs.ros_matrise([1.0, 2.0, "A-3", 4.0, None], [5.0, 5.0, 1.0, "Middels", 2.0],
                               [1.0, 1.0, 5.0, "2 mill", 2.0])
    assert len(picture) == 5 and all(len(row) == 5 for row in picture)
    assert picture[0][0] == "1, 2"
    assert picture[4][4] == "A-3"
    assert picture[2][2] == "4"  # Middels = 3, 2 mill = 3
    assert sum(cell is not None for row in picture for cell in row) == 3  # the row without id is left out


def test_matrise_takes_its_size_from_the_criteria(standard: Criteria) -> None:
    ids = [[1.0], [2.0]]  # a 2-D block of one column, e.g. two cells of adjacent columns would be a row
    picture = udfs.ros_matrise(ids, [[1.0], [1.0]], [[1.0], [2.0]])
    assert len(picture) == standard.probability_levels and len(picture[0]) == standard.consequence_levels_count
    assert picture[-1][:2] == ["1", "2"]


def test_matrise_reasons() -> None:
    assert udfs.ros_matrise([1.0, 2.0], [1.0], [1.0]) == "ider, s og k må ha like mange celler (2, 1, 1)"
    assert udfs.ros_matrise([1.0, 2.0], [1.0, "tull"], [1.0, 1.0]) == "rad 2: ukjent sannsynlighet: «tull»"


# --- the criteria token: ros_kriterier_last ---------------------------------------------------------


def test_token_is_short_stable_and_follows_the_block(luster: Criteria, luster_block: list[list[Any]]) -> None:
    token = udfs.ros_kriterier_last(luster_block)
    assert re.fullmatch(r"rosxl-krit:[0-9a-f]{12}", token)
    assert udfs.ros_kriterier_last([list(row) for row in luster_block]) == token
    assert udfs.ros_sone(4.0, 5.0, "Liv og helse", token) == label(luster, luster.zone(4, 5, "liv_og_helse"))
    assert udfs.ros_risiko(2.0, 3.0, token) == udfs.ros_risiko(2.0, 3.0, luster_block)
    assert udfs.ros_soner([[3.0, 3.0]], token) == udfs.ros_soner([[3.0, 3.0]], luster_block)
    assert udfs.ros_matrise([1.0], [5.0], [1.0], token) == udfs.ros_matrise([1.0], [5.0], [1.0], luster_block)


def test_an_edited_block_gives_a_new_token_and_every_zone_follows(luster: Criteria,
                                                                  luster_block: list[list[Any]]) -> None:
    """Recolour the shared matrix's cell S=1, K=1 in the block: the token changes and the zone with it."""
    old = udfs.ros_kriterier_last(luster_block)
    edited = [list(row) for row in luster_block]
    shared = next(m for m in luster.matrices if len(m.areas) != 1)
    heading = next(i for i, row in enumerate(edited) if row[0] == shared.key) + 1  # the «S \ K» row
    last = heading + luster.probability_levels  # the row of probability class 1
    green = luster.zone_def(luster.zone(1, 1) or "")
    assert edited[last][0] == 1.0 and edited[last][1] in (green.key, green.label.nb, green.label.nn)
    edited[last][1] = "red"
    new = udfs.ros_kriterier_last(edited)
    assert new != old
    assert udfs.ros_sone(1.0, 1.0, None, old) == label(luster, luster.zone(1, 1))
    assert udfs.ros_sone(1.0, 1.0, None, new) == label(luster, "red")


def test_an_unknown_token_asks_for_a_full_recalculation() -> None:
    message = "kriteriene er ikke lastet – trykk Ctrl+Alt+F9"
    assert udfs.ros_sone(3.0, 3.0, None, "rosxl-krit:000000000000") == message
    assert udfs.ros_sannsynlighet(3.0, "rosxl-krit:000000000000") == message
    token = udfs.ros_kriterier_last("standard")
    assert udfs.ros_kriterier_last(token).startswith("ros_kriterier_last trenger selve kriterieblokken")


def test_the_token_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The least recently used criteria go first; a token used since stays."""
    monkeypatch.setattr(worksheet, "_TOKENS", type(worksheet._TOKENS)())
    monkeypatch.setattr(worksheet, "TOKEN_CACHE_SIZE", 2)
    standard, risc = udfs.ros_kriterier_last("standard"), udfs.ros_kriterier_last("risc")
    assert udfs.ros_risiko(2.0, 3.0, standard) == 6
    udfs.ros_kriterier_last("luster-2013")
    assert list(worksheet._TOKENS) == [standard, udfs.ros_kriterier_last("luster-2013")]
    assert udfs.ros_risiko(2.0, 3.0, risc) == "kriteriene er ikke lastet – trykk Ctrl+Alt+F9"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_labelled_classes_are_classes(standard: Criteria, language: str) -> None:
    """Dropdown entries «2 – Lav» (class, space, en dash, space, label) read as their class."""
    token = udfs.ros_kriterier_last("standard")
    p_label = standard.probability[1].label.nb if language == "nb" else standard.probability[1].label.nn
    k_label = standard.consequence_levels[3].label.nb if language == "nb" else standard.consequence_levels[3].label.nn
    p, k = f"2 – {p_label}", f"4 – {k_label}"
    assert udfs.ros_sannsynlighet(p, token) == 2
    assert udfs.ros_konsekvens("Økonomi", k, token) == 4
    assert udfs.ros_sone(p, k, "Økonomi", token) == label(standard, standard.zone(2, 4, "okonomi"))
    assert udfs.ros_risiko(p, k, token) == 8
    assert udfs.ros_soner([[p, k]], token) == [[label(standard, standard.zone(2, 4))]]
