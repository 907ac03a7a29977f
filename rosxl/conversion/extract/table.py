"""Scenario tables: one scenario per row, or per column of a transposed table.

Also read here: two rows per scenario (a lone description under its scenario, or a row that
continues the scenario above, see :meth:`_Rows.continues`), long tables (one row per consequence
area, joined into one scenario), section rows (a category for the rows below), notes, units rows
under the header, summary and signature rows, repeated header rows, and a row's zone from its fill
colour when its values give none.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from openpyxl.utils import get_column_letter

from rosxl.analysis import Scenario
from rosxl.conversion.evidence import is_description
from rosxl.conversion.extract import Extracted, Log, skipped_row
from rosxl.conversion.extract.assign import TEXT_FIELDS, Assigner, fill_missing, mapping_of
from rosxl.conversion.headers import is_note, match, phase
from rosxl.conversion.layout import AREA, TITLE, Layout, Table, is_footer_row, is_repeated_header, is_units_row
from rosxl.conversion.read import Book, Sheet, read_fills
from rosxl.conversion.report import Skipped
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.fields import label as field_label
from rosxl.text import clean, normalise

_CATEGORY, _IGNORE, _ID = FieldPath("category"), FieldPath("ignore"), FieldPath("id")
_REPEATED_HEADER, _SECTION = "gjentatt overskriftsrad", "seksjonsrad"
_NUMBERED = re.compile(r"[A-Za-zÆØÅæøå]{0,4}[-. ]?\d+(?:[.-]\d+)*\.?")  # an id: «3», «1.2», «K3», «ROS-3»

def extract_tables(book: Book, layout: Layout, assigner: Assigner, role: str) -> Extracted:
    """Every table of a sheet whose layout is ``table``, read into scenarios and skipped rows."""
    assert layout.table is not None
    sheet = layout.sheet
    log = Log(sheet)
    tables = [layout.table, *layout.more]
    columns = [_column_info(layout, t, assigner, log) for t in tables]
    info: dict[str, Any] = {"header_rows": list(dict.fromkeys(r + 1 for t in tables for r in t.header_rows))}
    info["tables"] = [{"header_rows": [r + 1 for r in t.header_rows], "range": _range(t, sheet.width),
                       "columns": len(c)} for t, c in zip(tables, columns, strict=True)]
    info["columns"] = [c for table_columns in columns for c in table_columns]
    if layout.transposed:
        info["transposed"] = True
    starts = []
    for i, t in enumerate(tables):  # the next table in the same columns ends what is kept under this one
        below = next((u.header_rows[0] for u in tables[i + 1:] if u.sheet is t.sheet), None)
        starts.append(len(log.outcomes))
        _Rows(book, layout, t, assigner, log).read(below)
    if not layout.transposed:
        _drop_repeated_tables(log, tables, [*starts, len(log.outcomes)])
    return log.freeze(role, info)


def _drop_repeated_tables(log: Log, tables: list[Table], starts: list[int]) -> None:
    """A later table whose every scenario has the title of one in a table above (a summary of the
    worst ones) repeats them: its rows become skipped rows, and the report says so. The rows under a
    repeated header row count as a table of their own (a summary under the same labels); the section
    rows over that header (its heading, «Samandrag») are kept as context."""
    parts: list[tuple[Table, int, int, int]] = []  # table, header row (1-based), first and last outcome
    for i, t in enumerate(tables):
        begin, header = starts[i], t.header_rows[0] + 1
        for k in range(starts[i], starts[i + 1]):
            o = log.outcomes[k]
            if isinstance(o, Skipped) and o.reason == _REPEATED_HEADER:
                parts.append((t, header, begin, k))
                begin, header = k + 1, o.row
        parts.append((t, header, begin, starts[i + 1]))
    seen: dict[str, Scenario] = {}
    for i, (t, header, begin, end) in enumerate(parts):
        part = range(begin, end)
        found = [o for k in part if isinstance(o := log.outcomes[k], Scenario)]
        titles = [normalise(o.title) if o.title else "" for o in found]
        if i and titles and all(titles) and set(titles) <= set(seen):
            for k in part:
                o = log.outcomes[k]
                if isinstance(o, Scenario):
                    row = int(o.source.get("row", 0)) - 1
                    fill_missing(seen[normalise(o.title or "")], o, f"sammendraget i rad {row + 1}")
                    log.outcomes[k] = skipped_row(log.sheet, row, f"gjentar scenario «{o.title}» fra tabellen over",
                                                  (t.sheet or log.sheet).rows[row])
            log.add("table-repeats", sheet=log.sheet.name, row=header)
            if begin not in starts:  # under a repeated header: the section rows over it head the summary
                above = itertools.takewhile(lambda o: isinstance(o, Skipped) and o.reason.startswith(_SECTION),
                                            reversed(log.outcomes[:begin - 1]))
                log.context += [{"sheet": log.sheet.name, "row": o.row, "role": "tittel over et sammendrag",
                                 "text": o.text} for o in reversed(list(above)) if isinstance(o, Skipped)]
        for o, title in zip(found, titles, strict=True):
            seen.setdefault(title, o)


def _column_info(layout: Layout, table: Table, assigner: Assigner, log: Log) -> list[dict[str, Any]]:
    """The report's entry for each column, and what a person should know about its field."""
    info = []
    for c in table.columns:
        m = c.match
        d = c.decision
        info.append({"column": get_column_letter(c.index + 1), "label": c.label,
                     "field": str(m.field) if m.field else None,
                     "score": round(m.score, 2), "sure": m.field is not None and m.score >= 0.9,
                     "evidence": d.evidence if d else "", "rule": d.rule if d else "header"})
        letter = get_column_letter(c.index + 1)
        if d is not None and d.rule == "content-wins" and m.field:
            log.add("column-content-wins", sheet=layout.sheet.name, column=letter, label=c.label,
                    header=field_label(m.runner_up), field=field_label(m.field), evidence=d.evidence)
        elif d is not None and d.rule == "by-content" and m.field:
            log.add("column-by-content", sheet=layout.sheet.name, column=letter, label=c.label,
                    field=field_label(m.field), evidence=d.evidence)
        elif d is not None and d.rule == "by-position" and m.field:
            log.add("column-by-position", sheet=layout.sheet.name, column=letter, label=c.label,
                    field=field_label(m.field), evidence=d.evidence)
        elif d is not None and d.rule == "beside-title" and m.field:
            title = next((t.label for t in table.columns if t.match.field == TITLE), "")
            log.add("column-beside-title", sheet=layout.sheet.name, column=letter, label=c.label, title=title,
                    field=field_label(m.field))
        elif m.ambiguous:
            log.add("header-ambiguous", sheet=layout.sheet.name, column=letter, label=c.label,
                    candidates=" eller ".join(map(str, m.candidates[:2])))
        elif m.field is None and m.runner_up:
            log.add("column-duplicate", sheet=layout.sheet.name, column=letter, label=c.label,
                    field=str(m.runner_up))
        elif m.field is None:
            log.add("column-unmapped", sheet=layout.sheet.name, column=letter, label=c.label)
        if c.scale is not None and m.field is not None and m.field.field in ("probability", "consequence"):
            assigner.scale_mapped(m.field.field == "probability", c.scale, log.problems, sheet=layout.sheet.name,
                                  column=letter)
    return info


