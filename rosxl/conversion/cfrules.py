"""Evaluate the simple expression rules of conditional formats on the values a file holds.

Legacy sheets colour a risk column with rules such as ``=$H7>12`` or ``=AND($H7>1,$H7<3)``.
This reads exactly that much of Excel's formula language, and nothing else (no ``eval``):
comparisons (``= <> < > <= >=``) of cell references (absolute or relative, ``$H7``, ``H$7``,
``H7``), numbers and strings, combined with ``AND``, ``OR`` and ``NOT``; a lone reference or
number is true when it is a non-zero number. Relative references move with the cell, as in
Excel: a reference written for the range's top-left cell points ``(row − top, column − left)``
further for another cell of the range. Anything else makes the rule unreadable (``None``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import column_index_from_string

_TOKEN = re.compile(r"\s*(?:(?P<ref>\$?[A-Za-z]{1,3}\$?\d+)|(?P<num>\d+(?:[.,]\d+)?)|\"(?P<str>[^\"]*)\"|"
                    r"(?P<op><=|>=|<>|=|<|>)|(?P<fn>AND|OR|NOT)\s*\(|(?P<punct>[(),]))", re.IGNORECASE)
_REF = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "<>": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}

Lookup = Callable[[int, int], Any]  # (row, column), 0-based → the cell's value


@dataclass(frozen=True)
class _Ref:
    row: int
    col: int
    row_fixed: bool
    col_fixed: bool


Node = tuple[Any, ...]


def parse(formula: str) -> Node | None:
    """The rule as a small tree, or ``None`` when it uses more than comparisons and AND/OR/NOT."""
    text = formula.strip().removeprefix("=")
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    try:
        node, rest = _expr(tokens)
    except (IndexError, ValueError):
        return None
    return node if not rest else None


def _expr(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    kind, value = tokens[0]
    if kind == "fn":
        args: list[Node] = []
        rest = tokens[1:]
        while True:
            node, rest = _expr(rest)
            args.append(node)
            if rest[0] == ("punct", ","):
                rest = rest[1:]
                continue
            if rest[0] != ("punct", ")"):
                raise ValueError("expected )")
            return (value.upper(), *args), rest[1:]
    left, rest = _operand(tokens)
    if rest and rest[0][0] == "op":
        op = rest[0][1]
        right, rest = _operand(rest[1:])
        return (op, left, right), rest
    return ("truth", left), rest


def _operand(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    kind, value = tokens[0]
    if kind == "ref":
        m = _REF.fullmatch(value)
        assert m is not None
        ref = _Ref(int(m[4]) - 1, column_index_from_string(m[2].upper()) - 1, bool(m[3]), bool(m[1]))
        return ("ref", ref), tokens[1:]
    if kind == "num":
        return ("value", float(value.replace(",", "."))), tokens[1:]
    if kind == "str":
        return ("value", value), tokens[1:]
    raise ValueError(f"unexpected {value}")


def holds(node: Node, lookup: Lookup, offset: tuple[int, int]) -> bool:
    """Whether the rule holds for the cell ``offset`` (rows, columns) from the range's top-left."""
    head = node[0]
    if head == "AND":
        return all(holds(n, lookup, offset) for n in node[1:])
    if head == "OR":
        return any(holds(n, lookup, offset) for n in node[1:])
    if head == "NOT":
        return not holds(node[1], lookup, offset)
    if head == "truth":
        v = _value(node[1], lookup, offset)
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v != 0
    op, left, right = node
    a, b = _value(left, lookup, offset), _value(right, lookup, offset)
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.casefold(), b.casefold()
    elif not (_is_num(a) and _is_num(b)):
        return op == "<>" if a != b else op in ("=", "<=", ">=")
    return _COMPARE[op](a, b)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _value(node: Node, lookup: Lookup, offset: tuple[int, int]) -> Any:
    if node[0] == "value":
        return node[1]
    ref: _Ref = node[1]
    row = ref.row + (0 if ref.row_fixed else offset[0])
    col = ref.col + (0 if ref.col_fixed else offset[1])
    v = lookup(row, col)
    return 0 if v is None else v
