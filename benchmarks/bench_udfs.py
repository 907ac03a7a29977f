"""One ``ros_soner`` call over a 5 000-row table against 5 000 single ``ros_sone`` calls, same run.

Both get what Excel passes: floats and texts, and the criteria block (``ros_kriterier``) as a 2-D
list of cells. In Excel each call also costs a COM round trip through VBA, which this Python-only
measurement leaves out, so the real gap is larger than the printed ratio.

Run: ``python benchmarks/bench_udfs.py``
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from rosxl import load_criteria, udfs
from rosxl.workbook.criteria_sheet import criteria_to_grid

ROWS = 5_000
PROBABILITIES = [1.0, 2.0, 3.0, 4.0, 5.0, "Høy", "1 gang per 20 år", "årlig", "Middels (3)"]
CONSEQUENCES = [1.0, 2.0, 3.0, 4.0, 5.0, "Kritisk", "2 mill", "kr 150 000", "stopp i 7 dager"]


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = random.Random(2013)
    grid = [[float(c) if isinstance(c, int) else c for c in row]
            for row in criteria_to_grid(load_criteria("standard"), "nb")]
    table = [[rng.choice(PROBABILITIES), rng.choice(CONSEQUENCES)] for _ in range(ROWS)]
    udfs.ros_sone(3.0, 3.0, None, grid)  # parse the criteria block once, as the first cell in Excel would

    single = best_of(3, lambda: [udfs.ros_sone(p, k, None, grid) for p, k in table])
    array = best_of(3, lambda: udfs.ros_soner(table, grid))
    assert [z for (z,) in udfs.ros_soner(table, grid)] == [udfs.ros_sone(p, k, None, grid) for p, k in table]

    print(f"{ROWS} × ros_sone:     {single * 1000:8.1f} ms  ({single / ROWS * 1e6:.1f} µs per call)")
    print(f"1 × ros_soner ({ROWS}): {array * 1000:8.1f} ms")
    print(f"ratio single calls / one array call: {single / array:.1f}×")


if __name__ == "__main__":
    main()
