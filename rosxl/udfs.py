"""The ``ros_*`` worksheet functions: a thin xlwings adapter over :mod:`rosxl.excel.worksheet`.

Each function takes what Excel passes (through xlwings' default conversion): a float, a string, a
bool, ``None`` for an empty or error cell, a 1-D list for a single row or column and a 2-D list
for a block. :mod:`rosxl.excel.functions` shapes that, calls the library and returns a value, a
column or a block (which spills in Excel 365); this module only registers those functions with
xlwings. Empty input gives an empty cell; bad input gives a short
Norwegian reason in the cell; unexpected errors go with their traceback to the log file
(:func:`rosxl.excel.addin.log_path`), never to the cell.

``kriterier`` is the criteria token: the cell ``ros_kriterier_token`` on the Kriterier sheet, which
holds ``=ros_kriterier_last(ros_kriterier)`` and so passes the whole block to Python once (see
:func:`rosxl.excel.worksheet.load_token`). The block itself (``ros_kriterier``) still works, as
does a preset name such as ``"luster-2013"``; empty means the built-in preset ``standard``.
Parameters are annotated ``Any`` on purpose: xlwings turns annotations into converters and only
knows a few types. The docstrings are the Function Wizard's descriptions (≤ 255 characters).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import xlwings as xw

from rosxl.errors import ClassificationError, RosxlError
from rosxl.excel import functions

F = TypeVar("F", bound=Callable[..., Any])

CATEGORY = "ROS (rosxl)"
KRITERIER_DOC = ("Kriteriene: skriv ros_kriterier_token (cellen med ros_kriterier_last) eller ros_kriterier. "
                 "Tom: de innebygde kriteriene «standard».")

logger = logging.getLogger(__name__)


def _in_cell(func: F) -> F:
    """Turn rosxl's errors into their short message and anything else into a logged one-liner."""

    @functools.wraps(func)
    def call(*args: Any) -> Any:
        try:
            return func(*args)
        except ClassificationError as exc:
            return exc.message
        except RosxlError as exc:
            _log().warning("%s%r: %s", func.__name__, args, exc, exc_info=True)
            return exc.message
        except Exception:
            _log().exception("%s%r", func.__name__, args)
            return f"intern feil i {func.__name__}, se loggen {_log_file()}"

    return cast(F, call)


def _log() -> logging.Logger:
    """The logger, writing to the log file (re-opened when the configured path changes)."""
    path = str(_log_file().resolve())
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler) and handler.baseFilename != path:
            logger.removeHandler(handler)
            handler.close()
    if not logger.handlers:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def _log_file() -> Path:
    from rosxl.excel.addin import log_path

    return log_path()


# --- the worksheet functions -------------------------------------------------------------------------


@xw.func(category=CATEGORY)
@xw.arg("kriterier", doc="Hele kriterieblokken på arket Kriterier: skriv ros_kriterier.")
@_in_cell
def ros_kriterier_last(kriterier: Any) -> Any:
    """Leser kriteriene én gang og gir et kort kriterietegn som de andre ros_-funksjonene tar som kriterier."""
    return functions.ros_kriterier_last(kriterier)


@xw.func(category=CATEGORY)
@xw.arg("frekvens", doc="Hvor ofte: en klasse (3), et ord («Middels») eller en frekvens («1 gang per 20 år», "
                        "«0,5 %»).")
@xw.arg("kriterier", doc=KRITERIER_DOC)
@_in_cell
def ros_sannsynlighet(frekvens: Any, kriterier: Any = None) -> Any:
    """Sannsynlighetsklassen for en frekvens eller et klassenavn, etter arbeidsbokens akseptkriterier."""
    return functions.ros_sannsynlighet(frekvens, kriterier)


@xw.func(category=CATEGORY)
@xw.arg("omraade", doc="Konsekvensområdet, som nøkkel eller navn: «Økonomi», «Liv og helse», «tjenester». "
                       "Tomt: området som kan lese verdien.")
@xw.arg("verdi", doc="Konsekvensen: en klasse (4), et ord («Kritisk») eller et faktum («2,5 mill», "
                     "«stopp i 7 dager», «2 døde»).")
@xw.arg("kriterier", doc=KRITERIER_DOC)
@_in_cell
def ros_konsekvens(omraade: Any, verdi: Any, kriterier: Any = None) -> Any:
    """Konsekvensklassen for et område: et beløp, antall dager, personskader eller et klassenavn."""
    return functions.ros_konsekvens(omraade, verdi, kriterier)


@xw.func(category=CATEGORY)
@xw.arg("sannsynlighet", doc="Sannsynlighet: klasse, ord eller frekvens («1 gang per 20 år»).")
@xw.arg("konsekvens", doc="Konsekvens: klasse, ord eller faktum («2,5 mill»).")
@xw.arg("omraade", doc="Konsekvensområdet (valgfritt); det avgjør matrisen der kriteriene har flere. "
                       "Tomt: matrisen som dekker flest områder.")
@xw.arg("kriterier", doc=KRITERIER_DOC)
@_in_cell
def ros_sone(sannsynlighet: Any, konsekvens: Any, omraade: Any = None, kriterier: Any = None) -> Any:
    """Risikosonen (f.eks. «Rød – uakseptabel») for en sannsynlighet og en konsekvens, etter kriteriene."""
    return functions.ros_sone(sannsynlighet, konsekvens, omraade, kriterier)


@xw.func(category=CATEGORY)
@xw.arg("s", doc="Sannsynlighetsklassen (eller et ord eller en frekvens).")
@xw.arg("k", doc="Konsekvensklassen (eller et ord).")
@xw.arg("kriterier", doc=KRITERIER_DOC + " Avgjør om risiko er S × K eller S + K.")
@_in_cell
def ros_risiko(s: Any, k: Any, kriterier: Any = None) -> Any:
    """Risikotallet for en sannsynlighet og en konsekvens: S × K (eller S + K der kriteriene sier det)."""
    return functions.ros_risiko(s, k, kriterier)


@xw.func(category=CATEGORY)
@xw.arg("tabell", doc="Tabellen: sannsynlighet i første kolonne, konsekvenser i de neste. Med overskriftsrad "
                      "(«Sannsynlighet», «Økonomi», …) brukes hvert områdes matrise.")
@xw.arg("kriterier", doc=KRITERIER_DOC)
@_in_cell
def ros_soner(tabell: Any, kriterier: Any = None) -> Any:
    """Samlet sone for hver rad i en tabell, som én kolonne som fyller seg ut. Raskere enn én ros_sone per rad."""
    return functions.ros_soner(tabell, kriterier)


@xw.func(category=CATEGORY)
@xw.arg("ider", doc="Scenarienes ID-er (en kolonne).")
@xw.arg("s", doc="Sannsynlighet for hvert scenario (en kolonne like lang som ider).")
@xw.arg("k", doc="Konsekvens for hvert scenario (en kolonne like lang som ider).")
@xw.arg("kriterier", doc=KRITERIER_DOC)
@_in_cell
def ros_matrise(ider: Any, s: Any, k: Any, kriterier: Any = None) -> Any:
    """Risikomatrisen med scenarienes ID-er i cellene: høyeste sannsynlighet øverst, konsekvens 1 til venstre."""
    return functions.ros_matrise(ider, s, k, kriterier)
