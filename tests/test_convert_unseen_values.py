"""Values, scales and vocabulary of unseen-like legacy sheets (issue 10, red team «values»): one named fixture
per mechanism that failed on a corpus written independently of the converter, with its exact expected output,
and properties of the parsers those mechanisms changed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import rosxl
from rosxl import facts
from rosxl.analysis import Analysis
from rosxl.conversion.headers import match
from rosxl.conversion.report import FileReport
from rosxl.conversion.values import (
    Scale,
    ValueMapper,
    class_names,
    inline_levels,
    legend_alternatives,
    oriented,
    pair_of,
    scale_from_header,
)
from rosxl.criteria import Criteria
from rosxl.text import normalise
from tests.sheets import new_sheet

TITLES = ["Flom i Storelva", "Brann i sykehjem", "Langvarig strømbrudd", "Kvikkleireskred ved Bakken"]


def _convert(folder: Path, rows: Sequence[Sequence[object]], name: str = "kilde.xlsx") -> tuple[Analysis, FileReport]:
    wb, _ = new_sheet(rows=rows)
    path = folder / name
    wb.save(path)
    analysis, report = rosxl.convert(path, criteria="standard")
    return analysis, report


def _column(report: FileReport, letter: str) -> dict[str, object]:
    return next(c for c in report.sheets[0]["columns"] if c["column"] == letter)


def _codes(report: FileReport) -> list[str]:
    return [p.code for p in report.problems]


# --- legends whose labels pair two words per level --------------------------------------------------------


def test_kmd_legend_label_alternatives_win_over_the_criteria_words(tmp_path: Path) -> None:
    """KMD 2011 writes «Betydelig/ kritisk» (3) and «Alvorlig/ farlig» (4); a sheet writes either word. The
    standard's own words say the opposite (farlig 3, kritisk 4): the source's legend decides."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Liv og helse"],
        [1, TITLES[0], 2, "kritisk"],
        [2, TITLES[1], 3, "farlig"],
        [3, TITLES[2], 1, "Svært alvorlig"],
        [],
        ["Tegnforklaring"],
        ["Konsekvens"],
        [1, "Ubetydelig"], [2, "Mindre alvorlig/ en viss fare"], [3, "Betydelig/ kritisk"],
        [4, "Alvorlig/ farlig"], [5, "Svært alvorlig/ katastrofalt"],
    ])
    assert [s.consequences["liv_og_helse"] for s in analysis.scenarios] == [3, 4, 5]
    assert [s.raw["consequences.liv_og_helse"] for s in analysis.scenarios] == ["kritisk", "farlig", "Svært alvorlig"]
    assert "legend-used" in _codes(report)


def test_roman_numerals_with_their_legend(tmp_path: Path) -> None:
    analysis, _ = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Økonomi"],
        [1, TITLES[0], "IV", 2],
        [2, TITLES[1], "I", 3],
        [3, TITLES[2], "III", 1],
        [],
        ["Sannsynlighet"],
        [1, "I – Svært lav"], [2, "II – Lav"], [3, "III – Middels"], [4, "IV – Høy"], [5, "V – Svært høy"],
    ])
    assert [s.probability for s in analysis.scenarios] == [4, 1, 3]


@given(st.lists(st.sampled_from(["Alvorlig", "farlig", "Mindre alvorlig", "en viss fare", "Sjelden", "Ofte"]),
                min_size=1, max_size=3, unique=True))
def test_legend_alternatives_are_the_label_split_at_slashes(words: list[str]) -> None:
    label = "/ ".join(words)
    parts = legend_alternatives(label)
    assert parts == (tuple(normalise(w) for w in words) if len(words) > 1 else ())
    assert legend_alternatives(label + " (3)") == (parts or (normalise(label),))  # the level is not a word


# --- the unit in a header -----------------------------------------------------------------------------------


def test_percent_header_reads_bare_numbers_as_percent_per_year(tmp_path: Path) -> None:
    """«2» under «Årlig sannsynlighet (%)» is 2 % a year (class 2), never class 2 by coincidence: «50» is
    50 % (class 3), not 50 events a year (class 5). A number below 1 could be a share formatted as percent:
    not read, flagged."""
    analysis, report = _convert(tmp_path, [
        ["ID", "Hendelse", "Årlig sannsynlighet (%)", "Økonomi"],
        ["H1", TITLES[0], 5, 2],
        ["H2", TITLES[1], "0,5", 3],
        ["H3", TITLES[2], 50, 4],
        ["H4", TITLES[3], 0.5, 1],
    ])
    assert [s.probability for s in analysis.scenarios] == [2, 1, 3, None]
    assert analysis.scenarios[1].raw["probability"] == "0,5"
    assert any("ikke lest" in note for note in analysis.scenarios[3].review)


