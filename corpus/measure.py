"""Run a command under ``/usr/bin/time -v`` and sample the memory of its whole process tree.

Used by the hostile-input tests and ``benchmarks/bench_hostile.py``. Needs Debian's ``time``
package (``apt-get install time``); the tree's memory is read from ``/proc`` (Linux).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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
