"""Atomic outputs: whole file or nothing, no silent overwrite, no temporary files left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from rosxl.errors import OutputExistsError, OutputRefusedError
from rosxl.safety.outputs import (
    atomic_output,
    check_output,
    check_output_folder,
    is_rosxl_output,
    remove_stale_temporaries,
)


def test_written_under_the_real_name_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "ut" / "analyse.xlsx"
    with atomic_output(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".analyse.xlsx.tmp-")
        tmp.write_bytes(b"data")
        assert not target.exists()
    assert target.read_bytes() == b"data"
    assert [p.name for p in target.parent.iterdir()] == ["analyse.xlsx"]


@pytest.mark.parametrize("exc", [ValueError, KeyboardInterrupt])
def test_failure_leaves_nothing(tmp_path: Path, exc: type[BaseException]) -> None:
    target = tmp_path / "analyse.json"
    with pytest.raises(exc), atomic_output(target) as tmp:
        tmp.write_text("halv")
        raise exc()
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "analyse.json"
    target.write_text("gammel")
    with pytest.raises(OutputExistsError) as info, atomic_output(target) as tmp:
        tmp.write_text("ny")
    assert info.value.code == "output-exists" and "--overwrite" in info.value.message
    assert target.read_text() == "gammel"
    with atomic_output(target, overwrite=True) as tmp:
        tmp.write_text("ny")
    assert target.read_text() == "ny"
    assert list(tmp_path.iterdir()) == [target]


def test_output_that_appears_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "analyse.json"
    with pytest.raises(OutputExistsError), atomic_output(target) as tmp:
        tmp.write_text("ny")
        target.write_text("en annen prosess")
    assert target.read_text() == "en annen prosess"
    assert list(tmp_path.iterdir()) == [target]


def test_writer_that_writes_nothing_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_output(tmp_path / "a.json"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_an_interrupted_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    stale = [tmp_path / ".a.xlsx.tmp-0123abcd", tmp_path / "sub" / ".b.json.tmp-99"]
    keep = [tmp_path / "a.xlsx", tmp_path / ".hidden", tmp_path / "sub" / "b.json"]
    for p in stale + keep:
        p.write_text("x")
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted(stale)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in stale)


# --- what may be written: check_output, check_output_folder, is_rosxl_output ------------------------


def rosxl_workbook(path: Path) -> Path:
    from rosxl.analysis import Analysis
    from rosxl.criteria import load_criteria
    from rosxl.workbook import write_workbook

    return write_workbook(Analysis(load_criteria("standard")), path)


def test_rosxl_files_are_recognised_by_content(tmp_path: Path) -> None:
    import json

    import openpyxl

    own = rosxl_workbook(tmp_path / "ros.xlsx")
    assert is_rosxl_output(own)
    renamed = tmp_path / "ros.xlsm"
    renamed.write_bytes(own.read_bytes())
    assert is_rosxl_output(renamed)
    wb = openpyxl.Workbook()
    wb.create_sheet("rosxl")  # a visible sheet of that name is a user's sheet, not rosxl's marker
    wb.save(tmp_path / "synlig.xlsx")
    (tmp_path / "analyse.json").write_text(json.dumps({"rosxl": "1.0", "scenarios": []}))
    (tmp_path / "liste.json").write_text(json.dumps([{"rosxl": "1.0"}]))
    (tmp_path / "annen.json").write_text(json.dumps({"data": {"rosxl": 1}}))
    (tmp_path / "rapport.json").write_text(json.dumps({"rosxl": "1.0", "files": []}))
    (tmp_path / "rapport.txt").write_text("Konverteringsrapport (kriterier: standard)\n")
    (tmp_path / "notat.txt").write_text("Konverteringsrapport, mine notater\n")  # no rosxl JSON beside it
    (tmp_path / "analyse.txt").write_text("mine notater\n")  # a rosxl JSON beside it, but not a report
    (tmp_path / "skadet.xlsx").write_bytes(own.read_bytes()[:500])
    (tmp_path / "ugyldig.json").write_text("{")
    verdict = {p.name: is_rosxl_output(p) for p in sorted(tmp_path.iterdir())}
    assert verdict == {"analyse.json": True, "analyse.txt": False, "annen.json": False, "liste.json": False,
                       "notat.txt": False, "rapport.json": True, "rapport.txt": True, "ros.xlsm": True,
                       "ros.xlsx": True, "skadet.xlsx": False, "synlig.xlsx": False, "ugyldig.json": False}
    assert not is_rosxl_output(tmp_path / "finnes-ikke.xlsx") and not is_rosxl_output(tmp_path)


def test_word_documents_by_their_creator(tmp_path: Path) -> None:
    import docx

    for creator, name in (("rosxl", "risikobilde.docx"), ("Kari Nordmann", "notat.docx")):
        document = docx.Document()
        document.core_properties.author = creator
        document.save(str(tmp_path / name))
    assert is_rosxl_output(tmp_path / "risikobilde.docx") and not is_rosxl_output(tmp_path / "notat.docx")


def test_check_output(tmp_path: Path) -> None:
    source = tmp_path / "plan.xlsx"
    source.write_bytes(b"original")
    for target, overwrite, code in [(source, True, "output-is-input"), (tmp_path / "." / "plan.xlsx", True,
                                                                        "output-is-input"),
                                    (tmp_path / "ny.xlsx", False, None), (tmp_path, True, "output-exists")]:
        if code is None:
            check_output(target, inputs=[source], overwrite=overwrite)
            continue
        with pytest.raises(OutputExistsError) as info:
            check_output(target, inputs=[source], overwrite=overwrite)
        assert info.value.code == code
    own = rosxl_workbook(tmp_path / "ros.xlsx")
    with pytest.raises(OutputExistsError) as info:
        check_output(own, inputs=[source], overwrite=False)
    assert info.value.code == "output-exists"
    check_output(own, inputs=[source], overwrite=True)
    with pytest.raises(OutputRefusedError) as refused:
        check_output(own, inputs=[source, own], overwrite=True)  # rosxl's own file, but an input now
    assert refused.value.code == "output-is-input"
    assert source.read_bytes() == b"original"


def test_case_insensitive_names_are_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the file system ignores case (Windows, macOS), «PLAN.XLSX» is «plan.xlsx»: compared by
    ``os.path.normcase``, which folds case there (simulated here)."""
    import os

    source = tmp_path / "plan.xlsx"
    source.write_bytes(b"original")
    monkeypatch.setattr(os.path, "normcase", str.lower)
    with pytest.raises(OutputRefusedError):
        check_output(tmp_path / "PLAN.XLSX", inputs=[source], overwrite=True)


