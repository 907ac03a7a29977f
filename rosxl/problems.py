"""The one registry of problem codes: every refusal, failure, warning and finding rosxl reports.

Modelled on frictionless-py's errors: each code is declared once, as data, in
``rosxl/data/problems/<domain>.toml`` (one file per part of rosxl: ``guard``, ``conversion``,
``check``, …). An entry gives the severity, the exit status a command ends with when the problem
occurs, and a Norwegian title and message template in bokmål and nynorsk::

    [zip-bomb]
    severity = "error"          # error | warning | info
    exit = 1
    title = { nb = "Zip-bombe", nn = "Zip-bombe" }
    message = { nb = "filen pakkar ut til {size}", nn = "fila pakkar ut til {size}" }

Exceptions (:mod:`rosxl.errors`), the conversion report, ``rosxl check`` findings, the CLI and
the README's code list all derive from this registry; a test fails when a code is emitted but not
registered, registered but never emitted, or missing from the README.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Language = Literal["nb", "nn"]
Severity = Literal["error", "warning", "info"]
LANGUAGE_ENV = "ROSXL_SPRAK"


@dataclass(frozen=True)
class ProblemType:
    """One registered problem code."""

    code: str
    domain: str
    severity: Severity
    exit_status: int
    title_nb: str
    title_nn: str
    message_nb: str
    message_nn: str

    def title(self, language: Language | None = None) -> str:
        return self.title_nn if resolve_language(language) == "nn" else self.title_nb

    def message(self, language: Language | None = None, /, **values: Any) -> str:
        """The message template filled with ``values`` (a missing value shows as ``{name}``)."""
        template = self.message_nn if resolve_language(language) == "nn" else self.message_nb
        return template.format_map(_Keep(values))

    @property
    def fatal(self) -> bool:
        return self.severity == "error"


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def resolve_language(language: str | None = None) -> Language:
    """``language`` when given, else ``ROSXL_SPRAK`` (``nb``/``nn``), else bokmål."""
    value = (language or os.environ.get(LANGUAGE_ENV, "") or "nb").strip().lower()
    return "nn" if value in ("nn", "nynorsk") else "nb"


@cache
def registry() -> Mapping[str, ProblemType]:
    """Every registered code, read once from the package data."""
    found: dict[str, ProblemType] = {}
    folder = resources.files("rosxl") / "data" / "problems"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        domain = item.name.removesuffix(".toml")
        for code, entry in tomllib.loads(item.read_text(encoding="utf-8")).items():
            if code in found:
                raise ValueError(f"problemkoden «{code}» er registrert to ganger ({domain}, {found[code].domain})")
            found[code] = _entry(code, domain, entry)
    return found


def _entry(code: str, domain: str, entry: dict[str, Any]) -> ProblemType:
    title, message = entry["title"], entry["message"]
    return ProblemType(code, domain, entry.get("severity", "error"), int(entry.get("exit", 1)),
                       title["nb"], title.get("nn", title["nb"]), message["nb"], message.get("nn", message["nb"]))


def get(code: str) -> ProblemType:
    """The registered entry for ``code``; ``KeyError`` names a code nobody registered."""
    try:
        return registry()[code]
    except KeyError:
        raise KeyError(f"problemkoden «{code}» er ikke registrert i rosxl/data/problems/") from None
