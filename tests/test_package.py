"""Package hygiene: what importing rosxl costs and what the console script offers."""

from __future__ import annotations

import subprocess
import sys


def test_import_rosxl_does_not_import_xlwings_click_or_pandas() -> None:
    code = ("import sys, rosxl; rosxl.load_criteria('standard').zone(3, 3); "
            "print(sorted(m for m in ('xlwings', 'click', 'pandas', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_names_resolve() -> None:
    import rosxl

    for name in ("load_criteria", "Criteria", "assess", "classify", "Analysis", "Scenario", "list_presets"):
        assert getattr(rosxl, name) is not None


def test_api_functions_survive_importing_their_modules() -> None:
    """``rosxl.assess`` etc. are functions even after the modules behind them are imported."""
    import rosxl
    import rosxl.assessment
    import rosxl.classification
    import rosxl.conversion  # noqa: F401

    for name in ("assess", "classify", "convert"):
        assert callable(getattr(rosxl, name)) and not isinstance(getattr(rosxl, name), type(rosxl)), name
