"""Convert many legacy files: find them, name the outputs, run the conversions in workers, report.

Inputs may be files or folders (recursed; files found in a folder keep their path relative to it
under the output folder). Each input gives ``<stem>.xlsx`` (the standard workbook) and
``<stem>.json`` (the canonical analysis); two inputs that would share a name get ``-2``, ``-3``…,
said in the report. Inputs are never changed; outputs are written atomically and never overwrite
an existing file unless ``overwrite`` is set. Each file is converted in a worker process
(:func:`rosxl.safety.isolation.run_isolated`) so that a hostile file cannot take the batch down.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rosxl.analysis import VERSION
from rosxl.conversion.mapping import FILE_NAME as MAPPING_FILE
from rosxl.conversion.mapping import Mapping
from rosxl.conversion.mapping import load as load_mapping
from rosxl.conversion.mapping import render as render_mapping
from rosxl.conversion.pipeline import convert, with_undivided_area
from rosxl.conversion.report import BatchReport, FileReport, Problem
from rosxl.criteria import Criteria, load_criteria
from rosxl.criteria.model import Language
from rosxl.errors import (
    ConversionError,
    NoInputsError,
    OutputExistsError,
    OutputRefusedError,
    RosxlError,
)
from rosxl.jsontext import dumps
from rosxl.safety.isolation import run_isolated
from rosxl.safety.limits import Limits
from rosxl.safety.outputs import (
    Inputs,
    atomic_output,
    check_output,
    check_output_folder,
    identity,
    remove_stale_temporaries,
)

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


@dataclass(frozen=True)
class Job:
    """One input and where its outputs go (picklable, for the workers)."""

    source: str
    output: str  # output path without suffix
    criteria: str
    overwrite: bool
    note: str | None = None  # said in the report when the output name had to change
    language: str | None = None  # the workbook's written form; None: the source's own
    mapping: str | None = None  # a mapping file (kobling.toml)
    limits: Limits = Limits()  # noqa: RUF009 - frozen
    refusal: OutputExistsError | None = None  # an output that may not be written: the job is not run


def find_inputs(inputs: Iterable[str | Path], out_dir: Path) -> list[Job]:
    """Plan the batch: every input file with its output base name (see the module docstring).

    Folders are recursed without following links to folders; the output folder (by inode, so also
    when spelled differently) is never entered, so a batch never reads its own outputs.
    """
    found: list[tuple[Path, Path]] = []
    for item in map(Path, inputs):
        if item.is_dir():
            found += [(p, p.relative_to(item).with_suffix("")) for p in _spreadsheets(item, out_dir)]
        else:
            found.append((item, Path(item.stem)))
    jobs, taken = [], set()
    for source, rel in found:
        base, n = rel, 1
        while str(base).lower() in taken:
            n += 1
            base = rel.with_name(f"{rel.name}-{n}")
        taken.add(str(base).lower())
        note = f"«{source}» er skrevet som «{base}» fordi navnet «{rel}» var tatt" if base != rel else None
        jobs.append(Job(str(source), str(out_dir / base), "", False, note))
    return jobs


def _spreadsheets(folder: Path, out_dir: Path) -> list[Path]:
    """The spreadsheet files under ``folder``, sorted, skipping ``out_dir`` and Office lock files."""
    skip = identity(out_dir)
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if skip is None or identity(Path(root, d)) != skip]
        files += [Path(root, n) for n in names if Path(n).suffix.lower() in SUFFIXES
                  and not n.startswith(("~$", "."))]
    return sorted(p for p in files if p.is_file())


def plan_batch(inputs: Iterable[str | Path], out_dir: str | Path, *, overwrite: bool = False,
               criteria: Criteria | str | Path | None = None, mapping: str | Path | None = None) -> list[Job]:
    """:func:`find_inputs`, checked before anything is written (:mod:`rosxl.safety.outputs`).
    A criteria or mapping file counts as an input too (``--criteria ros.xlsx`` is never overwritten).

    Raises :class:`NoInputsError` when the inputs hold no spreadsheet and
    :class:`~rosxl.errors.OutputRefusedError` when the output folder is an input folder or an
    output would be an input. An output that exists (without ``overwrite``, or not written by
    rosxl) fails only its own file: that job's ``refusal`` says why, and it is never run.
    """
    out, sources = Path(out_dir), [Path(i) for i in inputs]
    check_output_folder(out, inputs=sources)
    planned = find_inputs(sources, out)
    if not planned:
        raise NoInputsError("fant ingen regneark i " + ", ".join(f"«{s}»" for s in sources)
                            + f" (leser {', '.join(SUFFIXES)})")
    every_input = Inputs([Path(j.source) for j in planned] + extra_inputs(criteria, mapping))
    jobs = []
    for job in planned:
        refusal: OutputExistsError | None = None
        for target in (Path(job.output + ".xlsx"), Path(job.output + ".json")):
            try:
                check_output(target, inputs=every_input, overwrite=overwrite)
            except OutputExistsError as exc:
                if exc.code not in ("output-exists", "output-not-rosxl"):
                    raise
                # the report lists it under the input: say which output
                refusal = refusal or OutputRefusedError(f"utfilen «{target}» {exc.message}", code=exc.code,
                                                        file=target)
        jobs.append(dataclasses.replace(job, overwrite=overwrite, refusal=refusal))
    return jobs


def extra_inputs(criteria: Criteria | str | Path | None = None, mapping: str | Path | None = None) -> list[Path]:
    """The files a batch reads besides the spreadsheets: a criteria file, a mapping file."""
    return [Path(x) for x in (criteria, mapping) if isinstance(x, str | Path) and Path(x).is_file()]


def convert_batch(inputs: Iterable[str | Path], out_dir: str | Path, *, criteria: Criteria | str | Path = "standard",
                  jobs: int = 1, overwrite: bool = False, limits: Limits | None = None,
                  progress: Callable[[FileReport], None] | None = None,
                  language: Language | None = None, mapping: str | Path | None = None) -> BatchReport:
    """Convert ``inputs`` into ``out_dir``; return the batch report (``report.ok`` is the exit status).
    ``language`` writes every workbook in that form; by default each follows its source.
    ``mapping`` is a ``kobling.toml`` (:mod:`.mapping`), checked before any file is read.
    Everything is checked first (:func:`plan_batch`); ``limits`` apply to every file, in its worker."""
    if mapping is not None:
        load_mapping(mapping)  # a bad mapping file stops the batch at once, with file, key and line
    out = Path(out_dir)
    crit = load_criteria(criteria)
    criteria_ref = str(criteria) if not isinstance(criteria, Criteria) else crit.name
    planned = [dataclasses.replace(j, criteria=criteria_ref, language=language, limits=limits or Limits(),
                                   mapping=str(mapping) if mapping is not None else None)
               for j in plan_batch(inputs, out, overwrite=overwrite, criteria=criteria, mapping=mapping)]
    if out.is_dir():  # temporaries left by a worker killed mid-write in an earlier run
        remove_stale_temporaries(out)
    if planned:  # the common templates once here, not in every worker (a forked one inherits them)
        from rosxl.workbook.stamp import prepare

        for variant in (crit, with_undivided_area(crit)):
            prepare(variant, (language or "nb",))
    report = BatchReport(criteria=crit.name)
    refused = [_failed(j, j.refusal) for j in planned if j.refusal is not None]
    for file_report in [*refused, *_run([j for j in planned if j.refusal is None], jobs, limits or Limits())]:
        report.files.append(file_report)
        if progress is not None:
            progress(file_report)
    order = {j.source: i for i, j in enumerate(planned)}
    report.files.sort(key=lambda f: order.get(f.file, 0))
    return report


def report_paths(path: str | Path, overwrite: bool = False, *, inputs: Sequence[str | Path] = (),
                 jobs: Sequence[Job] = (), mapping: str | Path | None = None) -> tuple[Path, Path]:
    """Where the report goes: JSON at ``path`` (``.json`` added when missing), text beside it (``.txt``).
    Both, and the mapping written beside them (:func:`mapping_path`), are checked with
    :func:`~rosxl.safety.outputs.check_output` against ``inputs``, and the report is refused when
    a converted file of ``jobs`` would take its name."""
    target = Path(path)
    json_path = target if target.suffix.lower() == ".json" else target.with_suffix(".json")
    text_path = json_path.with_suffix(".txt")
    for job in jobs:
        if os.path.normcase(os.path.abspath(job.output + ".json")) == os.path.normcase(os.path.abspath(json_path)):
            raise OutputExistsError(f"rapporten får samme navn som analysen av «{job.source}»; velg et annet "
                                    "navn med --report", file=json_path)
    for p in (json_path, text_path, mapping_path(json_path, mapping)):
        try:
            check_output(p, inputs=[Path(i) for i in inputs], overwrite=overwrite)
        except OutputRefusedError:
            raise
        except OutputExistsError as exc:
            raise OutputExistsError("rapporten finnes fra før (bruk --overwrite)", file=p) from exc
    return json_path, text_path


def write_report(report: BatchReport, json_path: Path, text_path: Path) -> None:
    """Write the report as JSON (one input file per line) and as Norwegian text (paths from
    :func:`report_paths`)."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    data = {"rosxl": VERSION, **report.to_dict(copy=False)}  # the key that tells rosxl's files (safety.outputs)
    files = ",\n".join(map(dumps, data.pop("files")))
    head = dumps(data)[:-1]  # one file per line: greppable, and
    with atomic_output(json_path, overwrite=True) as temporary:  # checked by report_paths before the batch
        temporary.write_text(f'{head},"files":[\n{files}\n]}}\n', "utf-8")
    with atomic_output(text_path, overwrite=True) as temporary:
        temporary.write_text(report.to_text(), "utf-8")


