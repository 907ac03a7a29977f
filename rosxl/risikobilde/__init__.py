"""The council document (Risikobilde) of an analysis: DOCX with python-docx, PDF via LibreOffice.

::

    rosxl.write_report("samlet.xlsx", "risikobilde.docx", kommune="Luster kommune")
    rosxl.write_report(analysis, "risikobilde.pdf", language="nn")   # needs LibreOffice (soffice)

The contents are built in :mod:`rosxl.risikobilde.document`; the Word details in
:mod:`rosxl.risikobilde.word`. Outputs are written atomically and never over an input.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from rosxl import problems
from rosxl.analysis import Analysis
from rosxl.criteria.model import Language
from rosxl.errors import RosxlError
from rosxl.safety.outputs import atomic_output, check_output

#: Seconds LibreOffice may take to turn the DOCX into PDF.
PDF_TIMEOUT = 180


class ReportError(RosxlError):
    """The report cannot be written; ``code`` is a registered problem code (report.toml)."""

    code = "libreoffice-failed"

    def __init__(self, code: str, file: str | Path | None = None, **values: object) -> None:
        super().__init__(problems.get(code).message(**values), file=file)
        self.code = code  # type: ignore[misc]


def write_report(analysis: Analysis | str | Path, output: str | Path, *, language: Language | None = None,
                 title: str | None = None, kommune: str | None = None, today: dt.date | None = None,
                 overwrite: bool = False) -> Path:
    """Write the Risikobilde of ``analysis`` (an Analysis, a standard workbook or canonical JSON) to
    ``output`` (``.docx`` or ``.pdf``); return the path."""
    from rosxl.risikobilde.document import Options, build_document

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise ReportError("report-format-unknown", output, suffix=output.suffix or "(ingen)")
    check_output(output, inputs=[Path(analysis)] if isinstance(analysis, (str, Path)) else [], overwrite=overwrite)
    if isinstance(analysis, (str, Path)):
        from rosxl.inputs import load_analysis

        analysis = load_analysis(analysis)
    lang: Language = language or analysis.criteria.language
    doc = build_document(analysis, Options(lang, title, kommune, today))
    with atomic_output(output, overwrite=overwrite) as temp:
        if suffix == ".docx":
            doc.save(str(temp))
        else:
            with tempfile.TemporaryDirectory(prefix="rosxl-rapport-") as work:
                docx = Path(work) / "risikobilde.docx"
                doc.save(str(docx))
                shutil.move(str(docx_to_pdf(docx, Path(work))), temp)
    return output


def docx_to_pdf(docx: Path, outdir: Path, timeout: float = PDF_TIMEOUT) -> Path:
    """``docx`` as PDF in ``outdir``, by LibreOffice headless with a private profile in ``outdir``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReportError("libreoffice-missing")
    profile = (outdir / "lo-profil").resolve().as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
           "--outdir", str(outdir), str(docx)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "HOME": str(outdir)})
    except subprocess.TimeoutExpired:
        raise ReportError("libreoffice-failed", detail=f"brukte mer enn {timeout:g} sekunder") from None
    pdf = outdir / f"{docx.stem}.pdf"
    if not pdf.is_file():
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:200] or f"status {done.returncode}"
        raise ReportError("libreoffice-failed", detail=detail)
    return pdf



__all__ = ["ReportError", "docx_to_pdf", "write_report"]
