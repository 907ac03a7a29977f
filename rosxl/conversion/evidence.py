"""What a column's *content* says it is, and how that is combined with what its header says.

**Content profile.** Up to :data:`SAMPLE` non-empty values of a column are each given one kind:
``class`` (1–9, A–E, I–V, a class word of the criteria or the source's legend, "Middels (3)", a legend
label of two class words "Alvorlig/ farlig"), ``likelihood`` (a word only a probability scale uses:
"Lite sannsynlig", "Periodevis"; ``[values]`` in headers.toml), ``pair`` ("S3 K4", "2/3 (gul)",
"3 x 4 = 12", also with a note on the lines below or an after-measures part: "3/4 → 2/2"), ``zone`` (a zone word:
"Rød", "Uakseptabel"), ``score`` (a whole number 10–25), ``frequency`` ("hvert 15. år", "3 % per år"),
``money`` ("2,5 mill.", or a number ≥ 1000), ``duration`` ("3 døgn"), ``casualties`` ("2 døde"),
``area`` (a consequence area's name), ``date``, ``text`` (free text of four words or 30 characters),
``short`` (a few words) or ``code`` (no words: "N1", "1.2"), ``fraction`` (a number between 0 and 1).
The profile is the share of each kind, and how many of the texts are unique.

**The one score.** For a column with header field *h* (from :mod:`.headers`, score *s*) and a
content profile, the column's field and score are:

0. a column of area names (80 %) under no header or a class header: ``area``, a *long* table (one
   row per scenario and area; the rows of one scenario are joined, its consequence column read for
   the row's area);
   an ambiguous header (two fields near-tied) whose content fits exactly one of them: that one;
1. *h* when the share of values compatible with *h* (:data:`COMPATIBLE`) is at least 0.5, or the
   column is empty: score *s* (the header decides; content agrees);
2. otherwise, a column of numbers under a header that names their unit (the header's own field
   when the unit is that field's: "Stans i tjenester (timer)" over 480 is hours, not kroner): a return period
   ("Gjentaksintervall", "Returperiode (år)") is ``probability``, kroner or days ("Tap (1000 kr)",
   "Nedetid (døgn)") the criteria's area of that unit (:meth:`Evidence.named_by_unit`); and when
   one *typed* kind (frequency, a probability word such as "sannsynlig" or "periodevis", money,
   duration, casualties, pair) covers at least :data:`DOMINANT` of the values (under a header that
   means nothing: together with the classes among them, when it alone covers
   :data:`TYPED_AMONG_CLASSES`): the field that kind means (a frequency or a probability word is
   ``probability``, money the criteria's NOK area, days its days area, casualties its persons area,
   a pair ``risk``; after measures when the header says so), score = that share. Typed content wins over the header for
   typed fields, and the report says so (``column-content-wins``; ``column-by-content`` when the
   header meant nothing);
3. otherwise, when *h* is a class field (probability, consequence, risk; with two values or more,
   or one under a risk header: a one-row table's title under "Risiko") and at least
   :data:`DOMINANT` of the values are free text, unique, or the values are texts of words, 90 %
   unique (titles): ``title`` when no other column is the
   title, else ``description``, else nothing (``extra``); score = that share;
4. a column without a field under a consequence group ("Konsekvens" over "Dyrevelferd") whose
   values are classes: a consequence area of its own (added to the criteria, see
   :func:`rosxl.conversion.extract.assign.with_area`);
5. otherwise *h* (possibly none: the column stays in ``extra`` and is flagged).

Then, per table, class columns still without a field take one from their place (:func:`by_position`:
the probability stands before the consequences, the areas side by side), and free text under a
score-like header right of a column of unique titles is the description, not the title.

After all columns are decided, a table without a title column takes, among the columns without a
field, the one whose texts of words are most often unique (at least 90 %; leftmost on a tie),
a column whose texts mostly name an unwanted event (:func:`event_share`) before one whose texts do
not, reported as ``column-by-content``. An ambiguous header left without a field («Hendelsestype»:
title or category) then takes the other field when another column holds the title (``column-beside-title``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from rosxl import facts
from rosxl.conversion.headers import group_context, match, table
from rosxl.conversion.values import (
    CONSEQUENCE_UNITS,
    PROBABILITY_UNITS,
    RETURN_PERIOD,
    bare_forms,
    legend_alternatives,
    pair_of,
    phased_pairs,
    scale_from_header,
    two_parts,
)
from rosxl.criteria import Criteria
from rosxl.fields import FieldPath
from rosxl.text import clean, normalise

SAMPLE = 60
DOMINANT = 0.6
TYPED_AMONG_CLASSES = 0.3  # a header that means nothing: a typed kind this common, with classes, decides
TYPED = ("frequency", "likelihood", "money", "duration", "casualties", "pair")
_FACT_KINDS = frozenset({"frequency", "money", "duration", "casualties"})  # a fact beside a class word
CLASS_FIELDS = ("probability", "consequence", "risk")
_AREA = FieldPath("area")
# a pair on the first line
_PAIR = re.compile(r"^(?:s\s*[:=]?\s*\d\s*[,;/x*\- ]*\s*k\s*[:=]?\s*\d(?:\s|$)|\d\s*[/x*,;]\s*\d$)")
_DATE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4})(?:[t ]\d{2}:\d{2}(?::\d{2})?)?$")
_LETTER = re.compile(r"^[a-e]$")
_WORD_DIGIT = re.compile(r"^[^\d()]{2,40}\(\d\)$|^\d\s*[-.:]\s*[^\d]{2,40}$")  # "Middels (3)", "3 - Middels"
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SK_ANY = re.compile(r"(?<![a-zæøå])s\s*[:=]?\s*\d\s*[,;/x*\- ]*\s*k\s*[:=]?\s*\d(?!\d)")  # "Før: S3 K4 / Etter: …"
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v)$")
_WHOLE_CLASS = re.compile(r"^[1-9](?:[.,]0+)?$")  # "3", and "3,0" (a CSV's whole number)
_AMOUNT = re.compile(r",-+$|\d \d{3}\b")  # "500 000,-", "1 000 000": an amount, not a code
_MARKS = re.compile(r"^(?:k|kons|konsekvens)\b\.?\s*|\s*\((?:k|kons|konsekvens)\)$")  # "K miljø", "Miljø (K)"


@dataclass(frozen=True)
class Profile:
    """The kinds of a column's values (shares of the non-empty values), and the share of unique texts."""

    count: int
    shares: dict[str, float]
    unique: float

    def share(self, *kinds: str) -> float:
        return sum(self.shares.get(k, 0.0) for k in kinds)

    def describe(self) -> str:
        """"frekvens 90 %, tekst 10 %" (for the report and kobling.toml)."""
        if not self.count:
            return "tom"
        parts = sorted(self.shares.items(), key=lambda kv: -kv[1])[:3]
        return ", ".join(f"{_NAMES[k]} {round(v * 100)} %" for k, v in parts) + f" av {self.count} verdier"


