"""The machine-readable criteria block of the Kriterier sheet, as a plain 2-D grid.

:func:`criteria_to_grid` lays :class:`~rosxl.criteria.Criteria` out as rows of cells
(``str``, ``int``, ``float`` or ``None``) and :func:`criteria_from_grid` reads such rows back,
with full fidelity (both written forms, bands, codes, synonyms, casualty rules, zones, matrices,
score, provenance). The workbook writes the grid at ``A1`` of the sheet «Kriterier» and covers it
with the workbook-level defined name ``ros_kriterier``; worksheet functions receive exactly this
range (numbers as floats, empty cells as ``None``, possibly with trailing empty rows/columns).

Shape: labelled tables one under another, each a title row (title in column A, the rest empty),
a header row, data rows, and a blank row. "L" is the sheet's written form (the value of
«Målform i arket»), "O" the other one; list cells (codes, synonyms, areas) are separated by ``;``.

1. «Om kriteriene» / «Om kriteria»: rows ``[field, value, value in O]`` for the fields
   Målform i arket (``nb``/``nn``, read first; it says which text columns are L and O),
   Kriteriesett (name), Versjon, Målform for kriteriene (``criteria.language``),
   Risikoskår (``product`` = S × K or ``sum`` = S + K), Tittel, Beskrivelse, Kilde, Vedtak
   (who decided the criteria, and when). Field labels are recognised in bokmål and nynorsk.
2. «Soner»: ``[key, label L, meaning L, colour RRGGBB, label O, meaning O]``, mildest zone
   first (the order is the severity).
3. «Sannsynlighet» / «Sannsyn»: ``[class, label L, description L, from, to, codes, synonyms,
   label O, description O]``; from/to are events per year, ``[from, to)``; an empty «to» is an
   open end (∞); empty from and to: no band.
4. «Konsekvensnivåer» / «Konsekvensnivå»: ``[class, label L, codes, synonyms, label O]``.
5. «Konsekvensområder» / «Konsekvensområde»: ``[key, label L, unit (NOK|days|persons or empty),
   synonyms, label O]``.
6. «Konsekvensklasser» / «Konsekvensklassar»: ``[area key, class, description L, from, to,
   casualty rules, synonyms, description O]``; casualty rules read e.g.
   ``døde ≥ 1 eller alvorlig skadde ≥ 2`` (parts joined by «og», «ingen krav» matches anyone).
7. «Sonematriser»: per matrix a header row ``[Matrise, …]``, a row ``[key, label L, areas,
   label O]``, a row ``[S \\ K, 1, 2, …]`` and one row per probability class, highest first:
   ``[class, zone, zone, …]``: each zone cell holds the zone's label in the sheet's written form
   (what an advisor reads); a zone's key (``red``) or its label in either form is read too.

:func:`criteria_block` also returns where the formulas' inputs sit inside the grid
(:class:`BlockPlaces`), so the workbook's named ranges point into this block and an edited cell
changes the zones. The dropdown lists of the Scenarier sheet («2 – Lav», see :func:`choice_text`) are
built by formulas in a column to the right of the block (``BlockPlaces.choice_column``), outside
``ros_kriterier``, from the class and label cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rosxl.criteria import Criteria, criteria_from_dict
from rosxl.criteria.model import CasualtyRule, Language, Text
from rosxl.errors import CriteriaError
from rosxl.text import as_int, normalise

SHEET = "Kriterier"
Cell = str | int | float | None
Grid = list[list[Cell]]

LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk"}

# Section titles and meta field labels: (bokmål, nynorsk).
_SECTIONS = {
    "meta": ("Om kriteriene", "Om kriteria"),
    "zones": ("Soner", "Soner"),
    "probability": ("Sannsynlighet", "Sannsyn"),
    "levels": ("Konsekvensnivåer", "Konsekvensnivå"),
    "areas": ("Konsekvensområder", "Konsekvensområde"),
    "classes": ("Konsekvensklasser", "Konsekvensklassar"),
    "matrices": ("Sonematriser", "Sonematriser"),
}
_FIELDS = {
    "sheet_language": ("Målform i arket", "Målform i arket"),
    "name": ("Kriteriesett", "Kriteriesett"),
    "version": ("Versjon", "Versjon"),
    "language": ("Målform for kriteriene", "Målform for kriteria"),
    "score": ("Risikoskår (product = S × K, sum = S + K)", "Risikoskår (product = S × K, sum = S + K)"),
    "title": ("Tittel", "Tittel"),
    "description": ("Beskrivelse", "Skildring"),
    "source": ("Kilde", "Kjelde"),
    "decision": ("Vedtak (hvem vedtok kriteriene, og når)", "Vedtak (kven vedtok kriteria, og når)"),
}
_HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    "meta": (("Felt", "Felt"), ("Verdi", "Verdi")),
    "zones": (("Nøkkel", "Nøkkel"), ("Betegnelse", "Nemning"), ("Betydning", "Tyding"), ("Farge", "Farge")),
    "probability": (("Klasse", "Klasse"), ("Betegnelse", "Nemning"), ("Beskrivelse", "Skildring"),
                    ("Fra (per år)", "Frå (per år)"), ("Til (per år)", "Til (per år)"), ("Koder", "Kodar"),
                    ("Synonymer", "Synonym")),
    "levels": (("Klasse", "Klasse"), ("Betegnelse", "Nemning"), ("Koder", "Kodar"), ("Synonymer", "Synonym")),
    "areas": (("Nøkkel", "Nøkkel"), ("Betegnelse", "Nemning"), ("Enhet", "Eining"), ("Synonymer", "Synonym")),
    "classes": (("Område", "Område"), ("Klasse", "Klasse"), ("Beskrivelse", "Skildring"), ("Fra", "Frå"),
                ("Til", "Til"), ("Personskader", "Personskadar"), ("Synonymer", "Synonym")),
}
# Headers of the other-language columns that end each table.
_OTHER = {"meta": ("Verdi",), "zones": ("Betegnelse", "Betydning"), "probability": ("Betegnelse", "Beskrivelse"),
          "levels": ("Betegnelse",), "areas": ("Betegnelse",), "classes": ("Beskrivelse",)}
_MATRIX_HEADER = (("Matrise", "Matrise"), ("Betegnelse", "Nemning"), ("Områder", "Område"))
_CORNER = "S \\ K"
#: Header of the column beside the block that builds the dropdown entries, (bokmål, nynorsk).
CHOICE_HEADER = ("I nedtrekkslisten", "I nedtrekkslista")
#: Between a class number and its label in a dropdown entry: space, EN DASH, space.
CHOICE_SEPARATOR = " \u2013 "

_CASUALTY_WORDS = {"dead": ("døde", "daude"), "serious": ("alvorlig skadde", "alvorleg skadde"),
                   "minor": ("lettere skadde", "lettare skadde")}
_NO_RULE = "ingen krav"


@dataclass(frozen=True)
class MatrixPlace:
    """Where one zone matrix sits: ``top``/``left`` of its first zone cell (0-based grid indices)."""

    key: str
    areas: tuple[str, ...]
    top: int
    left: int
    rows: int
    columns: int


@dataclass(frozen=True)
class BlockPlaces:
    """Grid positions (0-based row, column) of the cells the workbook's formulas use."""

    rows: int
    columns: int
    score: tuple[int, int]
    decision: tuple[int, int]
    zone_rows: tuple[int, ...]  # one row per zone, mildest first
    zone_key_column: int
    zone_label_column: int
    zone_other_label_column: int  # the zone's label in the other written form
    zone_colour_column: int
    probability_rows: tuple[int, int]  # first and last row of the probability table
    level_rows: tuple[int, int]  # first and last row of the consequence level table
    class_column: int  # column of the class numbers in both tables
    label_column: int  # column of the class labels in both tables
    matrices: tuple[MatrixPlace, ...] = field(default_factory=tuple)

    @property
    def choice_column(self) -> int:
        """The column beside the block (one empty column between) that holds the dropdown entries."""
        return self.columns + 1

    def matrix_for(self, area: str) -> MatrixPlace:
        return next(m for m in self.matrices if area in m.areas)


