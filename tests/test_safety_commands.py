"""``export``, ``check`` and ``freeze`` on the hostile corpus: a coded Norwegian refusal and exit 1, no traceback.

The guard's code is checked through the library (:func:`rosxl.read_analysis`, the entry point
every command uses) and the CLI's behaviour through CliRunner; ``python -m benchmarks.bench_hostile``
runs the same corpus through real subprocesses and measures time and memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus import hostile as hc
from rosxl.cli import cli
from rosxl.errors import RosxlError
from rosxl.excel.freeze import freeze
from rosxl.workbook import read_analysis

#: Legacy files (not standard workbooks) are refused by the reader, after the guard lets them through.
NOT_A_WORKBOOK = {"god.csv": "not-a-workbook", "god.ods": "not-a-workbook", "formelinjeksjon.csv": "not-a-workbook",
                  "god.xlsx": "workbook-invalid", "god-med-feil-endelse.xls": "workbook-invalid",
                  "million-formaterte-rader.xlsx": "workbook-invalid"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[hc.Case]:
    return hc.build(tmp_path_factory.mktemp("corpus"))


def test_read_analysis_refuses_each_file_with_its_code(corpus: list[hc.Case]) -> None:
    for case in corpus:
        with pytest.raises(RosxlError) as info:
            read_analysis(case.path)
        assert info.value.code == (case.code or NOT_A_WORKBOOK[case.path.name]), case.path.name


@pytest.mark.parametrize("command", ["export", "check", "freeze"])
def test_commands_refuse_without_traceback(corpus: list[hc.Case], tmp_path: Path, command: str) -> None:
    for case in corpus:
        if command == "freeze" and case.code is None:
            continue  # the good files freeze (or not) below
        args = [command, str(case.path)] + (["-o", str(tmp_path / f"{case.path.stem}.xlsx")] if command == "freeze"
                                            else [])
        result = CliRunner().invoke(cli, args)
        code = case.code or NOT_A_WORKBOOK[case.path.name]
        assert result.exit_code == 1, (case.path.name, result.output)
        assert result.output.startswith("Feil: ") and result.output.rstrip().endswith(f"[{code}]"), result.output
        assert "Traceback" not in result.output
        assert not list(tmp_path.iterdir())  # a refused freeze leaves nothing, not even a temporary file


def test_freeze_refuses_what_is_not_a_workbook(corpus: list[hc.Case], tmp_path: Path) -> None:
    by_name = {c.path.name: c.path for c in corpus}
    for name in ("god.csv", "god.ods"):
        with pytest.raises(RosxlError) as info:
            freeze(by_name[name], tmp_path / "ut.xlsx")
        assert info.value.code == "not-a-workbook"
    report = freeze(by_name["god-med-feil-endelse.xls"], tmp_path / "ut.xlsx")  # an .xlsx by content
    assert report.ok and not report.frozen
    with pytest.raises(RosxlError) as info:  # freeze loads it whole: a smaller range than the converter's
        freeze(by_name["million-formaterte-rader.xlsx"], tmp_path / "stor.xlsx")
    assert info.value.code == "dimension-too-large" and "max_claimed_cells" in info.value.message


def test_criteria_read_from_a_workbook_are_guarded(corpus: list[hc.Case]) -> None:
    from rosxl.criteria import load_criteria

    for case in corpus:
        if case.code is not None and case.path.suffix == ".xlsx":
            with pytest.raises(RosxlError) as info:
                load_criteria(case.path)
            assert info.value.code == case.code, case.path.name
    template = Path(__file__).parent.parent / "workbook_templates" / "luster-2013.xlsx"
    assert load_criteria(template) == read_analysis(template).criteria


def test_debug_shows_the_parsers_original_error(tmp_path: Path) -> None:
    """A file the guard passes but openpyxl chokes on: a Norwegian line with its code, and with
    ``--debug`` the worker's original traceback (here openpyxl's ``TypeError``)."""
    template = (Path(__file__).parent.parent / "workbook_templates" / "standard.xlsx").read_bytes()
    bad = tmp_path / "rar.xlsx"
    bad.write_bytes(hc._replace(template, {"docProps/core.xml": (
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' tull="1"/>')}))
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1 and result.output.rstrip().endswith("[corrupt-file]"), result.output
    assert "TypeError" not in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(cli, ["--debug", "check", str(bad)])
    assert isinstance(debug.exception, RosxlError) and "TypeError" in str(debug.exception.__cause__)


@pytest.mark.parametrize("command", ["export", "check", "freeze"])
def test_real_subprocess_refuses_the_worst_files(corpus: list[hc.Case], tmp_path: Path, command: str) -> None:
    """The same through a real ``rosxl`` process: the bomb, the entities and the huge range."""
    import subprocess
    import sys

    for case in corpus:
        if case.path.name not in ("zipbombe-forfalsket.xlsx", "milliard-latter.xlsx", "enormt-omrade.xlsx"):
            continue
        extra = ["-o", str(tmp_path / "ut.xlsx")] if command == "freeze" else []
        done = subprocess.run([sys.executable, "-c", "from rosxl.cli import main; main()", command, str(case.path),
                               *extra], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and done.stderr.rstrip().endswith(f"[{case.code}]"), done.stderr
        assert "Traceback" not in done.stderr and not done.stdout
