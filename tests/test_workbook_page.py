"""The workbook's page and screen settings, read back with openpyxl (the rendered pages: test_workbook_print)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria import Criteria
from rosxl.workbook.classes import marker
from rosxl.workbook.criteria_sheet import criteria_block
from rosxl.workbook.layout import SHEET, layout_for
from rosxl.workbook.page import (
    FONT_NAME,
    MIN_PRINT_PT,
    fit_widths,
    page_breaks,
    printable,
    text_width,
    word_width,
    wrapped_lines,
)
from rosxl.workbook.write import criteria_widths, scenario_cells, scenario_row_height, write_workbook
from tests.engines import LANGUAGES, long_texts


def texts(ws: Worksheet) -> tuple[str | None, ...]:
    """Left and right of the page header, then of the footer."""
    header, footer = ws.HeaderFooter.oddHeader, ws.HeaderFooter.oddFooter
    assert header is not None and footer is not None
    return header.left.text, header.right.text, footer.left.text, footer.right.text


def test_wrapping_counts_lines_of_words() -> None:
    assert wrapped_lines("kort", 10) == 1
    assert wrapped_lines("en\nto\ntre", 40) == 3
    assert wrapped_lines("x" * 30, 10) == 4  # a word longer than the line is broken
    assert wrapped_lines("Plan-ROS etter KMD/DSBs veiledning (2011): 5 × 5, risiko = S × K", 22) == 4
    assert wrapped_lines("Uønsket hendelse", text_width("hendelse", bold=True), bold=True) == 2
    assert word_width(["Konsekvens: Tjenesteproduksjon"], bold=True) == text_width("Tjenesteproduksjon", bold=True)


def test_columns_fit_header_words_and_zone_labels(standard: Criteria) -> None:
    for language in LANGUAGES:
        layout = layout_for(standard, language)
        widest_zone = max(text_width(z.label(language), bold=True) for z in standard.zones)
        for col in layout.columns:
            if not col.hidden:
                assert col.width >= word_width([col.header], bold=True), col.header
            if not col.hidden and col.kind in ("zone", "overall"):
                assert col.width >= widest_zone, col.header


def test_print_setup_and_page_headers(tmp_path: Path, standard: Criteria) -> None:
    analysis = long_texts()
    analysis.metadata["title"] = "ROS for Sogndal & Leikanger"
    wb = load_workbook(write_workbook(analysis, tmp_path / "a.xlsx"))
    for ws in wb.worksheets[:4]:
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation == "landscape") == (9, ws.title != "Veiledning"), ws.title
        fit = ws.sheet_properties.pageSetUpPr
        assert (setup.scale or 100) * 10 >= MIN_PRINT_PT * 100 and fit is not None and not fit.fitToPage
        assert texts(ws) == ("ROS for Sogndal && Leikanger", "&A", "Skrevet ut &D", "Side &P av &N")
    scenarios = wb[SHEET]
    assert scenarios.print_title_rows == "$1:$1" and scenarios.print_title_cols == "$A:$C"
    assert scenarios.freeze_panes == "D2"
    assert scenarios["A2"].font.name == FONT_NAME and scenarios["A1"].font.name == FONT_NAME
    layout = layout_for(standard)
    assert scenarios.row_dimensions[2].height > 100  # the long description wraps over many lines
    assert scenarios.row_dimensions[3].height is None  # «Kort» fits one line
    assert scenarios.cell(2, layout["review"].index).alignment.wrap_text
    criteria = wb["Kriterier"]
    amounts = [c for row in criteria.iter_rows() for c in row if isinstance(c.value, int | float) and c.value >= 1000]
    assert amounts and all(c.number_format == "#,##0" for c in amounts)


def test_empty_template_keeps_the_default_title(tmp_path: Path, standard: Criteria) -> None:
    ws = load_workbook(write_workbook(Analysis(standard), tmp_path / "t.xlsx", language="nn")).worksheets[0]
    assert texts(ws) == ("Risiko- og sårbarheitsanalyse (ROS)", "&A", "Skrive ut &D", "Side &P av &N")


def test_widths_go_where_they_save_lines() -> None:
    long = "svært liten; svært lita; svært usannsynlig; usannsynlig; lite sannsynlig; meget lav; sjelden"
    rows: list[list[tuple[str, bool] | None]] = [[("1", False), (long, False), ("x", False)],
                                                 [("2", False), (long, False), None]]
    widths = fit_widths(rows, [3, 8, 3], 60)
    assert widths[0] == 3 and widths[2] == 3 and widths[1] > 40  # the list gets the room, the others none
    assert sum(widths) <= 60 and all(w >= m for w, m in zip(widths, [3, 8, 3], strict=True))


def test_a_part_that_would_cross_a_page_starts_the_next() -> None:
    heights = [15.0] * 30
    assert page_breaks(heights, [0, 10, 20], 440) == [20]  # rows 20–29 do not fit after 300 points
    assert page_breaks(heights, [0, 10, 20], 440, blank={29}) == []  # a trailing blank row may fall off
    assert page_breaks(heights, [0], 100) == [6, 12, 18, 24]  # a long part breaks where a page is full


def test_criteria_columns_share_the_page(standard: Criteria) -> None:
    for language in LANGUAGES:
        block = criteria_block(standard, language)
        widths = criteria_widths(block, language)
        assert sum(widths[:7]) <= printable(landscape=True, scale=85)[0]
        zone = max(text_width(z.label(language), bold=True) for z in standard.zones)
        assert all(widths[i] >= zone for m in block.places.matrices for i in range(m.left, m.left + m.columns))


def test_a_row_with_a_raw_fact_is_high_enough_for_the_marker(standard: Criteria) -> None:
    layout = layout_for(standard)
    s = assess_scenario(Scenario(id="R", title="Rå", raw={"probability": "1 gang per 20 år"}), standard)
    height = scenario_row_height(scenario_cells(s, layout), layout)
    lines = wrapped_lines(marker(standard, "nb"), layout.overall("before").width, bold=True)
    assert lines > 1 and height is not None and height >= 12.75 * lines
