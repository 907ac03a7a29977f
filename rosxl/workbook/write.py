"""Write an analysis as the standard ROS workbook (openpyxl).

Sheets: Veiledning (how to use it), Kriterier (the criteria block of :mod:`criteria_sheet`, with
defined names into it), Scenarier (an Excel table, see :mod:`layout`), Risikomatrise (ids per
matrix cell, before and after measures), ``xlwings.conf`` in the xlwings flavour, and a hidden
sheet ``rosxl`` with the metadata and report. What a scenario carries beyond its visible fields
(``raw``, ``source``, ``extra``) is kept as JSON in a hidden column of the table.
:func:`write_workbook` fills a cached build without scenarios (:mod:`rosxl.workbook.stamp`) and
builds with openpyxl only what that cannot write.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from rosxl.analysis import VERSION, Analysis, Scenario
from rosxl.criteria import Criteria
from rosxl.criteria.model import Language
from rosxl.errors import WorkbookError, reason
from rosxl.fields import BY_PATH
from rosxl.jsontext import dumps
from rosxl.workbook import formulas as fx
from rosxl.workbook.classes import choices, marker
from rosxl.workbook.criteria_sheet import CHOICE_HEADER, CHOICE_SEPARATOR, Block, criteria_block, row_roles
from rosxl.workbook.criteria_sheet import SHEET as CRITERIA_SHEET
from rosxl.workbook.layout import FIRST_ROW, PHASES, SHEET, Flavour, Layout, Phase, layout_for
from rosxl.workbook.page import (
    MIN_ROW_PT,
    fit_widths,
    font,
    page_breaks,
    print_setup,
    printable,
    row_height,
    text_width,
    word_width,
    wrapped_lines,
)

TEMPLATE_VERSION = "1"
GUIDE_SHEET = "Veiledning"
MATRIX_SHEET = "Risikomatrise"
DATA_SHEET = "rosxl"
XLWINGS_SHEET = "xlwings.conf"
UDF_MODULE = "rosxl.udfs"
#: Empty, pre-formatted rows after the last scenario, and the table sizes used up to 1000 rows
#: (a few sizes, so that :mod:`rosxl.workbook.stamp` can reuse one template for most analyses).
SPARE_ROWS, TABLE_SIZES = 20, (30, 50, 100, 200, 500, 1000)
#: Print scale per sheet, in per cent (Arial 10 at 85 % prints at 8.5 pt); the guide's one column fits A4 upright.
PRINT_SCALE = {GUIDE_SHEET: 100, CRITERIA_SHEET: 85, SHEET: 85, MATRIX_SHEET: 90}
GUIDE_WIDTH = 96
#: Kriterier's columns: the sheet's own written form (A–G) fills an A4 page across.
CRITERIA_WIDTHS = (22, 22, 36, 11, 11, 20, 26, 30, 50)  # A–G are fitted (criteria_widths); H–I as they are
PRINTED_CRITERIA_COLUMNS = 7
MAX_WORD = 30  # a column is widened for its longest word up to this
JSON_CHUNK = 32000  # Excel holds at most 32 767 characters in a cell
MAX_TEXT = 32767

RAW_FACT = "D9D2E9"  # a class cell holding a raw fact, and the zone cell that says so
HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
SUBHEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
WHITE_BOLD = font(bold=True, color="FFFFFF")
BOLD = font(bold=True)
TITLE = font(bold=True, size=14, color="1F4E78")
#: Thousands separators for amounts (Excel shows the separator of its locale: a space in Norwegian).
AMOUNT_FORMAT = "#,##0"
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_workbook(analysis: Analysis, path: str | Path, *, language: Language | None = None,
                   flavour: Flavour = "native") -> Path:
    """Write ``analysis`` as a standard workbook at ``path`` (``.xlsx``); return the path.

    ``language`` is the written form of sheet names' contents (default: the criteria's own);
    ``flavour`` chooses native formulas or the add-in's ``ros_*`` worksheet functions.
    """
    from rosxl.workbook.ooxml import save_workbook
    from rosxl.workbook.stamp import stamp  # stamp builds its templates with this module

    path = Path(path)
    if flavour not in ("native", "xlwings"):
        raise WorkbookError(f"ukjent variant «{flavour}» (native eller xlwings)", file=path)
    language = language or analysis.criteria.language
    try:
        if not stamp(analysis, language, flavour, path):
            save_workbook(build_workbook(analysis, language, flavour), path)
    except OSError as exc:
        raise WorkbookError(f"kan ikke skrive arbeidsboka: {reason(exc)}", file=path) from exc
    return path


def table_rows(scenarios: int) -> int:
    """Rows of the Scenarier table for ``scenarios`` scenarios: the least size with the spare rows."""
    need = scenarios + SPARE_ROWS
    return next((size for size in TABLE_SIZES if size >= need), need)


def build_workbook(analysis: Analysis, language: Language, flavour: Flavour, rows: int | None = None) -> Workbook:
    """The workbook as an openpyxl object (see :func:`write_workbook`).

    ``rows`` is the size of the Scenarier table (default: :func:`table_rows`).
    """
    criteria = analysis.criteria
    layout = layout_for(criteria, language, flavour)
    block = criteria_block(criteria, language)
    wb = Workbook()
    book: Any = wb  # the default font of every cell (openpyxl's is Calibri 11) sits in private attributes
    book._fonts = IndexedList([font()])
    book._named_styles["Normal"].font = font()
    title = analysis_title(analysis, language)
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    _write_guide(guide, analysis, language, flavour)
    _write_criteria(wb.create_sheet(CRITERIA_SHEET), block, wb, language, flavour)
    last_row = FIRST_ROW + (rows or table_rows(len(analysis.scenarios))) - 1
    _write_scenarios(wb.create_sheet(SHEET), layout, analysis.scenarios, last_row)
    _write_matrix(wb.create_sheet(MATRIX_SHEET), layout, last_row)
    for ws in wb.worksheets[:4]:
        print_setup(ws, landscape=ws.title != GUIDE_SHEET, scale=PRINT_SCALE[ws.title], title=title,
                    language=language)
    scenarios = wb[SHEET]  # the header row, and ID, category and title, on every page
    scenarios.print_title_rows = "1:1"
    scenarios.print_title_cols = f"A:{get_column_letter(layout['title'].index)}"
    # the pages of a block of rows one after another; no print area, so rows an advisor adds print too
    scenarios.page_setup.pageOrder = "overThenDown"
    if flavour == "xlwings":
        conf = wb.create_sheet(XLWINGS_SHEET)
        conf.append(["UDF Modules", UDF_MODULE])
        conf.column_dimensions["A"].width = 14
        conf.sheet_state = "hidden"  # xlwings finds it hidden too (its own «release» command hides it)
    _write_data(wb.create_sheet(DATA_SHEET), analysis, language, flavour)
    wb.active = wb.sheetnames.index(SHEET)
    return wb


def analysis_title(analysis: Analysis, language: Language) -> str:
    """The analysis's name for page headers: its title, else the kind of document."""
    title = analysis.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title
    return "Risiko- og sårbarheitsanalyse (ROS)" if language == "nn" else "Risiko- og sårbarhetsanalyse (ROS)"