_NAMES = {"class": "klasse", "likelihood": "sannsynlighetsord", "fraction": "desimaltall under 1",
          "pair": "S/K-par", "zone": "soneord", "score": "risikotall", "frequency": "frekvens",
          "money": "beløp", "duration": "varighet", "casualties": "personskader", "date": "dato",
          "area": "områdenavn", "text": "fritekst", "short": "kort tekst", "code": "kode", "number": "tall"}


@dataclass(frozen=True)
class Decision:
    """A column's field after header and content are combined (see the module docstring)."""

    field: FieldPath | None
    score: float
    rule: str  # "header" | "content-wins" | "by-content" | "by-position" | "beside-title" | "none" | "mapping"
    evidence: str  # the profile in words
    free_text: bool = False  # rule 3: the title or a description, whichever is free (decided per table)


class Evidence:
    """Content kinds against one criteria set (class words and zone words are the criteria's and the data's)."""

    def __init__(self, criteria: Criteria, legend_words: frozenset[str] = frozenset()) -> None:
        self.criteria = criteria
        names = {w for area in criteria.area_keys for w in criteria._consequence_names[area]}
        self.class_words = frozenset(names | set(criteria._probability_names) | legend_words)
        self.units = {a.unit: a.key for a in criteria.areas if a.unit}
        self._kinds: dict[tuple[type, object], str] = {}

    def profile(self, values: list[object], runs: bool = False) -> Profile:
        """The column's profile; with ``runs``, a value repeated on consecutive rows counts once for
        uniqueness (a long table repeats a scenario's title on each of its rows)."""
        sample = [v for v in values if v is not None][:SAMPLE]
        kinds = Counter(self.kind(v) for v in sample)
        texts = [normalise(v) for v in sample if isinstance(v, str)]
        if runs:
            texts = [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]
        unique = len(set(texts)) / len(texts) if texts else 0.0
        n = len(sample)
        return Profile(n, {k: c / n for k, c in kinds.items()} if n else {}, unique)

    def kind(self, v: object) -> str:
        """What one value is (a key of :data:`_NAMES`), remembered: values repeat down a column and
        across a file, and a sheet's rows are asked several times (header search, content)."""
        key = (type(v), v)
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = self._classify(v)
        return found

    def _classify(self, v: object) -> str:
        if isinstance(v, bool):
            return "short"
        if isinstance(v, (int, float)):
            if float(v).is_integer() and 1 <= v <= 9:
                return "class"
            if float(v).is_integer() and 10 <= v <= 25:
                return "score"
            if 0 < v < 1:
                return "fraction"  # events a year, or a share formatted as percent ("2 %" is 0.02)
            return "money" if v >= 1000 else "number"
        text = normalise(v)
        if len(text) <= 60 and _likelihood_words().search(text) and _is_label(text):
            return "likelihood"
        if _WHOLE_CLASS.match(text) or _LETTER.match(text) \
                or text in self.class_words or _WORD_DIGIT.match(text) or _ROMAN.match(text) \
                or ((parts := legend_alternatives(text)) and all(p in self.class_words for p in parts)) \
                or any(f in self.class_words for kind in ("konsekvens", "sannsynlighet")
                       for f in bare_forms(text, kind)):
            return "class"
        first = normalise(str(v).splitlines()[0]) if "\n" in str(v) else text  # a note may follow on the next lines
        if _PAIR.match(first) or _SK_ANY.search(text) or pair_of(text) or phased_pairs(str(v)) is not None:
            return "pair"
        if text in _zone_words():
            return "zone"
        area = match(str(v), self.criteria)
        if area.field is not None and area.field.area is not None and area.score >= 0.9:
            return "area"
        if _DATE.match(text):
            return "date"
        if text.isascii() and text.isdigit():
            return "score" if 10 <= int(text) <= 25 else "number"
        if not _WORDS.search(text) and "%" not in text and "/" not in text and not _AMOUNT.search(text):
            return "code"
        for kind, parse in (("frequency", facts.parse_frequency), ("money", facts.parse_money),
                            ("duration", facts.parse_duration), ("casualties", facts.parse_casualties)):
            if not isinstance(parse(v), facts.Failure):
                return kind
        halves = [self.kind(half) for half in two_parts(clean(str(v)))]  # «Sannsynlig, kvart 4. år»: a word, a fact
        facts_read = [k for k in halves if k in _FACT_KINDS]
        if len(halves) == 2 and len(facts_read) == 1 and {"class", "likelihood"} & set(halves):
            return facts_read[0]  # the value mapper reads both and checks that they agree
        return "text" if is_description(text) else "short"

    def compatible(self, name: FieldPath, profile: Profile) -> float:
        """The share of values that field ``name`` can hold."""
        field, area = name.field, name.area
        if field == "probability":
            return profile.share("class", "frequency", "zone", "likelihood", "fraction")
        if field == "consequence":
            unit = self.criteria.area(area).unit if area and area in self.criteria.area_keys else None
            typed: tuple[str, ...] = {"NOK": ("money",), "days": ("duration",),
                                      "persons": ("casualties",)}.get(unit or "", ())
            if not area:
                typed = ("money", "duration", "casualties")
            return profile.share("class", "zone", *typed)
        if field == "risk":
            return profile.share("class", "pair", "zone", "score")
        return 1.0

    def named_by_unit(self, label: str) -> FieldPath | None:
        """The field a header means by the unit it names for bare numbers: a return period, or a
        percentage or years («Sannsynlighet, % per år»: «0,5» is a number there, not the pair S0 K5),
        is the probability; kroner or days are the criteria's area of that unit (see
        :func:`rosxl.conversion.values.scale_from_header`); after measures under a phase that says so
        («Restrisiko / Returperiode»)."""
        scale = scale_from_header(label)
        unit = CONSEQUENCE_UNITS.get(scale.unit) if scale is not None else None
        area = next((key for u, key in self.units.items() if u == unit), None)
        if RETURN_PERIOD.search(normalise(label)) or (scale is not None and scale.unit in PROBABILITY_UNITS):
            named = FieldPath("probability")
        elif area:
            named = FieldPath("consequence", area)
        else:
            return None
        return named.after() if "after" in _contexts(label) else named

    def typed_field(self, kind: str, after: bool) -> FieldPath | None:
        """The field a dominant typed kind means."""
        unit = {"money": "NOK", "duration": "days", "casualties": "persons"}.get(kind)
        if kind in ("frequency", "likelihood"):
            name = FieldPath("probability")
        elif kind == "pair":
            name = FieldPath("risk")
        elif unit is not None:
            name = FieldPath("consequence", self.units.get(unit))  # type: ignore[call-overload]
        else:
            return None
        return name.after() if after else name

    def decide(self, label: str, header: FieldPath | None, score: float, profile: Profile,
               candidates: tuple[FieldPath, ...] = ()) -> Decision:
        """One column's field from its header and its content (rules 0–5 of the module docstring);
        ``candidates`` are the near-tied fields of an ambiguous header, of which content may pick one."""
        evidence = profile.describe()
        if profile.share("area") >= 0.8 and (header is None or header.field in CLASS_FIELDS):
            # a long table: one row per scenario and consequence area (not a category column of "Helse")
            return Decision(_AREA, round(profile.share("area"), 2), "by-content", evidence)
        fitting = [c for c in candidates if self.compatible(c, profile) >= 0.5]
        if header is None and profile.count and len(fitting) == 1:
            return Decision(fitting[0], score, "by-content", evidence)
        if header is not None and (not profile.count or self.compatible(header, profile) >= 0.5):
            return Decision(header, score, "header", evidence)
        numbers = profile.share("number", "class", "score", "money", "frequency", "duration", "pair")
        named = self.named_by_unit(label) if numbers >= DOMINANT else None
        if named is not None and header is None:  # "Gjentaksintervall" over years, "Nedetid (døgn)" over days
            return Decision(named, round(numbers, 2), "by-content", evidence)
        if named is not None and header is not None and (header.field, header.area) == (named.field, named.area):
            return Decision(header, score, "header", evidence)  # "Stans (timer)" over 480: hours, not kroner
        dominant = max(TYPED, key=profile.share)
        typed = profile.share(dominant)
        if dominant != "pair" and header is None and typed >= TYPED_AMONG_CLASSES:
            typed += profile.share("class")  # "ingen personskader", "1 død", 3: classes stand among the facts
        if typed >= DOMINANT:
            after = (header is not None and header.residual) or "after" in _contexts(label)
            field = self.typed_field(dominant, after)
            if field is not None and field != header:
                return Decision(field, round(typed, 2), "content-wins" if header else "by-content", evidence)
        contexts = _contexts(label)
        if header is None and "consequence" in contexts and " / " in label and \
                profile.share("class", "zone") >= DOMINANT:  # an area the data does not know, under "Konsekvens"
            area = hinted_area(label.rpartition(" / ")[2], self.criteria) or area_key(label.rpartition(" / ")[2])
            field = FieldPath("consequence", area, "after" in contexts)
            return Decision(field, round(profile.share("class", "zone"), 2), "by-content", evidence)
        one_title = header is not None and header.field == "risk"  # a one-row table's title under "Risiko"
        if header is not None and header.field in CLASS_FIELDS and (profile.count >= 2 or one_title) \
                and (is_free_text(profile) or is_title_like(profile)):
            return Decision(None, round(profile.share("text", "short"), 2), "content-wins", evidence, free_text=True)
        return Decision(header, score, "header" if header else "none", evidence)