def _run(jobs: list[Job], workers: int, limits: Limits) -> Iterator[FileReport]:
    for outcome in run_isolated(convert_job, jobs, jobs=workers, limits=limits):
        if outcome.error is None and outcome.result is not None:
            yield FileReport.from_dict(outcome.result)
        else:
            yield _failed(outcome.item, outcome.error or ConversionError("ingen resultat fra arbeidsprosessen"))


def convert_job(job: Job) -> dict[str, Any]:
    """Convert one file and write its outputs (runs in a worker; returns the report as a dict)."""
    try:
        analysis, report = convert(job.source, _criteria(job.criteria), limits=job.limits,
                                   language="nn" if job.language == "nn" else "nb" if job.language else None,
                                   mapping=_mapping(job.mapping) if job.mapping else None)
    except RosxlError as exc:
        return _failed(job, exc).to_dict()
    report.file = job.source
    if job.note:
        report.add("output-renamed", message=job.note)
    base = Path(job.output)
    outputs = {"json": str(base.with_suffix(".json")), "xlsx": str(base.with_suffix(".xlsx"))}
    report.outputs = outputs
    analysis.report = report.to_dict()  # the report as written into the outputs and returned
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        _write(analysis, outputs, job.overwrite)
    except RosxlError as exc:
        report.problems += _failed(job, exc).problems
        return report.to_dict()
    return analysis.report