# --- Veiledning ------------------------------------------------------------------------------


def _guide_lines(criteria: Criteria, language: Language, flavour: Flavour) -> list[str]:
    nn = language == "nn"
    example = choices(criteria, language, "probability")[min(1, criteria.probability_levels - 1)]
    fact = (" Står det anna enn ein klasse i cella, viser sona «skriv ein klasse …»; «rosxl fill FIL» skriv inn "
            "klassen eit faktum svarar til." if nn else
            " Står det annet enn en klasse i cellen, viser sonen «skriv en klasse …»; «rosxl fill FIL» skriver inn "
            "klassen et faktum tilsvarer.")
    if flavour == "xlwings":
        fact = (" Med rosxl-tillegget kan du også skrive eit faktum, t.d. «1 gong per 20 år» eller «2,5 mill»." if nn
                else " Med rosxl-tillegget kan du også skrive et faktum, f.eks. «1 gang per 20 år» eller «2,5 mill».")
    if nn:
        return [
            "Akseptkriteria står på arket «Kriterier» og skal vere vedtekne før analysen (NS 5814). "
            "Endrar de klassar eller sonematrisa der, følgjer sonene i heile arbeidsboka etter.",
            "Skriv éi uønskt hending per rad på arket «Scenarier». Vel sannsyn og konsekvens per område "
            f"som klasse frå nedtrekkslista (t.d. «{example}»)." + fact,
            "Sone per område, samla sone og risikoskår blir rekna ut, og rada blir farga raud, gul eller grøn.",
            "Raude hendingar skal ha tiltak med ansvarleg og frist. Fyll inn sannsyn og konsekvens etter tiltak "
            "for å sjå restrisikoen; eit område utan verdi etter tiltak held klassen frå før tiltak (sjå «Uendra "
            "etter tiltak»).",
            "Arket «Risikomatrise» viser ID-ane til hendingane i risikomatrisa før og etter tiltak.",
            "Kontroller arbeidsboka med «rosxl check FIL» og hent ut data med «rosxl export FIL».",
        ]
    return [
        "Akseptkriteriene står på arket «Kriterier» og skal være vedtatt før analysen (NS 5814). "
        "Endrer dere klasser eller sonematrisen der, følger sonene i hele arbeidsboka etter.",
        "Skriv én uønsket hendelse per rad på arket «Scenarier». Velg sannsynlighet og konsekvens per område "
        f"som klasse fra nedtrekkslisten (f.eks. «{example}»)." + fact,
        "Sone per område, samlet sone og risikoskår regnes ut, og raden farges rød, gul eller grønn.",
        "Røde hendelser skal ha tiltak med ansvarlig og frist. Fyll inn sannsynlighet og konsekvens etter tiltak "
        "for å se restrisikoen; et område uten verdi etter tiltak beholder klassen fra før tiltak (se «Uendret "
        "etter tiltak»).",
        "Arket «Risikomatrise» viser hendelsenes ID i risikomatrisen før og etter tiltak.",
        "Kontroller arbeidsboka med «rosxl check FIL» og hent ut data med «rosxl export FIL».",
    ]


