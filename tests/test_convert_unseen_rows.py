"""A row's role inside a scenario table as unseen municipal sheets give it (issue 10, helper «rows»).

One named fixture per mechanism, built by code, with the exact scenarios it must give: description
rows under a scenario (coloured by the table's conditional format, merged over two columns, or in a
table whose category column is filled), a category column under an ambiguous header beside the
title column, filled only on each group's first row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill

import rosxl
from rosxl.analysis import Analysis
from rosxl.conversion.report import FileReport
from tests.sheets import new_sheet

Facts = tuple[str | None, str | None, str | None, str | None]  # id, title, category, description


def _save(tmp_path: Path, name: str, rows: Sequence[Sequence[object]], merges: Sequence[str] = (),
          formats: Sequence[tuple[str, str, str]] = (), fills: Sequence[tuple[str, str]] = ()) -> Path:
    """A one-sheet workbook; ``formats`` are (range, formula, colour) conditional formats, ``fills``
    (cell, colour) direct fills."""
    wb, ws = new_sheet("ROS", rows)
    for ref in merges:
        ws.merge_cells(ref)
    for ref, formula, colour in formats:
        rule = FormulaRule(formula=[formula], fill=PatternFill(bgColor=colour))  # type: ignore[no-untyped-call]
        ws.conditional_formatting.add(ref, rule)
    for ref, colour in fills:
        ws[ref].fill = PatternFill("solid", fgColor=colour)
    path = tmp_path / name
    wb.save(path)
    return path


def _facts(analysis: Analysis) -> list[Facts]:
    return [(s.id, s.title, s.category, s.description) for s in analysis.scenarios]


def _reasons(report: FileReport) -> list[str]:
    assert report.rows_read == report.scenarios + len(report.skipped)
    return [k.reason for k in report.skipped]


ROW_FORMATS = [("A2:E7", "$D2>=10", "C00000"), ("A2:E7", "AND($D2>=5,$D2<10)", "FFFF00"),
               ("A2:E7", "$D2<5", "00B050")]  # the whole row coloured by its risk value


def test_a_description_row_coloured_by_the_rows_conditional_format_is_a_description(tmp_path: Path) -> None:
    # «$D3<5» holds on the description row (an empty cell is 0), so Excel colours it green; that colour
    # says nothing about the row, and the text is the description of the scenario above, not a section
    path = _save(tmp_path, "cf-rad.xlsx", [
        ["Nr", "Scenario", "Kategori", "Risikoverdi", "Anbefalinger"],
        [1, "Flom i Storelva", "Naturhendelser", 4, "Flomvoll langs elva"],
        [None, "Særlig sårbart om vinteren"],
        [2, "Havari på kommunens servere", "Kritisk infrastruktur", 16, "Reserveløsning"],
        [None, "Kan gi\xa0brudd i forsyningen i flere døgn"],
        [3, "Ekstremvær med orkan", "Naturhendelser", 6, "Varsling"]], formats=ROW_FORMATS)
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [
        ("1", "Flom i Storelva", "Naturhendelser", "Særlig sårbart om vinteren"),
        ("2", "Havari på kommunens servere", "Kritisk infrastruktur", "Kan gi\xa0brudd i forsyningen i flere døgn"),
        ("3", "Ekstremvær med orkan", "Naturhendelser", None)]
    assert _reasons(report) == ["beskrivelse til scenarioet i raden over (to rader per scenario)"] * 2


def test_a_merged_description_row_under_numbered_sections_is_a_description(tmp_path: Path) -> None:
    # the description merged over two columns in a conditionally coloured table is not a section row:
    # «Rammer flere boliger» must not become the category of the rows below
    path = _save(tmp_path, "cf-flettet.xlsx", [
        ["Nr", "Årsak", "Risikoverdi", "Uønsket hendelse", "Ansvarlig"],
        ["1.", None, None, "Helse"],
        ["1.1", "Grunnarbeid i området", 20, "Radon i skolebygg", "Rådmannen"],
        [None, None, None, "Rammer flere boliger og kommunal vei"],
        ["2.", None, None, "Naturhendelser"],
        ["2.1", "Mye nedbør", 15, "Isgang i elva", "Rådmannen"],
        [None, None, None, "Særlig sårbart om vinteren"]],
        merges=["D4:E4", "D7:E7"], formats=[("A2:E7", "$C2>=10", "C00000"), ("A2:E7", "$C2<5", "00B050")])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1.1", "Radon i skolebygg", "Helse", "Rammer flere boliger og kommunal vei"),
                                ("2.1", "Isgang i elva", "Naturhendelser", "Særlig sårbart om vinteren")]
    assert _reasons(report) == ["seksjonsrad: kategori «Helse» for radene under",
                                "beskrivelse til scenarioet i raden over (to rader per scenario)",
                                "seksjonsrad: kategori «Naturhendelser» for radene under",
                                "beskrivelse til scenarioet i raden over (to rader per scenario)"]


def test_a_directly_filled_title_only_row_stays_a_scenario(tmp_path: Path) -> None:
    # a person's fill on a row with only a title is its zone: the row is a scenario (the colour decides)
    path = _save(tmp_path, "fylt.xlsx", [
        ["Nr", "Uønsket hendelse", "Risiko"],
        [1, "Flom i Storelva", None],
        [None, "Ekstremvær med orkan og stormflo", None]],
        fills=[("C2", "FF0000"), ("C3", "00B050")])
    analysis, _ = rosxl.convert(path)
    assert [(s.title, s.extra.get("source_zone")) for s in analysis.scenarios] == [
        ("Flom i Storelva", "red"), ("Ekstremvær med orkan og stormflo", "green")]


def test_an_ambiguous_category_header_beside_the_title_column_is_the_category_filled_down(tmp_path: Path) -> None:
    # «Hendelsestype» may mean the event or its type; «Hva kan gå galt?» (content: the titles) holds the
    # events, so the type column is the category, written only on each group's first row
    path = _save(tmp_path, "hendelsestype.xlsx", [
        ["Nr.", "Hendelsestype", "Hva kan gå galt?", "Sannsynlighet", "Konsekvens"],
        [1, "Helse", "Radon i skolebygg", 3, 2],
        [2, None, "Matbåren smitte", 2, 4],
        [3, "Naturhendelser", "Snøskred over E16", 4, 5],
        [4, None, "Jordskjelv", 1, 5],
        [5, None, "Flom i Storelva", 4, 3]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Radon i skolebygg", "Helse", None), ("2", "Matbåren smitte", "Helse", None),
                                ("3", "Snøskred over E16", "Naturhendelser", None),
                                ("4", "Jordskjelv", "Naturhendelser", None),
                                ("5", "Flom i Storelva", "Naturhendelser", None)]
    assert [p.code for p in report.problems if p.code.startswith(("column-beside", "header-amb"))] == \
        ["column-beside-title"]
    assert analysis.scenarios[1].review == ["kategori «Helse» fylt ned fra raden over"]


def test_a_short_lone_text_under_a_categorised_scenario_is_its_description(tmp_path: Path) -> None:
    # the table names its categories in its own column, so a lone «Gjelder sentrum» under a scenario
    # (in a column beside the title) continues that scenario; it is no section row for the rows below
    path = _save(tmp_path, "kategorisert.xlsx", [
        ["Nr", "Uønsket hendelse", "Kategori", "Detaljer", "S", "K"],
        [1, "Flom i Storelva", "Naturhendelser", "Rammer flere boliger og kommunal vei", 3, 4],
        [None, None, None, "Gjelder sentrum"],
        [2, "Brann i sykehjem", "Storulykker", "Kan gi brudd i forsyningen i flere døgn", 2, 5]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category) for s in analysis.scenarios] == [
        ("Flom i Storelva", "Naturhendelser"), ("Brann i sykehjem", "Storulykker")]
    assert not any(r.startswith("seksjonsrad") for r in _reasons(report))
    assert "Gjelder sentrum" in (analysis.scenarios[0].description or "")


LEGEND = ["Grønn", "Akseptabel risiko"]  # a colour key beside the table, one row each


def test_a_section_row_above_a_legend_row_beside_the_table_heads_its_group(tmp_path: Path) -> None:
    # «Helse» stands alone in the table's columns; the row under it holds only the key beside the table,
    # so the group it heads starts at the first full row below, and «Helse» is no scenario of its own
    path = _save(tmp_path, "forklaring-ved-siden.xlsx", [
        ["Uønsket hendelse", "Sannsynlighet", "Liv og helse", "Økonomi", None, "Fargekoder"],
        ["Helse", None, None, None, None, "Rød", "Uakseptabel risiko"],
        [None, None, None, None, None, *LEGEND],
        ["Mangel på helsepersonell", 4, 2, 5],
        ["Radon i skolebygg", 4, 2, 1],
        ["Naturhendelser"],
        ["Flom i Storelva", 5, 1, 5]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category, s.probability) for s in analysis.scenarios] == [
        ("Mangel på helsepersonell", "Helse", 4), ("Radon i skolebygg", "Helse", 4),
        ("Flom i Storelva", "Naturhendelser", 5)]
    assert [r for r in _reasons(report) if r.startswith("seksjonsrad")] == [
        "seksjonsrad: kategori «Helse» for radene under", "seksjonsrad: kategori «Naturhendelser» for radene under"]


def test_a_merged_section_row_right_under_the_header_is_no_second_header_row(tmp_path: Path) -> None:
    # «Helse» merged across the table under «Nr», «Sannsynlighet», … names a consequence area, but a cell
    # spanning two labelled columns is a section row, not sub-labels of a two-row header
    path = _save(tmp_path, "seksjon-under-overskrift.xlsx", [
        ["Nr", "Sannsynlighet", "Konsekvens", "Mulig uønsket hendelse", "Tiltak", None, "Forklaring til fargene"],
        ["Helse", None, None, None, None, None, None, "Uakseptabel – tiltak nødvendig"],
        [6, 5, 3, "Radon i skolebygg", "Varsling"],
        [7, 3, 3, "Pandemi", "Beredskapsplan oppdateres"],
        ["Naturhendelser"],
        [1, 1, 4, "Stormflo i sentrum", "Flomvoll langs elva"]], merges=["A2:E2", "A5:E5"])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.category, s.probability) for s in analysis.scenarios] == [
        ("6", "Radon i skolebygg", "Helse", 5), ("7", "Pandemi", "Helse", 3),
        ("1", "Stormflo i sentrum", "Naturhendelser", 1)]
    assert report.sheets[0]["header_rows"] == [1]


def test_a_short_lone_text_in_the_title_column_of_a_fully_categorised_table_is_a_description(tmp_path: Path) -> None:
    # every scenario row names its category; «Gjelder sentrum» under one, without a category or values,
    # is no scenario like them (nothing invented) and no section row: it describes the scenario above
    path = _save(tmp_path, "kort-beskrivelse.xlsx", [
        ["Nr", "Uønsket hendelse", "Kategori", "S", "K"],
        [1, "Flom i Storelva", "Naturhendelser", 3, 4],
        [None, "Gjelder sentrum"],
        [2, "Brann i sykehjem", "Storulykker", 2, 5],
        [3, "Pandemi", "Helse", 3, 3]])
    analysis, report = rosxl.convert(path)
    assert _facts(analysis) == [("1", "Flom i Storelva", "Naturhendelser", "Gjelder sentrum"),
                                ("2", "Brann i sykehjem", "Storulykker", None), ("3", "Pandemi", "Helse", None)]
    assert _reasons(report) == ["beskrivelse til scenarioet i raden over (to rader per scenario)"]


def test_measures_listed_one_a_row_under_a_scenario_continue_its_measures(tmp_path: Path) -> None:
    # «Varsling» alone in the measures column under a scenario is its next measure, not a section row
    # (section rows stand at the left, in the title column or across the table)
    path = _save(tmp_path, "tiltaksliste.xlsx", [
        ["Nr", "Uønsket hendelse", "S", "K", "Tiltak", "Ansvarlig"],
        [1, "Flom i Storelva", 3, 4, "Flomvoll", "Teknisk etat"],
        [None, None, None, None, "Varsling"],
        [None, None, None, None, "Evakueringsplan"],
        [2, "Brann i sykehjem", 2, 5, "Øvelse", "Rådmannen"]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category, s.measures, s.responsible) for s in analysis.scenarios] == [
        ("Flom i Storelva", None, "Flomvoll\nVarsling\nEvakueringsplan", "Teknisk etat"),
        ("Brann i sykehjem", None, "Øvelse", "Rådmannen")]
    assert _reasons(report) == ["tekst (tiltak) til scenarioet i raden over (to rader per scenario)"] * 2


def test_a_section_row_above_the_tables_own_categories_is_kept_beside_them(tmp_path: Path) -> None:
    # «2. Storulykker» at the left over full rows heads a group even though the rows name their own
    # (finer) categories; its text is kept on each scenario under it, not lost and not a description
    path = _save(tmp_path, "hovedkategori.xlsx", [
        ["Nr", "Uønsket hendelse", "Kategori", "S", "K"],
        ["1. Naturhendelser"],
        [1, "Flom i Storelva", "Flom", 3, 4],
        [2, "Kvikkleireskred", "Skred", 2, 5],
        ["2. Storulykker"],
        [3, "Brann i sykehjem", "Brann", 2, 5]])
    analysis, report = rosxl.convert(path)
    assert [(s.title, s.category, s.extra.get("seksjonsrad")) for s in analysis.scenarios] == [
        ("Flom i Storelva", "Flom", "1. Naturhendelser"), ("Kvikkleireskred", "Skred", "1. Naturhendelser"),
        ("Brann i sykehjem", "Brann", "2. Storulykker")]
    assert _reasons(report) == ["seksjonsrad: kategori «1. Naturhendelser» for radene under",
                                "seksjonsrad: kategori «2. Storulykker» for radene under"]


def test_numbered_template_rows_left_empty_and_a_lone_sum_are_no_scenarios(tmp_path: Path) -> None:
    # a template numbered to 5 with two rows filled, and an unlabelled sum under the K column: nothing
    # invented, while a lone «1 Naturhendelser» in the id column still heads the rows below it
    path = _save(tmp_path, "nummererte-rader.xlsx", [
        ["Nr", "Uønsket hendelse", "S", "K", "Tiltak"],
        ["1 Naturhendelser"],
        ["1.1", "Flom i Storelva", 3, 4, "Flomvoll"],
        ["1.2", "Snøskred over E16", 2, 5, "Varsling"],
        ["1.3"], ["K4"], [5], [None, None, None, 9]])
    analysis, report = rosxl.convert(path)
    assert [(s.id, s.title, s.category) for s in analysis.scenarios] == [
        ("1.1", "Flom i Storelva", "1 Naturhendelser"), ("1.2", "Snøskred over E16", "1 Naturhendelser")]
    assert _reasons(report) == ["seksjonsrad: kategori «1 Naturhendelser» for radene under",
                                *(f"rad uten hendelse: bare «{v}»" for v in ("1.3", "K4", "5", "9"))]
