"""Fuzzing the guard, the readers and the layout detection: only rosxl's own errors may escape.

Three kinds of input: arbitrary bytes under every extension; good corpus files with bytes
flipped or cut off (mostly stopped by the guard's CRC and size checks); and good files whose
*decompressed* XML is mutated and re-zipped with correct checksums, so that the mutants pass the
zip checks and reach calamine and the layout detection.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import hostile as hc
from rosxl.conversion.layout import detect
from rosxl.conversion.pipeline import convert
from rosxl.conversion.read import read_book
from rosxl.criteria import Criteria
from rosxl.errors import RosxlError

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOOD = {".xlsx": hc.good_xlsx_bytes(), ".ods": hc.good_ods_bytes(), ".csv": hc.good_csv_text().encode("utf-8-sig")}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def only_rosxl_errors(path: Path, data: bytes, criteria: Criteria) -> None:
    """Read, detect and convert ``data``; anything but a :class:`RosxlError` fails the test."""
    path.write_bytes(data)
    try:
        book = read_book(path)
        for sheet in book.sheets:
            detect(sheet, criteria)
        convert(path, criteria)
    except RosxlError:
        pass


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for at, xor in flips:
        out[at % len(out)] ^= xor
    return bytes(out[:cut] if cut is not None else out)


@FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes(folder: Path, standard: Criteria, data: bytes, ext: str) -> None:
    only_rosxl_errors(folder / f"vilkaarlig{ext}", data, standard)


@FUZZ
@given(ext=st.sampled_from(sorted(GOOD)), flips=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(1, 255)),
                                                          max_size=8),
       cut=st.none() | st.integers(0, 6000))
def test_mutated_files(folder: Path, standard: Criteria, ext: str, flips: list[tuple[int, int]],
                       cut: int | None) -> None:
    only_rosxl_errors(folder / f"mutert{ext}", mutate(GOOD[ext], flips, cut), standard)


@FUZZ
@given(ext=st.sampled_from([".xlsx", ".ods"]), part_index=st.integers(0, 20),
       flips=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(1, 255)), min_size=1, max_size=6),
       cut=st.none() | st.integers(0, 4000))
def test_mutated_xml_rezipped(folder: Path, standard: Criteria, ext: str, part_index: int,
                              flips: list[tuple[int, int]], cut: int | None) -> None:
    with zipfile.ZipFile(io.BytesIO(GOOD[ext])) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = [name for name in parts if name.endswith((".xml", ".rels"))]
    name = xml[part_index % len(xml)]
    parts[name] = mutate(parts[name], flips, cut)
    only_rosxl_errors(folder / f"xml-mutert{ext}", hc.raw_zip(parts.items()), standard)
