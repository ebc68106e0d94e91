"""Table generator ``table_observed``: the column's observed values, by frequency and similarity.

Weights from :func:`editor.tables.build.observed_weights`: in a training log, the load an
athlete used for an exercise outranks the load most often written.  Cell slots only
(rows: ``table_copy_edit``).
"""

from __future__ import annotations

from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import cell_candidate, observed_weights
from editor.tables.profile import log_prior
from editor.tables.slot import TableSlot


class TableObservedGenerator:
    name = "table_observed"

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot) or slot.column is None:
            return []
        weights, counts = observed_weights(slot)
        total = sum(weights.values())
        best = sorted(weights, key=lambda v: -weights[v])[:limit]
        return [cell_candidate(v, self.name, log_prior(weights[v], total), count=counts[v]) for v in best]


@generators.register("table_observed")
def make_table_observed(ctx: StageContext) -> TableObservedGenerator:
    del ctx
    return TableObservedGenerator()