def test_return_period_header_reads_bare_numbers_as_years(tmp_path: Path) -> None:
    analysis, _ = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "Sannsynlighet, gjentaksintervall (år)", "Økonomi"],
        [1, TITLES[0], 200, 3],
        [2, TITLES[1], 20, 3],
        [3, TITLES[2], 5, 3],
    ])
    assert [s.probability for s in analysis.scenarios] == [1, 2, 3]


def test_return_period_alone_names_a_probability_column(tmp_path: Path) -> None:
    """«Gjentaksintervall» is in no synonym list; over numbers it still says years between events."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "Gjentaksintervall", "Økonomi"],
        [1, TITLES[0], 1000, 3],
        [2, TITLES[1], 50, 3],
        [3, TITLES[2], 2, 3],
    ])
    assert [s.probability for s in analysis.scenarios] == [1, 2, 3]
    assert _column(report, "C")["field"] == "probability" and "column-by-content" in _codes(report)


@given(st.integers(min_value=1, max_value=100_000))
def test_a_unit_header_reads_numbers_as_that_fact(number: int) -> None:
    criteria = rosxl.load_criteria("standard")
    mapper = ValueMapper(criteria)
    percent, years = scale_from_header("Sannsynlighet (%)"), scale_from_header("Returperiode, år")
    assert percent is not None and years is not None and not percent.levels
    assert mapper.probability(number, percent).value == criteria.read_probability(f"{number} % per år").value
    assert mapper.probability(str(number), years).value == criteria.read_probability(f"1 gang per {number} år").value
    assert scale_from_header("Hendelser per år") is None  # a rate: a bare number is events per year already


# --- facts ----------------------------------------------------------------------------------------------------


def test_casualty_range_across_two_classes_is_not_guessed(standard: Criteria) -> None:
    assert standard.read_consequence("liv_og_helse", "1-2 døde").value is None
    assert "spenner over klasse 4–5" in (standard.read_consequence("liv_og_helse", "1–2 døde").reason or "")
    assert standard.consequence_class("liv_og_helse", "2–5 døde") == 5


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30),
       st.sampled_from(["døde", "alvorlig skadde", "lettere skadde"]))
def test_a_casualty_range_reads_as_its_ends(low: int, high: int, kind: str) -> None:
    read = facts.parse_casualties(f"{low}–{high} {kind}")
    ends = facts.parse_casualties(f"{low} {kind}"), facts.parse_casualties(f"{high} {kind}")
    assert not isinstance(read, facts.Failure) and read.lower is not None
    assert (read.lower.dead, read.lower.serious, read.lower.minor) == (ends[0].dead, ends[0].serious,  # type: ignore[union-attr]
                                                                       ends[0].minor)  # type: ignore[union-attr]
    assert (read.dead, read.serious, read.minor) == (ends[1].dead, ends[1].serious, ends[1].minor)  # type: ignore[union-attr]


def test_frequency_phrasings_of_real_sheets(standard: Criteria) -> None:
    read = {t: standard.probability_class(t) for t in (
        "1 gang pr. 50 år", "annethvert år", "annakvart år", "sjeldnare enn 1 gong i laupet av 1000 år",
        "gjentaksintervall 500 år", "200-årsflom", "100-års flom", "Returperiode: 50 år", "1 per 20 år",
        "1 hendelse per 50 år", "1 av 100 år", "1 pr. 20. år", "20-50 år", "1-2 ganger per år", "0,1–1 %",
        "en gang i hundreåret")}
    assert read == {"1 gang pr. 50 år": 2, "annethvert år": 3, "annakvart år": 3,
                    "sjeldnare enn 1 gong i laupet av 1000 år": 1, "gjentaksintervall 500 år": 1, "200-årsflom": 1,
                    "100-års flom": 2, "Returperiode: 50 år": 2, "1 per 20 år": 2, "1 hendelse per 50 år": 2,
                    "1 av 100 år": 2, "1 pr. 20. år": 2, "20-50 år": 2, "1-2 ganger per år": 4, "0,1–1 %": 1,
                    "en gang i hundreåret": 2}


@given(st.integers(min_value=2, max_value=100_000))
def test_return_periods_read_as_once_per_that_many_years(years: int) -> None:
    once = facts.parse_frequency(f"1 gang per {years} år")
    for text in (f"gjentaksintervall {years} år", f"{years}-årsflom", f"returperiode på {years} år", f"{years} år",
                 f"1 per {years} år", f"1 av {years} år", f"1 hendelse pr. {years} år"):
        span = facts.parse_frequency(text)
        assert isinstance(span, facts.Span) and isinstance(once, facts.Span)
        assert (span.low, span.high) == (once.low, once.high)


@given(st.text(alphabet="0123456789 ,.-–%/:år gangperhvtiløv", max_size=24))
def test_frequency_reading_never_fails_loudly(text: str) -> None:
    """Zeros, empty ranges and half phrases give a reading or a reason, never an exception."""
    assert isinstance(facts.parse_frequency(text), facts.Span | facts.Failure)


def test_amounts_and_durations_of_real_sheets(standard: Criteria) -> None:
    assert standard.consequence_class("okonomi", "mellom 3 og 5 mill") == 4
    assert standard.consequence_class("okonomi", "fra 50 000 til 100 000 kr") == 2
    assert standard.consequence_class("tjenester", "flere måneder") == 5
    assert standard.read_consequence("tjenester", "flere dager").value is None  # 2 days or 20: not guessed


# --- S/K pairs with a tail --------------------------------------------------------------------------------------


def test_pairs_with_a_score_or_zone_tail(tmp_path: Path) -> None:
    cells = ["2/3 (gul)", "S=5 K=5 (R=25)", "S5 K5 – rød", "3 x 4 = 12", "(3,4)", "S3xK4", "3 x 4 = 11",
             "2/3 (se merknad)"]
    analysis, _ = _convert(tmp_path, [["ID", "Scenario", "Risiko (S/K)"]] +
                           [[f"H{i}", f"Hendelse {i} i sentrum", c] for i, c in enumerate(cells, 1)])
    got = [(s.probability, s.consequences.get("samlet")) for s in analysis.scenarios]
    assert got == [(2, 3), (5, 5), (5, 5), (3, 4), (3, 4), (3, 4), (None, None), (None, None)]
    assert analysis.scenarios[6].raw["risk"] == "3 x 4 = 11"  # the score disagrees: kept, not read


@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from(["S{p}/K{k}", "{p}x{k}", "S{p} K{k}", "{p}/{k}"]),
       st.sampled_from(["", " ({r})", " = {r}", " (R={r})", " – rød", " (gul)"]))
def test_pair_of_reads_the_pair_whatever_repeats_it(p: int, k: int, form: str, tail: str) -> None:
    text = (form + tail).format(p=p, k=k, r=p * k)
    assert pair_of(normalise(text)) == (p, k)
    assert pair_of(normalise((form + " = {r}").format(p=p, k=k, r=p * k + 30))) is None


# --- columns by their content and their place ------------------------------------------------------------------


def test_probability_words_under_an_unknown_header(tmp_path: Path) -> None:
    analysis, report = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "Hyppighet", "Liv og helse"],
        [1, TITLES[0], "Svært lite sannsynlig", 3],
        [2, TITLES[1], "Sannsynlig", 2],
        [3, TITLES[2], "Lite sannsynlig", 4],
        [],
        ["Tegnforklaring"],
        ["Sannsynlighet"],
        [1, "Svært lite sannsynlig"], [2, "Lite sannsynlig"], [3, "Mulig"], [4, "Sannsynlig"], [5, "Svært sannsynlig"],
    ])
    assert [s.probability for s in analysis.scenarios] == [1, 4, 2]  # the legend: «Sannsynlig» is 4 here
    assert _column(report, "C")["field"] == "probability" and "column-by-content" in _codes(report)


def test_class_columns_take_their_field_from_their_place(tmp_path: Path) -> None:
    """S before K; the areas side by side: «Kor ofte?» holds letters left of the consequences (probability),
    «Tap av verdier» and «Nedetid» hold classes beside the other areas (økonomi and tjenester by their words),
    «Vannforsyning (K)» too (an area of its own, added to the criteria: its label marks it a consequence)."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hending", "Kor ofte?", "Liv og helse", "Tap av verdier", "Nedetid", "Vannforsyning (K)", "Tiltak"],
        [1, TITLES[0], "B", 3, 2, 4, 1, "Varsling"],
        [2, TITLES[1], "D", 5, 1, 2, 3, "Øving"],
        [3, TITLES[2], "A", 1, 4, 5, 2, "Aggregat"],
    ])
    first = analysis.scenarios[0]
    assert [s.probability for s in analysis.scenarios] == [2, 4, 1]
    assert first.consequences == {"liv_og_helse": 3, "okonomi": 2, "tjenester": 4, "vannforsyning": 1}
    fields = [_column(report, c)["field"] for c in "CEFG"]
    assert fields == ["probability", "consequence:okonomi", "consequence:tjenester",
                      "consequence:vannforsyning"]
    assert _codes(report).count("column-by-position") == 4 and "area-added" in _codes(report)


