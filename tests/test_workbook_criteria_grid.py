"""The Kriterier block: criteria → grid → criteria is lossless, also as Excel hands it over."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import pytest

from rosxl.criteria import Criteria, list_presets, load_criteria
from rosxl.errors import CriteriaError
from rosxl.workbook.criteria_sheet import criteria_block, criteria_from_grid, criteria_to_grid

PRESETS = [p.name for p in list_presets()]


def as_excel(grid: Sequence[Sequence[object]], extra_rows: int = 3, extra_columns: int = 2) -> list[list[object]]:
    """The block as an xlwings range value: numbers as floats, trailing empty rows and columns."""
    width = max(len(r) for r in grid) + extra_columns
    rows = [[float(c) if isinstance(c, int) else c for c in r] + [None] * (width - len(r)) for r in grid]
    return rows + [[None] * width for _ in range(extra_rows)]


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("name", PRESETS)
def test_round_trip(name: str, language: str) -> None:
    c = load_criteria(name)
    grid = criteria_to_grid(c, language)  # type: ignore[arg-type]
    assert criteria_from_grid(grid) == c
    assert criteria_from_grid(as_excel(grid)) == c


def test_round_trip_keeps_decision_and_rules(luster: Criteria) -> None:
    c = dataclasses.replace(luster, provenance=dataclasses.replace(luster.provenance,
                                                                  decision="Kommunestyret, sak 12/13, 2013-03-21"))
    back = criteria_from_grid(as_excel(criteria_to_grid(c, "nb")))
    assert back.provenance.decision == "Kommunestyret, sak 12/13, 2013-03-21"
    assert back.area("liv_og_helse").classes[3].casualties == c.area("liv_og_helse").classes[3].casualties
    assert math.isinf(back.probability[-1].band.high)  # type: ignore[union-attr]


def test_labels_in_chosen_written_form_first(luster: Criteria) -> None:
    nn = criteria_to_grid(luster, "nn")
    nb = criteria_to_grid(luster, "nb")
    assert nn[0][0] == "Om kriteria" and nb[0][0] == "Om kriteriene"
    cells_nn = {c for row in nn for c in row}
    assert "Raud – uakseptabel" in cells_nn
    zone_row = next(r for r in nb if r[0] == "red")
    assert zone_row[1] == "Rød – uakseptabel" and zone_row[4] == "Raud – uakseptabel"


def test_edited_matrix_cell_changes_zone(standard: Criteria) -> None:
    block = criteria_block(standard, "nb")
    m = block.places.matrices[0]
    grid = [list(r) for r in block.grid]
    grid[m.top + m.rows - 1][m.left] = "red"  # probability 1, consequence 1
    assert criteria_from_grid(grid).zone(1, 1) == "red"
    grid[m.top + m.rows - 1][m.left] = "Gul – tolerabel"  # a zone may be named by its label too
    assert criteria_from_grid(grid).zone(1, 1) == "yellow"


def test_places_point_at_the_cells(standard: Criteria) -> None:
    block = criteria_block(standard, "nb")
    p = block.places
    assert [block.grid[r][p.zone_label_column] for r in p.zone_rows] == [z.label.nb for z in standard.zones]
    assert block.grid[p.score[0]][p.score[1]] == "product"
    first, last = p.probability_rows
    assert [block.grid[r][p.class_column] for r in range(first, last + 1)] == [1, 2, 3, 4, 5]


def test_bad_number_names_row(standard: Criteria) -> None:
    grid = criteria_to_grid(standard, "nb")
    row = next(i for i, r in enumerate(grid) if r[0] == 3 and isinstance(r[3], float))
    grid[row][3] = "mye"
    with pytest.raises(CriteriaError) as err:
        criteria_from_grid(grid)
    assert err.value.row == row + 1 and err.value.sheet == "Kriterier"


def test_missing_block_is_an_error() -> None:
    with pytest.raises(CriteriaError):
        criteria_from_grid([[None, None], ["tull", 1]])
