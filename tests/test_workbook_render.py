"""The zone colours as printed: LibreOffice renders Scenarier and Risikomatrise to PDF and PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria import Criteria
from rosxl.workbook.write import write_workbook
from tests.engines import pdf_words
from tests.libreoffice import render_png

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def count(page: Path, colour: str, tolerance: int = 12) -> int:
    """Pixels of ``page`` within ``tolerance`` of the colour ``RRGGBB``."""
    want = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    image = Image.open(page).convert("RGB")
    return sum(n for n, rgb in image.getcolors(maxcolors=1 << 20) or []
               if isinstance(rgb, tuple) and all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True)))


def test_zone_cells_carry_zone_colours(tmp_path: Path, standard: Criteria) -> None:
    # one green and one yellow scenario, nothing red: red pixels on Scenarier would be a false colour
    scenarios = [assess_scenario(Scenario(id="N1", title="Flom", probability=1,
                                          consequences=dict.fromkeys(standard.area_keys, 2)), standard),
                 assess_scenario(Scenario(id="N2", title="Storm", probability=3,
                                          consequences=dict.fromkeys(standard.area_keys, 2)), standard)]
    path = write_workbook(Analysis(standard, scenarios), tmp_path / "farger.xlsx")
    wb = load_workbook(path)
    for name in ("Veiledning", "Kriterier"):  # hidden (LibreOffice still prints Kriterier's print area)
        wb[name].sheet_state = "hidden"
    wb.save(path)
    pages = render_png(path, tmp_path / "png", dpi=110)
    sheets = [page.sheet for page in pdf_words(tmp_path / "png" / "farger.pdf")]  # from each page's header
    scenario_pages = [png for png, sheet in zip(pages, sheets, strict=True) if sheet == "Scenarier"]
    (matrix_page,) = [png for png, sheet in zip(pages, sheets, strict=True) if sheet == "Risikomatrise"]
    assert len(scenario_pages) >= 3  # the wide table takes several A4 pages across
    green, yellow, red = (standard.zone_def(z).colour for z in ("green", "yellow", "red"))
    assert sum(count(page, green) for page in scenario_pages) > 100
    assert sum(count(page, yellow) for page in scenario_pages) > 100
    assert sum(count(page, red) for page in scenario_pages) == 0
    for colour in (green, yellow, red):  # the matrix is coloured whether or not a cell holds ids
        assert count(matrix_page, colour) > 2000
