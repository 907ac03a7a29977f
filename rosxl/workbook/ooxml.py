"""Save a workbook as Excel writes it where openpyxl's output differs.

- **Font order.** ECMA-376 lets a font's child elements come in any order, but the Open XML SDK's
  validator (and the ``openxml-audit`` port of it) models ``CT_Font`` as a fixed sequence and
  rejects openpyxl's order (``name, family, color, sz`` …; Open-XML-SDK#737). Excel opens either;
  :func:`fix_styles` puts the children in the SDK's sequence, so a schema check reports what matters.
- **Shared formulas.** openpyxl writes every formula in full; Excel writes a column of formulas
  that differ only in their relative rows once, as a *shared formula* (ECMA-376 §18.3.1.40: the
  first cell holds the text and the range, the others ``<f t="shared" si="…"/>``).
  :func:`share_formulas` does the same, which makes the Scenarier sheet about a quarter of its size
  and so a conversion's workbook faster to write and to open.

:func:`fix_parts` works on the parts of the zip, so the stamped templates
(:mod:`rosxl.workbook.stamp`) and openpyxl's own saves (:func:`save_workbook`) come out the same.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

STYLES = "xl/styles.xml"
#: CT_Font's sequence in the SDK's schema.
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
              "family", "charset", "scheme")
_RANK = {name: i for i, name in enumerate(FONT_ORDER)}
_FONT = re.compile(rb"<font>(.*?)</font>", re.S)
_CHILD = re.compile(rb"<(\w+)\b[^<>]*/>")
_WORKSHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
#: A cell with a plain formula, as openpyxl writes it: column, row, the formula's text span.
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*><f>([^<]*)</f>')
#: A cell reference in a formula (outside strings): not part of a name, a function or a longer reference.
_REFERENCE = re.compile(r"(?<![\w.$])(\$?[A-Z]{1,3})(\$?)(\d+)(?![\w(.])")


def fix_styles(xml: bytes) -> bytes:
    """``xl/styles.xml`` with every font's children (cell and conditional-format fonts) in CT_Font's order."""
    return _FONT.sub(_sorted_font, xml)


def _sorted_font(match: re.Match[bytes]) -> bytes:
    children = [(m[1].decode(), m[0]) for m in _CHILD.finditer(match[1])]
    if b"".join(c for _, c in children) != match[1].replace(b"\n", b"") or any(n not in _RANK for n, _ in children):
        return match[0]  # not the flat list of empty elements openpyxl writes: leave it
    return b"<font>" + b"".join(c for _, c in sorted(children, key=lambda nc: _RANK[nc[0]])) + b"</font>"


def share_formulas(xml: bytes) -> bytes:
    """A worksheet's XML with each run of two or more cells down a column whose formulas are the same
    relative to their rows written as one shared formula."""
    runs: dict[bytes, list[list[re.Match[bytes]]]] = {}  # column → runs of cells, top to bottom
    last: dict[bytes, tuple[int, str]] = {}  # column → (row, relative form) of its last formula cell
    for cell in _FORMULA_CELL.finditer(xml):
        column, row = cell[1], int(cell[2])
        form = _relative(cell[3].decode(), row)
        if last.get(column) == (row - 1, form):
            runs[column][-1].append(cell)
        else:
            runs.setdefault(column, []).append([cell])
        last[column] = (row, form)
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) of formula spans
    index = 0
    for column_runs in runs.values():
        for run in column_runs:
            if len(run) < 2:
                continue
            first, *rest = run
            ref = b"%s%s:%s%s" % (first[1], first[2], first[1], run[-1][2])
            edits.append((first.start(3) - 3, first.end(3) + 4,
                          b'<f t="shared" ref="%s" si="%d">%s</f>' % (ref, index, first[3])))
            edits += [(c.start(3) - 3, c.end(3) + 4, b'<f t="shared" si="%d"/>' % index) for c in rest]
            index += 1
    if not edits:
        return xml
    edits.sort()
    out: list[bytes] = []
    pos = 0
    for start, end, replacement in edits:
        out += (xml[pos:start], replacement)
        pos = end
    out.append(xml[pos:])
    return b"".join(out)


def _relative(formula: str, row: int) -> str:
    """``formula`` with each relative row of a cell reference (outside strings) written relative to ``row``:
    two cells whose forms are equal hold the same formula as Excel shares it."""
    pieces = formula.split('"')
    for i in range(0, len(pieces), 2):  # the even pieces are outside string literals
        pieces[i] = _REFERENCE.sub(lambda m: m[0] if m[2] else f"{m[1]}R[{int(m[3]) - row}]", pieces[i])
    return '"'.join(pieces)


def fix_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts of a workbook (name → content) with :func:`fix_styles` and :func:`share_formulas` applied."""
    if STYLES in parts:
        parts[STYLES] = fix_styles(parts[STYLES])
    for name, content in parts.items():
        if _WORKSHEET.fullmatch(name):
            parts[name] = share_formulas(content)
    return parts


def save_workbook(wb: Workbook, path: str | Path | io.BytesIO) -> None:
    """Save ``wb`` as openpyxl does, with the parts fixed by :func:`fix_parts`."""
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        infos = zf.infolist()
        parts = fix_parts({i.filename: zf.read(i) for i in infos})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename])
