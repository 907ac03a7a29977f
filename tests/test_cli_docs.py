"""Every command and subcommand has a docstring, shows it in its help, and a README section shows how to run it."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rosxl.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in group.commands.items():
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
    return found


def sections(readme: str) -> dict[str, list[str]]:
    """The README's ``##`` sections: heading → the code in it (fenced lines and inline code spans)."""
    found: dict[str, list[str]] = {}
    heading, fenced = "", False
    for line in readme.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            found.setdefault(heading, []).append(line)
        elif line.startswith("## "):
            heading = line[3:].strip()
        else:
            found.setdefault(heading, []).extend(re.findall(r"`([^`]+)`", line))
    return found


def documented_in(path: tuple[str, ...]) -> list[str]:
    """The sections whose code runs ``rosxl <path>`` (the introduction above the first section does not count)."""
    call = re.compile(rf"(?:^|\s|\$ )rosxl {re.escape(' '.join(path))}(?:\s|$)")
    return [h for h, code in sections(README).items() if h and any(call.search(c) for c in code)]


COMMANDS = commands(cli)


def test_every_command_is_checked() -> None:
    assert {" ".join(path) for path, _ in COMMANDS} >= {"convert", "check", "export", "template", "excel", "excel vba"}


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_a_docstring_shown_in_its_help(path: tuple[str, ...], command: click.Command) -> None:
    doc = (command.callback.__doc__ if command.callback else None) or ""
    assert doc.strip(), f"rosxl {' '.join(path)} has no docstring"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first = " ".join(doc.split()).split(". ")[0][:40]
    assert first in " ".join(result.output.split()), (path, first)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_a_readme_section(path: tuple[str, ...]) -> None:
    assert documented_in(path), f"no README section shows how to run «rosxl {' '.join(path)}»"
