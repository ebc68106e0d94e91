"""Table generator ``table_observed``: the column's observed values, by frequency and similarity.

A value's weight is the sum, over the rows that hold it, of ``1 + 4 * sim`` where
``sim`` is the share of the slot row's filled cells that row agrees with, plus a bonus
for the rows nearest the slot.  So in a training log, the load an athlete used for an
exercise outranks the load most often written.  Cell slots only (rows: ``table_copy_edit``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import cell_candidate
from editor.tables.profile import log_prior, similarity
from editor.tables.slot import TableSlot

NEAR = 8


class TableObservedGenerator:
    name = "table_observed"

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot) or slot.column is None:
            return []
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
        total = sum(weights.values())
        best = sorted(weights, key=lambda v: -weights[v])[:limit]
        return [cell_candidate(v, self.name, log_prior(weights[v], total), count=counts[v]) for v in best]


@generators.register("table_observed")
def make_table_observed(ctx: StageContext) -> TableObservedGenerator:
    del ctx
    return TableObservedGenerator()