def test_no_probability_by_place_when_a_pair_column_gives_it(tmp_path: Path) -> None:
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Prioritet", "Liv og helse", "Risiko (S/K)"],
        [1, TITLES[0], 1, 3, "S2 K3"],
        [2, TITLES[1], 2, 2, "S4 K2"],
        [3, TITLES[2], 3, 4, "S1 K4"],
    ])
    assert [s.probability for s in analysis.scenarios] == [2, 4, 1]
    assert "column-by-position" not in _codes(report)


def test_free_text_under_risiko_beside_the_titles_is_the_description(tmp_path: Path) -> None:
    texts = [f"Risiko for {t.lower()} vurderes som moderat i dag." for t in TITLES[:3]]
    analysis, _ = _convert(tmp_path, [
        ["ID", "Kva kan skje?", "S", "K", "Risiko"],
        *[[i, t, 2, 3, x] for i, (t, x) in enumerate(zip(TITLES[:3], texts, strict=True), 1)],
    ])
    assert [(s.title, s.description) for s in analysis.scenarios] == list(zip(TITLES[:3], texts, strict=True))


def test_an_exact_header_beats_a_word_match_so_class_words_are_no_header(tmp_path: Path) -> None:
    """«Risikoforhold» is an exact title label (a word match says risk): the header row is row 1, not a data
    row whose cells «lite sannsynlig» and «Tiltak …» happen to contain header words."""
    analysis, _ = _convert(tmp_path, [
        ["Ref.", "Risikoforhold", "Sannsynlighet", "Tiltak", "Frist"],
        ["1.1", TITLES[0], "lite sannsynlig", "Ingen nye tiltak", "2026"],
        ["1.2", TITLES[1], "meget sannsynlig", "Øvelse", "2026"],
        ["1.3", TITLES[2], "sannsynlig", "Ingen nye tiltak", "2027"],
    ])
    assert [(s.id, s.title, s.probability) for s in analysis.scenarios] == [
        ("1.1", TITLES[0], 1), ("1.2", TITLES[1], 4), ("1.3", TITLES[2], 3)]


