"""How the standard workbook looks on screen and on paper: font, column widths, row heights, print setup.

The workbook's font is Arial 10: Excel on Windows has it, and LibreOffice substitutes a metric
twin (Liberation Sans or Nimbus Sans), so widths measured here hold in both. (Calibri, openpyxl's
default, becomes a wider font where it is missing, and text then overflows its cells.)

Widths are in Excel's unit, the width of the digit 0: most letters of Arial are about that wide,
``i l j f t r`` and punctuation half, ``m w`` and capitals such as ``O D`` half as much again
(:func:`text_width`). Neither Excel nor LibreOffice fits a row's height
to wrapped text when it opens an ``.xlsx`` file, so rows that wrap get a height computed from
their text (:func:`wrapped_lines`, :func:`row_height`). Every printed sheet is A4 at a fixed
scale, so the print never shrinks below :data:`MIN_PRINT_PT`; a wide sheet takes more pages, with
its titles repeated on each.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence

from openpyxl.styles import Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from rosxl.criteria.model import Language

FONT_NAME, FONT_SIZE = "Arial", 10
#: Height of one line of Arial 10, in points, and of a row of one line.
LINE_PT, MIN_ROW_PT = 12.75, 15.0
MAX_ROW_PT = 409.0  # Excel's limit
#: The smallest body text on paper, in points: the scale of a printed sheet is at least this / FONT_SIZE.
MIN_PRINT_PT = 8.5
#: Widths of Arial's characters in digit widths, measured (Liberation Sans): most are about 1.
_NARROW, _WIDE = frozenset("ijlftrI .,;:/'()-!|"), frozenset("mwMWæÆ%GOQØCDHNRU")
_BOLD = 1.08  # bold is this much wider
_PADDING = 1.2  # digit widths a cell's margins take
MAX_HEADER = 200  # characters of a page header's title (Excel allows 255 for the whole header)
#: A4 in points (short, long side), and the margins :func:`print_setup` sets, in inches.
A4_PT = (595.3, 841.9)
SIDE_MARGIN, END_MARGIN = 0.4, 0.75
#: Shares of the printable width and height planned for, leaving room for the engines' rounding.
_FIT_ACROSS, _FIT_DOWN = 0.95, 0.97


def font(*, bold: bool = False, size: float = FONT_SIZE, color: str | None = None) -> Font:
    """The workbook's font, named explicitly (a font without a name falls back to the application's own)."""
    return Font(name=FONT_NAME, size=size, bold=bold, color=color)


def text_width(text: str, *, bold: bool = False) -> float:
    """Column width that shows ``text`` on one line."""
    return _span(text, bold) + _PADDING


def _span(text: str, bold: bool) -> float:
    """Width of ``text`` in digit widths."""
    width = sum(0.5 if c in _NARROW else 1.45 if c in _WIDE else 1.0 for c in text)
    return width * _BOLD if bold else width


def word_width(texts: Iterable[str], *, bold: bool = False) -> float:
    """Column width that shows the longest word of ``texts`` unbroken."""
    return max((text_width(w, bold=bold) for t in texts for w in t.split()), default=0.0)


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """Lines ``text`` takes in a wrapping cell ``width`` wide (greedy word wrap, long words broken)."""
    room = max(width - _PADDING, 1.0)
    if "\n" not in text and len(text) * 1.45 * (_BOLD if bold else 1) <= room:
        return 1  # short enough whatever its letters
    space = _span(" ", bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            w = _span(word, bold)
            if used and used + space + w > room:
                lines += 1
                used = 0.0
            if w > room:  # a word longer than the line is broken
                lines += math.ceil(w / room) - 1
                w = w - (math.ceil(w / room) - 1) * room
            used += w + (space if used else 0.0)
    return lines


def row_height(lines: int, *, size: float = FONT_SIZE) -> float | None:
    """Row height in points for ``lines`` lines of text, or ``None`` when the default row holds it."""
    if lines <= 1 and size <= FONT_SIZE:
        return None
    return min(MAX_ROW_PT, max(MIN_ROW_PT, math.ceil(lines * LINE_PT * size / FONT_SIZE + 3)))


def print_setup(ws: Worksheet, *, landscape: bool, scale: int = 100, title: str, language: Language) -> None:
    """A4 at ``scale`` per cent (never below :data:`MIN_PRINT_PT`), with Norwegian page header and footer.

    The header names the analysis (``title``) and the sheet; the footer the print date and «Side n av m».
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.scale = max(scale, math.ceil(100 * MIN_PRINT_PT / FONT_SIZE))
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = END_MARGIN
    ws.page_margins.header = ws.page_margins.footer = 0.3
    header, footer = ws.HeaderFooter.oddHeader, ws.HeaderFooter.oddFooter
    assert header is not None and footer is not None  # openpyxl creates them with the sheet
    texts = ((header.left, header_title(title)), (header.right, "&A"),
             (footer.left, "Skrive ut &D" if language == "nn" else "Skrevet ut &D"), (footer.right, "Side &P av &N"))
    for part, text in texts:
        part.text, part.font, part.size = text, FONT_NAME, FONT_SIZE