def _write_guide(ws: Worksheet, analysis: Analysis, language: Language, flavour: Flavour) -> None:
    c = analysis.criteria
    nn = language == "nn"
    ws["A1"] = "Risiko- og sårbarheitsanalyse (ROS)" if nn else "Risiko- og sårbarhetsanalyse (ROS)"
    ws["A1"].font = TITLE
    ws.row_dimensions[1].height = 20
    ws["A2"] = "Rettleiing" if nn else "Veiledning"
    ws["A2"].font = BOLD
    lines = [f"{i}. {line}" for i, line in enumerate(_guide_lines(c, language, flavour), start=1)]
    facts = [
        ("Malversjon", f"rosxl {VERSION}, mal {TEMPLATE_VERSION} ({flavour})"),
        ("Kriterium" if nn else "Kriterier", f"{c.title(language)} – {c.name} {c.version}"),
        ("Vedtak", c.provenance.decision or ("ikkje registrert" if nn else "ikke registrert")),
    ]
    texts = {3 + i: line for i, line in enumerate(lines)}
    texts.update({4 + len(lines) + i: f"{label}: {value}" for i, (label, value) in enumerate(facts)})
    for r, text in texts.items():
        cell = ws.cell(r, 1, text)
        cell.alignment = WRAP_TOP
        _text(cell)
        ws.row_dimensions[r].height = row_height(wrapped_lines(text, GUIDE_WIDTH))
    ws.column_dimensions["A"].width = GUIDE_WIDTH


# --- Kriterier -------------------------------------------------------------------------------


