"""The input guard: every hostile file of the corpus is refused with its own code, good files pass."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from corpus import hostile as hc
from rosxl.errors import InputRefusedError
from rosxl.safety.guard import _biff_is_encrypted, extension_warning, inspect
from rosxl.safety.limits import Limits


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[hc.Case]:
    return hc.build(tmp_path_factory.mktemp("corpus"))


def refusal(path: Path, limits: Limits = Limits()) -> InputRefusedError:  # noqa: B008
    with pytest.raises(InputRefusedError) as info:
        inspect(path, limits)
    return info.value


def test_every_corpus_file_gets_its_code(corpus: list[hc.Case]) -> None:
    for case in corpus:
        if case.code is None:
            assert inspect(case.path) in ("xlsx", "csv", "ods"), case.path.name
        else:
            err = refusal(case.path)
            assert err.code == case.code, (case.path.name, err.code, err.message)
            assert err.file == str(case.path)


def test_messages_are_norwegian_and_name_the_limit(corpus: list[hc.Case]) -> None:
    by_name = {c.path.name: c.path for c in corpus}
    assert "passordbeskyttet" in refusal(by_name["passordbeskyttet.xlsx"]).message
    assert "max_part_bytes" in refusal(by_name["zipbombe-aerlig.xlsx"]).message
    assert "forfalsket" in refusal(by_name["zipbombe-forfalsket.xlsx"]).message
    assert "17 179 869 184 celler" in refusal(by_name["enormt-omrade.xlsx"]).message
    assert "avbrutt kopiering" in refusal(by_name["avkortet.xlsx"]).message
    assert str(by_name["tom.xlsx"]) in str(refusal(by_name["tom.xlsx"]))


def test_real_format_by_content_and_the_warning(corpus: list[hc.Case]) -> None:
    path = next(c.path for c in corpus if c.path.name == "god-med-feil-endelse.xls")
    assert inspect(path) == "xlsx"
    assert "innholdet er xlsx" in (extension_warning(path, "xlsx") or "")
    assert extension_warning(Path("a.XLSX"), "xlsx") is None


def test_xlsm_by_content_type(tmp_path: Path) -> None:
    data = hc.good_xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    path = tmp_path / "makro.xlsm"
    path.write_bytes(hc._replace(data, {"[Content_Types].xml": types}))
    assert inspect(path) == "xlsm"


@pytest.mark.parametrize(("limits", "code"), [
    (Limits(max_file_bytes=1000), "file-too-large"),
    (Limits(max_parts=3), "too-many-parts"),
    (Limits(max_total_bytes=4000), "zip-bomb"),
    (Limits(max_rows=5), "dimension-too-large"),
    (Limits(max_columns=6), "dimension-too-large"),
    (Limits(max_cells=40), "dimension-too-large"),
])
def test_each_limit_is_configurable(tmp_path: Path, limits: Limits, code: str) -> None:
    path = tmp_path / "god.xlsx"
    path.write_bytes(hc.good_xlsx_bytes())
    assert inspect(path) == "xlsx"
    assert refusal(path, limits).code == code


def test_ratio_limit_applies_to_large_parts_only(tmp_path: Path) -> None:
    sheet = "xl/worksheets/sheet1.xml"
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(hc._replace(hc.good_xlsx_bytes(), {sheet: hc.bomb_member(sheet, 20 << 20)}))
    assert "max_compression_ratio" in refusal(path).message
    assert inspect(path, replace(Limits(), ratio_min_bytes=64 << 20)) == "xlsx"


def test_real_cells_beyond_a_small_claimed_dimension(tmp_path: Path) -> None:
    """calamine allocates the rectangle of the real cells, whatever <dimension> claims."""
    sheet = hc._SHEET_OPEN.replace(b"<sheetData>", b'<dimension ref="A1"/><sheetData>') + (
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    ) + hc._SHEET_CLOSE
    path = tmp_path / "lyver.xlsx"
    path.write_bytes(hc._replace(hc.good_xlsx_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    assert "max_cells" in refusal(path).message


def test_cells_without_reference_count_by_their_row(tmp_path: Path) -> None:
    sheet = hc._SHEET_OPEN + (b'<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>2</v></c></row>'
                              ) + hc._SHEET_CLOSE
    path = tmp_path / "uten-r.xlsx"
    path.write_bytes(hc._replace(hc.good_xlsx_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    assert refusal(path).code == "dimension-too-large"


def test_doctype_in_utf16_part(tmp_path: Path) -> None:
    sheet = hc.external_entity().decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    path = tmp_path / "utf16.xlsx"
    path.write_bytes(hc._replace(hc.good_xlsx_bytes(), {"xl/worksheets/sheet1.xml": sheet}))
    assert refusal(path).code == "xml-entities"


@pytest.mark.parametrize(("rows", "code"), [
    ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="100"'
     ' office:value-type="float" office:value="1"/></table:table-row>', "dimension-too-large"),
    # LibreOffice's styled trailing rows: empty, so not counted
    ('<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
     '</table:table-row><table:table-row table:number-rows-repeated="1048575">'
     '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>', None),
])
def test_ods_repeated_rows_and_columns(tmp_path: Path, rows: str, code: str | None) -> None:
    path = tmp_path / "gjentatt.ods"
    path.write_bytes(hc.ods_bytes(rows))
    if code is None:
        assert inspect(path) == "ods"
    else:
        assert refusal(path).code == code


@pytest.mark.parametrize(("name", "data", "code"), [
    ("a.xlsx", b"PK\x05\x06" + b"\0" * 18, "not-a-spreadsheet"),
    ("a.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "unsupported-format"),
    ("a.xls", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
     "unsupported-format"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "corrupt-xls"),
    ("a.csv", b"a;b\n" * 20, "dimension-too-large"),
])
def test_odd_inputs(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert refusal(path, Limits(max_rows=10)).code == code


def test_docx_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "notat.xlsx"
    path.write_bytes(hc.raw_zip([("word/document.xml", b"<w:document/>"), ("[Content_Types].xml", b"<Types/>")]))
    assert refusal(path).code == "not-a-spreadsheet"


def test_folder_is_unreadable(tmp_path: Path) -> None:
    assert refusal(tmp_path).code == "unreadable"


def test_filepass_record_means_encrypted_xls() -> None:
    bof = b"\x09\x08\x10\x00" + b"\0" * 16
    assert _biff_is_encrypted(bof + b"\x2f\x00\x02\x00\x01\x00")
    assert not _biff_is_encrypted(bof + b"\x0a\x00\x00\x00" + b"\x2f\x00\x00\x00")


@pytest.mark.libreoffice
def test_xls_and_ods_saved_by_libreoffice(tmp_path: Path) -> None:
    from tests.libreoffice import convert

    src = tmp_path / "god.xlsx"
    src.write_bytes(hc.good_xlsx_bytes())
    xls = convert([src], "xls", tmp_path / "xls")[0]
    ods = convert([src], "ods", tmp_path / "ods")[0]
    assert inspect(xls) == "xls"
    assert inspect(ods) == "ods"
