"""Benchmark ``rosxl convert`` on a few hundred typical legacy files against the bare cost.

Baseline, in the same run and with the same number of processes: read every file with
python-calamine and write the same number of rows to an .xlsx with openpyxl. Rounds alternate
between the two. The first starts with an empty template cache (:mod:`rosxl.workbook.cache`), as
a first run after ``pip install`` does; the second with the cache emptied and filled again by the
install step (``python -m rosxl.workbook.cache --warm``, not timed), as a first run after
``scripts/install.sh`` does; the others (six rounds in all by default) with the cache the earlier
rounds left. Prints the ratios of wall-clock time (target ≤ 1.5 with a warm cache: the median of
rounds 2 on) and of processor time (steadier on a shared machine), a per-file breakdown and the
resident memory of one process converting the whole batch at checkpoints (it should stay flat).
Each round also says what creating one empty file costs in the work folder just before it: the
main source of noise between rounds on a shared machine, since rosxl creates two files per input
and the baseline one. The work folder is a temporary folder under ``TMPDIR``. Run from the
repository root::

    python benchmarks/bench_convert.py [FILES] [JOBS] [ROUNDS]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from corpus import legacy  # noqa: E402
from rosxl.conversion.batch import (  # noqa: E402
    Job,
    convert_batch,
    convert_job,
    find_inputs,
    report_paths,
    write_report,
)
from rosxl.workbook import cache, stamp  # noqa: E402

ROUNDS = {1: "tom cache: malene bygges", 2: "etter installasjonens --warm"}
TYPICAL = (legacy.two_row_header, legacy.nynorsk_helhetleg, legacy.semicolon_cp1252, legacy.legend_sheet,
           legacy.several_sheets, legacy.form_sheets)


def typical_file(folder: Path, i: int, rows: int = 50) -> Path:
    """A corpus case grown to about ``rows`` scenario rows (the tables repeat their data rows)."""
    build = TYPICAL[i % len(TYPICAL)]
    path = build(folder)
    target = path.with_name(f"{path.stem}-{i:04d}{path.suffix}")
    path.rename(target)
    if target.suffix == ".csv":
        lines = target.read_bytes().splitlines()
        target.write_bytes(b"\r\n".join([lines[0], *(lines[1 + n % (len(lines) - 1)] for n in range(rows))]))
    elif build in (legacy.two_row_header, legacy.nynorsk_helhetleg):
        wb = openpyxl.load_workbook(target)
        ws = wb.worksheets[0]
        data = [list(r) for r in ws.iter_rows(values_only=True) if isinstance(r[0], int) or
                (isinstance(r[0], str) and r[0][:1] in "NT" and r[0][1:].isdigit())]
        for n in range(rows - len(data)):
            row = list(data[n % len(data)])
            row[0] = f"X{n}" if isinstance(row[0], str) else 100 + n
            ws.append(row)
        wb.save(target)
    return target


def bare(path: Path, out: Path) -> int:
    """Read all values with calamine, write as many rows with openpyxl."""
    rows: list[Any]
    if path.suffix == ".csv":
        rows = [line.split(";") for line in path.read_bytes().decode("cp1252", "replace").splitlines()]
    else:
        wb = CalamineWorkbook.from_path(str(path))
        rows = [r for name in wb.sheet_names for r in wb.get_sheet_by_name(name).to_python()]
    target = openpyxl.Workbook()
    ws = target.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    target.save(out / f"{path.stem}.xlsx")
    return len(rows)


def breakdown(paths: list[Path], out: Path) -> None:
    """Where one file's time goes, in one process: conversion, workbook, JSON, and the bare baseline."""
    from rosxl import convert
    from rosxl.criteria import load_criteria
    from rosxl.workbook import write_workbook

    out.mkdir()
    criteria = load_criteria("standard")
    totals = dict.fromkeys(("konvertering", "write_workbook", "JSON", "bare"), 0.0)
    for path in paths:
        t0 = time.perf_counter()
        analysis, _ = convert(path, criteria)
        t1 = time.perf_counter()
        write_workbook(analysis, out / "x.xlsx")
        t2 = time.perf_counter()
        (out / "x.json").write_text(analysis.to_json(indent=None), "utf-8")
        t3 = time.perf_counter()
        bare(path, out)
        t4 = time.perf_counter()
        for key, dt in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            totals[key] += dt
    parts = ", ".join(f"{k} {1000 * v / len(paths):.1f} ms" for k, v in totals.items())
    print(f"per fil i én prosess: {parts}; konvertering alene = "
          f"{totals['konvertering'] / totals['bare']:.2f}x bare")


