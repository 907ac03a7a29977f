"""Combined S/K cells with tails, several tables on one sheet and summary tables, as unseen municipal
sheets have them (issue 10, helper «cells»).

One named fixture per mechanism, built by code, with the exact scenarios it must give.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import rosxl
from rosxl.analysis import Analysis
from rosxl.conversion.values import pair_of
from rosxl.text import normalise
from tests.reports import adds_up
from tests.sheets import new_sheet

Facts = tuple[str | None, str | None, int | None, dict[str, int | None]]


def _save(tmp_path: Path, name: str, rows: Sequence[Sequence[object]]) -> Path:
    wb, _ = new_sheet("ROS", rows)
    path = tmp_path / name
    wb.save(path)
    return path


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _facts(analysis: Analysis) -> list[Facts]:
    return [(s.id, s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios]


def test_a_combined_cell_whose_first_line_has_a_tail_and_a_note_below_is_a_pair(tmp_path: Path) -> None:
    # «4 x 4 = 16» over a remark: the column is still a risk column of S/K pairs (not free text)
    path = _save(tmp_path, "par-med-hale.xlsx", [
        ["Situasjon", "Moglege årsaker", "Risiko (S/K)", "Hvem følger opp?"],
        ["Mangel på helsepersonell", "Grunnarbeid i området", "4 x 4 = 16\nusikker vurdering", "Kommunedirektøren"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Mangel på helsepersonell", 4, {"samlet": 4})]
    assert analysis.scenarios[0].raw["risk"] == "4 x 4 = 16\nusikker vurdering"
    adds_up(report)


def test_a_summary_under_the_table_with_some_of_its_labels_is_no_repeated_header(tmp_path: Path) -> None:
    # «Nr | Uønska hending | Tiltak» after a gap: the header's labels in other columns (the risk column
    # left out), so a summary table of its own whose rows repeat the scenarios above, not more scenarios
    path = _save(tmp_path, "samandrag.xlsx", [
        ["Nr", "Uønska hending", "S/K", "Tiltak"],
        ["K1", "Langvarig straumbrot", "2/5", "Reserveaggregat"],
        ["N2", "Ekstremvêr med orkan", "2/4\nusikker vurdering", "Varsling"],
        ["S6", "Brann i tunnel", "S=5 K=4 (R=20)", "Øving"],
        [], [], ["Samandrag"],
        ["Nr", "Uønska hending", "Tiltak"],
        ["K1", "Langvarig straumbrot", "Reserveaggregat"],
        ["N2", "Ekstremvêr med orkan", "Varsling"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("K1", "Langvarig straumbrot", 2, {"samlet": 5}),
                                ("N2", "Ekstremvêr med orkan", 2, {"samlet": 4}),
                                ("S6", "Brann i tunnel", 5, {"samlet": 4})]
    assert [k.reason for k in report.skipped] == ["gjentar scenario «Langvarig straumbrot» fra tabellen over",
                                                  "gjentar scenario «Ekstremvêr med orkan» fra tabellen over"]
    repeats = [p for p in report.problems if p.code == "table-repeats"]
    assert [p.message for p in repeats] == [
        "tabellen med overskrift i rad 8 på ark «ROS» gjentar scenarioer fra tabellen over (et sammendrag); "
        "radene er ikke tatt med to ganger"]
    assert analysis.metadata["context"][0]["text"] == "Samandrag"
    adds_up(report)


def test_a_second_table_of_a_title_and_a_pair_column_after_a_gap_has_its_own_header(tmp_path: Path) -> None:
    # «Hva kan gå galt? | S/K» over «S3 K3»: two labels, one of them a risk label whose cells below
    # are S/K pairs: a header, not a scenario titled «S/K» in the table above
    path = _csv(tmp_path, "to-tabellar.csv", "\n".join([
        "Naturhendelser,,,",
        "Nr,Uønsket hendelse,Sannsynlighet,Miljø",
        "1,Isgang i elva,4,5",
        "2,Ekstremvær med orkan,5,1",
        ",,,", ",,,",
        "Andre hendelser,,,",
        "Hva kan gå galt?,S/K,,",
        "Eksplosjon ved industriområdet,S3 K3,,",
        "Pandemi,3 x 5 = 15,,", ""]))
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Isgang i elva", 4, {"miljo": 5}), ("2", "Ekstremvær med orkan", 5, {"miljo": 1}),
                                ("3", "Eksplosjon ved industriområdet", 3, {"samlet": 3}),
                                ("4", "Pandemi", 3, {"samlet": 5})]
    assert [t["header_rows"] for t in report.sheets[0]["tables"]] == [[2], [8]]
    assert [c["text"] for c in analysis.metadata["context"]] == ["Naturhendelser", "Andre hendelser"]
    adds_up(report)


def test_two_cells_of_a_data_row_that_look_like_labels_head_no_table(tmp_path: Path) -> None:
    # «Flom | Sannsynlig» after a gap: «Sannsynlig» is a value (a probability word), not a label
    path = _save(tmp_path, "ingen-ny-tabell.xlsx", [
        ["Hendelse", "Sannsynlighet"], ["Storm", "Lite sannsynlig"], [],
        ["Flom", "Sannsynlig"], ["Skred", "Lite sannsynlig"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.probability) for s in analysis.scenarios] == [("Storm", 1), ("Flom", 3), ("Skred", 1)]
    assert len(report.sheets[0]["tables"]) == 1
    adds_up(report)


def test_a_scenario_after_a_blank_row_above_a_key_stays_in_the_table_whose_title_header_is_unknown(
        tmp_path: Path) -> None:
    # the title column's header names no field yet (content makes it the title later): the row after
    # the blank row is still a scenario (a title and a pair), the score-range rows under it a key
    path = _csv(tmp_path, "nokkel.csv", "\n".join([
        "Nr.;Kva kan gå gale?;S/K",
        "1;Langvarig strømbrudd;\"S:3 K:5\nmerknad\"",
        "2;Pandemi;S=3 K=2 (R=6)",
        ";;",
        "3;Brudd i avløpsnettet;S5 K2",
        ";1-4;Lav risiko",
        ";5-9;Middels risiko",
        ";10-25;Høy risiko", ""]))
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Langvarig strømbrudd", 3, {"samlet": 5}), ("2", "Pandemi", 3, {"samlet": 2}),
                                ("3", "Brudd i avløpsnettet", 5, {"samlet": 2})]
    assert [c["text"] for c in analysis.metadata["context"]] == ["1-4 | Lav risiko", "5-9 | Middels risiko",
                                                                 "10-25 | Høy risiko"]
    adds_up(report)


def test_among_unknown_columns_of_unique_texts_the_one_naming_events_holds_the_titles(tmp_path: Path) -> None:
    # «Handlingsplan» (measures) stands left of «Hva kan gå galt?» (titles), neither header names a
    # field and both hold unique short texts: the titles are the texts that name events
    path = _save(tmp_path, "hendingar.xlsx", [
        ["Løpenr.", "Risiko (S/K)", "Handlingsplan", "Hendelsestype", "Hva kan gå galt?"],
        ["K1", "S5K4", "Geoteknisk vurdering før\u00a0tiltak", "Kritisk infrastruktur", "Bortfall av ekom"],
        ["N2", "S2 K2", "Reserveaggregat – testes årlig", "Naturhendelser", "Isgang i elva"],
        ["H3", "3/4 (rød)\nsjå NVE-kart", "Flomvoll langs elva", "Helse", "Matbåren smitte"]])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.category, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("K1", "Bortfall av ekom", "Kritisk infrastruktur", 5, {"samlet": 4}),
        ("N2", "Isgang i elva", "Naturhendelser", 2, {"samlet": 2}),
        ("H3", "Matbåren smitte", "Helse", 3, {"samlet": 4})]
    assert analysis.scenarios[0].extra == {"Handlingsplan": "Geoteknisk vurdering før\u00a0tiltak"}
    adds_up(report)


def test_a_column_of_pairs_is_no_row_of_labels_of_a_turned_table(tmp_path: Path) -> None:
    # one sure label («S/K») over pairs: turned, the pairs would stand where a transposed table's field
    # labels stand («S2 K1» reads like «S», «2 x 5 = 10» like anything); pairs are values, so the
    # sheet is not turned
    path = _save(tmp_path, "ikkje-snudd.xlsx", [
        ["Heilskapleg ROS-analyse"],
        ["Situasjon", "S/K", "Oppfølgingspunkter", None, None, "Sannsyn"],
        ["Sabotasje av vassverk", "5/4", "Reserveaggregat – testast årleg", None, None, 1, "Svært låg"],
        ["Skuleskyting", "S:3 K:2", "Geoteknisk vurdering", None, None, 2, "Låg"],
        ["Situasjon", "S/K", "Oppfølgingspunkter", None, None, 3, "Middels"],
        ["Havari på kommunen sine tenarar", "S3xK4", "Flaumvoll langs elva", None, None, 4, "Høg"],
        ["Stormflod i sentrum", "S2 K1", "Beredskapsplan vert oppdatert", None, None, 5, "Svært høg"],
        ["Brot i avløpsnettet", "2 x 5 = 10", "Geoteknisk vurdering"],
        ["Skogbrann", "S=1 K=4 (R=4)", "Varsling"],
        ["Godkjent:", "Kommunedirektøren"], ["Dato:", "12.03.2024"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [
        ("1", "Sabotasje av vassverk", 5, {"samlet": 4}), ("2", "Skuleskyting", 3, {"samlet": 2}),
        ("3", "Havari på kommunen sine tenarar", 3, {"samlet": 4}), ("4", "Stormflod i sentrum", 2, {"samlet": 1}),
        ("5", "Brot i avløpsnettet", 2, {"samlet": 5}), ("6", "Skogbrann", 1, {"samlet": 4})]
    assert "transposed" not in report.sheets[0]
    assert [k.reason.split(":")[0] for k in report.skipped] == ["gjentatt overskriftsrad"] + [
        "sum-, dato- eller signaturrad"] * 2
    adds_up(report)


def test_a_scenario_row_whose_words_match_labels_heads_no_second_table(tmp_path: Path) -> None:
    # «5.1 | Radon i skolebygg | Helse | … | C» under a description row: «Helse» and «C» match labels,
    # but its class cells («Lav (2)», «E», «B») are values, so the row is a scenario of the table above
    path = _save(tmp_path, "ikkje-ny-tabell.xlsx", [
        ["ID", "Risikoelement", "Hovedtema", "Sannsynlighet", "Liv/helse", "Økonomiske verdier", "Miljø"],
        ["1.6", "Kvikkleireskred", "Naturhendelser", "Lav (2)", "E", "C", "E"],
        [None, "Særlig sårbart om vinteren"],
        ["5.1", "Radon i skolebygg", "Helse", "Lav (2)", "E", "B", "C"],
        [None, "Særlig sårbart om vinteren"],
        ["6.1", "Brann i sykehjem", "Storulykker", "Svært lav (1)", "E", "B", "C"]])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.category, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("1.6", "Kvikkleireskred", "Naturhendelser", 2, {"liv_og_helse": 5, "okonomi": 3, "miljo": 5}),
        ("5.1", "Radon i skolebygg", "Helse", 2, {"liv_og_helse": 5, "okonomi": 2, "miljo": 3}),
        ("6.1", "Brann i sykehjem", "Storulykker", 1, {"liv_og_helse": 5, "okonomi": 2, "miljo": 3})]
    assert len(report.sheets[0]["tables"]) == 1
    adds_up(report)


def test_rows_under_a_repeated_header_that_all_repeat_scenarios_above_are_a_summary(tmp_path: Path) -> None:
    # the whole header again under «Oppsummering», over rows that name only scenarios above: a summary,
    # not new scenarios (and its heading is kept)
    path = _save(tmp_path, "oppsummering.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens", "Tiltak"],
        [1, "Flom i Storelva", 3, 4, "Flomvoll"],
        [2, "Brann i sykehjem", 2, 5, "Sprinkling"],
        [3, "Bortfall av ekom", 4, 2, "Reservesamband"],
        ["Oppsummering"],
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens", "Tiltak"],
        [1, "Flom i Storelva", 3, 4, "Flomvoll"],
        [2, "Brann i sykehjem", 2, 5, "Sprinkling"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"samlet": 4}), ("2", "Brann i sykehjem", 2, {"samlet": 5}),
                                ("3", "Bortfall av ekom", 4, {"samlet": 2})]
    assert [(k.row, k.reason) for k in report.skipped] == [
        (5, "seksjonsrad: kategori «Oppsummering» for radene under"),
        (6, "gjentatt overskriftsrad"), (7, "gjentar scenario «Flom i Storelva» fra tabellen over"),
        (8, "gjentar scenario «Brann i sykehjem» fra tabellen over")]
    assert [p.row for p in report.problems if p.code == "table-repeats"] == [6]
    assert analysis.metadata["context"] == [{"sheet": "ROS", "row": 5, "role": "tittel over et sammendrag",
                                             "text": "Oppsummering"}]
    adds_up(report)


def test_some_of_the_header_labels_over_narrower_rows_head_a_summary_table(tmp_path: Path) -> None:
    # «Nr | Uønsket hendelse» in the header's own columns, over rows with nothing in the others: a
    # narrower table of its own (a summary), not the header repeated over more scenarios
    path = _save(tmp_path, "smalare.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens", "Tiltak"],
        [1, "Flom i Storelva", 3, 4, "Flomvoll"],
        [2, "Brann i sykehjem", 2, 5, "Sprinkling"],
        ["Oppsummering – hendelser som følges opp"],
        ["Nr", "Uønsket hendelse"],
        [1, "Flom i Storelva"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", 3, {"samlet": 4}), ("2", "Brann i sykehjem", 2, {"samlet": 5})]
    assert [t["header_rows"] for t in report.sheets[0]["tables"]] == [[1], [5]]
    assert [k.reason for k in report.skipped] == ["gjentar scenario «Flom i Storelva» fra tabellen over"]
    assert [c["text"] for c in analysis.metadata["context"]] == ["Oppsummering – hendelser som følges opp"]
    adds_up(report)


def test_a_pasted_table_under_a_repeated_header_keeps_its_new_scenarios(tmp_path: Path) -> None:
    path = _save(tmp_path, "limt.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens"],
        [1, "Flom i Storelva", 3, 4],
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens"],
        [2, "Brann i sykehjem", 2, 5],
        [3, "Flom i Storelva", 1, 1]])
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Flom i Storelva", "Brann i sykehjem", "Flom i Storelva"]
    assert not any(p.code == "table-repeats" for p in report.problems)
    adds_up(report)


_HEADS = ["S{p} K{k}", "S{p}K{k}", "S={p}, K={k}", "S{p}-K{k}", "S {p} K {k}", "{p}/{k}", "{p}x{k}", "{p} × {k}"]
_SCORES = ["", " = {r}", " ({r})", " R{r}", ", R={r}", " – {r}"]
_ZONES = ["", " (gul)", " – rød", " grønn", ", gul"]


@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from(_HEADS), st.sampled_from(_SCORES),
       st.sampled_from(_ZONES))
def test_a_pair_whose_tail_repeats_its_score_and_zone_is_read(p: int, k: int, head: str, score: str,
                                                              zone: str) -> None:
    text = (head + score + zone).format(p=p, k=k, r=p * k)
    assert pair_of(normalise(text)) == (p, k)
    if score:  # a score that is neither S × K nor S + K, or two zones: the tail says something else
        assert pair_of(normalise((head + score + zone).format(p=p, k=k, r=p * k + 30))) is None
    assert pair_of(normalise((head + score + " (rød/grønn)").format(p=p, k=k, r=p * k))) is None


def test_combined_cells_with_a_score_and_a_zone_in_the_tail_give_the_classes(tmp_path: Path) -> None:
    cells = ["3x4=12 (gul)", "S=3, K=4, R=12", "S3-K4", "S 2 K 5 = 10 Rød\nsjå NVE-kart", "S3, K4 (R=12, gul)",
             "S3 K4 R13", "S3 K4 (se merknad)"]
    path = _save(tmp_path, "haler.xlsx", [["Nr", "Hva kan gå galt?", "Risiko (S/K)"]] +
                 [[i, f"Brann nr. {i}", c] for i, c in enumerate(cells, 1)])
    analysis, report = rosxl.convert(path)
    assert [(s.probability, s.consequences.get("samlet")) for s in analysis.scenarios] == [
        (3, 4), (3, 4), (3, 4), (2, 5), (3, 4), (None, None), (None, None)]
    assert [s.raw["risk"] for s in analysis.scenarios] == cells  # verbatim, the line break included
    adds_up(report)


def test_a_follow_up_summary_gives_its_scenarios_what_they_lack(tmp_path: Path) -> None:
    # «Hendelser som følges opp» repeats two scenarios with a responsible and a deadline the main table
    # has no column for: the rows are skipped as repeats, their values go to the scenarios they name
    path = _save(tmp_path, "oppfolging.xlsx", [
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens", "Tiltak"],
        [1, "Flom i Storelva", 3, 4, "Flomvoll"],
        [2, "Brann i sykehjem", 2, 5, "Sprinkling"],
        [], [], ["Hendelser som følges opp"],
        ["Uønsket hendelse", "Tiltak", "Ansvarlig", "Frist"],
        ["Brann i sykehjem", "Sprinkling", "Kommunalsjef helse", "31.12.2025"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.measures, s.responsible, s.deadline) for s in analysis.scenarios] == [
        ("Flom i Storelva", "Flomvoll", None, None),
        ("Brann i sykehjem", "Sprinkling", "Kommunalsjef helse", "31.12.2025")]
    assert [k.reason for k in report.skipped] == ["gjentar scenario «Brann i sykehjem» fra tabellen over"]
    assert analysis.scenarios[1].review[0] == "ansvarlig, frist er hentet fra sammendraget i rad 8"
    assert {"scenario": "2", "note": "ansvarlig, frist er hentet fra sammendraget i rad 8"} in report.review
    adds_up(report)


def test_a_combined_cell_with_a_before_and_an_after_part_in_any_notation(tmp_path: Path) -> None:
    # bare pairs with an arrow, phase words around them, tails on either part, a note on the last line
    cells = ["3/4 → 2/2", "Før: 3/4, etter: 2/3", "S3 K4 (rød)\nEtter tiltak: S2 K2 (gul)",
             "3x4=12 → 2x2=4\nvurdert på nytt 2024", "S3 K4 - S2 K2", "S1 K2 / S2 K3 / S3 K4"]
    path = _save(tmp_path, "foer-etter.xlsx", [["Nr", "Hendelse", "Risiko"]] +
                 [[i, f"Flom nr. {i}", c] for i, c in enumerate(cells, 1)])
    analysis, report = rosxl.convert(path)
    got = [((s.probability, s.consequences.get("samlet")),
            (s.residual.probability, s.residual.consequences.get("samlet"))) for s in analysis.scenarios]
    assert got == [((3, 4), (2, 2)), ((3, 4), (2, 3)), ((3, 4), (2, 2)), ((3, 4), (2, 2)), ((3, 4), (2, 2)),
                   ((None, None), (None, None))]  # three pairs: which is which is not said, so none is read
    assert [s.raw["risk"] for s in analysis.scenarios] == cells
    adds_up(report)


def test_a_header_with_only_a_pair_column_over_a_section_row_is_a_table(tmp_path: Path) -> None:
    # «S/K» is the one label the data knows; a section row («Helse») stands between it and the first
    # scenario: the rows under it still make the table (titles by content, pairs under «S/K»)
    path = _save(tmp_path, "berre-sk.xlsx", [
        ["Hva kan gå galt?", "Drivere", "S/K", "Oppfølgingspunkter"],
        ["Helse"],
        ["Mangel på helsepersonell", "Mykje nedbør", "3/4", "Flaumvoll langs elva"],
        ["Radon i skulebygg", "Menneskeleg svikt", "4/5", "Geoteknisk vurdering"],
        ["Naturhendingar"],
        ["Jordskjelv", "Tilsikta handling", "S5K5\nusikker vurdering", "Øving med naudetatane"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("Mangel på helsepersonell", "Helse", 3, {"samlet": 4}), ("Radon i skulebygg", "Helse", 4, {"samlet": 5}),
        ("Jordskjelv", "Naturhendingar", 5, {"samlet": 5})]
    adds_up(report)


def test_an_overview_sheet_gives_its_scenarios_what_they_lack(tmp_path: Path) -> None:
    # a follow-up sheet naming the scenarios of the analysis sheet, with who follows each up
    wb, ws = new_sheet("Analyse", [["Nr", "Uønsket hendelse", "Sannsynlighet", "Konsekvens"],
                                   [1, "Flom i Storelva", 3, 4], [2, "Brann i sykehjem", 2, 5]])
    follow = wb.create_sheet("Oppfølging")
    for row in (["Nr", "Uønsket hendelse", "Ansvarlig"], [2, "Brann i sykehjem", "Kommunalsjef helse"]):
        follow.append(row)
    wb.save(tmp_path / "oversikt.xlsx")
    analysis, report = rosxl.convert(tmp_path / "oversikt.xlsx")
    assert [(s.title, s.responsible) for s in analysis.scenarios] == [
        ("Flom i Storelva", None), ("Brann i sykehjem", "Kommunalsjef helse")]
    assert "ansvarlig er hentet fra oversikten i ark «Oppfølging»" in analysis.scenarios[1].review
    assert any(p.code == "sheet-repeats" for p in report.problems)
    adds_up(report)


def test_a_section_row_under_a_header_of_four_labels_is_no_mark_under_level_words(tmp_path: Path) -> None:
    # «Nr | Kva kan gå gale? | Handlingsplan | Risiko (S/K)» over «1 | Helse»: one cell under three
    # labels looks like a form's mark under level words, but a mark is short («x»); this is a table
    path = _save(tmp_path, "ikkje-skjema.xlsx", [
        ["Risiko- og sårbarhetsanalyse"], [],
        ["Nr", "Kva kan gå gale?", "Handlingsplan", "Risiko\n(S/K)"],
        [1, "Helse"],
        ["1.1", "Radon i skolebygg", "Beredskapsplan oppdateres", "4/5\nmerknad"],
        [2, "Naturhendelser"],
        ["2.1", "Stormflo i sentrum", "Flomvoll langs elva", "S2 K1 – grønn"],
        ["2.2", "Snøskred over E16", "Varsling", "2/5"],
        [], ["Hendelser som følges opp: se handlingsplanen"]])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.category, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("1.1", "Radon i skolebygg", "Helse", 4, {"samlet": 5}),
        ("2.1", "Stormflo i sentrum", "Naturhendelser", 2, {"samlet": 1}),
        ("2.2", "Snøskred over E16", "Naturhendelser", 2, {"samlet": 5})]
    assert report.sheets[0]["role"] == "scenariotabell"
    adds_up(report)


def test_an_earlier_table_whose_header_names_only_the_risk_is_found_above_a_better_one(tmp_path: Path) -> None:
    # the first table's header knows only «Risiko» (unknown title and category labels); the second's
    # names more fields: both are read, not only the better header's
    path = _save(tmp_path, "to-tabellar-svak.xlsx", [
        ["Andre hendelser"],
        ["Trussel/fare", "Sektor", "Prioritet", "Risiko"],
        ["Langvarig strømbrudd ved Fossen", "Kritisk infrastruktur", 1, "Rød"],
        ["Skogbrann ved Holmenga", "Naturhendelser", 3, "Gul"],
        [],
        ["Tilsiktede hendelser"],
        ["Nr", "Scenario", "Årsaker", "S/K", "Tiltak"],
        [7, "Jordskjelv", "Grunnarbeid i området", "2/1", "Beredskapsplan oppdateres"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.zone, s.probability) for s in analysis.scenarios] == [
        ("Langvarig strømbrudd ved Fossen", "red", None), ("Skogbrann ved Holmenga", "yellow", None),
        ("Jordskjelv", "green", 2)]
    assert [t["header_rows"] for t in report.sheets[0]["tables"]] == [[2], [7]]
    adds_up(report)


def test_a_first_table_of_a_title_and_a_pair_column_above_a_better_header(tmp_path: Path) -> None:
    path = _save(tmp_path, "forst-svak.xlsx", [
        ["Del 2"],
        ["Kva kan gå gale?", "Risiko (S/K)"],
        ["Havari på kommunen sine tenarar", "5 x 3 = 15\nusikker vurdering"],
        ["Skuleskyting ved Øvre Dal", "S4K2"],
        [], [], ["Andre hendelser"],
        ["Nr", "Uønsket hendelse", "Sannsynlighet", "Miljø", "Tiltak"],
        [4, "Terror mot arrangement", 5, 4, "Øving"]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Havari på kommunen sine tenarar", 5, {"samlet": 3}),
                                ("2", "Skuleskyting ved Øvre Dal", 4, {"samlet": 2}),
                                ("4", "Terror mot arrangement", 5, {"miljo": 4})]
    assert [t["header_rows"] for t in report.sheets[0]["tables"]] == [[2], [8]]
    adds_up(report)
