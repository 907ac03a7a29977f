"""The one registry of problem codes: every refusal, failure, warning and finding rosxl reports.

Modelled on frictionless-py's errors: each code is declared once, as data, in
``rosxl/data/problems/<domain>.toml`` (one file per part of rosxl: ``guard``, ``conversion``,
``check``, …). An entry gives the severity, the exit status a command ends with when the problem
occurs, and a Norwegian title and message template in bokmål and nynorsk::

    [zip-bomb]
    severity = "error"          # error | warning | info
    exit = 1
    title = { nb = "Zip-bombe", nn = "Zip-bombe" }
    message = { nb = "filen pakkes ut til {size}", nn = "fila blir pakka ut til {size}" }

``message`` is optional (default ``{message}``: the emitter gives the whole text, as exceptions
do). Severity ``error`` is fatal: a file with such a problem failed.

Exceptions (:mod:`rosxl.errors`), the conversion report, ``rosxl check`` findings, the CLI and
the README's code list all derive from this registry; ``tests/test_problems.py`` fails when a code
is emitted but not registered, registered but never emitted, or missing from the README, which
``python -m rosxl.problems --markdown`` regenerates.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

Language = Literal["nb", "nn"]
Severity = Literal["error", "warning", "info"]
LANGUAGE_ENV = "ROSXL_SPRAK"
SEVERITY_NAMES: dict[Severity, str] = {"error": "feil", "warning": "advarsel", "info": "merknad"}
README_START = "<!-- problemkoder: start (laget av python -m rosxl.problems --markdown) -->"
README_END = "<!-- problemkoder: slutt -->"


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


class Coded:
    """A finding or a problem that carries a registered ``code``: its registry entry and its title."""

    code: str

    @property
    def problem(self) -> ProblemType:
        """The registry entry of the code (title, severity, exit status)."""
        return get(self.code)

    @property
    def title(self) -> str:
        return self.problem.title()


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
    title = entry["title"]
    message = entry.get("message", {"nb": "{message}"})
    severity = entry.get("severity", "error")
    if severity not in get_args(Severity) or not isinstance(entry.get("exit", 1), int):
        raise ValueError(f"problemkoden «{code}» ({domain}) har ugyldig severity eller exit")
    return ProblemType(code, domain, severity, entry.get("exit", 1),
                       title["nb"], title.get("nn", title["nb"]), message["nb"], message.get("nn", message["nb"]))


def get(code: str) -> ProblemType:
    """The registered entry for ``code``; ``KeyError`` names a code nobody registered."""
    try:
        return registry()[code]
    except KeyError:
        raise KeyError(f"problemkoden «{code}» er ikke registrert i rosxl/data/problems/") from None


def markdown() -> str:
    """The README's table of every code, grouped by domain (bokmål title, nynorsk in brackets)."""
    lines = ["| Kode | Del | Alvor | Exit | Tittel (nynorsk) |", "|---|---|---|---|---|"]
    for p in sorted(registry().values(), key=lambda p: (p.domain, p.code)):
        nn = f" ({p.title_nn})" if p.title_nn != p.title_nb else ""
        lines.append(f"| `{p.code}` | {p.domain} | {SEVERITY_NAMES[p.severity]} | {p.exit_status} | {p.title_nb}{nn} |")
    return "\n".join(lines) + "\n"


def with_table(readme: str) -> str:
    """``readme`` with the text between the problem-code markers replaced by :func:`markdown`."""
    head, start, rest = readme.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise ValueError(f"README mangler markørene {README_START} og {README_END}")
    return f"{head}{start}\n{markdown()}{end}{tail}"


def main(argv: list[str]) -> int:
    """``python -m rosxl.problems`` prints the table; ``--markdown [README.md]`` writes it into the README."""
    if not argv:
        sys.stdout.write(markdown())
        return 0
    if argv[0] != "--markdown":
        sys.stderr.write("bruk: python -m rosxl.problems [--markdown [README.md]]\n")
        return 2
    path = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1] / "README.md")
    path.write_text(with_table(path.read_text("utf-8")), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
