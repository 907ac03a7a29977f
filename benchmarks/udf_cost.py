"""What one full recalculation of an xlwings-flavour workbook costs in ``ros_*`` calls, measured in-process.

The workbook is built by :func:`rosxl.write_workbook` (``flavour="xlwings"``), so this measures
whatever formulas the template has. A share of the filled class cells (probability and
consequence, before and after measures) is overwritten with raw facts ("1 gang per 20 år",
"2 mill", …); the rest keep what the template writes for a class. The `formulas` package (PyPI)
then recalculates the whole workbook with every ``ros_*`` function registered as a custom
function that calls :mod:`rosxl.udfs` with the arguments in the shape xlwings passes them,
and records each call: its function, the number of cells passed, and the Python time.

`formulas` evaluates both branches of ``IF``; Excel evaluates only the branch it takes (also for
``IFERROR``/``IFNA``: the fallback only on an error). So each formula is first rewritten: every
``ros_<f>(…)`` becomes ``ROSXL_CALL("ros_<f>", skip, …)``, where ``skip`` is the condition under
which Excel would not reach that call (``ISNUMBER(G2)`` for the else branch of
``IF(ISNUMBER(G2), G2, ros_…(G2, …))``). A skipped call is not counted and costs nothing; the
value it gives is never used, because ``IF`` picks the other branch. The counts are therefore the
calls Excel makes, and the values are the values Excel shows.
"""

from __future__ import annotations

import gc
import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rosxl.analysis import Analysis, Residual, Scenario
from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook import write_workbook
from rosxl.workbook.layout import FIRST_ROW, SHEET, Column, layout_for
from rosxl.workbook.write import SPARE_ROWS

#: The name of the token cell; a template with it passes the criteria as a one-cell token.
TOKEN_NAME = "ros_kriterier_token"
#: The function of the token cell: the one call that passes the whole criteria block, on purpose.
LOADER = "ros_kriterier_last"
#: A raw fact per consequence unit (and for probability), each readable by the standard criteria.
FACTS: dict[str | None, tuple[str, ...]] = {
    "probability": ("1 gang per 20 år", "årlig", "0,5 %", "en gang i måneden"),
    "NOK": ("2 mill", "kr 150 000", "30 millioner kroner"),
    "days": ("stopp i 7 dager", "2 uker", "3 timer"),
    "persons": ("2 døde", "10 alvorlig skadde", "1 alvorlig skadd"),
    None: ("Kritisk", "Middels", "Liten"),
}


@dataclass(frozen=True)
class Call:
    name: str
    cells: int
    seconds: float


