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
from rosxl.conversion.evidence import is_description
from rosxl.conversion.headers import is_note, match, sheet_role
from rosxl.conversion.headers import table as header_table
from rosxl.conversion.language import chosen
from rosxl.conversion.layout import Layout, Table, detect, is_repeated_header
from rosxl.conversion.mapping import FileMap, Mapping
from rosxl.conversion.mapping import load as load_mapping
from rosxl.conversion.read import Book, Sheet, read_book, read_fills
from rosxl.conversion.report import FileReport, Skipped
from rosxl.conversion.values import Mapped, Scale, ValueMapper
from rosxl.criteria import Criteria, load_criteria
from rosxl.criteria.model import ConsequenceArea, ConsequenceClass, Language, Text
from rosxl.fields import label as field_label
from rosxl.safety.limits import Limits
from rosxl.text import clean, normalise
from rosxl.workbook.check import check_criteria, check_scenario
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.layout import FIRST_ROW, layout_for
from rosxl.workbook.layout import SHEET as SCENARIO_SHEET
from rosxl.workbook.read import read_analysis
from rosxl.workbook.write import DATA_SHEET

TEXT_FIELDS = ("id", "title", "category", "description", "causes", "existing_measures", "probability_basis",
               "manageability", "vulnerability", "measures", "responsible", "deadline", "status")
UNDIVIDED = "samlet"
_UNCERTAINTY_WORDS = {"lav": "lav", "låg": "lav", "liten": "lav", "middels": "middels", "moderat": "middels",
                      "høy": "hoy", "høg": "hoy", "stor": "hoy", "hoy": "hoy"}


def convert(path: str | Path, criteria: Criteria | str | Path = "standard", *,
            limits: Limits | None = None, language: Language | None = None,
            mapping: Mapping | str | Path | None = None) -> tuple[Analysis, FileReport]:
    """Convert one legacy file into the canonical analysis and its report.

    ``language`` is the written form of the workbook to write (``metadata["language"]``); by default
    the source's own (:mod:`.language`). The report says which and why (``language-chosen``).
    ``mapping`` (a :class:`~rosxl.conversion.mapping.Mapping` or a ``kobling.toml``) sets what
    detection would otherwise guess: sheets, header rows, table ranges, columns, the source's scale."""
    path = Path(path)
    crit = load_criteria(criteria)
    given = (mapping if isinstance(mapping, Mapping) else load_mapping(mapping)) if mapping is not None else None
    file_map = given.for_file(path) if given is not None else None
    report = FileReport(file=path.name)
    book = read_book(path, limits)
    report.format = book.format
    if book.note:
        report.add("extension-mismatch", message=book.note)
    form = chosen(language, book)
    report.add("language-chosen", language=_LANGUAGES[form.language], why=form.why)
    analysis = _standard_workbook(book, report) if is_rosxl_workbook(book) else \
        _Conversion(book, crit, report, file_map).run()
    analysis.metadata["language"] = form.language
    analysis.report = report.to_dict()
    return analysis, report


def is_rosxl_workbook(book: Book) -> bool:
    """A workbook rosxl wrote: its hidden data sheet, or both the criteria and the scenario sheet."""
    names = {s.name: s for s in book.sheets}
    data = names.get(DATA_SHEET)
    return book.format in ("xlsx", "xlsm") and (
        (data is not None and data.hidden) or (CRITERIA_SHEET in names and SCENARIO_SHEET in names))


def _standard_workbook(book: Book, report: FileReport) -> Analysis:
    """A rosxl workbook is read as it is (:func:`rosxl.workbook.read.read_analysis`), never guessed at:
    its own criteria, every scenario, nothing invented."""
    analysis = read_analysis(book.path)
    report.add("rosxl-workbook")
    report.sheets = [{"name": s.name, "role": "rosxl-arbeidsbok (lest uten tolkning)", "rows_read": 0,
                      "scenarios": 0, "skipped": 0} for s in book.sheets if s.name == SCENARIO_SHEET]
    report.rows_read = report.scenarios = len(analysis.scenarios)
    if report.sheets:
        report.sheets[0].update(rows_read=report.rows_read, scenarios=report.scenarios)
    return analysis


