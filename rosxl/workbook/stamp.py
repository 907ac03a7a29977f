"""Write the standard workbook fast: stamp an analysis into a cached template.

Everything in the workbook except the analysis's own values depends only on the criteria, the
written form, the flavour and the size of the Scenarier table. :func:`template` builds that once
with :func:`rosxl.workbook.write.build_workbook` (an analysis without scenarios), saves it and
keeps it, in memory and on disk (:mod:`rosxl.workbook.cache`); :func:`prepare` readies the common
ones before a batch's workers start, :func:`warm` at install time. :func:`stamp` then copies every
part of the template (compressed ahead, :mod:`rosxl.workbook.package`) and fills in the input cells
of the Scenarier table and the metadata and report of the hidden data sheet, written as openpyxl
writes them (inline strings, numbers with 16 significant digits, the cell's style kept). It also
gives each filled row of wrapped text its height (:func:`rosxl.workbook.write.scenario_row_height`)
and puts the analysis's title into the page headers. Values it does not write this way make it
return ``False``; the caller then uses openpyxl.
"""

from __future__ import annotations

import io
import math
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.xml import LXML

from rosxl.analysis import Analysis
from rosxl.criteria import Criteria
from rosxl.criteria.model import Language
from rosxl.workbook import cache
from rosxl.workbook.layout import FIRST_ROW, SHEET, Flavour, Layout, layout_for
from rosxl.workbook.ooxml import fix_parts
from rosxl.workbook.package import AHEAD_LEVEL, Part, Run, package
from rosxl.workbook.page import header_title
from rosxl.workbook.write import (
    DATA_SHEET,
    analysis_title,
    build_workbook,
    data_rows,
    scenario_cells,
    scenario_row_height,
    table_rows,
)

_DATA_KEYS = ("metadata", "report")
_ROW = re.compile(r'<row r="(\d+)"[^>]*>(.*?)</row>', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"((?: [a-z]+="[^"]*")*) ?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(r' s="\d+"')
_CORE_TIME = re.compile(r'(<dcterms:(?:created|modified) xsi:type="dcterms:W3CDTF">)[^<]*')

Cells = dict[tuple[int, int], Any]


class _Slot(NamedTuple):
    """One cell the analysis fills: its column, its opening tag (with the template's style) and the
    template's empty cell."""

    column: int
    opening: str
    empty: str


class _Row(NamedTuple):
    """One row of a template's sheet cut at its slots: ``static[i]`` is the XML before ``slots[i]``
    (the first holds the row's opening tag), ``tail`` the XML after the last."""

    static: tuple[str, ...]
    slots: tuple[_Slot, ...]
    tail: str


@dataclass
class _Sheet:
    """A template's worksheet: its XML, where each row it fills begins and ends, and those rows cut
    at their slots, each when it is first filled (a batch rarely fills a table to its end)."""

    xml: str
    wanted: dict[int, list[int]]  # row → the columns filled, ascending
    spans: dict[int, tuple[int, int, int, int]]  # row → start, content start, content end, end
    ascii: bool  # byte offsets are string offsets
    cut: dict[int, _Row] = field(default_factory=dict)

    def fill(self, cells: Cells, heights: dict[int, float] | None = None) -> tuple[str, int]:
        """The XML up to the last row of ``cells`` (row, column → value), filled in and with rows given
        ``heights`` (points), and the byte of the template's XML where the rest follows unchanged."""
        last = max((r for r, _ in cells), default=0)
        out: list[str] = []
        pos = 0
        heights = heights or {}
        for r in self.wanted:
            if r > last:
                break
            start, _, _, end = self.spans[r]
            row = self.cut.get(r) or self._cut(r)
            out.append(self.xml[pos:start])
            first = row.static[0]
            if r in heights:
                tag = f'<row r="{r}"'
                first = first.replace(tag, f'{tag} ht="{heights[r]:g}" customHeight="1"', 1)
            for slot, static in zip(row.slots, (first, *row.static[1:]), strict=True):
                value = cells.get((r, slot.column))
                out += (static, slot.empty if value is None else _cell(slot.opening, value))
            out.append(row.tail)
            pos = end
        if not out:
            return "", 0
        return "".join(out), pos if self.ascii else len(self.xml[:pos].encode())

    def _cut(self, r: int) -> _Row:
        self.cut[r] = _cut_row(self.xml, r, self.wanted[r], self.spans[r])
        return self.cut[r]


