"""What the ``ros_*`` functions cost: a full recalculation of the template, and a call per row vs one per table.

1. **Cost model** (:mod:`benchmarks.udf_cost`): a filled xlwings-flavour workbook of 50, 200 and
   1 000 table rows, with 0 %, 20 % and 100 % of the class cells holding raw facts, is recalculated
   in-process by the `formulas` engine with the ``ros_*`` functions registered; printed are the
   calls, the cells passed to them (in total, and in the largest call other than the token cell's
   ``ros_kriterier_last``, which passes the criteria block once on purpose), and the Python time.
   Excel's cost is estimated from published xlwings figures: a classic UDF call costs 3.8–13 ms
   before any data moves (xlwings issue #1976: 13 ms per call with the default VBA, 3.8 ms with a
   cached ``WScript.Shell``), and passing a range costs about 2.7–5.5 µs per cell (xlwings issue
   #397: a 1 000 000-cell argument took 2.7–5.5 s).
2. **One table call vs row calls**: one ``ros_soner`` over 5 000 rows against 5 000 ``ros_sone``
   calls, both with what Excel passes (floats, texts, the criteria block as a 2-D list). In Excel
   each call also costs the round trip above, so the real gap is larger than the printed ratio.

Run: ``python benchmarks/bench_udfs.py [--rows 50 200 1000]`` (the 1 000-row workbooks take the
`formulas` engine a few minutes each).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.udf_cost import Cost, measure  # noqa: E402
from rosxl import load_criteria, udfs  # noqa: E402
from rosxl.workbook.criteria_sheet import criteria_to_grid  # noqa: E402

ROWS = 5_000
SIZES = (50, 200, 1_000)
FACT_SHARES = (0.0, 0.2, 1.0)
#: Per classic xlwings call (issue #1976) and per cell passed (issue #397), low and high.
CALL_SECONDS, CELL_SECONDS = (0.0038, 0.013), (2.7e-6, 5.5e-6)
PROBABILITIES = [1.0, 2.0, 3.0, 4.0, 5.0, "Høy", "1 gang per 20 år", "årlig", "Middels (3)"]
CONSEQUENCES = [1.0, 2.0, 3.0, 4.0, 5.0, "Kritisk", "2 mill", "kr 150 000", "stopp i 7 dager"]


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def excel_seconds(cost: Cost) -> tuple[float, float]:
    """Excel's estimated recalculation time: the calls' round trips and the cells they move."""
    calls, cells = len(cost.calls), cost.cells
    return calls * CALL_SECONDS[0] + cells * CELL_SECONDS[0], calls * CALL_SECONDS[1] + cells * CELL_SECONDS[1]


def cost_model(sizes: tuple[int, ...]) -> None:
    print("rader  fakta  klasseceller  kall  celler totalt  største kall  Python ms  Excel anslått s  (motor s)")
    with tempfile.TemporaryDirectory() as work:
        for rows in sizes:
            for share in FACT_SHARES:
                cost = measure(rows, share, Path(work))
                low, high = excel_seconds(cost)
                print(f"{rows:5}  {share:4.0%}  {cost.class_cells:12}  {len(cost.calls):5}  {cost.cells:13}  "
                      f"{cost.max_cells:12}  {cost.python_seconds * 1000:9.1f}  {low:6.1f}–{high:<7.1f}  "
                      f"({cost.engine_seconds:.0f})", flush=True)
                if share == 0.2:
                    bound = 0.2 * cost.class_cells + 5
                    verdict = "holder" if len(cost.calls) <= bound and cost.max_cells <= 16 else "holder IKKE"
                    print(f"       målet (kall ≤ {bound:.0f}, ingen over 16 celler): {verdict}", flush=True)


def row_calls_vs_table_call() -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    cost_model(tuple(args.rows))
    row_calls_vs_table_call()


if __name__ == "__main__":
    main()
