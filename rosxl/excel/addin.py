"""Install and check the xlwings add-in that runs the ``ros_*`` functions in Excel for Windows.

The add-in itself is xlwings' own (``xlwings addin install`` copies ``xlwings.xlam`` into the
user's XLSTART folder); rosxl adds two lines to the xlwings user config
(``~/.xlwings/xlwings.conf``): ``UDF MODULES`` = ``rosxl.udfs`` so that "Import Functions" finds the
functions, and ``INTERPRETER_WIN`` = this Python. It also registers the template: the
macro-enabled workbook (:mod:`rosxl.excel.xlsm`) as the Excel template «Ny ROS-analyse.xltm» in
the user's templates folder (``%APPDATA%\\Microsoft\\Templates``), so that an advisor starts a
new analysis from Excel's *File → New → Personal*. :func:`status` works on any system and says
what is and is not possible there; :func:`install` works only on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from rosxl.errors import ExcelAddinError

UDF_MODULE = "rosxl.udfs"
ADDIN_FILE = "xlwings.xlam"
#: The template as Excel lists it: a macro-enabled template (.xltm) holding the ros_* wrappers.
TEMPLATE_FILE = "Ny ROS-analyse.xltm"

Runner = Callable[..., "subprocess.CompletedProcess[Any]"]


def log_path() -> Path:
    """Where the worksheet functions log full errors: ``%LOCALAPPDATA%\\rosxl\\udfs.log`` or ``~/.rosxl/udfs.log``.

    ``ROSXL_UDF_LOG`` overrides it.
    """
    if os.environ.get("ROSXL_UDF_LOG"):
        return Path(os.environ["ROSXL_UDF_LOG"])
    local = os.environ.get("LOCALAPPDATA")
    if sys.platform.startswith("win") and local:
        return Path(local) / "rosxl" / "udfs.log"
    return Path.home() / ".rosxl" / "udfs.log"


def pinned_xlwings() -> str | None:
    """The exact xlwings version rosxl's package metadata pins (``xlwings==X``)."""
    for requirement in metadata.requires("rosxl") or []:
        name, sep, version = requirement.partition("==")
        if sep and name.strip().lower() == "xlwings":
            return version.split(";")[0].strip()
    return None


@dataclass(frozen=True)
class Check:
    """One thing the add-in needs; ``ok`` is ``None`` where it does not apply on this system."""

    name: str
    ok: bool | None
    detail: str


@dataclass(frozen=True)
class AddinStatus:
    windows: bool
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return self.windows and all(c.ok is not False for c in self.checks)


def _is_windows(platform: str) -> bool:
    return platform.startswith("win")


def _appdata() -> Path:
    """``%APPDATA%``; unset or empty: the default under the home folder."""
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")


def xlstart_dir() -> Path:
    """The user's XLSTART folder, where ``xlwings addin install`` puts the add-in by default."""
    return _appdata() / "Microsoft" / "Excel" / "XLSTART"


def templates_dir() -> Path:
    """The user's Office templates folder, ``%APPDATA%\\Microsoft\\Templates``."""
    return _appdata() / "Microsoft" / "Templates"


def template_path() -> Path:
    """Where :func:`install` registers the template."""
    return templates_dir() / TEMPLATE_FILE


def status(platform: str = sys.platform) -> AddinStatus:
    """What the add-in needs, checked on this system."""
    import xlwings
    from xlwings.utils import read_user_config

    windows = _is_windows(platform)
    pinned = pinned_xlwings()
    checks = [
        Check("Windows med Excel", windows,
              "ja" if windows else "nei: regnearkfunksjonene (ros_*) kjører bare i Excel for Windows (xlwings via "
              "COM). Her virker «rosxl freeze», «rosxl excel vba» og malen uten makroer."),
        Check("xlwings-versjon", xlwings.__version__ == pinned,
              f"installert {xlwings.__version__}, rosxl krever {pinned}"),
    ]
    if windows:
        addin = xlstart_dir() / ADDIN_FILE
        checks.append(Check("Tillegget xlwings.xlam", addin.is_file(),
                            str(addin) if addin.is_file() else f"mangler i {addin.parent}: kjør «rosxl excel install»"))
    else:
        checks.append(Check("Tillegget xlwings.xlam", None, "kan bare installeres på Windows"))
    config = read_user_config()  # type: ignore[no-untyped-call]
    modules = config.get("udf modules", "")
    checks.append(Check("UDF Modules", UDF_MODULE in modules.split(";") if windows else None,
                        f"{xlwings.USER_CONFIG_FILE}: «{modules or 'ikke satt'}», skal være «{UDF_MODULE}»"))
    interpreter = config.get("interpreter_win", "")
    checks.append(Check("Interpreter_Win", bool(interpreter) and Path(interpreter).is_file() if windows else None,
                        interpreter or "ikke satt"))
    template = template_path()
    checks.append(Check("Mal «Ny ROS-analyse»", template.is_file() if windows else None,
                        str(template) if template.is_file() or not windows
                        else f"mangler i {template.parent}: kjør «rosxl excel install»"))
    checks.append(Check("Logg for regnearkfunksjonene", None, str(log_path())))
    return AddinStatus(windows, tuple(checks))


def install(platform: str = sys.platform, run: Runner = subprocess.run, criteria: str = "standard") -> AddinStatus:
    """Install xlwings' add-in with xlwings' own command, point the user config at ``rosxl.udfs`` and
    register the template with ``criteria`` (:func:`register_template`)."""
    if not _is_windows(platform):
        raise ExcelAddinError("tillegget kan bare installeres på Windows med Excel; «rosxl excel status» sier hva "
                              "som virker her")
    import xlwings.cli

    done = run([sys.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"],
               capture_output=True, text=True)
    if done.returncode != 0 or "Error" in (done.stdout or ""):
        raise ExcelAddinError(f"«xlwings addin install» feilet: {(done.stdout or '').strip()} "
                              f"{(done.stderr or '').strip()}".strip())
    pythonw = Path(sys.executable).with_name("pythonw.exe")
    xlwings.cli.update_user_config("UDF MODULES", UDF_MODULE)  # type: ignore[no-untyped-call]
    interpreter = str(pythonw if pythonw.is_file() else sys.executable)
    xlwings.cli.update_user_config("INTERPRETER_WIN", interpreter)  # type: ignore[no-untyped-call]
    register_template(criteria)
    return status(platform)


def register_template(criteria: str = "standard") -> Path:
    """Write the macro-enabled template as «Ny ROS-analyse.xltm» into the user's templates folder.

    A file of that name that rosxl did not write is left alone (refused); rosxl's own is replaced,
    so a reinstall brings the template up to date with rosxl and its xlwings.
    """
    from rosxl.analysis import Analysis
    from rosxl.criteria import load_criteria
    from rosxl.excel.xlsm import write_macro_workbook

    path = template_path()
    if path.exists() and not _written_by_rosxl(path):
        raise ExcelAddinError(f"{path} finnes og er ikke laget av rosxl; flytt den og kjør «rosxl excel install» "
                              "igjen")
    return write_macro_workbook(Analysis(load_criteria(criteria)), path, overwrite=True)


def _written_by_rosxl(path: Path) -> bool:
    """A workbook with rosxl's hidden «rosxl» sheet."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            return b'name="rosxl"' in book.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