@dataclass(frozen=True)
class Block:
    grid: Grid
    places: BlockPlaces


# --- criteria -> grid ------------------------------------------------------------------------


def criteria_to_grid(criteria: Criteria, language: Language = "nb") -> Grid:
    """The criteria block of the Kriterier sheet, texts in ``language`` first (see module doc)."""
    return criteria_block(criteria, language).grid


def criteria_block(criteria: Criteria, language: Language = "nb") -> Block:
    """The criteria block and the places of the cells that the workbook's formulas reference."""
    w = _Writer(language)
    c = criteria
    w.section("meta")
    w.field("sheet_language", language)
    w.field("name", c.name)
    w.field("version", c.version)
    w.field("language", c.language)
    score = w.field("score", c.score)
    w.field("title", *w.texts(c.title))
    w.field("description", *w.texts(c.description))
    w.field("source", c.provenance.source)
    decision = w.field("decision", c.provenance.decision)

    w.section("zones")
    zone_rows = tuple(w.row([z.key, w.t(z.label), w.t(z.meaning), z.colour, w.o(z.label), w.o(z.meaning)])
                      for z in c.zones)

    w.section("probability")
    probability = [w.row([p.value, w.t(p.label), w.t(p.description), *_band(p.band), _list(p.codes),
                          _list(p.synonyms), w.o(p.label), w.o(p.description)]) for p in c.probability]

    w.section("levels")
    levels = [w.row([lv.value, w.t(lv.label), _list(lv.codes), _list(lv.synonyms), w.o(lv.label)])
              for lv in c.consequence_levels]

    w.section("areas")
    for a in c.areas:
        w.row([a.key, w.t(a.label), a.unit, _list(a.synonyms), w.o(a.label)])

    w.section("classes")
    for a in c.areas:
        for k in a.classes:
            w.row([a.key, k.value, w.t(k.description), *_band(k.band), _rules(k.casualties, language),
                   _list(k.synonyms), w.o(k.description)])

    w.section("matrices")
    places = []
    for m in c.matrices:
        w.row([*(_word(h, language) for h in _MATRIX_HEADER), _other_header("Betegnelse", language)])
        w.row([m.key, w.t(m.label), _list(m.areas), w.o(m.label)])
        w.row([_CORNER, *range(1, len(m.rows[0]) + 1)])
        top = len(w.grid)
        for i, zones in enumerate(m.rows):
            w.row([len(m.rows) - i, *(w.t(c.zone_def(z).label) or z for z in zones)])
        places.append(MatrixPlace(m.key, m.areas, top, 1, len(m.rows), len(m.rows[0])))
        w.row([])

    width = max(len(r) for r in w.grid)
    grid = [r + [None] * (width - len(r)) for r in w.grid]
    return Block(grid, BlockPlaces(
        rows=len(grid), columns=width, score=(score, 1), decision=(decision, 1), zone_rows=zone_rows,
        zone_key_column=0, zone_label_column=1, zone_other_label_column=4, zone_colour_column=3,
        probability_rows=(probability[0], probability[-1]), level_rows=(levels[0], levels[-1]),
        class_column=0, label_column=1, matrices=tuple(places)))


