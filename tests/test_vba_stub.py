"""The committed VBA stub equals what xlwings' machinery generates, and names the pinned xlwings."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import xlwings

from rosxl.excel.vba import OWN_FILE, STUB_FILE, Stub, generate, write_stub
from rosxl.excel.xlsm import own_module_source

ROOT = Path(__file__).resolve().parent.parent
STUB_DIR = ROOT / "vba_stub"


@pytest.fixture(scope="module")
def stub() -> Stub:
    return generate()


def pinned() -> str:
    """The exact xlwings pin in pyproject.toml."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    (pin,) = [d for d in deps if d.replace(" ", "").startswith("xlwings")]
    m = re.fullmatch(r"xlwings==(\d+\.\d+\.\d+)", pin.replace(" ", ""))
    assert m, f"xlwings must be pinned to one exact version, found «{pin}»"
    return m.group(1)


def test_committed_stub_is_what_the_machinery_generates(stub: Stub) -> None:
    committed = (STUB_DIR / STUB_FILE).read_bytes()
    assert committed == stub.bas_bytes(), "vba_stub is stale: run «rosxl excel vba» and commit the result"


def test_installed_xlwings_is_the_pinned_one(stub: Stub) -> None:
    assert xlwings.__version__ == pinned() == stub.xlwings_version


def test_stub_names_the_pinned_version() -> None:
    header = (STUB_DIR / STUB_FILE).read_text("ascii").splitlines()[1]
    assert f"with xlwings {pinned()} (needs the xlwings {pinned()} add-in)" in header


def test_standalone_export_names_the_pinned_version_where_xlwings_puts_it(tmp_path: Path) -> None:
    written = write_stub(tmp_path, standalone=True)
    assert sorted(p.name for p in written) == ["Dictionary.cls", OWN_FILE, "xlwings.bas", STUB_FILE]
    module = (tmp_path / "xlwings.bas").read_text("utf-8")
    version = pinned()
    assert f'Public Const XLWINGS_VERSION As String = "{version}"' in module
    dlls = set(re.findall(r'Lib "(xlwings(?:32|64)-[^"]+\.dll)"', module))
    assert dlls == {f"xlwings32-{version}.dll", f"xlwings64-{version}.dll"}
    assert (tmp_path / STUB_FILE).read_bytes() == (STUB_DIR / STUB_FILE).read_bytes()


def test_exported_xlwings_modules_are_not_committed() -> None:
    ignored = (STUB_DIR / ".gitignore").read_text("utf-8").split()
    assert {"xlwings.bas", "Dictionary.cls"} <= set(ignored)


def test_own_module_provides_the_buttons_and_does_not_clash() -> None:
    raw = (STUB_DIR / OWN_FILE).read_bytes()
    assert raw == own_module_source().encode("cp1252"), "vba_stub is stale: run «rosxl excel vba» and commit it"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF, as the VBA editor exports
    text = raw.decode("cp1252")
    assert text.startswith('Attribute VB_Name = "rosxl"')
    subs = set(re.findall(r"^Public Sub (\w+)\(\)", text, re.MULTILINE))
    assert subs == {"RosBeregnPaNytt", "RosFrysVerdier"}
    callbacks = set(re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)", text, re.MULTILINE))
    assert callbacks == {"RosBaandBeregnPaNytt", "RosBaandFrysVerdier"}
    generated = set(re.findall(r"^Function (\w+)\(", (STUB_DIR / STUB_FILE).read_text("ascii"), re.MULTILINE))
    assert not subs & generated
    readme = (STUB_DIR / "README.md").read_text("utf-8")
    assert all(name in readme for name in (STUB_FILE, "rosxl.bas", "rosxl excel vba", "RosFrysVerdier"))