def with_area(criteria: Criteria, key: str = UNDIVIDED, label: str | None = None) -> Criteria:
    """The criteria plus a consequence area they lack: «samlet» (an undivided consequence) or an area
    the source names (``[new_areas]`` in ``rosxl/data/headers.toml`` gives its labels and unit).

    **Matrix rule**: the new area is zoned by the criteria's widest matrix (the one most of their
    areas share), its classes are the criteria's shared consequence levels; so a class 4 in the new
    area means what class 4 means in most areas."""
    if key in criteria.area_keys:
        return criteria
    spec = header_table()["new_areas"].get(key, {})
    classes = tuple(ConsequenceClass(lv.value, lv.label) for lv in criteria.consequence_levels)
    name = Text(spec.get("nb", label or key), spec.get("nn", spec.get("nb", label or key)))
    area = ConsequenceArea(key, name, classes, unit=spec.get("unit"))
    widest = criteria.matrix_for(None)
    matrices = tuple(dataclasses.replace(m, areas=(*m.areas, key)) if m is widest else m
                     for m in criteria.matrices)
    return dataclasses.replace(criteria, areas=(*criteria.areas, area), matrices=matrices)


def with_undivided_area(criteria: Criteria) -> Criteria:
    """The criteria plus the area «samlet» (an undivided consequence); see :func:`with_area`."""
    return with_area(criteria, UNDIVIDED)