class _Writer:
    def __init__(self, language: Language) -> None:
        self.language = language
        self.other: Language = "nn" if language == "nb" else "nb"
        self.grid: Grid = []

    def t(self, text: Text) -> str | None:
        return text(self.language) or None

    def o(self, text: Text) -> str | None:
        return text(self.other) or None

    def texts(self, text: Text) -> tuple[str | None, str | None]:
        return self.t(text), self.o(text)

    def row(self, cells: Sequence[Cell]) -> int:
        self.grid.append(list(cells))
        return len(self.grid) - 1

    def section(self, key: str) -> None:
        if self.grid:
            self.row([])
        self.row([_word(_SECTIONS[key], self.language)])
        if key in _HEADERS:
            self.row([_word(h, self.language) for h in _HEADERS[key]]
                     + [_other_header(h, self.language) for h in _OTHER[key]])

    def field(self, key: str, *values: Cell) -> int:
        return self.row([_word(_FIELDS[key], self.language), *(v if v != "" else None for v in values)])


def choice_text(value: int, label: str) -> str:
    """A dropdown entry: ``"2 – Lav"`` (the class, space, EN DASH, space, the label)."""
    return f"{value}{CHOICE_SEPARATOR}{label}"


def _word(pair: tuple[str, str], language: Language) -> str:
    return pair[1] if language == "nn" else pair[0]


