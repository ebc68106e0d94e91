"""The pandera schema, run lazily on every candidate row at once (tables only).

Codes: ``TAB000`` passes, ``TAB001`` fails schema checks (``details.failure_cases``:
column, check, value for every case), ``TAB002`` not a row of this table, ``TAB003``
duplicates an existing row in a column (group) the schema declares unique.
In a cell slot only failures in the slot's column (or of the row as a whole) count.
"""

from __future__ import annotations

from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.stages import StageContext, validators
from editor.tables.slot import TableSlot
from validators._table import cell


class TableSchemaValidator:
    name = "table_schema"
    cost = "cheap"

    def validate(self, slot: TableSlot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        if not isinstance(slot, TableSlot):
            return [[] for _ in candidates]
        if slot.schema is None:
            return [[Verdict(self.name, True, "TAB000", "no schema for this table")] for _ in candidates]
        # pylint: disable-next=import-outside-toplevel
        from editor.tables.frame import unique_columns, unique_failures, validate_rows

        out: list[list[Verdict] | None] = [None] * len(candidates)
        rows, where = [], []
        for i, cand in enumerate(candidates):
            try:
                rows.append(slot.candidate_row(cand.text))
                where.append(i)
            except ValueError as exc:
                out[i] = [Verdict(self.name, False, "TAB002", str(exc), details={"text": cand.text})]
        groups = unique_columns(slot.schema)
        for i, row, cases in zip(where, rows, validate_rows(slot.schema, slot.header, rows)):
            cases = [c for c in cases if slot.counts(c["column"])]
            verdicts = []
            if cases:
                for c in cases:
                    c["row"] = slot.row + 1
                what = _summary(cases)
                verdicts.append(
                    Verdict(
                        self.name,
                        False,
                        "TAB001",
                        f"fails the schema ({what})",
                        details={"failure_cases": cases},
                    )
                )
            dups = [
                c
                for c in unique_failures(groups, slot.header, _existing(slot, groups), row)
                if slot.counts(c["column"])
            ]
            if dups:
                cols = "; ".join(f"{d['column']}={d['value']}" for d in dups)
                verdicts.append(
                    Verdict(
                        self.name,
                        False,
                        "TAB003",
                        f"duplicates an existing row in a unique column ({cols})",
                        details={"cells": [cell(slot, d["column"], d["value"]) for d in dups]},
                    )
                )
            out[i] = verdicts or [Verdict(self.name, True, "TAB000", "passes the schema")]
        return out  # type: ignore[return-value]


def _summary(cases: list[dict]) -> str:
    """``column: check`` per failure; a frame-wide check pandera reports on every column, once."""
    by_check: dict[str, set] = {}
    for c in cases:
        by_check.setdefault(str(c["check"]), set()).add(str(c["column"]))
    parts = []
    for check, cols in sorted(by_check.items()):
        parts.extend([f"row: {check}"] if len(cols) > 2 else (f"{col}: {check}" for col in sorted(cols)))
    return ", ".join(parts)


def _existing(slot: TableSlot, groups: list[tuple[str, ...]]) -> list[list[str]]:
    """Existing rows reduced to the distinct values of the unique groups (fast lookups)."""
    if not groups:
        return []
    return slot.existing


@validators.register("table_schema")
def make_table_schema(ctx: StageContext) -> TableSchemaValidator:
    del ctx
    return TableSchemaValidator()