def test_check_output_folder(tmp_path: Path) -> None:
    (tmp_path / "inn").mkdir()
    with pytest.raises(OutputRefusedError) as info:
        check_output_folder(tmp_path / "inn" / ".", inputs=[tmp_path / "inn"])
    assert info.value.code == "output-folder-is-input"
    check_output_folder(tmp_path / "inn" / "ut", inputs=[tmp_path / "inn"])
    check_output_folder(tmp_path / "ut", inputs=[tmp_path / "inn"])


def test_pdfs_by_their_author(tmp_path: Path) -> None:
    """As LibreOffice writes the information of a PDF converted from a Word document by rosxl."""
    def pdf(info: bytes) -> bytes:
        return b"%PDF-1.6\n1 0 obj<</Type/Catalog>>endobj\n" + b"x" * 300_000 + b"\n2 0 obj" + info + b"endobj\n%%EOF\n"

    cases = {"libreoffice.pdf": b"<</Author<FEFF0072006F00730078006C>/Producer<FEFF004C>>>",
             "tekst.pdf": b"<</Author(rosxl)>>", "annen.pdf": b"<</Author(Kari Nordmann)>>"}
    for name, info in cases.items():
        (tmp_path / name).write_bytes(pdf(info))
    (tmp_path / "falsk.pdf").write_bytes(b"<</Author(rosxl)>>")  # not a PDF
    assert {p.name for p in tmp_path.iterdir() if is_rosxl_output(p)} == {"libreoffice.pdf", "tekst.pdf"}