@dataclass(frozen=True)
class Template:
    """The parts of a workbook without an analysis, and its two cut worksheets with their part names."""

    layout: Layout
    parts: dict[str, bytes]
    packed: dict[str, Part]  # the parts that do not change per workbook, compressed ahead
    table: tuple[str, _Sheet]
    data: tuple[str, _Sheet]
    data_rows: dict[str, int]  # sheet row of the metadata and the report on the data sheet
    titles: dict[str, tuple[int, int]]  # the bytes of the analysis title in each page header, by part
    runs: dict[tuple[str, int, int], Run] = field(default_factory=dict)  # spans of parts deflated so far

    def rest(self, name: str, start: int, title: bytes | None) -> list[bytes | Run]:
        """Part ``name`` from byte ``start`` on, with ``title`` (as written) in its page header if given:
        the template's spans deflated once, the title per file."""
        end = len(self.parts[name])
        if title is None or name not in self.titles:
            return [self._run(name, start, end)]
        first, last = self.titles[name]
        return [self._run(name, start, first), title, self._run(name, last, end)]

    def _run(self, name: str, start: int, end: int) -> Run:
        key = (name, start, end)
        if key not in self.runs:
            self.runs[key] = Run.of(self.parts[name][start:end])
        return self.runs[key]


def stamp(analysis: Analysis, language: Language, flavour: Flavour, path: Path) -> bool:
    """Write ``analysis`` to ``path`` from the cached template; ``False`` (nothing written) if it cannot."""
    scenarios = analysis.scenarios
    tpl = template(analysis.criteria, language, flavour, table_rows(len(scenarios)))
    table: Cells = {}
    heights: dict[int, float] = {}
    for r, s in enumerate(scenarios, start=FIRST_ROW):
        cells = scenario_cells(s, tpl.layout)
        for column, value in cells.items():
            table[r, column] = value
        height = scenario_row_height(cells, tpl.layout)
        if height is not None:
            heights[r] = height
    data: Cells = {}
    for key, *values in data_rows(analysis, language, flavour):
        if key in tpl.data_rows:
            if len(values) != 1:  # a value longer than one cell: let openpyxl write the chunks
                return False
            data[tpl.data_rows[key], 2] = values[0]
    if not all(_writable(v) for v in table.values()):
        return False
    title, default = analysis_title(analysis, language), analysis_title(Analysis(analysis.criteria), language)
    written = _written(title) if title != default else None
    parts = {n: tpl.packed.get(n) for n in tpl.parts}
    if written is not None:  # the other printed sheets; the two filled ones take the title below
        for name in tpl.titles.keys() - {tpl.table[0], tpl.data[0]}:
            parts[name] = Part.joined(name, tpl.rest(name, 0, written))
    head, rest = tpl.table[1].fill(table, heights)
    parts[tpl.table[0]] = Part.joined(tpl.table[0], [head.encode(), *tpl.rest(tpl.table[0], rest, written)])
    data_head, data_rest = tpl.data[1].fill(data)
    parts[tpl.data[0]] = Part.joined(tpl.data[0], [data_head.encode(), *tpl.rest(tpl.data[0], data_rest, written)])
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    core = "docProps/core.xml"
    parts[core] = Part.of(core, _CORE_TIME.sub(rf"\g<1>{now}", tpl.parts[core].decode()).encode())
    path.write_bytes(package([p for p in parts.values() if p is not None]))
    return True


