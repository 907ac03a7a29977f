"""Convert one legacy file: read it, find each sheet's layout, map the values, account for every row.

:func:`convert` returns the canonical :class:`~rosxl.analysis.Analysis` and a
:class:`~rosxl.conversion.report.FileReport`. Nothing is dropped silently: every non-empty row of a
scenario table becomes a scenario or a skipped row with its reason; every column without a field
goes to ``extra``; every text a class was read from stays in ``raw``; title rows, legends, hidden
sheets and unrecognised sheets are kept under ``metadata["context"]``. Each sheet is read by the
extractor of its layout (:mod:`rosxl.conversion.extract`); this module composes their results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.conversion.extract import Extracted, Log, skipped_row
from rosxl.conversion.extract.assign import Assigner, fill_missing, with_area, with_undivided_area
from rosxl.conversion.extract.form import extract_form
from rosxl.conversion.extract.matrix import extract_matrix
from rosxl.conversion.extract.table import extract_tables
from rosxl.conversion.headers import sheet_role
from rosxl.conversion.language import chosen
from rosxl.conversion.layout import Layout, detect
from rosxl.conversion.mapping import FileMap, Mapping
from rosxl.conversion.mapping import load as load_mapping
from rosxl.conversion.read import Book, Sheet, read_book
from rosxl.conversion.report import FileReport, Problem, Skipped
from rosxl.conversion.split_tables import weigh_together
from rosxl.conversion.values import Scale, ValueMapper, class_names, oriented
from rosxl.criteria import Criteria, load_criteria
from rosxl.criteria.model import Language
from rosxl.safety.limits import Limits
from rosxl.text import normalise
from rosxl.workbook.check import check_criteria, check_scenario
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.layout import FIRST_ROW, layout_for
from rosxl.workbook.layout import SHEET as SCENARIO_SHEET
from rosxl.workbook.read import read_analysis
from rosxl.workbook.write import DATA_SHEET

__all__ = ["convert", "is_rosxl_workbook", "with_area", "with_undivided_area"]


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


class _Conversion:
    """One file: each sheet's extractor, then repeated sheets and matrices, then the whole."""

    def __init__(self, book: Book, criteria: Criteria, report: FileReport, given: FileMap | None = None) -> None:
        self.book, self.report, self.given = book, report, given
        self.assigner = Assigner(criteria, ValueMapper(criteria))

    def run(self) -> Analysis:
        given, book = self.given, self.book
        layouts = [detect(s, self.assigner.criteria, given.sheet(s.name) if given else None) for s in book.sheets]
        weigh_together([lay for lay in layouts if not (given and given.sheet(lay.sheet.name))], self.assigner.criteria)
        self._scales(layouts)
        results = [self._extract(layout) for layout in layouts]
        results, repeats = _drop_repeats(results, layouts)
        scenarios = [s for r in results for s in r.scenarios]
        by_id = {normalise(s.id): s for s in scenarios if s.id}
        matrices = {i: extract_matrix(book.path.name, layout, self.assigner, by_id) for i, layout in enumerate(layouts)
                    if layout.kind == "matrix" and layout.matrix is not None and not layout.sheet.hidden}
        final = [matrices.get(i, r) for i, r in enumerate(results)]
        for r in results:
            self.report.problems += r.problems
        self.report.problems += repeats
        for r in matrices.values():
            self.report.problems += r.problems
        return self._finish(final, [*results, *matrices.values()])

    def _extract(self, layout: Layout) -> Extracted:
        sheet = layout.sheet
        role = "skjult hjelpeark" if sheet.hidden and layout.kind != "legend" else _ROLES[layout.kind]
        if layout.transposed:
            role += " (snudd: feltene står i rader, ett scenario per kolonne; «rad» i rapporten er kolonnen)"
        if layout.kind == "table" and layout.table is not None and not sheet.hidden:
            return extract_tables(self.book, layout, self.assigner, role)
        if layout.kind == "form" and not sheet.hidden:
            return extract_form(self.book.path.name, layout, self.assigner, role)
        log = Log(sheet)
        if layout.kind != "matrix" or sheet.hidden:
            log.keep_context(set(), role)
        if layout.kind == "other" and not sheet.hidden and any(any(r) for r in sheet.rows):
            log.add("sheet-not-understood", sheet=sheet.name)
        return log.freeze(role, {"skipped_by_mapping": True} if layout.kind == "skipped" else None)

    def _scales(self, layouts: list[Layout]) -> None:
        found: dict[str, Scale] = {}
        for layout in layouts:
            for kind, scale in layout.scales.items():
                found.setdefault(kind, scale)
        for kind, words in (self.given.scales if self.given else {}).items():
            found[kind] = Scale(max(words.values()), words, origin="koblingsfilen")
        for kind, scale in found.items():
            what = "sannsynlighet" if kind == "probability" else "konsekvens"
            found[kind] = scale = oriented(scale, class_names(self.assigner.criteria, kind))
            self.report.add("legend-used", what=what, origin=scale.origin, levels=scale.levels)
            if scale.inverted:
                self.report.add("scale-inverted", what=what, origin=scale.origin, levels=scale.levels)
            self.assigner.scale_mapped(kind == "probability", scale, self.report.problems)
        self.assigner.mapper = ValueMapper(self.assigner.criteria, found.get("probability"), found.get("consequence"))

    # --- the result -----------------------------------------------------------------------------

    def _finish(self, sheets: list[Extracted], results: list[Extracted]) -> Analysis:
        """The analysis and the report from each sheet's final result (``sheets``); context, notes and
        value mappings in the order the sheets were read (``results``, the matrices last)."""
        report = self.report
        scenarios = [s for r in sheets for s in r.scenarios]
        seen: set[str] = set()
        for n, s in enumerate(scenarios, start=1):
            if s.id is None:
                s.id = _unused(str(n), seen)
            elif s.id in seen:
                old, s.id = s.id, _unused(f"{s.id}-{s.source.get('sheet')}", seen)
                s.review.append(f"id «{old}» finnes flere ganger; endret til «{s.id}»")
            seen.add(s.id)
            self._assess(s)
        report.sheets = [{"name": r.sheet, "role": r.role, "rows_read": r.rows_read, "scenarios": len(r.scenarios),
                          "skipped": len(r.skipped), **r.info} for r in sheets]
        report.rows_read = sum(r.rows_read for r in sheets)
        report.scenarios = len(scenarios)
        report.skipped = [k for r in sheets for k in r.skipped]
        if not scenarios:
            report.add("no-scenarios")
        colour_zones = sum(r.colour_zones for r in results)
        if colour_zones:
            report.add("zone-from-colour", count=colour_zones)
        mappings = Counter(m for r in results for m in r.mappings)
        report.value_mappings += [{"column": label, "how": how, "count": count}
                                  for (label, how), count in mappings.items()]
        for s in scenarios:
            report.review += [{"scenario": s.id or "", "note": note} for note in s.review]
        criteria = self.assigner.criteria
        self._checks(scenarios, criteria)
        context = [c for r in results for c in r.context]
        metadata: dict[str, Any] = {"source": self.book.path.name, "format": self.book.format,
                                    "criteria": criteria.name, "context": context,
                                    "notes": [n for r in results for n in r.notes]}
        titles = [c["text"] for c in context if c["role"] == "tittel"]
        if titles:
            metadata["title"] = titles[0]
        return Analysis(criteria, scenarios, metadata)  # the report is added by convert()

    def _checks(self, scenarios: list[Scenario], criteria: Criteria) -> None:
        """What ``rosxl check`` will say about the workbook, listed for review in the report."""
        layout = layout_for(criteria)
        findings = check_criteria(criteria)
        for row, s in enumerate(scenarios, start=FIRST_ROW):
            findings += check_scenario(s, criteria, layout, row, dt.date.today())
        self.report.review += [{"scenario": "", "note": f.message, "check": f.code} for f in findings]

    def _assess(self, s: Scenario) -> None:
        assess_scenario(s, self.assigner.criteria)
        source_zone = s.extra.get("source_zone")
        if source_zone is None:
            return
        mapper = self.assigner.mapper
        if s.zone is None:
            s.zone = source_zone
            origin = s.raw.get("zone") or s.raw.get("risk")
            s.review.append(f"sonen «{mapper.zone_name(source_zone)}» er tatt fra kilden ({origin}); "
                            "sannsynlighet og konsekvens mangler")
        elif s.zone != source_zone:
            s.review.append(f"kilden sier sone «{mapper.zone_name(source_zone)}», "
                            f"kriteriene gir «{mapper.zone_name(s.zone)}»")


