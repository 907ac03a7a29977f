"""The hostile corpus through the real ``rosxl export``, ``check``, ``freeze`` and ``convert``, under
``/usr/bin/time -v``: peak memory and time of every file, and the ratio against the good files.

1. **Per file**: each command runs once per corpus file (bombs, entity tricks, huge ranges, a
   million styled rows, encrypted, truncated … and the good files) as its own ``rosxl`` process.
   A hostile file must be refused (exit 1) with its code (``[zip-bomb]``) and the guard's own
   message (as :func:`rosxl.safety.guard.inspect` gives it), and no traceback, within :data:`MAX_SECONDS` and
   :data:`MAX_BYTES` for the whole process tree. Printed per command: the worst wall time and peak
   memory over the hostile files, the same over the good files, and their ratio.
2. **Batch**: ``rosxl convert`` over the whole corpus against the good files alone.

Peak memory is the RSS of the whole process tree (parent + workers, sampled from /proc every
20 ms), at least the largest single process that ``/usr/bin/time -v`` saw. Needs Debian's
``time`` package (``apt-get install time``; ``scripts/install.sh test`` installs it). Exit status 1
when a file breaks a bound or is not refused as it should be.

    python -m benchmarks.bench_hostile [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from corpus.hostile import Case, build
from corpus.measure import CLI, Run, convert_run, run_measured
from rosxl.errors import InputRefusedError
from rosxl.excel.freeze import FREEZE_LIMITS
from rosxl.safety.guard import inspect
from rosxl.safety.limits import Limits

COMMANDS = ("export", "check", "freeze", "convert")
MAX_SECONDS = 30.0
MAX_BYTES = 1 << 30
MIB = 1 << 20


def command_run(command: str, path: Path, out: Path) -> Run:
    """``rosxl COMMAND`` on one file, its outputs (if any) under ``out``."""
    extra = {"freeze": ["-o", str(out / f"{path.stem}.xlsx")], "convert": ["-o", str(out)]}.get(command, [])
    return run_measured([*CLI, command, str(path), *extra])


def expected_refusal(path: Path, limits: Limits = Limits()) -> str | None:  # noqa: B008 - frozen
    """The guard's refusal of ``path`` as the CLI must show it (``None``: the guard lets it through).
    The guard alone is safe to run here: it never hands the file to a parser."""
    try:
        inspect(path, limits)
    except InputRefusedError as exc:
        return exc.message
    return None


def verdict(command: str, case: Case, run: Run) -> str:
    """``ok``, or what is wrong with this run."""
    problems = []
    if run.seconds > MAX_SECONDS:
        problems.append(f"over {MAX_SECONDS:.0f} s")
    if run.tree_rss_bytes > MAX_BYTES:
        problems.append(f"over {MAX_BYTES // MIB} MiB")
    if "Traceback" in run.stderr:
        problems.append("traceback")
    if case.code is not None:
        message = expected_refusal(case.path, FREEZE_LIMITS if command == "freeze" else Limits())
        output = run.stdout + run.stderr
        if run.returncode != 1 or message is None or message not in output or f"[{case.code}]" not in output:
            problems.append(f"not refused as [{case.code}]")
    return ", ".join(problems) or "ok"


def per_file(cases: list[Case], tmp: Path) -> bool:
    """Every command on every file; print each run and a summary per command; whether all held."""
    print(f"{'command':<9}{'file':<32}{'code':<21}{'exit':>5}{'wall s':>8}{'peak MiB':>10}  verdict")
    all_ok = True
    summary = []
    for command in COMMANDS:
        good: list[Run] = []
        hostile: list[Run] = []
        for n, case in enumerate(cases):
            run = command_run(command, case.path, tmp / f"{command}-{n}")
            (good if case.code is None else hostile).append(run)
            result = verdict(command, case, run)
            all_ok &= result == "ok"
            print(f"{command:<9}{case.path.name[:31]:<32}{case.code or '–':<21}{run.returncode:>5}{run.seconds:>8.2f}"
                  f"{run.tree_rss_bytes / MIB:>10.0f}  {result}")
        summary.append((command, good, hostile))
    print()
    print(f"{'command':<9}{'good: max wall s':>17}{'max MiB':>9}{'hostile: max wall s':>21}{'max MiB':>9}"
          f"{'ratio wall':>12}{'ratio MiB':>11}")
    for command, good, hostile in summary:
        gw, gm = max(r.seconds for r in good), max(r.tree_rss_bytes for r in good)
        hw, hm = max(r.seconds for r in hostile), max(r.tree_rss_bytes for r in hostile)
        print(f"{command:<9}{gw:>17.2f}{gm / MIB:>9.0f}{hw:>21.2f}{hm / MIB:>9.0f}{hw / gw:>11.2f}×{hm / gm:>10.2f}×")
    return all_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(Path(tmp) / "corpus")
        all_ok = per_file(cases, Path(tmp))
        good = [c.path for c in cases if c.code is None]
        baseline = convert_run(good, Path(tmp) / "ut-gode", args.jobs)
        hostile = convert_run([c.path for c in cases], Path(tmp) / "ut-alle", args.jobs)
    print()
    print(f"{'convert batch':<28}{'files':>6}{'exit':>6}{'wall s':>9}{'max RSS MiB':>13}{'tree RSS MiB':>14}")
    for name, run, n in (("good files only (baseline)", baseline, len(good)), ("whole hostile corpus", hostile,
                                                                                len(cases))):
        print(f"{name:<28}{n:>6}{run.returncode:>6}{run.seconds:>9.2f}{run.max_rss_bytes / MIB:>13.0f}"
              f"{run.tree_rss_bytes / MIB:>14.0f}")
    print(f"ratio hostile/baseline: wall {hostile.seconds / baseline.seconds:.2f}×, "
          f"tree RSS {hostile.tree_rss_bytes / baseline.tree_rss_bytes:.2f}×")
    print("every file within the bounds and refused as it should be" if all_ok else "SOME FILES BROKE A BOUND")
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
