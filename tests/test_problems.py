"""The problem registry: every code rosxl emits is registered, every registered code is emitted,
and the README's table is the registry's.

A code is *emitted* where a string literal that looks like a code (``lower-case-words``) is
passed in a code position in ``rosxl/``: a ``code=`` keyword, an assignment to ``code`` (class
attributes of the exceptions, locals), or the positional argument bound to a parameter named
``code`` of a function or class defined in ``rosxl/`` (``FileReport.add``, ``Problem.of``,
``Finding``, the guard's ``_refuse`` …). So a new emitter is found as long as its parameter is
called ``code``; conditional expressions (``"a" if x else "b"``) count both branches.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import rosxl
from rosxl import problems
from rosxl.conversion.report import FileReport, Problem
from rosxl.errors import InputRefusedError, RosxlError
from rosxl.workbook.check import Finding

PACKAGE = Path(rosxl.__file__).parent
README = PACKAGE.parent / "README.md"
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text("utf-8"), str(p))) for p in sorted(PACKAGE.rglob("*.py"))]


def _positional(params: list[ast.arg]) -> list[str]:
    names = [a.arg for a in params]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _emitters(trees: list[tuple[Path, ast.Module]]) -> dict[str, int]:
    """Callables defined in rosxl that take a code: name → positional index of the ``code`` parameter."""
    found: dict[str, int] = {}
    for path, tree in trees:
        if path.name == "problems.py":  # the registry looks codes up; it emits none
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name != "__init__":
                params = _positional(node.args.posonlyargs + node.args.args)
                if "code" in params:
                    found[node.name] = params.index("code")
            elif isinstance(node, ast.ClassDef):
                init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
                fields = (_positional(init.args.posonlyargs + init.args.args) if init else
                          [s.target.id for s in node.body
                           if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)])
                if "code" in fields:
                    found[node.name] = fields.index("code")
    return found


def _literals(node: ast.expr) -> Iterator[str]:
    """The code-like string constants an expression evaluates to (through ``if``/``else`` and ``or``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literals(value)


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def emitted() -> dict[str, list[str]]:
    """Every code emitted in rosxl/, with the places (``file:line``) that emit it."""
    trees = _trees()
    takes_code = _emitters(trees)
    found: dict[str, list[str]] = {}
    for path, tree in trees:
        where = path.relative_to(PACKAGE.parent).as_posix()
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "code"]
                index = takes_code.get(_name(node.func) or "")
                if index is not None and index < len(node.args):
                    values.append(node.args[index])
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_name(t) == "code" for t in targets):
                    values.append(node.value)
            for value in values:
                for code in _literals(value):
                    found.setdefault(code, []).append(f"{where}:{getattr(value, 'lineno', '?')}")
    return found


def test_every_emitted_code_is_registered() -> None:
    unregistered = {code: places for code, places in emitted().items() if code not in problems.registry()}
    assert not unregistered, f"register these in rosxl/data/problems/*.toml: {unregistered}"


def test_every_registered_code_is_emitted() -> None:
    dead = sorted(set(problems.registry()) - set(emitted()))
    assert not dead, f"registered but never emitted (delete them, or emit them): {dead}"


def test_readme_table_is_generated_from_the_registry() -> None:
    text = README.read_text("utf-8")
    assert problems.with_table(text) == text, "run: python -m rosxl.problems --markdown"
    for code in problems.registry():
        assert f"| `{code}` |" in text


def test_entries_are_complete_in_both_languages() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for code, entry in problems.registry().items():
        assert CODE.fullmatch(code), code
        assert entry.title_nb.strip() and entry.title_nn.strip(), code
        assert fields(entry.message_nb) == fields(entry.message_nn), code
        assert entry.exit_status == 0 or entry.severity != "info", code
        assert entry.exit_status in (0, 1, 2), code


def test_registry_is_read_from_every_toml_file() -> None:
    domains = {p.stem for p in (PACKAGE / "data" / "problems").glob("*.toml")}
    assert {entry.domain for entry in problems.registry().values()} == domains


def test_exceptions_carry_their_entry() -> None:
    def subclasses(cls: type[RosxlError]) -> Iterator[type[RosxlError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in subclasses(RosxlError):
        assert problems.get(cls.code).code == cls.code, cls
    refused = InputRefusedError("filen er tom", code="empty-file", file="a.xlsx")
    assert refused.code == "empty-file" and refused.problem.title() == "Tom fil" and refused.problem.exit_status == 1
    with pytest.raises(KeyError, match="ikke registrert"):
        InputRefusedError("x", code="no-such-code")


def test_report_and_findings_take_title_and_severity_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    report = FileReport(file="a.xlsx")
    report.add("column-unmapped", sheet="Ark1", column="C", label="Ansvarlig")
    assert not report.failed
    report.add("no-scenarios")
    assert not report.failed and report.problems[-1].message == "fant ingen scenarioer i filen"
    report.add("csv-invalid", message="linje 3 har for mange felt")
    assert report.failed and report.problems[-1].message == "linje 3 har for mange felt"
    data = report.to_dict()["problems"]
    assert [p["title"] for p in data] == ["Kolonne uten felt", "Ingen scenarioer", "CSV-filen kan ikke leses"]
    assert FileReport.from_dict(report.to_dict()).problems == report.problems
    monkeypatch.setenv(problems.LANGUAGE_ENV, "nn")
    assert Problem.of("no-scenarios").message == "fann ingen scenario i fila"
    assert Problem.of("no-scenarios").title == "Ingen scenario"
    finding = Finding("deadline-passed", "fristen er passert")
    assert finding.problem.severity == "warning" and finding.title == "Fristen er passert"
    with pytest.raises(KeyError):
        Finding("no-such-code", "x")
    with pytest.raises(KeyError):
        report.add("no-such-code")
