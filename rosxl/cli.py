"""The ``rosxl`` command line: each command parses options, calls one library function, renders.

Exit status: 0 all fine; 1 something failed or was lost; 2 usage error — each the exit status of
the problem's entry in :mod:`rosxl.problems`. Library errors (:class:`rosxl.errors.RosxlError`)
become one Norwegian line ``Feil: … [code]`` here, at the edge; a traceback is shown only with
``--debug``. click's own texts (usage, help, its errors) are Norwegian through
:mod:`rosxl.cli_texts`; bokmål, or nynorsk with ``ROSXL_SPRAK=nn`` or a command's ``--language nn``.
"""

from __future__ import annotations

import gettext
import json
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

import click

from rosxl import problems
from rosxl.analysis import VERSION
from rosxl.cli_texts import norwegian, use_language
from rosxl.errors import RosxlError

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A registered problem shown as ``Feil: … [code]``, ending with the code's exit status."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
        self.exit_code = problems.get(code).exit_status  # type: ignore[misc]  # a ClassVar in click

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Feil: {self.format_message()} [{self.code}]", err=True)


class UsageProblem(click.UsageError):
    """click's usage error (already Norwegian), with the registry's code and exit status."""

    code = "usage-error"

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(f"{error.format_message()} [{self.code}]", error.ctx)
        self.exit_code = problems.get(self.code).exit_status  # type: ignore[misc]  # a ClassVar in click


def _usage(error: click.UsageError) -> click.UsageError:
    if isinstance(error, UsageProblem | click.exceptions.NoArgsIsHelpError):
        return error
    return UsageProblem(error)


class RosxlCommand(click.Command):
    """A command whose usage line says ``[VALG]``, and whose ``--help`` is described in the language
    of each run (click keeps the help option it made first)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = gettext.gettext("Show this message and exit.")
        return option


class RosxlGroup(RosxlCommand, click.Group):
    """The command group: Norwegian click texts while it runs; library errors become :class:`CliError`,
    unexpected errors one line unless ``--debug``, usage errors :class:`UsageProblem`."""

    command_class = RosxlCommand
    group_class = type  # subgroups are RosxlGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]…")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with norwegian():
            return super().main(*args, **kwargs)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _usage(exc) from exc

    def invoke(self, ctx: click.Context) -> Any:
        debug = ctx.find_root().params.get("debug")
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _usage(exc) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except RosxlError as exc:
            if debug:
                raise
            raise CliError(str(exc), code=exc.code) from exc
        except Exception as exc:
            if debug:
                raise
            raise CliError(f"uventet feil ({type(exc).__name__}). Kjør med --debug for detaljer.",
                           code="unexpected-error") from exc


@click.group(cls=RosxlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Vis hele feilmeldingen (traceback) når noe går galt.")
@click.version_option(VERSION, prog_name="rosxl", message="%(prog)s, versjon %(version)s",
                      help="Vis versjonen og avslutt.")
def cli(debug: bool) -> None:
    """rosxl – risiko- og sårbarhetsanalyser (ROS) for kommuner, i Excel."""


def criteria_option(func: F) -> F:
    """``--criteria NAME|FILE``: a shipped preset or a municipal TOML/YAML file."""
    return click.option(
        "--criteria", "-c", "criteria", default="standard", show_default=True, metavar="NAVN|FIL",
        help="Akseptkriterier: navnet på et innebygd sett (se «rosxl presets») eller en TOML/YAML-fil.",
    )(func)


def language_option(func: F) -> F:
    """``--language nb|nn`` (default ``ROSXL_SPRAK``, else nb); click's texts follow it from there on."""
    return click.option("--language", "-l", type=click.Choice(["nb", "nn"]), callback=_language,
                        help="Målform: bokmål (nb) eller nynorsk (nn).  [standard: ROSXL_SPRAK, ellers nb]")(func)


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    return use_language(value)


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


@cli.command()
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FIL",
              help="Arbeidsboka som skal lages: .xlsx, eller .xlsm (.xltm for en Excel-mal) med makroene og "
                   "ros_*-funksjonene innebygd (med --flavour xlwings).")
@criteria_option
@language_option
@click.option("--flavour", type=click.Choice(["native", "xlwings"]), default="native", show_default=True,
              help="native: vanlige Excel-formler; xlwings: ros_*-funksjonene fra rosxl-tillegget.")
