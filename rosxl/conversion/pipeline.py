"""Convert one legacy file: read it, find each sheet's layout, map the values, account for every row.

:func:`convert` returns the canonical :class:`~rosxl.analysis.Analysis` and a
:class:`~rosxl.conversion.report.FileReport`. Nothing is dropped silently: every non-empty row of a
scenario table becomes a scenario or a skipped row with its reason; every column without a field
goes to ``extra``; every text a class was read from stays in ``raw``; title rows, legends, hidden
sheets and unrecognised sheets are kept under ``metadata["context"]``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from rosxl.analysis import UNCERTAINTY, Analysis, Scenario, assess_scenario
from rosxl.conversion.headers import is_note, sheet_role
from rosxl.conversion.layout import Layout, Table, detect, is_repeated_header
from rosxl.conversion.read import Book, Sheet, read_book, read_fills
from rosxl.conversion.report import FileReport, Skipped
from rosxl.conversion.values import Mapped, Scale, ValueMapper
from rosxl.criteria import Criteria, load_criteria
from rosxl.criteria.model import ConsequenceArea, ConsequenceClass, Text
from rosxl.safety.limits import Limits
from rosxl.text import clean, normalise
from rosxl.workbook.check import check_criteria, check_scenario
from rosxl.workbook.layout import FIRST_ROW, layout_for

TEXT_FIELDS = ("id", "title", "category", "description", "causes", "existing_measures", "probability_basis",
               "manageability", "vulnerability", "measures", "responsible", "deadline", "status")
UNDIVIDED = "samlet"
_UNCERTAINTY_WORDS = {"lav": "lav", "låg": "lav", "liten": "lav", "middels": "middels", "moderat": "middels",
                      "høy": "hoy", "høg": "hoy", "stor": "hoy", "hoy": "hoy"}


def convert(path: str | Path, criteria: Criteria | str | Path = "standard", *,
            limits: Limits | None = None) -> tuple[Analysis, FileReport]:
    """Convert one legacy file into the canonical analysis and its report."""
    path = Path(path)
    crit = load_criteria(criteria)
    report = FileReport(file=path.name)
    book = read_book(path, limits)
    report.format = book.format
    if book.note:
        report.add("extension-mismatch", message=book.note)
    return _Conversion(book, crit, report).run(), report


def with_undivided_area(criteria: Criteria) -> Criteria:
    """The criteria plus an area «samlet» (undivided consequence), zoned by the widest matrix."""
    if UNDIVIDED in criteria.area_keys:
        return criteria
    classes = tuple(ConsequenceClass(lv.value, lv.label) for lv in criteria.consequence_levels)
    area = ConsequenceArea(UNDIVIDED, Text("Samlet konsekvens", "Samla konsekvens"), classes)
    widest = criteria.matrix_for(None)
    matrices = tuple(dataclasses.replace(m, areas=(*m.areas, UNDIVIDED)) if m is widest else m
                     for m in criteria.matrices)
    return dataclasses.replace(criteria, areas=(*criteria.areas, area), matrices=matrices)


class _Conversion:
    def __init__(self, book: Book, criteria: Criteria, report: FileReport) -> None:
        self.book, self.criteria, self.report = book, criteria, report
        self.mapper = ValueMapper(criteria)
        self.context: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.by_sheet: list[tuple[Layout, list[Scenario]]] = []
        self.mappings: Counter[tuple[str, str]] = Counter()
        self.colour_zones = 0

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> Analysis:
        layouts = [detect(s, self.criteria) for s in self.book.sheets]
        self._scales(layouts)
        for layout in layouts:
            sheet = layout.sheet
            role = "skjult hjelpeark" if sheet.hidden and layout.kind != "legend" else _ROLES[layout.kind]
            info: dict[str, Any] = {"name": sheet.name, "role": role, "rows_read": 0, "scenarios": 0, "skipped": 0}
            self.report.sheets.append(info)
            before_read, before_skip = self.report.rows_read, len(self.report.skipped)
            scenarios: list[Scenario] = []
            if sheet.hidden or layout.kind in ("legend", "other"):
                self._keep_context(sheet, set(), role)
                if layout.kind == "other" and not sheet.hidden and any(any(r) for r in sheet.rows):
                    self.report.add("sheet-not-understood", sheet=sheet.name)
            elif layout.kind == "table" and layout.table is not None:
                info["header_rows"] = [r + 1 for r in layout.table.header_rows]
                info["columns"] = self._column_info(layout)
                scenarios = self._table(layout, layout.table)
            elif layout.kind == "form":
                info["columns"] = [{"column": f"{get_column_letter(i.col + 1)}{i.row + 1}", "label": i.label,
                                    "field": i.field, "score": 1.0 if i.field else 0.0, "sure": i.field is not None}
                                   for i in layout.form]
                scenarios = [self._form(layout)]
            self.by_sheet.append((layout, scenarios))
            info["rows_read"] = self.report.rows_read - before_read
            info["skipped"] = len(self.report.skipped) - before_skip
        scenarios = self._drop_repeats()
        scenarios += self._matrices(scenarios)
        return self._finish(scenarios)

    def _scales(self, layouts: list[Layout]) -> None:
        found: dict[str, Scale] = {}
        for layout in layouts:
            for kind, scale in layout.scales.items():
                found.setdefault(kind, scale)
        for kind, scale in found.items():
            what = "sannsynlighet" if kind == "probability" else "konsekvens"
            self.report.add("legend-used", what=what, origin=scale.origin, levels=scale.levels)
            self._scale_mapped(kind == "probability", scale)
        self.mapper = ValueMapper(self.criteria, found.get("probability"), found.get("consequence"))

    def _scale_mapped(self, probability: bool, scale: Scale, **where: Any) -> None:
        """Report a source scale with another number of levels than the criteria (it is rescaled)."""
        target = self.criteria.probability_levels if probability else self.criteria.consequence_levels_count
        if scale.levels != target:
            self.report.add("scale-mapped", what="sannsynlighet" if probability else "konsekvens",
                            levels=scale.levels, target=target, **where)

    def _undivided(self) -> str:
        if UNDIVIDED not in self.criteria.area_keys:
            self.criteria = with_undivided_area(self.criteria)
            self.mapper.criteria = self.criteria
            self.report.add("area-added", matrix=self.criteria.matrix_for(UNDIVIDED).key)
        return UNDIVIDED

    def _keep_context(self, sheet: Sheet, rows_used: set[int], role: str, upto: int | None = None) -> None:
        for r, values in enumerate(sheet.rows[:upto]):
            cells = [clean(v) for v in values if v is not None]
            if cells and r not in rows_used:
                self.context.append({"sheet": sheet.name, "row": r + 1, "role": role, "text": " | ".join(cells)})

    def _skip(self, sheet: Sheet, r: int, reason: str, values: list[Any]) -> None:
        text = " | ".join(clean(v) for v in values if v is not None)
        self.report.skipped.append(Skipped(sheet.name, r + 1, reason, text))

    # --- tables ------------------------------------------------------------------------------

    def _column_info(self, layout: Layout) -> list[dict[str, Any]]:
        assert layout.table is not None
        info = []
        for c in layout.table.columns:
            m = c.match
            info.append({"column": get_column_letter(c.index + 1), "label": c.label, "field": m.field,
                         "score": round(m.score, 2), "sure": m.field is not None and m.score >= 0.9})
            letter = get_column_letter(c.index + 1)
            if m.ambiguous:
                self.report.add("header-ambiguous", sheet=layout.sheet.name, column=letter, label=c.label,
                                candidates=m.runner_up)
            elif m.field is None and m.runner_up:
                self.report.add("column-duplicate", sheet=layout.sheet.name, column=letter, label=c.label,
                                field=m.runner_up)
            elif m.field is None:
                self.report.add("column-unmapped", sheet=layout.sheet.name, column=letter, label=c.label)
            if c.scale is not None and m.field is not None and ("probability" in m.field or "consequence" in m.field):
                self._scale_mapped("probability" in m.field, c.scale, sheet=layout.sheet.name, column=letter)
        return info

    def _table(self, layout: Layout, table: Table) -> list[Scenario]:
        sheet = layout.sheet
        header_top = table.header_rows[0]
        self._keep_context(sheet, set(), "tittel", upto=header_top)
        fills = self._colour_column(sheet, table)
        scenarios: list[Scenario] = []
        category: str | None = None
        category_col = next((c.index for c in table.columns if c.match.field == "category"), None)
        title_col = next((c.index for c in table.columns if c.match.field == "title"), None)
        for r in range(table.first_row, len(sheet.rows)):
            values = sheet.rows[r]
            filled = [(c, v) for c, v in enumerate(values) if v is not None]
            if not filled:
                continue
            self.report.rows_read += 1
            first = clean(filled[0][1])
            merged = any(m[0] == r and m[3] > m[1] for m in sheet.merged)
            if is_repeated_header(values, table):
                self._skip(sheet, r, "gjentatt overskriftsrad", values)
            elif isinstance(filled[0][1], str) and is_note(first):
                self._skip(sheet, r, f"merknad: {first}", values)
                self.notes.append(first)
            elif len(filled) == 1 and isinstance(filled[0][1], str) and (merged or filled[0][0] != title_col):
                category = first
                self._skip(sheet, r, f"seksjonsrad: kategori «{first}» for radene under", values)
            else:
                s = self._row(layout, table, r, fills)
                if s.category is None and category is not None:
                    s.category = category
                    if category_col is not None:
                        s.review.append(f"kategori «{category}» fylt ned fra raden over")
                category = s.category or category
                scenarios.append(s)
        return scenarios

    def _colour_column(self, sheet: Sheet, table: Table) -> int | None:
        """The risk column when colour is its only content (fills are then read)."""
        assessed = [c.index for c in table.columns if c.match.field and
                    c.match.field.split(".")[-1].split(":")[0] in ("probability", "consequence", "risk")]
        if any(sheet.value(r, c) is not None for c in assessed for r in range(table.first_row, len(sheet.rows))):
            return None
        col = next((c.index for c in table.columns if c.match.field == "risk"),
                   next((c.index for c in table.columns if c.match.field == "title"), None))
        if col is None:
            return None
        if not self.book.can_read_fills:
            self.report.add("colour-not-read", sheet=sheet.name, format=self.book.format)
            return None
        read_fills(self.book, {sheet.name})
        return col

    def _row(self, layout: Layout, table: Table, r: int, colour_col: int | None) -> Scenario:
        sheet = layout.sheet
        s = Scenario(source={"file": self.book.path.name, "sheet": sheet.name, "row": r + 1})
        values = sheet.rows[r]
        mapped_cols = set()
        for col in table.columns:
            mapped_cols.add(col.index)
            v = sheet.value(r, col.index)
            if v is None:
                continue
            if col.match.field is None:
                s.extra[self._extra_key(s, col.label, col.index)] = v
            else:
                self._set(s, col.match.field, v, col.label, col.scale)
        for c, v in enumerate(values):
            if v is not None and c not in mapped_cols:
                s.extra[f"kolonne {get_column_letter(c + 1)}"] = v
        if colour_col is not None and (r, colour_col) in sheet.fills:
            zone = self.mapper.colour_zone(sheet.fills[(r, colour_col)])
            s.raw["zone"] = zone.raw or ""
            s.extra["source_zone"] = zone.value
            self.colour_zones += 1
            self._note_mapping("fyllfarge", zone)
        return s

    @staticmethod
    def _extra_key(s: Scenario, label: str, index: int) -> str:
        return label if label not in s.extra else f"{label} ({get_column_letter(index + 1)})"

    # --- one value into one field -------------------------------------------------------------

    def _set(self, s: Scenario, name: str, v: Any, label: str, scale: Scale | None) -> None:
        residual = name.startswith("residual.")
        base = name.removeprefix("residual.")
        prefix = "residual." if residual else ""
        if base in TEXT_FIELDS:
            setattr(s, base, str(v) if not isinstance(v, str) else clean(v))
        elif base == "uncertainty":
            word = _UNCERTAINTY_WORDS.get(normalise(v))
            s.uncertainty = word if word in UNCERTAINTY else None
            if s.uncertainty is None:
                s.raw["uncertainty"] = clean(v)
                s.review.append(f"usikkerhet «{clean(v)}» er ikke lav/middels/høy")
        elif base == "probability":
            self._class(s, prefix + "probability", self.mapper.probability(v, scale), label)
        elif base.startswith("consequence"):
            area = base.partition(":")[2] or self._undivided()
            self._class(s, f"{prefix}consequences.{area}", self.mapper.consequence(area, v, scale), label)
        elif base == "risk":
            m = self.mapper.risk(v)
            self._note_mapping(label, m)
            if m.pair is not None:
                p, k = m.pair
                self._class(s, prefix + "probability", Mapped(p, how=m.how, raw=m.raw, review=m.review), label,
                            keep=True)
                if not self._has_consequences(s, residual):
                    self._class(s, f"{prefix}consequences.{self._undivided()}", Mapped(k, how=m.how, raw=m.raw),
                                label, keep=True)
            elif m.value is not None:
                s.extra["source_zone" if not residual else "source_residual_zone"] = m.value
            if m.score is not None:
                s.extra["source_score" if not residual else "source_residual_score"] = m.score
            s.raw[prefix + "risk"] = m.raw or clean(v)
            if m.review:
                s.review.append(m.review)

    @staticmethod
    def _has_consequences(s: Scenario, residual: bool) -> bool:
        target = s.residual.consequences if residual else s.consequences
        return any(k is not None for k in target.values())

    def _class(self, s: Scenario, path: str, m: Mapped, label: str, keep: bool = False) -> None:
        """Store a class at ``path`` ("probability", "residual.consequences.okonomi") with its raw text."""
        target: Any = s.residual if path.startswith("residual.") else s
        parts = path.removeprefix("residual.").split(".")
        value = m.value if isinstance(m.value, int) else None
        if parts[0] == "probability":
            if keep and target.probability is not None:
                return
            target.probability = value
        else:
            target.consequences[parts[1]] = value
        if m.raw is not None:
            s.raw[path] = m.raw
        if m.review:
            s.review.append(m.review)
        if not keep:
            self._note_mapping(label, m)

    def _note_mapping(self, label: str, m: Mapped) -> None:
        self.mappings[(label, m.how or (m.reason or ""))] += 1

    # --- forms ---------------------------------------------------------------------------------

    def _form(self, layout: Layout) -> Scenario:
        sheet = layout.sheet
        used = {item.row for item in layout.form}
        first = layout.form[0]
        s = Scenario(source={"file": self.book.path.name, "sheet": sheet.name,
                             "cell": f"{get_column_letter(first.col + 1)}{first.row + 1}"})
        for item in layout.form:
            if item.field is None or item.value is None:
                s.extra[item.label] = item.value
            else:
                self._set(s, item.field, item.value, item.label, None)
        self._keep_context(sheet, used | {i.row - 1 for i in layout.form}, "skjema")
        self.report.rows_read += 1
        if s.title is None:
            s.title = sheet.name
            s.review.append(f"tittelen er hentet fra arknavnet «{sheet.name}»")
        return s

    # --- sheets that repeat others, and matrices -----------------------------------------------

    def _drop_repeats(self) -> list[Scenario]:
        def key(s: Scenario) -> str:
            return normalise(s.title or "") or normalise(s.id or "")
        keys = [({key(s) for s in sc}, layout) for layout, sc in self.by_sheet]
        order = sorted(range(len(keys)), key=lambda i: (keys[i][1].sheet.name not in _overview_names(self.by_sheet),
                                                         -len(keys[i][0])))
        dropped: set[int] = set()
        for i in order:
            own = keys[i][0]
            others = [j for j in range(len(keys)) if j != i and j not in dropped and keys[j][0]]
            union = set().union(*(keys[j][0] for j in others)) if others else set()
            if own and own <= union:
                dropped.add(i)
                names = ", ".join(f"«{keys[j][1].sheet.name}»" for j in others if keys[j][0] & own)
                sheet = keys[i][1].sheet
                self.report.add("sheet-repeats", sheet=sheet.name, others=names)
                for s in self.by_sheet[i][1]:
                    row = int(s.source.get("row", 0)) - 1
                    self._skip(sheet, row, f"gjentar scenario «{s.title or s.id}» fra {names}", sheet.rows[row])
                self.report.sheets[i]["role"] = "oversikt (gjentar andre ark)"
        return [s for i, (_, sc) in enumerate(self.by_sheet) if i not in dropped for s in sc]

    def _matrices(self, scenarios: list[Scenario]) -> list[Scenario]:
        """Place matrix ids: fill or check known scenarios, create the unknown ones."""
        new: list[Scenario] = []
        by_id = {normalise(s.id): s for s in scenarios if s.id}
        for i, (layout, _) in enumerate(self.by_sheet):
            matrix = layout.matrix
            if layout.kind != "matrix" or matrix is None or layout.sheet.hidden:
                continue
            sheet = layout.sheet
            self.report.sheets[i]["role"] = f"risikomatrise (sannsynlighet langs {_AXES[matrix.probability_on]})"
            self._keep_context(sheet, {r for r, _ in matrix.cells}, "risikomatrise")
            self.context += [{"sheet": sheet.name, "row": row + 1, "role": f"risikomatrise, akse langs {_AXES[axis]}",
                              "text": " | ".join(texts)} for axis, (row, texts) in matrix.labels.items()]
            ps, ks = Scale(matrix.levels[0], origin="matrisen"), Scale(matrix.levels[1], origin="matrisen")
            area = self._undivided()
            for e in matrix.entries:
                for ident in e.ids:
                    self.report.rows_read += 1
                    p, k = self.mapper.probability(e.probability, ps), self.mapper.consequence(area, e.consequence, ks)
                    cell = f"{get_column_letter(e.col + 1)}{e.row + 1}"
                    known = by_id.get(normalise(ident))
                    if known is None:
                        labels = {"probability": e.probability_label, f"consequences.{area}": e.consequence_label}
                        s = Scenario(id=ident, source={"file": self.book.path.name, "sheet": sheet.name, "cell": cell},
                                     raw={"matrix": e.text, **{k: v for k, v in labels.items() if v}})
                        s.probability, s.consequences = p.value if isinstance(p.value, int) else None, \
                            {area: k.value if isinstance(k.value, int) else None}
                        s.review.append(f"scenario {ident} finnes bare i risikomatrisen (celle {cell}); "
                                        "tittel og vurdering mangler")
                        s.review += [x for x in (p.review, k.review) if x]
                        new.append(s)
                        by_id[normalise(ident)] = s
                        continue
                    self.report.skipped.append(Skipped(sheet.name, e.row + 1, f"plassering av {ident} i matrisen "
                                                       f"(celle {cell}) sammenholdt med scenarioet", e.text))
                    if known.probability is None:
                        known.probability = p.value if isinstance(p.value, int) else None
                        known.consequences.setdefault(area, k.value if isinstance(k.value, int) else None)
                        known.review.append(f"sannsynlighet og konsekvens er hentet fra risikomatrisen (celle {cell})")
                    elif known.probability != p.value:
                        msg = (f"matrisen plasserer {ident} i sannsynlighet {p.value}, tabellen sier "
                               f"{known.probability}")
                        known.review.append(msg)
                        self.report.add("matrix-conflict", sheet=sheet.name, message=msg)
        return new

    # --- the result -----------------------------------------------------------------------------

    def _finish(self, scenarios: list[Scenario]) -> Analysis:
        seen: set[str] = set()
        for n, s in enumerate(scenarios, start=1):
            if s.id is None:
                s.id = str(n)
                while s.id in seen:
                    s.id = f"{n}-{len(seen)}"
            elif s.id in seen:
                old, s.id = s.id, f"{s.id}-{s.source.get('sheet')}"
                s.review.append(f"id «{old}» finnes flere ganger; endret til «{s.id}»")
            seen.add(s.id)
            self._assess(s)
        self.report.scenarios = len(scenarios)
        if not scenarios:
            self.report.add("no-scenarios")
        if self.colour_zones:
            self.report.add("zone-from-colour", count=self.colour_zones)
        for (label, how), count in self.mappings.items():
            self.report.value_mappings.append({"column": label, "how": how, "count": count})
        for s in scenarios:
            self.report.review += [{"scenario": s.id or "", "note": note} for note in s.review]
        self._checks(scenarios)
        for info, (_, sc) in zip(self.report.sheets, self.by_sheet, strict=True):
            info["scenarios"] = sum(1 for s in scenarios if any(s is x for x in sc))
        if self.report.rows_read != self.report.scenarios + len(self.report.skipped):
            self.report.add("rows-lost", read=self.report.rows_read, scenarios=self.report.scenarios,
                            skipped=len(self.report.skipped))
        metadata: dict[str, Any] = {"source": self.book.path.name, "format": self.book.format,
                                    "criteria": self.criteria.name, "context": self.context, "notes": self.notes}
        titles = [c["text"] for c in self.context if c["role"] == "tittel"]
        if titles:
            metadata["title"] = titles[0]
        return Analysis(self.criteria, scenarios, metadata, self.report.to_dict())

    def _checks(self, scenarios: list[Scenario]) -> None:
        """What ``rosxl check`` will say about the workbook, listed for review in the report."""
        layout = layout_for(self.criteria)
        findings = check_criteria(self.criteria)
        for row, s in enumerate(scenarios, start=FIRST_ROW):
            findings += check_scenario(s, self.criteria, layout, row, dt.date.today())
        self.report.review += [{"scenario": "", "note": f.message, "check": f.code} for f in findings]

    def _assess(self, s: Scenario) -> None:
        assess_scenario(s, self.criteria)
        source_zone = s.extra.get("source_zone")
        if source_zone is None:
            return
        if s.zone is None:
            s.zone = source_zone
            s.review.append(f"sonen «{source_zone}» er tatt fra kilden ({s.raw.get('zone') or s.raw.get('risk')}); "
                            "sannsynlighet og konsekvens mangler")
        elif s.zone != source_zone:
            s.review.append(f"kilden sier sone «{source_zone}», kriteriene gir «{s.zone}»")


_ROLES = {"table": "scenariotabell", "form": "skjema (ett scenario)", "matrix": "risikomatrise",
          "legend": "tegnforklaring", "other": "ikke gjenkjent"}
_AXES = {"rows": "radene", "columns": "kolonnene"}


def _overview_names(by_sheet: list[tuple[Layout, list[Scenario]]]) -> set[str]:
    return {layout.sheet.name for layout, _ in by_sheet if sheet_role(layout.sheet.name) == "overview"}
