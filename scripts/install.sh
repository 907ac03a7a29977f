# Sourced by demo.sh and test.sh: make a virtual environment in .venv and install rosxl into it.
# Usage: source scripts/install.sh [EXTRA]   (EXTRA: "test" also installs LibreOffice and test tools)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_install() {
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then apt_install python3-venv python3-pip; fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "test" ]; then
    if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v ssconvert >/dev/null \
        || [ ! -e /usr/lib/libreoffice/program/swriter ] || ! fc-list | grep -q "Liberation Sans"; then
        echo "Installerer LibreOffice (Calc, Writer), Gnumeric og poppler (pdftoppm) for testene …"
        # fonts-liberation: Arial's metric twin, so the workbook's widths hold in the print tests
        apt_install libreoffice-calc libreoffice-writer gnumeric poppler-utils fonts-dejavu-core fonts-liberation
    fi
    if [ ! -x /usr/bin/time ]; then  # peak memory in benchmarks/bench_hostile.py (/usr/bin/time -v)
        apt_install time
    fi
    .venv/bin/python -m pip install -q -e ".[test]"
    if ! command -v msgfmt >/dev/null; then apt_install gettext; fi  # checks rosxl/locale/*.mo against the .po
else
    .venv/bin/python -m pip install -q .
fi
export PATH="$PWD/.venv/bin:$PATH"