def _write_criteria(ws: Worksheet, block: Block, wb: Workbook, language: Language, flavour: Flavour) -> None:
    grid, p = block.grid, block.places
    roles = row_roles(grid)
    widths = criteria_widths(block, language)
    heights: list[float] = []
    for r, (cells, role) in enumerate(zip(grid, roles, strict=True), start=1):
        if role in ("data", "header"):  # neither Excel nor LibreOffice fits a row to wrapped text on load: set it
            ws.row_dimensions[r].height = row_height(max(
                (wrapped_lines(str(v), w, bold=role == "header")
                 for v, w in zip(cells, widths, strict=False) if v is not None), default=1))
        heights.append(ws.row_dimensions[r].height or MIN_ROW_PT)
        for col, value in enumerate(cells, start=1):
            if value is None and role != "header":
                continue
            cell = ws.cell(r, col, value)
            _text(cell)
            if role == "title":
                cell.font = font(bold=True, size=12, color="1F4E78")
            elif role == "header" and value is not None:  # the class numbers over a zone matrix centred
                cell.font, cell.fill = BOLD, SUBHEADER_FILL
                cell.alignment = CENTRE if isinstance(value, int) else WRAP_TOP
            else:
                cell.alignment = WRAP_TOP
            if isinstance(value, (int, float)) and abs(value) >= 1000:
                cell.number_format = AMOUNT_FORMAT
    for r in p.zone_rows:  # the zone table shows its colours
        colour = str(grid[r][p.zone_colour_column])
        fill = PatternFill("solid", start_color=colour, end_color=colour)
        for col in (p.zone_key_column, p.zone_label_column, p.zone_colour_column):
            ws.cell(r + 1, col + 1).fill = fill
    for letter, width in zip("ABCDEFGHI", widths, strict=False):
        ws.column_dimensions[letter].width = width
    _write_choices(ws, block, language, flavour)
    _define_names(wb, block, flavour)
    zones = len(p.zone_rows)
    for m in p.matrices:
        top, left = m.top + 1, m.left + 1
        ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + m.columns - 1)}{top + m.rows - 1}"
        for r in range(top, top + m.rows):
            for col in range(left, left + m.columns):
                ws.cell(r, col).alignment = CENTRE
                ws.cell(r, col).border = GRID
        first = f"{get_column_letter(left)}{top}"
        for i in range(1, zones + 1):
            colour = str(grid[p.zone_rows[i - 1]][p.zone_colour_column])
            ws.conditional_formatting.add(ref, _fill_rule(
                fx.zone_names(first, i), colour))
    ws.freeze_panes = "A2"
    # print the criteria in the sheet's written form (A–G); the other form's columns stay on screen
    ws.print_area = f"A1:{get_column_letter(PRINTED_CRITERIA_COLUMNS)}{len(grid)}"
    # a section (a zone matrix) that would cross a page starts on the next one
    starts = sorted({r for r, role in enumerate(roles) if role == "title"}
                    | {m.top - 3 for m in p.matrices if roles[m.top - 4] != "title"})  # «Matrise», key, «S \\ K»
    page = printable(landscape=True, scale=PRINT_SCALE[CRITERIA_SHEET])[1]
    blank = {r for r, role in enumerate(roles) if role == "blank"}
    for r in page_breaks(heights, starts, page, blank):
        ws.row_breaks.append(Break(id=r))


def criteria_widths(block: Block, language: Language) -> list[float]:
    """Widths of Kriterier's columns A–I, chosen for all its tables at once.

    The printed columns (A–G) share the width of a page: each is at least as wide as its longest
    word (and a zone matrix's cells as its zone labels), and the rest goes where it saves most lines.
    """
    roles = row_roles(block.grid)
    rows = [[(str(v), role == "header") if v is not None else None for v in cells[:PRINTED_CRITERIA_COLUMNS]]
            for cells, role in zip(block.grid, roles, strict=True) if role in ("data", "header")]
    minimum = [min(MAX_WORD, max(6.0, word_width([c[0] for row in rows if i < len(row) and (c := row[i])])))
               for i in range(PRINTED_CRITERIA_COLUMNS)]
    criteria_zones = {str(block.grid[r][block.places.zone_label_column]) for r in block.places.zone_rows}
    for m in block.places.matrices:
        for i in range(m.left, m.left + m.columns):
            minimum[i] = max(minimum[i], max(text_width(z, bold=True) for z in criteria_zones))  # bold when coloured
    across = printable(landscape=True, scale=PRINT_SCALE[CRITERIA_SHEET])[0]
    return [*fit_widths(rows, minimum, across), *CRITERIA_WIDTHS[PRINTED_CRITERIA_COLUMNS:]]


def _write_choices(ws: Worksheet, block: Block, language: Language, flavour: Flavour) -> None:
    """Beside the block: the dropdown entries («2 – Lav») as formulas on the class and label cells, and in
    the xlwings flavour the criteria token cell (``=ros_kriterier_last(ros_kriterier)``)."""
    p = block.places
    column = p.choice_column + 1
    cls, label = get_column_letter(p.class_column + 1), get_column_letter(p.label_column + 1)
    for first, last in (p.probability_rows, p.level_rows):
        head = ws.cell(first, column, CHOICE_HEADER[language == "nn"])
        head.font, head.fill = BOLD, SUBHEADER_FILL
        for r in range(first + 1, last + 2):
            cell = ws.cell(r, column, f'=IF({cls}{r}="","",{cls}{r}&"{CHOICE_SEPARATOR}"&{label}{r})')
            cell.alignment = TOP
    for m in p.matrices:  # each matrix cell's zone as its number (1 = mildest), for the Scenarier formulas
        head = ws.cell(m.top, column, "Sonenummer (for formlane)" if language == "nn" else "Sonenummer (for formlene)")
        head.font = BOLD
        for i in range(m.rows):
            for j in range(m.columns):
                zone = f"{get_column_letter(m.left + 1 + j)}{m.top + 1 + i}"
                ws.cell(m.top + 1 + i, column + j, f"=IFERROR(MATCH({zone},{fx.ZONE_KEYS},0),IFERROR(MATCH({zone},"
                                                     f"{fx.ZONE_LABELS},0),MATCH({zone},{fx.ZONE_OTHER_LABELS},0)))")
    if flavour == "xlwings":
        ws.cell(1, column, "Kriterieteikn" if language == "nn" else "Kriterietegn").font = BOLD
        ws.cell(2, column, f"=ros_kriterier_last({fx.CRITERIA})")