#: The Scenarier table of a typical legacy analysis (21–80 scenarios), built ahead by :func:`prepare`.
COMMON_ROWS = table_rows(50)
#: The table sizes :func:`warm` builds at install time: every size up to 80 scenarios.
INSTALL_ROWS = tuple(dict.fromkeys(table_rows(n) for n in range(81)))


def prepare(criteria: Criteria, languages: Iterable[Language] = ("nb",), flavour: Flavour = "native",
            sizes: Iterable[int] = (COMMON_ROWS,)) -> int:
    """Have the templates for ``criteria`` in ``languages`` and table ``sizes`` ready in this process
    (read from the disk cache, else built and stored there); return how many had to be built.

    A batch calls this once before its workers start: a forked worker inherits the templates in
    memory, any other reads them from the disk cache, so no two workers build the same template."""
    built = 0
    for language in dict.fromkeys(languages):
        for rows in dict.fromkeys(sizes):
            built += not cache.has(cache.template_key(criteria, language, flavour, rows))
            template(criteria, language, flavour, rows)
    return built


def warm(criteria: Iterable[Criteria]) -> tuple[int, int]:
    """Fill the disk cache ahead (at install time) for each of ``criteria``: both written forms, the
    native flavour, the :data:`INSTALL_ROWS` sizes. Returns (templates built now, templates ready)."""
    unique = list(dict.fromkeys(criteria))
    languages: tuple[Language, ...] = ("nb", "nn")
    built = sum([prepare(c, languages, sizes=INSTALL_ROWS) for c in unique])
    return built, len(unique) * len(languages) * len(INSTALL_ROWS)


@lru_cache(maxsize=24)  # a batch's criteria (as given and with «samlet») × forms × sizes, about 1 MB each
def template(criteria: Criteria, language: Language, flavour: Flavour, rows: int) -> Template:
    """The workbook for ``criteria`` without scenarios, with a Scenarier table of ``rows`` rows."""
    layout = layout_for(criteria, language, flavour)
    key = cache.template_key(criteria, language, flavour, rows)
    parts = _cached_parts(key)
    if parts is None:
        buffer = io.BytesIO()
        build_workbook(Analysis(criteria), language, flavour, rows=rows).save(buffer)
        parts = fix_parts(_unzip(buffer.getvalue()))  # stored fixed: a worker that loads it only unzips
        cache.store(key, package([Part.of(n, c) for n, c in parts.items()]))
    names = re.findall(r'<sheet [^>]*?name="([^"]*)"', parts["xl/workbook.xml"].decode())
    part = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(names, start=1)}  # openpyxl's order
    inputs = [c.index for c in layout.input_columns]
    table = {r: inputs for r in range(FIRST_ROW, FIRST_ROW + rows)}
    data = {key: r for r, (key, *_) in enumerate(data_rows(Analysis(criteria), language, flavour), start=1)
            if key in _DATA_KEYS}
    per_file = {part[SHEET], part[DATA_SHEET], "docProps/core.xml"}
    packed = {n: Part.of(n, c, AHEAD_LEVEL) for n, c in parts.items() if n not in per_file}
    title = _written(analysis_title(Analysis(criteria), language))
    titles = {}
    for name in part.values():
        header = parts[name].find(b"<oddHeader>")
        at = parts[name].find(title, header) if header >= 0 else -1
        if at >= 0:
            titles[name] = (at, at + len(title))
    return Template(layout, parts, packed, (part[SHEET], _sheet(parts[part[SHEET]].decode(), table)),
                    (part[DATA_SHEET], _sheet(parts[part[DATA_SHEET]].decode(), {r: [2] for r in data.values()})),
                    data, titles)


def _written(title: str) -> bytes:
    """An analysis title as openpyxl writes it in a page header."""
    return escape(header_title(title)).encode("ascii", "xmlcharrefreplace")


