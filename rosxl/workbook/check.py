"""Consistency checks of a filled standard workbook (``rosxl check``).

Each finding has a code registered in ``rosxl/data/problems/check.toml`` (title, severity,
exit status), the sheet row and a Norwegian message. The codes about class cells and formulas are
registered, with their message templates, in ``rosxl/data/problems/workbook.toml``: ``raw-fact``
(a class cell holds a fact the criteria read, but the workbook shows no zone for it) and
``residual-incomplete`` (red before measures, and an area that was red keeps its before-measures
class because neither its probability nor its consequence after measures is given).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rosxl import problems
from rosxl.analysis import Analysis, Scenario, unread
from rosxl.criteria import Criteria
from rosxl.workbook.classes import suggestion_of
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout, layout_for
from rosxl.workbook.read import read_workbook

#: Status words that mean a measure is carried out (compared lower-case, start of the text).
DONE = ("utført", "ferdig", "gjennomført", "lukket", "lukka", "avsluttet", "avslutta")


@dataclass(frozen=True)
class Finding(problems.Coded):
    code: str
    message: str
    sheet: str = SHEET
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        problems.get(self.code)  # an unregistered code fails where it is found

    def __str__(self) -> str:
        where = f"ark «{self.sheet}»" + (f", rad {self.row}" if self.row else "") + (
            f", kolonne {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def check_workbook(path: str | Path, today: dt.date | None = None) -> list[Finding]:
    """All findings for the workbook at ``path`` (an empty list when it is consistent)."""
    result = read_workbook(path)
    a = result.analysis
    findings = check_criteria(a.criteria)
    for s, row in zip(a.scenarios, result.rows, strict=True):
        findings += check_scenario(s, a.criteria, result.layout, row, today or dt.date.today())
    return findings


def check_criteria(c: Criteria) -> list[Finding]:
    """Criteria that are incomplete: no decision reference, classes without words, gaps in bands."""
    out = []

    def add(message: str) -> None:
        out.append(Finding("criteria-incomplete", message, CRITERIA_SHEET))

    if not c.provenance.decision.strip():
        add("kriteriene mangler vedtak (hvem vedtok dem, og når)")
    for p in c.probability:
        if not p.label(c.language).strip():
            add(f"sannsynlighetsklasse {p.value} mangler betegnelse")
    bands = sorted((p.band.low, p.band.high, p.value) for p in c.probability if p.band is not None)
    for (_, high, v1), (low, _, v2) in zip(bands, bands[1:], strict=False):
        if low > high:
            add(f"sannsynlighetsklasse {v1} og {v2} har et hull mellom {_num(high)} og {_num(low)} hendelser per år")
    for a in c.areas:
        for k in a.classes:
            if not k.description(c.language).strip():
                add(f"konsekvensklasse {k.value} for «{a.label(c.language)}» mangler beskrivelse")
    return out


def check_scenario(s: Scenario, c: Criteria, layout: Layout, row: int, today: dt.date) -> list[Finding]:
    """Findings for one scenario row."""
    out: list[Finding] = []
    name = f"«{s.id or s.title or 'uten navn'}»"

    def add(code: str, message: str, column_key: str | None = None) -> None:
        letter = layout[column_key].letter if column_key and column_key in layout.by_key else None
        out.append(Finding(code, f"{name}: {message}", SHEET, row, letter))

    class_keys = ("probability", "consequences.", "residual.")
    for key, text in sorted(s.raw.items()):
        if key.startswith(class_keys) and key in layout.by_key and _class_of(s, key) is None:
            hint = None
            if layout.flavour == "native":
                area = layout[key].field if layout[key].kind == "consequence" else None
                hint = suggestion_of(text, c, layout.language, area)
            if hint is None:
                add("unknown-class", f"ukjent klasse «{text}»", key)
            else:
                add("raw-fact", problems.get("raw-fact").message(layout.language, text=text, value=hint.value), key)
    if s.probability is None and "probability" not in s.raw:
        add("missing-probability", "mangler sannsynlighet", "probability")
    if not any(v is not None for v in s.consequences.values()) and not any(
            k.startswith("consequences.") for k in s.raw):
        add("missing-consequence", "mangler konsekvens", f"consequences.{c.area_keys[0]}")
    if s.zone is not None and c.zone_rank(s.zone) >= _red_rank(c) and not (s.measures or "").strip():
        add("red-without-measures", f"{c.zone_def(s.zone).label(c.language)} uten foreslåtte tiltak", "measures")
    red = _red_rank(c)
    if s.zone is not None and c.zone_rank(s.zone) >= red and s.residual.zones and s.residual.probability is None:
        missing = [a for a, z in s.zones.items() if z is not None and c.zone_rank(z) >= red
                   and s.residual.consequences.get(a) is None and not unread(s, f"residual.consequences.{a}")]
        if missing:
            areas = ", ".join(c.area(a).label(layout.language) for a in missing)
            zone = c.zone_def(s.zone).label(layout.language)
            add("residual-incomplete", problems.get("residual-incomplete").message(layout.language, zone=zone,
                                                                                    areas=areas),
                f"residual.consequences.{missing[0]}")
    deadline = _date(s.deadline)
    status = (s.status or "").strip().lower()
    if deadline is not None and deadline < today and (s.measures or "").strip() and not status.startswith(DONE):
        add("deadline-passed", f"fristen {deadline.isoformat()} for tiltakene er passert", "deadline")
    return out


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _class_of(s: Scenario, key: str) -> int | None:
    parts = key.split(".")
    target = s.residual if parts[0] == "residual" else s
    if parts[-1] == "probability":
        return target.probability
    return target.consequences.get(parts[-1])


def _red_rank(c: Criteria) -> int:
    keys = [z.key for z in c.zones]
    return keys.index("red") if "red" in keys else len(keys) - 1


def _date(text: str | None) -> dt.date | None:
    """A deadline as ISO ``2025-06-30`` or Norwegian ``30.06.2025``; ``None`` when not a date."""
    if not text:
        return None
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    n = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if n:
            return dt.date(int(n[3]), int(n[2]), int(n[1]))
    except ValueError:
        return None
    return None


def check_analysis(analysis: Analysis, today: dt.date | None = None) -> list[Finding]:
    """The findings :func:`check_workbook` gives for ``analysis`` once written as a standard workbook
    (rows numbered as :func:`rosxl.write_workbook` writes them); for analyses not (yet) in a file."""
    layout = layout_for(analysis.criteria)
    findings = check_criteria(analysis.criteria)
    for row, s in enumerate(analysis.scenarios, start=FIRST_ROW):
        findings += check_scenario(s, analysis.criteria, layout, row, today or dt.date.today())
    return findings