def test_a_whole_number_with_a_decimal_comma_is_the_class(standard: Criteria) -> None:
    """A CSV writes the class 1.0 as «1,0»: class 1, not one event a year (class 4)."""
    mapper = ValueMapper(standard)
    assert [mapper.probability(v).value for v in ("1,0", "3,00", "5.0")] == [1, 3, 5]
    assert mapper.probability("1,0", Scale(3)).value == 1


# --- units of consequence columns, class ranges, bracketed levels, legends across a row ---------------------


def test_consequence_headers_that_name_a_unit(tmp_path: Path) -> None:
    """«500» under «Økonomi (1000 kr)» is 500 000 kr (class 3), not 500 kr (class 1); «48» under «Varighet,
    timer» is two days (class 2); «Nedetid (døgn)», in no synonym list, is the days area by its unit."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Økonomi (1000 kr)", "Nedetid (døgn)", "Varighet, timer"],
        [1, TITLES[0], 2, 500, 7, 48],
        [2, TITLES[1], 3, 50, 45, 6],
        [3, TITLES[2], 4, "8000", "0,5", 1000],
    ])
    got = [(s.consequences["okonomi"], s.consequences["tjenester"]) for s in analysis.scenarios]
    assert got == [(3, 3), (2, 5), (4, 1)]
    assert analysis.scenarios[0].raw["consequences.okonomi"] == "500"
    assert _column(report, "E")["field"] == "consequence:tjenester" and _column(report, "E")["rule"] == "by-content"


def test_a_unit_header_over_small_numbers(tmp_path: Path) -> None:
    """«Økonomi (kr)» over 1–5 names the area's unit, not the cells': they are classes. «Nedetid (døgn)»
    over 1–5 may be classes or days (3 days is class 2): not read, flagged."""
    analysis, _ = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Økonomi (kr)", "Tjenester (døgn)"],
        [1, TITLES[0], 2, 3, 1],
        [2, TITLES[1], 3, 5, 3],
        [3, TITLES[2], 4, 1, "4"],
    ])
    assert [s.consequences["okonomi"] for s in analysis.scenarios] == [3, 5, 1]
    assert [s.consequences["tjenester"] for s in analysis.scenarios] == [None, None, None]
    assert analysis.scenarios[2].raw["consequences.tjenester"] == "4"
    assert any("kan være en klasse eller 3 døgn" in note for note in analysis.scenarios[1].review)


def test_class_ranges_and_bracketed_levels(tmp_path: Path) -> None:
    """«2-3» lies between two classes (not 2–3 kroner, not 2–3 events a year): unread, flagged. «(4)»,
    «3 (middels)», «4 (kritisk)» and «3*» are the levels they show."""
    analysis, _ = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "S", "Økonomi", "Liv og helse"],
        [1, TITLES[0], "(4)", "2-3", "4 (kritisk)"],
        [2, TITLES[1], "3 (middels)", "3*", "1 (ufarlig)"],
        [3, TITLES[2], "2-3", 4, "(2)"],
    ])
    got = [(s.probability, s.consequences["okonomi"], s.consequences["liv_og_helse"]) for s in analysis.scenarios]
    assert got == [(4, None, 4), (3, 3, 1), (None, 4, 2)]
    assert analysis.scenarios[0].raw["consequences.okonomi"] == "2-3"
    assert any("mellom to klasser" in note for note in analysis.scenarios[0].review)


def test_legends_across_a_row_or_in_one_cell(tmp_path: Path) -> None:
    """An HMS-style scale («Lite sannsynlig» is 2, «Sannsynlig» 4) written across a row, and a consequence
    scale in one cell: both are the source's legend, and neither row is a scenario."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Konsekvens", "Tiltak"],
        [1, TITLES[0], "Lite sannsynlig", "Vesentlig", "Varsling"],
        [2, TITLES[1], "Sannsynlig", "Moderat", "Øving"],
        [3, TITLES[2], "Mulig", "Liten", "Aggregat"],
        [],
        ["Sannsynlighet:", "1 Svært lite sannsynlig", "2 Lite sannsynlig", "3 Mulig", "4 Sannsynlig",
         "5 Svært sannsynlig"],
        ["Konsekvens: 1 = Svært liten, 2 = Liten, 3 = Moderat, 4 = Vesentlig, 5 = Katastrofal"],
    ])
    got = [(s.title, s.probability, s.consequences["samlet"]) for s in analysis.scenarios]
    assert got == [(TITLES[0], 2, 4), (TITLES[1], 4, 3), (TITLES[2], 3, 2)]
    assert report.rows_read == 3 and "legend-used" in _codes(report)


