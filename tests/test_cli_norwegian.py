"""Norwegian to the last message: click's own texts, for every command and subcommand.

Each of click's usage errors (unknown option, missing argument or option, missing file, a folder
where a file is expected, a bad choice, a bad integer) and ``--help`` is fed to every command,
found by walking the click group, so a new command is covered without touching this file.
"""

from __future__ import annotations

import ast
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rosxl import cli_texts
from rosxl.cli import cli
from rosxl.problems import Language

ROOT = Path(__file__).resolve().parents[1]

#: click's English texts (and its English metavars) that must never reach an advisor.
ENGLISH = ("Usage:", "Options:", "Commands:", "Error:", "Try '", "for help", "Show this message", "Show the version",
           "No such option", "No such command", "Missing argument", "Missing option", "Missing parameter",
           "Invalid value", "does not exist", "is a directory", "is a file", "is not a valid", "is not one of",
           "is not in the range", "[required]", "default:", "Aborted", "Did you mean", "Got unexpected",
           "requires an argument", "[OPTIONS]", "COMMAND", "[ARGS]", "INTEGER", "TEXT", "PATH", "FILE ", "DIRECTORY",
           "FLOAT", "BOOLEAN", "RANGE", ", version ", "Traceback",
           # library texts that used to be glued into Norwegian messages
           "File is not", "zip file", "No such file", "Permission denied", "[Errno", "not supported", "Unsupported")


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand, with the words that call it (the group itself first)."""
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def _valid(param: click.Parameter, tmp_path: Path) -> list[str]:
    if isinstance(param.type, click.Path):
        target = tmp_path / ("mappe" if not param.type.file_okay else "finnes.xlsx")
        return [str(target)]
    if isinstance(param.type, click.Choice):
        return [str(param.type.choices[0])]
    if isinstance(param.type, click.types.IntParamType):
        return ["1"]
    return ["x"]


def _args(command: click.Command, tmp_path: Path, swap: click.Parameter | None = None,
          value: list[str] | None = None) -> list[str]:
    """Valid values for every required parameter, except ``swap`` given ``value`` (left out when ``[]``)."""
    args: list[str] = []
    for param in command.params:
        if param is not swap and not param.required:
            continue
        given = value if param is swap and value is not None else _valid(param, tmp_path)
        if isinstance(param, click.Option) and given:
            given = [param.opts[0], *given]
        args += given
    return args


def usage_errors(command: click.Command, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(kind, arguments) for each usage error ``command`` can meet."""
    yield "unknown option", ["--finnes-ikke", *_args(command, tmp_path)]
    if isinstance(command, click.Group):
        yield "unknown command", ["finnes-ikke"]
        return
    for param in command.params:
        if param.required:
            yield f"missing {param.name}", _args(command, tmp_path, param, [])
        if isinstance(param.type, click.Path) and param.type.exists:
            yield f"missing file {param.name}", _args(command, tmp_path, param, [str(tmp_path / "finnes-ikke.xlsx")])
        if isinstance(param.type, click.Path) and not param.type.dir_okay:
            yield f"folder for {param.name}", _args(command, tmp_path, param, [str(tmp_path / "mappe")])
        if isinstance(param.type, click.Choice):
            yield f"bad choice {param.name}", _args(command, tmp_path, param, ["ugyldig"])
        if isinstance(param.type, click.types.IntParamType):
            yield f"bad integer {param.name}", _args(command, tmp_path, param, ["mange"])


def english(output: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in output]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "mappe").mkdir()
    (tmp_path / "finnes.xlsx").write_bytes(b"")
    return tmp_path


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path, _ in commands()}
    assert {"", "convert", "check", "export", "template", "excel", "excel vba"} <= names


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_usage_errors_and_help_are_norwegian_for_every_command(files: Path, language: str) -> None:
    runner = CliRunner(env={"ROSXL_SPRAK": language})
    seen: set[str] = set()
    for path, command in commands():
        cases = [("help", ["--help"]), *usage_errors(command, files)]
        for kind, args in cases:
            result = runner.invoke(cli, [*path, *args])
            where = f"rosxl {' '.join([*path, *args])} ({kind})"
            assert result.exit_code == (0 if kind == "help" else 2), (where, result.output)
            assert not english(result.output), (where, english(result.output), result.output)
            assert kind == "help" or "[usage-error]" in result.output, (where, result.output)
            seen.add(kind.split(" ")[0])
    assert seen >= {"help", "unknown", "missing", "folder", "bad"}
    help_text = runner.invoke(cli, ["--help"]).output
    assert ("Vis denne hjelpa og avslutt." if language == "nn" else "Vis denne hjelpen og avslutt.") in help_text


