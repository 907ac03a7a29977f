"""Named fixtures for the converter's mechanisms (issue 10), each with its exact expected output.

Every builder writes one small legacy file that reproduces one mechanism, and is named after it.
The expected scenarios are what a careful reader takes from the sheet with the ``standard``
criteria; each test compares the whole list of converted scenarios (so nothing may be invented)
on the fields the fixture is about.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.worksheet import Worksheet

import rosxl
from rosxl.analysis import Analysis, Scenario, assess_scenario

RED, YELLOW, GREEN = "FF0000", "FFC000", "92D050"
FIELDS = ("id", "title", "category", "description", "measures", "probability", "consequences")


def _sheet(title: str = "ROS") -> tuple[openpyxl.Workbook, Worksheet]:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = title
    return wb, ws


def _convert(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    analysis, report = rosxl.convert(path, criteria="standard")
    assert report.rows_read == report.scenarios + len(report.skipped), "rows read ≠ scenarios + skipped"
    data = analysis.to_dict()
    return data["scenarios"], data


def _view(scenarios: list[dict[str, Any]], fields: tuple[str, ...] = FIELDS) -> list[dict[str, Any]]:
    """The scenarios on ``fields`` (``residual.*`` reaches into the residual), in source order."""
    out = []
    for s in scenarios:
        row: dict[str, Any] = {}
        for f in fields:
            head, _, tail = f.partition(".")
            row[f] = s[head][tail] if tail else s[head]
        out.append(row)
    return out


def _row(ident: str | None, title: str, category: str | None = None, description: str | None = None,
         measures: str | None = None, probability: int | None = None,
         consequences: dict[str, int | None] | None = None) -> dict[str, Any]:
    return {"id": ident, "title": title, "category": category, "description": description, "measures": measures,
            "probability": probability, "consequences": consequences or {}}


# --- a rosxl workbook converted again ---------------------------------------------------------------


def rosxl_workbook(folder: Path) -> tuple[Path, Analysis]:
    """A filled standard workbook, as ``rosxl convert`` writes it."""
    criteria = rosxl.load_criteria("standard")
    scenarios = [
        Scenario(id="N1", title="Flom i Storelva", category="Naturhendelser", description="Vårflom – 200-årsflom",
                 probability=2, consequences={"liv_og_helse": 3, "okonomi": 4}, measures="Flomvoll\nVarsling"),
        Scenario(id="T1", title="Langvarig strømbrudd", category="Kritisk infrastruktur", probability=3,
                 consequences={"tjenester": 4, "omdomme": 2}, measures="Reserveaggregat"),
        Scenario(id="T2", title="Dataangrep", category="Tilsiktede hendelser", probability=4,
                 consequences={"okonomi": 3, "omdomme": 3}),
    ]
    scenarios[0].residual.probability = 1
    scenarios[0].residual.consequences = {"okonomi": 3}
    for s in scenarios:
        assess_scenario(s, criteria)
    analysis = Analysis(criteria, scenarios)
    return rosxl.write_workbook(analysis, folder / "rosxl-arbeidsbok.xlsx"), analysis


def test_a_rosxl_workbook_converts_to_the_same_scenarios(tmp_path: Path) -> None:
    path, analysis = rosxl_workbook(tmp_path)
    got, _ = _convert(path)
    fields = tuple(k for k in analysis.scenarios[0].to_dict() if k not in ("source", "review"))
    assert _view(got, fields) == _view([s.to_dict() for s in analysis.scenarios], fields)


# --- column roles from content ----------------------------------------------------------------------


def frequency_under_unknown_header(folder: Path) -> Path:
    """A probability column headed «Hyppighet» (not in the synonym data) holding frequency texts."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "Hyppighet", "Økonomi"])
    ws.append(["1", "Flom i sentrum", "hvert 15. år", "2,5 mill"])
    ws.append(["2", "Skogbrann", "3 % per år", "150 000,-"])
    ws.append(["3", "Strømbrudd", "2 ganger i året", "50 000 kr"])
    ws.append(["4", "Kvikkleireskred", "sjeldnere enn hvert 500. år", "30 MNOK"])
    wb.save(folder / "hyppighet.xlsx")
    return folder / "hyppighet.xlsx"