@given(st.lists(st.sampled_from(["Lite sannsynlig", "Mulig", "Sannsynlig", "Ubetydelig", "Farlig", "Kritisk",
                                 "Svært liten", "Vesentlig"]), min_size=3, max_size=5, unique=True),
       st.sampled_from([" = ", ": ", " - ", " "]), st.booleans())
def test_inline_levels_read_a_scale_however_it_is_joined(words: list[str], joiner: str, one_cell: bool) -> None:
    pieces = [f"{level}{joiner}{word}" for level, word in enumerate(words, 1)]
    cells: list[object] = ["Skala: " + ", ".join(pieces)] if one_cell else ["Skala:", *pieces]
    assert inline_levels(cells) == {normalise(w): level for level, w in enumerate(words, 1)}
    assert inline_levels([TITLES[0], "3 døgn", "2 mill", 4]) == {}


@given(st.integers(min_value=6, max_value=100_000), st.sampled_from([("Økonomi (1000 kr)", 1000.0, "kr"),
                                                                     ("Tap, mill. kr", 1e6, "kr"),
                                                                     ("Nedetid (døgn)", 1.0, "døgn"),
                                                                     ("Varighet, timer", 1 / 24, "døgn")]))
def test_a_consequence_unit_reads_numbers_as_that_fact(number: int, header: tuple[str, float, str]) -> None:
    criteria = rosxl.load_criteria("standard")
    label, factor, unit = header
    area = "okonomi" if unit == "kr" else "tjenester"
    scale = scale_from_header(label)
    expected = criteria.read_consequence(area, f"{number * factor:.12g} {unit}".replace(".", ",")).value
    assert ValueMapper(criteria).consequence(area, number, scale).value == expected