def _define_names(wb: Workbook, block: Block, flavour: Flavour) -> None:
    p = block.places

    def ref(r0: int, c0: int, r1: int | None = None, c1: int | None = None) -> str:
        a = f"${get_column_letter(c0 + 1)}${r0 + 1}"
        if r1 is None or c1 is None:
            return f"{CRITERIA_SHEET}!{a}"
        return f"{CRITERIA_SHEET}!{a}:${get_column_letter(c1 + 1)}${r1 + 1}"

    names = {
        fx.CRITERIA: ref(0, 0, p.rows - 1, p.columns - 1),
        fx.SCORE: ref(*p.score),
        fx.ZONE_KEYS: ref(p.zone_rows[0], p.zone_key_column, p.zone_rows[-1], p.zone_key_column),
        fx.ZONE_LABELS: ref(p.zone_rows[0], p.zone_label_column, p.zone_rows[-1], p.zone_label_column),
        fx.ZONE_OTHER_LABELS: ref(p.zone_rows[0], p.zone_other_label_column, p.zone_rows[-1],
                                  p.zone_other_label_column),
        fx.PROBABILITY_CLASSES: ref(p.probability_rows[0], p.class_column, p.probability_rows[1], p.class_column),
        fx.CONSEQUENCE_CLASSES: ref(p.level_rows[0], p.class_column, p.level_rows[1], p.class_column),
        fx.PROBABILITY_CHOICES: ref(p.probability_rows[0], p.choice_column, p.probability_rows[1], p.choice_column),
        fx.CONSEQUENCE_CHOICES: ref(p.level_rows[0], p.choice_column, p.level_rows[1], p.choice_column),
    }
    if flavour == "xlwings":
        names[fx.TOKEN] = ref(1, p.choice_column)
    for i, r in enumerate(p.zone_rows, start=1):
        names[fx.zone_label(i)] = ref(r, p.zone_label_column)
        names[fx.zone_key(i)] = ref(r, p.zone_key_column)
    for j, m in enumerate(p.matrices, start=1):
        names[fx.matrix(j)] = ref(m.top, m.left, m.top + m.rows - 1, m.left + m.columns - 1)
        names[fx.matrix_numbers(j)] = ref(m.top, p.choice_column, m.top + m.rows - 1, p.choice_column + m.columns - 1)
    for name, target in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)


# --- Scenarier -------------------------------------------------------------------------------


