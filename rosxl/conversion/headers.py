"""Which column means which field: scored matching of header labels against ``rosxl/data/headers.toml``.

A column's label may be one cell ("Sannsynlighet"), or a sub-header under a merged group cell
("Konsekvens" over "Økonomi"; "Etter tiltak" over "S"), or carry its context inline ("S etter tiltak").
Each (label, field) pair gets a score: an exact match of the whole label beats a word match, and a
word match scores higher the more of the label it covers. :func:`assign` gives each column its
best field when it wins by a margin; a near-tie is *ambiguous* and the column is kept in ``extra``.

A field is a :class:`~rosxl.fields.FieldPath`. The data names fields by the converter's names (the
scenario's text fields, ``probability``, ``consequence``, ``risk``, …), checked against
:mod:`rosxl.fields` when it is loaded; an area column is a ``consequence`` in that area, an
after-measure column a ``residual`` one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.text import normalise

THRESHOLD = 0.55  # below this a label is not taken as a field
MARGIN = 0.08  # the best field must beat the next by this much
MAX_LABEL = 80  # longer texts are data, not headers
_PROBABILITY = FieldPath("probability")
_SCALE_HINT = re.compile(r"\(?\b1-[345]\b\)?")  # "S (1-4)": the scale, not the field
_SOFT_BREAK = re.compile(r"(\w)-[ \t]*\r?\n\s*(?=[a-zæøå])")  # "Sannsyn-\nlighet": a word split by a line break


@cache
def table() -> dict[str, Any]:
    """The header table (parsed once per process; its fields checked, see :func:`parse_table`)."""
    return parse_table((resources.files("rosxl") / "data" / "headers.toml").read_text("utf-8"))


def parse_table(text: str) -> dict[str, Any]:
    """The header table from TOML text; ValueError naming the key when a ``[fields.*]`` key is not a
    field of :mod:`rosxl.fields`."""
    data = tomllib.loads(text)
    for name in data.get("fields", {}):
        try:
            FieldPath.parse(name)
        except ValueError as exc:
            raise ValueError(f"headers.toml: [fields.{name}]: {exc}") from exc
    return data


@dataclass(frozen=True)
class _Entry:
    field: FieldPath
    tokens: tuple[str, ...]  # words; a trailing "*" marks a prefix
    exact: bool
    weight: float


@dataclass(frozen=True)
class Match:
    """The field of one column and how sure the match was."""

    field: FieldPath | None
    score: float
    label: str
    runner_up: FieldPath | None = None
    ambiguous: bool = False
    candidates: tuple[FieldPath, ...] = ()  # the near-tied fields of an ambiguous label, best first


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in re.split(r"[\s/()\-:,.&+]+", text) if t)


@cache
def _base_entries() -> tuple[_Entry, ...]:
    entries = []
    for name, spec in table()["fields"].items():
        w, field = float(spec.get("weight", 1.0)), FieldPath.parse(name)
        entries += [_Entry(field, (normalise(e),), True, w) for e in spec.get("exact", [])]
        entries += [_Entry(field, _tokens(_keep_star(e)), False, w) for e in spec.get("words", [])]
    return tuple(entries)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(table()["stopwords"]["words"])


def _keep_star(entry: str) -> str:
    """Normalise a word entry but keep its trailing prefix mark."""
    return normalise(entry) + ("*" if entry.endswith("*") else "")


@cache
def _context_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, context) pairs, longest phrase first."""
    pairs = [(normalise(p), ctx) for ctx, phrases in table()["context"].items() for p in phrases]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


_CACHES: dict[int, tuple[Criteria, tuple[_Entry, ...], dict[tuple[str, str | None], Match]]] = {}


def _cache_for(criteria: Criteria) -> tuple[tuple[_Entry, ...], dict[tuple[str, str | None], Match]]:
    """Entries and matches of one criteria object (keyed by identity: hashing Criteria is deep)."""
    found = _CACHES.get(id(criteria))
    if found is None or found[0] is not criteria:
        if len(_CACHES) > 32:
            _CACHES.clear()
        found = _CACHES[id(criteria)] = (criteria, (*_base_entries(), *_area_entries(criteria)), {})
    return found[1], found[2]


