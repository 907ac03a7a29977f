"""Inputs are sacred: every way a new user could make rosxl destroy a file, through the real CLI.

Each case runs with CliRunner and as a real ``rosxl`` subprocess, and afterwards every input's
bytes are compared with a hash taken before.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.legacy import two_row_header
from rosxl.cli import cli

LEGACY = Path(__file__).parent.parent / "examples" / "legacy"
Runner = Callable[..., tuple[int, str]]


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def in_process(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def subprocess_cli(*args: str | Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", "from rosxl.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(params=["clirunner", "subprocess"])
def run(request: pytest.FixtureRequest) -> Runner:
    return in_process if request.param == "clirunner" else subprocess_cli


@pytest.fixture
def mappe(tmp_path: Path) -> Path:
    """A folder with two legacy analyses, as an advisor has it."""
    folder = tmp_path / "mappe"
    folder.mkdir()
    shutil.copy(LEGACY / "plan-ros-sjobakken.xlsx", folder / "plan.xlsx")
    two_row_header(folder)
    return folder


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_a_file_converted_into_its_own_folder_is_never_replaced(run: Runner, mappe: Path, overwrite: list[str]) -> None:
    before = hashes(mappe)
    code, output = run("convert", mappe / "plan.xlsx", "-o", mappe, *overwrite)
    assert code == 1 and "er også en innfil" in output and "Traceback" not in output
    assert hashes(mappe) == before  # nothing written at all, not even the report


def test_output_folder_equal_to_the_input_folder_is_refused(run: Runner, mappe: Path) -> None:
    before = hashes(mappe)
    for spelling in (mappe, mappe / ".", mappe.parent / "mappe" / ".." / "mappe"):
        code, output = run("convert", mappe, "-o", spelling, "--overwrite")
        assert code == 1 and "utmappen er innmappen" in output, output
    assert hashes(mappe) == before


def test_empty_folder_is_an_error(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    (tmp_path / "tom" / "notat.docx").write_bytes(b"ikke et regneark")
    code, output = run("convert", tmp_path / "tom", "-o", tmp_path / "ut")
    assert code == 1 and "fant ingen regneark i «" in output and "Traceback" not in output
    assert not (tmp_path / "ut").exists()


def test_output_folder_inside_the_input_folder_converted_twice(run: Runner, mappe: Path) -> None:
    before = hashes(mappe)
    assert run("convert", mappe, "-o", mappe / "ut")[0] == 0
    code, output = run("convert", mappe, "-o", mappe / "ut", "--overwrite")
    assert code == 0, output
    report = json.loads((mappe / "ut" / "rapport.json").read_text("utf-8"))
    assert sorted(Path(f["file"]).name for f in report["files"]) == ["plan-ros-to-rader.xlsx", "plan.xlsx"]
    assert {k: v for k, v in hashes(mappe).items() if not k.startswith("ut")} == before
    assert sorted(p.name for p in (mappe / "ut").iterdir()) == [
        "kobling.toml", "plan-ros-to-rader.json", "plan-ros-to-rader.xlsx", "plan.json", "plan.xlsx", "rapport.json",
        "rapport.txt"]


def test_overwrite_replaces_only_what_rosxl_wrote(run: Runner, mappe: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    (out / "plan.xlsx").write_bytes((mappe / "plan.xlsx").read_bytes())  # a user's own workbook under that name
    mine = hashes(out)
    code, output = run("convert", mappe, "-o", out, "--overwrite")
    assert code == 1 and "ikke skrevet av rosxl" in output
    assert hashes(out)["plan.xlsx"] == mine["plan.xlsx"]
    assert (out / "plan-ros-to-rader.xlsx").is_file()  # the other file converts


@pytest.mark.parametrize("name", ["rapport.json", "rapport.txt", "kobling.toml"])
def test_report_paths_are_protected(run: Runner, mappe: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    (out / name).write_text("{\"mine\": 1}" if name.endswith(".json") else "mine notater")
    before = hashes(out)
    code, output = run("convert", mappe, "-o", out, "--overwrite")
    assert code == 1 and "ikke skrevet av rosxl" in output
    assert hashes(out) == before  # refused before anything was written


def test_report_may_not_be_an_input(run: Runner, tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    (src / "r.csv").write_text("Nr.;Uønsket hendelse;Sannsynlighet;Konsekvens\n1;Flom;3;4\n", "utf-8")
    (src / "r.json").write_text("{}")
    before = hashes(src)
    code, output = run("convert", src, "-o", tmp_path / "ut", "--report", src / "r.json", "--overwrite")
    assert code == 1 and "ikke skrevet av rosxl" in output
    assert hashes(src) == before


def test_freeze_never_over_its_source_nor_a_foreign_file(run: Runner, tmp_path: Path) -> None:
    source = tmp_path / "ros.xlsx"
    shutil.copy(Path(__file__).parent.parent / "workbook_templates" / "standard-xlwings.xlsx", source)
    before = hashes(tmp_path)
    for target in (source, tmp_path / "." / "ros.xlsx"):
        code, output = run("freeze", source, "-o", target, "--overwrite")
        assert code == 1 and "er også en innfil" in output
    foreign = tmp_path / "annen.xlsx"
    shutil.copy(LEGACY / "plan-ros-sjobakken.xlsx", foreign)
    before = hashes(tmp_path)
    code, output = run("freeze", source, "-o", foreign, "--overwrite")
    assert code == 1 and "ikke skrevet av rosxl" in output
    assert hashes(tmp_path) == before
    frozen = tmp_path / "frosset.xlsx"
    assert run("freeze", source, "-o", frozen)[0] == 0
    assert run("freeze", source, "-o", frozen, "--overwrite")[0] == 0  # rosxl's own output: replaced
    assert hashes(tmp_path)["ros.xlsx"] == before["ros.xlsx"]


def test_template_never_over_a_foreign_file_or_its_criteria(run: Runner, tmp_path: Path) -> None:
    foreign = tmp_path / "budsjett.xlsx"
    shutil.copy(LEGACY / "plan-ros-sjobakken.xlsx", foreign)
    own = tmp_path / "ros.xlsx"
    assert run("template", "-o", own)[0] == 0
    before = hashes(tmp_path)
    code, output = run("template", "-o", foreign, "--overwrite")
    assert code == 1 and "ikke skrevet av rosxl" in output
    code, output = run("template", "-o", own, "--criteria", own, "--overwrite")  # criteria read from the workbook
    assert code == 1 and "er også en innfil" in output
    assert hashes(tmp_path) == before
    assert run("template", "-o", own, "--overwrite")[0] == 0


def test_links_and_other_spellings_of_an_input(tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    two_row_header(src)
    original = src / "plan-ros-to-rader.xlsx"
    out = tmp_path / "ut"
    out.mkdir()
    (out / "plan-ros-to-rader.xlsx").hardlink_to(original)  # the output name is a hard link to the input
    before = hashes(src)
    code, output = in_process("convert", original, "-o", out, "--overwrite")
    assert code == 1 and "er også en innfil" in output
    (out / "plan-ros-to-rader.xlsx").unlink()
    (out / "plan-ros-to-rader.xlsx").symlink_to(original)  # and a symbolic link
    code, output = in_process("convert", original, "-o", out, "--overwrite")
    assert code == 1 and "er også en innfil" in output
    assert hashes(src) == before


def test_report_never_takes_the_name_of_a_converted_file(tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    (src / "rapport.csv").write_text("Nr.;Uønsket hendelse;Sannsynlighet;Konsekvens\n1;Flom;3;4\n", "utf-8")
    code, output = in_process("convert", src, "-o", tmp_path / "ut")
    assert code == 1 and "rapporten får samme navn som analysen" in output
    assert not (tmp_path / "ut").exists()
    assert in_process("convert", src, "-o", tmp_path / "ut", "--report", tmp_path / "ut" / "oversikt.json")[0] == 0


def test_a_criteria_workbook_is_an_input_too(tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    (src / "plan.csv").write_text("Nr.;Uønsket hendelse;Sannsynlighet;Konsekvens\n1;Flom;3;4\n", "utf-8")
    out = tmp_path / "ut"
    assert in_process("template", "-o", out / "plan.xlsx", "--criteria", "luster-2013")[0] == 0
    before = hashes(out)
    code, output = in_process("convert", src, "-o", out, "--criteria", out / "plan.xlsx", "--overwrite")
    assert code == 1 and "er også en innfil" in output
    assert hashes(out) == before
