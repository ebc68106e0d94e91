"""Table generator ``table_schema``: values the schema and the column's shape imply.

Per column: the schema's ``isin`` categories; the next value of a sequence or monotone
column (ids, dates); values inside the range (the neighbours' median, clipped);
formula columns computed from their inputs.  For a row slot these are composed into
rows: a base row (next values, the neighbours' typical values), then variants that
change one categorical column at a time.  Only acts on table slots.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import apply_formulas, cell_candidate, formula_value, profiles, row_candidate
from editor.tables.profile import ColumnProfile, log_prior
from editor.tables.slot import TableSlot

NEIGHBOURS = 12


def column_values(
    slot: TableSlot, prof: ColumnProfile, near: list[list[str]]
) -> list[tuple[str, float, str]]:
    """(value, prior, why) for one column, best first."""
    i = slot.header.index(prof.name)
    near_vals = [r[i] for r in near if r[i]]
    out: list[tuple[str, float, str]] = []
    for rank, value in enumerate(prof.next_values()):
        out.append((value, -0.2 - rank * 0.3, "next in sequence"))
    if prof.allowed is not None:
        total = sum(prof.counts.get(str(a), 0) + 1 for a in prof.allowed)
        for a in prof.allowed:
            w = prof.counts.get(str(a), 0) + 1 + 2 * near_vals.count(str(a))
            out.append((str(a), log_prior(w, total), "isin category"))
    if prof.kind in ("int", "float") and not prof.monotone:
        nums = [prof.parse(v) for v in near_vals] or prof.numeric()
        if nums:
            mid = statistics.median(nums)
            lo = prof.low if prof.low is not None else min(nums)
            hi = prof.high if prof.high is not None else max(nums)
            for value, prior, why in (
                (mid, -1.0, "neighbours' median"),
                ((lo + hi) / 2, -2.5, "middle of the range"),
            ):
                out.append((prof.render(min(max(value, lo), hi)), prior, why))
    if prof.allowed is None and not out and near_vals:  # free text: what the neighbours hold
        for value, count in Counter(near_vals).most_common(3):
            out.append((value, log_prior(count, len(near_vals)) - 0.5, "neighbours' value"))
    seen: set[str] = set()
    return [(v, p, w) for v, p, w in sorted(out, key=lambda x: -x[1]) if not (v in seen or seen.add(v))]


class TableSchemaGenerator:
    name = "table_schema"

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot):
            return []
        profs = profiles(slot)
        near = slot.neighbours(NEIGHBOURS)
        if slot.column is not None:
            computed = formula_value(slot, profs)
            if computed:
                return [cell_candidate(computed, self.name, -0.1, why="formula")]
            vals = column_values(slot, profs[slot.column], near)
            return [cell_candidate(v, self.name, p, why=w) for v, p, w in vals[:limit]]
        per_col = {name: column_values(slot, prof, near) for name, prof in profs.items()}
        base = [per_col[n][0][0] if per_col[n] else "" for n in slot.header]
        rows = [(apply_formulas(slot, base, profs), -0.5, "base")]
        varying = sorted(
            (p for p in profs.values() if p.allowed is not None or p.next_values()),
            key=lambda p: -p.change_rate,
        )
        for prof in varying:
            i = slot.header.index(prof.name)
            for value, prior, why in per_col[prof.name][1:]:
                row = list(base)
                row[i] = value
                rows.append((apply_formulas(slot, row, profs), -0.5 + prior, f"{prof.name}: {why}"))
        return [row_candidate(slot, r, self.name, p, why=w) for r, p, w in rows[:limit]]


@generators.register("table_schema")
def make_table_schema(ctx: StageContext) -> TableSchemaGenerator:
    del ctx
    return TableSchemaGenerator()
