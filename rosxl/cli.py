"""The ``rosxl`` command line: each command parses options, calls one library function, renders.

Exit status: 0 all fine; 1 something failed or was lost; 2 usage error. Library errors
(:class:`rosxl.errors.RosxlError`) become a one-line Norwegian message here, at the edge; a
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

import click

from rosxl.analysis import VERSION
from rosxl.errors import RosxlError

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A failure shown as ``Feil: …`` with exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Feil: {self.format_message()}", err=True)


class RosxlGroup(click.Group):
    """Turns library errors into :class:`CliError`; unexpected errors into one line unless ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except RosxlError as exc:
            if ctx.params.get("debug"):
                raise
            raise CliError(str(exc)) from exc
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            raise CliError(f"uventet feil ({type(exc).__name__}: {exc}). Kjør med --debug for detaljer.") from exc


@click.group(cls=RosxlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Vis hele feilmeldingen (traceback) når noe går galt.")
@click.version_option(VERSION, prog_name="rosxl")
def cli(debug: bool) -> None:
    """rosxl – risiko- og sårbarhetsanalyser (ROS) for kommuner, i Excel."""


def criteria_option(func: F) -> F:
    """``--criteria NAME|FILE``: a shipped preset or a municipal TOML/YAML file."""
    return click.option(
        "--criteria", "-c", "criteria", default="standard", show_default=True, metavar="NAVN|FIL",
        help="Akseptkriterier: navnet på et innebygd sett (se «rosxl presets») eller en TOML/YAML-fil.",
    )(func)


def language_option(func: F) -> F:
    """``--language nb|nn``."""
    return click.option("--language", "-l", type=click.Choice(["nb", "nn"]), default="nb", show_default=True,
                        help="Målform: bokmål (nb) eller nynorsk (nn).")(func)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# --- criteria -------------------------------------------------------------------------------


@cli.command()
def presets() -> None:
    """List de innebygde akseptkriteriene."""
    from rosxl.criteria import list_presets

    infos = list_presets()
    width = max(len(p.name) for p in infos)
    for p in infos:
        click.echo(f"{p.name:<{width}}  {p.title}")


@cli.command()
@criteria_option
@click.option("--probability", "-s", metavar="TEKST",
              help="Sannsynlighet: klasse, ord eller frekvens («1 gang per 20 år»).")
@click.option("--consequence", "-k", multiple=True, metavar="OMRÅDE=TEKST",
              help="Konsekvens for et område, f.eks. «okonomi=2,5 mill» eller «Liv og helse=2 døde». Kan gjentas.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def classify(criteria: str, probability: str | None, consequence: tuple[str, ...], as_json: bool) -> None:
    """Finn klasser og soner for en sannsynlighet og konsekvenser."""
    from rosxl.classification import classify as run

    pairs: dict[str, object] = {}
    for item in consequence:
        area, sep, value = item.partition("=")
        if not sep or not area.strip():
            raise click.BadParameter(f"«{item}» skal ha formen OMRÅDE=TEKST", param_hint="--consequence")
        pairs[area.strip()] = value.strip()
    result = run(criteria, probability, pairs)
    if as_json:
        echo_json(result.to_dict())
    else:
        _print_classification(result)
    if result.problems:
        sys.exit(1)


def _print_classification(result: Any) -> None:
    crit = result.criteria
    click.echo(f"Kriterier: {crit.name} ({crit.version})")
    if result.probability is not None:
        click.echo(f"Sannsynlighet: {_reading(result.probability, [p.label.nb for p in crit.probability])}")
    zones = result.zones
    for key, reading in result.consequences.items():
        area = crit.area(key)
        labels = [lv.label.nb for lv in crit.consequence_levels]
        zone = zones.get(key)
        shown = f"  → sone {crit.zone_def(zone).label.nb}" if zone else ""
        click.echo(f"{area.label.nb}: {_reading(reading, labels)}{shown}")
    if result.zone:
        click.echo(f"Samlet sone: {crit.zone_def(result.zone).label.nb}")


def _reading(reading: Any, labels: list[str]) -> str:
    if reading.value is None:
        return f"ukjent – {reading.reason}"
    how = f" ({reading.how})" if reading.how and reading.how != f"klasse {reading.value}" else ""
    return f"{reading.value} {labels[reading.value - 1]}{how}"


# --- workbook: template, export, check (rosxl/workbook) ---------------------------------------


# --- Excel add-in: excel, freeze (rosxl/udfs.py, rosxl/excel) --------------------------------


# --- conversion: convert (rosxl/convert) ----------------------------------------------------


def main() -> None:
    """Entry point of the ``rosxl`` console script."""
    cli(prog_name="rosxl")
