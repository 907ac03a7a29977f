"""``rosxl report`` to DOCX for 15, 100 and 1 000 scenarios, against python-docx writing the same number
of plain paragraphs and tables (with the same rows and columns, no styles, shading or fields) in the
same run.

Run: ``python benchmarks/bench_report.py``. Prints medians per size, the ratio to the baseline and how
time grows with size (the exponent b in t ∝ n^b between two sizes: 1 is linear).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docx

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.criteria import load_criteria
from rosxl.risikobilde import write_report

SIZES = (15, 100, 1000)


def medians_s(first: Callable[[], object], second: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Medians of ``first`` and ``second``, run alternately (so a busy machine slows both alike)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for func, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            func()
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def analysis(n: int) -> Analysis:
    c = load_criteria("standard")
    areas = c.area_keys
    scenarios = [assess_scenario(Scenario(
        id=f"S{i}", title=f"Uønsket hendelse {i}", category="Natur", description="Beskrivelse av hendelsen. " * 4,
        causes="Årsaker", existing_measures="Rutiner", probability=i % 5 + 1,
        consequences={areas[i % 5]: (i * 3) % 5 + 1, areas[(i + 1) % 5]: i % 5 + 1}, uncertainty="middels",
        measures="Tiltak som foreslås", responsible="Beredskap", deadline=f"2027-{i % 12 + 1:02d}-01",
        status="Påbegynt", residual=Residual(1, {areas[i % 5]: 2})), c) for i in range(n)]
    return Analysis(c, scenarios, {"title": "Benchmark"})


def baseline(shape: docx.document.Document, path: Path) -> None:
    """python-docx writing as many plain paragraphs and tables of the same sizes as ``shape`` has."""
    doc = docx.Document()
    for _ in shape.paragraphs:
        doc.add_paragraph("Tekst i et avsnitt")
    for t in shape.tables:
        rows, cols = len(t.rows), len(t.columns)
        table = doc.add_table(rows=rows, cols=cols)
        for row in table.rows:
            for cell in row.cells:
                cell.text = "Tekst"
    doc.save(str(path))


def main() -> None:
    results: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            a = analysis(n)
            out, plain = Path(tmp) / f"r{n}.docx", Path(tmp) / f"p{n}.docx"
            write_report(a, out, overwrite=True)
            shape = docx.Document(str(out))
            ours, base = medians_s(partial(write_report, a, out, overwrite=True, today=dt.date(2026, 1, 1)),
                                   partial(baseline, shape, plain), 9 if n < 1000 else 3)
            results[n] = (ours, base)
            print(f"{n:>5} scenarioer: report {ours * 1000:8.0f} ms, python-docx {len(shape.paragraphs)} avsnitt + "
                  f"{len(shape.tables)} tabeller {base * 1000:8.0f} ms, ratio {ours / base:.2f}")
    for small, large in zip(SIZES, SIZES[1:], strict=False):
        growth = math.log(results[large][0] / results[small][0]) / math.log(large / small)
        base_growth = math.log(results[large][1] / results[small][1]) / math.log(large / small)
        print(f"vekst {small} → {large}: report t ∝ n^{growth:.2f}, python-docx t ∝ n^{base_growth:.2f}")


if __name__ == "__main__":
    main()
