"""Make the example legacy ROS sheets in ``examples/legacy`` (run from the repository root).

The sheets are the shapes municipalities really have (see ``/work/shared/domain.md``): a consultant's
plan-ROS with a merged two-row header and before/after measures, a nynorsk helhetlig ROS with title
and section rows (.ods), a source with its own legend (.xls), a semicolon Windows-1252 CSV export,
a risk column given only as fill colours, and a matrix-only sheet. They are built by the same
builders as the test corpus (``corpus/legacy.py``); .xls and .ods are saved by LibreOffice::

    python examples/make_legacy.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import legacy as corpus  # noqa: E402

TARGET = ROOT / "examples" / "legacy"


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    corpus.two_row_header(TARGET, "plan-ros-sjobakken.xlsx")
    corpus.semicolon_cp1252(TARGET, "risikoregister-2012.csv")
    corpus.colour_only(TARGET, "beredskap-fargekodet.xlsx")
    corpus.matrix_only(TARGET, "risikomatrise-vannverk.xlsx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) trengs for .ods og .xls")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, build, target in (("heilskapleg-ros-2014", corpus.nynorsk_helhetleg, "ods"),
                                    ("ros-kriterier-kmd", corpus.legend_sheet, "xls")):
            source = build(work, f"{name}.xlsx")
            subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                            "--convert-to", target, "--outdir", str(TARGET), str(source)],
                           check=True, capture_output=True, timeout=240)
    for path in sorted(TARGET.iterdir()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
