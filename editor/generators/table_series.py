"""Table generator ``table_series``: the next row as the table's series go on (editor/tables/series.py).

A new row: the sequence columns one step on in the right series, the numbers the series'
last values plus typical changes (quantiles of the recent ones), the schema's row rules
made to hold, formula columns computed.  A cell: one step from its neighbours in the same
series (sequence columns) or between them (numbers).  Nothing when the table has no
sequence column.
"""

from __future__ import annotations

from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import apply_formulas, cell_candidate, profiles, row_candidate
from editor.tables.series import cell_from_neighbours, next_rows
from editor.tables.slot import TableSlot


class TableSeriesGenerator:
    name = "table_series"

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot):
            return []
        profs = profiles(slot)
        rows, header = slot.document.rows, slot.header
        if slot.column is None:
            if not slot.is_new_row:
                return []
            built = next_rows(profs, rows, header, slot.schema, slot.current)
            return [
                row_candidate(slot, apply_formulas(slot, r, profs), self.name, p, why=w)
                for r, p, w in built[:limit]
            ]
        if slot.is_new_row:
            built = next_rows(profs, rows, header, slot.schema, slot.current)
            values = []
            for r, p, w in built:
                if r[slot.col_index] and r[slot.col_index] not in [v[0] for v in values]:
                    values.append((r[slot.col_index], p, w))
        else:
            values = cell_from_neighbours(profs, rows, header, slot.row, slot.column)
        return [cell_candidate(v, self.name, p, why=w) for v, p, w in values[:limit]]


@generators.register("table_series")
def make_table_series(ctx: StageContext) -> TableSeriesGenerator:
    del ctx
    return TableSeriesGenerator()
