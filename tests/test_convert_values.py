"""Value mapping, header matching and reader robustness (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rosxl
from rosxl.conversion.headers import match
from rosxl.conversion.layout import detect
from rosxl.conversion.read import read_book
from rosxl.conversion.values import Scale, ValueMapper, rescale
from rosxl.criteria import Criteria, load_criteria
from rosxl.errors import RosxlError
from rosxl.fields import FieldPath
from tests.sheets import new_sheet


@pytest.mark.parametrize(("levels", "expected"), [(3, [1, 3, 5]), (4, [1, 2, 4, 5]), (5, [1, 2, 3, 4, 5])])
def test_scale_rule(levels: int, expected: list[int]) -> None:
    assert [rescale(i, levels, 5) for i in range(1, levels + 1)] == expected


@given(st.integers(2, 9), st.integers(2, 9))
def test_rescale_keeps_ends_and_order(source: int, target: int) -> None:
    mapped = [rescale(i, source, target) for i in range(1, source + 1)]
    assert mapped[0] == 1 and mapped[-1] == target and mapped == sorted(mapped)


@pytest.mark.parametrize(("label", "field"), [
    ("Sannsynlighet", "probability"), ("Sannsyn", "probability"), ("S", "probability"),
    ("Uønskt hending", "title"), ("Nr.", "id"), ("S×K", "risk"), ("Konsekvens for økonomi", "consequence:okonomi"),
    ("Begrunnelse for sannsynlighet", "probability_basis"), ("Eksisterande tiltak", "existing_measures"),
    ("S etter tiltak", "residual.probability"), ("Usikkerheit", "uncertainty"), ("Sannsynlighet for hendelsen",
                                                                                "probability")])
def test_header_synonyms(standard: Criteria, label: str, field: str) -> None:
    assert match(label, standard).field == FieldPath.parse(field)


def test_group_header_gives_context(standard: Criteria) -> None:
    assert match("Økonomi", standard, "Konsekvens").field == FieldPath("consequence", "okonomi")
    assert match("K", standard, "Etter tiltak").field == FieldPath("consequence", residual=True)
    assert match("Vurdering sannsynlighet/konsekvens", standard).ambiguous


def test_values(standard: Criteria) -> None:
    m = ValueMapper(standard)
    assert m.probability("Middels (3)").value == 3
    assert m.probability("1 gang per 20 år").value == 2  # a frequency, not "class 1"
    assert m.probability("E").value == 5
    assert m.consequence("okonomi", "5 MNOK").value == 4
    assert m.risk("S:2 K:3").pair == (2, 3) and m.risk("3/4").pair == (3, 4)
    assert m.risk("Uakseptabel").value == "red" and m.risk(3).value == "green"
    assert m.risk(12).value == "red"  # 3 × 4 and 4 × 3 are both red
    assert m.risk(4).value == "green" and m.risk(30).value is None and m.risk(30).review
    assert m.colour_zone("FFC000").value == "yellow" and m.colour_zone("C00000").value == "red"
    assert ValueMapper(load_criteria("risc")).colour_zone("8B0000").value == "dark_red"


def test_legend_words_take_precedence(standard: Criteria) -> None:
    legend = Scale(5, {"kritisk": 3, "farlig": 4}, "kilde")
    assert ValueMapper(standard).consequence("miljo", "Kritisk").value == 4
    assert ValueMapper(standard, consequence=legend).consequence("miljo", "Kritisk").value == 3


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.integers(-5, 50), st.floats(allow_nan=True), st.text(max_size=30)))
def test_value_mapping_never_raises(value: object) -> None:
    m = ValueMapper(load_criteria("standard"))
    m.probability(value)
    m.consequence("okonomi", value)
    m.risk(value)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ".xlsm"]))
def test_readers_raise_only_rosxl_errors(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"f{suffix}"
    path.write_bytes(data)
    criteria = load_criteria("standard")
    try:
        book = read_book(path)
    except RosxlError:
        return
    for sheet in book.sheets:
        detect(sheet, criteria)


def test_fills_direct_and_conditional(tmp_path: Path) -> None:
    from corpus.legacy import GREEN, ORANGE, RED, colour_only
    from rosxl.conversion.read import read_fills

    book = read_book(colour_only(tmp_path))
    read_fills(book, {"ROS", "Poeng"})
    direct, conditional = book.sheets
    assert [direct.fills.get((r, 1)) for r in (1, 2, 3)] == [RED, ORANGE, GREEN]
    assert [conditional.fills.get((r, 1)) for r in (1, 2, 3)] == [GREEN, RED, None]  # values 2, 12, 6


def test_readings_are_remembered_per_scale_not_per_object(standard: Criteria) -> None:
    m = ValueMapper(standard)
    assert m.probability(2, Scale(3)).value == 3
    assert m.probability(2, Scale(5)).value == 2
    assert m.consequence("okonomi", 2, Scale(3)).value == 3 and m.consequence("okonomi", 2, Scale(5)).value == 2


@pytest.mark.parametrize(("cell", "before", "after"), [
    ("S4 K2\nmerknad: usikkert grunnlag", (4, 2), None),
    ("Før: S3 K4 / Etter: S2 K3", (3, 4), (2, 3)),
    ("S3K4 → S2K2", (3, 4), (2, 2)),
    ("S3 K4\nEtter tiltak: S2 K2\nvurdert på nytt 2019", (3, 4), (2, 2)),
])
def test_combined_cells_with_notes_and_after_part(standard: Criteria, cell: str, before: tuple[int, int],
                                                   after: tuple[int, int] | None) -> None:
    m = ValueMapper(standard).risk(cell)
    assert m.pair == before and m.residual_pair == after and m.raw == cell


def test_combined_cell_sets_before_and_residual(tmp_path: Path) -> None:
    wb, ws = new_sheet()
    ws.append(["Nr", "Hendelse", "Risiko"])
    ws.append([1, "Flom", "Før: S3 K4 / Etter: S2 K3"])
    wb.save(tmp_path / "par.xlsx")
    s = rosxl.convert(tmp_path / "par.xlsx")[0].scenarios[0]
    assert (s.probability, s.consequences["samlet"]) == (3, 4)
    assert (s.residual.probability, s.residual.consequences["samlet"]) == (2, 3)
    assert s.raw["risk"] == "Før: S3 K4 / Etter: S2 K3"
