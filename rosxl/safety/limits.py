"""Hard limits for untrusted input: sizes, parts, sheet dimensions, time and memory.

The defaults let every real municipal ROS workbook through (they are a few hundred kilobytes,
a few hundred rows) and stop what would exhaust a worker: zip bombs, absurd sheet ranges,
runaway parsing. All limits are configurable; :class:`Limits` is immutable, make a changed
copy with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """Limits applied by :func:`rosxl.safety.guard.inspect` and :func:`rosxl.safety.isolation.run_isolated`."""

    #: Largest input file on disk. Real ROS workbooks are well under 10 MiB.
    max_file_bytes: int = 200 * MiB
    #: Most members (parts) in an .xlsx/.xlsm/.ods zip. Excel writes a few dozen.
    max_parts: int = 10_000
    #: Largest uncompressed size of one part, declared *and* actually decompressed.
    max_part_bytes: int = 512 * MiB
    #: Largest uncompressed size of all parts together.
    max_total_bytes: int = 1 * GiB
    #: Highest compression ratio of a part larger than :attr:`ratio_min_bytes`.
    #: Real workbooks compress 6–8:1, zip bombs several hundred to 1 000:1.
    max_compression_ratio: float = 200.0
    #: Parts smaller than this (uncompressed) are not held to the ratio: they cannot hurt.
    ratio_min_bytes: int = 16 * MiB
    #: Most rows of the cells a sheet really holds (and of a CSV file).
    max_rows: int = 1_048_576
    #: Most columns of the cells a sheet really holds.
    max_columns: int = 16_384
    #: Most cells in the rectangle spanned by the cells a sheet really holds. A reader allocates
    #: this rectangle densely (calamine aborts the process on A1 + XFD1048576).
    max_cells: int = 5_000_000
    #: Most cells in the range a sheet *claims* (``<dimension ref>``, .xls DIMENSIONS). Generous,
    #: because formatting whole columns inflates the claim; A1:XFD1048576 (17 billion) is refused.
    max_claimed_cells: int = 100_000_000
    #: Wall-clock time one file may take in a worker before the worker is killed.
    timeout_seconds: float = 300.0
    #: Address space a worker process may add to what it holds when it starts (its ``RLIMIT_AS``
    #: is set to the sum, so a worker forked from a large process is not starved); ``0``: no cap.
    worker_memory_bytes: int = 2 * GiB