def colour_cost(folder: Path, times: int = 20) -> None:
    """What reading fill colours costs a file that needs them (rows whose zone is only a colour:
    openpyxl is loaded for them), against the same table with its zones written out."""
    from rosxl import convert
    from rosxl.criteria import load_criteria

    folder.mkdir()
    criteria = load_criteria("standard")
    coloured = legacy.colour_only(folder)
    wb = openpyxl.load_workbook(coloured)
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.value is None and (cell.column or 0) > 1:
                    cell.value = "Gul"  # the zone written, so no colour is needed
    plain = folder / "uten-farger.xlsx"
    wb.save(plain)
    spent: dict[str, float] = {}
    for name, path in (("med farger", coloured), ("uten", plain)):
        convert(path, criteria)
        t0 = time.perf_counter()
        for _ in range(times):
            convert(path, criteria)
        spent[name] = (time.perf_counter() - t0) / times * 1000
    print(f"fyllfarger: en fil som trenger dem {spent['med farger']:.1f} ms, samme fil uten {spent['uten']:.1f} ms "
          f"(openpyxl bare for slike filer)")


def file_creation_ms(folder: Path, count: int = 300) -> float:
    """What creating one new (empty) file costs here, in milliseconds of wall-clock time: ``rosxl
    convert`` creates two per input (the workbook and the JSON), the baseline one."""
    folder.mkdir()
    start = time.perf_counter()
    for i in range(count):
        (folder / f"f{i}").touch(exist_ok=False)
    return (time.perf_counter() - start) / count * 1000


def cpu_seconds() -> float:
    """Processor time of this process and its ended children (the workers of a finished round)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def main(files: int = 300, jobs: int = 2, rounds: int = 6) -> None:
    work = Path(tempfile.mkdtemp(prefix="rosxl-bench-"))
    try:
        src = work / "src"
        src.mkdir()
        for i in range(files):
            typical_file(src, i)
        paths = sorted(src.iterdir())

        os.environ[cache.ENV] = str(work / "template-cache")  # empty: the first round builds the templates
        ratios: list[float] = []
        cpu_ratios: list[float] = []  # steadier than the wall clock on a busy machine
        for n in range(1, rounds + 1):  # alternating rounds: the machine's noise hits both sides
            stamp.template.cache_clear()  # templates in memory are the parent's batch's own (see prepare)
            if n == 2:  # as after scripts/install.sh: an empty cache filled by the install step, in its own process
                shutil.rmtree(work / "template-cache")
                subprocess.run([sys.executable, "-m", "rosxl.workbook.cache", "--warm"], check=True,
                               stdout=subprocess.DEVNULL, cwd=ROOT)
            (work / f"bare{n}").mkdir()
            created = file_creation_ms(work / f"created{n}", 100)
            start, cpu = time.perf_counter(), cpu_seconds()
            with ProcessPoolExecutor(jobs) as pool:
                list(pool.map(bare, paths, [work / f"bare{n}"] * len(paths), chunksize=8))
            bare_s, bare_cpu = time.perf_counter() - start, cpu_seconds() - cpu

            start, cpu = time.perf_counter(), cpu_seconds()  # what `rosxl convert` does after parsing its arguments
            report = convert_batch([src], work / f"out{n}", jobs=jobs)
            write_report(report, *report_paths(work / f"rapport{n}.json"))
            convert_s, convert_cpu = time.perf_counter() - start, cpu_seconds() - cpu
            assert report.ok, report.to_text()[:2000]
            ratios.append(convert_s / bare_s)
            cpu_ratios.append(convert_cpu / bare_cpu)
            print(f"runde {n} ({ROUNDS.get(n, 'maler fra cachen')}): "
                  f"bare (calamine les + openpyxl skriv) {bare_s:.2f} s, "
                  f"rosxl convert --jobs {jobs} {convert_s:.2f} s ({files / convert_s:.0f} filer/s): "
                  f"{ratios[-1]:.2f}x; prosessortid {convert_cpu:.2f} mot {bare_cpu:.2f} s: {cpu_ratios[-1]:.2f}x; "
                  f"en ny fil {created:.2f} ms")

        t = report.totals()
        print(f"{files} filer, {t['rows_read']} rader, {t['scenarios']} scenarioer, {jobs} prosesser")
        print(f"forhold: {statistics.median(ratios[1:]):.2f}x, median av rundene 2–{rounds} "
              f"med maler i cachen (mål: ≤ 1,5x); alle {rounds} runder {statistics.median(ratios):.2f}x; "
              f"første runde, tom cache: {ratios[0]:.2f}x")
        print(f"prosessortid: {statistics.median(cpu_ratios[1:]):.2f}x, median av rundene 2–{rounds}; "
              f"første runde {cpu_ratios[0]:.2f}x")

        print(f"«en ny fil»: det å lage én tom fil i {work} før runden (rosxl lager to per kilde, arbeidsbok og "
              "JSON, grunnlinjen én); på en delt maskin svinger det mellom rundene. Mappen følger TMPDIR")
        breakdown(paths[:60], work / "parts")
        colour_cost(work / "colour")
        jobs_in_process = [Job(j.source, str(work / "mem" / Path(j.output).name), "standard", True)
                           for j in find_inputs([src], work / "mem")]
        marks = {len(jobs_in_process) // 10, len(jobs_in_process) // 2, len(jobs_in_process) - 1}
        samples = []
        for n, job in enumerate(jobs_in_process):
            convert_job(job)
            if n in marks:
                samples.append(f"{n + 1}: {rss_mib():.0f} MiB")
        print("minne i én prosess etter fil " + ", ".join(samples))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