def _cached_parts(key: str) -> dict[str, bytes] | None:
    """The parts of the template cached under ``key``; ``None`` when missing or not a whole workbook."""
    data = cache.load(key)
    if data is None:
        return None
    try:
        parts = _unzip(data)
    except (zipfile.BadZipFile, EOFError, OSError):
        return None
    return parts if {"xl/workbook.xml", "docProps/core.xml"} <= parts.keys() else None


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _sheet(xml: str, wanted: dict[int, list[int]]) -> _Sheet:
    """``xml`` ready to be filled in the cells ``wanted`` (row → ascending columns)."""
    spans = {int(m[1]): (m.start(), m.start(2), m.end(2), m.end()) for m in _ROW.finditer(xml) if int(m[1]) in wanted}
    missing = set(wanted) - set(spans)
    if missing:  # every table row holds formulas, every data row its key: a change in write.py broke this
        raise AssertionError(f"template rows without cells: {sorted(missing)[:5]}")
    return _Sheet(xml, dict(sorted(wanted.items())), spans, xml.isascii())


def _cut_row(xml: str, row: int, columns: list[int], span: tuple[int, int, int, int]) -> _Row:
    """Row ``row`` cut at the cells of ``columns``, existing (empty, styled) or not."""
    start, content, content_end, end = span
    static: list[str] = []
    slots: list[_Slot] = []
    text: list[str] = []
    pos = start

    def slot(column: int, attributes: str, empty: str) -> None:
        static.append("".join(text))
        text.clear()
        style = _STYLE.search(attributes)
        slots.append(_Slot(column, f'<c r="{get_column_letter(column)}{row}"{style[0] if style else ""}', empty))

    found = _find_cells(xml, row, columns, content, content_end)
    if found is not None:  # every wanted cell is there (as the templates write them): found directly
        for column, (cell_start, cell_end, attributes) in zip(columns, found, strict=True):
            text.append(xml[pos:cell_start])
            slot(column, attributes, xml[cell_start:cell_end])
            pos = cell_end
        return _Row(tuple(static), tuple(slots), xml[pos:end])
    todo = iter(columns)
    wanted = next(todo, None)
    for cell in _CELL.finditer(xml, content, content_end):
        text.append(xml[pos:cell.start()])
        pos = cell.end()
        at = column_index_from_string(cell[1])
        while wanted is not None and wanted < at:
            slot(wanted, "", "")
            wanted = next(todo, None)
        if wanted == at:
            slot(wanted, cell[2], cell[0])
            wanted = next(todo, None)
        else:
            text.append(cell[0])
    text.append(xml[pos:content_end])
    pos = content_end
    while wanted is not None:
        slot(wanted, "", "")
        wanted = next(todo, None)
    return _Row(tuple(static), tuple(slots), "".join(text) + xml[pos:end])


def _find_cells(xml: str, row: int, columns: list[int], start: int, end: int) -> list[tuple[int, int, str]] | None:
    """Where each of ``columns`` has its cell in the row between ``start`` and ``end``: (start, end,
    attributes after the reference); ``None`` when one is missing (then every cell is read)."""
    found = []
    for column in columns:
        opening = f'<c r="{get_column_letter(column)}{row}"'
        at = xml.find(opening, start, end)
        if at < 0:
            return None
        tag_end = xml.index(">", at)
        closed = xml[tag_end - 1] == "/"
        start = tag_end + 1 if closed else xml.index("</c>", tag_end) + 4
        found.append((at, start, xml[at + len(opening):tag_end - closed]))
    return found


def _writable(value: Any) -> bool:
    return isinstance(value, str) or (type(value) in (int, float) and math.isfinite(value))


def _cell(opening: str, value: Any) -> str:
    if isinstance(value, str):  # an inline string is text whatever it starts with
        text = escape(value)
        if LXML:  # openpyxl with lxml writes character references for CR and non-ASCII letters
            text = text.replace("\r", "&#13;")
            if not text.isascii():
                text = text.encode("ascii", "xmlcharrefreplace").decode()
        return f'{opening} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'{opening} t="n"><v>{value:.16g}</v></c>'  # as openpyxl's safe_string
