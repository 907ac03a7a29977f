"""What the ``ros_*`` worksheet functions compute, on plain Python values (no xlwings here).

:mod:`rosxl.udfs` turns Excel's argument shapes into the plain values these functions take and
their results back into cells; :mod:`rosxl.excel.freeze` calls the same functions for a saved
workbook. Results are classes (``int``), scores (``int``), zone labels in the criteria's own
written form (``"Rød – uakseptabel"``, which the template's conditional formatting matches), or
``None`` for an empty cell. A value that cannot be read raises
:class:`~rosxl.errors.ClassificationError` whose ``message`` is the short Norwegian reason
shown in the cell, for example ``ukjent sannsynlighet: «tull»``.

Criteria come from the workbook's criteria block (the defined name ``ros_kriterier`` on the
Kriterier sheet, read by :func:`rosxl.workbook.criteria_sheet.criteria_from_grid`), from a
preset name, from a criteria token, or default to the ``standard`` preset.

The token keeps calls light: one cell ``=ros_kriterier_last(ros_kriterier)`` passes the block
once; :func:`load_token` parses it and returns ``rosxl-krit:`` plus 12 hex digits of the block's
digest, and every other call passes that one cell instead of the whole block. Excel recalculates
the token cell first whenever the block changes (it depends on it), and a new block gives a new
token, so every dependent cell follows. Parsed criteria live in a bounded in-process cache; after
a Python restart a token is unknown and the cell asks for a full recalculation (Ctrl+Alt+F9),
which recalculates the token cell and so loads the criteria again. A token cannot reload by
itself: it carries only the digest, not the block.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from rosxl.criteria import Criteria, Reading, load_criteria
from rosxl.errors import ClassificationError, CriteriaError, UnknownAreaError
from rosxl.text import as_int, clean

DEFAULT_PRESET = "standard"
#: What a criteria token starts with; 12 hex digits of the block's digest follow.
TOKEN_PREFIX = "rosxl-krit:"
#: How many loaded criteria the token cache keeps (one per open workbook and criteria version).
TOKEN_CACHE_SIZE = 32
TOKEN_UNKNOWN = "kriteriene er ikke lastet – trykk Ctrl+Alt+F9"
#: The heading ``table_zones`` gives a table's header row.
ZONE_HEADING = "Sone"

Grid = tuple[tuple[object, ...], ...]


def is_empty(value: object) -> bool:
    """An empty cell: ``None``, blank text or NaN."""
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


class CriteriaNotLoadedError(ClassificationError):
    """A criteria token this Python process has not loaded (it was restarted, or the token is foreign)."""

    code = "criteria-not-loaded"


# --- criteria ---------------------------------------------------------------------------------


def criteria_for(kriterier: object) -> Criteria:
    """Criteria from a token, a criteria block (rows of cells), a preset name, or the default preset."""
    if is_empty(kriterier):
        return _preset(DEFAULT_PRESET)
    if isinstance(kriterier, str) and kriterier.strip().startswith(TOKEN_PREFIX):
        found = _TOKENS.get(kriterier.strip())
        if found is None:
            raise CriteriaNotLoadedError(TOKEN_UNKNOWN)
        _TOKENS.move_to_end(kriterier.strip())
        return found
    if isinstance(kriterier, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", kriterier.strip()):
        return _preset(kriterier.strip())
    grid = _grid(kriterier)
    if grid is not None:
        return _from_grid(grid)
    raise CriteriaError("kriterier må være hele kriterieblokken på arket Kriterier (navnet ros_kriterier), "
                        "et kriterietegn fra ros_kriterier_last eller navnet på et innebygd kriteriesett")


def load_token(kriterier: object) -> str:
    """Parse the criteria once, keep them in the token cache and return their token.

    The token is :data:`TOKEN_PREFIX` plus the first 12 hex digits of a SHA-256 digest of the
    block's cells (types included, so ``3`` and ``"3"`` differ), or of the preset name.
    """
    if isinstance(kriterier, str) and kriterier.strip().startswith(TOKEN_PREFIX):
        raise CriteriaError("ros_kriterier_last trenger selve kriterieblokken (ros_kriterier), ikke et kriterietegn")
    criteria = criteria_for(kriterier)
    grid = _grid(kriterier)
    source = repr(grid) if grid is not None else repr(DEFAULT_PRESET if is_empty(kriterier) else str(kriterier).strip())
    token = TOKEN_PREFIX + hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    _TOKENS[token] = criteria
    _TOKENS.move_to_end(token)
    while len(_TOKENS) > TOKEN_CACHE_SIZE:
        _TOKENS.popitem(last=False)
    return token


_TOKENS: OrderedDict[str, Criteria] = OrderedDict()


def _grid(kriterier: object) -> Grid | None:
    """The block as a tuple of rows, or ``None`` when ``kriterier`` is not a block."""
    if isinstance(kriterier, Sequence) and not isinstance(kriterier, str) and kriterier and all(
            isinstance(row, Sequence) and not isinstance(row, str) for row in kriterier):
        return tuple(tuple(row) for row in kriterier)
    return None


@lru_cache(maxsize=8)
def _preset(name: str) -> Criteria:
    return load_criteria(name)


@lru_cache(maxsize=16)
def _from_grid(grid: Grid) -> Criteria:
    from rosxl.workbook.criteria_sheet import criteria_from_grid

    return criteria_from_grid([list(row) for row in grid])


def zone_label(criteria: Criteria, zone: str | None) -> str | None:
    """The zone's label in the criteria's written form, ``None`` for no zone."""
    return criteria.zone_def(zone).label(criteria.language) if zone is not None else None


# --- reading values -----------------------------------------------------------------------------


class Reader:
    """Reads probabilities and consequences against criteria, each distinct value once."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self._memo: dict[tuple[str | None, str, object], Reading] = {}

    def probability(self, value: object) -> int | None:
        """The probability class; ``None`` for an empty cell."""
        return self._value(self._read("", None, value))

    def consequence(self, value: object, area: str | None = None) -> int | None:
        """The consequence class in ``area`` (key or label); without an area, see :meth:`_any_area`."""
        key = self.criteria.area(area).key if area is not None else None
        return self._value(self._read("k", key, value))

    def area_key(self, area: object) -> str | None:
        """The key of an area given by key or label; ``None`` for an empty cell."""
        if is_empty(area):
            return None
        try:
            return self.criteria.area(clean(area)).key
        except UnknownAreaError as exc:
            raise ClassificationError(exc.message) from exc

    def _read(self, what: str, area: str | None, value: object) -> Reading:
        if is_empty(value):
            return Reading(None)
        memo_key = (area, what, value)
        found = self._memo.get(memo_key)
        if found is None:
            if what == "":
                found = self.criteria.read_probability(value)
            elif area is not None:
                found = self.criteria.read_consequence(area, value)
            else:
                found = self._any_area(value)
            self._memo[memo_key] = found
        return found

    def _any_area(self, value: object) -> Reading:
        """A class without an area: the class every area that can read ``value`` agrees on.

        Class numbers and the scale's words read the same in every area; a fact such as
        "2 mill" is read by the one area whose unit it has (økonomi).
        """
        readings = [self.criteria.read_consequence(a, value) for a in self.criteria.area_keys]
        classes = sorted({r.value for r in readings if r.value is not None})
        if len(classes) == 1:
            return next(r for r in readings if r.value is not None)
        text = clean(value)
        if not classes:
            return Reading(None, reason=f"ukjent konsekvens: «{text}»", text=text)
        listed = " eller ".join(map(str, classes))
        return Reading(None, reason=f"tvetydig konsekvens «{text}» (klasse {listed}): oppgi område", text=text)

    @staticmethod
    def _value(reading: Reading) -> int | None:
        if reading.value is None and reading.reason:
            raise ClassificationError(reading.reason)
        return reading.value


