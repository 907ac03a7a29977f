"""The contents of the Risikobilde, in the order the council reads it (issue 13):

title page · table of contents · summary (zones before/after, the worst zone's events by name) ·
risk matrices before and after measures, one per zone matrix of the criteria · the acceptance
criteria · the events ranked · one section per event · the measures plan · appendix: what
``rosxl check`` still flags. Every word comes from ``rosxl/data/risikobilde.toml`` (nb/nn); keys
(zones, areas, fields) are always shown by their labels.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from rosxl.analysis import Analysis, Scenario
from rosxl.criteria import Band, Criteria, ZoneMatrix
from rosxl.criteria.model import Language
from rosxl.fields import BY_PATH, Place, sheet_fields
from rosxl.risikobilde import word
from rosxl.workbook.check import DONE, _date, check_analysis

#: Ids shown in one matrix cell before «(+n)».
CELL_IDS = 15
#: Events of the worst zone named in the summary; the rest are counted (all are in the ranking).
SUMMARY_NAMES = 40


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = (resources.files("rosxl") / "data" / "risikobilde.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Options:
    """What the caller chooses: language, front-page title and municipality, and today's date
    (deadlines before it are overdue; the title page shows it)."""

    language: Language = "nb"
    title: str | None = None
    kommune: str | None = None
    today: dt.date | None = None


def build_document(analysis: Analysis, options: Options = Options()) -> Document:  # noqa: B008 - frozen
    """The Risikobilde of ``analysis`` as a python-docx document (not yet saved)."""
    return _Report(analysis, options).build()


def matrix_cell(s: Scenario, m: ZoneMatrix, residual: bool = False) -> tuple[int, int] | None:
    """The (probability, consequence) cell of ``s`` in ``m``: the worst consequence among the
    matrix's areas; ``None`` when a class is missing."""
    holder: Any = s.residual if residual else s
    ks = [holder.consequences.get(a) for a in m.areas]
    known = [k for k in ks if k is not None]
    if holder.probability is None or not known:
        return None
    return holder.probability, max(known)


def rank_key(s: Scenario, c: Criteria) -> tuple[int, int, tuple[tuple[int, str], ...]]:
    """Sort key of the ranking: worst zone first, then highest score, then id (S2 before S10)."""
    zone = c.zone_rank(s.zone) if s.zone in {z.key for z in c.zones} else -1
    return (-zone, -(s.score or 0), _natural(s.id))


def deadline_key(s: Scenario) -> tuple[int, dt.date, tuple[tuple[int, str], ...]]:
    """Sort key of the measures plan: by date, those without a readable date last."""
    day = _date(s.deadline)
    return (0, day, _natural(s.id)) if day else (1, dt.date.max, _natural(s.id))


def _natural(text: str | None) -> tuple[tuple[int, str], ...]:
    """``"S10"`` after ``"S2"``: digits compare as numbers."""
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text or ""))