def _write_scenarios(ws: Worksheet, layout: Layout, scenarios: list[Scenario], last_row: int) -> None:
    for col in layout.columns:
        cell = ws.cell(1, col.index, col.header)
        cell.font, cell.fill, cell.alignment = WHITE_BOLD, HEADER_FILL, CENTRE
        dim = ws.column_dimensions[col.letter]
        dim.width = col.width
        if col.hidden:
            dim.hidden = True
    ws.row_dimensions[1].height = row_height(max(wrapped_lines(c.header, c.width, bold=True)
                                                 for c in layout.columns if not c.hidden))
    values = [scenario_cells(s, layout) for s in scenarios]
    formulas = fx.Formulas(layout)
    # the hidden JSON column wraps too: LibreOffice prints text that spills out of a hidden cell
    wrap_columns = [c.index for c in layout.wrapped] + [layout["data"].index]
    for r in range(FIRST_ROW, last_row + 1):
        i = r - FIRST_ROW
        if i < len(values):
            for index, value in values[i].items():
                _text(ws.cell(r, index, value))
            ws.row_dimensions[r].height = scenario_row_height(values[i], layout)
        for index, formula in formulas.row(r).items():
            ws.cell(r, index, formula)
        for index in wrap_columns:
            ws.cell(r, index).alignment = WRAP_TOP
    end = layout.last.letter
    table = Table(displayName="Scenarier", ref=f"A1:{end}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    ws.freeze_panes = f"{get_column_letter(layout['title'].index + 1)}{FIRST_ROW}"
    _validations(ws, layout, last_row)
    _zone_colours(ws, layout, last_row)


def scenario_cells(s: Scenario, layout: Layout) -> dict[int, Any]:
    """The visible and hidden input cells of one scenario, by column index.

    Text is cut to what a cell holds, and control characters that an .xlsx cannot hold (legacy
    files carry them) become spaces.
    """
    cells: dict[int, Any] = {}
    for col in layout.input_columns:
        value: Any = None
        if col.kind == "text" and col.field:
            value = getattr(s, col.field)
        elif col.kind == "probability":  # a class, else the text it could not be read from
            value = s.probability if col.phase == "before" else s.residual.probability
            value = s.raw.get(col.key) if value is None else value
        elif col.kind == "consequence" and col.field:
            value = (s.consequences if col.phase == "before" else s.residual.consequences).get(col.field)
            value = s.raw.get(col.key) if value is None else value
        elif col.kind == "choice" and col.field:  # the choice's word, else the text as given
            value = getattr(s, col.field)
            value = BY_PATH[col.field].choice_label(value, layout.language) or value
        elif col.kind == "review":
            value = "\n".join(s.review) or None
        elif col.kind == "data":
            value = _scenario_data(s, layout)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub(" ", value[:MAX_TEXT])
        if value is not None and value != "":
            cells[col.index] = value
    return cells


def scenario_row_height(cells: dict[int, Any], layout: Layout) -> float | None:
    """Height in points of a Scenarier row holding ``cells`` (see :func:`scenario_cells`); ``None``: one line."""
    widths, raw_facts = _line_room(layout)
    lines = max((wrapped_lines(str(v), widths[i]) for i, v in cells.items() if i in widths), default=1)
    for columns, marker_lines in raw_facts:  # a class cell holding a raw fact: its overall zone shows the marker
        if marker_lines > lines and any(isinstance(cells.get(i), str) for i in columns):
            lines = marker_lines
    return row_height(lines)


@lru_cache(maxsize=32)
def _line_room(layout: Layout) -> tuple[dict[int, float], tuple[tuple[tuple[int, ...], int], ...]]:
    """What :func:`scenario_row_height` needs of a layout: the width of each wrapped column, and per
    phase the class columns with the lines the raw-fact marker takes (native flavour only)."""
    widths = {c.index: c.width for c in layout.wrapped}
    if layout.flavour != "native":
        return widths, ()
    text = marker(layout.criteria, layout.language)
    raw_facts = []
    for phase in PHASES:
        probability, areas = layout.inputs(phase)
        raw_facts.append((tuple(c.index for c in (probability, *areas)),
                          wrapped_lines(text, layout.overall(phase).width, bold=True)))
    return widths, tuple(raw_facts)


def _scenario_data(s: Scenario, layout: Layout) -> str | None:
    """What the sheet keeps but does not show: raw, source, extra, the exact review notes."""
    known = set(layout.criteria.area_keys)
    data: dict[str, Any] = {k: v for k, v in (("raw", s.raw), ("source", s.source), ("extra", s.extra)) if v}
    if any("\n" in note for note in s.review):
        data["review"] = s.review
    other = {a: k for a, k in s.consequences.items() if a not in known}
    if other:
        data["consequences"] = other
    if not data:
        return None
    text = dumps(data)
    if len(text) > JSON_CHUNK:
        raise WorkbookError(f"scenario «{s.id}»: tilleggsdataene er for store for én celle ({len(text)} tegn)",
                            sheet=SHEET)
    return text


def _validations(ws: Worksheet, layout: Layout, last_row: int) -> None:
    """Class cells offer the dropdown entries of Kriterier; other text only warns, so pasted text is kept."""
    c, language = layout.criteria, layout.language
    nn = language == "nn"
    prob_help = "; ".join(f"{p.value} {p.label(language)}" for p in c.probability)
    cons_help = "; ".join(f"{lv.value} {lv.label(language)}" for lv in c.consequence_levels)
    if layout.flavour == "xlwings":
        error = ("Ikkje ein klasse: rosxl-tillegget les teksten som eit faktum." if nn
                 else "Ikke en klasse: rosxl-tillegget leser teksten som et faktum.")
    else:
        error = ("Ikkje ein klasse frå lista. Teksten blir ståande, men gir inga sone før du vel ein klasse "
                 "(«rosxl fill» kan skrive inn klassen han svarar til)." if nn else
                 "Ikke en klasse fra listen. Teksten blir stående, men gir ingen sone før du velger en klasse "
                 "(«rosxl fill» kan skrive inn klassen den tilsvarer).")
    for kind, source, help_text, title in (
            ("probability", fx.PROBABILITY_CHOICES, prob_help, "Sannsyn" if nn else "Sannsynlighet"),
            ("consequence", fx.CONSEQUENCE_CHOICES, cons_help, "Konsekvens")):
        cols = [col for col in layout.columns if col.kind == kind]
        dv = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning",
                            showErrorMessage=True, error=error, errorTitle=title, prompt=help_text[:255],
                            promptTitle=title, showInputMessage=True)
        for col in cols:
            dv.add(f"{col.letter}{FIRST_ROW}:{col.letter}{last_row}")
        ws.add_data_validation(dv)
    for col in layout.columns:
        if col.kind == "choice" and col.field:
            words = ",".join(choice.nn if nn else choice.nb for choice in BY_PATH[col.field].choices)
            dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True, errorStyle="warning",
                                showErrorMessage=True)
            dv.add(f"{col.letter}{FIRST_ROW}:{col.letter}{last_row}")
            ws.add_data_validation(dv)