def _other_header(header: str, language: Language) -> str:
    nn = {"Verdi": "Verdi", "Betegnelse": "Nemning", "Betydning": "Tyding", "Beskrivelse": "Skildring"}
    other = "nn" if language == "nb" else "nb"
    word = nn[header] if language == "nn" else header
    return f"{word} ({LANGUAGE_NAMES[other]})"


def _band(band: Any) -> tuple[float | None, float | None]:
    if band is None:
        return None, None
    return band.low, (None if math.isinf(band.high) else band.high)


def _list(values: Sequence[str]) -> str | None:
    return "; ".join(values) or None


def _rules(rules: tuple[CasualtyRule, ...], language: Language) -> str | None:
    if not rules:
        return None
    i = 1 if language == "nn" else 0
    texts = []
    for r in rules:
        parts = [f"{_CASUALTY_WORDS[k][i]} ≥ {v}" for k, v in
                 (("dead", r.dead), ("serious", r.serious), ("minor", r.minor)) if v is not None]
        texts.append(" og ".join(parts) or _NO_RULE)
    return " eller ".join(texts)


# --- grid -> criteria ------------------------------------------------------------------------


def criteria_from_grid(grid: Sequence[Sequence[Any]]) -> Criteria:
    """Read the criteria block (as written by :func:`criteria_to_grid`, possibly edited) back.

    Accepts floats for whole numbers, ``None`` or ``""`` for empty cells and trailing empty
    rows/columns. Problems raise :class:`~rosxl.errors.CriteriaError` naming the sheet row.
    """
    rows = [list(r) for r in grid]
    sections = dict(_split(rows))
    if "meta" not in sections:
        raise CriteriaError("fant ikke tabellen «Om kriteriene» i kriterieblokken", sheet=SHEET)
    meta = {key: (r, cells) for r, cells in sections["meta"] for key in [_field_key(cells[0])] if key}
    lang_cell = _text(_at(meta.get("sheet_language", (0, []))[1], 1))
    if lang_cell not in ("nb", "nn"):
        row = meta["sheet_language"][0] + 1 if "sheet_language" in meta else None
        raise CriteriaError(f"«Målform i arket» må være nb eller nn, ikke «{lang_cell}»", sheet=SHEET, row=row)
    lang: Language = "nn" if lang_cell == "nn" else "nb"

    def text(first: Any, second: Any) -> dict[str, str]:
        a, b = _text(first), _text(second)
        return {"nb": b, "nn": a} if lang == "nn" else {"nb": a, "nn": b}

    def value(key: str, index: int = 1) -> Any:
        return _at(meta[key][1], index) if key in meta else None

    data: dict[str, Any] = {
        "name": _text(value("name")),
        "version": _text(value("version")),
        "title": text(value("title"), value("title", 2)),
        "description": text(value("description"), value("description", 2)),
        "language": _text(value("language")) or "nb",
        "score": _text(value("score")) or "product",
        "provenance": {"source": _text(value("source")), "decision": _text(value("decision"))},
    }
    data["zones"] = [{"key": _text(c[0]), "label": text(c[1], _at(c, 4)), "meaning": text(_at(c, 2), _at(c, 5)),
                      "colour": _text(_at(c, 3))} for _, c in sections.get("zones", [])]
    data["probability"] = [
        {"value": _int(c[0], r, "A"), "label": text(_at(c, 1), _at(c, 7)), "description": text(_at(c, 2), _at(c, 8)),
         **_band_of(c, 3, r), **_listed("codes", _at(c, 5)), **_listed("synonyms", _at(c, 6))}
        for r, c in sections.get("probability", [])]
    data["consequence_levels"] = [
        {"value": _int(c[0], r, "A"), "label": text(_at(c, 1), _at(c, 4)), **_listed("codes", _at(c, 2)),
         **_listed("synonyms", _at(c, 3))} for r, c in sections.get("levels", [])]
    classes: dict[str, list[dict[str, Any]]] = {}
    for r, c in sections.get("classes", []):
        rules = _parse_rules(_at(c, 5), r)
        classes.setdefault(_text(c[0]), []).append(
            {"value": _int(_at(c, 1), r, "B"), "description": text(_at(c, 2), _at(c, 7)), **_band_of(c, 3, r),
             **({"casualties": rules} if rules else {}), **_listed("synonyms", _at(c, 6))})
    data["areas"] = [{"key": _text(c[0]), "label": text(_at(c, 1), _at(c, 4)),
                      **({"unit": _text(_at(c, 2))} if _text(_at(c, 2)) else {}), **_listed("synonyms", _at(c, 3)),
                      "classes": classes.pop(_text(c[0]), [])} for _, c in sections.get("areas", [])]
    if classes:
        raise CriteriaError(f"konsekvensklasser for ukjent område: {', '.join(classes)}", sheet=SHEET)
    data["matrices"] = _matrices(sections.get("matrices", []), text)
    _resolve_zone_labels(data)
    return criteria_from_dict(data, source=SHEET)


