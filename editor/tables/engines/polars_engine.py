"""The ``polars`` engine: a table checked with polars and pandera.polars.

The file is scanned with ``polars.scan_csv`` with every column as text (empty cells are
"" as in the other engines), converted per the schema (:mod:`.polars_schema`), and the
typed frame goes through pandera.polars lazily; its failure cases carry row positions.
Unique columns and the primary key (later repeats of a key, by its text), foreign keys
(an anti-join on the referenced keys) and formulas are polars expressions.  The text and
typed frames are held in memory (columnar: about the CSV's size for each).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from editor.tables.problems import (
    ChunkStats,
    ProblemSink,
    cell_cases,
    duplicate_message,
    foreign_key_message,
    formula_message,
    key_groups,
)
from editor.tables.rules import TableRules, formula_matches


def read_text(path: Path, delimiter: str, skip: int = 0) -> Any:
    """The table as a polars frame of text cells ("" for an empty cell); ``skip``: comment lines
    before the header."""
    import polars as pl  # pylint: disable=import-outside-toplevel

    lazy = pl.scan_csv(
        path, separator=delimiter, infer_schema=False, quote_char='"', encoding="utf8", skip_rows=skip
    )
    return lazy.with_columns(pl.all().fill_null("")).collect()


def schema_cases(text: Any, schema: Any) -> tuple[list[tuple[int | None, str | None, str]], list[str]]:
    """(row0, column, check) failure cases of the text frame, and notes on what was not checked."""
    import pandera.errors as pe  # pylint: disable=import-outside-toplevel
    import polars as pl  # pylint: disable=import-outside-toplevel

    from editor.tables.engines.polars_schema import port_schema  # pylint: disable=import-outside-toplevel

    ported = port_schema(schema)
    nulled = text.select([pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in ported.casts])
    typed = nulled.select(list(ported.casts.values()))
    cases: list[tuple[int | None, str | None, str]] = []
    unconverted: set[tuple[int, str]] = set()
    for name in ported.casts:
        failed = (nulled[name].is_not_null() & typed[name].is_null()).arg_true().to_list()
        unconverted.update((r, name) for r in failed)
        cases.extend((r, name, ported.coerce_labels[name]) for r in failed)
    try:
        ported.schema.validate(typed, lazy=True)
    except pe.SchemaErrors as exc:
        for rec in exc.failure_cases.iter_rows(named=True):
            row, column, number = rec.get("index"), rec.get("column"), rec.get("check_number")
            if row is not None and (row, column) in unconverted:
                continue  # a cell that did not convert is reported as that only
            label = str(rec.get("check"))
            if number is not None and (column, number) in ported.labels:
                label = ported.labels[(column, number)]
            cases.append((row, column, label))
    return cases, ported.notes


def key_problems(text: Any, group: tuple[str, ...], code: str) -> list[tuple[int, str, str, str]]:
    import polars as pl  # pylint: disable=import-outside-toplevel

    dups = (
        text.lazy()
        .with_row_index("__row")
        .filter(~pl.struct(list(group)).is_first_distinct())
        .select("__row", *group)
        .collect()
    )
    return [(r[0] + 1, ", ".join(group), code, duplicate_message(group, r[1:])) for r in dups.iter_rows()]


def foreign_key_problems(text: Any, fk: Any, allowed: set) -> list[tuple[int, str, str, str]]:
    import polars as pl  # pylint: disable=import-outside-toplevel

    cols = list(fk.columns)
    refs = pl.DataFrame([list(k) for k in allowed] or None, schema=cols, orient="row")
    missing = (
        text.lazy()
        .with_row_index("__row")
        .select("__row", *cols)
        .filter(pl.any_horizontal([pl.col(c) != "" for c in cols]))
        .join(refs.lazy(), on=cols, how="anti")
        .sort("__row")
        .collect()
    )
    return [
        (r[0] + 1, ", ".join(cols), "KEY003", foreign_key_message(fk, r[1:])) for r in missing.iter_rows()
    ]


def formula_problems(text: Any, formula: Any) -> list[tuple[int, str, str, str]]:
    import polars as pl  # pylint: disable=import-outside-toplevel

    nums = {c: pl.col(c).cast(pl.Float64, strict=False) for c in formula.inputs}
    expected = formula.evaluate(nums)  # a polars expression: the evaluator only uses + - * / round
    actual = pl.col(formula.column).cast(pl.Float64, strict=False)
    close = ((actual - expected).abs() <= 1e-6 * expected.abs().clip(lower_bound=1.0)).fill_null(False)
    suspect = (
        text.lazy()
        .with_row_index("__row")
        .filter(~close)
        .select("__row", expected.alias("__expected"), pl.col(formula.column))
        .collect()
    )
    out = []
    for row, exp, written in suspect.iter_rows():
        if exp is None or math.isnan(exp):
            continue
        if not formula_matches(exp, written):
            out.append((row + 1, formula.column, "FRM001", formula_message(formula, written, exp)))
    return out


def validate_polars(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    path: Path,
    schema: Any,
    rules: TableRules,
    delimiter: str = ",",
    refs: dict[Any, set] | None = None,
    cap: int = 200,
    *,
    skip: int = 0,
) -> ChunkStats:
    text = read_text(path, delimiter, skip)
    stats = ChunkStats(rows=text.height, chunks=1)
    sink = ProblemSink(cap)
    if schema is not None:
        cases, stats.notes = schema_cases(text, schema)
        sink.extend(cell_cases(cases, lambda r, c: text[c][r]))
    for group, code in key_groups(schema, rules):
        sink.extend(key_problems(text, group, code))
    for fk in rules.foreign_keys:
        if (refs or {}).get(fk) is not None:
            sink.extend(foreign_key_problems(text, fk, refs[fk]))
    for formula in rules.formulas:
        sink.extend(formula_problems(text, formula))
    stats.problems, stats.truncated = sink.problems(), sink.truncated
    return stats
