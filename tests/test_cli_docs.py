"""Every command has help and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rosxl.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(cli), ids=" ".join)
def test_command_has_help_and_docs(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3
    assert f"rosxl {' '.join(path)}" in README, f"README does not mention «rosxl {' '.join(path)}»"
