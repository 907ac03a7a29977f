"""Which table a sheet holds and where it is, as fresh generated seeds exposed it (issue 10, helper «extent»).

One named fixture per mechanism, built by code, with the exact scenarios it must give: a table whose
header names one field surely is not turned when the turned header would be values and footer
labels; one table split over sheets (one per category) is weighed as one; a data row, a section row,
a scale or a key beside the table do not make or move its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import rosxl
from rosxl.analysis import Analysis
from tests.reports import adds_up
from tests.sheets import new_sheet

Facts = tuple[str | None, int | None, dict[str, int | None], str | None]


def _save(tmp_path: Path, name: str, sheets: dict[str, Sequence[Sequence[object]]],
          merges: Sequence[str] = ()) -> Path:
    (first, rows), *others = sheets.items()
    wb, ws = new_sheet(first, rows)
    for ref in merges:  # on the first sheet
        ws.merge_cells(ref)
    for title, more in others:
        ws = wb.create_sheet(title)
        for row in more:
            ws.append(list(row))
    path = tmp_path / name
    wb.save(path)
    return path


def _facts(analysis: Analysis) -> list[Facts]:
    return [(s.title, s.probability, dict(s.consequences), s.category) for s in analysis.scenarios]


def test_a_table_with_footer_labels_and_a_legend_beside_is_not_read_turned(tmp_path: Path) -> None:
    """Seed 5 ros-0004, with risk words where that file had S/K pairs: one sure label («Risiko»), a
    repeated header, a described legend beside and signature rows; turned, column B («Høg»,
    «Middels», «Kommunedirektøren», «12.03.2024») would be a header naming almost no field, and the
    scenarios would be lost (main turns it; the pairs case is the cells branch's test)."""
    path = _save(tmp_path, "situasjon.xlsx", {"ROS": [
        ["Heilskapleg ROS-analyse for Fjellvik"],
        ["Situasjon", "Risiko", "Oppfølgingspunkter", None, None, "Sannsyn"],
        ["Flaum i Storelva", "Høg", "Flaumvoll", None, None, 1, "Svært låg – skjer nesten aldri"],
        ["Skogbrann", "Middels", "Varsling", None, None, 2, "Låg – kan skje"],
        ["Situasjon", "Risiko", "Oppfølgingspunkter", None, None, 3, "Middels – har skjedd andre stader"],
        ["Langvarig straumbrot", "Låg", "Reserveaggregat", None, None, 4, "Høg – skjer av og til"],
        ["Pandemi", "Høg", "Smittevernplan", None, None, 5, "Svært høg – skjer jamleg"],
        ["Brot i avløpsnettet", "Middels", "Geoteknisk vurdering"],
        ["Godkjent:", "Kommunedirektøren"],
        ["Utarbeidd av:", "Kari Nordmann, beredskapskoordinator"],
        ["Dato:", "12.03.2024"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.zone, s.extra.get("Oppfølgingspunkter")) for s in analysis.scenarios] == [
        ("Flaum i Storelva", "red", "Flaumvoll"), ("Skogbrann", "yellow", "Varsling"),
        ("Langvarig straumbrot", "green", "Reserveaggregat"), ("Pandemi", "red", "Smittevernplan"),
        ("Brot i avløpsnettet", "yellow", "Geoteknisk vurdering")]
    assert not any(sheet.get("transposed") for sheet in report.sheets)
    assert [k.row for k in report.skipped] == [5, 9, 10, 11]
    adds_up(report)


def test_a_table_of_risk_scores_with_signature_rows_is_not_read_turned(tmp_path: Path) -> None:
    """The same sheet with risk scores: turned, column B is numbers and signature values, no labels."""
    path = _save(tmp_path, "risikotal.xlsx", {"ROS": [
        ["Situasjon", "Risiko", "Oppfølgingspunkter", None, None, "Sannsyn"],
        ["Flaum i Storelva", 12, "Flaumvoll", None, None, 1, "Svært låg"],
        ["Skogbrann", 6, "Varsling", None, None, 2, "Låg"],
        ["Langvarig straumbrot", 4, "Reserveaggregat", None, None, 3, "Middels"],
        ["Pandemi", 15, "Smittevernplan", None, None, 4, "Høg"],
        ["Brot i avløpsnettet", 20, "Geoteknisk vurdering", None, None, 5, "Svært høg"],
        ["Skuleskyting", 2, "Beredskapsplan"],
        ["Godkjent:", "Kommunedirektøren"], ["Dato:", "12.03.2024"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.extra.get("Oppfølgingspunkter")) for s in analysis.scenarios] == [
        ("Flaum i Storelva", "Flaumvoll"), ("Skogbrann", "Varsling"), ("Langvarig straumbrot", "Reserveaggregat"),
        ("Pandemi", "Smittevernplan"), ("Brot i avløpsnettet", "Geoteknisk vurdering"),
        ("Skuleskyting", "Beredskapsplan")]
    assert not any(sheet.get("transposed") for sheet in report.sheets)
    adds_up(report)


def test_a_turned_table_of_unknown_labels_under_a_title_label_is_read_turned(tmp_path: Path) -> None:
    """Seed 12 ros-0033: labels down column A that mostly name no field («Forløp», «Kor ofte?»,
    «Varighet av bortfall») under «Scenario», which names the title surely: a turned table, read by
    columns (content gives the frequency and the days their fields)."""
    path = _save(tmp_path, "snudd.xlsx", {"Hendelser": [
        ["Risiko- og sårbarhetsanalyse"], [],
        ["Scenario", "Skogbrann", "Brann i tunnel", "Langvarig strømbrudd"],
        ["Forløp", "Rammer flere boliger", "Lite kjent risiko", "Rammer flere boliger"],
        ["Kor ofte?", "ein gong per 5 år", "flere ganger i året", "1 gang per 20 år"],
        ["Varighet av bortfall", "8 døgn", "stans i 3 døgn", "1 veke"],
        ["Forslag til tiltak", "Beredskapsplan oppdateres", "Varsling", "Reserveaggregat"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.probability, s.measures) for s in analysis.scenarios] == [
        ("Skogbrann", 3, "Beredskapsplan oppdateres"), ("Brann i tunnel", 4, "Varsling"),
        ("Langvarig strømbrudd", 2, "Reserveaggregat")]
    assert report.sheets[0].get("transposed") is True
    adds_up(report)


def test_a_turned_table_whose_unknown_labels_have_values_of_one_kind_is_read_turned(tmp_path: Path) -> None:
    """Seed 6 ros-0156: labels down column A that the vocabulary lacks («Situasjon», «Returperiode»
    hyphenated over two lines, «Oppfølgingspunkter»), no title label, and only «ID» and an area that
    name a field: the frequencies right of «Returperiode» are one field's values turned, so the
    labels are a header (half of them name a field by label or by their values' one kind)."""
    path = _save(tmp_path, "snudd-ukjent.xlsx", {"Hendelser": [
        ["ID", 1, 2, 3, 4],
        ["Situasjon", "Mangel på helsepersonell ved Skarvet", "Pandemi", "Stormflo i sentrum",
         "Terror mot arrangement"],
        ["Returp-\neriode", "20 % per år", "hvert 500. år", "1/25", "20 % per år"],
        ["Stans i tjenester", 1, 4, 5, 5],
        ["Oppfølgin-\ngspunkter", "Flomvoll langs elva", "Varsling\nEvakueringsplan", "Reserveaggregat", "Varsling"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.probability, s.consequences) for s in analysis.scenarios] == [
        ("1", "Mangel på helsepersonell ved Skarvet", 3, {"tjenester": 1}), ("2", "Pandemi", 1, {"tjenester": 4}),
        ("3", "Stormflo i sentrum", 2, {"tjenester": 5}), ("4", "Terror mot arrangement", 3, {"tjenester": 5})]
    assert analysis.scenarios[1].extra == {"Oppfølgin-\ngspunkter": "Varsling\nEvakueringsplan"}  # verbatim
    assert report.sheets[0].get("transposed") is True
    adds_up(report)


def test_a_colour_key_over_a_zone_grid_is_not_read_turned(tmp_path: Path) -> None:
    """Seed 9 ros-0113: a sheet of a colour key («Rød | Uakseptabel – tiltak nødvendig» …) over a
    grid of scores: turned, «Rød», «Gul», «Grønn» would be a header naming no field; it is a legend,
    not a table of five invented scenarios."""
    path = _save(tmp_path, "nokkel.xlsx", {
        "ROS": [["Situasjon", "Sannsynlighet", "Konsekvens"], ["Radon i skolebygg", "Svært lav (1)", "B"],
                ["Pandemi", "Lav (2)", "A"]],
        "Risikomatrise": [["Fargekoder"], ["Rød", "Uakseptabel – tiltak nødvendig"],
                          ["Gul", "Tolerabel – vurder tiltak"], ["Grønn", "Akseptabel risiko"], [], ["Risikomatrise"],
                          [5, 5, 10, 15, 20, 25],
                          [4, 4, 8, 12, 16, 20], [3, 3, 6, 9, 12, 15], [2, 2, 4, 6, 8, 10], [1, 1, 2, 3, 4, 5],
                          [None, 1, 2, 3, 4, 5]]})
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("Radon i skolebygg", 1, {"samlet": 2}, None), ("Pandemi", 2, {"samlet": 1}, None)]
    adds_up(report)

HEADER = ["ID", "Hendelsestype", "Detaljer", "Hva kan gå galt?", "Sannsynlighet", "Omdømme"]


def test_one_table_split_over_sheets_per_category_is_weighed_as_one(tmp_path: Path) -> None:
    """Seed 5 ros-0120/0145/0127: the same header on every sheet, a row or two under it; the column
    of the sheet's own name is the category (not the title, not the area «Helse»), and the unique
    short texts are the titles (not the repeated details beside them)."""
    long_text = "Erfaring fra 2011 – hendelsen rammet 40 husstander"
    path = _save(tmp_path, "per-kategori.xlsx", {
        "Naturhendelser": [["Helhetlig ROS-analyse for Fjellvik"], [], HEADER,
                           [1, "Naturhendelser", long_text, "Tørke og vannmangel", 2, "D"]],
        "Helse": [HEADER, [2, "Helse", long_text, "Radon i skolebygg", 3, "B"]],
        "Storulykker": [HEADER, [3, "Storulykker", "Særlig sårbart om vinteren", "Brann i sykehjem", 1, "C"],
                        [4, "Storulykker", long_text, "Utslipp av farlig gods", 4, "E"]],
    })
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [
        ("Tørke og vannmangel", 2, {"omdomme": 4}, "Naturhendelser"), ("Radon i skolebygg", 3, {"omdomme": 2}, "Helse"),
        ("Brann i sykehjem", 1, {"omdomme": 3}, "Storulykker"),
        ("Utslipp av farlig gods", 4, {"omdomme": 5}, "Storulykker")]
    assert [s.extra for s in analysis.scenarios] == [{"Detaljer": t} for t in (
        long_text, long_text, "Særlig sårbart om vinteren", long_text)]
    adds_up(report)


def test_a_data_row_of_loosely_matching_words_is_no_header(tmp_path: Path) -> None:
    """Seed 5 ros-0191: the header names one field surely («Risikonivå», an empty column coloured by
    conditional formats); a data row's words match two fields loosely («Særleg sårbart …» the
    vulnerability, «Kommunalsjef helse» an area) beside a number: that row is data, the header is
    the row of labels above it."""
    head = ["Kva kan gå gale?", "Emne", "Detaljer", "Prioritet", "Risikonivå", "Eier"]
    path = _save(tmp_path, "laus.xlsx", {"Hendelser": [
        head,
        ["Tørke og vassmangel", "Naturhendingar", "Særleg sårbart om vinteren", 3, None, "Kommunedirektøren"],
        ["Atomulukke ved Nordre Li", "Storulukker", "Lite kjend risiko", 1, None, "Beredskapskoordinator"],
        ["Flaum i Storelva", "Naturhendingar", "Særleg sårbart om vinteren", 2, None, "Kommunalsjef helse"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [s.title for s in analysis.scenarios] == ["Tørke og vassmangel", "Atomulukke ved Nordre Li",
                                                     "Flaum i Storelva"]
    assert analysis.scenarios[2].extra == {"Emne": "Naturhendingar", "Detaljer": "Særleg sårbart om vinteren",
                                           "Prioritet": 2, "Eier": "Kommunalsjef helse"}
    assert report.sheets[0]["header_rows"] == [1]
    adds_up(report)


def test_a_scale_across_beside_a_two_row_header_labels_no_column(tmp_path: Path) -> None:
    """Seed 4 ros-0079: «Konsekvens» over the areas (not merged), and beside the table «Sannsyn» over
    «1 Svært låg» | «2 Låg» | …: the scale's cells are no sub-labels, so the areas' row is the
    header's second row (it was read as a scenario «1» and the areas lost)."""
    path = _save(tmp_path, "skala-ved-sida.xlsx", {"ROS-analyse": [
        ["ID", "Uønskt hending", "S", "Konsekvens", None, None, None, "Sannsyn"],
        [None, None, None, "Liv og helse", "Natur og kultur", "Økonomi", None, "1 Svært låg", "2 Låg", "3 Middels",
         "4 Høg", "5 Svært høg"],
        ["1.5", "Dataåtak – løysepengevirus", 5, 2, "E", 3],
        ["2.7", "Terror mot arrangement", 4, 4, "D", 1],
    ]})
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [
        ("Dataåtak – løysepengevirus", 5, {"liv_og_helse": 2, "miljo": 5, "okonomi": 3}, None),
        ("Terror mot arrangement", 4, {"liv_og_helse": 4, "miljo": 4, "okonomi": 1}, None)]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_a_section_row_under_the_header_beside_a_colour_key_is_no_header_row(tmp_path: Path) -> None:
    """Seed 5 ros-0139: «Helse» (a section row, and an area's name) right under a header with the
    context word «Konsekvens», beside a colour key («Uakseptabel – tiltak nødvendig») under an empty
    header cell far right: neither stands under the group «Konsekvens», so the header is one row (it
    was «Nr / Helse», the id and the consequence lost)."""
    path = _save(tmp_path, "seksjon-under.xlsx", {"ROS-analyse": [
        ["Nr", "Sannsynlighet", "Konsekvens", "Mulig uønsket hendelse", "Tiltak", None, None, "Forklaring til fargene"],
        ["Helse", None, None, None, None, None, None, None, "Uakseptabel – tiltak nødvendig"],
        [6, 5, 3, "Radon i skolebygg", "Varsling", None, None, None, "Tolerabel – vurder tiltak"],
        [7, 3, 3, "Pandemi", "Beredskapsplan oppdateres", None, None, None, "Akseptabel risiko"],
        ["Naturhendelser"],
        [1, 1, 4, "Stormflo i sentrum", "Flomvoll"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.probability, dict(s.consequences), s.category) for s in analysis.scenarios] == [
        ("6", "Radon i skolebygg", 5, {"samlet": 3}, "Helse"), ("7", "Pandemi", 3, {"samlet": 3}, "Helse"),
        ("1", "Stormflo i sentrum", 1, {"samlet": 4}, "Naturhendelser")]
    assert report.sheets[0]["header_rows"] == [1]
    adds_up(report)


def test_a_score_key_beside_a_row_of_abbreviations_leaves_it_a_header_row(tmp_path: Path) -> None:
    """Seed 8 ros-0112: «S | K | K» under the labelled columns, and beside the table, after an empty
    column, a score key under «Risikonivå» («1–4 | Låg risiko»): the key is no label of the header,
    so the abbreviations are its second row (they were read as a scenario «1»)."""
    path = _save(tmp_path, "forkortingar.xlsx", {"Analyse": [
        ["Nr.", "Uønska hending", "S", "Materielle verdiar", "Liv og helse", None, "Risikonivå"],
        [None, None, "S", "K", "K", None, "1–4", "Låg risiko"],
        ["N1", "Steinsprang mot bustader", 4, "Katastrofal (5)", 3, None, "5–9", "Middels risiko"],
        ["N3", "Ekstremvêr med orkan", 1, "Ein viss fare (2)", 3, None, "10–25", "Høg risiko"],
    ]})
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("Steinsprang mot bustader", 4, {"okonomi": 5, "liv_og_helse": 3}, None),
                                ("Ekstremvêr med orkan", 1, {"okonomi": 2, "liv_og_helse": 3}, None)]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_labels_naming_no_field_under_a_consequence_group_are_its_second_header_row(tmp_path: Path) -> None:
    """Seed 10 ros-0100: «Konsekvens» (not merged) over «Liv og helse | Utfallstid | Skadeomfang (kr)»,
    two of which name no field: every label stands under the group, so the row is the header's
    second row (it was read as a scenario «1» and the areas lost); content gives the days and kroner
    their areas."""
    path = _save(tmp_path, "utfallstid.xlsx", {"Sheet1": [
        ["ID", "Uønska hending", "Kor ofte?", "Konsekvens", None, None, "Anbefalinger"],
        [None, None, None, "Liv og helse", "Utfallstid", "Skadeomfang (kr)"],
        ["1.1", "Matboren smitte", "Lite sannsynleg", "Farleg (3)", "9 dager", "50 000 kr", "Flaumvoll"],
        ["1.2", "Radon i skulebygg", "Sannsynleg", "Farleg (3)", "4 timer", "150 000,-", "Reserveaggregat"],
    ]})
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [
        ("Matboren smitte", 1, {"liv_og_helse": 3, "tjenester": 3, "okonomi": 2}, None),
        ("Radon i skulebygg", 3, {"liv_og_helse": 3, "tjenester": 1, "okonomi": 2}, None)]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_a_row_of_values_naming_an_area_is_no_better_header_than_the_header_above(tmp_path: Path) -> None:
    """Seed 12 ros-0114: a two-row header («Før tiltak» | «Etter tiltak» over «Sannsynlighet (S)» |
    «Tap av liv») whose rows name few fields each, and a scenario's row «2.3 | Helse | 1 gang per 3
    år | 2 døde | …» that names more (an area, a frequency read as a label): its cells read as values
    (frequencies, casualties), so it is data, not the best header (two scenarios were lost)."""
    path = _save(tmp_path, "verdirad.xlsx", {"Sheet1": [
        ["ID", "Emne", "Før tiltak", None, "Etter tiltak", None, "Hva kan gå galt?"],
        [None, None, "Sannsynlighet (S)", "Tap av liv", "Sannsynlighet (S)", "Tap av liv"],
        ["1.6", "Storulykker", "2 % sannsynlighet per år", "1 alvorlig skadd", "hvert 500. år", "3 lettere skadd",
         "Bussulykke på fv. 55"],
        ["2.3", "Helse", "1 gang per 3 år", "2 døde", "2 % sannsynlighet per år", "2 døde", "Radon i skolebygg"],
        ["3.1", "Tilsiktede hendelser", "1 gang i måneden", "3 lettere skadd", "1 gang i løpet av 20–50 år",
         "ingen personskader", "Skoleskyting"],
    ]}, merges=("C1:D1", "E1:F1"))
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.probability, dict(s.consequences)) for s in analysis.scenarios] == [
        ("1.6", "Bussulykke på fv. 55", 2, {"liv_og_helse": 3}), ("2.3", "Radon i skolebygg", 3, {"liv_og_helse": 5}),
        ("3.1", "Skoleskyting", 5, {"liv_og_helse": 2})]
    assert report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)


def test_a_header_whose_rows_name_fields_only_together_is_found(tmp_path: Path) -> None:
    """Seed 23 ros-0152: «Kategori» and phase groups («Før tiltak», «Restrisiko») over «Returperiode |
    Tap av liv | Samfunnsstabilitet», the title and probability labels unknown and a units row under
    it. No row alone names two fields with the title or a class, so the sheet was read turned and
    every scenario lost; the two rows together do, and content names the rest."""
    path = _save(tmp_path, "to-rader.xlsx", {"ROS": [
        ["Kva kan gå gale?", "Kategori", "Bakenforliggende forhold", "Før tiltak", None, None,
         "Restrisiko", None, None, "Anbefalinger"],
        [None, None, None, "Returperiode", "Tap av liv", "Samfunnsstabilitet", "Returperiode", "Tap av liv",
         "Samfunnsstabilitet"],
        [None, None, None, None, None, "(1-5)", None, None, "(1-5)"],
        ["Langvarig strømbrudd", "Kritisk infrastruktur", "Mye nedbør", "3 ganger per år", "1 død", "2",
         "en gang hvert 30. år", "ingen personskadar", "2", "Flomvoll langs elva"],
        ["Pandemi", "Helse", "Teknisk svikt", "fire gonger i året", "flere alvorlig skadde", "5",
         "flere ganger i året", "1 alvorlig skadd", "5", "Smittevernplan"],
    ]})
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category, s.probability, s.residual.probability) for s in analysis.scenarios] == [
        ("Langvarig strømbrudd", "Kritisk infrastruktur", 4, 2), ("Pandemi", "Helse", 4, 4)]
    assert [s.consequences["stabilitet"] for s in analysis.scenarios] == [2, 5]
    assert report.sheets[0].get("transposed") is not True and report.sheets[0]["header_rows"] == [1, 2]
    adds_up(report)
