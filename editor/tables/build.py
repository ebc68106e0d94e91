"""Turning generated values into candidates: formula columns filled in, text in the file's dialect."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from editor.candidates import Candidate
from editor.tables.profile import ColumnProfile, profile, similarity
from editor.tables.slot import TableSlot


def profiles(slot: TableSlot) -> dict[str, ColumnProfile]:
    return profile(slot.header, slot.document.rows, slot.schema)


def apply_formulas(slot: TableSlot, row: list[str], profs: dict[str, ColumnProfile]) -> list[str]:
    """``row`` with every formula column computed from its inputs (when they are numbers)."""
    row = list(row)
    for f in slot.rules.formulas:
        try:
            value = f.evaluate({c: float(row[slot.header.index(c)]) for c in f.inputs})
        except (ValueError, ZeroDivisionError):
            continue
        row[slot.header.index(f.column)] = profs[f.column].fmt(value)
    return row


def formula_value(slot: TableSlot, profs: dict[str, ColumnProfile]) -> str | None:
    """In a cell slot on a formula column: the value its formula gives for the current row."""
    for f in slot.rules.formulas:
        if f.column == slot.column:
            row = apply_formulas(slot, slot.current, profs)
            value = row[slot.col_index]
            return value if value != slot.current[slot.col_index] or value else None
    return None


def cell_candidate(value: str, source: str, prior: float, **origin: Any) -> Candidate:
    return Candidate(value, source, kind="cell", scores={"ngram": round(prior, 4)}, origin=dict(origin))


def row_candidate(slot: TableSlot, row: list[str], source: str, prior: float, **origin: Any) -> Candidate:
    return Candidate(
        slot.row_text(row), source, kind="row", scores={"ngram": round(prior, 4)}, origin=dict(origin)
    )


NEAR = 8


def observed_weights(slot: TableSlot) -> tuple[dict[str, float], dict[str, int]]:
    """Weight and count of each value observed in the slot's column (computed once per slot).

    A value's weight is the sum, over the rows that hold it, of ``1 + 4 * sim`` where
    ``sim`` is the share of the slot row's filled cells that row agrees with, plus a bonus
    for the ``NEAR`` rows nearest the slot.  ``table_observed`` and ``table_column_ngram``
    both use it, so it is kept on the slot.
    """
    key = ("observed_weights", slot.col_index)
    if key not in slot.memo:
        slot.memo[key] = _observed_weights(slot)
    return slot.memo[key]


def _observed_weights(slot: TableSlot) -> tuple[dict[str, float], dict[str, int]]:
    col = slot.col_index
    weights: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in slot.existing:
        if row[col]:
            weights[row[col]] += 1 + 4 * similarity(slot.current, row, skip=col)
            counts[row[col]] += 1
    for rank, row in enumerate(slot.neighbours(NEAR)):
        if row[col]:
            weights[row[col]] += 2.0 * (NEAR - rank) / NEAR
    return dict(weights), dict(counts)
