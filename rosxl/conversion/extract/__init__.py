"""One extractor per sheet layout, each returning an immutable :class:`Extracted`.

:mod:`.table` reads scenario tables (two-row scenarios, long and transposed tables included),
:mod:`.form` a form (one scenario per sheet), :mod:`.matrix` a risk matrix's placed ids;
:mod:`.assign` puts one source value into one field. An extractor records one *outcome* per source
row it reads, a scenario or a skipped row with its reason, so a sheet's rows read are its scenarios
plus its skipped rows by construction. :mod:`rosxl.conversion.pipeline` composes the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from rosxl.analysis import Scenario
from rosxl.conversion.read import Sheet
from rosxl.conversion.report import Problem, Skipped

Outcome = Scenario | Skipped


@dataclass(frozen=True)
class Extracted:
    """What one sheet gave, under its role; ``info`` adds to the report's entry (header rows, columns)."""

    sheet: str
    role: str
    info: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    outcomes: tuple[Outcome, ...] = ()
    context: tuple[dict[str, Any], ...] = ()
    problems: tuple[Problem, ...] = ()
    mappings: tuple[tuple[str, str], ...] = ()  # (column, how) for each value mapped to a class or zone
    notes: tuple[str, ...] = ()
    colour_zones: int = 0

    @property
    def scenarios(self) -> list[Scenario]:
        return [o for o in self.outcomes if isinstance(o, Scenario)]

    @property
    def skipped(self) -> list[Skipped]:
        return [o for o in self.outcomes if isinstance(o, Skipped)]

    @property
    def rows_read(self) -> int:
        return len(self.outcomes)

    def replaced(self, outcomes: tuple[Outcome, ...], role: str) -> Extracted:
        """The same sheet read under another role (its scenarios repeat another sheet's)."""
        return dataclasses.replace(self, outcomes=outcomes, role=role)


@dataclass
class Log:
    """An extractor's record while it reads a sheet; :meth:`freeze` makes it an :class:`Extracted`."""

    sheet: Sheet
    outcomes: list[Outcome] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mappings: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    colour_zones: int = 0

    def add(self, code: str, **values: Any) -> None:
        self.problems.append(Problem.of(code, **values))

    def skip(self, r: int, reason: str, values: list[Any]) -> None:
        """Row ``r`` (0-based) read and skipped for ``reason``."""
        self.outcomes.append(skipped_row(self.sheet, r, reason, values))

    def keep_context(self, rows_used: set[int], role: str, upto: int | None = None, start: int = 0,
                     sheet: Sheet | None = None) -> None:
        """Every non-empty row from ``start`` up to ``upto`` not in ``rows_used``, kept under ``role``."""
        source = sheet or self.sheet
        for r, values in enumerate(source.rows[start:upto], start=start):
            cells = [str(v) for v in values if v is not None]
            if cells and r not in rows_used:
                self.context.append({"sheet": source.name, "row": r + 1, "role": role, "text": " | ".join(cells)})

    def freeze(self, role: str, info: dict[str, Any] | None = None) -> Extracted:
        return Extracted(self.sheet.name, role, MappingProxyType(info or {}), tuple(self.outcomes),
                         tuple(self.context), tuple(self.problems), tuple(self.mappings), tuple(self.notes),
                         self.colour_zones)


def skipped_row(sheet: Sheet, r: int, reason: str, values: list[Any]) -> Skipped:
    """Row ``r`` (0-based) of ``sheet`` as a skipped row: its cells joined, and the reason."""
    return Skipped(sheet.name, r + 1, reason, " | ".join(str(v) for v in values if v is not None))
