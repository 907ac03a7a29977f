"""Table structure and extent as unseen municipal sheets lay it out (issue 10, red team «layout»).

One named fixture per mechanism, built by code, with the exact scenarios it must give: summary and
signature rows, units rows, rows that continue the scenario above, key blocks right under a table,
instruction sheets, wrapped headers, a header far down, three header rows, numbered section rows,
a later table with unknown labels, tables side by side.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

import rosxl
from rosxl.analysis import Analysis
from rosxl.cli import cli
from rosxl.conversion.report import FileReport
from tests.reports import adds_up
from tests.sheets import new_sheet

Facts = tuple[str | None, str | None, int | None, dict[str, int | None]]


def _save(tmp_path: Path, name: str, ws_rows: Sequence[Sequence[object]],
          merges: Sequence[str] = ()) -> Path:
    wb, ws = new_sheet("ROS", ws_rows)
    for ref in merges:
        ws.merge_cells(ref)
    path = tmp_path / name
    wb.save(path)
    return path


def _facts(analysis: Analysis) -> list[Facts]:
    return [(s.id, s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios]


def _reasons(report: FileReport) -> list[str]:
    return [k.reason.split(":")[0] for k in report.skipped]


HEAD = ["Nr", "Uønsket hendelse", "Sannsynlighet", "Økonomi", "Risiko"]
ROWS: list[list[object]] = [[1, "Flom i Storelva", 3, 4, 12], [2, "Brann i sykehjem", 2, 5, 10]]
FACTS: list[Facts] = [("1", "Flom i Storelva", 3, {"okonomi": 4}), ("2", "Brann i sykehjem", 2, {"okonomi": 5})]


def test_summary_and_signature_rows_under_a_table_are_not_scenarios(tmp_path: Path) -> None:
    path = _save(tmp_path, "signatur.xlsx", [
        HEAD, *ROWS, [None, "Antall røde:", 2], ["Gjennomsnitt", None, 2.5, 4.5], [],
        ["Utarbeidet av:", "Kari Nordmann, beredskapskoordinator"], ["Godkjent:", "Ola Hansen"], ["Sign.:", "______"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    adds_up(report)
    assert _reasons(report) == ["sum-, dato- eller signaturrad"] * 5


def test_a_units_row_under_the_header_is_part_of_it(tmp_path: Path) -> None:
    path = _save(tmp_path, "enheter.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Økonomi", "Risiko"], [None, None, "(1-4)", "(1-5)", "(S x K)"],
        [1, "Flom i Storelva", 4, 4, 16], [2, "Brann i sykehjem", 1, 5, 5]])
    analysis, report = rosxl.convert(path)
    # "(1-4)" is the probability scale: 4 → 5, 1 → 1 by the scale rule
    assert _facts(analysis) == [("1", "Flom i Storelva", 5, {"okonomi": 4}),
                                ("2", "Brann i sykehjem", 1, {"okonomi": 5})]
    assert _reasons(report) == ["enheter eller skala under overskriften"]
    assert any(p.code == "scale-mapped" for p in report.problems)
    adds_up(report)


def test_a_before_row_and_an_after_row_per_scenario_under_merged_id_and_title(tmp_path: Path) -> None:
    path = _save(tmp_path, "for-etter.xlsx", [
        ["Nr", "Uønsket hendelse", "Vurdering", "Sannsynlighet", "Økonomi"],
        [1, "Flom i Storelva", "Før tiltak", 4, 4], [None, None, "Etter tiltak", 2, 3],
        [2, "Brann i sykehjem", "Før tiltak", 3, 5], [None, None, "Etter tiltak", 1, 5]],
        merges=["A2:A3", "B2:B3", "A4:A5", "B4:B5"])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 4, {"okonomi": 4}),
                                ("2", "Brann i sykehjem", 3, {"okonomi": 5})]
    assert [(s.residual.probability, dict(s.residual.consequences)) for s in analysis.scenarios] == [
        (2, {"okonomi": 3}), (1, {"okonomi": 5})]
    assert _reasons(report) == ["samme scenario som raden over, etter tiltak"] * 2
    adds_up(report)


def test_a_long_table_with_the_id_and_title_on_each_scenarios_first_row_only(tmp_path: Path) -> None:
    path = _save(tmp_path, "lang.xlsx", [
        ["Nr", "Uønskt hending", "Sannsyn", "Konsekvensområde", "Konsekvens"],
        [1, "Flaum i Storelva", 3, "Liv og helse", 2], [None, None, None, "Økonomi", 4],
        [2, "Brann i sjukeheim", 2, "Liv og helse", 5], [None, None, None, "Økonomi", 3]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flaum i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4}),
                                ("2", "Brann i sjukeheim", 2, {"liv_og_helse": 5, "okonomi": 3})]
    adds_up(report)


def test_a_colour_key_right_under_the_table_without_a_blank_row(tmp_path: Path) -> None:
    path = _save(tmp_path, "fargekode-rett-under.xlsx", [
        HEAD, *ROWS, [None, "1-4", "Lav risiko"], [None, "5-9", "Middels risiko"], [None, "10-25", "Høy risiko"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert report.rows_read == 2
    assert "1-4 | Lav risiko" in [c["text"] for c in analysis.metadata["context"]]


def test_an_instruction_sheet_is_not_a_form(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    guide = wb.active
    assert isinstance(guide, Worksheet)
    guide.title = "Veiledning"
    for text in ["Slik fyller du ut skjemaet", "1. Skriv inn hendelsen i kolonne B.",
                 "2. Vurder sannsynlighet fra 1 til 5.", "3. Vurder konsekvens for hvert område fra 1 til 5.",
                 "4. Risiko regnes ut automatisk."]:
        guide.append([text])
    table = wb.create_sheet("Analyse")
    for row in [HEAD, *ROWS]:
        table.append(row)
    path = tmp_path / "veiledning.xlsx"
    wb.save(path)
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    adds_up(report)


def test_wrapped_headers_with_hyphenated_words_and_trailing_colons(tmp_path: Path) -> None:
    path = _save(tmp_path, "bryting.xlsx", [
        ["Løpe-\nnummer", "Beskrivelse av\nuønsket hendelse", "Sannsyn-\nlighet (1-5):", "Økonomiske tap:"],
        [1, "Flom i Storelva", 3, 4], [2, "Brann i sykehjem", 2, 5]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert [c["field"] for c in report.sheets[0]["columns"]] == ["id", "title", "probability", "consequence:okonomi"]


def test_a_title_column_whose_header_is_ambiguous_is_taken_by_content(tmp_path: Path) -> None:
    path = _save(tmp_path, "tvetydig.xlsx", [
        ["Nr", "Hendelse og beskrivelse", "Sannsynlighet", "Økonomi"], [1, "Flom i Storelva", 3, 4],
        [2, "Brann i sykehjem", 2, 5]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert report.sheets[0]["columns"][1]["rule"] == "by-content"


def test_a_header_below_row_forty_after_a_long_preamble(tmp_path: Path) -> None:
    preamble: list[list[object]] = [["Risiko- og sårbarhetsanalyse"], ["Metode"]]
    preamble += [[f"Vurdering {n}: analysen bygger på DSBs veileder."] for n in range(1, 30)]
    grid: list[list[object]] = [[p, *(p * k for k in range(1, 6))] for p in range(5, 0, -1)]
    preamble += [["Risikomatrise"], *grid]
    preamble += [[None, 1, 2, 3, 4, 5], [], ["Analyse av uønskede hendelser"]]
    path = _save(tmp_path, "dyp.xlsx", [*preamble, HEAD, *ROWS])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert report.sheets[0]["header_rows"] == [len(preamble) + 1]


def test_three_header_rows(tmp_path: Path) -> None:
    path = _save(tmp_path, "tre-rader.xlsx", [
        ["Nr", "Uønsket hendelse", "Før tiltak", None, None, "Etter tiltak", None, None],
        [None, None, "Sannsynlighet", "Konsekvens", None, "Sannsynlighet", "Konsekvens", None],
        [None, None, None, "Liv og helse", "Økonomi", None, "Liv og helse", "Økonomi"],
        [1, "Flom i Storelva", 3, 2, 4, 2, 2, 3], [2, "Brann i sykehjem", 2, 5, 5, 1, 4, 5]],
        merges=["A1:A3", "B1:B3", "C1:E1", "F1:H1", "C2:C3", "D2:E2", "F2:F3", "G2:H2"])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4}),
                                ("2", "Brann i sykehjem", 2, {"liv_og_helse": 5, "okonomi": 5})]
    assert [(s.residual.probability, dict(s.residual.consequences)) for s in analysis.scenarios] == [
        (2, {"liv_og_helse": 2, "okonomi": 3}), (1, {"liv_og_helse": 4, "okonomi": 5})]
    assert report.sheets[0]["header_rows"] == [1, 2, 3]
    adds_up(report)


def test_numbered_section_rows_give_the_category(tmp_path: Path) -> None:
    path = _save(tmp_path, "nummererte-seksjoner.xlsx", [
        HEAD, [1, "Naturhendelser"], ["1.1", "Flom i Storelva", 3, 4, 12], ["2.", "Menneskelig svikt"],
        ["2.1", "Brann i sykehjem", 2, 5, 10]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1.1", "Flom i Storelva", 3, {"okonomi": 4}),
                                ("2.1", "Brann i sykehjem", 2, {"okonomi": 5})]
    assert [s.category for s in analysis.scenarios] == ["Naturhendelser", "Menneskelig svikt"]
    assert _reasons(report) == ["seksjonsrad"] * 2


def test_a_later_table_whose_header_names_only_the_risk_surely(tmp_path: Path) -> None:
    path = _save(tmp_path, "senere-tabell.xlsx", [
        HEAD, *ROWS, [], ["Naturhendelser"], ["Hva kan gå galt?", "Bakenforliggende forhold", "Vurdering S/K"],
        ["Eksplosjon ved industriområdet", "Mye nedbør", "S:4 K:4"]])
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom i Storelva", "Brann i sykehjem",
                                                     "Eksplosjon ved industriområdet"]
    last = analysis.scenarios[-1]
    assert (last.probability, dict(last.consequences)) == (4, {"samlet": 4})
    adds_up(report)


def test_a_one_row_table_under_a_score_header_holding_titles(tmp_path: Path) -> None:
    path = _save(tmp_path, "en-rad.xlsx", [
        ["Risiko", "Stans i tjenester", "Utdyping", "S 1–5"], ["Pandemi ved Brekke", 2, "Særlig om vinteren", 3]])
    analysis, _ = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Pandemi ved Brekke", 3, {"tjenester": 2})]


def _side_by_side(tmp_path: Path) -> Path:
    head = ["Nr", "Uønsket hendelse", "Sannsynlighet", "Økonomi"]
    return _save(tmp_path, "side-om-side.xlsx", [
        ["Helse og omsorg", None, None, None, None, None, "Teknisk drift"],
        [*head, None, None, *head],
        [1, "Pandemi", 4, 3, None, None, 1, "Bortfall av strøm", 3, 4],
        [2, "Legemiddelmangel", 3, 2, None, None, 2, "Vannlekkasje", 2, 3],
        [3, "Personellmangel", 5, 2]])


def test_tables_side_by_side_are_read_each_in_its_own_columns(tmp_path: Path) -> None:
    analysis, report = rosxl.convert(_side_by_side(tmp_path))
    expected: list[Facts] = [("1", "Pandemi", 4, {"okonomi": 3}), ("2", "Legemiddelmangel", 3, {"okonomi": 2}),
                             ("3", "Personellmangel", 5, {"okonomi": 2}),
                             ("1-ROS", "Bortfall av strøm", 3, {"okonomi": 4}),  # ids repeat: the sheet's name added
                             ("2-ROS", "Vannlekkasje", 2, {"okonomi": 3})]
    assert _facts(analysis) == expected
    assert all(not s.extra for s in analysis.scenarios if s.title != "Pandemi")
    assert [t["range"] for t in report.sheets[0]["tables"]] == ["A2:D5", "G2:J5"]
    adds_up(report)


def test_tables_side_by_side_round_trip_through_the_written_mapping(tmp_path: Path) -> None:
    path = _side_by_side(tmp_path)
    first = CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "ut")])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "ut2"),
                                      "--mapping", str(tmp_path / "ut" / "kobling.toml")])
    assert again.exit_code == 0, again.output

    def scenarios(folder: str) -> list[dict[str, Any]]:
        return [{k: v for k, v in s.items() if k != "source"} for s in
                json.loads((tmp_path / folder / "side-om-side.json").read_text("utf-8"))["scenarios"]]
    assert scenarios("ut2") == scenarios("ut")


def test_an_area_over_its_own_k_and_r_columns(tmp_path: Path) -> None:
    path = _save(tmp_path, "omrade-k-r.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Liv og helse", None, "Økonomi", None],
        [None, None, None, "K", "R", "K", "R"],
        [1, "Flom i Storelva", 3, 2, 6, 4, 12], [2, "Brann i sykehjem", 2, 5, 10, 5, 10]],
        merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1"])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4}),
                                ("2", "Brann i sykehjem", 2, {"liv_og_helse": 5, "okonomi": 5})]
    assert analysis.scenarios[0].extra == {"Liv og helse / R": 6, "Økonomi / R": 12}  # each area's own risk, kept


def test_a_second_header_row_of_abbreviations_without_merges(tmp_path: Path) -> None:
    path = _save(tmp_path, "forkortelser.xlsx", [
        ["ID", "Hendelse", "Sannsynlighet", "Liv og helse", "Økonomi"], [None, None, "S", "K", "K"],
        [1, "Flom i Storelva", 3, 2, 4], [2, "Brann i sykehjem", 2, 5, 5]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4}),
                                ("2", "Brann i sykehjem", 2, {"liv_og_helse": 5, "okonomi": 5})]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_abbreviations_under_a_label_that_names_no_field_and_beside_a_legend(tmp_path: Path) -> None:
    path = _save(tmp_path, "forkortelser-ukjent-overskrift.xlsx", [
        ["Nr", "Hendelse", "Forventet hyppighet", "Natur og kultur", "Tegnforklaring"],
        [None, None, "S", "K", "Uakseptabel – tiltak nødvendig"],
        [1, "Flom i Storelva", "Meget sannsynlig", 2, "Tolerabel"], [2, "Brann i sykehjem", "Lite sannsynlig", 5]])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.probability is not None, dict(s.consequences)) for s in analysis.scenarios] == [
        ("1", "Flom i Storelva", True, {"miljo": 2}), ("2", "Brann i sykehjem", True, {"miljo": 5})]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_a_summary_table_repeating_scenarios_above_is_not_counted_twice(tmp_path: Path) -> None:
    path = _save(tmp_path, "sammendrag.xlsx", [
        HEAD, *ROWS, [], [], ["Oppsummering – hendelser med høy risiko"],
        ["Nr", "Uønsket hendelse", "Risiko", "Tiltak"], [1, "Flom i Storelva", 12, "Flomvoll"],
        [2, "Brann i sykehjem", 10, "Sprinkling"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert _reasons(report) == ["gjentar scenario «Flom i Storelva» fra tabellen over",
                                "gjentar scenario «Brann i sykehjem» fra tabellen over"]
    assert [p.code for p in report.problems if p.code == "table-repeats"] == ["table-repeats"]
    adds_up(report)


def test_a_key_right_under_the_table_followed_by_a_note(tmp_path: Path) -> None:
    path = _save(tmp_path, "nokkel-og-merknad.xlsx", [
        ["Hva kan gå galt?", "Sannsynlighet", "Økonomi"], ["Flom i Storelva", 3, 4], ["Brann i sykehjem", 2, 5],
        ["1–4", "Lav risiko"], ["5–9", "Middels risiko"], ["10–25", "Høy risiko"], ["Merknad: vurdert i 2024"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("Flom i Storelva", 3, {"okonomi": 4}), ("Brann i sykehjem", 2, {"okonomi": 5})]
    assert report.rows_read == 2


def test_a_numbered_section_row_right_under_a_two_row_header_is_no_third_header_row(tmp_path: Path) -> None:
    path = _save(tmp_path, "seksjon-under-to-rader.xlsx", [
        ["Nr", "Uønsket hendelse", "Før tiltak", None], [None, None, "S", "Økonomi"], ["1.", "Helse"],
        ["1.1", "Pandemi", 3, 4], ["2.", "Naturhendelser"], ["2.1", "Flom i Storelva", 2, 5]],
        merges=["A1:A2", "B1:B2", "C1:D1"])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1.1", "Pandemi", 3, {"okonomi": 4}), ("2.1", "Flom i Storelva", 2, {"okonomi": 5})]
    assert [s.category for s in analysis.scenarios] == ["Helse", "Naturhendelser"]
    assert report.sheets[0]["header_rows"] == [1, 2]


def test_labelled_rows_under_a_scenario_fill_its_fields(tmp_path: Path) -> None:
    path = _save(tmp_path, "merkede-rader.xlsx", [
        HEAD, ROWS[0], [None, "Årsak: Mye nedbør"], [None, "Tiltak: Flomvoll langs elva"], ROWS[1],
        [None, "Tiltak: Sprinkling"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == FACTS
    assert [(s.causes, s.measures) for s in analysis.scenarios] == [
        ("Mye nedbør", "Flomvoll langs elva"), (None, "Sprinkling")]
    measures = "tekst (tiltak) til scenarioet i raden over («Tiltak:»)"
    assert [k.reason for k in report.skipped] == [
        "tekst (årsaker) til scenarioet i raden over («Årsak:»)", measures, measures]
    adds_up(report)


def test_a_form_whose_description_reads_like_a_header_is_still_a_form(tmp_path: Path) -> None:
    path = _save(tmp_path, "skjema.xlsx", [
        ["Risikovurdering av enkelthendelse"], [], ["Nr:", "1"], ["Uønsket hendelse:", "Flom i Storelva"],
        ["Beskrivelse:", "Hendelsen kan gi følgehendelser i vannforsyningen."], ["Sannsynlighet:", 3], [],
        ["Konsekvenser"], ["Liv og helse", 2], ["Økonomi", 4], [], ["Tiltak:", "Flomvoll"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4})]
    assert analysis.scenarios[0].description == "Hendelsen kan gi følgehendelser i vannforsyningen."
    assert report.sheets[0]["role"] == "skjema (ett scenario)"


def _marks(tmp_path: Path) -> Path:
    return _save(tmp_path, "kryss.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", None, None, None, "Konsekvens", None, None, None],
        [None, None, 1, 2, 3, 4, 1, 2, 3, 4],
        [1, "Flom i Storelva", None, None, "x", None, None, None, None, "x"],
        [2, "Brann i sykehjem", "X", None, None, None, None, "x", None, None]],
        merges=["A1:A2", "B1:B2", "C1:F1", "G1:J1"])


def test_a_mark_under_one_of_the_level_columns_gives_the_class(tmp_path: Path) -> None:
    analysis, report = rosxl.convert(_marks(tmp_path))
    # four levels: 3 → 4 and 4 → 5, 1 → 1, 2 → 2 by the scale rule
    assert _facts(analysis) == [("1", "Flom i Storelva", 4, {"samlet": 5}), ("2", "Brann i sykehjem", 1, {"samlet": 2})]
    assert report.sheets[0]["header_rows"] == [1, 2]
    assert any(p.code == "scale-mapped" for p in report.problems)


def test_level_columns_round_trip_through_the_written_mapping(tmp_path: Path) -> None:
    path = _marks(tmp_path)
    assert CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "ut")]).exit_code == 0
    again = CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "ut2"),
                                     "--mapping", str(tmp_path / "ut" / "kobling.toml")])
    assert again.exit_code == 0, again.output
    first, second = (json.loads((tmp_path / d / "kryss.json").read_text("utf-8"))["scenarios"] for d in ("ut", "ut2"))
    assert [(s["probability"], s["consequences"]) for s in second] == [
        (s["probability"], s["consequences"]) for s in first] == [(4, {"samlet": 5}), (1, {"samlet": 2})]


def test_a_dsb_analysis_form_with_marks_under_level_words(tmp_path: Path) -> None:
    levels = ["Svært lav", "Lav", "Middels", "Høy", "Svært høy"]
    path = _save(tmp_path, "analyseskjema.xlsx", [
        ["Analyseskjema – uønsket hendelse"], [], ["Nr.", "4"], ["Uønsket hendelse", "Flom i Storelva"],
        ["Beskrivelse", "Kraftig nedbør over flere døgn"], [], ["Sannsynlighet", *levels], [None, None, None, "x"], [],
        ["Konsekvenstype", "Svært små", "Små", "Middels", "Store", "Svært store"],
        ["Liv og helse", None, "x"], ["Økonomi", None, None, None, "x"], [], ["Tiltak", "Flomvoll"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("4", "Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4})]
    assert analysis.scenarios[0].measures == "Flomvoll"
    assert report.sheets[0]["role"] == "skjema (ett scenario)"


def test_a_title_column_without_a_header_label_is_found_by_content(tmp_path: Path) -> None:
    path = _save(tmp_path, "uten-overskrift.xlsx", [
        ["Nr", None, "Sannsynlighet", "Økonomi", "Risiko"], *ROWS, [3, "Pandemi", 4, 2, 8]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [*FACTS, ("3", "Pandemi", 4, {"okonomi": 2})]
    column = report.sheets[0]["columns"][1]
    assert (column["column"], column["label"], column["field"], column["rule"]) == ("B", "kolonne B", "title",
                                                                                    "by-content")


def test_a_later_header_sharing_some_labels_is_a_new_table_not_a_repeated_header(tmp_path: Path) -> None:
    path = _save(tmp_path, "delvis-lik.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Økonomi"], [1, "Flom i Storelva", 3, 4], [], ["Del 2"],
        ["Nr", "Beskrivelse", "Sannsynlighet", "Liv og helse", "Uønsket hendelse"],
        [2, "Mange beboere med hjelpebehov", 2, 5, "Brann i sykehjem"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"okonomi": 4}),
                                ("2", "Brann i sykehjem", 2, {"liv_og_helse": 5})]
    assert report.sheets[0]["header_rows"] == [1, 5]


def test_a_title_header_merged_over_the_number_and_the_title(tmp_path: Path) -> None:
    path = _save(tmp_path, "hendelse-over-to.xlsx", [
        ["Hendelse", None, "Sannsynlighet", "Økonomi", "Risiko"], *ROWS, [3, "Pandemi", 4, 2, 8]], merges=["A1:B1"])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [*FACTS, ("3", "Pandemi", 4, {"okonomi": 2})]
    assert [(c["field"], c["rule"]) for c in report.sheets[0]["columns"][:2]] == [("id", "by-content"),
                                                                                 ("title", "by-content")]


def test_the_first_row_of_a_two_row_header_repeated_in_the_table(tmp_path: Path) -> None:
    first = ["Scenario", "Sannsynlighet", "Liv og helse", "Økonomi", "Tiltak"]
    path = _save(tmp_path, "gjentatt-forste-rad.xlsx", [
        first, [None, "S", "K", "K", None], ["Flom i Storelva", 3, 2, 4, "Flomvoll"], first,
        ["Brann i sykehjem", 2, 5, 5, "Sprinkling"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("Flom i Storelva", 3, {"liv_og_helse": 2, "okonomi": 4}),
        ("Brann i sykehjem", 2, {"liv_og_helse": 5, "okonomi": 5})]
    assert _reasons(report) == ["gjentatt overskriftsrad"]
