"""Read Norwegian facts (bokmål and nynorsk) into numbers.

Each reader takes what an advisor wrote in a cell and returns a :class:`Span` (an interval of
the measured quantity, a point when ``low == high``) together with how it was read, or a
:class:`Failure` with a Norwegian reason. They never guess: a text that does not say the
quantity gives a failure. Classes are not decided here; see :mod:`rosxl.criteria`.

- :func:`parse_frequency`: events per year ("1 gang per 20 år", "hvert 10.–50. år", "årleg",
  "0,5 % per år", "1/500", "sjeldnere enn hvert 200. år", "flere ganger i måneden").
- :func:`parse_money`: NOK ("kr 2,5 mill.", "150 000,-", "30 MNOK", "1,2 mrd").
- :func:`parse_duration`: days ("3 døgn", "2 uker", "under en dag", "4 timer", "3 veker").
- :func:`parse_casualties`: dead / seriously / lightly injured ("2 døde", "ingen skadde").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rosxl.text import NUMBER_WORDS, clean, find_numbers, is_number

INF = math.inf


@dataclass(frozen=True)
class Span:
    """An interval ``[low, high]`` of a quantity; ``how`` says in Norwegian how it was read."""

    low: float
    high: float
    how: str

    @property
    def is_point(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class Failure:
    """Why a text could not be read."""

    reason: str


@dataclass(frozen=True)
class Casualties:
    """People harmed; ``None`` where the text does not say."""

    dead: int | None = None
    serious: int | None = None
    minor: int | None = None
    how: str = ""
    lower: Casualties | None = None  # a range ("1–2 døde"): the reading at its low end (this one is the high end)


def _fmt(x: float) -> str:
    """A number as Norwegians write it: 2 500 000, 0,005, 1,5."""
    if x == INF:
        return "∞"
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:.4g}".replace(".", ",")


def _below(x: float) -> float:
    return math.nextafter(x, -INF)


def _above(x: float) -> float:
    return math.nextafter(x, INF)


# --- bounds words shared by all readers --------------------------------------------------

_LESS = (r"(?:<|under|mindre enn|færre enn|inntil|opptil|opp til|høyst|høgst|maks(?:imalt)?|"
         r"sjeldnere enn|sjeldnare enn|ikkje meir enn|ikke mer enn)")
_MORE = r"(?:>|over|mer enn|meir enn|minst|fleire enn|flere enn|oftere enn|oftare enn|utover)"
_BOUND = re.compile(rf"^(?P<less>{_LESS})\s*|^(?P<more>{_MORE})\s*")


#: Hedges before an amount, a duration or a frequency ("cirka 4 mill.", "om lag 3 døgn", "kring 10 dagar"):
#: the value is read as the point it names, and ``how`` says it was approximate.
_HEDGE = re.compile(r"^(?:ca\.?|cirka|circa|omkring|anslagsvis|anslått|anslag|estimert|rundt|om lag|omlag|kring|"
                    r"omtrent|omtrentleg|omtrentlig|tilnærmet|tilnærma|nesten|snaut|drøyt|~|≈)(?=[\s\d~≈]|$)\s*")


def _split_hedge(text: str) -> tuple[bool, str]:
    """(True, rest) when ``text`` (lower case) starts with a hedge word."""
    m = _HEDGE.match(text)
    return (True, text[m.end():]) if m and text[m.end():] else (False, text)


def _hedged(span: Span, hedged: bool) -> Span:
    return Span(span.low, span.high, f"omtrent: {span.how}") if hedged else span


def _split_bound(text: str) -> tuple[str | None, str]:
    """('less'|'more'|None, rest) for a leading bound word."""
    m = _BOUND.match(text)
    if not m:
        return None, text
    return ("less" if m.group("less") else "more"), text[m.end():]


def _bounded(span: Span, bound: str | None, phrase: str) -> Span:
    if bound == "less":
        return Span(0.0, _below(span.low), f"{phrase}: under {_fmt(span.low)}")
    if bound == "more":
        return Span(_above(span.high), INF, f"{phrase}: over {_fmt(span.high)}")
    return span


def _count_words(text: str) -> str:
    """Replace Norwegian number words by digits ("ein gong" -> "1 gong")."""
    def word(m: re.Match[str]) -> str:
        return str(int(NUMBER_WORDS[m.group(0)]))
    return re.sub(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", word, text)


# --- frequency ----------------------------------------------------------------------------

_PER_YEAR = {
    "år": 1.0, "året": 1.0, "åra": 1.0, "årene": 1.0,
    "måned": 12.0, "måneden": 12.0, "måneder": 12.0, "månad": 12.0, "månaden": 12.0,
    "månader": 12.0, "mnd": 12.0,
    "uke": 52.0, "uka": 52.0, "uken": 52.0, "uker": 52.0, "veke": 52.0, "veka": 52.0, "veker": 52.0,
    "døgn": 365.0, "døgnet": 365.0, "dag": 365.0, "dagen": 365.0, "dager": 365.0, "dagar": 365.0,
    "tiår": 0.1, "tiåret": 0.1, "hundreår": 0.01, "hundreåret": 0.01, "århundre": 0.01, "århundret": 0.01,
}
_PERIOD = r"(?P<unit>" + "|".join(sorted(_PER_YEAR, key=len, reverse=True)) + r")\b"
_ADVERBS = {
    "årlig": 1.0, "årleg": 1.0, "månedlig": 12.0, "månadleg": 12.0, "ukentlig": 52.0,
    "vekentleg": 52.0, "vekeleg": 52.0, "ukentleg": 52.0, "daglig": 365.0, "dagleg": 365.0,
    "hvert år": 1.0, "kvart år": 1.0, "hver måned": 12.0, "kvar månad": 12.0, "hver uke": 52.0,
    "kvar veke": 52.0, "hver dag": 365.0, "kvar dag": 365.0,
    "annethvert år": 0.5, "annenhvert år": 0.5, "hvert annet år": 0.5, "annakvart år": 0.5, "anna kvart år": 0.5,
    "kvart anna år": 0.5, "annenhver måned": 6.0, "kvar annan månad": 6.0,
}
_TIMES = r"(?:ganger|gang|gonger|gong|gongar|hendelser|hendingar|tilfeller|tilfelle)"
_EVERY = r"(?:hvert|hver|kvart|kvar|per|pr\.?|i løpet av|i laupet av|i løpet av en periode på|innen|innan|på|i|om)"
_RANGE_SEP = r"\s*(?:-|til|og)\s*"

_RE_COUNT_PER = re.compile(
    rf"^(?P<count>\d+(?:[.,]\d+)?|flere|fleire|noen|nokre|et par|eit par)?(?:\s*[-–]\s*(?P<count2>\d+))?\s*{_TIMES}\s*"
    rf"(?:{_EVERY}\s*)?(?P<n1>\d+(?:[.,]\d+)?)?\.?(?:{_RANGE_SEP}(?P<n2>\d+(?:[.,]\d+)?)\.?)?\s*"
    rf"{_PERIOD}"
)
_RE_EVERY_N = re.compile(
    rf"^(?:{_EVERY}\s*)(?P<n1>\d+(?:[.,]\d+)?)\.?(?:{_RANGE_SEP}(?P<n2>\d+(?:[.,]\d+)?)\.?)?\s*{_PERIOD}"
)
#: "1 per 20 år", "1 hendelse per 50 år", "1 av 100 år", "1 pr. 10 år": a count per period without "gang".
_RE_N_PER = re.compile(
    rf"^(?P<count>\d+(?:[.,]\d+)?)\s*(?:hendelser?|hendingar?|tilfeller?|tilfelle)?\s*(?:per|pr\.?|av|i)\s*"
    rf"(?P<n1>\d+(?:[.,]\d+)?)\.?(?:{_RANGE_SEP}(?P<n2>\d+(?:[.,]\d+)?)\.?)?\s*{_PERIOD}"
)
#: "20-50 år", "100 år": a bare number of years between events (a return period).
_RE_YEARS = re.compile(r"^(?P<n1>\d+(?:[.,]\d+)?)(?:\s*(?:-|–|til)\s*(?P<n2>\d+(?:[.,]\d+)?))?\s*år$")
_RE_PERCENT_RANGE = re.compile(r"^(?P<a>\d+(?:[.,]\d+)?)\s*%?\s*(?:-|–|til)\s*(?P<b>\d+(?:[.,]\d+)?)\s*%")
_RE_FRACTION = re.compile(r"^(?P<a>\d+(?:[.,]\d+)?)\s*[/:]\s*(?P<b>\d+(?:[.,]\d+)?)\s*(?:år)?$")
_RE_PERCENT = re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*%")
#: A return period ("gjentaksintervall 200 år", "returperiode: 500 år") or a named design event
#: ("200-årsflom", "1000-årsskred", "100-års flom"): once per that many years.
_RE_RETURN = re.compile(r"^(?:(?:gjentaksintervall|gjentakingsintervall|returperiode)\s*(?:på|:)?\s*"
                        r"(?P<n1>\d+)\s*år|(?P<n2>\d+)\s*-?\s*års?\s*(?:flom|flaum|skred|ras|hendelse|hending|"
                        r"storm|stormflo|stormflod|nedbør|regn|vind)?)$")


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    return float(s.replace(",", "."))


def parse_frequency(value: object) -> Span | Failure:
    """Events per year from a Norwegian frequency text or a number."""
    if is_number(value):
        value = float(value)  # type: ignore[arg-type]
        if value != value or value < 0 or value == INF:
            return Failure(f"ugyldig frekvens: {value!r}")
        return Span(float(value), float(value), f"{_fmt(float(value))} hendelser per år")
    text = clean(value).lower()
    if not text:
        return Failure("tom celle")
    hedged, text = _split_hedge(text)
    bound, rest = _split_bound(text)
    rest = re.sub(r"\b(?:sannsynlighet|sannsyn|sannsynlegheit)\b\s*", "", rest)
    rest = re.sub(r"(?<=\S)\s*(?:pr\.? år|i året|årlig|årleg|per\.? år)$", " per år", rest).strip()
    span = _frequency_core(rest)
    if isinstance(span, Failure):
        return Failure(f"kan ikke lese frekvens: «{clean(value)}»")
    return _hedged(_bounded(span, bound, clean(value)), hedged)


def _frequency_core(text: str) -> Span | Failure:
    text = _count_words(text)
    m = _RE_PERCENT_RANGE.match(text)
    if m:
        a, b = sorted((_num(m.group("a")) or 0.0, _num(m.group("b")) or 0.0))
        return Span(a / 100, b / 100, f"{_fmt(a)}–{_fmt(b)} % per år = {_fmt(a / 100)}–{_fmt(b / 100)} per år")
    m = _RE_PERCENT.match(text)
    if m:
        p = _num(m.group("n")) or 0.0
        rate = p / 100
        return Span(rate, rate, f"{_fmt(p)} % per år = {_fmt(rate)} per år")
    m = _RE_YEARS.match(text)
    if m and (_num(m.group("n1")) or 0.0) > 0 and (m.group("n2") is None or (_num(m.group("n2")) or 0.0) > 0):
        n1, n2 = _num(m.group("n1")) or 1.0, _num(m.group("n2"))
        low, high = sorted((1 / n1, 1 / (n2 or n1)))
        return Span(low, high, f"hvert {m.group(0)} = {_fmt(low)}–{_fmt(high)} per år" if n2 else
                    f"hvert {_fmt(n1)}. år = {_fmt(low)} per år")
    m = _RE_RETURN.match(text)
    if m and float(m.group("n1") or m.group("n2")) > 0:
        years = float(m.group("n1") or m.group("n2"))
        return Span(1 / years, 1 / years, f"gjentaksintervall {_fmt(years)} år = {_fmt(1 / years)} per år")
    m = _RE_FRACTION.match(text)
    if m:
        a, b = _num(m.group("a")) or 0.0, _num(m.group("b")) or 0.0
        if b == 0:
            return Failure("deling på null")
        return Span(a / b, a / b, f"{_fmt(a)} per {_fmt(b)} år = {_fmt(a / b)} per år")
    for word, rate in _ADVERBS.items():
        if text == word or text == word + " per år":
            return Span(rate, rate, f"«{word}» = {_fmt(rate)} per år")
    m = _RE_COUNT_PER.match(text) or _RE_EVERY_N.match(text) or _RE_N_PER.match(text)
    if m:
        return _count_per_period(m)
    numbers = find_numbers(text)
    if len(numbers) == 1 and numbers[0].start == 0 and \
            text[numbers[0].end:].strip() in ("", "per år", "hendelser per år", "ganger per år"):
        n = numbers[0].value
        return Span(n, n, f"{_fmt(n)} hendelser per år")
    return Failure("ukjent form")


def _count_per_period(m: re.Match[str]) -> Span:
    groups = m.groupdict()
    count_text = groups.get("count")
    per_year = _PER_YEAR[m.group("unit")]
    n1, n2 = _num(m.group("n1")), _num(m.group("n2"))
    if count_text in ("flere", "fleire", "noen", "nokre", "et par", "eit par"):
        lo_count, hi_count = (2.0, 9.0) if count_text in ("flere", "fleire") else (2.0, 3.0)
        if count_text in ("noen", "nokre"):
            lo_count, hi_count = 2.0, 9.0
        lo, hi = lo_count * per_year / (n1 or 1.0), hi_count * per_year / (n1 or 1.0)
        return Span(lo, hi, f"«{count_text}» ganger per {_fmt(n1 or 1)} {m.group('unit')} = "
                            f"{_fmt(lo)}–{_fmt(hi)} per år")
    count = _num(count_text) if count_text else 1.0
    assert count is not None
    count2 = _num(groups.get("count2"))
    if count2 is not None and n1 is None and m.group("n2") is None:  # "1-2 ganger per år"
        lo, hi = sorted((count * per_year, count2 * per_year))
        return Span(lo, hi, f"{_fmt(count)}–{_fmt(count2)} per {m.group('unit')} = {_fmt(lo)}–{_fmt(hi)} per år")
    if n1 is None:
        rate = count * per_year
        return Span(rate, rate, f"{_fmt(count)} per {m.group('unit')} = {_fmt(rate)} per år")
    if n2 is None:
        rate = count * per_year / n1 if n1 else INF
        return Span(rate, rate, f"{_fmt(count)} per {_fmt(n1)} {m.group('unit')} = {_fmt(rate)} per år")
    lo, hi = sorted((n1, n2))
    low, high = count * per_year / hi, (count * per_year / lo if lo else INF)
    return Span(low, high, f"{_fmt(count)} per {_fmt(lo)}–{_fmt(hi)} {m.group('unit')} = "
                           f"{_fmt(low)}–{_fmt(high)} per år")


# --- money ----------------------------------------------------------------------------------

_MULTIPLIERS = {
    "mrd": 1e9, "milliard": 1e9, "milliarder": 1e9, "milliardar": 1e9, "mrdnok": 1e9,
    "mill": 1e6, "mill.": 1e6, "million": 1e6, "millioner": 1e6, "millionar": 1e6, "mnok": 1e6,
    "mkr": 1e6, "mio": 1e6, "m": 1e6,
    "tusen": 1e3, "tnok": 1e3, "k": 1e3, "kkr": 1e3,
    "kr": 1.0, "kroner": 1.0, "nok": 1.0, ",-": 1.0,
}
_RE_MONEY = re.compile(
    r"^(?:kr\.?|nok)?\s*(?P<a>\d[\d .]*(?:,\d+)?)\s*(?P<ma>[a-zæøå.]+)?"
    r"(?:\s*-\s*(?:kr\.?|nok)?\s*(?P<b>\d[\d .]*(?:,\d+)?)\s*(?P<mb>[a-zæøå.]+)?)?"
    r"\s*(?:kr\.?|kroner|nok|,-)?$"
)


def parse_money(value: object) -> Span | Failure:
    """An amount in NOK."""
    if is_number(value):
        value = float(value)  # type: ignore[arg-type]
        if value != value or value < 0 or value == INF:
            return Failure(f"ugyldig beløp: {value!r}")
        return Span(float(value), float(value), f"{_fmt(float(value))} kr")
    raw = clean(value)
    text = raw.lower().replace("’", "'")
    if not text:
        return Failure("tom celle")
    hedged, text = _split_hedge(text)
    bound, text = _split_bound(text)
    text = re.sub(r",-+", "", text).replace("kr.", "kr").strip()
    text = re.sub(r"^(?:mellom|fra|frå)\s+(.+?)\s+(?:og|til)\s+", r"\1-", text)  # "mellom 3 og 5 mill"
    text = re.sub(r"(\d)'(?!\d)", r"\1 tusen", text)
    m = _RE_MONEY.match(text)
    if not m:
        return Failure(f"kan ikke lese beløp: «{raw}»")
    ma, mb = m.group("ma"), m.group("mb")
    mult_a = _MULTIPLIERS.get((ma or "kr").rstrip(".")) if ma else None
    mult_b = _MULTIPLIERS.get((mb or "kr").rstrip(".")) if mb else None
    if (ma and mult_a is None) or (mb and mult_b is None):
        return Failure(f"ukjent enhet i beløp: «{raw}»")
    a = _amount(m.group("a"))
    b = _amount(m.group("b")) if m.group("b") else None
    if a is None or (m.group("b") and b is None):
        return Failure(f"kan ikke lese beløp: «{raw}»")
    if b is None:
        x = a * (mult_a or 1.0)
        return _hedged(_bounded(Span(x, x, f"{raw} = {_fmt(x)} kr"), bound, raw), hedged)
    lo = a * (mult_a or mult_b or 1.0)
    hi = b * (mult_b or 1.0)
    return _hedged(_bounded(Span(min(lo, hi), max(lo, hi), f"{raw} = {_fmt(min(lo, hi))}–{_fmt(max(lo, hi))} kr"),
                            bound, raw), hedged)


def _amount(text: str) -> float | None:
    numbers = find_numbers(text.strip())
    return numbers[0].value if len(numbers) == 1 else None


# --- duration -------------------------------------------------------------------------------

_DURATION_DAYS = {
    "time": 1 / 24, "timer": 1 / 24, "timar": 1 / 24, "t": 1 / 24, "timen": 1 / 24,
    "døgn": 1.0, "dag": 1.0, "dager": 1.0, "dagar": 1.0, "d": 1.0, "dg": 1.0,
    "uke": 7.0, "uker": 7.0, "veke": 7.0, "veker": 7.0, "veka": 7.0,
    "måned": 30.0, "måneder": 30.0, "månad": 30.0, "månader": 30.0, "mnd": 30.0,
    "år": 365.0,
}
_DUR_UNIT = r"(?P<unit>" + "|".join(sorted(_DURATION_DAYS, key=len, reverse=True)) + r")\b\.?"
_RE_DURATION = re.compile(
    rf"(?P<bound>{_LESS}|{_MORE})?\s*(?P<a>\d+(?:[.,]\d+)?)(?:{_RANGE_SEP}(?P<b>\d+(?:[.,]\d+)?))?\s*{_DUR_UNIT}"
)

_RE_SEVERAL = re.compile(rf"(?:flere|fleire|noen|nokre)\s+{_DUR_UNIT}")


def parse_duration(value: object) -> Span | Failure:
    """A duration in days (e.g. how long a service is stopped)."""
    if is_number(value):
        value = float(value)  # type: ignore[arg-type]
        if value != value or value < 0 or value == INF:
            return Failure(f"ugyldig varighet: {value!r}")
        return Span(float(value), float(value), f"{_fmt(float(value))} døgn")
    raw = clean(value)
    hedged, text = _split_hedge(raw.lower())
    text = _count_words(text)
    several = _RE_SEVERAL.fullmatch(text)
    if several:  # "flere måneder": at least two of the unit, no upper bound
        low = 2 * _DURATION_DAYS[several.group("unit")]
        return Span(low, INF, f"{raw} = minst {_fmt(low)} døgn")
    matches = list(_RE_DURATION.finditer(text))
    if len(matches) != 1:
        return Failure(f"kan ikke lese varighet: «{raw}»" if not matches
                       else f"flere varigheter i «{raw}»")
    m = matches[0]
    per = _DURATION_DAYS[m.group("unit")]
    a = (_num(m.group("a")) or 0.0) * per
    b = _num(m.group("b"))
    span = Span(a, a, f"{raw} = {_fmt(a)} døgn") if b is None else \
        Span(min(a, b * per), max(a, b * per), f"{raw} = {_fmt(min(a, b * per))}–{_fmt(max(a, b * per))} døgn")
    bound = None
    if m.group("bound"):
        bound = "less" if re.fullmatch(_LESS, m.group("bound")) else "more"
    return _hedged(_bounded(span, bound, raw), hedged)


# --- casualties -----------------------------------------------------------------------------

_COUNT = r"(?P<count>\d+|flere|fleire|mange|noen|nokre|få)?\s*"
_DEAD = re.compile(_COUNT + r"(?:personer\s+)?(?:døde|død|dødsfall|omkomne|omkom|omkomme|drepte|drept|daude|daud|"
                            r"dødelig skadd)\b")
_SERIOUS = re.compile(_COUNT + r"(?:personer\s+)?(?:alvorlig|alvorleg|alvorlege|alvorlige|hardt|kritisk|store|hardt)\s+"
                      r"(?:skadd|skadde|skader|skada|personskader|personskade)\b")
_MINOR = re.compile(_COUNT + r"(?:personer\s+)?(?:lettere|lett|lettare|mindre|små|lette|lettare)\s+"
                    r"(?:skadd|skadde|skader|skada|personskader|personskade)\b")
_NONE = re.compile(r"^(?:(?:ingen|null|0)\s+(?:personer\s+)?(?:skadd|skadde|skader|personskader|personskade|døde)"
                   r"|ingen|ingen fare|ufarlig|ufarleg)$")
_UNQUALIFIED = re.compile(r"\b(?:skadd|skadde|skader|skada|personskader|personskade)\b")


def _count(m: re.Match[str]) -> int:
    c = m.group("count")
    if c is None:
        return 1
    if c.isdigit():
        return int(c)
    return 1 if c in ("få",) else 2


_RANGE = re.compile(r"(\d+)\s*(?:-|–|til)\s*(\d+)")


def parse_casualties(value: object) -> Casualties | Failure:
    """People dead, seriously and lightly injured, from e.g. "2 døde og 5 alvorlig skadde"; a range
    ("1–2 døde") is read at its high end, with its low end in ``lower``."""
    raw = clean(value)
    if not raw:
        return Failure("tom celle")
    if _RANGE.search(raw):
        low, high = _casualties(_RANGE.sub(r"\1", raw)), _casualties(_RANGE.sub(r"\2", raw))
        if isinstance(low, Failure) or isinstance(high, Failure):
            return high if isinstance(high, Failure) else low
        return Casualties(high.dead, high.serious, high.minor, f"«{raw}»: {low.how.partition(': ')[2]} til "
                          f"{high.how.partition(': ')[2]}", lower=low)
    return _casualties(raw)


def _casualties(raw: str) -> Casualties | Failure:
    if _NONE.match(raw.lower()):
        return Casualties(0, 0, 0, f"«{raw}»: ingen skadde")
    text = _count_words(raw.lower())
    dead = _DEAD.search(text)
    serious = _SERIOUS.search(text)
    minor = _MINOR.search(text)
    if not (dead or serious or minor):
        if _UNQUALIFIED.search(text):
            return Failure(f"sier ikke om skadene er alvorlige: «{raw}»")
        return Failure(f"kan ikke lese personskader: «{raw}»")
    result = Casualties(
        _count(dead) if dead else None,
        _count(serious) if serious else None,
        _count(minor) if minor else None,
        "",
    )
    parts = [f"{n} {w}" for n, w in ((result.dead, "døde"), (result.serious, "alvorlig skadde"),
                                      (result.minor, "lettere skadde")) if n is not None]
    return Casualties(result.dead, result.serious, result.minor, f"«{raw}»: " + ", ".join(parts))
