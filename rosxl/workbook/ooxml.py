"""Save a workbook as Excel writes it where openpyxl's order differs.

ECMA-376 lets a font's child elements come in any order, but the Open XML SDK's validator (and the
``openxml-audit`` port of it) models ``CT_Font`` as a fixed sequence and rejects openpyxl's order
(``name, family, color, sz`` …; Open-XML-SDK#737). Excel opens either; :func:`fix_parts` puts the
children in the SDK's sequence, so a schema check reports what matters. It works on the parts of
the zip, so the stamped templates (:mod:`rosxl.workbook.stamp`) and openpyxl's own saves
(:func:`save_workbook`) come out the same.
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


def fix_styles(xml: bytes) -> bytes:
    """``xl/styles.xml`` with every font's children (cell and conditional-format fonts) in CT_Font's order."""
    return _FONT.sub(_sorted_font, xml)


def _sorted_font(match: re.Match[bytes]) -> bytes:
    children = [(m[1].decode(), m[0]) for m in _CHILD.finditer(match[1])]
    if b"".join(c for _, c in children) != match[1].replace(b"\n", b"") or any(n not in _RANK for n, _ in children):
        return match[0]  # not the flat list of empty elements openpyxl writes: leave it
    return b"<font>" + b"".join(c for _, c in sorted(children, key=lambda nc: _RANK[nc[0]])) + b"</font>"


def fix_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts of a workbook (name → content) with :func:`fix_styles` applied."""
    if STYLES in parts:
        parts[STYLES] = fix_styles(parts[STYLES])
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
