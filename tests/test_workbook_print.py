"""The workbook on paper: LibreOffice prints the samples to PDF, and every page is read word by word.

On every page no two words overlap (a row too low for its wrapped text), no word crosses the page
edge, and no text is smaller than 8 pt (a word's box is about 1.3 × the font size high). On the
Scenarier pages every header word and every zone label the file shows appear whole: LibreOffice
writes only the glyphs a cell shows, so a cut header («Sannsynligh», «et») or a clipped zone
(«Rød – uakseptab») is missing as a word. On Kriterier no section title ends a page (its table on
the next), each zone matrix prints whole on one page, and the sheet keeps to a few pages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.criteria_sheet import criteria_block, row_roles
from rosxl.workbook.layout import SHEET
from rosxl.workbook.read import read_workbook
from rosxl.workbook.write import GUIDE_SHEET, MATRIX_SHEET, write_workbook
from tests.engines import Page, Word, expected_cells, filled, pdf_words, sample_workbooks
from tests.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

MIN_PT = 8.0
MARGIN = 45  # points of a page's top and bottom that its header and footer take
#: Most pages a sheet takes (Kriterier of every preset, in either written form); Risikomatrise: one a matrix.
MOST_PAGES = {GUIDE_SHEET: 1, CRITERIA_SHEET: 6}
BOX = 1.3  # a word box's height per point of font size (pdftotext -bbox)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, list[Page]]:
    """Each sample workbook and the pages of its PDF."""
    src = tmp_path_factory.mktemp("utskrift")
    paths = sample_workbooks(src, presets=False)
    paths.append(write_workbook(filled("luster-2013"), src / "fylt-luster-nn.xlsx", language="nn"))
    pdfs = convert(paths, "pdf", tmp_path_factory.mktemp("pdf"))
    return {path: pdf_words(pdf) for path, pdf in zip(paths, pdfs, strict=True)}


def overlapping(words: tuple[Word, ...]) -> list[str]:
    """Pairs of words whose boxes overlap by more than a third of a line (lines of a cell touch, no more)."""
    found = []
    ordered = sorted(words, key=lambda w: w.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1 - 0.5:
                break
            high = min(a.y1, b.y1) - max(a.y0, b.y0)
            if high > min(a.height, b.height) / 3:
                found.append(f"«{a.text}» and «{b.text}» at ({a.x0:.0f}, {a.y0:.0f})")
    return found


def test_no_words_overlap_or_leave_the_page(printed: dict[Path, list[Page]]) -> None:
    problems = []
    for path, pages in printed.items():
        for n, page in enumerate(pages, start=1):
            where = f"{path.name} p. {n} ({page.sheet})"
            problems += [f"{where}: {pair}" for pair in overlapping(page.words)]
            problems += [f"{where}: «{w.text}» crosses the edge" for w in page.words
                         if w.x0 < 0 or w.y0 < 0 or w.x1 > page.width or w.y1 > page.height]
    assert not problems, "\n".join(problems[:20])


def test_text_is_at_least_8_pt(printed: dict[Path, list[Page]]) -> None:
    small = [f"{path.name} p. {n}: «{w.text}» {w.height / BOX:.1f} pt" for path, pages in printed.items()
             for n, page in enumerate(pages, start=1) for w in page.words if w.height < MIN_PT * BOX - 0.1]
    assert not small, "\n".join(small[:20])


def test_scenario_headers_and_zones_print_whole(printed: dict[Path, list[Page]]) -> None:
    missing = []
    for path, pages in printed.items():
        words = {w.text for page in pages if page.sheet == SHEET for w in page.words}
        layout = read_workbook(path).layout
        wanted = {w for c in layout.columns if not c.hidden for w in c.header.split()}
        wanted |= {w for key, value in expected_cells(path).items() if key.startswith(f"{SHEET}!") and
                   isinstance(value, str) for w in value.split()}
        missing += [f"{path.name}: «{w}»" for w in sorted(wanted - words)]
    assert not missing, "\n".join(missing[:20])


def test_every_sheet_is_printed_landscape_but_the_guide(printed: dict[Path, list[Page]]) -> None:
    sheets = {GUIDE_SHEET: False, CRITERIA_SHEET: True, SHEET: True, MATRIX_SHEET: True}
    for path, pages in printed.items():
        found = {page.sheet: page.width > page.height for page in pages if page.sheet in sheets}
        assert found == sheets, path.name


def lines(page: Page) -> list[str]:
    """The page's lines of text between header and footer, top to bottom (words of about one height)."""
    rows: dict[int, list[Word]] = {}
    for w in page.words:
        if w.y0 > MARGIN and w.y1 < page.height - MARGIN:
            rows.setdefault(round(w.y0 / 4), []).append(w)
    return [" ".join(w.text for w in sorted(rows[k], key=lambda w: w.x0)) for k in sorted(rows)]


def test_criteria_sections_and_matrices_stay_on_one_page(printed: dict[Path, list[Page]]) -> None:
    problems = []
    for path, pages in printed.items():
        layout = read_workbook(path).layout
        grid = criteria_block(layout.criteria, layout.language).grid
        titles = {str(r[0]) for r, role in zip(grid, row_roles(grid), strict=True) if role == "title"}
        sheet = [page for page in pages if page.sheet == CRITERIA_SHEET]
        problems += [f"{path.name} p. {n}: «{lines(page)[-1]}» ends the page" for n, page in enumerate(sheet, 1)
                     if lines(page) and lines(page)[-1] in titles]
        for m in layout.criteria.matrices:  # the words of all its zone cells on one page
            cells = Counter(w for row in m.rows for z in row for w in layout.criteria.zone_def(z).label(
                layout.language).split())
            if not any(Counter(w.text for w in page.words) >= cells for page in sheet):
                problems.append(f"{path.name}: zone matrix «{m.key}» is split across pages")
    assert not problems, "\n".join(problems)


def test_sheets_keep_to_their_pages(printed: dict[Path, list[Page]]) -> None:
    for path, pages in printed.items():
        count = Counter(page.sheet for page in pages)
        assert set(count) == {GUIDE_SHEET, CRITERIA_SHEET, SHEET, MATRIX_SHEET}, (path.name, count)  # xlwings.conf
        most = {**MOST_PAGES, MATRIX_SHEET: len(read_workbook(path).layout.criteria.matrices)}
        assert all(count[sheet] <= pages for sheet, pages in most.items()), (path.name, count)


def test_small_analyses_print_no_empty_table_pages(printed: dict[Path, list[Page]]) -> None:
    """A table of a few one-line scenarios fits one band of pages: every Scenarier page shows the first
    id (the id column repeats on every page), so no page holds only the header and spare rows.
    (Tall rows can still push the spare rows onto a second band: see the closing note of issue 12.)"""
    checked = 0
    for path, pages in printed.items():
        scenarios = read_workbook(path).analysis.scenarios
        if not 0 < len(scenarios) <= 10 or not scenarios[0].id:
            continue
        heights = load_workbook(path)[SHEET].row_dimensions
        if any((heights[r].height or 0) > 2 * 15 for r in range(2, 2 + len(scenarios))):
            continue
        first = scenarios[0].id
        table = [page for page in pages if page.sheet == SHEET]
        assert all(any(w.text == first for w in page.words) for page in table), (path.name, len(table))
        checked += 1
    assert checked >= 3