@click.option("--overwrite", is_flag=True, help="Skriv over FIL om den finnes.")
def template(output: str, criteria: str, language: str, flavour: str, overwrite: bool) -> None:
    """Lag en tom standard ROS-arbeidsbok med de valgte kriteriene."""
    from functools import partial
    from pathlib import Path

    from rosxl.analysis import Analysis
    from rosxl.criteria import load_criteria
    from rosxl.safety.outputs import check_output, write_output
    from rosxl.workbook import write_workbook

    path = Path(output)
    inputs = [Path(criteria)] if Path(criteria).is_file() else []  # criteria read from a workbook
    analysis = Analysis(load_criteria(criteria))
    if path.suffix.lower() in (".xlsm", ".xltm"):
        from rosxl.excel.xlsm import write_macro_workbook

        check_output(path, inputs=inputs, overwrite=overwrite)
        write_macro_workbook(analysis, path, language=language,  # type: ignore[arg-type]
                             flavour=flavour, overwrite=overwrite)
    else:
        write = partial(write_workbook, analysis, language=language, flavour=flavour)  # type: ignore[arg-type]
        write_output(path, write, inputs=inputs, overwrite=overwrite)
    click.echo(f"Skrev {path}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False), metavar="ARBEIDSBOK")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "csv-data"]), default="json", show_default=True,
              help="json: kanonisk eksport; csv: for norsk Excel (semikolon, arbeidsbokas overskrifter og soner, "
                   "desimalkomma); csv-data: maskinlesbar CSV med nøkler.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FIL",
              help="Skriv til FIL (atomisk) i stedet for standard ut.")
@click.option("--overwrite", is_flag=True, help="Skriv over FIL om den finnes.")
def export(workbook: str, fmt: str, output: str | None, overwrite: bool) -> None:
    """Skriv eksporten av en utfylt arbeidsbok til standard ut eller til FIL."""
    from rosxl.workbook.export import export_workbook

    text = export_workbook(workbook, fmt, output, overwrite=overwrite)  # type: ignore[arg-type]
    if text is None:
        click.echo(f"Skrev {output}")
    else:
        click.echo(text, nl=fmt == "json")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False), metavar="ARBEIDSBOK")
def check(workbook: str) -> None:
    """Kontroller en utfylt arbeidsbok: manglende felt, ukjente klasser, røde uten tiltak, passerte frister."""
    from rosxl.workbook.check import check_workbook

    findings = check_workbook(workbook)
    for finding in findings:
        click.echo(f"{finding} [{finding.code}]")
    if findings:
        click.echo(f"{len(findings)} funn.")
        sys.exit(max(f.problem.exit_status for f in findings))
    click.echo("Ingen funn.")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False), metavar="ARBEIDSBOK")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), metavar="FIL",
              help="Skriv den utfylte arbeidsboka hit (ny .xlsx-fil). Uten -o: fyll inn i selve arbeidsboka.")
def fill(workbook: str, output: str | None) -> None:
    """Skriv inn klassen et faktum i en klassecelle tilsvarer («1 gang per 20 år» → «2 – Lav»); teksten beholdes."""
    from rosxl.workbook.fill import fill_workbook

    report = fill_workbook(workbook, output)
    for fact in report.filled:
        click.echo(f"rad {fact.row}, kolonne {fact.column}: «{fact.text}» → «{fact.entry}»")
    for fact in report.left:
        click.echo(f"rad {fact.row}, kolonne {fact.column}: «{fact.text}» står igjen ({fact.reason})", err=True)
    click.echo(f"Fylte inn {len(report.filled)} klasser i {report.target}." if report.filled
               else "Ingen faktum å fylle inn.")
    if not report.ok:
        sys.exit(1)


# --- Excel add-in: excel, freeze (rosxl/udfs.py, rosxl/excel) --------------------------------


@cli.group()
def excel() -> None:
    """Excel-tillegget: regnearkfunksjonene ros_* (xlwings, Excel for Windows)."""


@excel.command("status")
def excel_status() -> None:
    """Vis hva tillegget trenger og hva som virker på denne maskinen (exit 1 når det ikke er klart)."""
    from rosxl.excel.addin import status

    _print_addin_status(status())


