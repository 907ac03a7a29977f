"""``rosxl convert``: outputs, naming, overwrite, report and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import rosxl
from corpus.legacy import nynorsk_helhetleg, semicolon_cp1252, two_row_header
from rosxl.cli import cli
from tests.sheets import new_sheet


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


def test_nynorsk_source_gives_a_nynorsk_workbook_unless_asked(tmp_path: Path) -> None:
    from rosxl.workbook.read import read_workbook

    source = Path(__file__).parent.parent / "examples" / "legacy" / "heilskapleg-ros-2014.ods"
    for args, expected in (([], "nn"), (["--language", "nb"], "nb")):
        out = tmp_path / expected
        result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        assert read_workbook(out / "heilskapleg-ros-2014.xlsx").layout.language == expected
        report = json.loads((out / "rapport.json").read_text("utf-8"))
        said = [p["message"] for p in report["files"][0]["problems"] if p["code"] == "language-chosen"]
        assert said and said[0].startswith(f"arbeidsboka skrives på {'nynorsk' if expected == 'nn' else 'bokmål'}")
        assert ("valgt med --language" in said[0]) == bool(args)


def _wrongly_detected(folder: Path) -> Path:

    wb, ws = new_sheet()
    ws.title = "ROS"
    ws.append(["Nr", "Uønsket hendelse", "S", "Kostnadsklasse", "Kommentar"])
    ws.append([1, "Flom", 3, 4, "sjekkes"])
    ws.append([2, "Brann", 2, 5, None])
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / "feil.xlsx")
    return folder / "feil.xlsx"


def test_mapping_round_trip_fixes_a_wrong_guess(tmp_path: Path) -> None:
    source = _wrongly_detected(tmp_path / "inn")
    first = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "ut1")])
    assert first.exit_code == 0, first.output
    out1 = json.loads((tmp_path / "ut1" / "feil.json").read_text("utf-8"))
    assert out1["scenarios"][0]["extra"]["Kostnadsklasse"] == 4  # not recognised: kept, not read
    mapping = (tmp_path / "ut1" / "kobling.toml").read_text("utf-8")
    assert 'D = "extra"' in mapping and "«Kostnadsklasse»" in mapping
    # fed back unchanged: the same scenarios
    same = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "ut2"), "--mapping",
                                    str(tmp_path / "ut1" / "kobling.toml")])
    assert same.exit_code == 0, same.output
    assert json.loads((tmp_path / "ut2" / "feil.json").read_text("utf-8"))["scenarios"] == out1["scenarios"]
    # one line edited: exactly that changes
    edited = tmp_path / "rettet.toml"
    edited.write_text(mapping.replace('D = "extra"', 'D = "consequences.okonomi"'), "utf-8")
    fixed = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "ut3"), "--mapping", str(edited)])
    assert fixed.exit_code == 0, fixed.output
    out3 = json.loads((tmp_path / "ut3" / "feil.json").read_text("utf-8"))
    assert [s["consequences"] for s in out3["scenarios"]] == [{"okonomi": 4}, {"okonomi": 5}]
    for before, after in zip(out1["scenarios"], out3["scenarios"], strict=True):
        changed = {k for k in before if before[k] != after[k]}
        assert changed <= {"consequences", "extra", "zone", "zones", "score", "review"}, changed
        assert after["title"] == before["title"] and after["probability"] == before["probability"]


@pytest.mark.parametrize(("text", "says"), [
    ('[[fil]]\nnavn = "*.xlsx"\n[[fil.ark]]\nnavn = "ROS"\nkolonnr = 3\n', "linje 5: ukjent nøkkel «kolonnr»"),
    ('[[fil]]\nnavn = "*.xlsx"\n[[fil.ark]]\nnavn = "ROS"\n[[fil.ark.tabell]]\n[fil.ark.tabell.kolonner]\n'
     'A = "tittel"\n', "linje 7: kolonne A: ukjent felt «tittel»"),
    ('[[fil]]\nnavn = "*.xlsx"\n[[fil.ark]\n', "linje 3: ikke gyldig TOML"),
])
def test_bad_mapping_files_are_refused_with_file_key_and_line(tmp_path: Path, text: str, says: str) -> None:
    source = _wrongly_detected(tmp_path / "inn")
    bad = tmp_path / "kobling.toml"
    bad.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "ut"), "--mapping", str(bad)])
    assert result.exit_code != 0
    assert "kobling.toml" in result.output and says in result.output, result.output
    assert "Traceback" not in result.output
