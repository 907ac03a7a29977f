"""Draw the README's figure: the matrix page of the Risikobilde for the shipped examples, merged.

Run: ``python scripts/readme_figure.py`` (needs LibreOffice and pdftoppm). Converts
``examples/legacy``, merges the analyses, writes the report as PDF and saves the page with the risk
matrices as ``docs/risikobilde-matrise.png``.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import rosxl

ROOT = Path(__file__).resolve().parent.parent
FIGURE = ROOT / "docs" / "risikobilde-matrise.png"


def matrix_page(pdf: Path) -> int:
    """The first page that shows a matrix «… – Før tiltak»."""
    page = 1
    while True:
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        if "– Før tiltak" in text:
            return page
        if not text.strip():
            raise SystemExit("fant ingen matriseside i rapporten")
        page += 1


def main() -> None:
    analyses = [rosxl.convert(path)[0] for path in sorted((ROOT / "examples" / "legacy").iterdir())
                if path.suffix in (".xlsx", ".xls", ".ods", ".csv")]
    merged = rosxl.merge(analyses)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = rosxl.write_report(merged, Path(tmp) / "risikobilde.pdf", kommune="Eksempel kommune")
        page = matrix_page(pdf)
        prefix = Path(tmp) / "side"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(prefix)], check=True)
        FIGURE.parent.mkdir(exist_ok=True)
        FIGURE.write_bytes(prefix.with_suffix(".png").read_bytes())
    print(f"Skrev {FIGURE.relative_to(ROOT)} (side {page})")


if __name__ == "__main__":
    main()
