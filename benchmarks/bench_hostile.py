"""The hostile corpus through the real ``rosxl convert``, under ``/usr/bin/time -v``: peak memory and time.

Two runs in the same session: the whole corpus (bombs, entity tricks, huge ranges, a million
styled rows, encrypted, truncated … and the good files), and as the baseline the good files
alone. Printed: wall time, peak RSS of the largest single process (``/usr/bin/time -v``) and
peak RSS of the whole process tree (parent + forkserver + workers, sampled from /proc every
20 ms), and the hostile/baseline ratios. Needs Debian's ``time`` package (``apt-get install time``).

    python -m benchmarks.bench_hostile [--jobs N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from corpus.hostile import build
from corpus.measure import convert_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(Path(tmp) / "corpus")
        good = [c.path for c in cases if c.code is None]
        baseline = convert_run(good, Path(tmp) / "ut-gode", args.jobs)
        hostile = convert_run([c.path for c in cases], Path(tmp) / "ut-alle", args.jobs)
    mib = 1 << 20
    print(f"{'run':<28}{'files':>6}{'exit':>6}{'wall s':>9}{'max RSS MiB':>13}{'tree RSS MiB':>14}")
    for name, run, n in (("good files only (baseline)", baseline, len(good)), ("whole hostile corpus", hostile,
                                                                                len(cases))):
        print(f"{name:<28}{n:>6}{run.returncode:>6}{run.seconds:>9.2f}{run.max_rss_bytes / mib:>13.0f}"
              f"{run.tree_rss_bytes / mib:>14.0f}")
    print(f"ratio hostile/baseline: wall {hostile.seconds / baseline.seconds:.2f}×, "
          f"tree RSS {hostile.tree_rss_bytes / baseline.tree_rss_bytes:.2f}×")


if __name__ == "__main__":
    main()