def _write(analysis: Any, outputs: dict[str, str], overwrite: bool) -> None:
    from rosxl.workbook import write_workbook

    with atomic_output(Path(outputs["xlsx"]), overwrite=overwrite) as tmp:
        write_workbook(analysis, tmp, language="nn" if analysis.metadata.get("language") == "nn" else "nb")
    with atomic_output(Path(outputs["json"]), overwrite=overwrite) as tmp:
        Path(tmp).write_text(analysis.to_json(indent=None), "utf-8")  # compact: 5× faster than indented


@cache
def _criteria(ref: str) -> Criteria:
    return load_criteria(ref)


@cache
def _mapping(path: str) -> Mapping:
    return load_mapping(path)


def mapping_path(json_path: Path, mapping: str | Path | None = None) -> Path:
    """Where the batch writes the mapping it used: ``kobling.toml`` beside the report, or
    ``kobling-2.toml`` when ``kobling.toml`` is the mapping given (an input is never overwritten)."""
    target = json_path.with_name(MAPPING_FILE)
    if mapping is not None and target.exists() and target.resolve() == Path(mapping).resolve():
        target = json_path.with_name(target.stem + "-2.toml")
    return target


def write_mapping(report: BatchReport, path: Path) -> None:
    """Write ``kobling.toml``: the mapping this batch used, commented with each column's evidence."""
    with atomic_output(path, overwrite=True) as temporary:  # checked by report_paths before the batch
        temporary.write_text(render_mapping(f.to_dict() for f in report.files), "utf-8")


def _failed(job: Job, exc: BaseException) -> FileReport:
    report = FileReport(file=job.source)
    error = exc if isinstance(exc, RosxlError) else ConversionError(f"uventet feil ({type(exc).__name__})")
    report.problems.append(Problem(error.code, error.message))
    report.error = {"code": error.code, "message": str(error)}
    return report