class _Rows:
    """The rows of one table."""

    def __init__(self, book: Book, layout: Layout, table: Table, assigner: Assigner, log: Log) -> None:
        self.book, self.layout, self.table, self.assigner, self.log = book, layout, table, assigner, log
        self.sheet = table.sheet or layout.sheet  # a table beside another reads its own columns
        self.keys = {c.match.field: c.index for c in table.columns if c.match.field in (TITLE, _ID)}  # id, title
        self.category_col = next((c.index for c in table.columns if c.match.field == _CATEGORY), None)
        self.text_cols: dict[int, str] = {}  # text columns: index → field (set when the rows are read)
        self.area_col = next((c.index for c in table.columns if c.match.field == AREA), None)  # a long table's

    def read(self, upto: int | None) -> None:
        """The rows above the header (the first table's only) are title rows, the rows after the
        table's end up to ``upto`` (the next table's header) are kept as context."""
        sheet, table, log = self.sheet, self.table, self.log
        if table is self.layout.table or table.sheet is not None:
            log.keep_context(set(), "tittel", upto=table.header_rows[0])
        log.keep_context(set(), "under tabellen (tegnforklaring eller merknad)", upto=upto, start=table.end)
        for col in table.columns:  # a label over nothing (a title beside a transposed table): kept
            if all(sheet.value(r, col.index) is None for r in range(table.first_row, table.end)):
                log.context.append({"sheet": sheet.name, "row": table.header_rows[-1] + 1,
                                    "role": "overskrift uten verdier", "text": col.label})
        fills = self._colour_column()
        scenarios: list[Scenario] = []
        category: str | None = None
        heading: str | None = None  # the text of the section row above (kept when the rows have their own category)
        category_col, title_col = self.category_col, self.keys.get(TITLE)
        self.text_cols = {c.index: c.match.field.field for c in table.columns
                          if c.match.field is not None and c.match.field.field in TEXT_FIELDS}
        previous: Scenario | None = None  # the scenario of the row just above (two rows per scenario)
        categorised = False  # whether its row has a category in the category column
        each = True  # whether every scenario row so far has its own category there
        long_table = any(c.match.field == AREA for c in table.columns)
        width = table.last_col + 1 if table.last_col is not None else None
        if width is not None and table.beside is None:
            beside = Sheet(sheet.name, [[None] * width + row[width:] for row in sheet.rows])
            log.keep_context(set(), "ved siden av tabellen (tegnforklaring eller merknad)", sheet=beside)
        for r in range(table.first_row, table.end):
            values = sheet.rows[r][:width]
            filled = [(c, v) for c, v in enumerate(values) if v is not None]
            if not filled:
                previous = None
                continue
            first = str(filled[0][1])
            merged = any(m[0] == r and m[3] > m[1] for m in sheet.merged)
            if is_repeated_header(values, table):
                log.skip(r, _REPEATED_HEADER, values)
            elif r == table.first_row and is_units_row(values):
                log.skip(r, "enheter eller skala under overskriften", values)
            elif is_footer_row(values):
                log.skip(r, f"sum-, dato- eller signaturrad: {first}", values)
            elif isinstance(filled[0][1], str) and is_note(clean(first)):
                log.skip(r, f"merknad: {first}", values)
                log.notes.append(first)
            elif previous is not None and (after := self.continues(r, values, long_table)) is not None:
                _merge(previous, self._row(r, fills, after), r + 1)
                log.skip(r, "samme scenario som raden over, " + ("etter tiltak" if after else "flere verdier"),
                         values)
                continue
            elif previous is not None and len(filled) == 1 and \
                    (labelled := _labelled(first, table.criteria)) is not None:
                name = _continue(previous, *labelled)
                log.skip(r, f"{name} til scenarioet i raden over («{first.partition(':')[0]}:»)", values)
                continue
            elif previous is not None and len(filled) == 1 and isinstance(filled[0][1], str) \
                    and (described := self._describes(r, filled[0][0], first, categorised, each, merged)) is not None \
                    and not self._coloured(r, fills):  # a coloured row is a scenario
                name = _continue(previous, described, first)
                log.skip(r, f"{name} til scenarioet i raden over (to rader per scenario)", values)
                continue
            elif len(filled) == 1 and self._number_only(*filled[0]):
                log.skip(r, f"rad uten hendelse: bare «{first}»", values)
            elif len(filled) == 1 and isinstance(filled[0][1], str) and \
                    (merged or filled[0][0] != title_col or self._heads_a_group(r)):
                category = heading = first
                log.skip(r, f"{_SECTION}: kategori «{first}» for radene under", values)
            elif (section := self._numbered_section(r, filled)) is not None:
                category = heading = section
                log.skip(r, f"{_SECTION}: kategori «{section}» for radene under", values)
            else:
                s = self._row(r, fills)
                if long_table and scenarios and _same(scenarios[-1], s):
                    _merge(scenarios[-1], s, r + 1)
                    log.skip(r, "samme scenario som raden over, et annet konsekvensområde (én rad per område)",
                             values)
                    continue
                if s.category is None and category is not None:
                    s.category = category
                    if category_col is not None:
                        s.review.append(f"kategori «{category}» fylt ned fra raden over")
                if s.category is not None and heading is not None and normalise(heading) != normalise(s.category):
                    s.extra.setdefault("seksjonsrad", heading)  # a section over the table's own categories
                category = s.category or category
                scenarios.append(s)
                log.outcomes.append(s)
                previous = s
                categorised = category_col is not None and category_col < len(values) and \
                    values[category_col] is not None
                each = each and categorised
                continue
            previous = None

    def continues(self, r: int, values: list[Any], long_table: bool) -> bool | None:
        """Whether row ``r`` goes on with the scenario in the row above, and if so whether its values
        are after measures; ``None`` when it is a row of its own. A row continues when it has no id or
        title of its own but values, and either its id/title cell is merged with the row above, a
        cell says «Etter tiltak» (a before row and an after row per scenario), or (a long table) it
        names a consequence area. With «Etter tiltak» its classes are the residual ones."""
        keys = self.keys.values()
        if not keys or any(c < len(values) and values[c] is not None for c in keys):
            return None
        phases = {p for v in values if isinstance(v, str) and (p := phase(v))}
        merged = any(m[0] < r <= m[2] and m[1] <= c <= m[3] for m in self.sheet.merged for c in keys)
        area = long_table and self._area(values) is not None
        if not (merged or phases or area):
            return None
        return phases == {"after"}

    def _area(self, values: list[Any]) -> str | None:
        """In a long table, the area this row assesses ("Økonomi" in the area column)."""
        col, criteria = self.area_col, self.table.criteria
        value = values[col] if col is not None and col < len(values) else None
        found = match(str(value), criteria).field if value is not None and criteria else None
        return found.area if found is not None and not found.residual else None

    def _numbered_section(self, r: int, filled: list[tuple[int, Any]]) -> str | None:
        """The title of a numbered section row («1 | Naturhendelser» over «1.1 | Flom …»): only an id
        and a title, and the next row's id is numbered under this one. ``None`` for other rows."""
        keys = self.keys
        if len(filled) != 2 or len(keys) != 2 or {c for c, _ in filled} != set(keys.values()):
            return None
        title = self.sheet.value(r, keys[TITLE])
        below = next((v for row in self.sheet.rows[r + 1:self.table.end]
                      if (v := row[keys[_ID]] if keys[_ID] < len(row) else None) is not None), None)
        parent, child = _numbering(self.sheet.value(r, keys[_ID])), _numbering(below)
        if not isinstance(title, str) or not parent or len(child) <= len(parent) or not child.startswith(parent):
            return None
        rest = child[len(parent):]
        return title if rest[0] in ".-_ " or (parent[-1].isalpha() and rest.isdigit()) else None

    def _heads_a_group(self, r: int) -> bool:
        """A lone short text in the title column, over a row that is a full scenario row: a section
        row ("Helse" above the health scenarios), not a scenario with nothing assessed."""
        sheet, width = self.sheet, (self.table.last_col + 1 if self.table.last_col is not None else None)
        text = sheet.value(r, next(c for c, v in enumerate(sheet.rows[r]) if v is not None))
        if not isinstance(text, str) or is_description(text):
            return False
        rows = (row[:width] for row in sheet.rows[r + 1:self.table.end])  # a legend beside the table is no row of it
        below = next((row for row in rows if any(v is not None for v in row)), None)
        return below is not None and sum(v is not None for v in below) >= 3

    def _describes(self, r: int, col: int, text: str, categorised: bool, each: bool, merged: bool) -> str | None:
        """The text field a lone text under a scenario row continues, ``None`` when it is a row of its own:
        free text in a text column continues that column's field, and so does any text in a column of
        measures, causes, responsible … that is not merged across and not the table's first column (a
        list of one item a row; a section row stands at the left, in the title column or across); any
        text but in the category column continues the description when the scenario's row has its
        category in the category column (the table names its categories there), but for a short text
        in the first column over a full row (a section above the categories: «2. Storulykker»), a
        short text in the title column only when ``each`` scenario row has one (a row without would be
        no scenario like them)."""
        name = self.text_cols.get(col)
        if name is not None and is_description(text):
            return name
        first_col = min(c.index for c in self.table.columns)
        if name not in (None, "id", "title", "category") and not merged and col != first_col:
            return name
        if categorised and col != self.category_col and not (col == first_col and self._heads_a_group(r)) and \
                (is_description(text) or each or col != self.keys.get(TITLE)):
            return name if name is not None else "description"
        return None

    def _number_only(self, col: int, value: Any) -> bool:
        """A row whose only value is a number, or a number in the id column («3», «1.2», «K3»): a template's
        numbered row left empty, or an unlabelled sum, not a scenario."""
        if isinstance(value, (int, float)):
            return True
        return col == self.keys.get(_ID) and isinstance(value, str) and _NUMBERED.fullmatch(value.strip()) is not None

    def _coloured(self, r: int, col: int | None) -> bool:
        """Whether row ``r`` has a colour of its own in the colour column: a fill, not a conditional
        format (a lone text's conditional colour comes from the empty cells beside it)."""
        return col is not None and (r, col) in self.sheet.fills and (r, col) not in self.sheet.formatted

    def _colour_column(self) -> int | None:
        """The column whose fill gives a row's zone when its values do not: the risk column, else the
        title column. Fills are read (openpyxl, once per file) only when some row lacks a zone."""
        sheet, table = self.sheet, self.table
        def named(name: str) -> list[int]:
            return [c.index for c in table.columns if c.match.field and c.match.field.field == name]
        risk, probability, consequence = named("risk"), named("probability"), named("consequence")
        title = next((c.index for c in table.columns if c.match.field == TITLE), None)
        col = next(iter(risk), title)
        if col is None:
            return None
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
            self.log.add("colour-not-read", sheet=sheet.name, format=self.book.format)
            return None
        return col

    def _row(self, r: int, colour_col: int | None, after: bool = False) -> Scenario:
        """Row ``r`` as a scenario; with ``after``, its classes are those after measures."""
        sheet, table, log = self.sheet, self.table, self.log
        where = {"column": get_column_letter(r + 1)} if self.layout.transposed else {"row": r + 1}
        s = Scenario(source={"file": self.book.path.name, "sheet": sheet.name, **where})
        values = sheet.rows[r]
        width = len(values)
        mapped_cols = set()
        area = self._area(values)
        for col in table.columns:
            mapped_cols.add(col.index)
            v = values[col.index] if col.index < width else None
            if v is None:
                continue
            name = col.match.field
            if name == _IGNORE:
                continue
            if name is None or name == AREA or (col.index in self.text_cols and isinstance(v, str) and phase(v)):
                # «Før tiltak» in a text column: the row's phase, kept
                s.extra[_extra_key(s, col.label, col.index)] = v
            elif col.level is not None:  # a mark ("x") in the column of a level
                self.assigner.set(s, name.after() if after else name, col.level, col.label, col.scale, log)
            else:
                if area and name.field == "consequence" and name.area is None:
                    name = name.in_area(area)
                self.assigner.set(s, name.after() if after else name, v, col.label, col.scale, log)
        for c, v in enumerate(values[:table.last_col + 1] if table.last_col is not None else values):
            if v is not None and c not in mapped_cols:
                s.extra[f"kolonne {get_column_letter(c + 1)}"] = v
        if colour_col is not None and (r, colour_col) in sheet.fills and "source_zone" not in s.extra and \
                (s.probability is None or not any(k is not None for k in s.consequences.values())):
            zone = self.assigner.mapper.colour_zone(sheet.fills[(r, colour_col)])
            s.raw["zone"] = zone.raw or ""
            s.extra["source_zone"] = zone.value
            log.colour_zones += 1
            log.mappings.append(mapping_of("fyllfarge", zone))
        return s