def test_a_frequency_column_under_an_unknown_header_is_the_probability(tmp_path: Path) -> None:
    got, _ = _convert(frequency_under_unknown_header(tmp_path))
    assert _view(got) == [
        _row("1", "Flom i sentrum", probability=2, consequences={"okonomi": 4}),
        _row("2", "Skogbrann", probability=2, consequences={"okonomi": 2}),
        _row("3", "Strømbrudd", probability=4, consequences={"okonomi": 2}),
        _row("4", "Kvikkleireskred", probability=1, consequences={"okonomi": 5}),
    ]
    assert [s["raw"].get("probability") for s in got] == ["hvert 15. år", "3 % per år", "2 ganger i året",
                                                         "sjeldnere enn hvert 500. år"]
    assert all("Hyppighet" not in s["extra"] for s in got)


def free_text_under_score_header(folder: Path) -> Path:
    """Scenario titles in a column headed «Risiko» (a score word in the synonym data); S and K beside it."""
    wb, ws = _sheet()
    ws.append(["Nr", "Risiko", "S", "K", "Tiltak"])
    ws.append(["1", "Flom i sentrum etter kraftig nedbør over flere døgn", 3, 4, "Flomvoll"])
    ws.append(["2", "Brann i sykehjem med mange beboere som trenger hjelp", 2, 5, "Sprinkling"])
    ws.append(["3", "Langvarig strømbrudd i hele kommunen om vinteren", 3, 3, "Aggregat"])
    wb.save(folder / "risiko-som-tittel.xlsx")
    return folder / "risiko-som-tittel.xlsx"


def test_free_text_under_a_score_like_header_is_the_title(tmp_path: Path) -> None:
    got, _ = _convert(free_text_under_score_header(tmp_path))
    assert _view(got) == [
        _row("1", "Flom i sentrum etter kraftig nedbør over flere døgn", measures="Flomvoll", probability=3,
             consequences={"samlet": 4}),
        _row("2", "Brann i sykehjem med mange beboere som trenger hjelp", measures="Sprinkling", probability=2,
             consequences={"samlet": 5}),
        _row("3", "Langvarig strømbrudd i hele kommunen om vinteren", measures="Aggregat", probability=3,
             consequences={"samlet": 3}),
    ]


# --- table extent -----------------------------------------------------------------------------------