def test_hours_in_the_thousands_are_not_kroner(tmp_path: Path) -> None:
    """Numbers of 1 000 and more look like amounts; under «Stans i tjenester (timer)» they are hours."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "S", "Økonomi", "Stans i tjenester (timer)"],
        [1, TITLES[0], 2, 3, 1000],
        [2, TITLES[1], 3, 2, 2000],
        [3, TITLES[2], 4, 1, 480],
    ])
    assert [s.consequences["tjenester"] for s in analysis.scenarios] == [5, 5, 4]
    assert _column(report, "E")["field"] == "consequence:tjenester"


def test_researched_header_words(standard: Criteria) -> None:
    """Header words of real sheets that the synonym data lacked (DSB's consequence types, plan-ROS
    tables): each names its field."""
    fields = {h: (m.field.path if (m := match(h, standard)).field else None) for h in (
        "Alvorlighetsgrad", "Skadeomfang", "S-verdi", "K-verdi", "R-verdi", "Økonomiske konsekvenser",
        "Miljøkonsekvens", "Tjenestebortfall", "Samfunnskritiske funksjoner", "Sosiale konsekvenser", "Økon.")}
    assert fields == {"Alvorlighetsgrad": "consequences.samlet", "Skadeomfang": "consequences.samlet",
                      "S-verdi": "probability", "K-verdi": "consequences.samlet", "R-verdi": "risk",
                      "Økonomiske konsekvenser": "consequences.okonomi", "Miljøkonsekvens": "consequences.miljo",
                      "Tjenestebortfall": "consequences.tjenester",
                      "Samfunnskritiske funksjoner": "consequences.tjenester",
                      "Sosiale konsekvenser": "consequences.stabilitet", "Økon.": "consequences.okonomi"}


def test_legend_labels_with_a_description(tmp_path: Path) -> None:
    """«2 | Lite sannsynlig – kan skje»: the label is «Lite sannsynlig» (level 2 here, 1 in the standard)."""
    analysis, _ = _convert(tmp_path, [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Økonomi"],
        [1, TITLES[0], "Lite sannsynlig", 2],
        [2, TITLES[1], "Sannsynlig", 3],
        [3, TITLES[2], "Mulig", 4],
        [],
        ["Tegnforklaring"],
        ["Sannsynlighet"],
        [1, "Svært lite sannsynlig – skjer nesten aldri"], [2, "Lite sannsynlig – kan skje"],
        [3, "Mulig: har skjedd andre steder"], [4, "Sannsynlig – skjer av og til"], [5, "Svært sannsynlig – jevnlig"],
    ])
    assert [s.probability for s in analysis.scenarios] == [2, 4, 3]


def test_a_scale_numbered_from_the_top(tmp_path: Path) -> None:
    """A legend «1 Svært sannsynlig … 5 Lite sannsynlig»: digits count from the top, so 1 is class 5."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Konsekvens"],
        [1, TITLES[0], 1, 5],
        [2, TITLES[1], 4, 2],
        [3, TITLES[2], "Meget sannsynlig", 3],
        [],
        ["Tegnforklaring"],
        ["Sannsynlighet"],
        [1, "Svært sannsynlig"], [2, "Meget sannsynlig"], [3, "Sannsynlig"], [4, "Mindre sannsynlig"],
        [5, "Lite sannsynlig"],
        ["Konsekvens"],
        [1, "Katastrofalt"], [2, "Kritisk"], [3, "Farlig"], [4, "En viss fare"], [5, "Ufarlig"],
    ])
    got = [(s.probability, s.consequences["samlet"]) for s in analysis.scenarios]
    assert got == [(5, 1), (2, 4), (4, 3)]
    assert _codes(report).count("scale-inverted") == 2
    assert any("nummerert ovenfra" in note for note in analysis.scenarios[0].review)