class _Report:
    def __init__(self, analysis: Analysis, options: Options) -> None:
        self.a, self.c, self.o = analysis, analysis.criteria, options
        self.lang: Language = options.language
        self.today = options.today or dt.date.today()
        self.doc = new_document()
        self.zone_keys = {z.key for z in self.c.zones}
        self.chapters: list[str] = []

    def t(self, key: str, **values: Any) -> str:
        return _catalogue()[key][self.lang].format(**values)

    def build(self) -> Document:
        word.setup(self.doc, "nn-NO" if self.lang == "nn" else "nb-NO")
        self.doc.core_properties.author = "rosxl"  # how --overwrite knows the file is rosxl's own
        word.page_numbers(self.doc, self.t("page"))
        sections: list[Callable[[], None]] = [self.title_page, self.contents, self.summary, self.matrices,
                                              self.criteria, self.ranking, self.scenarios, self.plan, self.appendix]
        for section in sections:
            section()
        word.toc(self.toc_end, 'TOC \\o "1-1" \\h \\z \\u', self.chapters)
        return self.doc

    # --- helpers -----------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        word.paragraph(self.doc, text, f"Heading {level}")
        if level == 1:
            self.chapters.append(text)

    def para(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def zone_label(self, zone: str | None) -> str:
        return self.c.zone_def(zone).label(self.lang) if zone in self.zone_keys else self.t("unknown")

    def name(self, s: Scenario) -> str:
        return f"{s.id or ''} {s.title or self.t('untitled')}".strip()

    def date_text(self, day: dt.date) -> str:
        return f"{day.day}. {self.t('months').split()[day.month - 1]} {day.year}"

    # --- sections ----------------------------------------------------------------------------

    def title_page(self) -> None:
        meta = self.a.metadata
        kommune = self.o.kommune or meta.get("kommune")
        title = self.o.title or meta.get("title") or self.t("title")
        for _ in range(6):
            self.doc.add_paragraph()
        if kommune:
            p = self.doc.add_paragraph()
            run = p.add_run(str(kommune))
            run.font.size, run.bold = Pt(16), True
        word.paragraph(self.doc, str(title), "Title")
        p = self.doc.add_paragraph()
        p.add_run(self.t("subtitle")).font.size = Pt(14)
        self.doc.add_paragraph()
        decision = self.c.provenance.decision.strip() or self.t("decision_missing")
        rows = [(self.t("date"), self.date_text(self.today)),
                (self.t("criteria"), f"{self.c.title(self.lang)} ({self.c.name} {self.c.version})"),
                (self.t("decision"), decision), (self.t("scenario_count"), str(len(self.a.scenarios)))]
        word.table(self.doc, None, rows, [4.5, 12.5], size=10)
        self.page_break()

    def contents(self) -> None:
        word.paragraph(self.doc, self.t("toc"), "TOC Heading")
        self.toc_end = self.doc.add_paragraph()
        hint = self.doc.add_paragraph()
        hint.add_run(self.t("toc_hint")).italic = True
        self.page_break()

    def summary(self) -> None:
        self.heading(self.t("summary"), 1)
        self.para(self.t("summary_text", n=len(self.a.scenarios), criteria=self.c.title(self.lang)))
        before = [s.zone if s.zone in self.zone_keys else None for s in self.a.scenarios]
        after = [(s.residual.zone or s.zone) if (s.residual.zone or s.zone) in self.zone_keys else None
                 for s in self.a.scenarios]
        zones = list(reversed(self.c.zones))
        rows = [[z.label(self.lang), str(before.count(z.key)), str(after.count(z.key))] for z in zones]
        rows.append([self.t("not_assessed"), str(before.count(None)), str(after.count(None))])
        cells = word.table(self.doc, [self.t("zone"), self.t("before"), self.t("after")], rows, [7.0, 3.0, 3.0])
        for row, z in zip(cells[1:], zones, strict=False):
            word.shade(row[0], z.colour)
        worst = self.c.zones[-1]
        self.heading(self.t("worst_heading", zone=worst.label(self.lang)), 2)
        red = sorted((s for s in self.a.scenarios if s.zone == worst.key), key=lambda s: rank_key(s, self.c))
        for s in red[:SUMMARY_NAMES]:
            word.paragraph(self.doc, self.name(s), "List Bullet")
        if len(red) > SUMMARY_NAMES:
            self.para(self.t("worst_more", n=len(red) - SUMMARY_NAMES))
        if not red:
            self.para(self.t("worst_none", zone=worst.label(self.lang)))

    def matrices(self) -> None:
        self.page_break()
        self.heading(self.t("matrices"), 1)
        self.para(self.t("matrices_text"))
        for residual, phase in ((False, self.t("before")), (True, self.t("after"))):
            if residual and len(self.c.matrices) > 1:
                self.page_break()  # the matrices after measures together on a page of their own
            for m in self.c.matrices:
                self.matrix(m, residual, phase)

    def matrix(self, m: ZoneMatrix, residual: bool, phase: str) -> None:
        self.heading(self.t("matrix_caption", matrix=m.label(self.lang), phase=phase), 2)
        if len(self.c.matrices) > 1:
            areas = ", ".join(self.c.area(a).label(self.lang) for a in m.areas)
            self.doc.add_paragraph(self.t("matrix_areas", areas=areas)).paragraph_format.keep_with_next = True
        placed: dict[tuple[int, int], list[str]] = {}
        for s in self.a.scenarios:
            at = matrix_cell(s, m, residual)
            if at is not None:
                placed.setdefault(at, []).append(s.id or "?")
        n_p, n_k = self.c.probability_levels, self.c.consequence_levels_count
        header = [f"{self.t('probability')} \\ {self.t('consequence')}"] + [
            f"{lv.value} {lv.label(self.lang)}" for lv in self.c.consequence_levels]
        rows = []
        for p in range(n_p, 0, -1):
            label = f"{p} {self.c.probability[p - 1].label(self.lang)}"
            rows.append([label] + [_ids(placed.get((p, k), []), self.t) for k in range(1, n_k + 1)])
        width = (word.TEXT_WIDTH_CM - 3.2) / n_k
        cells = word.table(self.doc, header, rows, [3.2] + [width] * n_k, height_cm=1.1, together=True, ids=True)
        for i, row in enumerate(cells[1:]):
            for k, cell in enumerate(row[1:], start=1):
                word.shade(cell, self.c.zone_def(m.zone(n_p - i, k)).colour)
        self.doc.add_paragraph()

    def criteria(self) -> None:
        self.page_break()
        c, lang = self.c, self.lang
        self.heading(self.t("criteria"), 1)
        decided = c.provenance.decision.strip()
        decision = self.t("decision_text", decision=decided) if decided else self.t("decision_none")
        self.para(self.t("criteria_text", title=c.title(lang), version=c.version, decision=decision))
        self.heading(self.t("zones"), 2)
        cells = word.table(self.doc, [self.t("zone"), self.t("meaning")],
                       [[z.label(lang), z.meaning(lang)] for z in reversed(c.zones)], [4.5, 12.5])
        for row, z in zip(cells[1:], reversed(c.zones), strict=True):
            word.shade(row[0], z.colour)
        self.heading(self.t("probability_classes"), 2)
        word.table(self.doc, [self.t("class"), self.t("label"), self.t("description"), self.t("frequency")],
                   [[str(p.value), p.label(lang), p.description(lang), _band(p.band)] for p in c.probability],
                   [1.6, 3.0, 8.2, 4.2])
        for area in c.areas:
            self.heading(self.t("consequence_classes", area=area.label(lang)), 2)
            header = [self.t("class"), self.t("label"), self.t("description")]
            widths = [1.6, 3.0, 12.4]
            if area.unit in ("NOK", "days"):
                header.append(self.t("band", unit=self.t(f"unit_{area.unit}")))
                widths = [1.6, 3.0, 8.2, 4.2]
            rows: list[list[str]] = []
            for k in area.classes:
                values = [str(k.value), c.consequence_levels[k.value - 1].label(lang), k.description(lang)]
                rows.append(values + [_band(k.band)] if len(header) == 4 else values)
            word.table(self.doc, header, rows, widths)

    def ranking(self) -> None:
        self.heading(self.t("ranking"), 1)
        self.para(self.t("ranking_text"))
        ranked = sorted(self.a.scenarios, key=lambda s: rank_key(s, self.c))
        rows = [[str(i), s.id or "", s.title or self.t("untitled"), self.zone_label(s.zone),
                 _num(s.score), self.zone_label(s.residual.zone)] for i, s in enumerate(ranked, 1)]
        header = [self.t("rank"), self.t("id"), self.t("event"), self.t("zone"), self.t("score"), self.t("after")]
        cells = word.table(self.doc, header, rows, [0.9, 1.7, 4.4, 3.8, 2.4, 3.8])
        for row, s in zip(cells[1:], ranked, strict=True):
            for cell, zone in ((row[3], s.zone), (row[5], s.residual.zone)):
                if zone in self.zone_keys:
                    word.shade(cell, self.c.zone_def(zone).colour)

    def scenarios(self) -> None:
        self.page_break()
        self.heading(self.t("scenarios"), 1)
        for s in sorted(self.a.scenarios, key=lambda s: rank_key(s, self.c)):
            self.heading(self.name(s), 2)
            rows = self.scenario_rows(s)
            cells = word.table(self.doc, None, rows, [5.0, 12.0], together=len(rows) <= 25, bold_labels=True)
            for row, (label, _) in zip(cells, rows, strict=True):
                zone = s.zone if label == self.t("zone") else s.residual.zone if label == self.t("residual") else None
                if zone in self.zone_keys:
                    word.shade(row[1], self.c.zone_def(zone).colour)

    def text_rows(self, s: Scenario, place: Place) -> list[tuple[str, str | None]]:
        """The text fields at ``place`` in the field table, headed as on the Scenarier sheet (a choice by its
        word); the id and title stand in the scenario's heading."""
        return [(f.header(self.lang), f.choice_label(getattr(s, f.path), self.lang) or getattr(s, f.path))
                for f in sheet_fields(place) if f.path not in ("id", "title")]

    def scenario_rows(self, s: Scenario) -> list[tuple[str, str]]:
        t, c, lang = self.t, self.c, self.lang
        src = s.source
        source = ", ".join(str(src[k]) for k in ("file", "sheet") if src.get(k))
        if src.get("analysis"):
            source = t("source_text", analysis=src["analysis"], id=src.get("id") or "–") + (
                f" ({source})" if source else "")
        prob = self.class_text(s.probability, c.probability[s.probability - 1].label(lang)
                               if s.probability and s.probability <= c.probability_levels else "", "probability", s)
        for basis in sheet_fields("basis"):  # what the probability rests on
            if getattr(s, basis.path):
                prob += f"; {t('basis', text=getattr(s, basis.path))}"
        start = self.text_rows(s, "start")
        # where the scenario came from follows the first row (the category)
        rows = [*start[:1], (t("source"), source), *start[1:], (t("probability"), prob)]
        for area, k in s.consequences.items():
            label = c.area(area).label(lang) if area in c.area_keys else area
            level = c.consequence_levels[k - 1].label(lang) if k and k <= c.consequence_levels_count else ""
            rows.append((t("consequence_area", area=label), self.class_text(k, level, f"consequences.{area}", s)))
        rows += [(t("zone"), f"{self.zone_label(s.zone)}" + (f" ({t('score').lower()} {s.score})" if s.score else "")),
                 *self.text_rows(s, "assessment"), (t("residual"), self.residual_text(s)),
                 (t("review"), self.keys_to_labels("\n".join(s.review)) or None)]
        return [(label, value) for label, value in rows if value]

    def keys_to_labels(self, text: str) -> str:
        """Zone keys quoted in notes («red») shown by their labels («Rød – uakseptabel»)."""
        for z in self.c.zones:
            text = text.replace(f"«{z.key}»", f"«{z.label(self.lang)}»")
        return text

    def class_text(self, value: int | None, label: str, raw_key: str, s: Scenario) -> str:
        text = f"{value} {label}".strip() if value is not None else self.t("unknown")
        raw = s.raw.get(raw_key)
        return f"{text} ({self.t('original', text=raw)})" if raw else text

    def residual_text(self, s: Scenario) -> str | None:
        r = s.residual
        if r.is_empty() and r.zone is None:
            return None
        parts = [f"{self.t('probability')} {_num(r.probability)}"]
        parts += [f"{self.c.area(a).label(self.lang) if a in self.c.area_keys else a} {_num(k)}"
                  for a, k in r.consequences.items() if k is not None]
        return f"{self.zone_label(r.zone)} ({', '.join(parts)})"

    def plan(self) -> None:
        self.heading(self.t("plan"), 1)
        self.para(self.t("plan_text"))
        planned = sorted((s for s in self.a.scenarios if (s.measures or "").strip()), key=deadline_key)
        if not planned:
            self.para(self.t("no_measures"))
            return
        rows, overdue = [], []
        for s in planned:
            day = _date(s.deadline)
            late = day is not None and day < self.today and not (s.status or "").strip().lower().startswith(DONE)
            when = (s.deadline or self.t("no_deadline")) + (f" ({self.t('overdue')})" if late else "")
            rows.append([when, s.id or "", s.title or self.t("untitled"), s.measures or "", s.responsible or "",
                         s.status or ""])
            overdue.append(late)
        header = [BY_PATH["deadline"].header(self.lang), self.t("id"), self.t("event"),
                  *(BY_PATH[p].header(self.lang) for p in ("measures", "responsible", "status"))]
        cells = word.table(self.doc, header, rows, [2.4, 1.6, 3.6, 4.2, 3.2, 2.0])
        for row, late in zip(cells[1:], overdue, strict=True):
            if late:
                row[0].paragraphs[0].runs[0].bold = True
                word.shade(row[0], "F4B6B6")

    def appendix(self) -> None:
        self.page_break()
        self.heading(self.t("appendix"), 1)
        findings = check_analysis(self.a, self.today)
        if not findings:
            self.para(self.t("appendix_none"))
            return
        self.para(self.t("appendix_text"))
        for f in findings:
            word.paragraph(self.doc, f.message, "List Bullet")


def _ids(ids: list[str], t: Callable[..., str]) -> str:
    shown = ", ".join(ids[:CELL_IDS])
    return shown + (" " + t("more", n=len(ids) - CELL_IDS) if len(ids) > CELL_IDS else "")


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if value >= 1000 else f"{value:g}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _band(band: Band | None) -> str:
    if band is None:
        return ""
    low, high = band.low, band.high
    if high == math.inf:
        return f"≥ {_num(low)}"
    return f"< {_num(high)}" if low == 0 else f"{_num(low)} – {_num(high)}"
