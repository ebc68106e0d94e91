"""Rows of strings to pandas frames, and pandera validation that says which row failed.

The table validators judge all candidates of a slot in one pandera call: each
candidate is one row of a small frame, the schema runs lazily (every failure case is
collected) with ``coerce=True`` (cells are text), and each failure case is attributed
to its row.  Uniqueness cannot be judged among candidates (two candidates may share
the next id), so the schema's ``unique`` flags are lifted here and checked against the
existing rows instead (:func:`unique_failures`).
"""

from __future__ import annotations

import math
from typing import Any


def to_frame(header: list[str], rows: list[list[str]], index: list[int] | None = None) -> Any:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    data = {name: [(r[i] if r[i] != "" else None) for r in rows] for i, name in enumerate(header)}
    return pd.DataFrame(data, index=index if index is not None else range(len(rows)), dtype=object)


def unique_columns(schema: Any) -> list[tuple[str, ...]]:
    """Column groups the schema declares unique (per column, and the frame-wide ``unique``)."""
    groups = [(name,) for name, col in schema.columns.items() if col.unique]
    if schema.unique:
        groups.append(tuple([schema.unique] if isinstance(schema.unique, str) else schema.unique))
    return groups


def relaxed(schema: Any) -> Any:
    """The schema with coercion on and uniqueness lifted (it is checked against the table instead)."""
    out = schema.update_columns(
        {name: {"unique": False} for name, col in schema.columns.items() if col.unique}
    )
    out.unique = None
    out.coerce = True
    return out


def jsonable(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def _failures(schema: Any, frame: Any) -> list[dict[str, Any]] | None:
    """Failure cases of one lazy validation; None in a row's index means 'not attributable'."""
    import pandera.errors as pe  # pylint: disable=import-outside-toplevel

    try:
        schema.validate(frame, lazy=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
        out = []
        for rec in cases.to_dict("records"):
            idx = rec.get("index")
            out.append(
                {
                    "row": None if idx is None or (isinstance(idx, float) and math.isnan(idx)) else int(idx),
                    "column": jsonable(rec.get("column")),
                    "check": jsonable(rec.get("check")),
                    "value": jsonable(rec.get("failure_case")),
                }
            )
        return out
    except pe.SchemaError as exc:  # non-lazy errors (e.g. a column missing) still say what
        return [{"row": None, "column": None, "check": "schema", "value": str(exc).splitlines()[0]}]
    return []


def validate_rows(schema: Any, header: list[str], rows: list[list[str]]) -> list[list[dict[str, Any]]]:
    """For each row, the pandera failure cases that concern it (empty: the row passes)."""
    schema = relaxed(schema)
    result: list[list[dict[str, Any]]] = [[] for _ in rows]
    if not rows:
        return result
    frame = to_frame(header, rows)
    cases = _failures(schema, frame) or []
    for case in cases:
        if case["row"] is not None and 0 <= case["row"] < len(rows):
            result[case["row"]].append(case)
    if any(c["row"] is None for c in cases):
        # a check failed as a whole (e.g. it raised on a column that did not coerce): judge
        # the rows that are not already rejected one at a time, so each gets its own verdict
        for i, row in enumerate(rows):
            if not result[i]:
                for case in _failures(schema, to_frame(header, [row], [i])) or []:
                    case["row"] = i
                    result[i].append(case)
    return result


def unique_failures(
    groups: list[tuple[str, ...]], header: list[str], existing: list[list[str]], row: list[str]
) -> list[dict[str, Any]]:
    """Failure cases for ``row`` duplicating an existing row on a unique column group."""
    out = []
    for group in groups:
        idx = [header.index(c) for c in group if c in header]
        key = tuple(row[i] for i in idx)
        if any(v == "" for v in key):
            continue
        if any(tuple(r[i] for i in idx) == key for r in existing):
            out.append({"column": ", ".join(group), "check": "field_uniqueness", "value": ", ".join(key)})
    return out
