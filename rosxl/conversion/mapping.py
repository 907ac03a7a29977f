"""The user's control over a conversion: a mapping file (``kobling.toml``) that says per file and
sheet what detection would otherwise guess. Detection fills in only what the mapping leaves out.

Format (Norwegian keys; names may be globs, the first entry that matches is used)::

    [[fil]]
    navn = "plan-ros*.xlsx"              # the input's file name
    [fil.skala.sannsynlighet]            # the source's own words for levels (also: konsekvens)
    "lite sannsynlig" = 1

    [[fil.ark]]
    navn = "ROS"                         # the sheet's name
    bruk = true                          # false: the sheet is not read
    snudd = false                        # true: fields in rows, one scenario per column

    [[fil.ark.tabell]]                   # one entry per table on the sheet, top to bottom
    overskriftsrader = [4, 5]            # the header row(s), as the spreadsheet numbers them
    omrade = "A4:L40"                    # the table's range (header included)
    [fil.ark.tabell.kolonner]
    A = "id"                             # column → canonical path: title, probability,
    F = "consequences.okonomi"           # consequences.<area>, residual.probability, risk, zone,
    K = "ignore"                         # area (long tables), extra (kept), ignore (not read)

Every batch writes the mapping it used beside its report (:func:`render`), each column commented
with its header and content evidence: feeding it back unchanged gives the same scenarios, and
editing one line changes exactly that. A bad file is refused with a Norwegian message naming the
file, the key and the line (:class:`MappingError`).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from rosxl.errors import ConversionError
from rosxl.fields import BY_PATH, FieldPath

FILE_NAME = "kobling.toml"
_KEYS = {"fil": {"navn", "skala", "ark"}, "ark": {"navn", "bruk", "snudd", "tabell"},
         "tabell": {"overskriftsrader", "omrade", "kolonner"}, "skala": {"sannsynlighet", "konsekvens"}}
_RANGE = re.compile(r"^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
KEEP = "extra"
IGNORE = "ignore"
_TARGETS = {KEEP: FieldPath(KEEP), IGNORE: FieldPath(IGNORE)}


class MappingError(ConversionError):
    """A mapping file that cannot be used: the message names the file, the key and the line."""

    code = "mapping-invalid"


@dataclass(frozen=True)
class TableMap:
    """One table as the mapping gives it (0-based rows and columns; ``None`` where detection decides)."""

    header_rows: tuple[int, ...] | None = None
    first_col: int | None = None
    last_col: int | None = None
    end: int | None = None  # one past the last row
    columns: dict[int, FieldPath] = field(default_factory=dict)  # column → its field, ``extra`` or ``ignore``


@dataclass(frozen=True)
class SheetMap:
    use: bool = True
    transposed: bool | None = None
    tables: tuple[TableMap, ...] = ()


@dataclass(frozen=True)
class FileMap:
    sheets: tuple[tuple[str, SheetMap], ...] = ()
    scales: dict[str, dict[str, int]] = field(default_factory=dict)  # "probability"/"consequence" → word → level

    def sheet(self, name: str) -> SheetMap | None:
        return next((m for pattern, m in self.sheets if fnmatch.fnmatchcase(name, pattern)), None)


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    source: str
    files: tuple[tuple[str, FileMap], ...] = ()

    def for_file(self, path: str | Path) -> FileMap | None:
        name = Path(path).name
        return next((m for pattern, m in self.files if fnmatch.fnmatchcase(name, pattern)
                     or fnmatch.fnmatchcase(str(path), pattern)), None)


def load(path: str | Path) -> Mapping:
    """Read and check a mapping file (see the module docstring)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"koblingsfilen kan ikke leses ({exc})", file=path) from exc
    return parse(text, str(path))


def parse(text: str, source: str = FILE_NAME) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"linje {m.group(1)}: " if m else ""
        raise MappingError(f"{where}ikke gyldig TOML ({exc})", file=source) from exc
    checker = _Checker(text, source)
    checker.keys(data, {"fil"}, "")
    files = []
    for entry in checker.list(data.get("fil", []), "fil"):
        checker.keys(entry, _KEYS["fil"], "fil")
        name = checker.string(entry, "navn", "fil")
        scales = {}
        scale = checker.table(entry.get("skala", {}), "skala")
        checker.keys(scale, _KEYS["skala"], "skala")
        for norsk, kind in (("sannsynlighet", "probability"), ("konsekvens", "consequence")):
            words = checker.table(scale.get(norsk, {}), norsk)
            scales[kind] = {checker.word(w): checker.level(v, w) for w, v in words.items()}
        sheets = []
        for sheet in checker.list(entry.get("ark", []), "ark"):
            checker.keys(sheet, _KEYS["ark"], "ark")
            tables = tuple(checker.table_map(t) for t in checker.list(sheet.get("tabell", []), "tabell"))
            sheets.append((checker.string(sheet, "navn", "ark"),
                           SheetMap(checker.flag(sheet, "bruk", True), sheet.get("snudd"), tables)))
        files.append((name, FileMap(tuple(sheets), {k: v for k, v in scales.items() if v})))
    return Mapping(source, tuple(files))