def row_roles(grid: Sequence[Sequence[Any]]) -> list[str]:
    """``"title"``, ``"header"``, ``"data"`` or ``"blank"`` for each grid row (for styling)."""
    roles = ["blank" if all(_empty(c) for c in r) else "data" for r in grid]
    titles = {normalise(t) for pair in _SECTIONS.values() for t in pair}
    matrix_header = normalise(_MATRIX_HEADER[0][0])
    for i, r in enumerate(grid):
        if roles[i] == "blank":
            continue
        first = normalise(r[0])
        if first in titles and sum(not _empty(c) for c in r) == 1:
            roles[i] = "title"
            if i + 1 < len(grid) and first not in ("sonematriser",):
                roles[i + 1] = "header"
        elif first in (matrix_header, normalise(_CORNER)):
            roles[i] = "header"
    return roles


def _split(rows: list[list[Any]]) -> Iterator[tuple[str, list[tuple[int, list[Any]]]]]:
    """The grid's sections: key and (row index, cells) of each non-empty data row."""
    titles = {normalise(t): key for key, pair in _SECTIONS.items() for t in pair}
    key: str | None = None
    body: list[tuple[int, list[Any]]] = []
    header_due = False
    for r, cells in enumerate(rows):
        filled = [c for c in cells if not _empty(c)]
        if len(filled) == 1 and not _empty(cells[0]) and normalise(cells[0]) in titles:
            if key is not None:
                yield key, body
            key, body = titles[normalise(cells[0])], []
            header_due = key != "matrices"
        elif not filled or key is None:
            continue
        elif header_due:
            header_due = False
        else:
            body.append((r, cells))
    if key is not None:
        yield key, body