@excel.command("install")
@criteria_option
def excel_install(criteria: str) -> None:
    """Installer xlwings-tillegget, pek brukeroppsettet på rosxl.udfs og legg malen «Ny ROS-analyse» i
    Excels malmappe (bare Windows)."""
    from rosxl.excel.addin import install

    _print_addin_status(install(criteria=criteria))


def _print_addin_status(result: Any) -> None:
    marks = {True: "ok ", False: "MANGLER", None: "–  "}
    for check in result.checks:
        click.echo(f"{marks[check.ok]:<7} {check.name}: {check.detail}")
    click.echo("Tillegget er klart." if result.ok else "Tillegget er ikke klart på denne maskinen.")
    if not result.ok:
        sys.exit(1)


@excel.command("vba")
@click.option("--output", "-o", "outdir", type=click.Path(file_okay=False), default="vba_stub", metavar="MAPPE",
              show_default=True, help="Mappen VBA-filene skrives til.")
@click.option("--standalone", is_flag=True,
              help="Eksporter også xlwings' egne moduler (xlwings.bas, Dictionary.cls) for bøker uten tillegget.")
def excel_vba(outdir: str, standalone: bool) -> None:
    """Lag VBA-modulen xlwings_udfs.bas med xlwings' egen maskineri (sjekker også funksjonene)."""
    from pathlib import Path

    from rosxl.excel.vba import write_stub

    for path in write_stub(Path(outdir), standalone=standalone):
        click.echo(f"Skrev {path}")


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False), metavar="ARBEIDSBOK")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), required=True, metavar="FIL",
              help="Den frosne arbeidsboken (.xlsx).")
@click.option("--overwrite", is_flag=True, help="Skriv over FIL om den finnes.")
def freeze(workbook: str, output: str, overwrite: bool) -> None:
    """Erstatt alle ros_*-formler med verdiene, så boken kan leses uten Python (pandas, LibreOffice)."""
    from rosxl.excel.freeze import freeze as run

    report = run(workbook, output, overwrite=overwrite)
    click.echo(f"Frøs {len(report.frozen)} ros_-formler → {output}")
    for where, reason in report.skipped.items():
        click.echo(f"Ikke frosset: {where}: {reason}", err=True)
    if not report.ok:
        sys.exit(1)


# --- conversion: convert (rosxl/conversion) -------------------------------------------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True), metavar="INNDATA…")
@click.option("--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False), metavar="MAPPE",
              help="Mappen standardarbeidsbøkene (.xlsx) og JSON-filene skrives til.")
@criteria_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, metavar="ANTALL",
              help="Antall prosesser som konverterer samtidig.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FIL",
              help="Rapporten som JSON (og som tekst ved siden av, .txt). Standard: MAPPE/rapport.json.")
@click.option("--overwrite", is_flag=True, help="Skriv over utfiler som finnes fra før.")
@click.option("--language", type=click.Choice(["nb", "nn"]), default=None,
              help="Målform for arbeidsbøkene (nb: bokmål, nn: nynorsk). Standard: kildens egen.")
@click.option("--mapping", "mapping", type=click.Path(exists=True, dir_okay=False), metavar="KOBLING",
              help="Koblingsfil (kobling.toml): ark, overskriftsrader, område og felt per kolonne. "
                   "Hver kjøring skriver koblingen den brukte ved siden av rapporten.")
