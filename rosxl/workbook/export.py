"""The export of a standard workbook: canonical JSON, a CSV for Norwegian Excel, or the CSV's machine form.

- ``json``: the canonical analysis (:meth:`Analysis.to_json`).
- ``csv``: what Norwegian Excel opens as a table: ``;`` between cells, UTF-8 with a byte order
  mark, CRLF line ends, the workbook's own column headings and zone labels in its written form,
  decimal commas; one row per scenario with the columns the Scenarier sheet shows.
- ``csv-data``: the machine form, one row per scenario with the canonical keys
  (``consequences.okonomi``, zone keys such as ``yellow``), commas, no byte order mark.

In both CSV forms, cells that a spreadsheet would run as a formula are neutralised (see
:func:`neutralise_csv_cell`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

from rosxl.analysis import Analysis, Scenario
from rosxl.criteria.model import Language

Format = Literal["json", "csv", "csv-data"]
FORMATS: tuple[Format, ...] = ("json", "csv", "csv-data")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula (``= + - @``, tab, CR first) gets a ``'`` in front.

    Numbers are left alone (``-5`` stays a number); only text is changed (OWASP's advice for CSV
    injection, as spreadsheet tools expect it).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_workbook(path: str | Path, fmt: Format = "json", output: str | Path | None = None, *,
                    overwrite: bool = False) -> str | None:
    """Export the workbook at ``path``: the text, or ``None`` after writing it to ``output`` (atomically).

    The CSV for Excel takes the workbook's written form. ``output`` must not be the workbook itself,
    and an existing ``output`` is replaced only with ``overwrite``.
    """
    from rosxl.safety.outputs import atomic_output, check_output
    from rosxl.workbook.read import read_workbook

    source = Path(path)
    if output is not None:
        check_output(Path(output), inputs=[source], overwrite=overwrite)
    result = read_workbook(source)
    text = export_text(result.analysis, fmt, result.layout.language)
    if output is None:
        return text
    with atomic_output(Path(output), overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
    return None


def export_text(analysis: Analysis, fmt: Format = "json", language: Language | None = None) -> str:
    """The analysis as canonical JSON, the CSV for Excel (in ``language``, default the criteria's) or
    the machine CSV."""
    if fmt == "json":
        return analysis.to_json()
    if fmt == "csv":
        return excel_csv(analysis, language or analysis.criteria.language)
    return _csv(analysis)


def excel_csv(analysis: Analysis, language: Language) -> str:
    """The CSV for Norwegian Excel (see the module doc), starting with the byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in excel_rows(analysis, language):
        writer.writerow([_excel_cell(v) for v in row])
    return BOM + out.getvalue()


def excel_rows(analysis: Analysis, language: Language) -> list[list[Any]]:
    """The Scenarier sheet's visible columns: its headings, then one row per scenario as the sheet shows it."""
    from rosxl.workbook.layout import layout_for
    from rosxl.workbook.write import scenario_cells

    c = analysis.criteria
    layout = layout_for(c, language)
    columns = [col for col in layout.columns if not col.hidden]

    def label(zone: str | None) -> str | None:
        return c.zone_def(zone).label(language) if zone else None

    rows: list[list[Any]] = [[col.header for col in columns]]
    for s in analysis.scenarios:
        cells: dict[int, Any] = scenario_cells(s, layout)
        cells |= {col.index: label(s.zones.get(col.field or "")) for col in layout.zones("before")}
        cells |= {col.index: label(s.residual.zones.get(col.field or "")) for col in layout.zones("after")}
        cells |= {layout.overall("before").index: label(s.zone), layout.overall("after").index: label(s.residual.zone),
                  layout["score"].index: s.score}
        rows.append([cells.get(col.index) for col in columns])
    return rows


def _excel_cell(value: Any) -> Any:
    """A cell for Norwegian Excel: empty for nothing, decimal comma, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return neutralise_csv_cell(value)


def csv_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One flat dict per scenario; nested fields are dotted keys, ``raw``/``source``/``extra`` JSON text."""
    areas = analysis.criteria.area_keys
    rows = []
    for s in analysis.scenarios:
        row: dict[str, Any] = {}
        for key, value in s.to_dict().items():
            if key in ("consequences", "zones"):
                row.update({f"{key}.{a}": value.get(a) for a in areas})
            elif key == "residual":
                row["residual.probability"] = value["probability"]
                for part in ("consequences", "zones"):
                    row.update({f"residual.{part}.{a}": value[part].get(a) for a in areas})
                row["residual.zone"] = value["zone"]
            elif key == "review":
                row[key] = "\n".join(value)
            elif key in ("raw", "source", "extra"):
                row[key] = json.dumps(value, ensure_ascii=False, default=str) if value else ""
            else:
                row[key] = value
        rows.append(row)
    return rows


def _csv(analysis: Analysis) -> str:
    rows = csv_rows(analysis)
    fields = list(csv_rows(Analysis(analysis.criteria, [Scenario()]))[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_csv_cell("" if v is None else v) for k, v in row.items()})
    return out.getvalue()
