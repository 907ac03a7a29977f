"""Writing and reading the standard workbook for a 50-row analysis, against plain openpyxl in the same run.

Run: ``python benchmarks/bench_workbook.py``. Prints medians and the ratio to the baseline (a plain
openpyxl workbook with the same visible values, no styles or formulas).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria import load_criteria
from rosxl.workbook import read_analysis, write_workbook


def median_ms(func: Callable[[], object], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    c = load_criteria("standard")
    scenarios = [assess_scenario(Scenario(id=f"N{i}", title=f"Hendelse {i}", description="Tekst " * 20,
                                          probability=i % 5 + 1, consequences=dict.fromkeys(c.area_keys, i % 5 + 1),
                                          measures="Tiltak"), c) for i in range(50)]
    analysis = Analysis(c, scenarios)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ros.xlsx"
        plain = Path(tmp) / "plain.xlsx"

        def baseline() -> None:
            wb = Workbook()
            ws = wb.active
            assert ws is not None
            for s in scenarios:
                ws.append([s.id, s.title, s.description, s.probability, *s.consequences.values(), s.measures])
            wb.save(plain)

        base = median_ms(baseline)
        write = median_ms(lambda: write_workbook(analysis, out))
        read = median_ms(lambda: read_analysis(out))
        in_place = median_ms(lambda: read_analysis(out, isolate=False))  # guard, no worker: the cost of isolation
    print(f"baseline openpyxl 50 rows: {base:.1f} ms")
    print(f"write_workbook 50 rows:    {write:.1f} ms  (ratio {write / base:.1f})")
    print(f"read_analysis 50 rows:     {read:.1f} ms  (ratio {read / base:.1f}; guard + isolated worker)")
    print(f"  without the worker:      {in_place:.1f} ms  (isolation costs {read - in_place:.1f} ms, "
          f"{read / in_place:.2f}×)")


if __name__ == "__main__":
    main()