def convert(inputs: tuple[str, ...], out_dir: str, criteria: str, jobs: int, report_path: str | None,
            overwrite: bool, language: str | None, mapping: str | None) -> None:
    """Konverter gamle ROS-ark (filer eller mapper) til standardarbeidsbøker, JSON og en rapport."""
    from pathlib import Path

    from rosxl.conversion.batch import (
        convert_batch,
        extra_inputs,
        mapping_path,
        plan_batch,
        report_paths,
        write_mapping,
        write_report,
    )
    from rosxl.criteria.model import Language

    form: Language | None = "nn" if language == "nn" else "nb" if language else None
    planned = plan_batch(inputs, out_dir, overwrite=overwrite, criteria=criteria, mapping=mapping)  # writes nothing
    json_path, text_path = report_paths(report_path or Path(out_dir) / "rapport.json", overwrite, jobs=planned,
                                        mapping=mapping, inputs=[*inputs, *(j.source for j in planned),
                                                                 *extra_inputs(criteria, mapping)])
    total = len(planned)
    if sys.stderr.isatty():
        with click.progressbar(length=total, label="Konverterer", file=sys.stderr) as bar:
            report = convert_batch(inputs, out_dir, criteria=criteria, jobs=jobs, overwrite=overwrite,
                                   progress=lambda _: bar.update(1), language=form, mapping=mapping)
    else:
        report = convert_batch(inputs, out_dir, criteria=criteria, jobs=jobs, overwrite=overwrite, language=form,
                               mapping=mapping)
    write_report(report, json_path, text_path)
    used = mapping_path(json_path, mapping)
    write_mapping(report, used)
    t = report.totals()
    click.echo(f"{t['files']} filer: {t['scenarios']} scenarioer skrevet, {t['rows_skipped']} rader hoppet over, "
               f"{t['failed']} filer feilet, {t['review']} punkter til kontroll.")
    for f in report.files:
        if f.lost:
            reason = "; ".join(f"{p.message} [{p.code}]" for p in f.problems if p.fatal) or "rader mangler"
            click.echo(f"Feil: {f.file}: {reason}", err=True)
    click.echo(f"Rapport: {json_path} og {text_path}; koblingen som ble brukt: {used}")
    if not report.ok:
        sys.exit(1)


# --- merge and council report: merge, report (rosxl/merging.py, rosxl/risikobilde) ------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True), metavar="INNDATA…")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FIL",
              help="Den samlede analysen: en standardarbeidsbok (.xlsx) eller kanonisk JSON (.json).")
@click.option("--criteria", "-c", "criteria", default=None, metavar="NAVN|FIL",
              help="Akseptkriteriene den samlede analysen skal bruke (standard: den første analysens).")
@language_option
@click.option("--overwrite", is_flag=True, help="Skriv over FIL om den finnes (aldri en av inndataene).")
def merge(inputs: tuple[str, ...], output: str, criteria: str | None, language: str, overwrite: bool) -> None:
    """Slå sammen analyser (standardarbeidsbøker eller JSON, mapper gjennomsøkes) til én, med kildene bevart."""
    from rosxl.merging import merge_files

    merged = merge_files(inputs, output, criteria, language=language, overwrite=overwrite)  # type: ignore[arg-type]
    info = merged.report["merge"]
    duplicates = sum(1 for r in info["review"] if r["code"] == "merge-duplicate")
    sources = len(info["sources"])
    click.echo(f"{sources} {'analyse' if sources == 1 else 'analyser'} slått sammen: {len(merged.scenarios)} "
               f"scenarioer, {duplicates} {'mulig duplikat' if duplicates == 1 else 'mulige duplikater'}, "
               f"{len(info['review'])} punkter til kontroll.")
    for source in info["sources"]:
        click.echo(f"  {source['code']}: {source['file']} ({source['scenarios']} scenarioer, "
                   f"kriterier {source['criteria']})")
    for item in info["review"]:
        if item["code"] == "merge-duplicate":
            click.echo(f"  {item['scenario']}: {item['note']}")
    click.echo(f"Skrev {output}")


@cli.command()
@click.argument("analysis", type=click.Path(exists=True, dir_okay=False), metavar="ANALYSE")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FIL",
              help="Rapporten: .docx (Word) eller .pdf (laget med LibreOffice).")
@language_option
@click.option("--title", "title", metavar="TEKST",
              help="Tittel på forsiden (standard: analysens tittel, ellers «Risikobilde»).")
@click.option("--kommune", metavar="NAVN", help="Kommunens navn på forsiden.")
@click.option("--overwrite", is_flag=True, help="Skriv over FIL om den finnes (aldri ANALYSE).")
def report(analysis: str, output: str, language: str, title: str | None, kommune: str | None,
           overwrite: bool) -> None:
    """Lag risikobildet til kommunestyret (DOCX eller PDF) fra en arbeidsbok eller JSON-fil."""
    from rosxl.risikobilde import write_report

    path = write_report(analysis, output, language=language, title=title, kommune=kommune,  # type: ignore[arg-type]
                        overwrite=overwrite)
    click.echo(f"Skrev {path}")


def main() -> None:
    """Entry point of the ``rosxl`` console script."""
    cli(prog_name="rosxl")
