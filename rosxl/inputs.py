"""Analyses handed to ``merge`` and ``report``: standard workbooks or canonical JSON, found in folders.

A workbook is read with :func:`rosxl.read_analysis` (guarded by the safety layer). Canonical JSON is
read here: the size is checked before a byte is parsed, the text must be UTF-8, and the top level
must be an object with the ``"rosxl"`` key; anything else is refused with a coded Norwegian message
(``analysis-json-*`` in ``rosxl/data/problems/merge.toml``), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rosxl import problems
from rosxl.analysis import Analysis
from rosxl.errors import RosxlError

#: Largest canonical JSON file read (bytes). 1 000 scenarios take about 2 MiB.
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted in canonical JSON (the model needs 6).
MAX_JSON_DEPTH = 32
SUFFIXES = (".xlsx", ".xlsm", ".json")


class AnalysisInputError(RosxlError):
    """An input that is not an analysis rosxl can read; ``code`` is a registered problem code."""

    def __init__(self, code: str, path: Path, **values: Any) -> None:
        super().__init__(problems.get(code).message(**values), file=path)
        self.code = code


def find_analyses(inputs: Iterable[str | Path]) -> list[Path]:
    """The files named, and in named folders the workbooks and JSON files (recursed, sorted).

    In folders, hidden files, Excel's lock files (``~$…``) and the converter's report
    (``rapport.json``) are skipped, and so is a JSON file beside a workbook of the same name
    (``convert`` writes both; the workbook is the one people edit).
    """
    found: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            files = sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not p.name.startswith((".", "~$")) and p.name != "rapport.json")
            books = {p.with_suffix("") for p in files if p.suffix.lower() != ".json"}
            found += [p for p in files if p.suffix.lower() != ".json" or p.with_suffix("") not in books]
        else:
            found.append(item)
    return found


def load_analysis(path: str | Path) -> Analysis:
    """The analysis in a standard workbook or a canonical JSON file (by content for JSON)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return analysis_from_json(path)
    from rosxl.workbook import read_analysis

    return read_analysis(path)


def analysis_from_json(path: Path, max_bytes: int = MAX_JSON_BYTES) -> Analysis:
    """Canonical JSON (``{"rosxl": …, "criteria": …, "scenarios": […]}``), read with bounds."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise AnalysisInputError("analysis-json-too-large", path, size=f"{size / 2**20:.0f} MiB",
                                     limit=f"{max_bytes / 2**20:.0f} MiB")
        with path.open("rb") as fp:
            data = fp.read(max_bytes + 1)
    except OSError as exc:
        raise AnalysisInputError("analysis-json-invalid", path, detail=exc.strerror or str(exc)) from None
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise AnalysisInputError("analysis-json-invalid", path, detail=type(exc).__name__) from None
    if not isinstance(value, dict) or "rosxl" not in value or not isinstance(value.get("criteria"), dict):
        raise AnalysisInputError("analysis-json-not-rosxl", path)
    if _depth(value) > MAX_JSON_DEPTH:
        raise AnalysisInputError("analysis-json-invalid", path, detail=f"nestet dypere enn {MAX_JSON_DEPTH}")
    try:
        return Analysis.from_dict(value)
    except RosxlError as exc:
        exc.file = str(path)
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AnalysisInputError("analysis-json-invalid", path, detail=f"{type(exc).__name__}: {exc}") from None


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values() if isinstance(v, (dict, list))]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item if isinstance(v, (dict, list))]
    return deepest