_EVIDENCE: dict[int, Evidence] = {}


def evidence_for(criteria: Criteria) -> Evidence:
    """One :class:`Evidence` per criteria object, so value kinds are remembered across files."""
    found = _EVIDENCE.get(id(criteria))
    if found is None or found.criteria is not criteria:
        if len(_EVIDENCE) > 16:
            _EVIDENCE.clear()
        found = _EVIDENCE[id(criteria)] = Evidence(criteria)
    if len(found._kinds) > 50_000:
        found._kinds.clear()
    return found


def area_key(label: str) -> str:
    """A key for an area the data does not know: "Dyrevelferd" → ``dyrevelferd``, "Vann/avløp" → ``vann_avlop``."""
    text = normalise(label).translate(_ASCII)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "omrade"


def hinted_area(label: str, criteria: Criteria) -> str | None:
    """The area whose hint words (``[area_hints]`` in headers.toml: units and the nouns of an area, such
    as "kroner", "nedetid", "liv", "person*") occur in ``label``, when exactly one area's do: "Tap i
    kroner" is ``okonomi``, "Skade på personer" ``liv_og_helse``. An area the criteria lack counts when
    ``[new_areas]`` can add it ("Kritisk infrastruktur" → ``infrastruktur``)."""
    words = [w for w in re.split(r"[\s/()\-:,.&+]+", normalise(label)) if w]
    known = set(criteria.area_keys) | set(table()["new_areas"])
    found = {area for area, stems in _area_hints() if area in known and any(
        w == stem or (stem.endswith("*") and w.startswith(stem[:-1])) for stem in stems for w in words)}
    return found.pop() if len(found) == 1 else None


