"""LibreOffice headless as the tests' spreadsheet engine: recalculate, convert and render.

Each call runs ``soffice --headless --convert-to`` with a private profile that forces a full
recalculation on load (``OOXMLRecalcMode`` = always), so formulas written by openpyxl (which
have no cached values) and cells changed by a test are computed by a real spreadsheet engine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
requires_libreoffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed"
)

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def _profile() -> Path:
    root = Path(os.environ.get("TMPDIR", "/tmp")) / f"rosxl-lo-profile-{os.getpid()}"
    user = root / "user"
    if not (user / "registrymodifications.xcu").exists():
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, "utf-8")
    return root


def convert(paths: list[Path] | Path, target: str, outdir: Path, timeout: float = 240) -> list[Path]:
    """Convert files with LibreOffice (``target`` such as ``"xlsx"`` or ``"pdf"``); return the outputs.

    Many files in one call cost far less than one call each (one LibreOffice start).
    """
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is required for this test; scripts/test.sh installs it")
    files = [paths] if isinstance(paths, Path) else list(paths)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [SOFFICE, f"-env:UserInstallation=file://{_profile()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    ext = target.split(":")[0]
    outputs = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in outputs if not p.exists()]
    if missing:
        raise AssertionError(f"LibreOffice did not write {missing}")
    return outputs


def recalculate(path: Path, outdir: Path) -> Path:
    """A copy of ``path`` recalculated and saved by LibreOffice (read it with openpyxl ``data_only=True``)."""
    return convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)[0]


def render_png(path: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """Render a workbook to PDF with LibreOffice and the PDF to PNG pages with pdftoppm."""
    pdf = convert(path, "pdf", outdir)[0]
    prefix = outdir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(outdir.glob(f"{pdf.stem}*.png"))