def legend_below_table(folder: Path) -> Path:
    """A table followed by a blank row, a «Tegnforklaring» colour key, a score-range key and a scale legend."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "Sannsynlighet", "Konsekvens"])
    ws.append(["1", "Flom", 3, 4])
    ws.append(["2", "Storm", 4, 2])
    ws.append([])
    ws.append(["Tegnforklaring"])
    for colour, text in ((RED, "Uakseptabel risiko – tiltak nødvendig"), (YELLOW, "Tolerabel risiko"),
                         (GREEN, "Akseptabel risiko")):
        ws.append([None, text])
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=colour)
    ws.append([])
    ws.append(["Risikoverdi (S×K)", "Nivå"])
    ws.append(["1–4", "Lav"])
    ws.append(["5–9", "Middels"])
    ws.append(["10–25", "Høy"])
    ws.append([])
    ws.append(["Sannsynlighet"])
    for level, word in enumerate(("Svært lav", "Lav", "Middels", "Høy", "Svært høy"), start=1):
        ws.append([level, word])
    wb.save(folder / "tegnforklaring-under.xlsx")
    return folder / "tegnforklaring-under.xlsx"


def test_a_legend_block_below_a_table_is_not_scenarios(tmp_path: Path) -> None:
    got, _ = _convert(legend_below_table(tmp_path))
    assert _view(got) == [_row("1", "Flom", probability=3, consequences={"samlet": 4}),
                          _row("2", "Storm", probability=4, consequences={"samlet": 2})]


def two_tables_on_one_sheet(folder: Path) -> Path:
    """Two tables on one sheet, each under its own heading and with its own header (different columns)."""
    wb, ws = _sheet()
    ws.append(["Naturhendelser"])
    ws.append(["Nr", "Hendelse", "Sannsynlighet", "Liv og helse", "Økonomi"])
    ws.append(["N1", "Flom", 3, 2, 4])
    ws.append(["N2", "Skred", 2, 4, 3])
    ws.append([])
    ws.append([])
    ws.append(["Tekniske hendelser"])
    ws.append(["Hendelse", "Nr", "Tiltak", "S", "Tjenesteproduksjon"])
    ws.append(["Strømbrudd", "T1", "Aggregat", 4, "3 døgn"])
    ws.append(["Vannforurensning", "T2", "Reservevann", 2, "2 uker"])
    wb.save(folder / "to-tabeller.xlsx")
    return folder / "to-tabeller.xlsx"


def test_two_tables_on_one_sheet_are_both_read(tmp_path: Path) -> None:
    got, _ = _convert(two_tables_on_one_sheet(tmp_path))
    fields = ("id", "title", "measures", "probability", "consequences")
    assert _view(got, fields) == [
        {"id": "N1", "title": "Flom", "measures": None, "probability": 3,
         "consequences": {"liv_og_helse": 2, "okonomi": 4}},
        {"id": "N2", "title": "Skred", "measures": None, "probability": 2,
         "consequences": {"liv_og_helse": 4, "okonomi": 3}},
        {"id": "T1", "title": "Strømbrudd", "measures": "Aggregat", "probability": 4, "consequences": {"tjenester": 2}},
        {"id": "T2", "title": "Vannforurensning", "measures": "Reservevann", "probability": 2,
         "consequences": {"tjenester": 4}},
    ]


def transposed_table(folder: Path) -> Path:
    """Fields in rows: labels in column A, one scenario per column."""
    wb, ws = _sheet("Hendelser")
    ws.append(["Nr", "1", "2", "3"])
    ws.append(["Uønsket hendelse", "Flom", "Pandemi", "Dataangrep"])
    ws.append(["Sannsynlighet", 3, "1 gang per 20 år", "Høy"])
    ws.append(["Liv og helse", 2, 4, 1])
    ws.append(["Økonomi", "2,5 mill", 3, "500 000 kr"])
    ws.append(["Tiltak", "Flomvoll", "Smittevernplan", "Sikkerhetskopi"])
    wb.save(folder / "transponert.xlsx")
    return folder / "transponert.xlsx"


def test_a_transposed_table_is_read_by_columns(tmp_path: Path) -> None:
    got, _ = _convert(transposed_table(tmp_path))
    assert _view(got) == [
        _row("1", "Flom", measures="Flomvoll", probability=3, consequences={"liv_og_helse": 2, "okonomi": 4}),
        _row("2", "Pandemi", measures="Smittevernplan", probability=2, consequences={"liv_og_helse": 4, "okonomi": 3}),
        _row("3", "Dataangrep", measures="Sikkerhetskopi", probability=4,
             consequences={"liv_og_helse": 1, "okonomi": 3}),
    ]


def long_table(folder: Path) -> Path:
    """One row per scenario and consequence area; id, title and probability repeated on every row."""
    wb, ws = _sheet("Vurdering")
    ws.append(["Nr", "Hendelse", "Sannsynlighet", "Konsekvensområde", "Konsekvens", "Tiltak"])
    ws.append(["1", "Flom", 3, "Liv og helse", 2, "Flomvoll"])
    ws.append(["1", "Flom", 3, "Økonomi", 4, None])
    ws.append(["1", "Flom", 3, "Samfunnsstabilitet", 3, None])
    ws.append(["2", "Storm", 4, "Liv og helse", 1, "Varsling"])
    ws.append(["2", "Storm", 4, "Tjenesteproduksjon", 3, None])
    wb.save(folder / "lang-tabell.xlsx")
    return folder / "lang-tabell.xlsx"


def test_a_long_table_gives_one_scenario_per_event(tmp_path: Path) -> None:
    got, _ = _convert(long_table(tmp_path))
    assert _view(got) == [
        _row("1", "Flom", measures="Flomvoll", probability=3,
             consequences={"liv_og_helse": 2, "okonomi": 4, "stabilitet": 3}),
        _row("2", "Storm", measures="Varsling", probability=4, consequences={"liv_og_helse": 1, "tjenester": 3}),
    ]


def description_rows(folder: Path) -> Path:
    """Each scenario's row is followed by a merged row with its description under the title."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "S", "K", "Tiltak"])
    rows = (("1", "Flom", 3, 4, "Flomvoll", "Vårflom i Storelva rammer sentrum"),
            ("2", "Skred", 2, 5, "Sikring", "Kvikkleire under boligfeltet på Brekke"),
            ("3", "Storm", 4, 2, "Varsling", "Orkan fra sørvest, som i 2011"))
    for ident, title, p, k, measure, text in rows:
        ws.append([ident, title, p, k, measure])
        ws.append([None, text])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
    wb.save(folder / "beskrivelsesrader.xlsx")
    return folder / "beskrivelsesrader.xlsx"


