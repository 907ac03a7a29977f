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
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.hostile_corpus import build

CLI = [sys.executable, "-c", "from rosxl.cli import main; main()"]


@dataclass
class Run:
    """One measured command."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_bytes: int  # largest single process, from /usr/bin/time -v
    tree_rss_bytes: int  # largest sum over the process tree, sampled


def run_measured(args: list[str], timeout: float = 600) -> Run:
    """Run ``args`` under ``/usr/bin/time -v`` and sample the RSS of its whole process tree."""
    started = time.monotonic()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        if time.monotonic() - started > timeout:
            proc.kill()
            break
        time.sleep(0.02)
    stdout, stderr = proc.communicate()
    seconds = time.monotonic() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    max_rss = int(match.group(1)) * 1024 if match else 0
    return Run(proc.returncode, stdout, stderr, seconds, max_rss, max(peak, max_rss))


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(statm[1]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def convert_run(inputs: list[Path], out: Path, jobs: int, *options: str) -> Run:
    return run_measured([*CLI, "convert", *map(str, inputs), "-o", str(out), "--jobs", str(jobs), *options])


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
