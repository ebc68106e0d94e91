"""Table generator ``table_copy_edit``: the most similar rows, with the fields that usually change, changed.

For a row slot, the rows nearest the slot (and, when the slot row is partly filled,
the rows most like it) are copied; sequence columns move to their next value; each
column that usually changes between consecutive rows (change rate above one half) is
set, one at a time, to the values the other neighbours hold; formula columns are then
recomputed.  For a cell slot: the slot column's value in the most similar rows.
"""

from __future__ import annotations

from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import apply_formulas, cell_candidate, profiles, row_candidate
from editor.tables.profile import similarity
from editor.tables.slot import TableSlot

SOURCES = 6


class TableCopyEditGenerator:
    name = "table_copy_edit"

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot):
            return []
        near = slot.neighbours(SOURCES * 2)
        if any(slot.current):
            near = sorted(near, key=lambda r: -similarity(slot.current, r, skip=slot.col_index))
        near = near[:SOURCES]
        if slot.column is not None:
            col = slot.col_index
            return [
                cell_candidate(r[col], self.name, -0.5 - 0.3 * k, copied_from=_row_no(slot, r))
                for k, r in enumerate(near)
                if r[col]
            ]
        profs = profiles(slot)
        changing = [n for n, p in profs.items() if p.change_rate > 0.5 and not p.next_values()]
        out: list[Candidate] = []
        seen: set[str] = set()
        for k, src in enumerate(near):
            base = list(src)
            for i, name in enumerate(slot.header):
                nxt = profs[name].next_values()
                if nxt:
                    base[i] = nxt[0]
                elif slot.current[i]:
                    base[i] = slot.current[i]
            variants = [(base, "copy")]
            for name in changing:
                i = slot.header.index(name)
                for other in near:
                    if other[i] != base[i]:
                        row = list(base)
                        row[i] = other[i]
                        variants.append((row, f"changed {name}"))
            pk = slot.rules.primary_key
            taken = slot.key_set(pk) if pk else set()
            for m, (row, why) in enumerate(variants):
                row = apply_formulas(slot, row, profs)
                clash = bool(pk) and tuple(row[slot.header.index(c)] for c in pk) in taken
                prior = (
                    -0.5 - 0.3 * k - 0.2 * min(m, 1) - (3.0 if clash else 0.0)
                )  # an edit must make a new key
                cand = row_candidate(slot, row, self.name, prior, why=why, copied_from=_row_no(slot, src))
                if cand.text not in seen:
                    seen.add(cand.text)
                    out.append(cand)
        out.sort(key=lambda c: -c.scores["ngram"])
        return out[:limit]


def _row_no(slot: TableSlot, row: list[str]) -> int:
    """1-based data row number of ``row`` in the document."""
    for i, r in enumerate(slot.document.rows):
        if r is row:
            return i + 1
    return slot.document.rows.index(row) + 1


@generators.register("table_copy_edit")
def make_table_copy_edit(ctx: StageContext) -> TableCopyEditGenerator:
    del ctx
    return TableCopyEditGenerator()