class _Conversion:
    def __init__(self, book: Book, criteria: Criteria, report: FileReport, given: FileMap | None = None) -> None:
        self.book, self.criteria, self.report, self.given = book, criteria, report, given
        self.areas: set[str] = set()  # areas known to be in the criteria (checked once each)
        self.mapper = ValueMapper(criteria)
        self.context: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.by_sheet: list[tuple[Layout, list[Scenario]]] = []
        self.mappings: Counter[tuple[str, str]] = Counter()
        self.colour_zones = 0

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> Analysis:
        given = self.given
        layouts = [detect(s, self.criteria, given.sheet(s.name) if given else None) for s in self.book.sheets]
        self._scales(layouts)
        for layout in layouts:
            sheet = layout.sheet
            role = "skjult hjelpeark" if sheet.hidden and layout.kind != "legend" else _ROLES[layout.kind]
            if layout.transposed:
                role += " (snudd: feltene står i rader, ett scenario per kolonne; «rad» i rapporten er kolonnen)"
            info: dict[str, Any] = {"name": sheet.name, "role": role, "rows_read": 0, "scenarios": 0, "skipped": 0}
            self.report.sheets.append(info)
            before_read, before_skip = self.report.rows_read, len(self.report.skipped)
            scenarios: list[Scenario] = []
            if layout.kind == "skipped":
                info["skipped_by_mapping"] = True
                self._keep_context(sheet, set(), role)
            elif sheet.hidden or layout.kind in ("legend", "other"):
                self._keep_context(sheet, set(), role)
                if layout.kind == "other" and not sheet.hidden and any(any(r) for r in sheet.rows):
                    self.report.add("sheet-not-understood", sheet=sheet.name)
            elif layout.kind == "table" and layout.table is not None:
                tables = [layout.table, *layout.more]
                info["header_rows"] = [r + 1 for t in tables for r in t.header_rows]
                columns = [self._column_info(layout, t) for t in tables]
                info["tables"] = [{"header_rows": [r + 1 for r in t.header_rows], "range": _range(t, sheet.width),
                                   "columns": len(c)} for t, c in zip(tables, columns, strict=True)]
                info["columns"] = [c for table_columns in columns for c in table_columns]
                if layout.transposed:
                    info["transposed"] = True
                for i, t in enumerate(tables):
                    upto = tables[i + 1].header_rows[0] if i + 1 < len(tables) else None
                    scenarios += self._table(layout, t, upto)
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
        for kind, words in (self.given.scales if self.given else {}).items():
            found[kind] = Scale(max(words.values()), words, origin="koblingsfilen")
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
        return self._area(UNDIVIDED)

    def _area(self, key: str, label: str | None = None) -> str:
        """``key``, added to the criteria (see :func:`with_area`) when they lack it."""
        if key not in self.areas:
            if key in self.criteria.area_keys:
                self.areas.add(key)
                return key
            self.criteria = with_area(self.criteria, key, label)
            self.areas.add(key)
            self.mapper.criteria = self.criteria
            self.report.add("area-added", area=self.criteria.area(key).label.nb,
                            matrix=self.criteria.matrix_for(key).key)
        return key

    def _keep_context(self, sheet: Sheet, rows_used: set[int], role: str, upto: int | None = None,
                      start: int = 0) -> None:
        for r, values in enumerate(sheet.rows[start:upto], start=start):
            cells = [str(v) for v in values if v is not None]
            if cells and r not in rows_used:
                self.context.append({"sheet": sheet.name, "row": r + 1, "role": role, "text": " | ".join(cells)})

    def _skip(self, sheet: Sheet, r: int, reason: str, values: list[Any]) -> None:
        text = " | ".join(str(v) for v in values if v is not None)
        self.report.skipped.append(Skipped(sheet.name, r + 1, reason, text))

    # --- tables ------------------------------------------------------------------------------

    def _column_info(self, layout: Layout, table: Table) -> list[dict[str, Any]]:
        info = []
        for c in table.columns:
            m = c.match
            d = c.decision
            info.append({"column": get_column_letter(c.index + 1), "label": c.label, "field": m.field,
                         "score": round(m.score, 2), "sure": m.field is not None and m.score >= 0.9,
                         "evidence": d.evidence if d else "", "rule": d.rule if d else "header"})
            letter = get_column_letter(c.index + 1)
            if d is not None and d.rule == "content-wins" and m.field:
                self.report.add("column-content-wins", sheet=layout.sheet.name, column=letter, label=c.label,
                                header=field_label(m.runner_up), field=field_label(m.field), evidence=d.evidence)
            elif d is not None and d.rule == "by-content" and m.field:
                self.report.add("column-by-content", sheet=layout.sheet.name, column=letter, label=c.label,
                                field=field_label(m.field), evidence=d.evidence)
            elif m.ambiguous:
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

    def _table(self, layout: Layout, table: Table, upto: int | None) -> list[Scenario]:
        """The rows of one table; the rows above its header (the first table's only) are title rows,
        the rows after its end up to ``upto`` (the next table's header) are kept as context."""
        sheet = layout.sheet
        header_top = table.header_rows[0]
        if table is layout.table:
            self._keep_context(sheet, set(), "tittel", upto=header_top)
        self._keep_context(sheet, set(), "under tabellen (tegnforklaring eller merknad)", upto=upto, start=table.end)
        for col in table.columns:  # a label over nothing (a title beside a transposed table): kept
            if all(sheet.value(r, col.index) is None for r in range(table.first_row, table.end)):
                self.context.append({"sheet": sheet.name, "row": table.header_rows[-1] + 1,
                                     "role": "overskrift uten verdier", "text": col.label})
        fills = self._colour_column(sheet, table)
        scenarios: list[Scenario] = []
        category: str | None = None
        category_col = next((c.index for c in table.columns if c.match.field == "category"), None)
        title_col = next((c.index for c in table.columns if c.match.field == "title"), None)
        text_cols = {c.index: c.match.field for c in table.columns if c.match.field in TEXT_FIELDS}
        previous: Scenario | None = None  # the scenario of the row just above (two rows per scenario)
        long_table = any(c.match.field == "area" for c in table.columns)
        width = table.last_col + 1 if table.last_col is not None else None
        if width is not None:
            beside = Sheet(sheet.name, [[None] * width + row[width:] for row in sheet.rows])
            self._keep_context(beside, set(), "ved siden av tabellen (tegnforklaring eller merknad)")
        for r in range(table.first_row, table.end):
            values = sheet.rows[r][:width]
            filled = [(c, v) for c, v in enumerate(values) if v is not None]
            if not filled:
                previous = None
                continue
            self.report.rows_read += 1
            first = str(filled[0][1])
            merged = any(m[0] == r and m[3] > m[1] for m in sheet.merged)
            if is_repeated_header(values, table):
                self._skip(sheet, r, "gjentatt overskriftsrad", values)
            elif isinstance(filled[0][1], str) and is_note(clean(first)):
                self._skip(sheet, r, f"merknad: {first}", values)
                self.notes.append(first)
            elif previous is not None and len(filled) == 1 and filled[0][0] in text_cols and is_description(first) \
                    and not (fills is not None and (r, fills) in sheet.fills):  # a coloured row is a scenario
                name = self._continue(previous, text_cols[filled[0][0]], first)
                self._skip(sheet, r, f"{name} til scenarioet i raden over (to rader per scenario)", values)
                continue
            elif len(filled) == 1 and isinstance(filled[0][1], str) and \
                    (merged or filled[0][0] != title_col or self._heads_a_group(sheet, table, r)):
                category = first
                self._skip(sheet, r, f"seksjonsrad: kategori «{first}» for radene under", values)
            else:
                s = self._row(layout, table, r, fills)
                if long_table and scenarios and _same(scenarios[-1], s):
                    self._merge(scenarios[-1], s, r + 1)
                    self._skip(sheet, r, "samme scenario som raden over, et annet konsekvensområde (én rad per "
                                         "område)", values)
                    continue
                if s.category is None and category is not None:
                    s.category = category
                    if category_col is not None:
                        s.review.append(f"kategori «{category}» fylt ned fra raden over")
                category = s.category or category
                scenarios.append(s)
                previous = s
                continue
            previous = None
        return scenarios

    @staticmethod
    def _heads_a_group(sheet: Sheet, table: Table, r: int) -> bool:
        """A lone short text in the title column, over a row that is a full scenario row: a section
        row ("Helse" above the health scenarios), not a scenario with nothing assessed."""
        text = sheet.value(r, next(c for c, v in enumerate(sheet.rows[r]) if v is not None))
        if not isinstance(text, str) or is_description(text):
            return False
        below = next((row for row in sheet.rows[r + 1:table.end] if any(v is not None for v in row)), None)
        return below is not None and sum(v is not None for v in below) >= 3

    @staticmethod
    def _continue(s: Scenario, name: str, text: str) -> str:
        """A description row under its scenario: the text goes to the column's field when the scenario
        has none there, else to the description (on a new line). Returns what it became, in words."""
        field = "description" if name == "title" or getattr(s, name) else name
        old = getattr(s, field)
        setattr(s, field, text if not old else f"{old}\n{text}")
        return "beskrivelse" if field == "description" else f"tekst ({field_label(field)})"

    def _colour_column(self, sheet: Sheet, table: Table) -> int | None:
        """The column whose fill gives a row's zone when its values do not: the risk column, else the
        title column. Fills are read (openpyxl, once per file) only when some row lacks a zone."""
        def named(*names: str) -> list[int]:
            return [c.index for c in table.columns if c.match.field and
                    c.match.field.removeprefix("residual.").split(":")[0] in names]
        risk, probability, consequence = named("risk"), named("probability"), named("consequence")
        col = next(iter(risk), next((c.index for c in table.columns if c.match.field == "title"), None))
        if col is None:
            return None
        title = next((c.index for c in table.columns if c.match.field == "title"), None)
        def lacks_zone(r: int) -> bool:
            row = sheet.rows[r]
            named = sheet.value(r, title) is not None if title is not None else sum(v is not None for v in row) >= 2
            if not named or any(sheet.value(r, c) is not None for c in risk) or is_repeated_header(row, table):
                return False
            return not any(sheet.value(r, c) is not None for c in probability) or \
                not any(sheet.value(r, c) is not None for c in consequence)
        if not any(lacks_zone(r) for r in range(table.first_row, table.end)):
            return None
        if not read_fills(self.book, {s.name for s in self.book.sheets}):
            self.report.add("colour-not-read", sheet=sheet.name, format=self.book.format)
            return None
        return col

    def _row(self, layout: Layout, table: Table, r: int, colour_col: int | None) -> Scenario:
        sheet = layout.sheet
        where = {"column": get_column_letter(r + 1)} if layout.transposed else {"row": r + 1}
        s = Scenario(source={"file": self.book.path.name, "sheet": sheet.name, **where})
        values = sheet.rows[r]
        mapped_cols = set()
        area = self._row_area(table, values)
        for col in table.columns:
            mapped_cols.add(col.index)
            v = sheet.value(r, col.index)
            if v is None:
                continue
            name = col.match.field
            if name == "ignore":
                continue
            if name is None or name == "area":
                s.extra[self._extra_key(s, col.label, col.index)] = v
            else:
                if area and name.removeprefix("residual.") == "consequence":
                    name = f"{name}:{area}"
                self._set(s, name, v, col.label, col.scale)
        for c, v in enumerate(values[:table.last_col + 1] if table.last_col is not None else values):
            if v is not None and c not in mapped_cols:
                s.extra[f"kolonne {get_column_letter(c + 1)}"] = v
        if colour_col is not None and (r, colour_col) in sheet.fills and "source_zone" not in s.extra and \
                (s.probability is None or not any(k is not None for k in s.consequences.values())):
            zone = self.mapper.colour_zone(sheet.fills[(r, colour_col)])
            s.raw["zone"] = zone.raw or ""
            s.extra["source_zone"] = zone.value
            self.colour_zones += 1
            self._note_mapping("fyllfarge", zone)
        return s

    @staticmethod
    def _row_area(table: Table, values: list[Any]) -> str | None:
        """In a long table, the area this row assesses ("Økonomi" in the area column)."""
        col = next((c.index for c in table.columns if c.match.field == "area"), None)
        value = values[col] if col is not None and col < len(values) else None
        found = match(str(value), table.criteria).field if value is not None and table.criteria else None
        return found.partition(":")[2] if found and found.startswith("consequence:") else None

    @staticmethod
    def _merge(into: Scenario, s: Scenario, row: int) -> None:
        """Join a long table's next row (same scenario, another area) into the scenario."""
        for phase_into, phase in ((into, s), (into.residual, s.residual)):
            for area, cls in phase.consequences.items():
                phase_into.consequences.setdefault(area, cls)
            if phase_into.probability is None:
                phase_into.probability = phase.probability
        for name in TEXT_FIELDS:
            if getattr(into, name) is None:
                setattr(into, name, getattr(s, name))
        into.raw = {**s.raw, **into.raw}
        for key, value in s.extra.items():
            into.extra[key if into.extra.get(key, value) == value else f"{key} (rad {row})"] = value
        into.review += [n for n in s.review if n not in into.review]

    @staticmethod
    def _extra_key(s: Scenario, label: str, index: int) -> str:
        return label if label not in s.extra else f"{label} ({get_column_letter(index + 1)})"

    # --- one value into one field -------------------------------------------------------------

    def _set(self, s: Scenario, name: str, v: Any, label: str, scale: Scale | None) -> None:
        residual = name.startswith("residual.")
        base = name.removeprefix("residual.")
        prefix = "residual." if residual else ""
        if base in TEXT_FIELDS:
            setattr(s, base, str(v))  # verbatim
        elif base == "uncertainty":
            word = _UNCERTAINTY_WORDS.get(normalise(v))
            s.uncertainty = word if word in UNCERTAINTY else None
            if s.uncertainty is None:
                s.raw["uncertainty"] = str(v)
                s.review.append(f"usikkerhet «{clean(v)}» er ikke lav/middels/høy")
        elif base == "probability":
            self._class(s, prefix + "probability", self.mapper.probability(v, scale), label)
        elif base.startswith("consequence"):
            area = self._area(base.partition(":")[2] or UNDIVIDED, label.rpartition(" / ")[2])
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
            if m.residual_pair is not None and not residual:  # "Før: S3 K4 / Etter: S2 K3" in one cell
                p, k = m.residual_pair
                self._class(s, "residual.probability", Mapped(p, how=m.how, raw=m.raw), label, keep=True)
                if not self._has_consequences(s, True):
                    self._class(s, f"residual.consequences.{self._undivided()}", Mapped(k, how=m.how, raw=m.raw),
                                label, keep=True)
            elif m.value is not None:
                s.extra["source_zone" if not residual else "source_residual_zone"] = m.value
            if m.score is not None:
                s.extra["source_score" if not residual else "source_residual_score"] = m.score
            s.raw[prefix + "risk"] = m.raw or str(v)
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
        return Analysis(self.criteria, scenarios, metadata)  # the report is added by convert()

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
            origin = s.raw.get("zone") or s.raw.get("risk")
            s.review.append(f"sonen «{self.mapper.zone_name(source_zone)}» er tatt fra kilden ({origin}); "
                            "sannsynlighet og konsekvens mangler")
        elif s.zone != source_zone:
            s.review.append(f"kilden sier sone «{self.mapper.zone_name(source_zone)}», "
                            f"kriteriene gir «{self.mapper.zone_name(s.zone)}»")