def test_every_parameter_has_a_norwegian_metavar() -> None:
    """click would show English type names (INTEGER, PATH) or the Python name (WORKBOOK) otherwise."""
    for path, command in commands():
        for param in command.params:
            if isinstance(param, click.Argument) or (isinstance(param, click.Option) and not param.is_flag
                                                     and not isinstance(param.type, click.Choice)):
                assert param.metavar, (path, param.name)


def test_language_option_switches_clicks_texts(files: Path) -> None:
    result = CliRunner().invoke(cli, ["template", "--language", "nn", "--criteria", "standard"])
    assert result.exit_code == 2 and "Manglar val" in result.output


def test_gettext_state_is_restored_after_a_command() -> None:
    before = gettext.textdomain(), os.environ.get("LANGUAGE"), os.environ.get("ROSXL_SPRAK")
    CliRunner().invoke(cli, ["--help"])
    assert (gettext.textdomain(), os.environ.get("LANGUAGE"), os.environ.get("ROSXL_SPRAK")) == before


def _click_msgids() -> set[tuple[str, str | None]]:
    """Every text click marks for translation: ``_(text)`` and ``ngettext(singular, plural, n)``."""
    found: set[tuple[str, str | None]] = {("required", None)}  # click translates it through a variable
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in ("_", "ngettext"):
                continue
            texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if texts:
                found.add((texts[0], texts[1] if node.func.id == "ngettext" and len(texts) > 1 else None))
    return found


@pytest.mark.parametrize("language", cli_texts.LANGUAGES)
def test_catalogue_translates_every_text_click_marks(language: Language) -> None:
    with cli_texts.catalogue(language).open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)
    for singular, plural in sorted(_click_msgids(), key=str):
        if plural is None:
            assert catalogue.gettext(singular) != singular or singular == "d", (language, singular)  # d: days
        else:
            assert catalogue.ngettext(singular, plural, 1) != singular, (language, singular)
            assert catalogue.ngettext(singular, plural, 2) != plural, (language, plural)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian package gettext) is not installed")
@pytest.mark.parametrize("language", cli_texts.LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language: Language, tmp_path: Path) -> None:
    mo = cli_texts.catalogue(language)
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(mo.with_suffix(".po"))], check=True)
    assert fresh.read_bytes() == mo.read_bytes(), "run: python -m rosxl.cli_texts"


def test_real_process_speaks_norwegian_and_debug_shows_the_original(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ROSXL_SPRAK": "nb"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rosxl", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)

    for args in (["check", "finnes-ikke.xlsx"], ["check", str(tmp_path)], ["--finnes-ikke"], ["convert", "-j", "x"]):
        done = run(*args)
        assert done.returncode == 2 and not english(done.stdout + done.stderr), (args, done.stderr)
        assert re.search(r"^Feil: .* \[usage-error\]$", done.stderr, re.MULTILINE), done.stderr
    unknown = ["classify", "--criteria", "finnes-ikke.toml", "-s", "1 gang per 20 år"]
    refused = run(*unknown)
    assert refused.returncode == 1 and not english(refused.stderr), refused.stderr
    assert refused.stderr == "Feil: finnes-ikke.toml: finner ikke kriteriefilen [criteria-unknown]\n"
    debug = run("--debug", *unknown)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert "UnknownPresetError" in debug.stderr


def test_library_exceptions_become_norwegian_reasons(tmp_path: Path) -> None:
    import zipfile
    import zlib

    from rosxl.errors import reason

    def raised(action: Callable[[], object]) -> BaseException:
        with pytest.raises(Exception) as info:
            action()
        return info.value

    cases = {
        "zip": raised(lambda: zipfile.ZipFile(__file__)),
        "zlib": raised(lambda: zlib.decompress(b"ikke komprimert")),
        "missing": raised(lambda: (tmp_path / "borte.xlsx").read_bytes()),
        "folder": raised(lambda: tmp_path.read_bytes()),
        "json": raised(lambda: json.loads("{")),
        "bug": raised(lambda: [][1]),
    }
    reasons = {name: reason(exc) for name, exc in cases.items()}
    assert reasons["missing"] == "filen eller mappen finnes ikke" and reasons["folder"] == "er en mappe, ikke en fil"
    assert reasons["zip"].startswith("ikke et gyldig zip-arkiv") and reasons["json"] == "ugyldig JSON"
    for name, text in reasons.items():
        assert text and not english(text) and str(cases[name]) not in text, (name, text)
    assert reason(RuntimeError("Something broke")) == "uventet feil"


def test_interrupt_is_norwegian(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("rosxl.criteria.list_presets", interrupted)
    result = CliRunner().invoke(cli, ["presets"])
    assert result.exit_code == 1 and "Avbrutt." in result.output and not english(result.output)
