"""Time ``rosxl.assess`` on 1 000 000 rows against a bare numpy 5×5 table lookup of the same zones.

The baseline gets the same classes as ready-made numpy arrays and does, per area, one fancy
index into a 5×5 zone table plus a running maximum — the least any implementation must do.
Both run in the same process on the same data; the ratio is what matters (target: ≤ 3×).

    python benchmarks/bench_assess.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

import rosxl


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    func()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    criteria = rosxl.load_criteria("standard")
    areas = list(criteria.area_keys)
    rng = np.random.default_rng(2026)
    frame = pd.DataFrame({"probability": rng.integers(1, 6, args.rows)}
                         | {a: rng.integers(1, 6, args.rows) for a in areas})

    # Baseline: classes already as numpy arrays, a plain 2-D zone-rank table per area.
    p = frame["probability"].to_numpy()
    ks = [frame[a].to_numpy() for a in areas]
    tables = []
    for a in areas:
        t = np.zeros((6, 6), dtype=np.int8)
        for i in range(1, 6):
            for j in range(1, 6):
                t[i, j] = criteria.zone_rank(criteria.zone(i, j, a) or "green")
        tables.append(t)

    def baseline() -> np.ndarray:
        worst: np.ndarray = tables[0][p, ks[0]]
        for t, k in zip(tables[1:], ks[1:], strict=True):
            worst = np.maximum(worst, t[p, k])
        return worst

    def ours() -> pd.DataFrame:
        return rosxl.assess(frame, criteria)

    ranks = np.array([criteria.zone_rank(z) for z in ours()["zone"]])
    assert (ranks == baseline()).all(), "assess and the baseline disagree"

    t_base = median_seconds(baseline, args.repeat)
    t_ours = median_seconds(ours, args.repeat)
    texts = frame.head(args.rows).astype({"probability": object})
    texts["probability"] = np.where(p % 2 == 0, "1 gang per 20 år", "Svært høy")
    t_text = median_seconds(lambda: rosxl.assess(texts, criteria), max(1, args.repeat // 2))
    print(f"rows: {args.rows:,}  areas: {len(areas)}")
    print(f"bare numpy 5×5 lookup : {t_base * 1000:8.1f} ms")
    print(f"rosxl.assess (classes): {t_ours * 1000:8.1f} ms   ratio {t_ours / t_base:.2f}×  (target ≤ 3×)")
    print(f"rosxl.assess (texts)  : {t_text * 1000:8.1f} ms   ratio {t_text / t_base:.2f}×  (probability as text)")


if __name__ == "__main__":
    main()
