"""Small python-docx helpers the report needs and python-docx has no call for: cell shading,
fields (page number, table of contents), A4 pages, fixed table widths and the document language.

Only built-in styles are used (``Heading 1``–``3``, ``Title``, ``Table Grid``, ``List Bullet``), so
Word shows them as «Overskrift 1» and so on, and the navigation pane and the table of contents work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from rosxl.workbook.page import FONT_NAME

PAGE_WIDTH_CM = 21.0
MARGIN_CM = 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
FONT = FONT_NAME  # the workbook's (Arial; LibreOffice shows its metric twin, Liberation Sans)


def setup(doc: Document, language_tag: str) -> None:
    """A4 with 2 cm margins, 10 pt body text, and the proofing language (``nb-NO``/``nn-NO``)."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    # 10 pt by the document defaults, not the Normal style: a size on Normal would beat the table style's 9 pt
    doc.styles["Table Grid"].font.size = Pt(9)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        for tag, values in (("w:sz", {"w:val": "20"}), ("w:szCs", {"w:val": "20"}),
                            ("w:lang", {"w:val": language_tag, "w:eastAsia": language_tag})):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            for key, value in values.items():
                el.set(qn(key), value)
    _one_font(doc)
    update = OxmlElement("w:updateFields")  # Word fills the table of contents when the file opens
    update.set(qn("w:val"), "true")
    doc.settings.element.insert_element_before(update, *_SETTINGS_AFTER_UPDATE_FIELDS)
    # python-docx's template carries Word 2010's stylesWithEffects part: a copy of styles.xml that no
    # longer matches the styles changed here, which Word may treat as unreadable content. Word rebuilds it.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def _one_font(doc: Document) -> None:
    """Every style in :data:`FONT`, as the workbook: python-docx's template takes its fonts from the
    theme (Cambria for text, Calibri for headings), a serif body that LibreOffice shows as DejaVu Serif.
    A theme attribute beats a named font, so the theme attributes go; the code style keeps Courier."""
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        if any(fonts.get(qn(f"w:{a}")) for a in _THEME_FONTS):
            for attribute in _THEME_FONTS:
                fonts.attrib.pop(qn(f"w:{attribute}"), None)
            for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(qn(f"w:{attribute}"), FONT)


_THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
#: The children of ``w:settings`` that follow ``w:updateFields`` (ECMA-376 CT_Settings order).
_SETTINGS_AFTER_UPDATE_FIELDS = tuple(f"w:{name}" for name in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"))
#: The children of ``w:tcPr`` that follow ``w:shd``.
_TCPR_AFTER_SHD = tuple(f"w:{name}" for name in (
    "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
    "cellMerge", "tcPrChange"))


def field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (``PAGE``, ``TOC \\o "1-1" \\h``) with ``shown`` as its last result."""
    for run in _field_start(instruction):
        paragraph._p.append(run)
    paragraph.add_run(shown)
    paragraph._p.append(_field_run("end"))


def toc(before: Paragraph, instruction: str, entries: Sequence[str]) -> None:
    """A table-of-contents field before ``before`` whose last result lists ``entries`` (one paragraph
    each), so the contents show before Word updates the field (LibreOffice's PDF keeps them as written)."""
    paragraphs = [before.insert_paragraph_before(e) for e in entries] or [before.insert_paragraph_before()]
    first = paragraphs[0]._p
    for run in reversed(_field_start(instruction)):
        first.insert(first.index(first.r_lst[0]) if first.r_lst else len(first), run)
    paragraphs[-1]._p.append(_field_run("end"))


def _field_start(instruction: str) -> list[Any]:
    """The runs that open a complex field: begin, the instruction, separate."""
    return [_field_run("begin"), _field_run(instruction=instruction), _field_run("separate")]


def _field_run(kind: str | None = None, *, instruction: str | None = None) -> Any:
    run = OxmlElement("w:r")
    if instruction is not None:
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = f" {instruction} "
    else:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind or "")
    run.append(el)
    return run


def page_numbers(doc: Document, word: str) -> None:
    """``Side N`` centred in every footer."""
    for section in doc.sections:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(f"{word} ")
        field(p, "PAGE", "1")


def shade(cell: _Cell, colour: str) -> None:
    """Fill ``cell`` with ``RRGGBB``; its text turns white on dark colours."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.upper())
    tcpr.insert_element_before(shd, *_TCPR_AFTER_SHD)
    if _dark(colour):
        for p in cell.paragraphs:
            for run in p.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def cell_fill(cell: _Cell) -> str | None:
    """The fill of ``cell`` (``RRGGBB``), ``None`` when it has none (used by the tests)."""
    shd = cell._tc.get_or_add_tcPr().find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 110


#: Style ids of the built-in styles used; set by id, as a lookup by name costs a search of all styles.
STYLE_IDS = {"Heading 1": "Heading1", "Heading 2": "Heading2", "Title": "Title", "TOC Heading": "TOCHeading",
             "List Bullet": "ListBullet"}


def paragraph(doc: Document, text: str = "", style: str | None = None) -> Paragraph:
    """A paragraph with a built-in paragraph style (by name, see :data:`STYLE_IDS`)."""
    p = doc.add_paragraph(text)
    if style is not None:
        p._p.get_or_add_pPr().style = STYLE_IDS[style]
    return p


def table(doc: Document, header: Sequence[str] | None, rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
          *, size: float | None = None, height_cm: float | None = None, together: bool = False,
          ids: bool = False, bold_labels: bool = False) -> list[list[_Cell]]:
    """A ``Table Grid`` table with fixed column widths (in cm), a bold header row repeated on every
    page, and rows that do not break across pages (at least ``height_cm`` high, text centred). Text is
    9 pt (the table style's size, see :func:`setup`) unless ``size`` is given. ``together`` keeps the
    whole table on one page with the paragraph before it (Word's way: every row keeps with the next).
    ``ids``: hyphens in body cells are non-breaking (``w:noBreakHyphen``), so «ROS-3» never splits.
    ``bold_labels``: the first column in bold. Returns the cells, row by row (header first)."""
    all_rows = ([list(header)] if header else []) + [list(r) for r in rows]
    t: Table = doc.add_table(rows=len(all_rows), cols=len(widths_cm))
    t._tbl.tblPr.style = "TableGrid"
    t.autofit = False  # w:tblLayout fixed: the widths below hold in Word and LibreOffice
    for i, col in enumerate(t.columns):
        col.width = Cm(widths_cm[i])
    cells = t._cells
    n = len(widths_cm)
    for r, (row, values) in enumerate(zip(t.rows, all_rows, strict=True)):
        _no_split(row)
        if height_cm:
            row.height = Cm(height_cm)
        row_cells = cells[r * n:(r + 1) * n]
        for cell, value, width in zip(row_cells, values, widths_cm, strict=True):
            cell.width = Cm(width)
            if height_cm:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            run = cell.paragraphs[0].add_run(value if not (ids and r) else None)
            if ids and r:
                _no_break_text(run, value)
            if size:
                run.font.size = Pt(size)
            if (header and r == 0) or (bold_labels and cell is row_cells[0]):
                run.bold = True
            if together and r < len(all_rows) - 1:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    if header:
        trpr = t.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))
    return [cells[r * n:(r + 1) * n] for r in range(len(all_rows))]


def _no_break_text(run: Any, text: str) -> None:
    """``text`` into ``run`` with Word's non-breaking hyphen for each «-» (python-docx reads it back as «-»)."""
    for i, part in enumerate(text.split("-")):
        if i:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if part:
            el = OxmlElement("w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = part
            run._r.append(el)


def _no_split(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

