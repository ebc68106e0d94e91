"""The next row of a table as its series would go on: keys continued, numbers varied like the data.

* Key columns: every sequence column moves one step in its direction, in the series the
  next row belongs to (:meth:`ColumnProfile.next_group`: the last row's group in a block
  layout, the group that follows it when the groups take turns); the group column takes
  that group.
* Numbers that change from row to row: the last value of the same series plus a change
  drawn from the series' recent changes (their median, then other quantiles); one quantile
  per candidate row for every such column, so the columns move together.  A copy of the last
  row (change 0) is one candidate among them, not the only one.
* Everything else: the series' last value.
* Row rules from the schema (``columns_ordered``, ``columns_sum``) are then made to hold
  (a violated ``a <= b`` is closed by moving ``b`` to ``a``; a sum is recomputed), and
  formula columns are computed by the caller.

:func:`cell_from_neighbours` fills one cell from the rows around it in the same series.
"""

from __future__ import annotations

import statistics
from typing import Any

from editor.tables.profile import ColumnProfile

RECENT = 30
QUANTILES = (0.5, 0.25, 0.75, 0.1, 0.9)
CATEGORICAL_INTS = 12


def series_rows(profs: dict[str, ColumnProfile], rows: list[list[str]]) -> list[int]:
    """Indices of the rows in the series the next row belongs to (all rows without groups)."""
    for prof in profs.values():
        if prof.sequence is not None and prof.sequence.group and prof.group_values:
            group = prof.next_group()
            return [i for i, g in enumerate(prof.group_values) if g == group]
    return list(range(len(rows)))


def is_varying_number(prof: ColumnProfile) -> bool:
    """A measurement that changes from row to row (not a key, a category or a constant)."""
    if prof.kind not in ("int", "float") or prof.sequence is not None:
        return False
    if prof.kind == "int" and len(prof.counts) <= CATEGORICAL_INTS:
        return False
    return prof.change_rate > 0.3


def recent_changes(prof: ColumnProfile, idx: list[int]) -> tuple[float | None, list[float]]:
    """(the series' last value, its last ``RECENT`` row-to-row changes)."""
    nums = []
    for i in idx[-(RECENT + 1) :]:
        try:
            nums.append(float(prof.values[i]))
        except ValueError:
            continue
    if not nums:
        return None, []
    return nums[-1], [b - a for a, b in zip(nums, nums[1:])]


def typical_change(prof: ColumnProfile, idx: list[int]) -> float | None:
    """The median absolute row-to-row change of the column in the series (None if unknown)."""
    _last, diffs = recent_changes(prof, idx)
    return statistics.median(abs(d) for d in diffs) if diffs else None


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def schema_rules(schema: Any) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """(``a <= b`` pairs, ``(total, parts)`` sums) declared as gfv frame checks in ``schema``."""
    pairs, sums = [], []
    for check in getattr(schema, "checks", None) or []:
        stats = getattr(check, "statistics", None) or {}
        if check.name == "columns_ordered":
            pairs.extend((str(a), str(b)) for a, b in stats.get("pairs", []))
        elif check.name == "columns_sum":
            sums.append((str(stats["total"]), [str(p) for p in stats["parts"]]))
    return pairs, sums


def enforce_rules(
    row: list[str], header: list[str], profs: dict[str, ColumnProfile], schema: Any
) -> list[str]:
    """``row`` with the schema's row rules made to hold where they can."""
    pairs, sums = schema_rules(schema)
    row = list(row)
    for _ in range(3):
        changed = False
        for a, b in pairs:
            if a not in header or b not in header:
                continue
            i, j = header.index(a), header.index(b)
            try:
                if float(row[i]) > float(row[j]):
                    row[j] = profs[b].fmt(float(row[i]))
                    changed = True
            except ValueError:
                continue
        if not changed:
            break
    for total, parts in sums:
        if total in header and all(p in header for p in parts):
            try:
                value = sum(float(row[header.index(p)]) for p in parts)
            except ValueError:
                continue
            row[header.index(total)] = profs[total].fmt(value)
    return row


def next_rows(
    profs: dict[str, ColumnProfile], rows: list[list[str]], header: list[str], schema: Any, current: list[str]
) -> list[tuple[list[str], float, str]]:
    """(row, prior, why) for a new last row, best first; cells already in ``current`` are kept."""
    if not rows:
        return []
    idx = series_rows(profs, rows) or list(range(len(rows)))
    last = rows[idx[-1]]
    base = list(last)
    keyed = False
    for i, name in enumerate(header):
        prof = profs[name]
        nxt = prof.next_values()
        if prof.sequence is not None and nxt:
            base[i] = nxt[-1]
            keyed = True
            if prof.sequence.group:
                group = prof.next_group()
                if group is not None and profs[prof.sequence.group].sequence is None:
                    base[header.index(prof.sequence.group)] = group
    if not keyed:
        return []
    changes = {}
    for i, name in enumerate(header):
        if is_varying_number(profs[name]):
            value, diffs = recent_changes(profs[name], idx)
            if value is not None and diffs:
                changes[i] = (value, diffs)
    out = []
    for rank, q in enumerate((*QUANTILES, None)):
        row = list(base)
        for i, (value, diffs) in changes.items():
            delta = 0.0 if q is None else quantile(diffs, q)
            row[i] = profs[header[i]].fmt(value + delta)
        for i, cell in enumerate(current):
            if cell:
                row[i] = cell
        why = "last row copied, keys continued" if q is None else f"last + change quantile {q:g}"
        out.append((enforce_rules(row, header, profs, schema), -0.2 - 0.25 * rank, why))
    return out


def cell_from_neighbours(
    profs: dict[str, ColumnProfile], rows: list[list[str]], header: list[str], row: int, column: str
) -> list[tuple[str, float, str]]:
    """(value, prior, why) for one cell from the rows before and after it in the same series."""
    prof = profs[column]
    col = header.index(column)
    group_col = next(
        (p.sequence.group for p in profs.values() if p.sequence is not None and p.sequence.group), None
    )
    same = (
        (lambda r: True)
        if group_col is None or row >= len(rows)
        else (lambda r, g=rows[row][header.index(group_col)]: r[header.index(group_col)] == g)
    )
    before = next((r[col] for r in reversed(rows[:row]) if same(r) and r[col]), None)
    after = next((r[col] for r in rows[row + 1 :] if same(r) and r[col]), None)
    out: list[tuple[str, float, str]] = []
    seq = prof.sequence
    if seq is not None:
        guess = seq.next_text(before) if before else None
        back = None
        if after:
            try:
                back = seq.write(seq.advance(seq.parse(after), -1))
            except (ValueError, OverflowError, TypeError):
                back = None
        for value, why in ((guess, "one step after the row before"), (back, "one step before the row after")):
            if value and value not in [o[0] for o in out]:
                out.append((value, -0.1 if value in (guess, back) and guess == back else -0.4, why))
    elif is_varying_number(prof) and before and after:
        try:
            mid = (float(before) + float(after)) / 2
        except ValueError:
            return out
        out.append((prof.fmt(mid), -0.3, "between the rows before and after"))
    return out
