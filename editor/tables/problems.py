"""What every table validation engine reports, worded and ordered the same way.

The engines (pandas chunks, polars, dask; :mod:`editor.tables.engines`) find problems in
different orders.  :class:`ProblemSink` keeps the ``cap`` first problems in (row, code,
column, message) order and counts the rest, so the same table gives the same findings
whatever the engine, and memory stays O(cap).  The message helpers below are the only
place the wording lives.

Schema failures follow one rule per cell, whatever the backend reports: an empty cell
of a non-nullable column is ``not_nullable`` (and nothing else); a cell that does not
convert to the column's dtype is ``coerce_dtype(...)`` (and nothing else); every other
cell is judged by each check of its column.  Values in messages are the cell's text as
written in the file.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any, Iterable

from editor.tables.rules import ForeignKey, Formula, TableRules


@dataclass
class Problem:
    row: int  # 1-based data row; 0: the table as a whole
    column: str | None
    code: str
    message: str


@dataclass
class ChunkStats:
    rows: int = 0
    chunks: int = 0  # chunks (pandas), partitions (dask), 1 (polars)
    problems: list[Problem] = field(default_factory=list)  # sorted by row, then code
    truncated: int = 0  # problems beyond the cap, counted only
    notes: list[str] = field(default_factory=list)  # what the engine could not check


def _key(p: Problem) -> tuple:
    return (p.row, p.code, p.column or "", p.message)


class ProblemSink:
    """The ``cap`` smallest problems by (row, code, column, message); the rest are counted."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._heap: list[tuple[_Neg, int, Problem]] = []  # max-heap on the key (reversed by _Neg)
        self._count = itertools.count()
        self.truncated = 0

    def add(self, row: int, column: str | None, code: str, message: str) -> None:
        problem = Problem(row, column, code, message)
        item = (_Neg(_key(problem)), next(self._count), problem)
        if len(self._heap) < self.cap:
            heapq.heappush(self._heap, item)
            return
        self.truncated += 1
        if self._heap and _key(problem) < self._heap[0][0].key:
            heapq.heapreplace(self._heap, item)

    def extend(self, items: Iterable[tuple[int, str | None, str, str]]) -> None:
        for row, column, code, message in items:
            self.add(row, column, code, message)

    def problems(self) -> list[Problem]:
        return sorted((p for _, _, p in self._heap), key=_key)


class _Neg:  # pylint: disable=too-few-public-methods
    """Reverses the order of a key, so heapq's min-heap keeps the largest key on top."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: "_Neg") -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Neg) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def key_groups(schema: Any, rules: TableRules) -> list[tuple[tuple[str, ...], str]]:
    """Column groups whose values must not repeat, with their code: unique columns (TAB003)
    and the primary key (KEY001)."""
    from editor.tables.frame import unique_columns  # pylint: disable=import-outside-toplevel

    groups = unique_columns(schema) if schema is not None else []
    pk = tuple(rules.primary_key)
    if pk and pk not in groups:
        groups.append(pk)
    return [(g, "KEY001" if g == pk else "TAB003") for g in groups]


def duplicate_message(group: tuple[str, ...], key: Iterable[str]) -> str:
    return f"duplicate {', '.join(group)} = {', '.join(key)}"


def foreign_key_message(fk: ForeignKey, key: Iterable[str]) -> str:
    return f"{', '.join(fk.columns)} = {', '.join(key)} not found in {fk.ref_table}"


def formula_message(formula: Formula, written: str, expected: float) -> str:
    return f"{formula.column} = {written} but {formula.expression} = {expected:g}"


def schema_message(column: str | None, check: str, raw: Any) -> str:
    return f"{column}: {check} fails for {raw!r}"


def coerce_label(dtype: Any) -> str:
    """The check name of a dtype conversion failure, as pandera's pandas backend writes it."""
    return f"coerce_dtype('{dtype}')"


def check_label(check: Any) -> str:
    """A check's name in messages: pandera's ``error`` text (``in_range(1, 10)``), else its name."""
    return str(check.error or check.name)


def cell_cases(
    cases: Iterable[tuple[int | None, str | None, str]], raw: Any
) -> list[tuple[int, str | None, str, str]]:
    """Schema failure cases (row0 or None, column, check label) to (row, column, code, message).

    Applies the one-verdict-per-cell rule of the module docstring; ``raw(row0, column)``
    gives a cell's text.  A case with no row is about the table as a whole (row 0).
    """
    by_cell: dict[tuple[int | None, str | None], list[str]] = {}
    for row0, column, label in cases:
        labels = by_cell.setdefault((row0, column), [])
        if label not in labels:
            labels.append(label)
    out = []
    for (row0, column), labels in by_cell.items():
        if row0 is None:
            out.extend((0, column, "TAB001", schema_message(column, lab, None)) for lab in labels)
            continue
        first = next((lab for lab in labels if lab == "not_nullable"), None)
        first = first or next((lab for lab in labels if lab.startswith("coerce_dtype(")), None)
        kept = [first] if first else [lab for lab in labels if not lab.startswith("dtype(")]
        value = raw(row0, column) if column is not None else None
        out.extend((row0 + 1, column, "TAB001", schema_message(column, lab, value)) for lab in kept)
    return out
