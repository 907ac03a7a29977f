"""``rosxl convert``: outputs, naming, overwrite, report and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import rosxl
from corpus.legacy import nynorsk_helhetleg, semicolon_cp1252, two_row_header
from rosxl.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_folder_is_recursed_and_outputs_keep_relative_paths(tmp_path: Path) -> None:
    src = tmp_path / "gamle"
    (src / "2016").mkdir(parents=True)
    two_row_header(src / "2016")
    semicolon_cp1252(src)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    code, output = run("convert", str(src), "-o", str(tmp_path / "ut"))
    assert code == 0, output
    assert (tmp_path / "ut/2016/plan-ros-to-rader.xlsx").is_file()
    assert (tmp_path / "ut/eksport-semikolon.json").is_file()
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before  # inputs untouched
    report_text = (tmp_path / "ut/rapport.json").read_text("utf-8")
    report = json.loads(report_text)
    assert report["ok"] and report["totals"]["files"] == 2 and report["totals"]["scenarios"] == 7
    lines = report_text.splitlines()  # one input file per line
    assert [json.loads(line.rstrip(","))["file"] for line in lines[1:-1]] == [f["file"] for f in report["files"]]
    text = (tmp_path / "ut/rapport.txt").read_text("utf-8")
    assert "Konverteringsrapport" in text and "seksjonsrad" in text
    data = json.loads((tmp_path / "ut/2016/plan-ros-to-rader.json").read_text("utf-8"))
    assert data["rosxl"] == rosxl.__version__ and len(data["scenarios"]) == 3
    assert data["report"]["outputs"]["xlsx"].endswith("plan-ros-to-rader.xlsx")


def test_same_name_gets_a_distinct_output_said_in_the_report(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    nynorsk_helhetleg(a, "ros.xlsx")
    nynorsk_helhetleg(b, "ros.xlsx")
    code, output = run("convert", str(a / "ros.xlsx"), str(b / "ros.xlsx"), "-o", str(tmp_path / "ut"),
                       "--report", str(tmp_path / "r.json"))
    assert code == 0, output
    assert (tmp_path / "ut/ros.json").is_file() and (tmp_path / "ut/ros-2.json").is_file()
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [p["code"] for f in report["files"] for p in f["problems"]].count("output-renamed") == 1


def test_never_overwrites_without_overwrite(tmp_path: Path) -> None:
    src = two_row_header(tmp_path)
    assert run("convert", str(src), "-o", str(tmp_path / "ut"))[0] == 0
    code, output = run("convert", str(src), "-o", str(tmp_path / "ut"))
    assert code == 1 and "rapporten finnes fra før" in output
    code, output = run("convert", str(src), "-o", str(tmp_path / "ut"), "--report", str(tmp_path / "ny.json"))
    assert code == 1 and "output-exists" in output
    assert run("convert", str(src), "-o", str(tmp_path / "ut"), "--overwrite")[0] == 0


def test_a_refused_file_fails_the_batch_but_the_rest_converts(tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    two_row_header(src)
    (src / "tom.xlsx").write_bytes(b"")
    code, output = run("convert", str(src), "-o", str(tmp_path / "ut"), "--jobs", "2")
    assert code == 1
    assert "tom.xlsx" in output and "Traceback" not in output
    assert (tmp_path / "ut/plan-ros-to-rader.xlsx").is_file()
    report = json.loads((tmp_path / "ut/rapport.json").read_text("utf-8"))
    refused = [f for f in report["files"] if f["error"]]
    assert [f["error"]["code"] for f in refused] == ["empty-file"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("convert", "-o", str(tmp_path))[0] == 2
    assert run("convert", str(tmp_path / "finnes-ikke.xlsx"), "-o", str(tmp_path))[0] == 2
    assert run("convert", str(tmp_path), "-o", str(tmp_path / "ut"), "--jobs", "0")[0] == 2


def test_python_api_returns_analysis_and_report(tmp_path: Path) -> None:
    analysis, report = rosxl.convert(two_row_header(tmp_path), criteria="luster-2013")
    assert analysis.criteria.name == "luster-2013" and report.scenarios == 3
    assert report.to_dict()["ok"]
