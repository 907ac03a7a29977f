"""The workbook on paper: LibreOffice prints the samples to PDF, and every page is read word by word.

On every page no two words overlap (a row too low for its wrapped text), no word crosses the page
edge, and no text is smaller than 8 pt (a word's box is about 1.3 × the font size high). On the
Scenarier pages every header word and every zone label the file shows appear whole: LibreOffice
writes only the glyphs a cell shows, so a cut header («Sannsynligh», «et») or a clipped zone
(«Rød – uakseptab») is missing as a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.layout import SHEET
from rosxl.workbook.read import read_workbook
from rosxl.workbook.write import GUIDE_SHEET, MATRIX_SHEET, write_workbook
from tests.engines import Page, Word, expected_cells, filled, pdf_words, sample_workbooks
from tests.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

MIN_PT = 8.0
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
