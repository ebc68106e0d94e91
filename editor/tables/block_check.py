"""Validation of a block of new rows as a whole (``gfv suggest TABLE --rows next:N``).

A block is valid when

* every row passes every table validator (``[tool.gfv.tables] validators``) as the row
  it would be once the whole block is appended: each row is judged in the table extended
  by the block, against every other row (the table's and the block's), so ``KEY001`` and
  ``TAB003`` catch a key repeated inside the block as well as one already in the table;
* ``block_keys`` holds: the primary key and every column (group) the schema declares
  unique take a different value on each row of the block and a value the table does not
  hold yet (``ROWS000`` passes, ``ROWS001`` repeated within the block, ``ROWS002``
  already in the table, ``ROWS003`` the text is not rows of this table).

A validator that gives no verdict on a row did not judge it: the block gets a
not-checked ``ROWS009`` verdict (never a pass) and is not shown.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any, Sequence

from editor.candidates import Candidate, Verdict
from editor.tables.csvdoc import TableDocument
from editor.tables.rules import TableRules
from editor.tables.slot import TableSlot

NAME = "block_keys"


def parse_block(document: TableDocument, text: str) -> list[list[str]]:
    """The rows a block's text stands for (CSV records in the file's dialect, one or more).

    ValueError when the text is not whole records of the table's width.
    """
    d = document.dialect
    try:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=d.delimiter, quotechar=d.quotechar, strict=True
        )
        rows = list(reader)
    except csv.Error as exc:
        raise ValueError(f"not valid CSV records: {exc}") from None
    if not rows:
        raise ValueError("the block holds no row")
    for i, row in enumerate(rows, 1):
        if len(row) != len(document.header):
            raise ValueError(f"block row {i} has {len(row)} fields; the header has {len(document.header)}")
    return rows


def extended(document: TableDocument, rows: list[list[str]]) -> TableDocument:
    """``document`` with ``rows`` appended (a shallow copy: neither is changed afterwards)."""
    if not rows:
        return document
    return replace(document, rows=[*document.rows, *rows], raw_rows=[*document.raw_rows, *[None] * len(rows)])


def block_text(document: TableDocument, rows: list[list[str]]) -> str:
    """The block as its candidate's text: the records in the file's dialect, joined by newlines."""
    return "\n".join(document.record_text(r) for r in rows)


def key_groups(schema: Any, rules: TableRules) -> list[tuple[str, ...]]:
    """The primary key and the schema's unique columns (groups), each once."""
    groups: list[tuple[str, ...]] = []
    if rules.primary_key:
        groups.append(tuple(rules.primary_key))
    if schema is not None:
        from editor.tables.frame import unique_columns  # pylint: disable=import-outside-toplevel

        groups.extend(g for g in unique_columns(schema) if tuple(g) not in groups)
    return [tuple(g) for g in groups]


def block_keys(  # pylint: disable=too-many-locals
    document: TableDocument, rows: list[list[str]], schema: Any, rules: TableRules
) -> Verdict:
    """``block_keys``: keys unique within the block and new to the table (see module docstring)."""
    groups = key_groups(schema, rules)
    if not groups:
        return Verdict(NAME, True, "ROWS000", "no key rules")
    header, base = document.header, len(document.rows)
    problems: list[tuple[str, str, dict[str, Any]]] = []
    for group in groups:
        missing = [c for c in group if c not in header]
        if missing:
            return Verdict.not_checked(NAME, "ROWS009", f"not checked: no column {', '.join(missing)}")
        idx = [header.index(c) for c in group]
        table = {tuple(r[i] for i in idx) for r in document.rows}
        seen: dict[tuple[str, ...], int] = {}
        for n, row in enumerate(rows, 1):
            key = tuple(row[i] for i in idx)
            if any(v == "" for v in key):
                continue  # an empty key cell is the row validators' business (KEY002, nullable)
            cells = [{"row": base + n, "column": c, "value": v} for c, v in zip(group, key)]
            where = f"({', '.join(group)}) = ({', '.join(key)})"
            if key in seen:
                problems.append(
                    ("ROWS001", f"block rows {seen[key]} and {n} share {where}", {"cells": cells})
                )
            elif key in table:
                problems.append(("ROWS002", f"block row {n}: {where} already exists", {"cells": cells}))
            seen.setdefault(key, n)
    if problems:
        code, message, details = problems[0]
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more)"
            details = {"cells": [c for p in problems for c in p[2]["cells"]]}
        return Verdict(NAME, False, code, message, details=details)
    what = "; ".join(", ".join(g) for g in groups)
    return Verdict(NAME, True, "ROWS000", f"keys ({what}) unique within the block and new to the table")


def validate_block(  # pylint: disable=too-many-locals
    document: TableDocument,
    text: str,
    schema: Any,
    rules: TableRules,
    row_validators: Sequence[Any],
) -> list[Verdict]:
    """Every verdict on the block ``text`` appended to ``document``; see the module docstring."""
    try:
        rows = parse_block(document, text)
    except ValueError as exc:
        return [Verdict(NAME, False, "ROWS003", str(exc), details={"text": text})]
    full = extended(document, rows)
    base = len(document.rows)
    out: list[Verdict] = []
    for validator in row_validators:
        per_row = []
        for i, row in enumerate(rows):
            slot = TableSlot(full, base + i, None, schema, rules)
            got = validator.validate(slot, [Candidate(full.record_text(row), "row_block", kind="row")])[0]
            per_row.append(got or [_unjudged(validator.name, i + 1)])
        out.extend(_merge(validator.name, per_row))
    out.append(block_keys(document, rows, schema, rules))
    return out


def _unjudged(name: str, n: int) -> Verdict:
    return Verdict.not_checked(name, "ROWS009", f"not checked: {name} gave no verdict on block row {n}")


def _merge(name: str, per_row: list[list[Verdict]]) -> list[Verdict]:
    """One validator's verdicts on the block's rows: every failure (naming its row), else one pass a code."""
    failures = [
        Verdict(
            v.validator,
            False,
            v.code,
            f"block row {n}: {v.message}",
            details={**v.details, "block_row": n},
        )
        for n, verdicts in enumerate(per_row, 1)
        for v in verdicts
        if not v.ok
    ]
    if failures:
        return failures
    by_code: dict[str, tuple[str, list[int]]] = {}
    for n, verdicts in enumerate(per_row, 1):
        for v in verdicts:
            by_code.setdefault(v.code, (v.message, []))[1].append(n)

    def where(rows: list[int]) -> str:
        return "every block row" if len(rows) == len(per_row) else "block rows " + ", ".join(map(str, rows))

    return [
        Verdict(name, True, code, f"{message} ({where(rows)})", details={"block_rows": rows})
        for code, (message, rows) in by_code.items()
    ]