@given(st.permutations(range(1, 6)))
def test_a_scale_is_inverted_only_when_its_words_fall(order: list[int]) -> None:
    words = ["lite sannsynlig", "mindre sannsynlig", "sannsynlig", "meget sannsynlig", "svært sannsynlig"]
    names = class_names(rosxl.load_criteria("standard"), "probability")
    scale = oriented(Scale(5, {words[cls - 1]: level for level, cls in enumerate(order, 1)}), names)
    assert scale.inverted == (list(order) == [5, 4, 3, 2, 1])


def test_a_scale_in_one_cell_under_its_heading_ends_the_table(tmp_path: Path) -> None:
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Sannsynlighet", "Konsekvens"],
        [1, TITLES[0], "Lav", 2],
        [2, TITLES[1], "Høy", 3],
        [],
        ["Sannsynlighet"],
        ["1 = Svært lav, 2 = Lav, 3 = Middels, 4 = Høy, 5 = Svært høy"],
    ])
    assert [(s.title, s.probability) for s in analysis.scenarios] == [(TITLES[0], 2), (TITLES[1], 4)]
    assert report.rows_read == 2 and report.scenarios == 2


def test_a_category_of_area_names_stays_a_category_and_a_one_row_title_under_risiko(tmp_path: Path) -> None:
    """«Hovedtema» over «Helse» is a category, not a long table's area column; in a one-row table the text
    under «Risiko» is the title."""
    analysis, _ = _convert(tmp_path, [
        ["Risiko", "Stans i tjenester", "Hovedtema", "S", "Omdømme"],
        ["Pandemi ved Brekke", 2, "Helse", 3, 4],
    ])
    assert [(s.title, s.category, s.probability, s.consequences) for s in analysis.scenarios] == [
        ("Pandemi ved Brekke", "Helse", 3, {"tjenester": 2, "omdomme": 4})]


def test_zone_phrasings_of_real_sheets(standard: Criteria) -> None:
    """Zone words as sheets write them (`[zones]` in headers.toml); a word and a colour that disagree, or a
    zone between two, are not read."""
    mapper = ValueMapper(standard)
    got = {v: mapper.risk(v).value for v in ("Ikke akseptabel", "Akseptabel med tiltak", "Rød sone", "Grønt område",
                                             "Liten risiko", "Lav (grønn)", "Høy - rød", "R=12", "RV 4", "Gul/rød",
                                             "Middels-høy", "Lav (rød)")}
    assert got == {"Ikke akseptabel": "red", "Akseptabel med tiltak": "yellow", "Rød sone": "red",
                   "Grønt område": "green", "Liten risiko": "green", "Lav (grønn)": "green", "Høy - rød": "red",
                   "R=12": "red", "RV 4": "green", "Gul/rød": None, "Middels-høy": None, "Lav (rød)": None}