@cache
def _area_hints() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((area, tuple(normalise(w) + ("*" if w.endswith("*") else "") for w in words))
                 for area, words in table()["area_hints"].items())


def by_position(columns: list[tuple[int, str, Decision | None, Profile]], criteria: Criteria) -> dict[int, FieldPath]:
    """Fields that class columns without one get from their place (``columns``: position, label,
    decision, profile; every ROS table puts the probability before the consequences, and its
    consequence areas side by side):

    - in a table with consequence columns and no probability (nor a risk column of S/K pairs), the
      only column without a field whose values are classes or fractions (80 %: events a year, or a
      share formatted as percent), standing left of every consequence column, is the ``probability``;
    - a column without a field whose values are classes (80 %), next to a consequence column of an
      area (or next to one found so), is a consequence area: the criteria's area its words hint at
      (:func:`hinted_area`), else, when its label marks it a consequence ("K miljø", "Vassforsyning (K)"),
      a new area named by its label. Any other label ("Prioritet") stays without a field.
    """
    found: dict[int, FieldPath] = {}
    fields = {i: d.field for i, _, d, _ in columns if d is not None and d.field is not None}
    classes = [i for i, _, d, p in columns if i not in fields and p.count >= 2 and p.share("class") >= 0.8]
    fractions = [i for i, _, d, p in columns if i not in fields and p.count >= 2 and p.share("fraction") >= 0.8]
    areas = sorted(i for i, f in fields.items() if f.field == "consequence" and f.area and not f.residual)
    paired = any(f.field == "risk" and p.share("pair") >= 0.5 for i, _, d, p in columns if (f := fields.get(i)))
    if areas and not paired and not any(f.field == "probability" and not f.residual for f in fields.values()):
        before = sorted(i for i in (*classes, *fractions) if i < areas[0])
        if len(before) == 1:
            found[before[0]] = FieldPath("probability")
    labels = {i: label for i, label, _, _ in columns}
    block = set(areas)
    for i in sorted(classes, key=lambda i: min((abs(i - a) for a in areas), default=0)):
        if i in found or not (i - 1 in block or i + 1 in block):
            continue
        label = normalise(labels[i].rpartition(" / ")[2])
        name = _MARKS.sub("", label).strip()
        area = hinted_area(name, criteria) or (area_key(name) if name != label else None)  # "(K)": an area
        if area is not None and area not in {f.area for f in fields.values()} | {f.area for f in found.values()}:
            found[i] = FieldPath("consequence", area)
            block.add(i)
    return found


