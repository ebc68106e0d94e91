"""Cross-table rules from ``[tool.gfv.tables]``: schemas, primary keys, foreign keys, formulas.

Each rule is one string, parsed strictly (a bad rule is a usage error naming the key):

* ``schemas = ["sessions.csv: sessions.schema.yaml"]`` — the schema of a table;
* ``primary_keys = ["athletes.csv: athlete_id", "sessions.csv: date, athlete_id, exercise"]``;
* ``foreign_keys = ["sessions.csv: athlete_id -> athletes.csv: athlete_id"]``;
* ``formulas = ["sessions.csv: volume_kg = sets * reps * load_kg"]``.

The table before the colon is a file name or glob matched against the table's file
name; referenced tables and schema paths are relative to the table's folder.
Formulas use numbers, column names, ``+ - * /``, parentheses and ``round(x, n)``.
"""

from __future__ import annotations

import ast
import fnmatch
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.errors import ExitCode, GfvError

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Formula:
    column: str
    expression: str
    inputs: tuple[str, ...]
    tree: Any = field(compare=False, repr=False)

    def evaluate(self, values: dict[str, float]) -> float:
        return _eval(self.tree.body, values)


@dataclass
class TableRules:
    """The rules that apply to one table."""

    schema: str | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)

    def columns_used(self) -> set[str]:
        cols = set(self.primary_key)
        for fk in self.foreign_keys:
            cols.update(fk.columns)
        for f in self.formulas:
            cols.update((f.column, *f.inputs))
        return cols


def _split(rule: str, key: str, where: str) -> tuple[str, str]:
    table, sep, rest = rule.partition(":")
    if not sep or not table.strip() or not rest.strip():
        raise GfvError(f"{where}: 'tables.{key}' entry {rule!r} must look like 'TABLE: ...'", ExitCode.USAGE)
    return table.strip(), rest.strip()


def _columns(text: str, key: str, rule: str, where: str) -> tuple[str, ...]:
    cols = tuple(c.strip() for c in text.split(","))
    if not all(re.fullmatch(r"[^,:>]+", c) for c in cols):
        raise GfvError(f"{where}: 'tables.{key}' entry {rule!r} has an empty column name", ExitCode.USAGE)
    return cols


def parse_formula(text: str, rule: str = "", where: str = "config") -> Formula:
    column, sep, expr = text.partition("=")
    column, expr = column.strip(), expr.strip()
    bad = GfvError(
        f"{where}: 'tables.formulas' entry {rule or text!r} must look like 'TABLE: column = expression'"
        " with + - * / ( ) round(), numbers and column names",
        ExitCode.USAGE,
    )
    if not sep or not re.fullmatch(_NAME, column) or not expr:
        raise bad
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise bad from None
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id != "round":
                names.append(node.id)
        elif isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id == "round") or node.keywords:
                raise bad
        elif not isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.UnaryOp,
                ast.Constant,
                ast.Load,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.USub,
                ast.UAdd,
            ),
        ):
            raise bad
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise bad
    return Formula(column, expr, tuple(dict.fromkeys(names)), tree)


_OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _eval(node: ast.AST, values: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]  # a float, a pandas Series or a polars expression (the table engines)
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, values)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.Call):
        args = [_eval(a, values) for a in node.args]
        digits = int(args[1]) if len(args) > 1 else 0
        return args[0].round(digits) if hasattr(args[0], "round") else float(round(args[0], digits))
    raise ValueError(f"unsupported formula node {type(node).__name__}")


def decimals(text: str) -> int:
    """Decimal places written in a number's text ("2400.50" -> 2)."""
    text = text.strip().lower()
    if "e" in text:
        return 6
    return len(text.split(".", 1)[1]) if "." in text else 0


def formula_matches(expected: float, written: str) -> bool:
    """``written`` equals ``expected`` up to the precision it is written with."""
    try:
        value = float(written)
    except ValueError:
        return False
    if math.isnan(value) or math.isnan(expected):
        return False
    tol = 0.5 * 10 ** -decimals(written) + 1e-9 * max(1.0, abs(expected))
    return abs(value - expected) <= tol


def parse_table_rules(cfg: Any, where: str) -> None:
    """Check every rule of a ``TablesConfig`` at config load (raises GfvError on the first bad one)."""
    for key in ("schemas", "primary_keys", "foreign_keys", "formulas"):
        for rule in getattr(cfg, key):
            _parse_one(key, rule, where)


def _parse_one(key: str, rule: str, where: str) -> tuple[str, Any]:
    table, rest = _split(rule, key, where)
    if key == "schemas":
        return table, rest
    if key == "primary_keys":
        return table, _columns(rest, key, rule, where)
    if key == "formulas":
        return table, parse_formula(rest, rule, where)
    m = re.fullmatch(r"(.+?)\s*->\s*([^:]+?)\s*:\s*(.+)", rest)
    if not m:
        raise GfvError(
            f"{where}: 'tables.foreign_keys' entry {rule!r} must look like"
            " 'TABLE: col[, col] -> OTHER_TABLE: col[, col]'",
            ExitCode.USAGE,
        )
    cols, ref_cols = _columns(m.group(1), key, rule, where), _columns(m.group(3), key, rule, where)
    if len(cols) != len(ref_cols):
        raise GfvError(f"{where}: 'tables.foreign_keys' entry {rule!r}: column counts differ", ExitCode.USAGE)
    return table, ForeignKey(cols, m.group(2).strip(), ref_cols)


def rules_for(cfg: Any, path: Path, where: str = "config") -> TableRules:
    """The rules of ``cfg`` (a TablesConfig) whose table pattern matches ``path``'s file name."""
    rules = TableRules()
    for key in ("schemas", "primary_keys", "foreign_keys", "formulas"):
        for rule in getattr(cfg, key):
            table, value = _parse_one(key, rule, where)
            if not fnmatch.fnmatchcase(path.name, table):
                continue
            if key == "schemas":
                rules.schema = value
            elif key == "primary_keys":
                rules.primary_key = value
            elif key == "foreign_keys":
                rules.foreign_keys.append(value)
            else:
                rules.formulas.append(value)
    return rules
