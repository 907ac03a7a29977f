"""Two independent engines agree with rosxl: Gnumeric and LibreOffice recalculate every sample workbook.

The samples (:func:`tests.engines.sample_workbooks`) are the shipped templates, the converted legacy
examples, every preset filled in bokmål and nynorsk, and a workbook with long texts. Every zone,
score and risk-matrix cell each engine computes must equal what rosxl reads and assesses in Python.
Gnumeric recalculates even when a file holds cached values; LibreOffice does with the tests' profile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines import compare, expected_cells, gnumeric_recalculate, sample_workbooks
from tests.libreoffice import convert

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return sample_workbooks(tmp_path_factory.mktemp("prøver"))


def check(samples: list[Path], recalculated: list[Path]) -> None:
    wrong: list[str] = []
    filled = 0
    for source, result in zip(samples, recalculated, strict=True):
        expected = expected_cells(source)
        filled += any(v is not None for v in expected.values())
        wrong += compare(result, expected)
    assert not wrong, "\n".join(wrong[:20])
    assert filled >= 16  # all but the colour-coded example (zones without classes) compute something


def test_gnumeric_agrees_with_rosxl(samples: list[Path], tmp_path: Path) -> None:
    check(samples, gnumeric_recalculate(samples, tmp_path / "gnumeric"))


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_rosxl(samples: list[Path], tmp_path: Path) -> None:
    check(samples, convert(samples, "xlsx:Calc MS Excel 2007 XML", tmp_path / "libreoffice"))
