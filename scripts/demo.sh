#!/usr/bin/env bash
# Install rosxl and run the main job on the shipped example data: convert the legacy municipal
# sheets in examples/legacy into standard workbooks, JSON and a report in out/.
set -euo pipefail
source "$(dirname "$0")/install.sh"
rosxl convert examples/legacy -o out --report out/rapport.json --overwrite || status=$?
echo "Resultat i out/: standardarbeidsbøker (.xlsx), JSON og rapporten out/rapport.json"
exit "${status:-0}"