@dataclass
class Cost:
    """One full recalculation: every ``ros_*`` call Excel would make."""

    rows: int
    fact_share: float
    class_cells: int
    facts: int
    calls: list[Call] = field(default_factory=list)
    engine_seconds: float = 0.0
    has_token: bool = False

    @property
    def cells(self) -> int:
        return sum(c.cells for c in self.calls)

    @property
    def max_cells(self) -> int:
        """The most cells any call passes, leaving out the one call that loads the criteria block."""
        return max((c.cells for c in self.calls if c.name != LOADER), default=0)

    @property
    def python_seconds(self) -> float:
        return sum(c.seconds for c in self.calls)

    def by_function(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for c in self.calls:
            counts[c.name] = counts.get(c.name, 0) + 1
        return counts


# --- the filled workbook ------------------------------------------------------------------------


def filled_workbook(path: Path, rows: int, fact_share: float, criteria: Criteria | None = None,
                    seed: int = 2013) -> tuple[int, int]:
    """Write a workbook whose table has ``rows`` rows (the last 20 spare, as a real one); return
    (class cells of the filled rows, how many of them now hold a raw fact)."""
    import openpyxl

    criteria = criteria or load_criteria("standard")
    rng = random.Random(seed)
    scenarios = [Scenario(id=str(n), title=f"Scenario {n}", probability=rng.randint(1, 5),
                          consequences={a: rng.randint(1, 5) for a in criteria.area_keys},
                          residual=Residual(probability=rng.randint(1, 5),
                                            consequences={a: rng.randint(1, 5) for a in criteria.area_keys}))
                 for n in range(1, rows - SPARE_ROWS + 1)]
    write_workbook(Analysis(criteria, scenarios), path, flavour="xlwings")
    cells = list(_class_cells(criteria, len(scenarios)))
    chosen = rng.sample(cells, round(fact_share * len(cells)))
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    for row, column in chosen:
        unit = "probability" if column.field == "probability" else criteria.area(column.field or "").unit
        sheet.cell(row, column.index).value = rng.choice(FACTS[unit])
    book.save(path)
    return len(cells), len(chosen)


def _class_cells(criteria: Criteria, scenarios: int) -> Iterator[tuple[int, Column]]:
    layout = layout_for(criteria, criteria.language, "xlwings")
    columns = [c for phase in ("before", "after") for p, ks in [layout.inputs(phase)] for c in (p, *ks)]
    for row in range(FIRST_ROW, FIRST_ROW + scenarios):
        for column in columns:
            yield row, column


# --- Excel's lazy branches in an eager engine ------------------------------------------------------

_FUNCTION = re.compile(r"(?:_xludf\.|_xlfn\.)?[A-Za-z_][A-Za-z0-9_.]*\(")
_ROS = re.compile(r"(?:_xludf\.)?(ros_[a-z_]+)", re.IGNORECASE)


def lazy(formula: str) -> str:
    """``formula`` with every ``ros_*`` call made explicit as ``ROSXL_CALL(name, skip, args…)``."""
    return "=" + _rewrite(formula[1:], None)


def _rewrite(expr: str, skip: str | None) -> str:
    out, i = [], 0
    while i < len(expr):
        if expr[i] in "\"'":
            end = _quoted_end(expr, i)
            out.append(expr[i:end])
            i = end
            continue
        m = _FUNCTION.match(expr, i)
        if m and (i == 0 or not (expr[i - 1].isalnum() or expr[i - 1] in "_.!$:")):
            args, end = _arguments(expr, m.end())
            out.append(_call(m.group()[:-1], args, skip))
            i = end
            continue
        out.append(expr[i])
        i += 1
    return "".join(out)


def _quoted_end(expr: str, start: int) -> int:
    quote, i = expr[start], start + 1
    while i < len(expr):
        if expr[i] == quote:
            if i + 1 < len(expr) and expr[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _arguments(expr: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of a call whose "(" ends at ``start``, and the index after its ")"."""
    args, depth, i, begin = [], 0, start, start
    while i < len(expr):
        ch = expr[i]
        if ch in "\"'":
            i = _quoted_end(expr, i)
            continue
        if ch in "({":
            depth += 1
        elif ch in ")}" and depth:
            depth -= 1
        elif ch == ")":
            args.append(expr[begin:i])
            return ([] if args == [""] else args), i + 1
        elif ch == "," and not depth:
            args.append(expr[begin:i])
            begin = i + 1
        i += 1
    raise ValueError(f"unbalanced formula: {expr}")


def _either(skip: str | None, condition: str) -> str:
    if skip is None:
        return condition
    return "TRUE" if skip == "TRUE" else f"OR({skip},{condition})"


def _call(name: str, args: list[str], skip: str | None) -> str:
    upper = name.upper().removeprefix("_XLFN.")
    ros = _ROS.fullmatch(name)
    if ros:
        inner = ",".join(_rewrite(a, skip) for a in args)
        return f'ROSXL_CALL("{ros.group(1).lower()}",{skip or "FALSE"}{"," if args else ""}{inner})'
    if upper == "IF" and len(args) >= 2:
        cond = _rewrite(args[0], skip)
        quiet = _rewrite(args[0], "TRUE")  # the copy inside skip conditions is never counted
        rest = [_rewrite(args[1], _either(skip, f"NOT({quiet})"))]
        if len(args) > 2:
            rest.append(_rewrite(args[2], _either(skip, quiet)))
        return f"{name}({','.join([cond, *rest])})"
    if upper in ("IFERROR", "IFNA") and len(args) == 2:
        test = "ISERROR" if upper == "IFERROR" else "ISNA"
        quiet = _rewrite(args[0], "TRUE")
        return f"{name}({_rewrite(args[0], skip)},{_rewrite(args[1], _either(skip, f'NOT({test}({quiet}))'))})"
    return f"{name}({','.join(_rewrite(a, skip) for a in args)})"


# --- the recalculation -----------------------------------------------------------------------------


def _as_excel(value: Any) -> Any:
    """One cell as xlwings passes it: numbers as floats, empty and error cells as ``None``."""
    import numpy as np
    import schedula as sh
    from formulas.tokens.operand import XlError

    if value is sh.EMPTY or isinstance(value, XlError) or value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.number)):
        return float(value)
    return str(value)


def _as_xlwings(arg: Any) -> tuple[Any, int]:
    """An argument in xlwings' shape (value, row, column or block) and the number of cells it holds."""
    import numpy as np
    from formulas.ranges import Ranges

    array = arg.value if isinstance(arg, Ranges) else arg
    if not isinstance(array, np.ndarray):
        return _as_excel(array), 1
    block = np.atleast_2d(array)
    rows, cols = block.shape
    cells = [[_as_excel(v) for v in row] for row in block]
    if rows == cols == 1:
        return cells[0][0], 1
    if rows == 1:
        return cells[0], cols
    if cols == 1:
        return [r[0] for r in cells], rows
    return cells, rows * cols


def _as_result(value: Any) -> Any:
    import numpy as np

    if isinstance(value, list):
        return np.array([[("" if v is None else v) for v in (row if isinstance(row, list) else [row])]
                         for row in value], dtype=object)
    return "" if value is None else value


def _recorder(cost: Cost) -> Callable[..., Any]:
    import numpy as np

    from rosxl import udfs

    def call(name: Any, skip: Any, *args: Any) -> Any:
        if bool(np.asarray(skip).ravel()[0]):
            return ""
        shaped = [_as_xlwings(a) for a in args]
        start = time.perf_counter()
        result = getattr(udfs, str(name))(*(value for value, _ in shaped))
        cost.calls.append(Call(str(name), sum(n for _, n in shaped), time.perf_counter() - start))
        return _as_result(result)

    return call


def recalculate(path: Path, cost: Cost, work: Path) -> Any:
    """Recalculate ``path`` fully in `formulas`, recording every ``ros_*`` call in ``cost``; the solution."""
    import formulas
    import openpyxl

    book = openpyxl.load_workbook(path)
    cost.has_token = TOKEN_NAME in book.defined_names
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and _ROS.search(cell.value):
                    cell.value = lazy(cell.value)
    rewritten = work / f"lazy-{path.name}"
    book.save(rewritten)
    formulas.get_functions()["ROSXL_CALL"] = _recorder(cost)
    start = time.perf_counter()
    gc.disable()  # the engine's millions of objects would make collections land inside the timed calls
    # schedula logs a traceback when it first dispatches the token cell before the criteria block has
    # values, then dispatches it again once it has (the call is recorded once): keep that out of the output
    logging.getLogger("schedula").setLevel(logging.CRITICAL)
    try:
        model = formulas.ExcelModel().loads(str(rewritten)).finish()
        solution = model.calculate()
    finally:
        gc.enable()
    cost.engine_seconds = time.perf_counter() - start
    return solution


def measure(rows: int, fact_share: float, work: Path, criteria: Criteria | None = None) -> Cost:
    """Build, fill and recalculate one workbook; its cost."""
    path = work / f"ros-{rows}-{round(fact_share * 100)}.xlsx"
    class_cells, facts = filled_workbook(path, rows, fact_share, criteria)
    cost = Cost(rows, fact_share, class_cells, facts)
    recalculate(path, cost, work)
    return cost