def test_fractions_before_the_consequences_are_the_probability(tmp_path: Path) -> None:
    """«Hvor ofte?» over 0.02, 0.1, 0.005 (events a year, or percent-formatted shares: the same reading) in
    a table whose consequences have no probability beside them."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Hvor ofte?", "Liv og helse", "Økonomi"],
        [1, TITLES[0], 0.02, 3, 2],
        [2, TITLES[1], 0.5, 2, 4],
        [3, TITLES[2], 0.005, 4, 1],
    ])
    assert [s.probability for s in analysis.scenarios] == [2, 3, 1]
    assert _column(report, "C")["rule"] == "by-position"


def test_class_words_with_their_noun(standard: Criteria) -> None:
    """DSB-style cells name the class and the noun: «Store konsekvenser», «Høg sannsyn»."""
    mapper = ValueMapper(standard)
    probability = {v: mapper.probability(v).value for v in ("Høg sannsyn", "Middels sannsynlighet",
                                                            "Svært lav sannsynlighet", "Flom sannsynlighet")}
    assert probability == {"Høg sannsyn": 4, "Middels sannsynlighet": 3, "Svært lav sannsynlighet": 1,
                           "Flom sannsynlighet": None}
    consequence = {v: mapper.consequence("miljo", v).value for v in (
        "Store konsekvenser", "Svært små konsekvensar", "Begrensede konsekvenser", "Alvorlige konsekvenser",
        "Ingen konsekvens", "Brann skade")}
    assert consequence == {"Store konsekvenser": 4, "Svært små konsekvensar": 1, "Begrensede konsekvenser": 2,
                           "Alvorlige konsekvenser": 3, "Ingen konsekvens": 1, "Brann skade": None}


def test_a_column_of_class_words_with_their_noun_keeps_its_header(tmp_path: Path) -> None:
    analysis, _ = _convert(tmp_path, [
        ["ID", "Hendelse", "Frekvens", "Tillit"],
        [1, TITLES[0], "Lav sannsynlighet", "Små konsekvenser"],
        [2, TITLES[1], "Høy sannsynlighet", "Svært små konsekvenser"],
    ])
    assert [(s.probability, s.consequences.get("omdomme")) for s in analysis.scenarios] == [(2, 2), (4, 1)]


def test_a_class_word_with_its_fact(standard: Criteria) -> None:
    """«Middels (1 gang per 10 år)»: the word and the fact agree, so that class; when they disagree
    («Lav (hvert 5. år)»: 2 and 3) the cell is not read."""
    mapper = ValueMapper(standard)
    got = {v: mapper.probability(v).value for v in ("Middels (1 gang per 10 år)", "Høy – årlig",
                                                    "Lav, 1 gang per 50 år", "Lav (hvert 5. år)", "Lav, middels")}
    assert got == {"Middels (1 gang per 10 år)": 3, "Høy – årlig": 4, "Lav, 1 gang per 50 år": 2,
                   "Lav (hvert 5. år)": None, "Lav, middels": None}
    assert mapper.consequence("okonomi", "Store (2-20 mill)").value == 4


def test_a_dsb_area_beside_the_others_by_its_hint_word(tmp_path: Path) -> None:
    """«Kritisk infrastruktur» beside the area columns is an area of its own (added, flagged), while the same
    words as a category stay a category."""
    analysis, report = _convert(tmp_path, [
        ["Nr", "Hendelse", "Kategori", "S", "Liv og helse", "Samfunnsstabilitet", "Kritisk infrastruktur"],
        [1, TITLES[0], "Kritisk infrastruktur", 2, 3, 2, 4],
        [2, TITLES[1], "Naturhendelser", 3, 1, 4, 5],
    ])
    first = analysis.scenarios[0]
    assert first.category == "Kritisk infrastruktur"
    assert first.consequences == {"liv_og_helse": 3, "stabilitet": 2, "infrastruktur": 4}
    assert _codes(report).count("area-added") == 2


def test_a_class_word_with_its_frequency_in_one_cell_keeps_the_probability_header(tmp_path: Path) -> None:
    """Seed 6 ros-0113: under «Frekvens», «Sannsynlig, kvart 4. år» and «Høy sannsynlighet, flere ganger i
    året» are a class word and a frequency in one cell. Content counts them as frequencies, so it
    agrees with the header instead of overruling it with «free text» (the column became the description)."""
    analysis, report = _convert(tmp_path, [
        ["Kva kan gå gale?", "Frekvens", "Kons.", "Tiltak"],
        [TITLES[0], "Meget sannsynlig", 3, "Flomvoll"],
        [TITLES[1], "Sannsynlig, kvart 4. år", 3, "Røykvarslere"],
        [TITLES[2], "Høy sannsynlighet, flere ganger i året", 2, "Reserveaggregat"],
    ])
    assert [(s.title, s.probability, s.description) for s in analysis.scenarios] == [
        (TITLES[0], 4, None), (TITLES[1], 3, None), (TITLES[2], 4, None)]
    assert _column(report, "B")["field"] == "probability"
    assert analysis.scenarios[1].raw["probability"] == "Sannsynlig, kvart 4. år"  # verbatim


def test_decimal_commas_under_a_percent_header_are_percentages_not_pairs(tmp_path: Path) -> None:
    """Seed 6 ros-0082: «0,5», «1,5» and «2,5» as text under «Sannsynlighet, % per år» read like S/K pairs
    («3,4»), and content overruled the header into a risk column. The header names the unit of its bare
    numbers: they are percentages a year, and the column stays the probability."""
    analysis, report = _convert(tmp_path, [
        ["Mulig uønsket hendelse", "Sannsynlighet, % per år", "Liv og helse"],
        [TITLES[0], "0,5", 3],
        [TITLES[1], "1,5", 2],
        [TITLES[2], "2,5", 4],
        [TITLES[3], "25", 1],
    ], name="prosent.xlsx")
    assert [(s.title, s.probability) for s in analysis.scenarios] == [
        (TITLES[0], 1), (TITLES[1], 2), (TITLES[2], 2), (TITLES[3], 3)]
    assert _column(report, "B")["field"] == "probability"
    assert analysis.scenarios[0].raw["probability"] == "0,5"
