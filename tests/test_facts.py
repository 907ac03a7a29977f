"""Reading Norwegian facts: examples from real sheets, and properties over generated inputs."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosxl.facts import Casualties, Failure, Span, parse_casualties, parse_duration, parse_frequency, parse_money
from rosxl.text import find_numbers, normalise, parse_number


def point(result: Span | Failure) -> float:
    assert isinstance(result, Span), result
    assert result.is_point, result
    return result.low


@pytest.mark.parametrize(("text", "per_year"), [
    ("1 gang per 20 år", 0.05),
    ("1 gong per 20 år", 0.05),
    ("en gang hvert 20. år", 0.05),
    ("ein gong kvart 20. år", 0.05),
    ("hvert 5. år", 0.2),
    ("kvart 5. år", 0.2),
    ("årlig", 1.0),
    ("årleg", 1.0),
    ("ein gong i året", 1.0),
    ("en gang i året", 1.0),
    ("ukentlig", 52.0),
    ("3 ganger i løpet av 10 år", 0.3),
    ("1/500", 0.002),
    ("1:500 år", 0.002),
    ("0,5 % per år", 0.005),
    ("0,5 %", 0.005),
    ("2 ganger per år", 2.0),
    ("0,3", 0.3),
    ("12", 12.0),
    ("Sannsynlighet 1 gang per 100 år", 0.01),
    ("1 gang i måneden", 12.0),
])
def test_frequency_examples(text: str, per_year: float) -> None:
    assert point(parse_frequency(text)) == pytest.approx(per_year)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("hvert 10.–50. år", 0.02, 0.1),
    ("1 gang i løpet av 10-50 år", 0.02, 0.1),
    ("flere ganger i måneden", 24.0, 108.0),
    ("fleire gonger i året", 2.0, 9.0),
])
def test_frequency_ranges(text: str, low: float, high: float) -> None:
    span = parse_frequency(text)
    assert isinstance(span, Span)
    assert (span.low, span.high) == pytest.approx((low, high))


def test_frequency_bounds() -> None:
    rarer = parse_frequency("sjeldnere enn hvert 200. år")
    assert isinstance(rarer, Span) and rarer.low == 0 and rarer.high < 0.005
    often = parse_frequency("oftere enn 1 gang i året")
    assert isinstance(often, Span) and often.low > 1 and often.high == math.inf
    below = parse_frequency("< 0,1 %")
    assert isinstance(below, Span) and below.high < 0.001


@pytest.mark.parametrize("text", ["tull", "", "ofte nok", "hvert år eller to kanskje", "-3"])
def test_unreadable_frequency_gives_a_reason(text: str) -> None:
    result = parse_frequency(text)
    assert isinstance(result, Failure) and result.reason


@pytest.mark.parametrize(("text", "nok"), [
    ("kr 2,5 mill.", 2_500_000), ("150 000,-", 150_000), ("30 MNOK", 30_000_000), ("1,2 mrd", 1.2e9),
    ("20 000,-", 20_000), ("5 MNOK", 5e6), ("1,5 mill", 1.5e6), ("kr 500 000", 500_000),
    ("150\u00a0000", 150_000), ("150.000", 150_000), ("2 millioner", 2e6), ("500'", 500_000),
    ("250 tusen", 250_000), (1234.5, 1234.5),
])
def test_money_examples(text: object, nok: float) -> None:
    assert point(parse_money(text)) == pytest.approx(nok)


def test_money_ranges_and_bounds() -> None:
    span = parse_money("2–20 mill")
    assert isinstance(span, Span) and (span.low, span.high) == (2e6, 2e7)
    over = parse_money("over 20 mill")
    assert isinstance(over, Span) and over.low > 2e7 and over.high == math.inf
    assert isinstance(parse_money("mye penger"), Failure)
    assert isinstance(parse_money("2 bananer"), Failure)


@pytest.mark.parametrize(("text", "days"), [
    ("3 døgn", 3), ("2 uker", 14), ("3 veker", 21), ("4 timer", 4 / 24), ("stopp i 7 dager", 7),
    ("7 dagar", 7), ("1 måned", 30), ("ei veke", 7),
])
def test_duration_examples(text: str, days: float) -> None:
    assert point(parse_duration(text)) == pytest.approx(days)


def test_duration_bounds() -> None:
    under = parse_duration("under en dag")
    assert isinstance(under, Span) and under.low == 0 and under.high < 1
    assert isinstance(parse_duration("lenge"), Failure)


@pytest.mark.parametrize(("text", "expected"), [
    ("2 døde", (2, None, None)), ("1 alvorlig skadd", (None, 1, None)),
    ("flere alvorlig skadde", (None, 2, None)), ("ingen skadde", (0, 0, 0)), ("1 død", (1, None, None)),
    ("3 lettere skadde", (None, None, 3)), ("ein daud og to alvorleg skadde", (1, 2, None)),
    ("dødsfall", (1, None, None)),
])
def test_casualty_examples(text: str, expected: tuple[int | None, int | None, int | None]) -> None:
    result = parse_casualties(text)
    assert isinstance(result, Casualties), result
    assert (result.dead, result.serious, result.minor) == expected


def test_unqualified_injuries_are_not_guessed() -> None:
    result = parse_casualties("2 skadde")
    assert isinstance(result, Failure) and "alvorlige" in result.reason


# --- properties ------------------------------------------------------------------------------

SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f", "."])


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(min_value=0, max_value=10**12), SEPARATORS, st.sampled_from(["", "kr ", "NOK "]),
       st.sampled_from(["", ",-", " kr", " NOK"]))
def test_money_reads_any_thousands_separator(n: int, sep: str, prefix: str, suffix: str) -> None:
    assert point(parse_money(f"{prefix}{grouped(n, sep)}{suffix}")) == n


@given(st.decimals(min_value="0.1", max_value="999.9", places=1),
       st.sampled_from([("mill", 1e6), ("mill.", 1e6), ("MNOK", 1e6), ("mrd", 1e9), ("tusen", 1e3)]))
def test_money_decimal_comma_with_units(amount: Decimal, unit: tuple[str, float]) -> None:
    word, factor = unit
    text = f"{amount}".replace(".", ",") + f" {word}"
    assert point(parse_money(text)) == pytest.approx(float(amount) * factor)


@given(st.integers(min_value=1, max_value=100_000),
       st.sampled_from(["1 gang per {n} år", "1 gong per {n} år", "hvert {n}. år", "kvart {n}. år",
                        "en gang i løpet av {n} år", "ein gong i løpet av {n} år", "1/{n}"]))
def test_once_per_n_years_in_both_written_forms(n: int, template: str) -> None:
    assert point(parse_frequency(template.format(n=n))) == pytest.approx(1 / n)


@given(st.integers(min_value=1, max_value=365),
       st.sampled_from([("døgn", 1), ("dager", 1), ("dagar", 1), ("uker", 7), ("veker", 7), ("timer", 1 / 24)]))
def test_durations_in_both_written_forms(n: int, unit: tuple[str, float]) -> None:
    word, days = unit
    assert point(parse_duration(f"{n} {word}")) == pytest.approx(n * days)


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from([",", "."]))
def test_find_numbers_reads_decimal_comma_and_point(x: float, mark: str) -> None:
    text = f"{x:.2f}".replace(".", mark)
    numbers = find_numbers(text)
    assert len(numbers) == 1 and numbers[0].value == pytest.approx(round(x, 2))


@given(st.one_of(st.text(max_size=40), st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.none()))
def test_readers_never_raise(value: object) -> None:
    for reader in (parse_frequency, parse_money, parse_duration, parse_casualties):
        reader(value)
    parse_number(value)
    normalise(value)


@pytest.mark.parametrize(("text", "amount"), [
    ("cirka 4 mill.", 4e6), ("omkring 250 000 kr", 250_000), ("anslagsvis 1,5 MNOK", 1.5e6), ("ca. 2 mill", 2e6),
    ("Ca 300 000,-", 300_000), ("om lag 2 mill. kr", 2e6), ("kring 5 MNOK", 5e6), ("omtrent 10 000 kr", 10_000)])
def test_hedged_amounts(text: str, amount: float) -> None:
    result = parse_money(text)
    assert point(result) == amount and isinstance(result, Span) and result.how.startswith("omtrent")


@pytest.mark.parametrize(("text", "days"), [("ca 3 døgn", 3), ("rundt 10 dager", 10), ("om lag 2 veker", 14),
                                            ("kring 4 dagar", 4), ("cirka 1 uke", 7)])
def test_hedged_durations(text: str, days: float) -> None:
    assert point(parse_duration(text)) == days


HEDGES = st.sampled_from(["ca.", "ca", "Ca.", "cirka", "omkring", "anslagsvis", "rundt", "om lag", "kring", "omtrent"])


@given(HEDGES, st.integers(1, 999), st.sampled_from(["mill.", "MNOK", "kr", "tusen kr"]))
def test_a_hedge_never_changes_the_amount(hedge: str, n: int, unit: str) -> None:
    plain = parse_money(f"{n} {unit}")
    assert isinstance(plain, Span)
    assert parse_money(f"{hedge} {n} {unit}") == Span(plain.low, plain.high, f"omtrent: {hedge} {n} {unit}"
                                                      + plain.how.removeprefix(f"{n} {unit}"))


@given(HEDGES, st.integers(2, 500))
def test_a_hedge_never_changes_a_frequency_or_duration(hedge: str, n: int) -> None:
    for parse, text in ((parse_frequency, f"1 gang per {n} år"), (parse_duration, f"{n} døgn")):
        plain, hedged = parse(text), parse(f"{hedge} {text}")
        assert isinstance(plain, Span) and isinstance(hedged, Span)
        assert (hedged.low, hedged.high) == (plain.low, plain.high)
