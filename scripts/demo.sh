#!/usr/bin/env bash
# Install rosxl and run the main job on the shipped example data: convert the legacy municipal
# sheets in examples/legacy into standard workbooks, JSON and a report in out/; merge the converted
# analyses into one (out/samlet.xlsx) and write the council report (out/risikobilde.docx, and
# out/risikobilde.pdf when LibreOffice is installed).
set -euo pipefail
source "$(dirname "$0")/install.sh"
rosxl convert examples/legacy -o out --report out/rapport.json --overwrite || status=$?
mkdir -p out/samlet
rosxl merge out/*.xlsx -o out/samlet/samlet.xlsx --overwrite
rosxl report out/samlet/samlet.xlsx -o out/samlet/risikobilde.docx --kommune "Eksempel kommune" --overwrite
if command -v soffice >/dev/null || command -v libreoffice >/dev/null; then
    rosxl report out/samlet/samlet.xlsx -o out/samlet/risikobilde.pdf --kommune "Eksempel kommune" --overwrite
else
    echo "LibreOffice er ikke installert: hopper over out/samlet/risikobilde.pdf (DOCX-en er skrevet)."
fi
echo "Resultat i out/: standardarbeidsbøker (.xlsx), JSON og rapporten out/rapport.json;"
echo "samlet analyse og risikobilde i out/samlet/"
exit "${status:-0}"