def _matrices(rows: list[tuple[int, list[Any]]], text: Any) -> list[dict[str, Any]]:
    matrices: list[dict[str, Any]] = []
    expect_meta = False
    grid_rows: list[tuple[int, list[Any]]] = []
    for r, c in rows:
        first = c[0]
        if normalise(first) == normalise(_MATRIX_HEADER[0][0]):
            expect_meta = True
        elif expect_meta:
            expect_meta = False
            grid_rows = []
            matrices.append({"key": _text(first), "label": text(_at(c, 1), _at(c, 3)),
                             "areas": _split_list(_at(c, 2)), "_grid": grid_rows})
        elif isinstance(first, str) and not re.fullmatch(r"\s*\d+\s*", first):
            continue  # the «S \ K» header row
        elif matrices:
            grid_rows.append((r, c))
        else:
            raise CriteriaError("sonematrise uten overskriftsrad «Matrise»", sheet=SHEET, row=r + 1)
    for m in matrices:
        body = sorted(m.pop("_grid"), key=lambda rc: -_int(rc[1][0], rc[0], "A"))
        m["rows"] = [[_text(z) for z in _trim(c[1:])] for _, c in body]
    return matrices


def _resolve_zone_labels(data: dict[str, Any]) -> None:
    """Let matrix cells name a zone by its label (either written form) as well as by its key."""
    names = {normalise(n): z["key"] for z in data.get("zones", [])
             for n in (z["key"], z["label"]["nb"], z["label"]["nn"]) if n}
    for m in data.get("matrices", []):
        m["rows"] = [[names.get(normalise(z), z) for z in row] for row in m["rows"]]


def _trim(cells: Sequence[Any]) -> list[Any]:
    """``cells`` without trailing empty cells."""
    end = len(cells)
    while end and _empty(cells[end - 1]):
        end -= 1
    return list(cells[:end])


def _field_key(label: Any) -> str | None:
    want = normalise(label)
    return next((k for k, pair in _FIELDS.items() for p in pair
                 if normalise(p) == want or normalise(p.split(" (")[0]) == want), None)


def _at(cells: Sequence[Any], i: int) -> Any:
    return cells[i] if i < len(cells) else None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if _empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, str) else value


def _strip_num(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.strip().isdigit() else value


def _int(value: Any, row: int, column: str) -> int:
    number = as_int(_strip_num(value))
    if number is None:
        raise CriteriaError(f"forventet et heltall (klasse), fant «{_text(value)}»", sheet=SHEET, row=row + 1,
                            column=column)
    return number


def _number(value: Any, row: int, column: int) -> float | None:
    if _empty(value):
        return None
    if isinstance(value, str) and normalise(value) in ("∞", "inf", "uendelig"):
        return math.inf
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CriteriaError(f"forventet et tall, fant «{_text(value)}»", sheet=SHEET, row=row + 1,
                            column=chr(ord("A") + column))
    return float(value)


def _band_of(cells: Sequence[Any], column: int, row: int) -> dict[str, list[float]]:
    low, high = _number(_at(cells, column), row, column), _number(_at(cells, column + 1), row, column + 1)
    if low is None and high is None:
        return {}
    return {"band": [low if low is not None else 0.0, high if high is not None else math.inf]}


def _split_list(value: Any) -> list[str]:
    return [part.strip() for part in _text(value).split(";") if part.strip()]


def _listed(key: str, value: Any) -> dict[str, list[str]]:
    parts = _split_list(value)
    return {key: parts} if parts else {}


def _parse_rules(value: Any, row: int) -> list[dict[str, int]]:
    text = _text(value).strip()
    if not text:
        return []
    words = {normalise(w): key for key, pair in _CASUALTY_WORDS.items() for w in pair}
    rules = []
    for rule in re.split(r"\s+eller\s+", text):
        parsed: dict[str, int] = {}
        if normalise(rule) != _NO_RULE:
            for part in re.split(r"\s+og\s+", rule):
                m = re.fullmatch(r"\s*(.+?)\s*(?:≥|>=)\s*(\d+)\s*", part)
                key = words.get(normalise(m.group(1))) if m else None
                if m is None or key is None:
                    raise CriteriaError(f"kan ikke lese personskaderegelen «{part.strip()}» (f.eks. «døde ≥ 1»)",
                                        sheet=SHEET, row=row + 1, column="F")
                parsed[key] = int(m.group(2))
        rules.append(parsed)
    return rules