# --- the worksheet functions' results --------------------------------------------------------------


def zone(criteria: Criteria, probability: object, consequence: object, area: object = None) -> str | None:
    """Zone label of one probability and one consequence (classes or facts)."""
    reader = Reader(criteria)
    key = reader.area_key(area)
    p, k = reader.probability(probability), reader.consequence(consequence, key)
    return zone_label(criteria, criteria.zone(p, k, key))


def risk(criteria: Criteria, probability: object, consequence: object) -> int | None:
    """Risk score (``p × k``, or ``p + k`` for criteria scored by sum)."""
    reader = Reader(criteria)
    return criteria.risk_score(reader.probability(probability), reader.consequence(consequence))


def table_zones(criteria: Criteria, rows: Sequence[Sequence[object]]) -> list[str | None]:
    """One overall zone label per row: column 1 is probability, the others consequences.

    When the first row names consequence areas in every column after the first (a header row
    such as «Sannsynlighet | Liv og helse | Økonomi»), each column is judged with its area's
    matrix and the header row gets the heading «Sone»; otherwise every column uses the matrix
    that covers most areas. A row that cannot be read gets its reason instead of a zone.
    """
    reader = Reader(criteria)
    areas: list[str | None] = [None] * max((len(r) for r in rows), default=0)
    result: list[str | None] = []
    header = _header_areas(criteria, rows[0]) if rows else None
    if header is not None:
        areas = [None, *header]
        result.append(ZONE_HEADING)
    for row in rows[len(result):]:
        try:
            result.append(_row_zone(reader, row, areas))
        except ClassificationError as exc:
            result.append(exc.message)
    return result