def _labelled(text: str, criteria: Criteria | None) -> tuple[str, str] | None:
    """A lone «Tiltak: Flomvoll» under a scenario: the text field its label names surely (not the id,
    title or category: «Kategori: Natur» heads the rows below), and the text after the label
    (verbatim); ``None`` for other texts."""
    label, colon, rest = text.partition(":")
    if not colon or not rest.strip() or len(label) > 40 or criteria is None:
        return None
    found = match(label, criteria)
    name = found.field.field if found.field is not None and found.score >= 0.9 and not found.field.residual else None
    return (name, rest.lstrip(" ")) if name in TEXT_FIELDS and name not in ("id", "title", "category") else None


def _numbering(value: Any) -> str:
    """An id as a section number: "1", "1.2", "A" (a trailing full stop dropped)."""
    return "" if value is None else str(value).strip().rstrip(".")


def _continue(s: Scenario, name: str, text: str) -> str:
    """A description row under its scenario: the text goes to the column's field (on a new line when
    the scenario has text there); a text under the title, or a second id or category, to the
    description. Returns what it became, in words."""
    field = "description" if name == "title" or (name in ("id", "category") and getattr(s, name)) else name
    old = getattr(s, field)
    setattr(s, field, text if not old else f"{old}\n{text}")
    return "beskrivelse" if field == "description" else f"tekst ({field_label(field)})"