def _area_entries(criteria: Criteria) -> tuple[_Entry, ...]:
    """Area columns: the criteria's areas (their labels, synonyms and ``[areas]`` words), then the
    ``[areas]`` the criteria lack, slightly weaker: such a column adds its area to the criteria."""
    extra: dict[str, list[str]] = table()["areas"]
    entries = []
    named: dict[str, set[str]] = {
        a.key: {a.key, a.key.replace("_", " "), a.label.nb, a.label.nn, *a.synonyms, *extra.get(a.key, [])}
        for a in criteria.areas}
    known = {normalise(n) for names in named.values() for n in names}
    for key, words in extra.items():
        if key not in named:
            named[key] = {w for w in words if normalise(w) not in known}
    for area, names in named.items():
        weight = 1.0 if area in criteria.area_keys else 0.95
        field = FieldPath("consequence", area)
        for n in names:
            key = normalise(n)
            entries.append(_Entry(field, (key,), True, weight))
            if len(key) > 3:
                entries.append(_Entry(field, _tokens(key), False, 0.9 * weight))
    return tuple(entries)


def _covers(entry: tuple[str, ...], words: tuple[str, ...]) -> int:
    """Characters of ``words`` covered when every entry word occurs; 0 when one is missing."""
    covered = 0
    for e in entry:
        hit = next((w for w in words if (w.startswith(e[:-1]) if e.endswith("*") else w == e)), None)
        if hit is None:
            return 0
        covered += len(hit)
    return covered


def split_context(label: str) -> tuple[set[str], str]:
    """Context words inside a label ("S etter tiltak" → {"after"}, "s")."""
    contexts: set[str] = set()
    text = f" {label} "
    for phrase, ctx in _context_phrases():
        pattern = f" {phrase} "
        if pattern in text and text.strip() != phrase:
            contexts.add(ctx)
            text = text.replace(pattern, " ")
    return contexts, text.strip()


def group_context(group: str | None) -> set[str]:
    """The context a group cell above a column sets ("Konsekvens", "Etter tiltak")."""
    if not group:
        return set()
    key = normalise(_SOFT_BREAK.sub(r"\1", group))
    found = {ctx for phrase, ctx in _context_phrases() if key == phrase}
    if found:
        return found
    return split_context(key)[0]


@lru_cache(maxsize=4096)  # every text cell of every row is asked
def phase(text: str) -> str | None:
    """"before" or "after" when a cell is only a phase phrase («Før tiltak», «Etter tiltak»)."""
    return _phases().get(normalise(_SOFT_BREAK.sub(r"\1", text) if "\n" in text else text))


@cache
def _phases() -> dict[str, str]:
    return {phrase: ctx for phrase, ctx in _context_phrases() if ctx in ("before", "after")}


def scores(label: str, criteria: Criteria, group: str | None = None) -> list[tuple[FieldPath, float]]:
    """Every field ``label`` may mean, with its score, best first. A word hyphenated over a line
    break in a wrapped header cell ("Løpe-" over "nummer") is read whole."""
    return _ranked(label, criteria, group)[0]


def _ranked(label: str, criteria: Criteria, group: str | None) -> tuple[list[tuple[FieldPath, float]],
                                                                        frozenset[FieldPath]]:
    """:func:`scores`, and the fields whose score came from an exact label (not a word match)."""
    label = _SOFT_BREAK.sub(r"\1", label)
    key = _SCALE_HINT.sub("", normalise(label)).strip() or normalise(label)
    contexts = group_context(group)
    inline, rest = split_context(key)
    contexts |= inline
    if not rest:  # the label is only a context word: "Konsekvens", "Sannsynlighet"
        rest = key
    words = tuple(w for w in _tokens(rest) if w not in _stopwords())
    best: dict[FieldPath, float] = {}
    exact: set[FieldPath] = set()
    for e in _cache_for(criteria)[0]:
        if e.exact:
            s = e.weight if rest == e.tokens[0] else 0.0
            if s:
                exact.add(e.field)
        else:
            covered = _covers(e.tokens, words)
            s = e.weight * (0.5 + 0.4 * covered / max(1, sum(map(len, words)))) if covered else 0.0
            if covered and _covers(e.tokens[:1], words[:1]):
                s += 0.05  # the label's head word
        if s > 0.0 and s > best.get(e.field, 0.0):  # most entries miss: no lookup for them
            best[e.field] = s
    if "consequence" in contexts:
        for f in list(best):
            if f.area is not None:
                best[f] = min(1.0, best[f] + 0.1)
        if best.get(_PROBABILITY, 0.0) < 1.0:
            best.pop(_PROBABILITY, None)
    if "after" in contexts:
        best = {f.after(): s for f, s in best.items()}
        exact = {f.after() for f in exact}
    return sorted(best.items(), key=lambda fs: -fs[1]), frozenset(exact)