def _drop_repeats(results: list[Extracted], layouts: list[Layout]) -> tuple[list[Extracted], list[Problem]]:
    """Sheets whose scenarios all stand on other sheets (an overview) are read as skipped rows, each
    with the problem that says so; the overview sheets go first, then those with fewest scenarios.
    What an overview's row has that its scenario lacks goes to the scenario (:func:`fill_missing`)."""
    def key(s: Scenario) -> str:
        return normalise(s.title or "") or normalise(s.id or "")
    keys = [{key(s) for s in r.scenarios} for r in results]
    overview = {r.sheet for r in results if sheet_role(r.sheet) == "overview"}
    order = sorted(range(len(keys)), key=lambda i: (results[i].sheet not in overview, -len(keys[i])))
    out, problems = list(results), []
    dropped: set[int] = set()
    for i in order:
        own = keys[i]
        others = [j for j in range(len(keys)) if j != i and j not in dropped and keys[j]]
        union = set().union(*(keys[j] for j in others)) if others else set()
        if own and own <= union:
            dropped.add(i)
            names = ", ".join(f"«{results[j].sheet}»" for j in others if keys[j] & own)
            sheet = layouts[i].sheet
            kept = {key(s): s for j in reversed(others) for s in results[j].scenarios}
            for o in results[i].scenarios:
                fill_missing(kept[key(o)], o, f"oversikten i ark «{sheet.name}»")
            outcomes = tuple(o if isinstance(o, Skipped) else _repeat(sheet, o, names) for o in results[i].outcomes)
            out[i] = results[i].replaced(outcomes, "oversikt (gjentar andre ark)")
            problems.append(Problem.of("sheet-repeats", sheet=sheet.name, others=names))
    return out, problems


def _repeat(sheet: Sheet, s: Scenario, names: str) -> Skipped:
    row = int(s.source.get("row", 0)) - 1
    return skipped_row(sheet, row, f"gjentar scenario «{s.title or s.id}» fra {names}", sheet.rows[row])


_ROLES = {"table": "scenariotabell", "form": "skjema (ett scenario)", "matrix": "risikomatrise",
          "legend": "tegnforklaring", "other": "ikke gjenkjent", "skipped": "ikke brukt (koblingsfilen)"}


_LANGUAGES = {"nb": "bokmål", "nn": "nynorsk"}


def _unused(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… : the first that is not ``taken``."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate
