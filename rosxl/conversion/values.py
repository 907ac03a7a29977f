"""Turn legacy cell values into the target criteria's classes and zones.

What a cell may hold, and how it is read (each reading says *how* in Norwegian, keeps the original
text when a class came from a text, and carries a review note when a person should check it):

- a class as a digit, a letter (A–E), a word of the criteria ("Høy", "Farleg") or "Middels (3)";
- a word of the **source's own legend** ("Kritisk" = 3 in one source, 4 in another): legend words
  take precedence over the criteria's words;
- a fact read by the criteria engine: frequency ("1 gang per 20 år"), money, days, casualties;
- in a risk column: a pair ("S3 K4", "3/4", "S:2 K:3"), a score (S × K), a zone word
  ("Høy", "Rød", "Uakseptabel") or only a fill colour.

**Scale rule.** A source scale of ``n`` levels (from its legend, or a header such as "S (1-4)") is
mapped onto the criteria's ``N`` levels by proportional position:
``class = round_half_up(1 + (level − 1) × (N − 1) / (n − 1))`` — so 1–3 becomes 1, 3, 5 and 1–4
becomes 1, 2, 4, 5. Every such mapping is flagged for review.

**Zone rule.** Zone words are ranked by severity (``[zones]`` in ``rosxl/data/headers.toml``) and
take the criteria's zone of the same rank, the most severe when the criteria have fewer zones
(flagged). A fill colour takes the criteria zone whose colour is nearest in hue and lightness;
orange counts as yellow unless the criteria have an orange zone.
"""

from __future__ import annotations

import colorsys
import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Any

from rosxl.conversion.headers import table
from rosxl.criteria import Criteria
from rosxl.criteria.model import Reading
from rosxl.text import clean, normalise

_PAIR = re.compile(r"^s\s*[:=]?\s*(\d)\s*[,;/x*\- ]*\s*k\s*[:=]?\s*(\d)$|^(\d)\s*[/x*,;-]\s*(\d)$")
#: A pair at the start of a cell, a tail after it: "2/3 (gul)", "S=5 K=5 (R=25)", "S5 K5 – rød", "3 x 4 = 12",
#: "S3-K4, R12", "3x4=12 (gul)" (normalised: "2/3(gul)", "s5 k5-rød"); in the tail, a score ("R=12", "(12)")
#: and the separators around scores and zone words.
_HEAD = re.compile(r"^\(?\s*(?:s\s*[:=]?\s*(\d)\s*[,;/x*\- ]*\s*k\s*[:=]?\s*(\d)|(\d)\s*[/x*,;-]\s*(\d))(?!\d)")
_TAIL_SCORE = re.compile(r"(?<![a-zæøå\d])(?:r|rv|risiko|risikoverdi)?\s*[=:]?\s*(\d+)(?!\d)")
_TAIL_SEPARATORS = re.compile(r"[,;()\[\]/=:\-–—]+")
_DIGIT_WORD = re.compile(r"^(?:(?P<w1>.*?)\s*\((?P<d1>\d)\)|(?P<d2>\d)\s*[-:.=]?\s*(?P<w2>[^\d].*))$")
_SCALE_HINT = re.compile(r"(?<![\d])1\s*[-–]\s*([345])(?![\d])")
_WHOLE = re.compile(r"(?<=\d)[.,]0+$")
_DESCRIBED = re.compile(r"\s+[-–—]\s+|:\s+")  # a label, then a description: "Lite sannsynlig – kan skje"
_CODE_LABEL = re.compile(r"((?:[ivx]+|[a-e]))\s*[-–:=]\s*(\D.*)")  # "i - svært lav", "c: middels"
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "(flere tilfeller)", "(3)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_PIECES = re.compile(r"[,;\n]")
_LEVEL_START = re.compile(r"(?:^|[,;\n:])\s*[1-9]\s*(?:[-=:.)–]|\s)\s*[^\W\d]", re.MULTILINE)
_INLINE_LEVEL = re.compile(r"^(?:[^\d:]{2,40}:\s*)?([1-9])\s*(?:[-=:.)–]\s*|\s+)([^\d=:]{2,60})$")
_TWO_PARTS = re.compile(r"([^()]+?)\s*(?:\(([^()]+)\)|\s[-–]\s(.+)|,\s(.+)|/\s(.+))")
_SCORE_MARK = re.compile(r"^(?:r|rv|risiko|risikoverdi|sxk|s x k)\s*[=:]?\s*(?=\d+$)")
_ZONE_TWICE = re.compile(r"([^\d()]+?)\s*(?:\(([^\d()]+)\)|-\s*([^\d()]+))")
_CLASS_RANGE = re.compile(r"([1-9])\s*[-–/]\s*([1-9])")
#: Units of bare numbers in a consequence header, and what they read as ("500" under "(1000 kr)": "500 tusen kr").
_CONSEQUENCE_UNITS = (
    ("mill kr", re.compile(r"\bmill(?:\.|ioner|ionar)?\s*(?:kr|kroner|nok)\b|\bmnok\b|\bi mill(?:ioner|ionar)?\b")),
    ("tusen kr", re.compile(r"\b(?:1\s?000|tusen|1000)\s*(?:kr|kroner|nok)\b|\b(?:tnok|kkr)\b")),
    ("kr", re.compile(r"\((?:kr|nok|kroner)\)|,\s*(?:kr|nok|kroner)$|\bi (?:kr|kroner|nok)$")),
    ("døgn", re.compile(r"\((?:antall )?(?:døgn|dager|dagar)\)|,\s*(?:døgn|dager|dagar)$|\bi (?:døgn|dager)$")),
    ("timer", re.compile(r"\((?:timer|timar|t)\)|,\s*(?:timer|timar)$|\bi timer$")),
)
CONSEQUENCE_UNITS = {"mill kr": "NOK", "tusen kr": "NOK", "kr": "NOK", "døgn": "days", "timer": "days"}
#: Units of bare numbers in a probability header: «Sannsynlighet (%)» and «Gjentaksintervall (år)».
PROBABILITY_UNITS = ("percent", "years")
UNCERTAIN = "usikker:"  # a unit over numbers that may as well be classes (see :func:`without_unit`)
_PERCENT_HEADER = re.compile(r"%|\bprosent")
_YEARS_HEADER = re.compile(r"\(år\)|,\s*år$|\bi år\b|\bgjentaksintervall|\bgjentakingsintervall|\breturperiode|"
                           r"\bår mellom\b")
#: Words that name a return period: a column under them is a probability whatever else its header says.
RETURN_PERIOD = re.compile(r"\bgjentaksintervall|\bgjentakingsintervall|\breturperiode|\bår mellom hend")
_RATE_HEADER = re.compile(r"\b(?:per|pr)\.?\s*år\b|\bi året\b|\bårlig|\bårleg")
#: Where a normalised line of pairs parts: an arrow, ";" or "|", a "/", "," or "-" before the next pair's S or
#: its phase word ("s3k4/s2k2", "før:3/4, etter:2/2", "s3 k4-s2 k2"), a "/" after a bracket, a space before
#: a phase word; and the phase words around a part ("før:", "etter tiltak:", "dagens risiko:", "(etter)").
_PARTS = re.compile(r"\s*(?:→|->|=>|⇒|;|\|)\s*|(?<=\))\s*/\s*|\s*[/,-]\s*(?=s\s*[:=]?\s*\d|(?:etter|rest|nye?)\b)"
                    r"|\s+(?=(?:etter|rest|nye?)\b)")
_PHASE_BEFORE = re.compile(r"^(?:(?P<word>før|for|etter|restrisiko|rest|nye?|dagens)(?:\s*tiltak)?(?:\s*risiko)?"
                           r"|risiko)\s*[:=]?\s*")
_PHASE_AFTER = re.compile(r"\s*\((?P<word>før|for|etter|rest)(?:\s*tiltak)?\)$")
_AFTER_WORDS = frozenset({"etter", "rest", "restrisiko", "ny", "nye"})


@dataclass(frozen=True)
class Scale:
    """A source's own scale: its number of levels and its words (``normalised word → level``).

    Hashable by content, so readings can be remembered per scale (two scales with the same levels
    and words read alike; identity would be reused by a new object once the old one is gone)."""

    levels: int  # 0: not said (a header that names only a unit)
    words: dict[str, int] = field(default_factory=dict)
    origin: str = ""
    unit: str = ""  # "percent" ("Årlig sannsynlighet (%)") or "years" ("Gjentaksintervall (år)"): what a bare number is
    inverted: bool = False  # numbered from the top: level 1 is the highest ("1 = Svært sannsynlig")

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:  # computed once: every cell read looks its scale up (the words are never changed)
        return hash((self.levels, tuple(sorted(self.words.items())), self.origin, self.unit, self.inverted))


def class_names(criteria: Criteria, kind: str) -> dict[str, int]:
    """The criteria's class words (normalised word → class) for ``kind`` ("probability" or "consequence")."""
    if kind == "probability":
        return dict(criteria._probability_names)
    names: dict[str, int] = {}
    for area in criteria.area_keys:
        for word, cls in criteria._consequence_names[area].items():
            names.setdefault(word, cls)
    return names


def oriented(scale: Scale, names: dict[str, int]) -> Scale:
    """``scale``, marked inverted when its words, read by the criteria's class words ``names``, fall as
    its levels rise: a legend "1 – Svært sannsynlig … 5 – Lite sannsynlig" is numbered from the top, so
    its level ``l`` (a digit in a cell, or a word of the legend) is level ``n + 1 − l`` of the criteria's
    direction. At least three levels must read, each no higher than the one before, the last lower."""
    read = sorted((level, names[word]) for word, level in scale.words.items() if word in names and len(word) > 1)
    by_level: dict[int, int] = {}
    for level, cls in read:
        by_level.setdefault(level, cls)
    classes = [by_level[level] for level in sorted(by_level)]
    falling = len(classes) >= 3 and classes[-1] < classes[0] and \
        all(b <= a for a, b in itertools.pairwise(classes))
    return dataclasses.replace(scale, inverted=True) if falling else scale


@dataclass(frozen=True)
class Mapped:
    """A cell read as a class (or a zone, or a score): ``None`` with ``reason`` when it could not be."""

    value: int | str | None
    how: str = ""
    raw: str | None = None  # the original text when the value came from a text
    review: str | None = None  # what a person should check
    reason: str | None = None  # why it could not be read
    pair: tuple[int | None, int | None] | None = None  # (probability, consequence) from "S3 K4"
    residual_pair: tuple[int, int] | None = None  # the after-measures pair: "Før: S3 K4 / Etter: S2 K3"
    score: int | None = None


@lru_cache(maxsize=4096)  # header labels recur across a batch's files
def scale_from_header(label: str) -> Scale | None:
    """A scale size hinted in a header: "S (1-4)", "Konsekvens 1–3"; or the unit of its bare numbers:
    percent per year ("Årlig sannsynlighet (%)", "Sannsynlighet i prosent"), years between events
    ("Gjentaksintervall (år)", "Returperiode, år"; never "per år", which is a rate), an amount
    ("Økonomi (1000 kr)", "Tap, mill. kr", "(MNOK)", "(kr)") or a duration ("Nedetid (døgn)", "Varighet,
    timer"). A consequence unit counts only in a column of the area with that unit, and only when some
    of the column's numbers lie above the class scale (see :func:`without_unit`)."""
    text = clean(label)
    m = _SCALE_HINT.search(text)
    if m:
        return Scale(int(m.group(1)), origin=f"overskriften «{text}»")
    key = normalise(text)
    unit = "percent" if _PERCENT_HEADER.search(key) else "years" if _YEARS_HEADER.search(key) and \
        not _RATE_HEADER.search(key) else next((u for u, pattern in _CONSEQUENCE_UNITS if pattern.search(key)), "")
    return Scale(0, origin=f"overskriften «{text}»", unit=unit) if unit else None


def without_unit(scale: Scale | None, values: list[object], levels: int) -> Scale | None:
    """A column's header scale when none of its numbers lies above the class scale: "Økonomi (kr)" over
    1–5 holds classes (1–5 kroner would be absurd), so the unit goes; "(døgn)", "(1000 kr)" or "(mill. kr)"
    over 1–5 may be classes or amounts, so such numbers are not read (unit ``uncertain``, flagged)."""
    if scale is None or scale.unit not in CONSEQUENCE_UNITS:
        return scale
    numbers = [float(v) if not isinstance(v, str) else float(v.strip().replace(",", ".")) for v in values
               if (isinstance(v, (int, float)) and not isinstance(v, bool)) or
               (isinstance(v, str) and _BARE_NUMBER.fullmatch(v.strip()))]
    if any(n > levels for n in numbers):
        return scale
    if scale.unit != "kr":
        return dataclasses.replace(scale, unit=f"{UNCERTAIN}{scale.unit}")
    return dataclasses.replace(scale, unit="") if scale.levels else None


def legend_alternatives(word: str) -> tuple[str, ...]:
    """The parts of a legend label that name its level on their own (normalised): "Alvorlig/ farlig" →
    ("alvorlig", "farlig"); "I – Svært lav" → ("i", "svært lav"); "Sannsynlig (flere tilfeller)" → ("sannsynlig",);
    "Lite sannsynlig – kan skje" → ("lite sannsynlig",). KMD's plan-ROS labels pair two words per level, and a
    sheet writes either of them; a description after a spaced dash or a colon, or a note or level in brackets at
    the end, is not part of the words ("Alvorlig/ farlig (4)")."""
    key = normalise(word)
    head = _DESCRIBED.split(word.strip(), maxsplit=1)
    if len(head) > 1 and not _CODE_LABEL.fullmatch(normalise(word)):  # "Lite sannsynlig – kan skje"
        return tuple(p for p in (normalise(head[0]), *legend_alternatives(head[0])) if p and p != key)
    parts = [p.strip() for p in _NOTE.sub("", key).split("/") if p.strip()]
    code = _CODE_LABEL.fullmatch(parts[0]) if parts else None
    if code:
        parts[:1] = [code.group(1), code.group(2)]
    return tuple(p for p in parts if p != key)


def inline_levels(cells: list[object]) -> dict[str, int]:
    """A scale written across a row or in one cell: "1 Svært lite sannsynlig" | "2 Lite sannsynlig" | …, or
    "Sannsynlighet: 1 = Lite sannsynlig, 2 = Mindre sannsynlig, …" (normalised word → level); empty unless
    it names three levels or more."""
    texts = [c for c in cells if isinstance(c, str)]
    if len(_LEVEL_START.findall("\n".join(texts))) < 3:  # most rows: no three levels at all
        return {}
    found: dict[str, int] = {}
    for cell in texts:
        for piece in _PIECES.split(cell):
            m = _INLINE_LEVEL.match(normalise(piece))
            if m:
                found.setdefault(m.group(2).strip(), int(m.group(1)))
    return found if len(set(found.values())) >= 3 else {}


def rescale(level: int, source: int, target: int) -> int:
    """The proportional-position rule of the module docstring."""
    if source == target or source < 2:
        return level
    return math.floor(1 + (level - 1) * (target - 1) / (source - 1) + 0.5)


class ValueMapper:
    """Reads cells against one criteria set and, where the source has them, its own scales."""

    def __init__(self, criteria: Criteria, probability: Scale | None = None,
                 consequence: Scale | None = None) -> None:
        self.criteria = criteria
        self.scales = {"probability": probability, "consequence": consequence}
        self._memo: dict[tuple[str, object, Scale | None], Mapped] = {}  # values repeat down a column

    def probability(self, value: object, scale: Scale | None = None) -> Mapped:
        scale = scale or self.scales["probability"]
        key = ("", value, scale)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._class(value, scale, self.criteria.probability_levels,
                                                  self.criteria.read_probability, "sannsynlighet")
        return found

    def consequence(self, area: str, value: object, scale: Scale | None = None) -> Mapped:
        scale = scale or self.scales["consequence"]
        key = (area, value, scale)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._consequence(area, value, scale)
        return found

    def _consequence(self, area: str, value: object, scale: Scale | None) -> Mapped:
        read = (lambda v: self.criteria.read_consequence(area, v))  # noqa: E731
        if scale is not None and scale.unit.startswith(UNCERTAIN) and _with_unit(value, "kr"):
            unit = scale.unit.removeprefix(UNCERTAIN)
            reason = f"«{value}» under {scale.origin} kan være en klasse eller {value} {unit}; ikke lest"
            return Mapped(None, raw=str(value), reason=reason, review=f"konsekvens {reason}")
        united = None
        if scale is not None and scale.unit in CONSEQUENCE_UNITS and area in self.criteria.area_keys and \
                self.criteria.area(area).unit == CONSEQUENCE_UNITS[scale.unit]:
            united = _with_unit(value, scale.unit)
        if united and scale:
            return self._united(value, united, scale, read)
        return self._class(value, scale if scale is None or not scale.unit else self.scales["consequence"],
                           self.criteria.consequence_levels_count, read, "konsekvens")

    def _class(self, value: object, scale: Scale | None, target: int, read: object, what: str,
               parts: bool = True) -> Mapped:
        verbatim = value if isinstance(value, str) else None  # kept in ``raw``: the source's text exactly
        text = clean(value) if isinstance(value, str) else None  # for messages
        if scale is not None and scale.unit and what == "sannsynlighet":
            united = _with_unit(value, scale.unit)
            if united is not None:
                return self._united(value, united, scale, read)
        source = scale.levels if scale and scale.levels else target
        level: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            level = value if 1 <= value <= source else None
        elif text is not None:
            key = normalise(text)
            if scale and key in scale.words:
                level = scale.words[key]
            elif _is_number(whole := _WHOLE.sub("", key)) and 1 <= int(whole) <= source:
                level = int(whole)  # "3", and "3,0" as a whole number stored as text (a CSV's decimal comma)
            elif key in _ROMAN and _ROMAN[key] <= source:  # "IV": Roman numerals as levels
                level = _ROMAN[key]
            else:
                level = self._digit_with_word(key, scale, source, read)
            if level is None:  # "Store konsekvenser", "Høg sannsyn": a class word with its noun
                for form in bare_forms(key, what):
                    if scale and form in scale.words:
                        level = scale.words[form]
                        break
                    reading = read(form)  # type: ignore[operator]
                    if reading.value is not None:
                        return Mapped(reading.value, how=f"«{text}» = klasse {reading.value}", raw=verbatim)
        if level is not None:
            if scale is not None and scale.inverted and scale.levels:
                level = scale.levels + 1 - level  # numbered from the top (see :func:`oriented`)
            cls = rescale(level, source, target)
            raw = verbatim if text is not None and not _is_number(text) else None
            if source != target:
                origin = f" ({scale.origin})" if scale and scale.origin else ""
                note = f"{what} {level} av {source} i kilden er satt til klasse {cls} av {target}{origin}"
                return Mapped(cls, how=note, raw=verbatim or str(value), review=note)
            how = f"«{text}» = klasse {cls}" if raw else f"klasse {cls}"
            if scale and raw and normalise(text) in scale.words:
                how += f" etter kildens egen tegnforklaring ({scale.origin})"
            if scale is not None and scale.inverted:
                note = f"{what} «{text or value}» = klasse {cls}: kildens skala er nummerert ovenfra ({scale.origin})"
                return Mapped(cls, how=note, raw=verbatim or str(value), review=note)
            return Mapped(cls, how=how, raw=raw)
        between = _CLASS_RANGE.fullmatch(normalise(text)) if text is not None else None
        if between and max(int(between.group(1)), int(between.group(2))) <= source:  # "2-3": between two classes
            reason = f"«{text}» ligger mellom to klasser"
            return Mapped(None, raw=verbatim, reason=reason, review=f"{what} {reason}; velg én")
        reading = read(value)  # type: ignore[operator]
        if reading.value is not None:
            return Mapped(reading.value, how=reading.how, raw=verbatim)
        halves = two_parts(text) if parts and text is not None else []
        if len(halves) == 2:
            # "Middels (1 gang per 10 år)", "Store – 2-20 mill": a class word and a fact that agree (split once)
            first, second = (self._class(half, scale, target, read, what, parts=False) for half in halves)
            if first.value is not None and first.value == second.value:
                return Mapped(first.value, how=f"«{text}»: {first.how}; {second.how}", raw=verbatim)
            if first.value is not None and second.value is not None:
                reason = f"«{text}» sier både klasse {first.value} og {second.value}"
                return Mapped(None, raw=verbatim, reason=reason, review=f"{what} {reason}")
        return Mapped(None, raw=verbatim, reason=reading.reason or f"ukjent {what}: «{text}»",
                      review=f"{what} «{text}» kunne ikke leses: {reading.reason}" if text else None)

    @staticmethod
    def _united(value: object, united: str, scale: Scale, read: Any) -> Mapped:
        """A bare number under a header that names its unit: read as the fact the header says it is."""
        raw = str(value)
        what = "sannsynlighet" if scale.unit in PROBABILITY_UNITS else "konsekvens"
        if not united:
            reason = (f"«{raw}» under {scale.origin} kan være en andel (formatert som prosent) eller prosent; "
                      "ikke lest")
            return Mapped(None, raw=raw, reason=reason, review=f"{what} {reason}")
        reading = read(united)
        if reading.value is None:
            return Mapped(None, raw=raw, reason=reading.reason, review=f"{what} «{raw}» ({united}) "
                                                                         f"kunne ikke leses: {reading.reason}")
        how = f"«{raw}» som «{united}» ({scale.origin}): {reading.how}"
        return Mapped(reading.value, how=how, raw=raw)

    @staticmethod
    def _digit_with_word(key: str, scale: Scale | None, source: int, read: Any) -> int | None:
        """"Middels (3)", "3 - Middels", "4 (kritisk)", "(3)": the digit when the word is a known label that
        agrees (or there is none)."""
        m = _DIGIT_WORD.match(key)
        if not m:
            return None
        digit = int(m.group("d1") or m.group("d2"))
        word = (m.group("w1") or m.group("w2") or "").strip().strip("()").strip()  # "4 (kritisk)"
        if not 1 <= digit <= source:
            return None
        if not word:  # "(3)": the level in brackets
            return digit
        if scale and word in scale.words:
            return digit if scale.words[word] == digit else None
        reading = read(word)
        return digit if reading.value == digit and reading.text else None

    # --- risk columns ------------------------------------------------------------------------

    def risk(self, value: object, scales: tuple[Scale | None, Scale | None] = (None, None)) -> Mapped:
        """A risk cell: a pair of classes, a score, or a zone word."""
        text = clean(value) if isinstance(value, str) else None
        key = normalise(text) if text else ""
        pair = pair_of(key) if text else None
        if pair is None and isinstance(value, str):
            found = self._pairs_with_note(value)
            if found is not None:
                return found
        if pair:
            p, k = pair
            mp = self.probability(p, scales[0])
            mk = self._class(k, scales[1] or self.scales["consequence"], self.criteria.consequence_levels_count,
                             lambda v: Reading(None, reason=f"konsekvens {v} er utenfor skalaen"), "konsekvens")
            if mp.value is not None and mk.value is not None:
                review = "; ".join(x for x in (mp.review, mk.review) if x) or None
                return Mapped(None, how=f"«{text}» = sannsynlighet {mp.value}, konsekvens {mk.value}", raw=str(value),
                              pair=(int(mp.value), int(mk.value)), review=review)
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        key = _SCORE_MARK.sub("", key)  # "R=12", "RV 12": the score
        if number is None and _is_number(key):
            number = int(key)
        if number is not None:
            return self.score(number, value if isinstance(value, str) else None)
        if key:
            zone = self.zone_word(key) or self._zone_twice(key)
            if zone is not None:
                return zone if zone.raw else Mapped(zone.value, how=zone.how, raw=str(value), review=zone.review)
        lines = value.splitlines() if isinstance(value, str) else []
        if len(lines) > 1 and lines[0].strip():  # "Rød" with a remark below it
            first = self.risk(lines[0])
            if first.value is not None or first.pair is not None:
                return Mapped(first.value, how=first.how, raw=str(value), review=first.review, pair=first.pair,
                              score=first.score)
        return self._unreadable_risk(value, text)

    @staticmethod
    def _unreadable_risk(value: object, text: str | None) -> Mapped:
        return Mapped(None, raw=value if isinstance(value, str) else None,
                      reason=f"ukjent risikoverdi «{text or value}»",
                      review=f"risikoverdien «{text or value}» kunne ikke leses")

    def _pairs_with_note(self, value: str) -> Mapped | None:
        """S/K pairs at the start of a cell, the rest a note (:func:`phased_pairs`): "S4 K2" with a
        remark on the next line, "Før: S3 K4 / Etter: S2 K3", "3/4 → 2/2". The pair before measures,
        and one after; the whole text stays in ``raw``. ``None`` when the cell does not start with pairs."""
        phased = phased_pairs(value)
        if phased is None:
            return None
        read = [self.risk(f"S{p} K{k}") for p, k in phased]
        if any(r.pair is None for r in read):
            return None
        before = read[0]
        after = read[1].pair if len(read) > 1 else None
        how = f"«{clean(value)}» = sannsynlighet {before.pair[0]}, konsekvens {before.pair[1]}"  # type: ignore[index]
        if after is not None:
            how += f"; etter tiltak {after[0]}, {after[1]}"
        review = "; ".join(x for x in (r.review for r in read) if x) or None
        return Mapped(None, how=how, raw=value, pair=before.pair,
                      residual_pair=(int(after[0] or 0), int(after[1] or 0)) if after else None, review=review)

    def score(self, score: int, text: str | None = None) -> Mapped:
        """A risk score: the zone when every (p, k) cell with that score has the same zone."""
        c = self.criteria
        zones = {c.zone(p, k) for p in range(1, c.probability_levels + 1)
                 for k in range(1, c.consequence_levels_count + 1) if c.risk_score(p, k) == score}
        if len(zones) == 1:
            zone = zones.pop()
            return Mapped(zone, how=f"risikotall {score} → sone «{self.zone_name(zone)}»", raw=text, score=score)
        return Mapped(None, raw=text or str(score), score=score,
                      reason=f"risikotallet {score} gir ingen entydig sone i kriteriene",
                      review=f"risikotallet {score} gir ingen entydig sone; sannsynlighet og konsekvens mangler")

    def _zone_twice(self, key: str) -> Mapped | None:
        """"Lav (grønn)", "Høy - rød": a zone word and its colour, when both name the same zone."""
        m = _ZONE_TWICE.fullmatch(key)
        if m is None:
            return None
        first, second = self.zone_word(m.group(1).strip()), self.zone_word((m.group(2) or m.group(3)).strip())
        return first if first is not None and second is not None and first.value == second.value else None

    def zone_word(self, key: str) -> Mapped | None:
        rank = _zone_words().get(key)
        if rank is None:
            return None
        zones = self.criteria.zones
        zone = zones[min(rank, len(zones) - 1)]
        review = (f"«{key}» er satt til sonen «{zone.label.nb}» (kriteriene har bare {len(zones)} soner)"
                  if rank >= len(zones) else None)
        return Mapped(zone.key, how=f"«{key}» → sone «{zone.label.nb}»", review=review)

    def colour_zone(self, rgb: str) -> Mapped:
        """The criteria zone of a fill colour (see the module docstring): the zone whose colour is of
        the same family (red, orange, yellow, green, by hue), the nearest in lightness among them;
        orange counts as yellow when no zone is orange; otherwise the nearest in hue and lightness."""
        hue, light = _hue_light(rgb)
        zones = [(z.key, *_hue_light(z.colour)) for z in self.criteria.zones]
        family = _family(hue)
        if family == "orange" and not any(_family(h) == "orange" for _, h, _ in zones):
            family = "yellow"  # orange stands for yellow
        same = [z for z in zones if _family(z[1]) == family or (family == "yellow" and _family(z[1]) == "orange")]
        def distance(zone: tuple[str, float, float]) -> float:
            d = abs(zone[1] - hue) % 360
            return min(d, 360 - d) / 90 + abs(zone[2] - light)
        key = (min(same, key=lambda z: abs(z[2] - light)) if same else min(zones, key=distance))[0]
        return Mapped(key, how=f"fyllfarge #{rgb} → sone «{self.zone_name(key)}»", raw=f"fyllfarge #{rgb}")

    def zone_name(self, key: str | None) -> str:
        """A zone's Norwegian label ("Rød – uakseptabel"), for messages."""
        return next((z.label.nb for z in self.criteria.zones if z.key == key), str(key))


#: Hue families (degrees): Excel's standard fills sit well inside them (C00000/FF0000 red, FFC000
#: orange, FFFF00 yellow, 92D050/00B050 green).
_FAMILIES = ((15.0, "red"), (42.0, "orange"), (75.0, "yellow"), (200.0, "green"), (330.0, "other"), (360.0, "red"))


def _family(hue: float) -> str:
    return next(name for limit, name in _FAMILIES if hue < limit)


def _hue_light(rgb: str) -> tuple[float, float]:
    h, light, _ = colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    return h * 360, light


@cache
def _zone_words() -> dict[str, int]:
    return {normalise(w): rank for rank, words in enumerate(table()["zones"]["ranks"]) for w in words}


def two_parts(text: str) -> list[str]:
    """The two halves of a class word and a fact in one cell («Middels (1 gang per 10 år)», «Store – 2-20
    mill», «Sannsynlig, kvart 4. år»); empty unless the text parts in exactly two."""
    both = _TWO_PARTS.fullmatch(text) if len(text) <= 80 else None
    return [g.strip() for g in both.groups() if g and g.strip()] if both is not None else []


def pair_of(key: str) -> tuple[int, int] | None:
    """The (S, K) of a normalised cell that is one pair: "s3 k4", "3/4", "(3,4)", or a pair with a tail that
    only repeats it: its score ("3 x 4 = 12", "S=5 K=5 (R=25)", "S3 K4 R12"), a zone word ("2/3 (gul)",
    "S5 K5 – rød"), or both ("3x4=12 (gul)", "S3, K4 (R=12, gul)"). A tail that disagrees (a score other
    than S × K or S + K, two zones) or says anything else: None."""
    if key.startswith("(") and key.endswith(")"):
        key = key[1:-1].strip()
    m = _PAIR.match(key)
    if m:
        pair = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        return pair if min(pair) >= 1 else None  # "3,0" is a number, not S3 K0
    head = _HEAD.match(key)
    if head is None:
        return None
    p, k = int(head.group(1) or head.group(3)), int(head.group(2) or head.group(4))
    tail = key[head.end():]
    if min(p, k) < 1 or not tail.strip() or any(int(n) not in (p * k, p + k) for n in _TAIL_SCORE.findall(tail)):
        return None
    words = {w for part in _TAIL_SEPARATORS.split(_TAIL_SCORE.sub(" ", tail)) if (w := part.strip())}
    return (p, k) if all(w in _zone_words() for w in words) and len({_zone_words()[w] for w in words}) <= 1 else None


def phased_pairs(value: str) -> list[tuple[int, int]] | None:
    """The pairs a cell starts with, before measures first: its leading lines, each of pairs only
    (:func:`pair_of`, tails allowed) in parts (:data:`_PARTS`) with their phase words; the first line
    that is anything else begins a note. A part marked «etter»/«rest» is after measures, an unmarked
    second part too. ``None`` unless there is one pair before measures and at most one after."""
    before: list[tuple[int, int]] = []
    after: list[tuple[int, int]] = []
    for line in value.splitlines():
        key = normalise(line)
        if not key:
            continue
        parts = [part for part in _PARTS.split(key) if part.strip(" ,/-")]
        read = [_phased(part) for part in parts]
        if not read or any(r is None for r in read):
            break  # the note begins
        for pair, later in (r for r in read if r is not None):
            (after if later or before else before).append(pair)
    return before + after if len(before) == 1 and len(after) <= 1 else None


def _phased(part: str) -> tuple[tuple[int, int], bool] | None:
    """One part of a line of pairs: the pair, and whether its phase word says after measures."""
    words = set()
    if (m := _PHASE_BEFORE.match(part)) is not None:
        words.add(m.group("word"))
        part = part[m.end():]
    if (m := _PHASE_AFTER.search(part)) is not None:
        words.add(m.group("word"))
        part = part[:m.start()]
    pair = pair_of(part.strip(" ,/-"))
    return (pair, bool(words & _AFTER_WORDS)) if pair is not None else None


def bare_forms(key: str, what: str) -> list[str]:
    """A class phrase without its noun ("store konsekvenser" → "store"; "høg sannsyn" → "høg"), and the
    adjective's singular ("alvorlige" → "alvorlig", "begrensede" → "begrenset"); empty when ``key`` does not
    end in the noun of its kind (``[values]`` in headers.toml)."""
    words = key.split()
    nouns = _class_nouns()["probability_nouns" if what == "sannsynlighet" else "consequence_nouns"]
    if len(words) < 2 or words[-1] not in nouns:
        return []
    bare = " ".join(words[:-1])
    forms = [bare]
    if bare.endswith("ede"):
        forms.append(bare[:-3] + "et")
    if bare.endswith("e"):
        forms.append(bare[:-1])
    return forms


@cache
def _class_nouns() -> dict[str, frozenset[str]]:
    return {k: frozenset(normalise(w) for w in table()["values"][k])
            for k in ("probability_nouns", "consequence_nouns")}


def _with_unit(value: object, unit: str) -> str | None:
    """The fact a bare number means under a unit header ("2" under "%" → "2 %"; "50" under "år" → "1 gang per
    50 år"); ``""`` for a number below 1 under "%" that is not text (a share formatted as percent, or a percent:
    the cell's format, not read, would tell); ``None`` when the value is not a bare number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if unit == "percent" and number < 1:
            return ""
    elif isinstance(value, str) and _BARE_NUMBER.fullmatch(value.strip()):
        number = float(value.strip().replace(",", "."))
    else:
        return None
    shown = f"{number:.12g}".replace(".", ",")
    if unit == "percent":
        return f"{shown} %"
    if unit == "years":
        return f"1 gang per {shown} år" if number > 0 else None
    return f"{shown} {unit}"


_BARE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()