def _zone_colours(ws: Worksheet, layout: Layout, last_row: int) -> None:
    """Zone cells take the zone's colour; the whole visible row a light tint of the overall zone."""
    zones = layout.criteria.zones
    visible = [c for c in layout.columns if not c.hidden]
    zone_cols = [c for c in visible if c.kind in ("zone", "overall")]
    for col in zone_cols:
        ref = f"{col.letter}{FIRST_ROW}:{col.letter}{last_row}"
        for i, z in enumerate(zones, start=1):
            ws.conditional_formatting.add(ref, _fill_rule(f"{col.letter}{FIRST_ROW}={fx.zone_label(i)}", z.colour))
    overall = layout.overall("before").letter
    ref = f"A{FIRST_ROW}:{visible[-1].letter}{last_row}"
    for i, z in enumerate(zones, start=1):
        ws.conditional_formatting.add(ref, _fill_rule(f"${overall}{FIRST_ROW}={fx.zone_label(i)}",
                                                      _tint(z.colour), strong=False))
    _raw_fact_marks(ws, layout, last_row)


def _raw_fact_marks(ws: Worksheet, layout: Layout, last_row: int) -> None:
    """A class cell that holds no class (a raw fact) is marked, and so are its zone cell and its row."""
    for phase in PHASES:
        p_in, k_in = layout.inputs(phase)
        p_cls, k_cls = layout.classes(phase)
        for cell, helper in zip([p_in, *k_in], [p_cls, *k_cls], strict=True):
            h = f"{helper.letter}{FIRST_ROW}"
            ws.conditional_formatting.add(f"{cell.letter}{FIRST_ROW}:{cell.letter}{last_row}", _fill_rule(
                f'AND(TRIM({cell.letter}{FIRST_ROW})<>"",ISTEXT({h}),{h}<>"")', RAW_FACT))
        overall = layout.overall(phase).letter
        if layout.flavour == "native":
            ws.conditional_formatting.add(f"{overall}{FIRST_ROW}:{overall}{last_row}", _fill_rule(
                f'{overall}{FIRST_ROW}="{marker(layout.criteria, layout.language)}"', RAW_FACT))
    visible = [c for c in layout.columns if not c.hidden]
    ws.conditional_formatting.add(f"A{FIRST_ROW}:{visible[-1].letter}{last_row}", _fill_rule(
        fx.Formulas(layout).unread_rule(), _tint(RAW_FACT, 0.4), strong=False))


def _fill_rule(formula: str, colour: str, strong: bool = True) -> Rule:
    fill = PatternFill("solid", start_color=colour, end_color=colour)
    font = Font(color=_text_colour(colour), bold=True) if strong else None
    rule: Rule = FormulaRule(formula=[formula], fill=fill, font=font)  # type: ignore[no-untyped-call]
    return rule


def _tint(colour: str, share: float = 0.3) -> str:
    """``colour`` mixed with white, ``share`` of the colour."""
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - v) * share):02X}" for v in rgb)


