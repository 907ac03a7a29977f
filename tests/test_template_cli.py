"""``rosxl template`` and the committed templates in workbook_templates/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rosxl.cli import cli
from rosxl.criteria import list_presets
from rosxl.workbook.templates import DEFAULT_DIR, FLAVOURS, build_templates, fingerprint, template_name

REGENERATE = "python -m rosxl.workbook.templates"


def test_template_nynorsk_xlwings(tmp_path: Path) -> None:
    out = tmp_path / "mal.xlsx"
    result = CliRunner().invoke(cli, ["template", "-o", str(out), "--criteria", "luster-2013", "--language", "nn",
                                      "--flavour", "xlwings"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Veiledning", "Kriterier", "Scenarier", "Risikomatrise", "xlwings.conf", "rosxl"]
    assert [c.value for c in wb["xlwings.conf"][1]] == ["UDF Modules", "rosxl.udfs"]
    ws = wb["Scenarier"]
    headers = [c.value for c in ws[1]]
    assert "Uønskt hending" in headers and "Samla sone" in headers
    zone = str(ws.cell(2, headers.index("Sone: Økonomi") + 1).value)
    assert zone.startswith("=IF(") and "ros_" not in zone  # zones are native; only raw facts call a function
    helper = str(ws.cell(2, headers.index("K-klasse: okonomi") + 1).value)
    assert helper.endswith('ros_konsekvens("okonomi",K2,ros_kriterier_token))))')
    assert "ros_kriterier" in wb.defined_names and "ros_kriterier_token" in wb.defined_names
    assert wb["Kriterier"]["K2"].value == "=ros_kriterier_last(ros_kriterier)"
    assert all(dv.errorStyle == "warning" for dv in ws.data_validations.dataValidation)


def test_template_native_formulas_have_no_modern_functions(tmp_path: Path) -> None:
    out = tmp_path / "mal.xlsx"
    assert CliRunner().invoke(cli, ["template", "-o", str(out)]).exit_code == 0
    wb = load_workbook(out)
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f")
    for name in ("XLOOKUP", "LET(", "FILTER(", "TEXTJOIN", "ros_"):
        assert name not in text
    ws = wb["Scenarier"]
    assert ws.freeze_panes == "D2" and ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert [t for t in ws.tables] == ["Scenarier"]


def test_template_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mal.xlsx"
    out.write_text("viktig")
    result = CliRunner().invoke(cli, ["template", "-o", str(out)])
    assert result.exit_code == 1 and "finnes fra før" in result.output and out.read_text() == "viktig"
    forced = CliRunner().invoke(cli, ["template", "-o", str(out), "--overwrite"])  # not rosxl's: never replaced
    assert forced.exit_code == 1 and "ikke skrevet av rosxl" in forced.output and out.read_text() == "viktig"
    out.unlink()
    assert CliRunner().invoke(cli, ["template", "-o", str(out)]).exit_code == 0
    assert CliRunner().invoke(cli, ["template", "-o", str(out), "--overwrite"]).exit_code == 0


def test_template_bad_criteria(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", "-o", str(tmp_path / "x.xlsx"), "--criteria", "finnes-ikke"])
    assert result.exit_code == 1 and "ukjent kriteriesett" in result.output


@pytest.mark.slow
def test_committed_templates_match_a_fresh_build(tmp_path: Path) -> None:
    fresh = build_templates(tmp_path)
    assert len(fresh) == len(list_presets()) * len(FLAVOURS)
    for path in fresh:
        committed = DEFAULT_DIR / path.name
        assert committed.exists(), f"{committed} mangler: kjør {REGENERATE}"
        assert fingerprint(committed) == fingerprint(path), f"{path.name} er utdatert: kjør {REGENERATE}"
    assert template_name("risc", "xlwings") == "risc-xlwings.xlsx"
