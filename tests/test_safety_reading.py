"""Guarded reading: the guard, then the reader in a worker; every failure a registered code, nothing else.

Covers :func:`rosxl.safety.reading.read_guarded`, the mapping of parser exceptions to codes
(:mod:`rosxl.safety.failures`), limits reaching the workers of a batch, and the seeded corpus of
mutated real files (:mod:`corpus.mutation`) through the guard and both readers.
"""

from __future__ import annotations

import os
import struct
import time
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from defusedxml.common import DTDForbidden

from corpus import hostile as hc
from corpus import mutation as mc
from rosxl.conversion.batch import convert_batch
from rosxl.errors import InputRefusedError, RosxlError, WorkbookError
from rosxl.safety.failures import MESSAGES, ReaderFailure, code_for, refusal
from rosxl.safety.guard import inspect
from rosxl.safety.limits import GiB, Limits
from rosxl.safety.reading import read_guarded
from rosxl.workbook.read import read_workbook

TEMPLATE = mc.ROOT / "workbook_templates" / "standard.xlsx"
FAST = replace(Limits(), timeout_seconds=3.0, worker_memory_bytes=1 * GiB)


def reader(path: Path, how: str) -> Any:
    """Top-level, so that workers can run it."""
    if how == "value-error":
        return int("tull")
    if how == "abort":
        os.abort()
    if how == "sleep":
        time.sleep(1000)
    if how == "alloc":
        return len(bytearray(4 * GiB))
    return path.name


@pytest.mark.parametrize(("exc", "code"), [
    (NotImplementedError("zip file version 14.8"), "corrupt-file"),
    (zipfile.BadZipFile("File is not a zip file"), "corrupt-zip"),
    (zlib.error("Error -3 while decompressing data"), "corrupt-zip"),
    (ET.ParseError("not well-formed (invalid token)"), "corrupt-xml"),
    (DTDForbidden("x", None, None), "xml-entities"),
    (KeyError("There is no item named 'xl/workbook.xml' in the archive"), "corrupt-file"),
    (ValueError("could not convert string to float"), "corrupt-file"),
    (RecursionError("maximum recursion depth exceeded"), "corrupt-file"),
    (EOFError(), "truncated"),
    (struct.error("unpack requires a buffer"), "corrupt-file"),
    (FileNotFoundError(2, "No such file"), "unreadable"),
    (MemoryError(), "out-of-memory"),
])
def test_every_parser_exception_becomes_a_norwegian_code(exc: Exception, code: str) -> None:
    assert code_for(exc) == code
    error = refusal(exc, "x.xlsx")
    assert error.code == code and error.message == MESSAGES[code]  # no English glued in
    assert str(exc) not in str(error) or not str(exc)
    assert type(exc).__name__ in getattr(error, "original", "")  # kept for --debug


def test_python_calamine_errors_by_name() -> None:
    from python_calamine import CalamineError, PasswordError, XmlError, ZipError

    assert [code_for(e("x")) for e in (PasswordError, XmlError, ZipError, CalamineError)] == [
        "encrypted", "corrupt-xml", "corrupt-zip", "corrupt-file"]


def test_flipped_zip_version_is_refused_by_the_guard(tmp_path: Path) -> None:
    """One flipped bit in the central directory's «version needed» made zipfile raise NotImplementedError."""
    data = bytearray(hc.good_ods_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 148  # version needed to extract: 14.8
    path = tmp_path / "bit.ods"
    path.write_bytes(bytes(data))
    with pytest.raises(InputRefusedError) as info:
        inspect(path)
    assert info.value.code == "corrupt-zip" and "version" not in info.value.message
    assert isinstance(info.value.__cause__, NotImplementedError)


@pytest.mark.parametrize(("how", "code"), [("value-error", "corrupt-file"), ("abort", "worker-crashed"),
                                           ("sleep", "timeout"), ("alloc", "out-of-memory")])
def test_reader_failures_in_the_worker_are_coded(tmp_path: Path, how: str, code: str) -> None:
    path = tmp_path / "ros.xlsx"
    path.write_bytes(TEMPLATE.read_bytes())
    with pytest.raises(RosxlError) as info:
        read_guarded(path, partial(reader, how=how), limits=FAST)
    assert info.value.code == code
    if how == "value-error":  # the worker's original traceback, for --debug
        assert isinstance(info.value.__cause__, ReaderFailure) and "ValueError" in str(info.value.__cause__)


def test_guard_runs_first_and_isolation_is_optional(tmp_path: Path) -> None:
    csv = tmp_path / "ros.csv"
    csv.write_text(hc.good_csv_text(), "utf-8")
    with pytest.raises(InputRefusedError) as info:
        read_guarded(csv, partial(reader, how="name"))
    assert info.value.code == "not-a-workbook" and "CSV" in info.value.message
    assert read_guarded(csv, partial(reader, how="name"), formats=None) == "ros.csv"
    bomb = tmp_path / "bombe.xlsx"
    bomb.write_bytes(hc._replace(hc.good_xlsx_bytes(), {"xl/worksheets/sheet1.xml": hc.bomb_member(
        "xl/worksheets/sheet1.xml", 64 << 20)}))
    with pytest.raises(InputRefusedError) as info:  # isolate=False skips the worker, never the guard
        read_guarded(bomb, partial(reader, how="name"), isolate=False)
    assert info.value.code == "zip-bomb"
    with pytest.raises(RosxlError) as failed:
        read_guarded(TEMPLATE, partial(reader, how="value-error"), isolate=False)
    assert failed.value.code == "corrupt-file" and isinstance(failed.value.__cause__, ValueError)


def test_read_workbook_is_guarded(tmp_path: Path) -> None:
    assert read_workbook(TEMPLATE).analysis.scenarios == []
    bad = tmp_path / "tull.xlsx"
    bad.write_bytes(hc.corrupted(hc.good_xlsx_bytes()))
    with pytest.raises(InputRefusedError) as info:
        read_workbook(bad)
    assert info.value.code == "corrupt-zip"
    with pytest.raises(WorkbookError):
        read_workbook(tmp_path / "finnes-ikke.xlsx")


def test_limits_travel_to_the_workers_of_a_batch(tmp_path: Path) -> None:
    path = tmp_path / "ros.xlsx"
    path.write_bytes(hc.good_xlsx_bytes())
    assert path.stat().st_size > 1000
    report = convert_batch([path], tmp_path / "ut", limits=Limits(max_file_bytes=10))
    assert [f.error["code"] for f in report.files if f.error] == ["file-too-large"]
    assert not (tmp_path / "ut" / "ros.xlsx").exists()


def test_colours_are_read_by_content_under_a_wrong_extension(tmp_path: Path) -> None:
    """An .xlsx named .xls whose risk column is only colour: openpyxl refuses the name, not the file."""
    from rosxl.conversion.pipeline import convert

    legacy = mc.ROOT / "examples" / "legacy" / "beredskap-fargekodet.xlsx"
    renamed = tmp_path / "beredskap-fargekodet.xls"
    renamed.write_bytes(legacy.read_bytes())
    analysis, report = convert(renamed)
    assert "zone-from-colour" in {p.code for p in report.problems}
    assert [s.zone for s in analysis.scenarios] == [s.zone for s in convert(legacy)[0].scenarios]
