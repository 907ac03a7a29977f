"""Compact JSON text, as rosxl writes it for every converted file (the analysis, the workbook's
hidden data, the batch report): orjson, several times faster than the standard library, and the
standard library where orjson refuses a value (an integer beyond 64 bits, a key that is not text).

Both write non-ASCII letters as they are and anything else JSON lacks (a path, a date) as its
``str``. They differ only where JSON itself has no answer: orjson writes a float NaN or infinity as
``null``, the standard library as the non-JSON ``NaN``; the readers (:mod:`rosxl.conversion.read`)
never hand such a float on."""

from __future__ import annotations

import json
from typing import Any

import orjson

#: Dataclasses and dates go to ``default`` (their ``str``) as with the standard library, not orjson's own forms.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(value: Any) -> str:
    """``value`` as compact JSON text (no spaces after ``,`` and ``:``)."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
