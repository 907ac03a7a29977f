"""Checks every converter test makes of a file's report."""

from __future__ import annotations

from rosxl.conversion.report import FileReport


def adds_up(report: FileReport) -> None:
    """Rows read = scenarios + rows skipped, for the file and for each of its sheets."""
    assert report.rows_read == report.scenarios + len(report.skipped)
    for sheet in report.sheets:
        assert sheet["rows_read"] == sheet["scenarios"] + sheet["skipped"], sheet["name"]