def _header_areas(criteria: Criteria, row: Sequence[object]) -> list[str | None] | None:
    cells = list(row[1:])
    if not cells or not all(isinstance(c, str) and c.strip() for c in cells):
        return None
    try:
        return [criteria.area(clean(c)).key for c in cells]
    except UnknownAreaError:
        return None


def _row_zone(reader: Reader, row: Sequence[object], areas: list[str | None]) -> str | None:
    if len(row) < 2:
        raise ClassificationError("tabellen må ha sannsynlighet i første kolonne og konsekvenser i de neste")
    p = reader.probability(row[0])
    zones = [reader.criteria.zone(p, reader.consequence(v, areas[i + 1]), areas[i + 1])
             for i, v in enumerate(row[1:])]
    return zone_label(reader.criteria, reader.criteria.worst_zone(zones))


def matrix_picture(criteria: Criteria, ids: Sequence[object], probabilities: Sequence[object],
                   consequences: Sequence[object]) -> list[list[str | None]]:
    """The risk matrix with the ids in each cell, joined by ", ".

    Rows run from the highest probability class down, columns from consequence class 1 up, as
    the matrix is drawn. Rows without an id, a probability or a consequence are left out; a value
    that cannot be read raises with its row number (1 = the first cell of the ranges).
    """
    if not len(ids) == len(probabilities) == len(consequences):
        raise ClassificationError(f"ider, s og k må ha like mange celler ({len(ids)}, {len(probabilities)}, "
                                  f"{len(consequences)})")
    reader = Reader(criteria)
    n, m = criteria.probability_levels, criteria.consequence_levels_count
    cells: list[list[list[str]]] = [[[] for _ in range(m)] for _ in range(n)]
    for row, (ident, s, k) in enumerate(zip(ids, probabilities, consequences, strict=True), start=1):
        if is_empty(ident):
            continue
        try:
            p, c = reader.probability(s), reader.consequence(k)
        except ClassificationError as exc:
            raise ClassificationError(f"rad {row}: {exc.message}") from exc
        if p is not None and c is not None:
            cells[n - p][c - 1].append(id_text(ident))
    return [[", ".join(c) or None for c in line] for line in cells]


def id_text(value: object) -> str:
    """A scenario id as shown: Excel's ``3.0`` is ``"3"``."""
    whole = as_int(value) if isinstance(value, float) else None
    return str(whole) if whole is not None else clean(value)
