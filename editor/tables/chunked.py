"""Validate a whole table file in chunks, with bounded memory (``gfv check``, large files).

pandas reads ``chunksize`` rows at a time as text; each chunk goes through the relaxed
schema (lazy, coercing), the unique columns and primary key are checked against a set
of the keys seen so far, foreign keys against the referenced table's keys, formulas
vectorised.  Memory is one chunk plus the key sets, whatever the file's length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from editor.tables.rules import TableRules


@dataclass
class Problem:
    row: int  # 1-based data row
    column: str | None
    code: str
    message: str


@dataclass
class ChunkStats:
    rows: int = 0
    chunks: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: int = 0  # problems beyond the cap, counted only


def _reader(path: Path, delimiter: str, chunksize: int) -> Iterator[Any]:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    return pd.read_csv(
        path, sep=delimiter, dtype=str, keep_default_na=False, chunksize=chunksize, encoding="utf-8"
    )


def validate_file(  # pylint: disable=too-many-arguments,too-many-locals
    path: Path,
    schema: Any,
    rules: TableRules,
    delimiter: str = ",",
    chunksize: int = 50_000,
    refs: dict[Any, set] | None = None,
    cap: int = 200,
) -> ChunkStats:
    from editor.tables.frame import (
        _failures,
        relaxed,
        unique_columns,
    )  # pylint: disable=import-outside-toplevel

    stats = ChunkStats()
    loose = relaxed(schema) if schema is not None else None
    groups = unique_columns(schema) if schema is not None else []
    if rules.primary_key and tuple(rules.primary_key) not in groups:
        groups.append(tuple(rules.primary_key))
    seen: dict[tuple, set] = {g: set() for g in groups}

    def add(row: int, column: str | None, code: str, message: str) -> None:
        if len(stats.problems) < cap:
            stats.problems.append(Problem(row, column, code, message))
        else:
            stats.truncated += 1

    for chunk in _reader(path, delimiter, chunksize):
        stats.chunks += 1
        offset = stats.rows
        chunk.index = range(offset, offset + len(chunk))
        stats.rows += len(chunk)
        if loose is not None:
            typed = chunk.mask(chunk == "")
            for case in _failures(loose, typed) or []:
                row = case["row"] + 1 if case["row"] is not None else 0
                add(
                    row,
                    case["column"],
                    "TAB001",
                    f"{case['column']}: {case['check']} fails for {case['value']!r}",
                )
        for group in groups:
            code = "KEY001" if group == tuple(rules.primary_key) else "TAB003"
            keys = list(zip(*(chunk[c] for c in group)))
            for i, key in enumerate(keys):
                if key in seen[group]:
                    add(
                        offset + i + 1,
                        ", ".join(group),
                        code,
                        f"duplicate {', '.join(group)} = {', '.join(key)}",
                    )
                seen[group].add(key)
        for fk in rules.foreign_keys:
            allowed = (refs or {}).get(fk)
            if allowed is None:
                continue
            for i, key in enumerate(zip(*(chunk[c] for c in fk.columns))):
                if any(key) and key not in allowed:
                    add(
                        offset + i + 1,
                        ", ".join(fk.columns),
                        "KEY003",
                        f"{', '.join(fk.columns)} = {', '.join(key)} not found in {fk.ref_table}",
                    )
        for f in rules.formulas:
            _formula_chunk(chunk, f, offset, add)
    return stats


def _formula_chunk(chunk: Any, formula: Any, offset: int, add: Any) -> None:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    from editor.tables.rules import formula_matches  # pylint: disable=import-outside-toplevel

    nums = {c: pd.to_numeric(chunk[c], errors="coerce") for c in formula.inputs}
    expected = formula.evaluate(nums)  # vectorised: the evaluator only uses + - * /
    written = chunk[formula.column]
    actual = pd.to_numeric(written, errors="coerce")
    suspect = ~((actual - expected).abs() <= 1e-6 * expected.abs().clip(lower=1.0))
    for i in [j for j, s in enumerate(suspect.to_numpy()) if s]:
        exp = float(expected.iloc[i])
        if math.isnan(exp):
            continue
        if not formula_matches(exp, written.iloc[i]):
            add(
                offset + i + 1,
                formula.column,
                "FRM001",
                f"{formula.column} = {written.iloc[i]} but {formula.expression} = {exp:g}",
            )
