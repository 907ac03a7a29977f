#!/usr/bin/env bash
# Install everything the tests need (Python packages in .venv, LibreOffice through apt) and run
# the linters, the type checker and the test suite.
set -euo pipefail
source "$(dirname "$0")/install.sh" test
ruff check rosxl tests benchmarks corpus
mypy
pytest "$@"