def match(label: str, criteria: Criteria, group: str | None = None) -> Match:
    """The field of one column label (see the module docstring); remembered per criteria."""
    memo = _cache_for(criteria)[1]
    found = memo.get((label, group))
    if found is None:
        found = memo[(label, group)] = _match(label, criteria, group)
    return found


def _match(label: str, criteria: Criteria, group: str | None) -> Match:
    if len(label) > MAX_LABEL or (label.rstrip().endswith(".") and len(label.split()) >= 4):
        return Match(None, 0.0, label)  # a text or a sentence, not a label
    ranked, exact = _ranked(label, criteria, group)
    if not ranked or ranked[0][1] < THRESHOLD:
        return Match(None, ranked[0][1] if ranked else 0.0, label)
    (field, score), runner = ranked[0], (ranked[1] if len(ranked) > 1 else (None, 0.0))
    beats = field in exact and runner[0] not in exact and score >= runner[1]  # an exact label beats a word match
    if runner[0] is not None and score - runner[1] < MARGIN and not beats:
        tied = tuple(f for f, sc in ranked if score - sc < MARGIN)
        return Match(None, score, label, runner_up=runner[0], ambiguous=True, candidates=tied)
    return Match(field, score, label, runner_up=runner[0])


def assign(matches: list[Match]) -> dict[int, Match]:
    """Columns with a field, by column index; when two columns want one field, the better wins."""
    taken: dict[FieldPath, int] = {}
    for i, m in sorted(enumerate(matches), key=lambda im: -im[1].score):
        if m.field is not None and m.field not in taken:
            taken[m.field] = i
    return {i: matches[i] for i in taken.values()}


def is_note(text: str) -> bool:
    """A row starting with this text is a note ("Merknad: …", "* …")."""
    if text.startswith("*"):
        return True
    return re.split(r"[\s:]+", normalise(text))[0] in _note_words()


def is_footer(text: str) -> bool:
    """A row starting with this text is a summary, date or signature row under a table ("Sum",
    "Antall røde:", "Utarbeidet av:"): the whole cell is a ``footers`` entry, or its first words are
    a ``footer_starts`` entry."""
    exact, heads, starts = _footer_words()
    words = text.split(maxsplit=1)
    word = words[0].lower().rstrip(":.") if words else ""
    if word not in heads:  # a quick test on the first word, before normalising
        return False
    key = normalise(text).rstrip(": ")
    if key in exact:
        return True
    return any(key.startswith(w) and key[len(w):len(w) + 1] in (" ", ":") for w in starts)


@cache
def _footer_words() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """The whole-cell footers, the first words of all of them (a quick test), the starts."""
    rows = table()["rows"]
    exact = frozenset(normalise(w) for w in rows["footers"])
    starts = tuple(normalise(w) for w in rows["footer_starts"])
    heads = frozenset(w.split(" ")[0].rstrip(":.") for w in (*exact, *starts))
    return exact, heads, starts


@cache
def _note_words() -> frozenset[str]:
    return frozenset(normalise(n) for n in table()["rows"]["notes"])


def sheet_role(name: str) -> str | None:
    """"legend" or "overview" when a sheet's name says so ("Kriterier", "Oversikt")."""
    key = normalise(name)
    for role in ("legend", "overview"):
        for p in table()["rows"][f"{role}_sheets"]:
            stem = normalise(p.rstrip("*"))
            if key == stem or (p.endswith("*") and key.startswith(stem)):
                return role
    return None


def legend_heading(text: str) -> bool:
    """A row that opens a legend block: "Tegnforklaring", "Fargekoder", "Risikomatrise", "Skala"."""
    key = normalise(text).rstrip(":")
    words, openings = _legend_headings()
    return key in words or key.startswith(openings)


@cache
def _legend_headings() -> tuple[frozenset[str], tuple[str, ...]]:
    """The headings, and each followed by a space (the start of a longer heading)."""
    words = [normalise(w) for w in table()["rows"]["legend_headings"]]
    return frozenset(words), tuple(w + " " for w in words)


@cache
def zone_word_set() -> frozenset[str]:
    """Zone and colour words (a colour key's first cell)."""
    return frozenset(normalise(w) for words in table()["zones"]["ranks"] for w in words) | \
        frozenset(normalise(w) for w in table()["rows"]["colour_words"])