def test_a_description_row_under_each_scenario_is_its_description(tmp_path: Path) -> None:
    got, _ = _convert(description_rows(tmp_path))
    assert _view(got) == [
        _row("1", "Flom", description="Vårflom i Storelva rammer sentrum", measures="Flomvoll", probability=3,
             consequences={"samlet": 4}),
        _row("2", "Skred", description="Kvikkleire under boligfeltet på Brekke", measures="Sikring", probability=2,
             consequences={"samlet": 5}),
        _row("3", "Storm", description="Orkan fra sørvest, som i 2011", measures="Varsling", probability=4,
             consequences={"samlet": 2}),
    ]


# --- areas, colour, verbatim text, values -------------------------------------------------------------


def samfunnsstabilitet_column(folder: Path) -> Path:
    """A DSB-style consequence area the standard criteria lack, beside two they have."""
    wb, ws = _sheet()
    ws.append(["Nr", "Uønsket hendelse", "Sannsynlighet", "Liv og helse", "Økonomi", "Samfunnsstabilitet"])
    ws.append(["1", "Langvarig strømbrudd", 3, 2, 3, 4])
    ws.append(["2", "Pandemi", 2, 4, 3, 5])
    wb.save(folder / "samfunnsstabilitet.xlsx")
    return folder / "samfunnsstabilitet.xlsx"


def test_a_samfunnsstabilitet_column_adds_the_area(tmp_path: Path) -> None:
    got, data = _convert(samfunnsstabilitet_column(tmp_path))
    assert _view(got) == [
        _row("1", "Langvarig strømbrudd", probability=3, consequences={"liv_og_helse": 2, "okonomi": 3,
                                                                         "stabilitet": 4}),
        _row("2", "Pandemi", probability=2, consequences={"liv_og_helse": 4, "okonomi": 3, "stabilitet": 5}),
    ]
    assert all(not s["extra"] for s in got)
    assert "stabilitet" in [a["key"] for a in data["criteria"]["areas"]]
    assert "area-added" in [p["code"] for p in data["report"]["problems"]]


def expression_rule_colour(folder: Path) -> Path:
    """Zones given only by colour: an empty «Risiko» column coloured by expression rules on «Prioritet»."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "Prioritet", "Risiko", "Tiltak"])
    ws.append(["1", "Flom", 1, None, "Flomvoll"])
    ws.append(["2", "Storm", 2, None, "Varsling"])
    ws.append(["3", "Tørke", 3, None, "Vannrestriksjoner"])
    for formula, colour in (("$C2=1", RED), ("AND($C2>1,$C2<3)", YELLOW), ("$C2>=3", GREEN)):
        style = DifferentialStyle(fill=PatternFill("solid", fgColor=colour, bgColor=colour))
        ws.conditional_formatting.add("D2:D4", Rule(type="expression", formula=[formula], dxf=style))
    wb.save(folder / "uttrykksregel.xlsx")
    return folder / "uttrykksregel.xlsx"


def test_an_expression_rule_colour_gives_the_zone(tmp_path: Path) -> None:
    got, _ = _convert(expression_rule_colour(tmp_path))
    assert _view(got, ("id", "title", "measures", "probability", "zone")) == [
        {"id": "1", "title": "Flom", "measures": "Flomvoll", "probability": None, "zone": "red"},
        {"id": "2", "title": "Storm", "measures": "Varsling", "probability": None, "zone": "yellow"},
        {"id": "3", "title": "Tørke", "measures": "Vannrestriksjoner", "probability": None, "zone": "green"},
    ]


def excel_standard_fills(folder: Path) -> Path:
    """Zones only as direct fills in Excel's standard colours: dark red, red, orange, yellow, light green, green."""
    wb, ws = _sheet()
    ws.append(["Hendelse", "Risiko", "Tiltak"])
    fills = (("Terror", "C00000"), ("Flom", "FF0000"), ("Storm", "FFC000"), ("Tørke", "FFFF00"),
             ("Snøfall", "92D050"), ("Lynnedslag", "00B050"))
    for title, colour in fills:
        ws.append([title, None, "Vurderes"])
        ws.cell(ws.max_row, 2).fill = PatternFill("solid", fgColor=colour)
    wb.save(folder / "standardfarger.xlsx")
    return folder / "standardfarger.xlsx"


def test_excel_standard_fill_colours_give_their_zones(tmp_path: Path) -> None:
    got, _ = _convert(excel_standard_fills(tmp_path))
    assert _view(got, ("title", "zone")) == [
        {"title": "Terror", "zone": "red"}, {"title": "Flom", "zone": "red"}, {"title": "Storm", "zone": "yellow"},
        {"title": "Tørke", "zone": "yellow"}, {"title": "Snøfall", "zone": "green"},
        {"title": "Lynnedslag", "zone": "green"},
    ]


TITLE, DESCRIPTION, MEASURES = "Flom – Storelva", "Stengt vei i 2\u00a0døgn", "Flomvoll\nVarsling på SMS"


def verbatim_texts(folder: Path) -> Path:
    """An en dash in the title, a non-breaking space in the description, a line break in the measures."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "Beskrivelse", "S", "K", "Tiltak"])
    ws.append(["1", TITLE, DESCRIPTION, 3, 4, MEASURES])
    ws.cell(2, 6).alignment = Alignment(wrap_text=True)
    wb.save(folder / "ordrett.xlsx")
    return folder / "ordrett.xlsx"


def test_en_dash_nbsp_and_line_break_are_kept_verbatim(tmp_path: Path) -> None:
    got, _ = _convert(verbatim_texts(tmp_path))
    assert _view(got) == [_row("1", TITLE, description=DESCRIPTION, measures=MEASURES, probability=3,
                               consequences={"samlet": 4})]


def hedged_amount(folder: Path) -> Path:
    """Amounts with a hedge: «cirka 4 mill.», «omkring 250 000 kr», «anslagsvis 1,5 MNOK»."""
    wb, ws = _sheet()
    ws.append(["Hendelse", "Sannsynlighet", "Økonomi"])
    ws.append(["Flom", 3, "cirka 4 mill."])
    ws.append(["Brann", 2, "omkring 250 000 kr"])
    ws.append(["Skred", 1, "anslagsvis 1,5 MNOK"])
    wb.save(folder / "cirka.xlsx")
    return folder / "cirka.xlsx"


def test_cirka_4_mill_is_an_amount(tmp_path: Path) -> None:
    got, _ = _convert(hedged_amount(tmp_path))
    assert _view(got, ("title", "probability", "consequences")) == [
        {"title": "Flom", "probability": 3, "consequences": {"okonomi": 4}},
        {"title": "Brann", "probability": 2, "consequences": {"okonomi": 3}},
        {"title": "Skred", "probability": 1, "consequences": {"okonomi": 3}},
    ]
    assert [s["raw"].get("consequences.okonomi") for s in got] == ["cirka 4 mill.", "omkring 250 000 kr",
                                                                  "anslagsvis 1,5 MNOK"]


PAIR_WITH_NOTE = "S4 K2\nmerknad: usikker vurdering"


def combined_cell_with_note(folder: Path) -> Path:
    """A combined S/K cell followed by a remark on a new line in the same cell."""
    wb, ws = _sheet()
    ws.append(["Nr", "Hendelse", "Risiko (S/K)", "Tiltak"])
    ws.append(["1", "Isgang", PAIR_WITH_NOTE, "Overvåking"])
    ws.append(["2", "Lynnedslag", "S2 K3", "Jording"])
    wb.save(folder / "sk-med-merknad.xlsx")
    return folder / "sk-med-merknad.xlsx"


def test_s4_k2_with_a_note_on_a_new_line(tmp_path: Path) -> None:
    got, _ = _convert(combined_cell_with_note(tmp_path))
    assert _view(got) == [_row("1", "Isgang", measures="Overvåking", probability=4, consequences={"samlet": 2}),
                          _row("2", "Lynnedslag", measures="Jording", probability=2, consequences={"samlet": 3})]
    assert PAIR_WITH_NOTE in [v for v in got[0]["raw"].values()] + list(got[0]["extra"].values())


# --- ids ---------------------------------------------------------------------------------------------------------


def test_every_scenario_gets_its_own_id_however_the_source_repeats_them(tmp_path: Path) -> None:
    """A source repeating an id three times, and a row without an id after the ids it would be given
    («3», «3-2»; this looped for ever): every scenario has an id of its own, and a changed id says so."""
    wb, ws = _sheet()
    rows: list[list[Any]] = [["Nr", "Hendelse", "Sannsynlighet"], [3, "Storm", 1], ["3-2", "Tørke", 2],
                             [None, "Smitte", 3], [1, "Flom", 2], [1, "Brann", 3], [1, "Ras", 4]]
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "like-id.xlsx")
    scenarios, data = _convert(tmp_path / "like-id.xlsx")
    ids = [s["id"] for s in scenarios]
    assert ids == ["3", "3-2", "3-3", "1", "1-ROS", "1-ROS-2"]
    assert [r["note"] for r in data["report"]["review"] if "finnes flere ganger" in r["note"]] == [
        "id «1» finnes flere ganger; endret til «1-ROS»", "id «1» finnes flere ganger; endret til «1-ROS-2»"]
