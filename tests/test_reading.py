"""Reading values into classes against criteria: labels, synonyms, band edges, never a guess."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosxl.criteria import Criteria, load_criteria
from rosxl.errors import RosxlError, UnknownAreaError

PRESETS = ["standard", "luster-2013", "dsb-2014", "kmd-2011-plan", "risc"]


@pytest.mark.parametrize(("value", "expected"), [
    (3, 3), (3.0, 3), ("3", 3), (" 3 ", 3), ("Svært høy", 5), ("svært høg", 5), ("SVÆRT  HØY", 5),
    ("Høg", 4), ("Middels (3)", 3), ("3 - Middels", 3), ("C", 3), ("c", 3), ("Lav", 2), ("Låg", 2),
    ("Sjeldnere enn én gang per 100 år", 1),  # a class's own description
])
def test_probability_labels_and_synonyms(standard: Criteria, value: object, expected: int) -> None:
    assert standard.probability_class(value) == expected


@pytest.mark.parametrize("value", ["Middels (4)", "Høy (2)"])
def test_contradicting_label_and_number_is_not_guessed(standard: Criteria, value: str) -> None:
    reading = standard.read_probability(value)
    assert reading.value is None and "motstridende" in (reading.reason or "")


def test_probability_band_edges_belong_to_the_upper_class(standard: Criteria) -> None:
    def per_year(x: float) -> str:  # a bare number within the scale would be a class, so say "per år"
        return f"{x!r} per år"

    for cls in standard.probability:
        assert cls.band is not None
        if cls.band.low:
            assert standard.probability_class(per_year(cls.band.low)) == cls.value
            assert standard.probability_class(per_year(math.nextafter(cls.band.low, 0))) == cls.value - 1
    assert standard.probability_class("1 gang per 100 år") == 2  # 0.01 is the lower edge of class 2
    assert standard.probability_class("1 gang per 101 år") == 1
    assert standard.probability_class(0.5) == 3  # a number that is not a class is events per year


def test_consequence_band_edges_belong_to_the_lower_class(standard: Criteria) -> None:
    assert standard.consequence_class("tjenester", "5 dager") == 2  # spec: 5 days is class 2
    assert standard.consequence_class("tjenester", "5,5 dager") == 3
    assert standard.consequence_class("okonomi", "20 000,-") == 1
    assert standard.consequence_class("okonomi", "20 001") == 2
    assert standard.consequence_class("okonomi", "kr 2,5 mill.") == 4
    assert standard.consequence_class("okonomi", "over 20 mill") == 5
    suffix = {"NOK": "kr", "days": "døgn"}
    for area in standard.areas:
        for cls in area.classes:
            if cls.band and cls.band.high != math.inf:
                edge, above = cls.band.high, math.nextafter(cls.band.high, math.inf)
                assert standard.consequence_class(area.key, f"{edge!r} {suffix[str(area.unit)]}") == cls.value
                assert standard.consequence_class(area.key, f"{above!r} {suffix[str(area.unit)]}") == cls.value + 1


@pytest.mark.parametrize(("value", "expected"), [
    ("2 døde", 5), ("1 død", 4), ("1 alvorlig skadd", 3), ("flere alvorlig skadde", 4), ("ingen skadde", 1),
    ("3 lettere skadde", 2), ("Katastrofal", 5), ("ein viss fare", 2),
])
def test_life_and_health_from_casualties(standard: Criteria, value: str, expected: int) -> None:
    assert standard.consequence_class("Liv og helse", value) == expected


def test_word_ranks_depend_on_the_source() -> None:
    """«kritisk» ranks above «farlig» in Luster/standard, below it in the land-use guidance."""
    def rank(criteria: Criteria, word: str) -> int:
        value = criteria.consequence_class("miljo", word)
        assert value is not None, word
        return value

    standard, kmd = load_criteria("standard"), load_criteria("kmd-2011-plan")
    assert rank(standard, "kritisk") > rank(standard, "farlig")
    assert rank(kmd, "kritisk") < rank(kmd, "farlig")


def test_ranges_that_span_classes_and_gaps_are_not_guessed(standard: Criteria, luster: Criteria) -> None:
    spans = standard.read_probability("oftere enn 1 gang i året")
    assert spans.value is None and "spenner over klasse 4–5" in (spans.reason or "")
    assert standard.probability_class("hvert 10.–50. år") == 2  # a range inside one class is fine
    gap = luster.read_probability("1 gang per 70 år")  # Luster's undefined 50–100-year band
    assert gap.value is None and "utenfor" in (gap.reason or "")


def test_dsb_letters_and_percent() -> None:
    dsb = load_criteria("dsb-2014")
    assert dsb.probability_class("C") == 3
    assert dsb.probability_class("1,5 %") == 3
    assert dsb.probability_class("< 0,1 %") == 1


def test_area_by_key_label_and_synonym(standard: Criteria, luster: Criteria) -> None:
    assert standard.area("Økonomi").key == "okonomi"
    assert standard.area("materielle verdier").key == "okonomi"
    assert luster.area("Tenesteproduksjon, kritiske tenester").key == "tjenester"
    with pytest.raises(UnknownAreaError, match="trafikk"):
        standard.area("trafikk")


def test_reading_keeps_the_original_text(standard: Criteria) -> None:
    reading = standard.read_probability("1 gang per 20 år")
    assert reading.value == 2 and reading.text == "1 gang per 20 år" and "0,05" in reading.how


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PRESETS),
       st.one_of(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(min_value=-10**6, max_value=10**6), st.none()))
def test_no_input_raises(preset: str, value: object) -> None:
    criteria = load_criteria(preset)
    try:
        criteria.read_probability(value)
        for area in criteria.area_keys:
            reading = criteria.read_consequence(area, value)
            assert reading.value is None or 1 <= reading.value <= criteria.consequence_levels_count
        criteria.zone(value, value)  # type: ignore[arg-type]
    except RosxlError:
        pass
