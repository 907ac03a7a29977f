"""Text helpers for Norwegian spreadsheet values: normalisation and number reading.

Legacy sheets write numbers as ``150 000``, ``150.000``, ``2,5``, ``1 234,5`` (with normal,
non-breaking or thin spaces), ``20 000,-`` and ``0,5 %``. :func:`find_numbers` reads all of
them; :func:`normalise` makes labels comparable across spelling, case and spacing.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SPACES = "\u00a0\u202f\u2009\u2007\t\r\n"
_DASHES = "\u2013\u2014\u2212\u2010\u2011"
_PLAIN = str.maketrans(dict.fromkeys(_SPACES, " ") | dict.fromkeys(_DASHES, "-"))
_SPACE_RUNS = re.compile(r" {2,}")
_PUNCT_SPACING = re.compile(r"\s*([/()\-:])\s*")

# Digits in groups of three separated by a space-like character or a dot, or plain digits;
# then an optional decimal part with comma (Norwegian) or dot.
_NUMBER = re.compile(
    r"(?<![\d,.])"
    r"(?P<int>[1-9]\d{0,2}(?:(?: |\.(?=\d{3}(?!\d)))\d{3})+|\d+)"
    r"(?:[,.](?P<frac>\d+))?"
    r"(?![\d])"
)

NUMBER_WORDS: dict[str, float] = {
    "null": 0, "ingen": 0, "en": 1, "ein": 1, "ei": 1, "ett": 1, "eitt": 1, "én": 1, "èn": 1,
    "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7, "åtte": 8, "ni": 9,
    "ti": 10, "tolv": 12, "hundre": 100, "tusen": 1000,
}


def clean(value: object) -> str:
    """Return ``value`` as one line of text with odd spaces and dashes made plain."""
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.translate(_PLAIN)
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    return text.strip()


def normalise(value: object) -> str:
    """Lower-case, single-spaced text without trailing punctuation, for label comparison."""
    return _normalise(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=16384)  # labels and scale words recur on every row and in every file
def _normalise(text: str) -> str:
    text = clean(text).lower().replace("×", "x")
    return _PUNCT_SPACING.sub(r"\1", text).strip(" .,;:!*")


@dataclass(frozen=True)
class Number:
    """A number found in a text, with where it stood."""

    value: float
    start: int
    end: int


def find_numbers(text: str) -> list[Number]:
    """All numbers in ``text`` (already :func:`clean`-ed), in Norwegian or English notation."""
    found = []
    for m in _NUMBER.finditer(text):
        digits = m.group("int").replace(" ", "").replace(".", "")
        frac = m.group("frac")
        number = float(f"{digits}.{frac}") if frac else float(digits)
        found.append(Number(number, m.start(), m.end()))
    return found


def parse_number(value: object) -> float | None:
    """The single number that ``value`` is, or ``None`` when it is not exactly one number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value and abs(value) != float("inf") else None
    text = clean(value)
    text = re.sub(r",-+$", "", text)
    numbers = find_numbers(text)
    if len(numbers) != 1:
        return None
    n = numbers[0]
    if text[: n.start].strip() not in ("", "-") or text[n.end :].strip():
        return None
    return -n.value if text[: n.start].strip() == "-" else n.value


def is_number(value: object) -> bool:
    """True for ints and floats, numpy's included, but not for bools."""
    kind = type(value)
    if kind is int or kind is float:  # the common case, without the ABC check
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def as_int(value: object) -> int | None:
    """``value`` as an int when it is a whole number (int or float, not bool), else ``None``."""
    if type(value) is int:  # the common case, without the ABC checks
        return value
    if not is_number(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    x = float(value)  # type: ignore[arg-type]  # numbers.Real supports float()
    return int(x) if x.is_integer() else None
