"""``rosxl excel status|install|vba`` and ``rosxl freeze`` on the command line (exact exit codes)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings
from click.testing import CliRunner

from rosxl.cli import cli
from rosxl.errors import ExcelAddinError
from rosxl.excel import addin


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / ".xlwings" / "xlwings.conf"
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(config))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    return config


def test_status_on_linux_says_what_works_here(user_config: Path) -> None:
    result = CliRunner().invoke(cli, ["excel", "status"])
    assert result.exit_code == 1
    assert "MANGLER Windows med Excel: nei: regnearkfunksjonene (ros_*) kjører bare i Excel for Windows" \
        in result.output
    assert "«rosxl freeze»" in result.output and f"rosxl krever {xlwings.__version__}" in result.output
    assert result.output.rstrip().endswith("Tillegget er ikke klart på denne maskinen.")


def test_install_refuses_off_windows(user_config: Path) -> None:
    result = CliRunner().invoke(cli, ["excel", "install"])
    assert result.exit_code == 1
    assert "Feil: tillegget kan bare installeres på Windows med Excel" in result.output
    assert not user_config.exists()


def test_install_on_windows_runs_xlwings_and_writes_the_user_config(user_config: Path) -> None:
    calls: list[list[str]] = []

    def fake_xlwings(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        addin_file = addin.xlstart_dir() / addin.ADDIN_FILE
        addin_file.parent.mkdir(parents=True)
        addin_file.write_bytes(b"xlam")
        user_config.parent.mkdir(parents=True, exist_ok=True)
        user_config.write_text(f'"INTERPRETER_WIN","{sys.executable}"\n')  # what xlwings writes itself
        return subprocess.CompletedProcess(cmd, 0, "Successfully installed the xlwings add-in! ", "")

    status = addin.install(platform="win32", run=fake_xlwings)
    assert calls == [[sys.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"]]
    lines = user_config.read_text().splitlines()
    assert '"UDF MODULES","rosxl.udfs"' in lines and sum(line.startswith('"INTERPRETER_WIN"') for line in lines) == 1
    assert status.ok, status.checks
    template = user_config.parent.parent / "AppData" / "Microsoft" / "Templates" / "Ny ROS-analyse.xltm"
    assert addin.template_path() == template
    with zipfile.ZipFile(template) as book:
        assert "application/vnd.ms-excel.template.macroEnabled.main+xml" in book.read("[Content_Types].xml").decode()
        assert "xl/vbaProject.bin" in book.namelist()
    shown = {c.name: c for c in status.checks}["Mal «Ny ROS-analyse»"]
    assert (shown.ok, shown.detail) == (True, str(template))
    # a reinstall replaces rosxl's own template, but never a file of that name that rosxl did not write
    assert addin.install(platform="win32", run=lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0, "", "")).ok
    template.write_bytes(b"en annen mal")
    with pytest.raises(ExcelAddinError, match="er ikke laget av rosxl"):
        addin.register_template()
    assert template.read_bytes() == b"en annen mal"


def test_status_on_windows_without_the_template_says_how_to_get_it(user_config: Path) -> None:
    shown = {c.name: c for c in addin.status(platform="win32").checks}["Mal «Ny ROS-analyse»"]
    assert shown.ok is False
    assert shown.detail == f"mangler i {addin.templates_dir()}: kjør «rosxl excel install»"


def test_status_elsewhere_shows_where_the_template_would_go(user_config: Path) -> None:
    result = CliRunner().invoke(cli, ["excel", "status"])
    assert f"–       Mal «Ny ROS-analyse»: {addin.template_path()}" in result.output


def test_install_reports_xlwings_failure(user_config: Path) -> None:
    def failing(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 0, "Error: Failed to install the add-in: quit Excel", "")

    with pytest.raises(ExcelAddinError, match="quit Excel"):
        addin.install(platform="win32", run=failing)


def test_vba_writes_the_stub(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["excel", "vba", "-o", str(tmp_path / "vba")])
    assert result.exit_code == 0, result.output
    assert result.output == f"Skrev {tmp_path / 'vba' / 'xlwings_udfs.bas'}\nSkrev {tmp_path / 'vba' / 'rosxl.bas'}\n"


def make_workbook(path: Path, formulas: dict[str, str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["B1"] = "1 gang per 20 år", "2,5 mill"
    for cell, formula in formulas.items():
        ws[cell] = formula
    wb.save(path)
    return path


def test_freeze_cli(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "in.xlsx", {"C1": '=ros_sone(A1,B1,"okonomi")', "D1": "=ros_risiko(2,4)"})
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(cli, ["freeze", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Frøs 2 ros_-formler → {out}\n"
    ws = openpyxl.load_workbook(out).active
    assert ws is not None and (ws["C1"].value, ws["D1"].value) == ("Gul – tolerabel", 8)
    again = CliRunner().invoke(cli, ["freeze", str(source), "-o", str(out)])
    assert again.exit_code == 1 and "finnes fra før" in again.output
    assert CliRunner().invoke(cli, ["freeze", str(source), "-o", str(out), "--overwrite"]).exit_code == 0


def test_freeze_cli_exit_1_when_a_formula_is_left(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "in.xlsx", {"C1": "=ros_sone(A1&B1)", "D1": "=ros_risiko(2,4)"})
    result = CliRunner().invoke(cli, ["freeze", str(source), "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 1
    assert "Ikke frosset: Sheet!C1: argumentet «A1&B1» er ikke en referanse" in result.output


def test_freeze_cli_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["freeze", str(tmp_path / "mangler.xlsx"), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2


def test_template_folder_without_appdata_is_under_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APPDATA", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert addin.template_path() == tmp_path / "AppData" / "Roaming" / "Microsoft" / "Templates" / "Ny ROS-analyse.xltm"
