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
from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.criteria import Criteria
from rosxl.errors import RosxlError
from rosxl.fields import FIELDS

#: Largest canonical JSON file read (bytes). 1 000 scenarios take about 2 MiB.
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted in canonical JSON (the model needs 6).
MAX_JSON_DEPTH = 32
SUFFIXES = (".xlsx", ".xlsm", ".json")


class AnalysisInputError(RosxlError):
    """An input that is not an analysis rosxl can read; ``code`` is a registered problem code."""

    code = "analysis-json-invalid"

    def __init__(self, code: str, path: Path, **values: Any) -> None:
        super().__init__(problems.get(code).message(**values), file=path)
        self.code = code  # type: ignore[misc]


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
    if path.suffix.lower() not in SUFFIXES:
        raise AnalysisInputError("analysis-format-unsupported", path)
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
    scenarios = value.get("scenarios", [])
    if not isinstance(scenarios, list):
        raise AnalysisInputError("analysis-json-invalid", path, detail="«scenarios» er ikke en liste")
    try:
        analysis = Analysis.from_dict({**value, "scenarios": []})
    except RosxlError as exc:
        exc.file = str(path)
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AnalysisInputError("analysis-json-invalid", path, detail=f"{type(exc).__name__}: {exc}") from None
    for i, data in enumerate(scenarios):
        problem = _scenario_problem(data, analysis.criteria)
        if problem:
            raise AnalysisInputError("analysis-json-invalid", path, detail=f"scenarios[{i}]: {problem}")
        analysis.scenarios.append(reassess(Scenario.from_dict(data), analysis.criteria))
    return analysis


def reassess(s: Scenario, criteria: Criteria) -> Scenario:
    """Zones and score from the classes (stored zones are not trusted); a zone given without any
    class (a converted fill colour) stays when the criteria know it."""
    kept = s.zone if s.zone in {z.key for z in criteria.zones} else None
    assess_scenario(s, criteria)
    if s.zone is None and s.probability is None and not any(v is not None for v in s.consequences.values()):
        s.zone = kept
    return s


_TEXT_FIELDS = tuple(f.path for f in FIELDS if f.stored and f.kind in ("text", "zone"))


def _scenario_problem(data: Any, criteria: Criteria) -> str | None:
    """What is wrong with one scenario's JSON (types and class ranges), ``None`` when nothing."""
    if not isinstance(data, dict):
        return "er ikke et objekt"
    for key in _TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            return f"«{key}» er ikke tekst"
    residual = data.get("residual", {})
    if not isinstance(residual, dict) or set(residual) - {"probability", "consequences", "zones", "zone"}:
        return "«residual» er ikke et gyldig objekt"
    for where, holder in (("", data), ("residual.", residual)):
        if not _class_ok(holder.get("probability"), criteria.probability_levels):
            return f"«{where}probability» er ikke en klasse 1–{criteria.probability_levels}"
        ks = holder.get("consequences", {})
        if not isinstance(ks, dict) or not all(_class_ok(k, criteria.consequence_levels_count) for k in ks.values()):
            return f"«{where}consequences» er ikke klasser 1–{criteria.consequence_levels_count} per område"
        if not isinstance(holder.get("zones", {}), dict):
            return f"«{where}zones» er ikke et objekt"
    for key in ("raw", "source", "extra"):
        if not isinstance(data.get(key, {}), dict):
            return f"«{key}» er ikke et objekt"
    if not all(isinstance(v, str) for v in data.get("raw", {}).values()):
        return "«raw» har verdier som ikke er tekst"
    review = data.get("review", [])
    if not isinstance(review, list) or not all(isinstance(n, str) for n in review):
        return "«review» er ikke en liste med tekster"
    return None


def _class_ok(value: Any, levels: int) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= levels)


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