class _Checker:
    """Checks parsed values and finds the line of a bad one in the text (tomllib gives none)."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def fail(self, message: str, needle: str) -> MappingError:
        line = next((i for i, t in enumerate(self.lines, start=1) if needle and needle in t), None)
        return MappingError(f"{f'linje {line}: ' if line else ''}{message}", file=self.source)

    def keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"ukjent nøkkel «{key}»{f' under «{where}»' if where else ''} (kjente: {known})", key)

    def list(self, value: Any, key: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"«{key}» skal være en liste av tabeller ([[{key}]])", key)
        return value

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"«{key}» skal være en tabell", key)
        return value

    def string(self, data: dict[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"«{where}» mangler «{key} = \"…\"»", f"[[{where}")
        return value

    def flag(self, data: dict[str, Any], key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"«{key}» skal være true eller false", key)
        return value

    def word(self, word: str) -> str:
        from rosxl.text import normalise

        return normalise(word)

    def level(self, value: Any, word: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 9:
            raise self.fail(f"nivået for «{word}» skal være et tall 1–9", word)
        return value

    def table_map(self, data: dict[str, Any]) -> TableMap:
        self.keys(data, _KEYS["tabell"], "tabell")
        rows = data.get("overskriftsrader")
        if rows is not None and (not isinstance(rows, list) or not 1 <= len(rows) <= 3 or
                                 not all(isinstance(r, int) and r >= 1 for r in rows)):
            raise self.fail("«overskriftsrader» skal være ett til tre radnumre, som [4], [4, 5] eller [4, 5, 6]",
                            "overskriftsrader")
        first_col = last_col = end = None
        top = None
        if "omrade" in data:
            m = _RANGE.match(str(data["omrade"]).upper())
            if m is None:
                raise self.fail(f"«omrade» skal være et område som \"A4:L40\", ikke «{data['omrade']}»", "omrade")
            first_col, top = column_index_from_string(m[1]) - 1, int(m[2]) - 1
            last_col, end = column_index_from_string(m[3]) - 1, int(m[4])
        header = tuple(r - 1 for r in rows) if rows else ((top,) if top is not None else None)
        columns: dict[int, FieldPath] = {}
        for letter, target in self.table(data.get("kolonner", {}), "kolonner").items():
            if not _LETTERS.match(letter):
                raise self.fail(f"«{letter}» er ikke en kolonnebokstav (A, B, …, AA)", letter)
            columns[column_index_from_string(letter) - 1] = self.target(str(target), letter)
        return TableMap(header, first_col, last_col, end, columns)

    def target(self, path: str, letter: str) -> FieldPath:
        name = _TARGETS.get(path) or FieldPath.of_path(path)
        if name is None:
            known = ", ".join(p for p in BY_PATH if p not in ("residual.consequences", "consequences")) + \
                ", consequences.<område>, residual.consequences.<område>"
            raise self.fail(f"kolonne {letter}: ukjent felt «{path}» (kjente: {known})", f'"{path}"')
        return name


# --- writing the mapping a batch used ------------------------------------------------------------


def render(files: Iterable[dict[str, Any]]) -> str:
    """``kobling.toml`` for a batch: per file, each table sheet's header rows, range and columns as
    converted (from the per-file report dicts), commented with the evidence."""
    out = ["# Koblingen rosxl brukte: send den inn igjen med --mapping for å få det samme, eller rett en linje.",
           "# Felter: id, title, category, description, causes, existing_measures, probability, probability_basis,",
           "# consequences.<område>, uncertainty, manageability, vulnerability, measures, responsible, deadline,",
           "# status, residual.probability, residual.consequences.<område>, risk, area, extra (beholdes), ignore.",
           ""]
    for f in files:
        if f.get("error") or not f.get("sheets"):
            continue
        out += ["[[fil]]", f"navn = {_quote(Path(str(f['file'])).name)}", ""]
        for s in f["sheets"]:
            tables = s.get("tables")
            out += ["[[fil.ark]]", f"navn = {_quote(s['name'])}"]
            if s.get("skipped_by_mapping"):
                out += ["bruk = false", ""]
                continue
            if not tables:
                out += [f"# {s['role']}: lest automatisk", ""]
                continue
            if s.get("transposed"):
                out.append("snudd = true")
            out.append("")
            columns = iter(s.get("columns", []))  # the tables' columns, one table after the other
            for t in tables:
                rows = ", ".join(str(r) for r in t["header_rows"])
                out += ["[[fil.ark.tabell]]", f"overskriftsrader = [{rows}]", f"omrade = \"{t['range']}\"",
                        "[fil.ark.tabell.kolonner]"]
                for c in (next(columns) for _ in range(t["columns"])):
                    target = FieldPath.parse(c["field"]).path if c["field"] else KEEP
                    note = f"«{c['label']}»: {_RULES.get(c.get('rule', ''), 'overskrift')} " \
                           f"(treff {c['score']:.2f}); {c.get('evidence') or 'tom'}"
                    note = " ".join(note.split())  # a label with line breaks stays on the comment's line
                    out.append(f"{c['column']} = {_quote(target):<28} # {note}".rstrip())
                out.append("")
    return "\n".join(out).rstrip() + "\n"


_RULES = {"header": "overskrift", "by-content": "innhold", "content-wins": "innhold foran overskrift",
          "by-position": "klasser foran konsekvensene",
          "beside-title": "tvetydig overskrift, tittelen står ved siden av",
          "none": "ingen felt", "mapping": "fra koblingen"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def letter(index: int) -> str:
    return get_column_letter(index + 1)
