"""Validate a whole table file in chunks, with bounded memory: the ``pandas`` engine.

pandas reads ``chunksize`` rows at a time as text; each chunk goes through the relaxed
schema (lazy, coercing), the unique columns and primary key against the 64-bit hashes
of the keys seen so far (:mod:`editor.tables.keyset`: a repeated hash is settled by a
second pass over the key columns), foreign keys against the referenced table's keys,
formulas vectorised.  Memory is one chunk plus 8 bytes a row per key, whatever the
file's length.

:func:`chunk_problems` (schema, foreign keys, formulas of one frame of text cells) is
also what the dask engine runs on each partition, so both word problems identically.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterator

from editor.tables.keyset import HashedKeys
from editor.tables.problems import (  # noqa: F401  # pylint: disable=unused-import  # Problem: re-exported
    ChunkStats,
    Problem,
    ProblemSink,
    cell_cases,
    duplicate_message,
    foreign_key_message,
    formula_message,
    key_groups,
)
from editor.tables.rules import TableRules

_DTYPE_LABELS = ("coerce_dtype(", "dtype(", "not_nullable")


def _reader(
    path: Path, delimiter: str, chunksize: int, usecols: list[str] | None = None, skip: int = 0
) -> Iterator[Any]:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    return pd.read_csv(
        path,
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        chunksize=chunksize,
        encoding="utf-8-sig",
        usecols=usecols,
        skiprows=skip,
    )


def schema_cases(loose: Any, chunk: Any) -> list[tuple[int | None, str | None, str]]:
    """(row0, column, check) failure cases of a frame of text cells ("" is empty).

    pandera judges a column that did not wholly convert with its checks on the text
    (or gives up on it: a case with no row); such a column's checks run again on the
    cells that converted, so each cell gets its own verdict.
    """
    import pandera.pandas as pa  # pylint: disable=import-outside-toplevel

    from editor.tables.frame import _failures  # pylint: disable=import-outside-toplevel

    typed = chunk.mask(chunk == "")
    cases = _failures(loose, typed) or []
    unconverted: dict[str, set[int]] = {}
    redo = set()
    for case in cases:
        column = case["column"]
        if column not in loose.columns:
            continue
        if str(case["check"]).startswith(("coerce_dtype(", "dtype(")) and case["row"] is not None:
            unconverted.setdefault(column, set()).add(case["row"])
            redo.add(column)
        elif case["row"] is None:
            redo.add(column)
    out = [
        (c["row"], c["column"], str(c["check"]))
        for c in cases
        if c["column"] not in redo or str(c["check"]).startswith(_DTYPE_LABELS)
    ]
    for column in sorted(redo):
        keep = typed.index.difference(sorted(unconverted.get(column, ())))
        one = pa.DataFrameSchema({column: loose.columns[column]}, coerce=True)
        for case in _failures(one, typed.loc[keep, [column]]) or []:
            if not str(case["check"]).startswith(_DTYPE_LABELS):
                out.append((case["row"], case["column"], str(case["check"])))
    return out


def chunk_problems(
    chunk: Any, loose: Any, rules: TableRules, refs: dict[Any, set] | None
) -> list[tuple[int, str | None, str, str]]:
    """Schema, foreign-key and formula problems of one frame of text cells indexed 0..n-1;
    rows are 1-based within the frame (0: not attributable to a row)."""
    out: list[tuple[int, str | None, str, str]] = []
    if loose is not None:
        out.extend(cell_cases(schema_cases(loose, chunk), lambda r, c: chunk.at[r, c]))
    for fk in rules.foreign_keys:
        allowed = (refs or {}).get(fk)
        if allowed is None:
            continue
        out.extend(foreign_key_problems(chunk, fk, allowed))
    for f in rules.formulas:
        out.extend(formula_problems(chunk, f))
    return out


def foreign_key_problems(chunk: Any, fk: Any, allowed: Any) -> list[tuple[int, str | None, str, str]]:
    """KEY003 rows (1-based within ``chunk``): a key with a non-empty part that ``allowed`` lacks."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    keys = pd.MultiIndex.from_arrays([chunk[c].astype(object) for c in fk.columns])
    blank = (chunk[list(fk.columns)] == "").all(axis=1).to_numpy()
    bad = ~(keys.isin(list(allowed)) | blank)
    out = []
    for i in bad.nonzero()[0]:
        key = keys[i]
        out.append((int(i) + 1, ", ".join(fk.columns), "KEY003", foreign_key_message(fk, key)))
    return out


def validate_file(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    path: Path,
    schema: Any,
    rules: TableRules,
    delimiter: str = ",",
    chunksize: int = 50_000,
    refs: dict[Any, set] | None = None,
    cap: int = 200,
    *,
    skip: int = 0,
) -> ChunkStats:
    from editor.tables.frame import relaxed  # pylint: disable=import-outside-toplevel

    stats = ChunkStats()
    sink = ProblemSink(cap)
    loose = relaxed(schema) if schema is not None else None
    groups = key_groups(schema, rules)
    seen = {group: HashedKeys(group) for group, _ in groups}
    for chunk in _reader(path, delimiter, chunksize, skip=skip):
        stats.chunks += 1
        offset = stats.rows
        stats.rows += len(chunk)
        chunk.index = range(len(chunk))
        for row, column, code, message in chunk_problems(chunk, loose, rules, refs):
            sink.add(offset + row if row else 0, column, code, message)
        for keys in seen.values():
            keys.add(chunk)
    for group, code in groups:
        if seen[group].suspects:  # a second pass over the key columns settles them exactly
            again = _reader(path, delimiter, chunksize, usecols=list(group), skip=skip)
            for row, key in seen[group].confirm(again):
                sink.add(row, ", ".join(group), code, duplicate_message(group, key))
    stats.problems, stats.truncated = sink.problems(), sink.truncated
    return stats


def formula_problems(chunk: Any, formula: Any) -> list[tuple[int, str | None, str, str]]:
    """FRM001 rows (1-based within ``chunk``) whose written value differs from the formula's."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    from editor.tables.rules import formula_matches  # pylint: disable=import-outside-toplevel

    def numbers(column: str) -> Any:  # float64 with NaN whatever the string dtype (dask: pd.NA)
        return pd.to_numeric(chunk[column], errors="coerce").astype("float64")

    nums = {c: numbers(c) for c in formula.inputs}
    expected = formula.evaluate(nums)  # vectorised: the evaluator only uses + - * /
    written = chunk[formula.column]
    actual = numbers(formula.column)
    suspect = ~((actual - expected).abs() <= 1e-6 * expected.abs().clip(lower=1.0))
    out = []
    for i in [j for j, s in enumerate(suspect.to_numpy()) if s]:
        exp = float(expected.iloc[i])
        if math.isnan(exp):
            continue
        if not formula_matches(exp, written.iloc[i]):
            out.append((i + 1, formula.column, "FRM001", formula_message(formula, written.iloc[i], exp)))
    return out
