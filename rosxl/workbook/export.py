"""The canonical export of a standard workbook, as JSON or CSV.

CSV cells that a spreadsheet would run as a formula are neutralised (see
:func:`neutralise_csv_cell`).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from rosxl.analysis import Analysis, Scenario

Format = Literal["json", "csv"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula (``= + - @``, tab, CR first) gets a ``'`` in front.

    Numbers are left alone (``-5`` stays a number); only text is changed (OWASP's advice for CSV
    injection, as spreadsheet tools expect it).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_text(analysis: Analysis, fmt: Format = "json") -> str:
    """The analysis as canonical JSON, or as CSV with one row per scenario."""
    if fmt == "json":
        return analysis.to_json()
    return _csv(analysis)


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
