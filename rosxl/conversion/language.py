"""Which written form a legacy source is in: bokmål or nynorsk, by its words.

Every text cell of every sheet is split into words, and the words listed under ``[language]`` in
``rosxl/data/headers.toml`` are counted (data, not constants: "hending", "sannsyn", "ikkje",
"tenesteproduksjon" for nynorsk; "hendelse", "sannsynlighet", "ikke" for bokmål). A source with
more nynorsk words than bokmål words, and at least ``minimum`` of them, is nynorsk; otherwise it is
bokmål, the default. The reason is said in Norwegian, with the counts and the commonest words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from rosxl.conversion.headers import table
from rosxl.conversion.read import Book
from rosxl.criteria.model import Language

_WORD = re.compile(r"[^\W\d_]+")
MAX_CELLS = 5000  # enough to tell; a huge sheet is not read twice


@dataclass(frozen=True)
class Detected:
    language: Language
    why: str


@cache
def _words() -> tuple[frozenset[str], frozenset[str], int]:
    spec = table()["language"]
    return frozenset(spec["nn"]), frozenset(spec["nb"]), int(spec["minimum"])


def detect_language(book: Book) -> Detected:
    """The source's written form and why (see the module docstring)."""
    nn_words, nb_words, minimum = _words()
    nn: Counter[str] = Counter()
    nb: Counter[str] = Counter()
    seen = 0
    for sheet in book.sheets:
        for row in sheet.rows:
            for v in row:
                if not isinstance(v, str):
                    continue
                seen += 1
                for w in _WORD.findall(v.lower()):
                    if w in nn_words:
                        nn[w] += 1
                    elif w in nb_words:
                        nb[w] += 1
            if seen > MAX_CELLS:
                break
    n, b = sum(nn.values()), sum(nb.values())
    if n > b and n >= minimum:
        common = ", ".join(f"«{w}»" for w, _ in nn.most_common(4))
        return Detected("nn", f"kilden har {n} nynorske og {b} bokmålsord (mest {common})")
    if n:
        return Detected("nb", f"kilden har {b} bokmålsord og {n} nynorske ord")
    return Detected("nb", "bokmål er standard; kilden har ingen nynorske kjenneord")


def chosen(requested: Language | None, book: Book) -> Detected:
    """The workbook's language: the one asked for, else the source's."""
    if requested is not None:
        return Detected(requested, "valgt med --language")
    return detect_language(book)
