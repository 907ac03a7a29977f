"""``rosxl report``: the Risikobilde read back with python-docx (titles, matrix colours and ids,
sorted measures plan, built-in heading styles, Norwegian only) and, slow, as PDF via LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table

import rosxl
from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.cli import cli
from rosxl.criteria import Criteria
from rosxl.criteria.model import Language
from rosxl.errors import OutputRefusedError
from rosxl.fields import BY_PATH, TEXT_PATHS, sheet_fields
from rosxl.risikobilde import ReportError, docx_to_pdf, write_report
from rosxl.risikobilde.document import deadline_key, matrix_cell
from rosxl.risikobilde.word import cell_fill
from rosxl.workbook.page import FONT_NAME
from tests.libreoffice import requires_libreoffice

TODAY = dt.date(2026, 6, 1)
#: Built-in styles the report may use; Word shows «Overskrift 1» etc. in Norwegian.
BUILT_IN = {"Normal", "Title", "Heading 1", "Heading 2", "TOC Heading", "List Bullet"}
ENGLISH_KEYS = re.compile(r"\b(red|yellow|green|liv_og_helse|okonomi|miljo|tjenester_b|omdomme|samlet|"
                          r"probability|consequences?|residual|measures|deadline|uncertainty|hoy|None)\b")


def analysis_for(criteria: Criteria, n: int = 8) -> Analysis:
    """``n`` scenarios spread over the matrix, with measures, deadlines, raw facts and residual risk."""
    scenarios = []
    areas = criteria.area_keys
    for i in range(n):
        p, k = i % 5 + 1, (i * 3) % 5 + 1
        s = Scenario(id=f"S{i + 1}", title=f"Hendelse nummer {i + 1} – «{criteria.areas[i % len(areas)].label.nb}»",
                     category="Natur" if i % 2 else "Teknisk", description=f"Beskrivelse {i + 1}", probability=p,
                     consequences={areas[i % len(areas)]: k, areas[(i + 1) % len(areas)]: (k % 5) + 1},
                     uncertainty=("lav", "middels", "hoy")[i % 3], measures=f"Tiltak {i + 1}" if i % 4 else None,
                     responsible="Beredskapskoordinator", deadline=f"2026-{12 - i % 12:02d}-01" if i % 3 else None,
                     status="Utført" if i == 5 else "Påbegynt",
                     residual=Residual(max(1, p - 1), {areas[i % len(areas)]: max(1, k - 1)}))
        if i == 1:
            s.raw = {"probability": "1 gang per 20 år"}
            s.probability_basis = "Historikk fra NVE"
        scenarios.append(assess_scenario(s, criteria))
    scenarios.append(assess_scenario(Scenario(id="U1", title="Uten vurdering"), criteria))
    return Analysis(criteria, scenarios, {"title": "Helhetlig ROS 2026", "kommune": "Testvik kommune"})


def build(analysis: Analysis, tmp_path: Path, language: str = "nb", **options: object) -> Document:
    out = write_report(analysis, tmp_path / "risikobilde.docx", today=TODAY, language=language,  # type: ignore[arg-type]
                       **options)  # type: ignore[arg-type]
    return docx.Document(str(out))


def all_text(doc: Document) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [cell.text for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def matrix_tables(doc: Document) -> list[Table]:
    return [t for t in doc.tables if t.rows[0].cells[0].text.startswith(("Sannsynlighet \\", "Sannsyn \\"))]


@pytest.fixture(params=["standard", "luster-2013"])
def criteria(request: pytest.FixtureRequest) -> Criteria:
    return rosxl.load_criteria(request.param)


def test_every_scenario_title_is_a_heading_2(criteria: Criteria, tmp_path: Path) -> None:
    a = analysis_for(criteria)
    doc = build(a, tmp_path)
    headings = {p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"}
    for s in a.scenarios:
        assert f"{s.id} {s.title}" in headings


def test_headings_use_built_in_styles_in_the_issue_order(criteria: Criteria, tmp_path: Path) -> None:
    doc = build(analysis_for(criteria), tmp_path)
    used = {p.style.name for p in doc.paragraphs if p.style is not None}
    assert used <= BUILT_IN
    chapters = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert chapters == ["Sammendrag", "Risikomatriser", "Akseptkriterier", "Hendelsene rangert", "Hendelsene",
                        "Tiltaksplan", "Vedlegg: Funn fra kontrollen"]
    xml = doc.element.xml
    assert 'TOC \\o "1-1"' in xml and " PAGE " in doc.sections[0].footer._element.xml
    assert all(p.style is not None and p.style.name.startswith("Heading") for p in doc.paragraphs
               if p.runs and p.runs[0].bold and len(p.runs) == 1 and p.text in chapters)


def test_matrix_cells_are_shaded_by_zone_and_hold_the_right_ids(criteria: Criteria, tmp_path: Path) -> None:
    a = analysis_for(criteria, n=20)
    doc = build(a, tmp_path)
    tables = matrix_tables(doc)
    plan = [(m, False) for m in criteria.matrices] + [(m, True) for m in criteria.matrices]
    assert len(tables) == len(plan) == 2 * len(criteria.matrices)
    n_p, n_k = criteria.probability_levels, criteria.consequence_levels_count
    for table, (m, residual) in zip(tables, plan, strict=True):
        expected: dict[tuple[int, int], set[str]] = {}
        for s in a.scenarios:
            at = matrix_cell(s, m, residual)
            if at:
                expected.setdefault(at, set()).add(s.id or "")
        for i, row in enumerate(table.rows[1:]):
            p = n_p - i  # highest probability on top
            assert row.cells[0].text.startswith(f"{p} ")
            for k in range(1, n_k + 1):
                cell = row.cells[k]
                assert cell_fill(cell) == criteria.zone_def(m.zone(p, k)).colour.upper()
                shown = {x for x in cell.text.split(", ") if x}
                assert shown == expected.get((p, k), set()), (m.key, residual, p, k)


def test_a_crowded_cell_shows_fifteen_ids_and_the_rest_as_a_count(standard: Criteria, tmp_path: Path) -> None:
    crowd = [assess_scenario(Scenario(id=f"K{i}", title=f"Hendelse {i}", probability=3, consequences={"okonomi": 3}),
                             standard) for i in range(40)]
    table = matrix_tables(build(Analysis(standard, crowd), tmp_path))[0]
    cell = table.rows[1 + standard.probability_levels - 3].cells[3]
    assert cell.text == ", ".join(f"K{i}" for i in range(15)) + " (+25)"


def test_summary_names_forty_red_events_in_rank_order(standard: Criteria, tmp_path: Path) -> None:
    red = [assess_scenario(Scenario(id=f"R{i}", title="Brann", probability=5, consequences={"okonomi": 5 - i % 2}),
                           standard) for i in range(50)]
    doc = build(Analysis(standard, red), tmp_path)
    bullets = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "List Bullet"][:40]
    assert bullets == [f"R{i} Brann" for i in range(0, 50, 2)] + [f"R{i} Brann" for i in range(1, 30, 2)]
    assert "… og 10 til; alle står i rangeringen." in [p.text for p in doc.paragraphs]


def test_measures_plan_sorted_and_overdue_marked(standard: Criteria, tmp_path: Path) -> None:
    a = analysis_for(standard, n=12)
    doc = build(a, tmp_path)
    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "Frist" and len(t.columns) == 6)
    rows = [[c.text for c in r.cells] for r in plan.rows[1:]]
    with_measures = [s for s in a.scenarios if s.measures]
    assert [r[1] for r in rows] == [s.id for s in sorted(with_measures, key=deadline_key)]
    for row in rows:
        s = next(x for x in a.scenarios if x.id == row[1])
        overdue = s.deadline is not None and s.deadline < TODAY.isoformat() and s.status != "Utført"
        assert row[0].endswith("(forfalt)") == overdue
        assert row[0].startswith(s.deadline or "uten frist")
    assert any(r[0].endswith("(forfalt)") for r in rows)


def test_docx_is_valid_open_xml(luster: Criteria, tmp_path: Path,
                                 assert_valid_docx: Callable[[Path | str], None]) -> None:
    """The Open XML SDK's rules (openxml-audit): element order in table, cell and settings
    properties, and no stale stylesWithEffects part, so Word opens the file without repairing it."""
    out = write_report(analysis_for(luster, n=12), tmp_path / "r.docx", today=TODAY)
    assert_valid_docx(out)


def test_every_style_is_in_the_workbook_font_not_the_theme(standard: Criteria, tmp_path: Path) -> None:
    """python-docx's template takes Cambria (serif) for text and Calibri for headings from its theme;
    the report names Arial for all, as the workbook does (the code style keeps Courier)."""
    doc = build(analysis_for(standard), tmp_path)
    fonts = list(doc.styles.element.iter(qn("w:rFonts")))
    assert fonts and not any(f.get(qn(f"w:{a}")) for f in fonts for a in ("asciiTheme", "hAnsiTheme", "cstheme"))
    assert {f.get(qn("w:ascii")) for f in fonts} == {FONT_NAME, "Courier"}
    assert doc.styles["Normal"].font.name is None  # from the document defaults, which name it
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:hAnsi")) == FONT_NAME


def test_title_page_summary_and_sections(standard: Criteria, tmp_path: Path) -> None:
    a = analysis_for(standard)
    doc = build(a, tmp_path, kommune="Luster kommune", title="Risikobilde 2026")
    text = all_text(doc)
    assert "Luster kommune" in text and "Risikobilde 2026" in text and "1. juni 2026" in text
    assert standard.title.nb in text and "ikke registrert" in text  # no vedtak in the preset
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "Sone")
    counts = {r.cells[0].text: (int(r.cells[1].text), int(r.cells[2].text)) for r in summary.rows[1:]}
    for z in standard.zones:
        assert counts[z.label.nb] == (sum(1 for s in a.scenarios if s.zone == z.key),
                                      sum(1 for s in a.scenarios if (s.residual.zone or s.zone) == z.key))
    assert counts["Ikke vurdert"] == (1, 1)
    bullets = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    for s in a.scenarios:
        if s.zone == "red":
            assert f"{s.id} {s.title}" in bullets
    assert "2 Lav (opprinnelig «1 gang per 20 år»); grunnlag: Historikk fra NVE" in text
    assert "kriteriene mangler vedtak (hvem vedtok dem, og når)" in bullets  # the check appendix
    assert not ENGLISH_KEYS.search(text), ENGLISH_KEYS.search(text)


def test_nynorsk(luster: Criteria, tmp_path: Path) -> None:
    doc = build(analysis_for(luster), tmp_path, language="nn")
    text = all_text(doc)
    chapters = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert chapters[0] == "Samandrag" and "Hendingane rangerte" in chapters
    assert "Sannsyn \\ Konsekvens" in text and "Sammendrag" not in text and "Beskrivelse" not in text.split("\n")
    assert not ENGLISH_KEYS.search(text)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_text_field_is_a_row_headed_as_on_the_sheet(standard: Criteria, tmp_path: Path,
                                                          language: Language) -> None:
    """The field table gives a scenario's rows, in its order, headed as on the Scenarier sheet (a choice by its
    word; the id and title stand in the scenario's heading, the basis beside the probability); the measures
    plan heads its columns alike."""
    values = {p: BY_PATH[p].choices[0].key if BY_PATH[p].choices else f"verdi {p}" for p in TEXT_PATHS}
    doc = build(Analysis(standard, [assess_scenario(Scenario.from_dict(values), standard)]), tmp_path, language)
    rows = next({r.cells[0].text: r.cells[1].text for r in t.rows} for t in doc.tables
                if len(t.columns) == 2 and any(r.cells[1].text == "verdi causes" for r in t.rows))
    shown = [f for place in ("start", "assessment") for f in sheet_fields(place) if f.path not in ("id", "title")]
    assert [label for label in rows if label in {f.header(language) for f in shown}] == \
        [f.header(language) for f in shown]
    for f in shown:
        assert rows[f.header(language)] == (f.choice_label(values[f.path], language) or values[f.path])
    probability = "Sannsyn" if language == "nn" else "Sannsynlighet"
    assert all(rows[probability].endswith(f"grunnlag: {values[f.path]}") for f in sheet_fields("basis"))
    plan = next(t for t in doc.tables if len(t.columns) == 6 and t.rows[0].cells[0].text == "Frist")
    assert [c.text for c in plan.rows[0].cells][3:] == [BY_PATH[p].header(language)
                                                         for p in ("measures", "responsible", "status")]


def test_zone_keys_in_review_notes_are_shown_as_labels(standard: Criteria, tmp_path: Path) -> None:
    s = assess_scenario(Scenario(id="1", title="Flom", review=["sonen «red» er tatt fra kilden"]), standard)
    text = all_text(build(Analysis(standard, [s]), tmp_path))
    assert "sonen «Rød – uakseptabel» er tatt fra kilden" in text and "«red»" not in text


def test_cli_report_docx_and_refusals(standard: Criteria, tmp_path: Path) -> None:
    book = tmp_path / "analyse.xlsx"
    rosxl.write_workbook(analysis_for(standard), book)
    before = book.read_bytes()
    out = tmp_path / "ut" / "risikobilde.docx"
    result = CliRunner().invoke(cli, ["report", str(book), "-o", str(out), "--kommune", "Testvik kommune"])
    assert result.exit_code == 0, result.output
    assert "Testvik kommune" in all_text(docx.Document(str(out)))
    again = CliRunner().invoke(cli, ["report", str(book), "-o", str(out)])
    assert again.exit_code == 1 and "finnes fra før" in again.output
    same = CliRunner().invoke(cli, ["report", str(book), "-o", str(book.with_suffix(".docx")), "--overwrite"])
    assert same.exit_code == 0
    wrong = CliRunner().invoke(cli, ["report", str(book), "-o", str(tmp_path / "x.txt")])
    assert wrong.exit_code == 1 and "kan skrives som .docx eller .pdf" in wrong.output
    assert book.read_bytes() == before


def test_output_that_is_the_input_is_refused(standard: Criteria, tmp_path: Path) -> None:
    doc = tmp_path / "risikobilde.docx"
    doc.write_bytes(b"x")
    with pytest.raises(OutputRefusedError) as refused:
        write_report(doc, doc, overwrite=True)
    assert refused.value.code == "output-is-input"
    assert doc.read_bytes() == b"x"


def test_missing_libreoffice_is_a_coded_refusal(standard: Criteria, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReportError) as err:
        write_report(analysis_for(standard), tmp_path / "r.pdf")
    assert err.value.code == "libreoffice-missing" and "LibreOffice" in str(err.value)
    assert not list(tmp_path.iterdir())


def test_libreoffice_hanging_is_stopped_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(cmd: list[str], **kwargs: object) -> None:
        assert kwargs["timeout"] == 5 and "--headless" in cmd and cmd[1].startswith("-env:UserInstallation=file://")
        raise subprocess.TimeoutExpired(cmd, 5)

    monkeypatch.setattr("rosxl.risikobilde.shutil.which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr("rosxl.risikobilde.subprocess.run", hang)
    docx_file = tmp_path / "r.docx"
    docx_file.write_bytes(b"x")
    with pytest.raises(ReportError) as err:
        docx_to_pdf(docx_file, tmp_path, timeout=5)
    assert err.value.code == "libreoffice-failed" and "5 sekunder" in str(err.value)
    assert rosxl.write_report is write_report


@pytest.mark.slow
@pytest.mark.libreoffice
@requires_libreoffice
def test_pdf_has_every_title_and_a_sensible_page_count(standard: Criteria, tmp_path: Path) -> None:
    a = analysis_for(standard, n=15)
    pdf = write_report(a, tmp_path / "risikobilde.pdf", today=TODAY, language="nb")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for s in a.scenarios:
        assert f"{s.id} {s.title}" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    assert 8 <= pages <= 8 + len(a.scenarios) // 2
    assert "Side 3" in flat and "Sammendrag" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSans" in fonts and "Serif" not in fonts  # Arial's metric twin throughout
