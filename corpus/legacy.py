"""Legacy ROS sheets built by code, one per layout the converter must understand.

Each builder writes one file into a folder and returns its path; :data:`BUILDERS` names them after
the case they reproduce. The .xls and .ods cases are made from .xlsx ones by LibreOffice in the
tests that need them (see ``test_convert_formats.py``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import XLSM, XLSX

RED, ORANGE, GREEN = "FF0000", "FFC000", "00B050"


def _workbook() -> tuple[Workbook, Worksheet]:
    """A new workbook and its first sheet."""
    wb = openpyxl.Workbook()
    assert isinstance(wb.active, Worksheet)
    return wb, wb.active


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def two_row_header(folder: Path, name: str = "plan-ros-to-rader.xlsx") -> Path:
    """Consultant's plan-ROS: title rows, merged "Konsekvens" and "Før/Etter tiltak" groups, section
    rows, a note row, blank rows, the header repeated mid-table and a category only on the first row."""
    wb, ws = _workbook()
    ws.title = "ROS-analyse"
    ws.append(["Risiko- og sårbarhetsanalyse, reguleringsplan Sjøbakken"])
    ws.append(["Utarbeidet av Konsulent AS, 12.03.2016"])
    ws.append([])
    header1 = ["Nr", "Kategori", "Uønsket hendelse", "Årsaker", "Før tiltak", None, None, None, "Tiltak",
               "Etter tiltak", None, "Kommentar til saksbehandler"]
    header2 = [None, None, None, None, "S", "Liv og helse", "Økonomi", "Risiko", None, "S", "Økonomi", None]
    ws.append(header1)
    ws.append(header2)
    for rng in ("E4:H4", "J4:K4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "I4:I5", "L4:L5"):
        ws.merge_cells(rng)
    ws.append(["Naturhendelser"])
    ws.merge_cells("A6:L6")
    ws.append([1, "Natur", "Flom i Sjøbakken", "Mye nedbør", "1 gang per 20 år", "1 alvorlig skadd", "2,5 mill",
               None, "Flomvoll", 1, "150 000,-", "Sjekk NVE-kart"])
    ws.append([2, None, "Kvikkleireskred", "Grunnarbeid", "Middels (3)", 4, 3, None, "Geoteknisk vurdering",
               2, 2, None])
    ws.append([])
    ws.append(header1)
    ws.append(header2)
    ws.append(["Menneskelig svikt"])
    ws.append([3, "Teknisk", "Brann i boligfelt", None, "Høy", 3, "20 000", None, "Slukkevann", 3, 1, None])
    ws.append(["Merknad: tallene er hentet fra rapport 2015"])
    wb.save(folder / name)
    return folder / name


def nynorsk_helhetleg(folder: Path, name: str = "heilskapleg-ros.xlsx") -> Path:
    """Nynorsk helhetlig ROS: title rows, nynorsk headers, letters for probability, section rows."""
    wb, ws = _workbook()
    ws.title = "Hendingar"
    ws.append(["Heilskapleg risiko- og sårbarheitsanalyse"])
    ws.append(["Luster kommune"])
    ws.append(["ID", "Uønskt hending", "Skildring", "Sannsyn", "Liv og helse", "Tenesteproduksjon", "Omdøme",
               "Usikkerheit"])
    ws.append(["Naturhendingar"])
    ws.append(["N1", "Ekstremvêr", "Storm og nedbør", "D", "Ein viss fare", "stans i 3 døgn", 2, "Låg"])
    ws.append(["N2", "Skogbrann", None, "B", "Farleg", 1, "Kritisk", "Høg"])
    ws.append(["Tilsikta hendingar"])
    ws.append(["T1", "Dataangrep", "Løysepengevirus", "årleg", "Ufarleg", "3 veker", 4, "Middels"])
    wb.save(folder / name)
    return folder / name


def legend_sheet(folder: Path, name: str = "med-tegnforklaring.xlsx") -> Path:
    """A source with its own legend: "Kritisk" = 3 and "Farlig" = 4 (KMD 2011), probability on 1–4."""
    wb, ws = _workbook()
    ws.title = "Analyse"
    ws.append(["Hendelse", "Sannsynlighet", "Konsekvens"])
    ws.append(["Trafikkulykke", 4, "Kritisk"])
    ws.append(["Gasslekkasje", 2, "Farlig"])
    ws.append(["Strømbrudd", "Sannsynlig", "En viss fare"])
    legend = wb.create_sheet("Kriterier")
    legend.append(["Sannsynlighet"])
    for row in ([1, "Lite sannsynlig"], [2, "Mindre sannsynlig"], [3, "Sannsynlig"], [4, "Meget sannsynlig"]):
        legend.append(row)
    legend.append([])
    legend.append(["Konsekvens"])
    for row in ([1, "Ubetydelig"], [2, "En viss fare"], [3, "Kritisk"], [4, "Farlig"], [5, "Katastrofalt"]):
        legend.append(row)
    wb.save(folder / name)
    return folder / name


def several_sheets(folder: Path, name: str = "flere-ark.xlsx") -> Path:
    """One sheet per category, an overview sheet repeating them all, and a hidden helper sheet."""
    wb, overview = _workbook()
    overview.title = "Oversikt"
    sheets = {"Natur": [["Flom", 3, 4], ["Storm", 4, 2]], "Teknisk": [["Strømbrudd", 4, 3]]}
    overview.append(["Hendelse", "S", "K"])
    for category, rows in sheets.items():
        ws = wb.create_sheet(category)
        ws.append(["Hendelse", "S", "K"])
        for row in rows:
            ws.append(row)
            overview.append(row)
    helper = wb.create_sheet("Lister")
    helper.sheet_state = "hidden"
    helper.append(["Sannsynlighet", "Konsekvens"])
    for i in range(1, 6):
        helper.append([i, i])
    wb.save(folder / name)
    return folder / name


def matrix_only(folder: Path, name: str = "matrise.xlsx", transposed: bool = False) -> Path:
    """Ids typed into a 5 × 5 matrix; probability down the rows (5 at the top), or along the columns."""
    wb, ws = _workbook()
    ws.title = "Risikomatrise"
    ws.append(["Risikomatrise – hendelser plassert etter nummer"])
    ws.append([])
    placed = {(5, 2): "1", (3, 4): "2, 3", (1, 5): "4"}  # (probability, consequence): ids
    if not transposed:
        for p in range(5, 0, -1):
            ws.append([p, *[placed.get((p, k)) for k in range(1, 6)]])
        ws.append([None, 1, 2, 3, 4, 5])
        ws.append([None, "Konsekvens"])
    else:
        for k in range(5, 0, -1):
            ws.append([k, *[placed.get((p, k)) for p in range(1, 6)]])
        ws.append([None, 1, 2, 3, 4, 5])
        ws.append([None, "Sannsynlighet"])
    wb.save(folder / name)
    return folder / name


def matrix_words(folder: Path, name: str = "matrise-med-ord.xlsx") -> Path:
    """A matrix whose axes are words, not numbers: probability words down the rows (the most likely at
    the top), consequence words along the bottom, in the source's own spelling."""
    wb, ws = _workbook()
    ws.title = "Matrise"
    ws.append(["Risikomatrise for Fjordvik kommune"])
    likely = ["Svært sannsynlig", "Meget sannsynlig", "Sannsynlig", "Mindre sannsynlig", "Lite sannsynlig"]
    placed = {("Meget sannsynlig", "Farlig"): "H1", ("Lite sannsynlig", "Katastrofalt"): "H2 H3"}
    harms = ["Ufarlig", "En viss fare", "Farlig", "Kritisk", "Katastrofalt"]
    for p in likely:
        ws.append([p, *[placed.get((p, k)) for k in harms]])
    ws.append([None, *harms])
    wb.save(folder / name)
    return folder / name


