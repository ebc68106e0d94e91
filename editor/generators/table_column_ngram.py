"""Table generator ``table_column_ngram``: a KenLM character model of the column, mixed with its values.

For a cell slot in a text column (profile kind ``str`` or ``id``, without an ``isin``
list, which ``table_schema`` enumerates), the column's observed values train a
character n-gram model (:mod:`editor.tables.column_lm`, cached by content).  A beam
search over it proposes whole values, new ones included (a new athlete's name, the
next code of a pattern).  Each candidate's cheap score is the log of an interpolated
probability::

    p(v) = LAMBDA * w(v) / sum(w) + (1 - LAMBDA) * p_lm(v)

where ``w`` are the observed weights (frequency and similarity to the slot's row and
its neighbours, :func:`editor.tables.build.observed_weights`), so a value never seen
keeps the model's share only.  The trace's origin says whether the value was observed
and gives its model log10 probability.
"""

from __future__ import annotations

import math
from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import cell_candidate, observed_weights, profiles
from editor.tables.column_lm import column_model
from editor.tables.slot import TableSlot

LAMBDA = 0.7
TEXT_KINDS = ("str", "id")


class TableColumnNgramGenerator:
    name = "table_column_ngram"

    def __init__(self, ctx: StageContext | None = None) -> None:
        self.ctx = ctx

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot) or slot.column is None:
            return []
        prof = profiles(slot)[slot.column]
        if prof.kind not in TEXT_KINDS or prof.allowed is not None:
            return []
        col = slot.col_index
        model, why = column_model([row[col] for row in slot.existing])
        if model is None:
            if self.ctx is not None and why:
                self.ctx.note(f"{self.name}: no column model ({why})")
            return []
        weights, counts = observed_weights(slot)
        total = sum(weights.values()) or 1.0
        proposed = dict(model.generate(limit))
        for value in sorted(weights, key=lambda v: -weights[v])[:limit]:
            if value not in proposed:
                proposed[value] = model.score(value)
        scored = []
        for value, lm_log10 in proposed.items():
            p = LAMBDA * weights.get(value, 0.0) / total + (1 - LAMBDA) * 10.0**lm_log10
            scored.append((math.log(max(p, 1e-300)), value, lm_log10))
        scored.sort(key=lambda s: -s[0])
        return [
            cell_candidate(
                value,
                self.name,
                prior,
                observed=counts.get(value, 0),
                lm_log10=round(lm_log10, 3),
                model=model.key,
            )
            for prior, value, lm_log10 in scored[:limit]
        ]


@generators.register("table_column_ngram")
def make_table_column_ngram(ctx: StageContext) -> TableColumnNgramGenerator:
    return TableColumnNgramGenerator(ctx)