_ROLES = {"table": "scenariotabell", "form": "skjema (ett scenario)", "matrix": "risikomatrise",
          "legend": "tegnforklaring", "other": "ikke gjenkjent", "skipped": "ikke brukt (koblingsfilen)"}


def _range(table: Table, width: int) -> str:
    """The table's range as the spreadsheet names it: "A4:L40" (header included; to the sheet's last
    column unless a block stands beside the table)."""
    first = min((c.index for c in table.columns), default=0)
    last = table.last_col if table.last_col is not None else max(width - 1, first)
    return f"{get_column_letter(first + 1)}{table.header_rows[0] + 1}:{get_column_letter(last + 1)}{table.end}"
_AXES = {"rows": "radene", "columns": "kolonnene"}
_LANGUAGES = {"nb": "bokmål", "nn": "nynorsk"}


def _same(a: Scenario, b: Scenario) -> bool:
    """Two rows of one scenario in a long table: the same id and title (either may be missing)."""
    return (normalise(a.id or ""), normalise(a.title or "")) == (normalise(b.id or ""), normalise(b.title or "")) \
        and bool(a.id or a.title)


def _overview_names(by_sheet: list[tuple[Layout, list[Scenario]]]) -> set[str]:
    return {layout.sheet.name for layout, _ in by_sheet if sheet_role(layout.sheet.name) == "overview"}
