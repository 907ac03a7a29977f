"""The conversion report: per-file reports and the batch report.

Every problem the converter reports has a code from :mod:`rosxl.problems` (title, severity,
message template), as in frictionless-py: the same entries drive the JSON report and the
Norwegian text report. A file *failed* when it has a problem of severity ``error``; it *lost*
something when it failed, or when its rows do not add up (rows read ≠ scenarios + rows skipped: the
converter's own reports add up by construction, a report read back with :meth:`FileReport.from_dict`
need not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rosxl import problems
from rosxl.fields import label as field_label


@dataclass
class Problem(problems.Coded):
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @classmethod
    def of(cls, code: str, *, sheet: str | None = None, row: int | None = None, column: str | None = None,
           **values: Any) -> Problem:
        where = {k: v for k, v in (("sheet", sheet), ("row", row), ("column", column)) if v is not None}
        return cls(code, problems.get(code).message(**where, **values), sheet, row, column)  # a message may name them

    @property
    def fatal(self) -> bool:
        return self.problem.fatal

    def where(self) -> str:
        parts = [f"ark «{self.sheet}»" if self.sheet else "", f"rad {self.row}" if self.row else "",
                 f"kolonne {self.column}" if self.column else ""]
        return ", ".join(p for p in parts if p)


@dataclass
class Skipped:
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    reason: str
    text: str


@dataclass
class FileReport:
    """What happened to one input file."""

    file: str
    format: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    value_mappings: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0
    scenarios: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    review: list[dict[str, str]] = field(default_factory=list)
    error: dict[str, str] | None = None  # {"code", "message"} when the file failed

    def add(self, code: str, **kwargs: Any) -> None:
        self.problems.append(Problem.of(code, **kwargs))

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)

    @property
    def lost(self) -> bool:
        """Failed, or rows that neither became scenarios nor were skipped with a reason."""
        return self.failed or self.rows_read != self.scenarios + len(self.skipped)

    def to_dict(self, *, copy: bool = True) -> dict[str, Any]:
        """The report as plain data (JSON-ready); a fresh copy down to the values unless ``copy`` is false
        (for data only serialised, never changed)."""
        data = {name: (_plain if copy else _shallow)(getattr(self, name)) for name in self.__dataclass_fields__}
        data["problems"] = [{**vars(p), "title": p.title} for p in self.problems]
        data["rows_skipped"] = len(self.skipped)
        data["ok"] = not self.lost
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileReport:
        report = cls(**{k: v for k, v in data.items()
                        if k in cls.__dataclass_fields__ and k not in ("skipped", "problems")})
        report.skipped = [Skipped(**s) for s in data.get("skipped", [])]
        report.problems = [Problem(**{k: v for k, v in p.items() if k != "title"}) for p in data.get("problems", [])]
        return report


@dataclass
class BatchReport:
    """The report of one ``rosxl convert`` run."""

    criteria: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.lost for f in self.files)

    def totals(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "failed": sum(1 for f in self.files if f.failed),
            "rows_read": sum(f.rows_read for f in self.files),
            "scenarios": sum(f.scenarios for f in self.files),
            "rows_skipped": sum(len(f.skipped) for f in self.files),
            "review": sum(len(f.review) for f in self.files),
        }

    def to_dict(self, *, copy: bool = True) -> dict[str, Any]:
        return {"criteria": self.criteria, "ok": self.ok, "totals": self.totals(),
                "files": [f.to_dict(copy=copy) for f in self.files]}

    def to_text(self) -> str:
        """The report in Norwegian, for a person."""
        t = self.totals()
        lines = [f"Konverteringsrapport (kriterier: {self.criteria})",
                 f"{t['files']} filer, {t['failed']} feilet; {t['rows_read']} rader lest, "
                 f"{t['scenarios']} scenarioer skrevet, {t['rows_skipped']} rader hoppet over, "
                 f"{t['review']} punkter til kontroll.", ""]
        for f in self.files:
            lines += _file_text(f)
        return "\n".join(lines).rstrip() + "\n"


def _plain(value: Any) -> Any:
    """A copy of report data (dicts, lists, :class:`Skipped`) as dicts and lists; values are shared
    (they are immutable). ``dataclasses.asdict`` does this too, at ten times the cost."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Skipped):
        return dict(vars(value))
    return value


def _shallow(value: Any) -> Any:
    """Report data as :func:`_plain` gives it, sharing what is already plain (only :class:`Skipped` is converted)."""
    if isinstance(value, list) and value and isinstance(value[0], Skipped):
        return [dict(vars(v)) for v in value]
    return value


_HEADINGS = {"error": "Feil", "warning": "Advarsel", "info": "Merknad"}


def _file_text(f: FileReport) -> list[str]:
    status = "FEILET" if f.failed else ("RADER MANGLER" if f.lost else "ok")
    lines = [f"== {f.file} ({f.format or '?'}): {status}"]
    for p in (p for p in f.problems if p.fatal):
        lines.append(f"   Feil [{p.code}] {p.title}: {p.message}")
    if f.outputs:
        lines.append("   Skrevet: " + ", ".join(f.outputs.values()))
    for s in f.sheets:
        header = f", overskrift i rad {'+'.join(map(str, s['header_rows']))}" if s.get("header_rows") else ""
        lines.append(f"   Ark «{s['name']}»: {s['role']}{header}; {s['rows_read']} rader lest, "
                     f"{s['scenarios']} scenarioer, {s['skipped']} hoppet over")
        for c in s.get("columns", []):
            evidence = f"; innhold: {c['evidence']}" if c.get("evidence") else ""
            lines.append(f"      {c['column']}: «{c['label']}» → {field_label(c['field'])} (treff {c['score']:.2f}"
                         f"{evidence})")
    if f.value_mappings:
        lines.append("   Verdier:")
        lines += [f"      {m['column']}: {m['how']} ({m['count']}×)" for m in f.value_mappings]
    lines.append(f"   Rader: {f.rows_read} lest = {f.scenarios} scenarioer + {len(f.skipped)} hoppet over")
    reasons: dict[str, int] = {}
    for skipped in f.skipped:
        kind = skipped.reason.split(":")[0]
        reasons[kind] = reasons.get(kind, 0) + 1
    lines += [f"      hoppet over ({n}×): {r}" for r, n in reasons.items()]
    for p in (p for p in f.problems if not p.fatal):
        where = f"{p.where()}: " if p.where() else ""
        lines.append(f"   {_HEADINGS[p.problem.severity]} [{p.code}] {p.title}: {where}{p.message}")
    if f.review:
        lines.append("   Til kontroll:")
        lines += [f"      {r['scenario']}: {r['note']}" if r['scenario'] else f"      {r['note']}" for r in f.review]
    lines.append("")
    return lines