def _is_label(text: str) -> bool:
    """A few words (a scale's word), not a sentence."""
    return len(text.split()) <= 5 and not any(ch.isdigit() for ch in text)


@cache
def _likelihood_words() -> re.Pattern[str]:
    """Words that only a probability scale uses ("sannsynlig", "sjelden", "periodevis"; ``[values]``)."""
    stems = [re.escape(normalise(w).rstrip("*")) + (r"\w*" if w.endswith("*") else r"\b")
             for w in table()["values"]["likelihood_words"]]
    return re.compile(r"(?<!\w)(?:" + "|".join(stems) + ")")


def event_share(values: list[object]) -> float:
    """The share of a column's texts that name an unwanted event: a hazard or failure noun of
    ``[values] event_words`` in headers.toml, alone or ending a compound ("Skogbrann", "Dataangrep";
    not "Flomvoll"), inflected or not. What titles say, and measures or consequences seldom do."""
    texts = [normalise(v) for v in values if isinstance(v, str)][:SAMPLE]
    return sum(1 for t in texts if _event_words().search(t)) / len(texts) if texts else 0.0


@cache
def _event_words() -> re.Pattern[str]:
    words = sorted({normalise(w) for w in table()["values"]["event_words"]}, key=len, reverse=True)
    stems = "|".join((r"[^\W\d_]*" if len(w) > 3 else "") + re.escape(w) for w in words)
    return re.compile(r"(?<![^\W\d_])(?:" + stems + r")(?:en|et|er|a|ar|ane|ene|e)?(?![^\W\d_])")


def is_description(text: str) -> bool:
    """Free text, not a label: 30 characters or four words (a description row, not a section row)."""
    key = normalise(text)
    return len(key) >= 30 or len(key.split()) >= 4


def is_title_like(profile: Profile) -> bool:
    """Texts of words (short or long), nearly all different: what a title column holds."""
    return profile.count > 0 and profile.share("text", "short") >= 0.8 and profile.unique >= 0.9


def is_free_text(profile: Profile) -> bool:
    """Mostly unique free texts: titles or descriptions, never classes."""
    return profile.share("text") >= DOMINANT and profile.unique >= 0.8


def _contexts(label: str) -> set[str]:
    contexts: set[str] = set()
    for part in label.split(" / "):
        contexts |= group_context(part)
    return contexts


@cache
def _zone_words() -> frozenset[str]:
    return frozenset(normalise(w) for words in table()["zones"]["ranks"] for w in words)

