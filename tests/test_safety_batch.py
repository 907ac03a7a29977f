"""The hostile corpus in one batch through the real ``rosxl convert``; offline; inert formulas."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from corpus import hostile as hc
from corpus.measure import convert_run
from rosxl.cli import cli

GiB = 1 << 30


def digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/time").exists(), reason="needs Debian's time package (apt-get install time)")
def test_hostile_batch_end_to_end(tmp_path: Path) -> None:
    cases = hc.build(tmp_path / "corpus")
    before = digest([c.path for c in cases])
    out = tmp_path / "ut"
    run = convert_run([tmp_path / "corpus"], out, jobs=2)

    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.tree_rss_bytes < GiB and run.max_rss_bytes < GiB
    report = {Path(f["file"]).name: f for f in json.loads((out / "rapport.json").read_text("utf-8"))["files"]}
    for case in cases:
        entry = report[case.path.name]
        if case.code is None:
            assert entry["error"] is None, (case.path.name, entry["error"])
            assert all(Path(p).exists() for p in entry["outputs"].values())
        else:
            assert entry["error"]["code"] == case.code, (case.path.name, entry["error"])
            assert f"[{case.code}]" in run.stderr  # the refused file and its reason code on the console
    assert digest([c.path for c in cases]) == before  # inputs untouched
    assert not [p for p in out.rglob(".*") if ".tmp-" in p.name]

    kept = digest(sorted(out.glob("*.xlsx")))
    again = convert_run([tmp_path / "corpus"], out, jobs=2)  # a re-run never overwrites silently
    assert again.returncode == 1 and "finnes fra før" in again.stderr
    assert digest(sorted(out.glob("*.xlsx"))) == kept


def test_formula_text_stays_text_and_nothing_goes_online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A good file, an injection CSV and an external entity pointing at a URL, with sockets forbidden."""
    src = tmp_path / "inn"
    src.mkdir()
    (src / "god.xlsx").write_bytes(hc.good_xlsx_bytes())
    (src / "injeksjon.csv").write_text(hc.good_csv_text([[i + 1, t, t, 2, 3, "Gul", t]
                                                         for i, t in enumerate(hc.INJECTIONS)]), "utf-8")
    (src / "xxe-url.xlsx").write_bytes(hc._replace(hc.good_xlsx_bytes(), {
        "xl/worksheets/sheet1.xml": hc.external_entity("http://127.0.0.1:9/hemmelig")}))
    link = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    (src / "ekstern-lenke.xlsx").write_bytes(hc._replace(hc.good_xlsx_bytes(), {
        "xl/externalLinks/externalLink1.xml": link,
        "xl/externalLinks/_rels/externalLink1.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/externalLinkPath" Target="http://127.0.0.1:9/kilde.xlsx" TargetMode="External"/>'
        b"</Relationships>"}))
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)

    from rosxl.conversion.batch import convert_job, find_inputs

    jobs = [replace(job, criteria="standard") for job in find_inputs([src], tmp_path / "ut")]
    results = {Path(job.source).name: convert_job(job) for job in jobs}  # in this process: the patch applies
    assert results["xxe-url.xlsx"]["error"]["code"] == "xml-entities"
    assert results["god.xlsx"]["error"] is None and results["ekstern-lenke.xlsx"]["error"] is None
    ws = openpyxl.load_workbook(results["injeksjon.csv"]["outputs"]["xlsx"]).worksheets
    texts = [c for sheet in ws for row in sheet.iter_rows() for c in row if c.value in hc.INJECTIONS]
    assert {c.value for c in texts} == set(hc.INJECTIONS)
    assert all(c.data_type == "s" for c in texts)


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"rosxl tried to open a network connection: {args}")


def test_cli_batch_exit_status_and_codes(tmp_path: Path) -> None:
    src = tmp_path / "inn"
    src.mkdir()
    (src / "god.xlsx").write_bytes(hc.good_xlsx_bytes())
    (src / "tom.xlsx").write_bytes(b"")
    (src / "passord.xlsx").write_bytes(hc.encrypted_xlsx(hc.good_xlsx_bytes()))
    result = CliRunner().invoke(cli, ["convert", str(src), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "[empty-file]" in result.output and "passordbeskyttet" in result.output
    assert (tmp_path / "ut" / "god.xlsx").exists()
    shutil.rmtree(src)


def test_no_telemetry_capable_imports_at_conversion() -> None:
    """Converting must not import xlwings (the Excel add-in) or any HTTP client."""
    import subprocess
    import sys

    code = ("import sys; from rosxl.conversion.batch import convert_job, find_inputs; import rosxl.workbook; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('xlwings', 'requests', 'urllib3', 'httpx', 'aiohttp', 'http')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