def _merge(into: Scenario, s: Scenario, row: int) -> None:
    """Join a long table's next row (same scenario, another area) into the scenario."""
    for phase_into, phase_from in ((into, s), (into.residual, s.residual)):
        for area, cls in phase_from.consequences.items():
            phase_into.consequences.setdefault(area, cls)
        if phase_into.probability is None:
            phase_into.probability = phase_from.probability
    for name in TEXT_FIELDS:
        if getattr(into, name) is None:
            setattr(into, name, getattr(s, name))
    into.raw = {**s.raw, **into.raw}
    for key, value in s.extra.items():
        into.extra[key if into.extra.get(key, value) == value else f"{key} (rad {row})"] = value
    into.review += [n for n in s.review if n not in into.review]


def _same(a: Scenario, b: Scenario) -> bool:
    """Two rows of one scenario in a long table: the same id and title (either may be missing)."""
    return (normalise(a.id or ""), normalise(a.title or "")) == (normalise(b.id or ""), normalise(b.title or "")) \
        and bool(a.id or a.title)


def _extra_key(s: Scenario, label: str, index: int) -> str:
    return label if label not in s.extra else f"{label} ({get_column_letter(index + 1)})"


def _range(table: Table, width: int) -> str:
    """The table's range as the spreadsheet names it: "A4:L40" (header included; to the sheet's last
    column unless a block stands beside the table)."""
    first = min((c.index for c in table.columns), default=0)
    last = table.last_col if table.last_col is not None else max(width - 1, first)
    return f"{get_column_letter(first + 1)}{table.header_rows[0] + 1}:{get_column_letter(last + 1)}{table.end}"