def matrix_codes(folder: Path, name: str = "matrise-koder.xlsx") -> Path:
    """A matrix with "K5"…"K1" down the side and "S1"…"S5" along the top: the codes say which is which."""
    wb, ws = _workbook()
    ws.append([None, "S1", "S2", "S3", "S4", "S5"])
    placed = {(2, 5): "7", (4, 1): "8"}  # (probability, consequence): ids
    for k in range(5, 0, -1):
        ws.append([f"K{k}", *[placed.get((p, k)) for p in range(1, 6)]])
    wb.save(folder / name)
    return folder / name


def form_sheets(folder: Path, name: str = "skjema.xlsx") -> Path:
    """One scenario per sheet: labels in column A, values beside (first sheet) or below (second)."""
    wb, a = _workbook()
    a.title = "Hendelse 1"
    for row in (["Hendelse:", "Bortfall av drikkevatn"], ["Årsak:", "Forureining av kjelda"],
                ["Sannsynlighet:", "1 gang per 10 år"], ["Liv og helse:", "flere alvorlig skadde"],
                ["Tiltak:", "Reservevatn"], ["Ansvarlig:", "Teknisk etat"]):
        a.append(row)
    b = wb.create_sheet("Hendelse 2")
    rows: tuple[list[str | int], ...] = (["Hendelse"], ["Pandemi"], ["Sannsynlighet"], ["Lav"], ["Konsekvens"], [4],
                                        ["Tiltak"], ["Smittevernplan"])
    for cells in rows:
        b.append(cells)
    wb.save(folder / name)
    return folder / name


def colour_only(folder: Path, name: str = "fargekodet.xlsx") -> Path:
    """Risk given only as fill colours (orange for yellow), and a coloured score column by conditional format."""
    wb, ws = _workbook()
    ws.title = "ROS"
    ws.append(["Hendelse", "Risiko", "Tiltak"])
    for title, colour in (("Flom", RED), ("Storm", ORANGE), ("Snøskred", GREEN)):
        ws.append([title, None, "Vurderes"])
        ws.cell(ws.max_row, 2).fill = _fill(colour)
    cf = wb.create_sheet("Poeng")
    cf.append(["Tall", "Verdi"])
    for i, v in enumerate((2, 12, 6), start=2):
        cf.append([f"rad {i}", v])
    for operator, limit, colour in (("greaterThanOrEqual", "10", RED), ("lessThan", "5", GREEN)):
        rule = CellIsRule(operator=operator, formula=[limit], fill=_fill(colour))  # type: ignore[no-untyped-call]
        cf.conditional_formatting.add("B2:B4", rule)
    wb.save(folder / name)
    return folder / name


def risk_words(folder: Path, name: str = "risikoord.xlsx") -> Path:
    """Risk only as a word (4 levels, "Kritisk" beyond the criteria's zones), as S × K, or a combined cell."""
    wb, ws = _workbook()
    ws.title = "Risiko"
    ws.append(["Nr.", "Hendelse", "Risikonivå"])
    ws.append(["1", "Terror", "Kritisk"])
    ws.append(["2", "Ras", "Middels"])
    ws.append(["3", "Tunnelbrann", 20])
    ws.append(["4", "Isgang", "S:2 K:3"])
    ws.append(["5", "Lynnedslag", 8])
    wb.save(folder / name)
    return folder / name


def ambiguous_header(folder: Path, name: str = "tvetydig.xlsx") -> Path:
    """A column whose label fits two fields equally well, and a column no field fits."""
    wb, ws = _workbook()
    ws.append(["Hendelse", "Sannsynlighet", "Konsekvens", "Vurdering sannsynlighet/konsekvens", "Fargekode kommunen"])
    ws.append(["Isstorm", 2, 3, "usikker", "blå"])
    wb.save(folder / name)
    return folder / name


def semicolon_cp1252(folder: Path, name: str = "eksport-semikolon.csv") -> Path:
    """A ; separated Windows-1252 export with combined cells, money and frequency texts."""
    rows = ["Nr;Hendelse;Sannsynlighet;Økonomi;Risiko (S/K);Tiltak",
            "1;Vannlekkasje;hvert 10.-50. år;20 000,-;;Rørinspeksjon",
            "2;Brann i rådhus;;5 MNOK;S3 K4;Sprinkling",
            "3;Datatap;;;3/4;Backup",
            "4;Svikt i strøm;;;S:2 K:3;Aggregat"]
    path = folder / name
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def comma_bom_three_levels(folder: Path, name: str = "tre-nivaa.csv") -> Path:
    """A , separated UTF-8 file with BOM on a 3-level scale hinted in the headers."""
    rows = ["Hendelse,S (1-3),K (1-3),Tiltak", "Flom,3,2,Voll", "Brann,1,3,\"Røykvarsler, sprinkler\""]
    path = folder / name
    path.write_bytes("\ufeff".encode() + "\n".join(rows).encode("utf-8"))
    return path


def as_xlsm(source: Path, folder: Path) -> Path:
    """A copy of an .xlsx declared macro-enabled (.xlsm) as Excel saves one without macros."""
    target = folder / f"{source.stem}.xlsm"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(XLSX.encode(), XLSM.encode())
            zout.writestr(item, data)
    return target


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "two_row_header": two_row_header,
    "nynorsk": nynorsk_helhetleg,
    "legend": legend_sheet,
    "several_sheets": several_sheets,
    "matrix": matrix_only,
    "matrix_transposed": lambda folder: matrix_only(folder, "matrise-snudd.xlsx", transposed=True),
    "matrix_words": matrix_words,
    "matrix_codes": matrix_codes,
    "form": form_sheets,
    "colour_only": colour_only,
    "risk_words": risk_words,
    "ambiguous": ambiguous_header,
    "semicolon_cp1252": semicolon_cp1252,
    "comma_bom": comma_bom_three_levels,
}


def build_all(folder: Path) -> dict[str, Path]:
    """Every case in ``folder``, plus the .xlsm copy of the two-row header case."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: build(folder) for name, build in BUILDERS.items()}
    paths["xlsm"] = as_xlsm(paths["two_row_header"], folder)
    return paths