def printable(*, landscape: bool, scale: int) -> tuple[float, float]:
    """Sheet width in digit widths and sheet height in points that one page holds at ``scale`` per cent."""
    short, long = A4_PT
    across, down = (long, short) if landscape else (short, long)
    width = (across - 144 * SIDE_MARGIN) * 100 / scale * _FIT_ACROSS
    height = (down - 144 * END_MARGIN) * 100 / scale * _FIT_DOWN
    return width / 5.25, height  # a column w digits wide is about 5.25 w points (7 px a digit, 0.75 pt a px)


def fit_widths(rows: Sequence[Sequence[tuple[str, bool] | None]], minimum: Sequence[float],
               total: float) -> list[float]:
    """Column widths, each at least ``minimum``, summing to at most ``total``, that make ``rows`` lowest.

    ``rows`` holds each row's cells as (text, bold) or ``None``. Starting from the minimums, the
    width left is given step by step to the column whose widening saves the most lines per digit
    width, so long lists get room and nearly empty columns stay narrow.
    """
    widths = [math.ceil(m) for m in minimum]
    cells = [[(i, c) for i, c in enumerate(row) if c is not None and i < len(widths)] for row in rows]
    known: dict[tuple[int, float], list[int]] = {}  # a column's lines at a width, measured once

    def lines(i: int, width: float) -> list[int]:
        if (i, width) not in known:
            known[i, width] = [max((wrapped_lines(t, width, bold=b) for j, (t, b) in row if j == i), default=1)
                               for row in cells]
        return known[i, width]

    current = [lines(i, w) for i, w in enumerate(widths)]
    while (room := total - sum(widths)) >= 1:
        tallest = [max(range(len(widths)), key=lambda j: current[j][r]) for r in range(len(cells))]
        best: tuple[float, int, int, list[int]] | None = None
        for i, width in enumerate(widths):
            # each row's lines in the other columns: the tallest's, unless that is this column
            others = [max((current[j][r] for j in range(len(widths)) if j != i), default=1) if tallest[r] == i
                      else current[tallest[r]][r] for r in range(len(cells))]
            before = sum(map(max, others, current[i]))
            for step in range(1, min(int(room), 40) + 1):
                after = lines(i, width + step)
                saved = before - sum(map(max, others, after))
                if saved > 0:
                    if best is None or saved / step > best[0]:
                        best = (saved / step, i, step, after)
                    break
        if best is None:
            break
        _, i, step, after = best
        widths[i] += step
        current[i] = after
    return [float(w) for w in widths]


def page_breaks(heights: Sequence[float], starts: Sequence[int], page: float,
                blank: Collection[int] = ()) -> list[int]:
    """Rows (0-based) before which a page should break so that no part crosses a page when it fits on one.

    ``heights`` are the rows' heights in points, ``starts`` the first rows of the parts (sections,
    matrices), ``page`` the height one page holds; the ``blank`` rows that end a part may fall off
    its page. A part longer than a page starts on a new page and breaks where a page is full: every
    break is given, so an engine never breaks a page by its own (slightly different) measure.
    """
    breaks, used = [], 0.0
    bounds = [*starts, len(heights)]
    for first, end in zip(bounds, bounds[1:], strict=False):
        last = next((r for r in range(end - 1, first - 1, -1) if r not in blank), first)
        if used and used + sum(heights[first:last + 1]) > page:
            breaks.append(first)
            used = 0.0
        for r in range(first, end):
            if used and used + heights[r] > page and r not in blank:
                breaks.append(r)
                used = 0.0
            used += heights[r]
    return breaks


def header_title(title: str) -> str:
    """``title`` as the text of a page header: one line, ``&`` escaped, cut to :data:`MAX_HEADER` characters."""
    return " ".join(title.split())[:MAX_HEADER].replace("&", "&&")
