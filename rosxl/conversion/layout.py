"""Find what each sheet of a legacy file is: a scenario table, a form, a risk matrix or a legend.

The heuristics, in order (each documented where it is implemented):

- **table**: the header row is the row among the first 40 whose cells match the most fields (at
  least two), or an earlier row with two well-matched labels (the first of several tables), or
  (none there) the first later row with two sure labels among three (a long preamble); rows
  above it with content are title rows. When fewer than three labels match well, the sheet turned
  (fields in rows: a *transposed* table) is tried, and taken when more of its labels match well and
  they are field labels (one naming the title surely, or half of them naming a field). A
  table ends at a legend heading, at a block of key rows after a blank row or right under it, or
  at the next table's header (:func:`table_end`); further tables follow (:func:`more_tables`), also
  beside it (:func:`tables_beside`). Group rows and sub-labels make a header of up to three rows
  (:mod:`.header_rows`).
- **matrix**: a row of axis cells meeting a column of axis cells at a corner; the cells between
  them hold scenario ids. Axis cells are class numbers or codes (1…n, "S3", "K4", "3 - Middels",
  A–E, in order either way) or labels the criteria read as classes ("Lite sannsynlig",
  "En viss fare", "Sjeldnere enn én gang per 100 år"), strictly rising or falling. Labels tell
  which axis is probability; with numbers on both, probability runs along the rows unless a
  probability label ("Sannsynlighet") stands beside the horizontal axis.
- **form**: labels of at least three fields down one column, each value beside or below its label,
  or a row of level words with a short mark ("x") under one (:mod:`.forms`).
- Tables with the same header on several sheets are weighed together (:mod:`.split_tables`).
- **legend**: a sheet named like one ("Kriterier", "Forklaring") or holding blocks of
  "level – word" rows under a probability or consequence heading (:func:`.forms.read_legend`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from openpyxl.utils import get_column_letter

from rosxl.conversion.evidence import (
    DOMINANT,
    Decision,
    Evidence,
    Profile,
    by_position,
    event_share,
    evidence_for,
    is_title_like,
)
from rosxl.conversion.forms import FormItem, find_form, read_legend, scale_level
from rosxl.conversion.header_rows import Column, cell_label, header_columns, header_rows
from rosxl.conversion.headers import (
    Match,
    assign,
    is_footer,
    is_note,
    legend_heading,
    match,
    sheet_role,
    zone_word_set,
)
from rosxl.conversion.mapping import SheetMap
from rosxl.conversion.matrix import Matrix, find_matrix, is_key_grid
from rosxl.conversion.read import Sheet
from rosxl.conversion.values import Scale, inline_levels, scale_from_header, without_unit
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.text import normalise

SCAN_ROWS = 40
DEEP_SCAN_ROWS = 400  # a header this far down is still found when none is in the first SCAN_ROWS rows
TITLE, AREA, DESCRIPTION, ID = FieldPath("title"), FieldPath("area"), FieldPath("description"), FieldPath("id")
_CLASSES = {FieldPath("probability"), FieldPath("consequence"), FieldPath("risk")}  # undivided, before measures
_KEY_FIELDS = ("title", "probability", "consequence", "risk")  # one of them makes a row of labels a header
Kind = Literal["table", "form", "matrix", "legend", "other", "skipped"]


@dataclass
class Table:
    header_rows: tuple[int, ...]
    columns: list[Column]  # every column with a header label, mapped or not
    first_row: int
    end: int = 0  # one past the last row of the table (rows after it are legends, notes, other tables)
    criteria: Criteria | None = None  # what the labels were matched against
    last_col: int | None = None  # the last column of the table, when a block stands beside it
    beside: int | None = None  # the first column right of it, when that block is another table
    sheet: Sheet | None = None  # the table's own view of the sheet (a table beside another; see :func:`view`)
    header_texts: dict[int, frozenset[str]] = field(default_factory=dict)  # each column's header cells, case-folded
    _labels: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    def labels(self) -> dict[int, frozenset[str]]:
        """Each column's header label and header cells, case-folded (remembered: every row is compared
        with them)."""
        if len(self._labels) != len(self.columns):
            self._labels = {c.index: self.header_texts.get(c.index, frozenset()) | {c.match.label.casefold()}
                            for c in self.columns}
        return self._labels


@dataclass
class Layout:
    """What one sheet is, and its parts."""

    kind: Kind
    sheet: Sheet
    table: Table | None = None
    matrix: Matrix | None = None
    form: list[FormItem] = field(default_factory=list)
    more: list[Table] = field(default_factory=list)  # further tables below the first
    transposed: bool = False  # fields in rows: ``sheet`` is the source sheet turned (rows are its columns)
    scales: dict[str, Scale] = field(default_factory=dict)  # legend: probability / consequence
    ambiguous: list[Match] = field(default_factory=list)


def detect(sheet: Sheet, criteria: Criteria, given: SheetMap | None = None) -> Layout:
    """The layout of one sheet (see the module docstring); ``given`` is what a mapping file says
    about it (detection fills in only what it leaves out)."""
    if given is not None and not given.use:
        return Layout("skipped", sheet)
    if given is not None and given.tables:
        return _mapped(transpose(sheet) if given.transposed else sheet, criteria, given)
    role = sheet_role(sheet.name)
    table = None if role == "legend" else find_table(sheet, criteria)
    transposed = False
    if given is not None and given.transposed is not None:
        if given.transposed:
            sheet, transposed = transpose(sheet), True
            table = find_table(sheet, criteria)
    elif role != "legend" and (table is None or _sure_fields(table) < 3) and len(sheet.rows) <= 2 * SCAN_ROWS:
        form = find_form(sheet, criteria)
        if any(item.scale for item in form):  # levels marked under level labels: a form, not a turned table
            return Layout("form", sheet, form=form)
        # fields in rows: a transposed table has few rows (one per field), so only short sheets are turned
        turned = transpose(sheet)
        other = find_table(turned, criteria)
        if other is not None and _sure_fields(other) > (_sure_fields(table) if table else 1) and \
                other.first_row + 1 < len(turned.rows) and _labels_name_fields(turned, other, criteria) and \
                not _pairs_as_labels(turned, other, criteria):
            sheet, table, transposed = turned, other, True
    if table is not None:
        evidence = evidence_for(criteria)
        more = more_tables(sheet, table, criteria)
        last = (more or [table])[-1]
        below = read_legend(Sheet(sheet.name, sheet.rows[last.end:])) if last.end < len(sheet.rows) else {}
        more += tables_beside(sheet, [table, *more], criteria)
        for t in (table, *more):
            weigh_content(t.sheet or sheet, t, evidence)
        ambiguous = [c.match for t in (table, *more) for c in t.columns if c.match.ambiguous]
        if table.last_col is not None and table.beside is None:  # a legend beside the table
            below = read_legend(Sheet(sheet.name, [row[table.last_col + 1:] for row in sheet.rows])) | below
        return Layout("table", sheet, table=table, ambiguous=ambiguous, more=more, transposed=transposed,
                      scales=below)
    matrix = None if role == "legend" else find_matrix(sheet, criteria)
    if matrix is not None and matrix.entries and not is_key_grid(matrix):
        return Layout("matrix", sheet, matrix=matrix)
    scales = read_legend(sheet)
    if role == "legend" or scales:
        return Layout("legend", sheet, scales=scales)
    form = find_form(sheet, criteria)
    if form:
        return Layout("form", sheet, form=form)
    return Layout("other", sheet)


# --- tables ----------------------------------------------------------------------------------


def _row_matches(sheet: Sheet, r: int, criteria: Criteria) -> list[Match]:
    return [match(t, criteria) for v in sheet.rows[r] if (t := cell_label(v))]


def find_table(sheet: Sheet, criteria: Criteria) -> Table | None:
    best, best_count = None, 1
    for r in range(min(SCAN_ROWS, len(sheet.rows))):
        matches = [(m.field, m.score) for m in _row_matches(sheet, r, criteria) if m.field]
        fields = {f for f, _ in matches}
        count = len(fields)
        if count > best_count and _names_key_field(fields) and (max(score for _, score in matches) >= 0.9 or not any(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.rows[r])) and \
                not _values_row(sheet.rows[r], sum(1 for _, score in matches if score >= 0.9), criteria):
            best, best_count = r, count  # a data row (a number, words matching loosely) is no header
    if best is None:
        best = _stacked_header(sheet, criteria)
    if best is None:
        best = _deep_header(sheet, criteria)
    if best is None:
        return _weak_header(sheet, criteria)
    for r in range(best):  # an earlier table: the best header belongs to a later one (several tables)
        if _is_header_row(sheet, r, criteria, sure=0.95):
            table = _table_at(sheet, r, criteria)
        elif r == 0 or sum(v is not None for v in sheet.rows[r - 1]) <= 1:  # after a gap or a title line
            table = _gap_table(sheet, r, criteria)
            if table is None:
                continue
        else:
            continue
        if table is not None and table.end > table.first_row:
            return table
        break
    return _table_at(sheet, best, criteria)


def _stacked_header(sheet: Sheet, criteria: Criteria) -> int | None:
    """A header in two or three rows of which no row alone names two fields, one the title or a class
    («Kategori» beside «Før tiltak» over «Returperiode | Tap av liv | Samfunnsstabilitet», the other
    labels unknown): the last row of the first header whose rows together name two fields surely, one
    the title or a class (:func:`~rosxl.conversion.header_rows.header_rows` decides which rows stack)."""
    for r in range(1, min(SCAN_ROWS, len(sheet.rows) - 1)):
        rows = header_rows(sheet, r, criteria)
        if len(rows) < 2 or _values_row(sheet.rows[r], 0, criteria):
            continue
        fields = {m.field for g in rows for m in _row_matches(sheet, g, criteria) if m.field and m.score >= 0.9}
        if len(fields) >= 2 and _names_key_field(fields):
            return r
    return None


_VALUE_KINDS = frozenset({"class", "pair", "frequency", "money", "duration", "casualties", "date", "score", "fraction"})


def _values_row(values: list[object], sure: int, criteria: Criteria) -> bool:
    """A scenario's row, not labels: two cells or more read as values («1 gang per 3 år», «2 døde»,
    «Lav (2)»), more than its cells that name a field surely («Helse», an area's name)."""
    found = _cells_of_kind(values, _VALUE_KINDS, criteria)
    return found >= 2 and found > sure


def _cells_of_kind(values: list[object], kinds: Collection[str], criteria: Criteria) -> int:
    """How many text cells of ``values`` read as one of ``kinds`` (:meth:`Evidence.kind`)."""
    evidence = evidence_for(criteria)
    return sum(1 for v in values if cell_label(v) and evidence.kind(v) in kinds)


def _deep_header(sheet: Sheet, criteria: Criteria) -> int | None:
    """A header below the first ``SCAN_ROWS`` rows (a long preamble of method text, criteria tables
    and a matrix above the table): the first later row of at least three labels, two of them naming
    fields surely, one the title or a class, with rows below it."""
    for r in range(SCAN_ROWS, min(DEEP_SCAN_ROWS, len(sheet.rows) - 1)):
        if sum(1 for v in sheet.rows[r] if isinstance(v, str)) >= 3 and _is_header_row(sheet, r, criteria, sure=0.9):
            return r
    return None


def _weak_header(sheet: Sheet, criteria: Criteria) -> Table | None:
    """A table whose header names only one field (a class or risk column) over rows of at least two
    cells (a section row may stand between): content must give it a second field (a title by
    content) or it is no table."""
    for r in range(min(SCAN_ROWS, len(sheet.rows) - 1)):
        fields = {m.field for m in _row_matches(sheet, r, criteria) if m.field}
        texts = sum(1 for v in sheet.rows[r] if cell_label(v))
        if len(fields) == 1 and fields & _CLASSES and texts >= 2 and \
                any(sum(v is not None for v in row) >= 2 for row in sheet.rows[r + 1:r + 3]):
            table = _table_at(sheet, r, criteria, least=1)
            if table is not None:
                weigh_content(sheet, table, evidence_for(criteria))
                if sum(1 for c in table.columns if c.match.field) >= 2 and \
                        any(c.match.field == TITLE for c in table.columns):
                    return table
    return None


def _table_at(sheet: Sheet, header: int, criteria: Criteria, least: int = 2) -> Table | None:
    rows = header_rows(sheet, header, criteria)
    columns = header_columns(sheet, rows, criteria)
    if sum(1 for c in columns if c.match.field) < least:
        return None
    table = Table(rows, columns, rows[-1] + 1, criteria=criteria, header_texts=_header_texts(sheet, rows, columns))
    if table.first_row < len(sheet.rows) and is_units_row(sheet.rows[table.first_row]):
        for col in columns:  # "(1-4)" under "Sannsynlighet": the scale the header leaves out
            unit = sheet.value(table.first_row, col.index)
            if col.scale is None and isinstance(unit, str):
                col.scale = scale_from_header(unit)
    _cut_beside(sheet, table)
    table.end = table_end(sheet, table, criteria)
    _unlabelled(sheet, table)
    return table


def _header_texts(sheet: Sheet, rows: tuple[int, ...], columns: list[Column]) -> dict[int, frozenset[str]]:
    """Each column's header cells, case-folded (a repeated header may repeat any of its rows)."""
    return {c.index: frozenset(t.casefold() for g in rows if (t := cell_label(sheet.value(g, c.index))))
            for c in columns}


def _unlabelled(sheet: Sheet, table: Table) -> None:
    """Columns without a header label between labelled ones that hold values (the title column's
    header cell left empty, or a header cell merged over two columns): taken as columns without a
    field, so content can make one the title."""
    known = {c.index for c in table.columns}
    if not known:
        return
    for c in range(min(known) + 1, max(known)):
        if c not in known and any(sheet.value(r, c) is not None for r in range(table.first_row, table.end)):
            table.columns.append(Column(c, f"kolonne {get_column_letter(c + 1)}", Match(None, 0.0, "")))
    table.columns.sort(key=lambda col: col.index)


def _cut_beside(sheet: Sheet, table: Table) -> None:
    """A block beside the table (a legend, colour key or zone grid right of it) begins after an empty
    column (neither a header nor a value) that has the title on its left, when what is right of it
    is not a table's columns: fewer than two labels with a field, or a legend heading on top."""
    mapped = [c.index for c in table.columns if c.match.field]
    title = next((c.index for c in table.columns if c.match.field == TITLE), min(mapped, default=0))
    rows = range(table.header_rows[0], len(sheet.rows))
    for c in range(title + 1, sheet.width):
        if all(sheet.value(r, c) is None for r in rows):
            right = [col for col in table.columns if col.index > c]
            heading = next((t for col in right for r in table.header_rows
                            if (t := cell_label(sheet.value(r, col.index)))), None)
            left = {col.match.field or col.match.runner_up for col in table.columns if col.index < c}
            again = {col.match.field or col.match.runner_up for col in right} - {None}
            beside = TITLE in again or len(again & left) >= 2  # a table of its own: its fields again
            if right and (beside or sum(1 for col in right if col.match.field) < 2 or
                          (heading and legend_heading(heading))):
                table.last_col = c - 1
                table.columns = [col for col in table.columns if col.index < c]
                if beside:
                    table.beside = c
                    for col in table.columns:  # a field the table beside took comes back
                        m = col.match
                        if m.field is None and m.runner_up is not None and not m.ambiguous and \
                                m.runner_up not in {o.match.field for o in table.columns}:
                            col.match = Match(m.runner_up, m.score, m.label)
            return


def view(sheet: Sheet, first: int, last: int | None = None) -> Sheet:
    """The sheet with only columns ``first``…``last`` (the others empty, every cell where it was)."""
    stop = sheet.width if last is None else last + 1
    rows = [[v if first <= c < stop else None for c, v in enumerate(row)] for row in sheet.rows]
    merged = [m for m in sheet.merged if first <= m[1] and m[3] < stop]
    return Sheet(sheet.name, rows, merged, sheet.hidden, sheet.fills, sheet.formatted)


def tables_beside(sheet: Sheet, tables: list[Table], criteria: Criteria) -> list[Table]:
    """Tables standing right of ``tables`` (two sectors side by side), each found in its own view
    of the sheet, and the tables beside those."""
    found: list[Table] = []
    for t in tables:
        while t.beside is not None:
            part = view(sheet, t.beside)
            right = find_table(part, criteria)
            if right is None:
                break
            right.sheet = part
            found.append(right)
            t = right
    return found


def _pairs_as_labels(sheet: Sheet, table: Table, criteria: Criteria) -> bool:
    """Two or more of the header's cells read as S/K pairs ("5/4", "S3xK4"): values, not labels (the
    column of a risk column's cells, not a turned table's field labels)."""
    return sum(_cells_of_kind(sheet.rows[r], ("pair",), criteria) for r in table.header_rows) >= 2


def _sure_fields(table: Table) -> int:
    return sum(1 for c in table.columns if c.match.field and c.match.score >= 0.9)


def _labels_name_fields(sheet: Sheet, table: Table, criteria: Criteria) -> bool:
    """A header of field labels: one label over values names the title surely («Scenario»), or at
    least half of its cells over values name a field, by the label or, for a label the vocabulary
    lacks («Returperiode»), by values of one typed kind under it (a field's row turned: frequencies,
    classes, amounts). A column of values turned ("Høg" | 12 | "Kommunedirektøren" | "12.03.2024"),
    or a colour key, names few; title rows turned have no values under them."""
    header = table.header_rows[-1]
    column = [[row[c] if c < len(row) else None for row in sheet.rows[table.first_row:table.end]]
              for c in range(len(sheet.rows[header]))]
    under = {c: [x for x in values if x is not None] for c, values in enumerate(column)}
    cells = {c: v for c, v in enumerate(sheet.rows[header]) if v is not None and under[c]}
    found = {c: match(t, criteria) for c, v in cells.items() if (t := cell_label(v))}  # a number names nothing
    if any(m.field == TITLE and m.score >= 0.9 for m in found.values()):
        return True
    evidence = evidence_for(criteria)
    def typed(c: int) -> bool:
        profile = evidence.profile(under[c])
        return len(under[c]) >= 2 and max((profile.share(k) for k in _VALUE_KINDS), default=0.0) >= 0.8
    return sum(1 for c, m in found.items() if m.field or m.ambiguous or typed(c)) * 2 >= len(cells)


def transpose(sheet: Sheet) -> Sheet:
    """The sheet turned: fields in rows (a transposed table) become columns."""
    width = sheet.width
    rows = [[sheet.value(r, c) for r in range(len(sheet.rows))] for c in range(width)]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    merged = [(c0, r0, c1, r1) for r0, c0, r1, c1 in sheet.merged]
    return Sheet(sheet.name, rows, merged, sheet.hidden)


def _is_header_row(sheet: Sheet, r: int, criteria: Criteria, sure: float = 0.0) -> bool:
    """A row of column labels: two fields, one of them the title or a class; with ``sure``, only
    labels matched at least that well count (a data row's words match loosely). Labels are text, not
    values: a row with a number, or with two cells that read as classes or S/K pairs ("Lav (2)", "E",
    "3/4"; a scenario's row whose «Helse» and «C» match labels), is data."""
    if sum(isinstance(v, str) for v in sheet.rows[r]) < 2 or any(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.rows[r]):
        return False
    matches = [(m.field, m.score) for m in _row_matches(sheet, r, criteria) if m.field]
    fields = {f for f, _ in matches}
    if len({f for f, score in matches if score >= sure}) < 2 or not _names_key_field(fields):
        return False
    return _cells_of_kind(sheet.rows[r], ("class", "pair"), criteria) < 2


def _gap_table(sheet: Sheet, r: int, criteria: Criteria, above: Table | None = None) -> Table | None:
    """A table (after a gap or a title line) whose header names few fields surely: taken when the row
    is all text with a row under it, content gives the table a title, and either the row names a
    class or the risk by a whole label of the header data and a word, with three cells or more
    ("Hva kan gå galt?" | "Bakenforliggende forhold" | "Vurdering S/K") or with two when the cells
    under that label read as its values and the label does not ("Hva kan gå galt?" | "S/K" over
    "S3 K3"), or every cell repeats a label of the table ``above`` or names a field surely (a
    summary under the table: «Hva kan gå galt?» | «Forslag til tiltak»)."""
    values = sheet.rows[r]
    if any(v is not None and not isinstance(v, str) for v in values) or r + 1 >= len(sheet.rows) \
            or not any(v is not None for v in sheet.rows[r + 1]):
        return None  # a header is text (a data row has numbers)
    texts = [normalise(v) for v in values if isinstance(v, str)]
    if len(texts) < 2:
        return None
    matches = _row_matches(sheet, r, criteria)
    labels = {normalise(c.label) for c in above.columns} if above is not None else set()
    echo = bool(labels & set(texts)) and all(t in labels or m.score >= 0.9 for t, m in zip(texts, matches, strict=True))
    whole = [c for c, v in enumerate(values) if (t := cell_label(v)) and (m := match(t, criteria)).field in _CLASSES
             and m.score >= 1.0 and len(m.label) > 2]
    if not echo and not (whole and (len(texts) >= 3 or _values_below(sheet, r, whole, criteria))):
        return None  # a whole label of the header data, and a word: "C" or "Sannsynleg" in a data row is no header
    table = _table_at(sheet, r, criteria, least=0 if echo else 1)
    if table is None:
        return None
    weigh_content(sheet, table, evidence_for(criteria))
    return table if any(c.match.field == TITLE for c in table.columns) else None


def _values_below(sheet: Sheet, r: int, columns: list[int], criteria: Criteria) -> bool:
    """The cells under the class or risk labels at ``columns`` of row ``r`` (down to the next blank
    row) read mostly as values of the field each label names, and no label reads as one itself."""
    evidence = evidence_for(criteria)
    below = [sheet.rows[b] for b in _block(sheet.rows, r + 1)]
    for c in columns:
        name = match(str(sheet.value(r, c)), criteria).field
        assert name is not None
        cells = evidence.profile([row[c] if c < len(row) else None for row in below])
        if evidence.compatible(name, evidence.profile([sheet.value(r, c)])) >= 0.5 or \
                not cells.count or evidence.compatible(name, cells) < DOMINANT:
            return False
    return True


def _names_key_field(fields: set[FieldPath]) -> bool:
    """The title, or a class or risk before measures (in any area), among a row's fields."""
    return any(f.field in _KEY_FIELDS and not f.residual for f in fields)


def more_tables(sheet: Sheet, first: Table, criteria: Criteria) -> list[Table]:
    """Further tables below the first, each under its own header row (several tables on one sheet)."""
    found: list[Table] = []
    last = first
    r = first.end
    while r < len(sheet.rows):
        if inline_levels(sheet.rows[r]):  # a scale across the row ("Sannsynlighet:" | "1 Lav" | …) heads no table
            r += 1
            continue
        table = _table_at(sheet, r, criteria) if _is_header_row(sheet, r, criteria) else \
            _gap_table(sheet, r, criteria, last) if r > 0 and sum(v is not None for v in sheet.rows[r - 1]) <= 1 \
            else None
        if table is not None and table.header_rows[0] >= last.end:
            found.append(table)
            last = table
            r = table.end
            continue
        r += 1
    return found


def _mapped(sheet: Sheet, criteria: Criteria, given: SheetMap) -> Layout:
    """A sheet whose tables a mapping file gives: header rows and range as given (else detected),
    columns as given (else detected and weighed)."""
    evidence = evidence_for(criteria)
    tables: list[Table] = []
    for tm in given.tables:
        rows = tm.header_rows
        if rows is None:
            found = find_table(sheet, criteria)
            if found is None:
                continue
            rows = found.header_rows
        left = [o.last_col for o in given.tables if o.last_col is not None and tm.first_col is not None and
                o.last_col < tm.first_col]
        right = [o.first_col for o in given.tables if o.first_col is not None and tm.last_col is not None and
                 o.first_col > tm.last_col]
        part = view(sheet, tm.first_col, tm.last_col) if left and tm.first_col is not None else sheet
        columns = [c for c in header_columns(part, rows, criteria)
                   if (tm.first_col is None or c.index >= tm.first_col) and
                   (tm.last_col is None or c.index <= tm.last_col)]
        known = {c.index for c in columns}
        columns += [Column(i, f"kolonne {get_column_letter(i + 1)}", Match(None, 0.0, "")) for i in tm.columns
                    if i not in known]
        columns.sort(key=lambda c: c.index)
        table = Table(rows, columns, rows[-1] + 1, criteria=criteria, header_texts=_header_texts(part, rows, columns),
                      beside=min(right, default=None),
                      sheet=part if part is not sheet else None)
        if tm.last_col is None:
            _cut_beside(part, table)
        elif tm.last_col < sheet.width - 1:
            table.last_col = tm.last_col
        table.end = min(tm.end, len(sheet.rows)) if tm.end is not None else table_end(part, table, criteria)
        weigh_content(part, table, evidence, tm.columns)
        tables.append(table)
    if not tables:
        return Layout("other", sheet)
    return Layout("table", sheet, table=tables[0], more=tables[1:], transposed=bool(given.transposed))


# --- where a table ends -------------------------------------------------------------------------

_RANGE_KEY = re.compile(r"^(?:[<>≤≥]=?\s*\d+|\d+\s*(?:-|til)\s*\d+|\d+\s*\+|over \d+|under \d+)$")
_UNIT = re.compile(r"^\(?\s*(?:\d\s*[-–]\s*\d|[a-e]\s*[-–]\s*[a-e]|[a-zæøå]{1,2}\s*[x×*·]\s*[a-zæøå]{1,2}|"
                   r"kr\.?|nok|mnok|mill\.?|dager|døgn|timer|år|antall|personer|%|per år|pr\.? år)\s*\)?$",
                   re.IGNORECASE)


def is_units_row(values: list[object]) -> bool:
    """A row of units or scales under the header ("(1-5)", "(S x K)", "kr", "dager"): part of the
    header, never a scenario."""
    count = 0
    for v in values:
        if v is not None:
            if not isinstance(v, str) or not _UNIT.match(v.strip()):
                return False
            count += 1
    return count >= 2


def is_footer_row(values: list[object]) -> bool:
    """A summary, date or signature row ("Sum", "Antall røde:", "Utarbeidet av:"): its first cell says so."""
    for v in values:
        if v is not None:
            return isinstance(v, str) and bool(v) and is_footer(v)
    return False


def _key_start(first: object) -> bool:
    """A row's first cell that may open a key: a zone or colour word, or a score range."""
    if not isinstance(first, str):
        return False
    key = normalise(first)
    return key in zone_word_set() or _RANGE_KEY.match(key) is not None


def _legend_row(values: list[object]) -> bool:
    """A row of a key: a zone or colour word first, a score range ("5-9", "> 12"), or a row of zone
    words (a zone grid without ids)."""
    texts = [normalise(v) for v in values if v is not None]
    if not texts:
        return False
    zone = zone_word_set()
    if texts[0] in zone or _RANGE_KEY.match(texts[0]) or legend_heading(texts[0]):
        return True
    if len(texts) >= 3 and sum(t in zone or t.isdigit() for t in texts) == len(texts):
        return True
    return bool(inline_levels(values))  # a scale across the row: "1 Lite sannsynlig" | "2 …" | "3 …"


def table_end(sheet: Sheet, table: Table, criteria: Criteria) -> int:
    """One past the table's last row: the table ends before a legend heading row, before a block
    (after a blank row) whose rows are mostly key rows, and before a repeated matrix grid."""
    rows = sheet.rows
    r = table.first_row
    blank_before = single_before = False
    while r < len(rows):
        values = rows[r]
        texts = [v for v in values if v is not None]
        if not texts:
            blank_before = True
            r += 1
            continue
        first = texts[0]
        if isinstance(first, str) and legend_heading(first) and len(texts) <= 2:
            return r
        if (blank_before or single_before) and not inline_levels(values) and (
                _narrower_repeat(sheet, r, table) if is_repeated_header(values, table) else
                _is_header_row(sheet, r, criteria, sure=0.95) or _gap_table(sheet, r, criteria, table) is not None):
            # a new table starts after a gap or its title (also under some of this table's labels: a summary)
            while r - 1 >= table.first_row and sum(v is not None for v in rows[r - 1]) == 1:
                r -= 1  # the next table's title rows ("Andre hendelser") belong to it
            return r  # the next table's header
        if blank_before or (r > table.first_row and _key_start(first) and _legend_row(values)):
            block = _block(rows, r)
            legend = [_legend_row(rows[i]) for i in block]
            keys = sum(legend)
            notes = 0 if blank_before else sum(1 for i, key in zip(block, legend, strict=True)
                                               if not key and (is_footer_row(rows[i]) or _note_row(rows[i])))
            # after a blank row, mostly key rows; right under the table, key rows (two or more) and notes
            if block and (keys * 2 > len(block) if blank_before else keys >= 2 and keys + notes == len(block)) and \
                    not any(_scenario_like(rows[i], table) and not inline_levels(rows[i]) for i in block[:1]):
                return r
            if len(block) >= 3 and len(texts) == 1 and isinstance(first, str) and \
                    sum(_level_row(rows[i]) for i in block[1:]) * 2 > len(block) - 1:
                return r  # a scale under its heading: "Sannsynlighet", then "1 | Svært lav", …
            if len(block) >= 2 and len(texts) == 1 and isinstance(first, str) and \
                    all(inline_levels(rows[i]) for i in block[1:]):
                return r  # … or the scale across one row, or in one cell: "1 = Svært lav, 2 = Lav, …"
        blank_before, single_before = False, len(texts) == 1
        r += 1
    return len(rows)


def _narrower_repeat(sheet: Sheet, r: int, table: Table) -> bool:
    """A repeat of some of the header's labels (row ``r``) over rows that hold nothing in the columns
    it leaves out: a narrower table of its own (a summary: «Nr | Uønsket hendelse | Tiltak» without
    the risk column), not the header repeated over more of the table's rows."""
    left_out = [c.index for c in table.columns if table.header_texts.get(c.index) and sheet.value(r, c.index) is None]
    below = [sheet.rows[b] for b in _block(sheet.rows, r + 1)]
    return bool(left_out) and bool(below) and all(c >= len(row) or row[c] is None for row in below for c in left_out)


def _note_row(values: list[object]) -> bool:
    """A note row ("Merknad: …", "* …"): its first cell says so."""
    first = next((v for v in values if v is not None), None)
    return isinstance(first, str) and is_note(first)


def _level_row(values: list[object]) -> bool:
    """A row of a scale: a level (1–9, A–E) and a word or two."""
    cells = [v for v in values if v is not None]
    return 2 <= len(cells) <= 3 and scale_level(cells[0]) is not None


def _block(rows: list[list[object]], start: int) -> list[int]:
    block = []
    r = start
    while r < len(rows) and any(v is not None for v in rows[r]):
        block.append(r)
        r += 1
    return block


def _scenario_like(values: list[object], table: Table) -> bool:
    """A row with a title that is not a key word and a value in a class or risk column. While content
    has not yet chosen the title column (its header names no field), any column without a field may
    hold the title."""
    title = [c.index for c in table.columns if c.match.field == TITLE] or \
        [c.index for c in table.columns if c.match.field is None]
    keys = [normalise(v) for i in title if i < len(values) and isinstance(v := values[i], str)]
    if not any(key not in zone_word_set() and not _RANGE_KEY.match(key) for key in keys):
        return False
    classed = [c.index for c in table.columns if c.match.field and c.match.field.kind in ("class", "risk")]
    return any(i < len(values) and values[i] is not None for i in classed)


def weigh_content(sheet: Sheet, table: Table, evidence: Evidence, fixed: dict[int, FieldPath] | None = None) -> None:
    """Combine each column's header with its content (:mod:`.evidence`), then give each field to one
    column; a table without a title takes its leftmost unclaimed column of unique free text (one whose
    texts name events first).
    ``fixed`` are the columns a mapping file sets (field name, ``extra`` or ``ignore``): they are
    taken as given, and no other column gets their fields."""
    fixed = fixed or {}
    rows = [r for r in range(table.first_row, table.end) if not is_repeated_header(sheet.rows[r], table)
            and not (r == table.first_row and is_units_row(sheet.rows[r])) and not is_footer_row(sheet.rows[r])]
    full = [r for r in rows if sum(v is not None for v in sheet.rows[r]) >= 2]
    rows = full if len(full) >= 2 else rows  # section, description and note rows are not the columns' data
    profiles = {c.index: evidence.profile([sheet.value(r, c.index) for r in rows]) for c in table.columns}
    for col in table.columns:  # "Økonomi (kr)" over classes 1–5: the unit is the area's, not the cells'
        if col.scale is not None and col.scale.unit:
            col.scale = without_unit(col.scale, [sheet.value(r, col.index) for r in rows],
                                     evidence.criteria.consequence_levels_count)
    for col in table.columns:
        if col.level is not None and col.index not in fixed:  # a level column: its marks are no values to weigh
            col.decision = Decision(col.match.field, col.match.score, "header", profiles[col.index].describe())
            continue
        if col.index in fixed:
            name = None if fixed[col.index].field == "extra" else fixed[col.index]
            col.match = Match(name, 1.0, col.match.label, runner_up=col.match.field)
            col.decision = Decision(name, 1.0, "mapping", profiles[col.index].describe())
            continue
        claimed = {c.match.field for c in table.columns if c is not col and c.match.score >= 0.9}
        col.decision = evidence.decide(col.label, col.match.field, col.match.score, profiles[col.index],
                                       tuple(f for f in col.match.candidates if f not in claimed))
    placed = by_position([(c.index, c.label, c.decision, profiles[c.index]) for c in table.columns
                          if c.index not in fixed], evidence.criteria)
    for col in table.columns:
        if col.index in placed and col.decision is not None:
            col.decision = Decision(placed[col.index], round(profiles[col.index].share("class"), 2), "by-position",
                                    col.decision.evidence)
    titled = any(c.decision and c.decision.field == TITLE for c in table.columns)
    for col in table.columns:
        d = col.decision
        if d is not None and d.free_text:
            left = any(c.index < col.index and c.decision and c.decision.field is None and not c.match.ambiguous
                       and is_title_like(profiles[c.index]) for c in table.columns)  # titles stand left of it
            name = TITLE if not titled and not left else DESCRIPTION if not any(
                c.decision and c.decision.field == DESCRIPTION for c in table.columns) else None
            titled = titled or name == TITLE
            col.decision = Decision(name, d.score, d.rule if name else "none", d.evidence)
    if not titled:
        if any(c.decision and c.decision.field == AREA for c in table.columns):  # a long table
            profiles = {c.index: evidence.profile([sheet.value(r, c.index) for r in rows], runs=True)
                        for c in table.columns}
        free = [c for c in table.columns if c.decision and c.decision.field is None and
                (not c.match.ambiguous or TITLE in c.match.candidates) and is_title_like(profiles[c.index])]
        if not free:  # too few rows for content to overrule a header: a class or risk column of titles
            free = [c for c in table.columns if c.decision and c.decision.field is not None and
                    c.decision.field.kind in ("class", "risk") and is_title_like(profiles[c.index])]
        events = {c.index: event_share([sheet.value(r, c.index) for r in rows]) >= 0.5 for c in free}
        best = max(free, key=lambda c: (events[c.index], profiles[c.index].unique), default=None)  # names events
        if best is not None and best.decision is not None:
            best.decision = Decision(TITLE, round(profiles[best.index].unique, 2), "by-content",
                                     best.decision.evidence)
    _title_beside(table, profiles, fixed)
    _ambiguous_beside_title(table, fixed)
    for col in table.columns:
        d = col.decision
        if d is not None and d.field != col.match.field and col.index not in fixed:
            col.match = Match(d.field, d.score, col.match.label, runner_up=col.match.field)
    taken = {f for f in fixed.values() if f.field not in ("extra", "ignore")}
    unfixed = [i for i, col in enumerate(table.columns) if col.index not in fixed and col.level is None]
    chosen = {unfixed[i] for i in assign([table.columns[i].match for i in unfixed])}
    for i, col in enumerate(table.columns):
        if i in unfixed and col.match.field and (i not in chosen or col.match.field in taken):
            col.match = Match(None, col.match.score, col.match.label, runner_up=col.match.field)


def _title_beside(table: Table, profiles: dict[int, Profile], fixed: dict[int, FieldPath]) -> None:
    """A title column holding numbers or codes, next to a column without a field holding unique texts
    (a header cell «Hendelse» merged over the number and the title): the texts are the title, and
    the numbers the id when the table has none."""
    title = next((c for c in table.columns if c.decision and c.decision.field == TITLE and c.index not in fixed), None)
    if title is None or title.decision is None or profiles[title.index].share("text", "short") >= 0.5:
        return
    beside = next((c for c in table.columns if abs(c.index - title.index) == 1 and c.index not in fixed and
                   c.decision and c.decision.field is None and is_title_like(profiles[c.index])), None)
    if beside is None or beside.decision is None:
        return
    has_id = any(c.decision and c.decision.field == ID for c in table.columns)
    title.decision = Decision(None if has_id else ID, title.decision.score, "by-content", title.decision.evidence)
    beside.decision = Decision(TITLE, round(profiles[beside.index].unique, 2), "by-content", beside.decision.evidence)


def _ambiguous_beside_title(table: Table, fixed: dict[int, FieldPath]) -> None:
    """A header that may mean the title or one other field («Hendelsestype»: title or category), in a
    table whose title another column holds: that other field, when no column has it."""
    if not any(c.decision and c.decision.field == TITLE for c in table.columns):
        return
    for col in table.columns:
        d = col.decision
        if d is None or d.field is not None or col.index in fixed or not col.match.ambiguous \
                or TITLE not in col.match.candidates:
            continue
        taken = {c.decision.field for c in table.columns if c.decision and c.decision.field}
        rest = [f for f in col.match.candidates if f != TITLE and f not in taken]
        if len(rest) == 1:
            col.decision = Decision(rest[0], col.match.score, "beside-title", d.evidence)


def is_repeated_header(values: list[object], table: Table) -> bool:
    """A row that repeats the header (pasted tables): most header labels (or the texts of any of its
    header rows) again, each in its own column, and more of its texts the same as the header's than
    other (a later table's header shares only some). A label standing in another column than the
    header's (a summary under the table: «Nr | Uønsket hendelse | Tiltak» without the risk columns)
    heads a table of its own."""
    labels = table.labels()
    same = sum(1 for i, label in labels.items() if i < len(values) and isinstance(v := values[i], str)
               and v.casefold() in label)
    if same < max(2, len(labels) // 2):
        return False
    moved = any(isinstance(v, str) and v.casefold() not in labels.get(i, frozenset()) and
                any(v.casefold() in label for label in labels.values()) for i, v in enumerate(values))
    return not moved and same > sum(1 for v in values if isinstance(v, str)) - same
