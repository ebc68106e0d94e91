"""Formula columns from ``[tool.gfv.tables] formulas`` (tables only).

Codes: ``FRM000`` every formula holds (or none applies), ``FRM001`` a formula column
differs from its formula (``details``: expected, written, failing cells), ``FRM002``
an input or the formula column is not a number, ``FRM003`` (ok) not due yet: an input
or the formula column is still empty.  Equality is up to the precision the value is
written with.

``FRM003`` is a judgement, not a failure to judge: a formula relates filled cells, and a
row still being typed holds it vacuously until they are filled (as SQL's CHECK holds on
NULL; ``gfv check`` reports no formula problem for such a row either).  Whether a cell
may stay empty is the schema's business (``table_schema``: ``nullable``).
"""

from __future__ import annotations

from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.stages import StageContext, validators
from editor.tables.rules import formula_matches
from editor.tables.slot import TableSlot
from validators._table import cell, per_candidate


class TableFormulaValidator:
    name = "table_formula"
    cost = "cheap"

    def validate(self, slot: TableSlot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        if not isinstance(slot, TableSlot):
            return [[] for _ in candidates]
        return per_candidate(self.name, slot, candidates, lambda row: self._judge(slot, row), "FRM004")

    def _judge(self, slot: TableSlot, row: list[str]) -> list[Verdict]:
        out, header = [], slot.header
        for f in slot.rules.formulas:
            involved = (f.column, *f.inputs)
            if slot.column is not None and slot.column not in involved:
                continue
            values = {c: row[header.index(c)] for c in involved}
            if any(values[c] == "" for c in f.inputs) or values[f.column] == "":
                empty = ", ".join(c for c in (*f.inputs, f.column) if values[c] == "")
                out.append(
                    Verdict(
                        self.name, True, "FRM003", f"{f.column} = {f.expression} not due yet: {empty} empty"
                    )
                )
                continue
            try:
                expected = f.evaluate({c: float(values[c]) for c in f.inputs})
                float(values[f.column])
            except (ValueError, ZeroDivisionError) as exc:
                bad = [c for c in involved if not _is_number(values[c])]
                out.append(
                    Verdict(
                        self.name,
                        False,
                        "FRM002",
                        f"{f.column} = {f.expression} cannot be computed: {exc}",
                        details={"cells": [cell(slot, c, values[c]) for c in bad]},
                    )
                )
                continue
            if not formula_matches(expected, values[f.column]):
                out.append(
                    Verdict(
                        self.name,
                        False,
                        "FRM001",
                        f"{f.column} = {values[f.column]} but {f.expression} = {expected:g}",
                        details={
                            "expected": expected,
                            "written": values[f.column],
                            "cells": [cell(slot, c, values[c]) for c in involved],
                        },
                    )
                )
        if any(not v.ok for v in out):
            return [v for v in out if not v.ok]
        return out or [
            Verdict(self.name, True, "FRM000", "formulas hold" if slot.rules.formulas else "no formulas")
        ]


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@validators.register("table_formula")
def make_table_formula(ctx: StageContext) -> TableFormulaValidator:
    del ctx
    return TableFormulaValidator()