def _text_colour(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "FFFFFF"


# --- Risikomatrise ---------------------------------------------------------------------------


def _write_matrix(ws: Worksheet, layout: Layout, last_row: int) -> None:
    c, language = layout.criteria, layout.language
    nn = language == "nn"
    formulas = fx.Formulas(layout)
    ws["A1"] = "Risikomatrise"
    ws["A1"].font = TITLE
    ws["A2"] = ("ID-ane til hendingane i cella for sannsyn og verste konsekvens i matrisa sine område."
                if nn else "Hendelsenes ID i cellen for sannsynlighet og verste konsekvens i matrisens områder.")
    size_p, size_k = c.probability_levels, c.consequence_levels_count
    row = 4
    zones = len(c.zones)
    head_rows: list[int] = []
    starts = [0]  # 0-based first rows of the blocks that keep to one page: the sheet's title with the first matrix
    for j, m in enumerate(c.matrices, start=1):
        if j > 1:
            starts.append(row - 1)
        ws.cell(row, 1, f"{m.label(language) or m.key}").font = font(bold=True, size=12)
        _text(ws.cell(row, 1))
        row += 1
        phases: tuple[Phase, Phase] = ("before", "after")
        for g, phase in enumerate(phases):
            left = 1 + g * (size_k + 2)
            title = ("Før tiltak" if phase == "before" else "Etter tiltak")
            ws.cell(row, left, title).font = BOLD
            ws.cell(row + 1, left, "S \\ K").font = BOLD
            head_rows.append(row + 1)
            for k in range(1, size_k + 1):
                head = ws.cell(row + 1, left + k, f"{k} {c.consequence_levels[k - 1].label(language)}")
                head.font, head.fill, head.alignment, head.border = BOLD, SUBHEADER_FILL, CENTRE, GRID
            for i in range(size_p):
                p = size_p - i
                label = ws.cell(row + 2 + i, left, f"{p} {c.probability[p - 1].label(language)}")
                label.font, label.fill, label.alignment, label.border = BOLD, SUBHEADER_FILL, CENTRE, GRID
                for k in range(1, size_k + 1):
                    cell = ws.cell(row + 2 + i, left + k, formulas.matrix_cell(phase, m.key, p, k, last_row))
                    cell.alignment, cell.border = CENTRE, GRID
            first = f"{get_column_letter(left + 1)}{row + 2}"
            ref = f"{first}:{get_column_letter(left + size_k)}{row + 1 + size_p}"
            here = f"INDEX({fx.matrix(j)},ROW()-{row + 1},COLUMN()-{left})"
            for i in range(1, zones + 1):
                colour = c.zones[i - 1].colour
                ws.conditional_formatting.add(ref, _fill_rule(
                    fx.zone_names(here, i), colour))
        for i in range(size_p):
            ws.row_dimensions[row + 2 + i].height = 42
        row += size_p + 4
    heads = [f"{k} {c.consequence_levels[k - 1].label(language)}" for k in range(1, size_k + 1)]
    label_width = max(12.0, word_width([f"{p.value} {p.label(language)}" for p in c.probability], bold=True))
    cell_width = max(11.0, word_width(heads, bold=True))
    head_height = row_height(max(wrapped_lines(h, cell_width, bold=True) for h in heads))
    for r in head_rows:
        ws.row_dimensions[r].height = head_height
    heights = [ws.row_dimensions[r].height or MIN_ROW_PT for r in range(1, row)]
    page = printable(landscape=True, scale=PRINT_SCALE[MATRIX_SHEET])[1]
    for r in page_breaks(heights, starts, page):
        ws.row_breaks.append(Break(id=r))
    for g in range(2):
        left = 1 + g * (size_k + 2)
        ws.column_dimensions[get_column_letter(left)].width = label_width
        for k in range(1, size_k + 1):
            ws.column_dimensions[get_column_letter(left + k)].width = cell_width
        ws.column_dimensions[get_column_letter(left + size_k + 1)].width = 3


# --- hidden data sheet -----------------------------------------------------------------------


def data_rows(analysis: Analysis, language: Language, flavour: Flavour) -> list[list[str]]:
    """The rows of the hidden data sheet: key, then the value (JSON in chunks that fit a cell)."""
    rows = [["format", "rosxl-arbeidsbok"], ["rosxl", VERSION], ["template", TEMPLATE_VERSION],
            ["language", language], ["flavour", flavour]]
    for key, value in (("metadata", analysis.metadata), ("report", analysis.report)):
        text = dumps(value)
        rows.append([key, *(text[i:i + JSON_CHUNK] for i in range(0, len(text), JSON_CHUNK))])
    return rows


def _write_data(ws: Worksheet, analysis: Analysis, language: Language, flavour: Flavour) -> None:
    ws.sheet_state = "hidden"
    for r, values in enumerate(data_rows(analysis, language, flavour), start=1):
        for col, value in enumerate(values, start=1):
            _text(ws.cell(r, col, value))


# --- shared ----------------------------------------------------------------------------------


def _text(cell: Any) -> None:
    """Keep text as text: openpyxl would otherwise write «=…» as a formula and «#N/A» as an error."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
