"""Sequences in a table: a column that steps regularly (ids, years, days, trading days, months),
its direction, and the column whose values each own a run of it (the series of a long table).

:func:`infer_sequences` looks at the file order of the rows.  A column is a sequence when at
least ``MIN_SHARE`` of its changes between consecutive rows (of one group) are the same step
in the same direction.  Steps: integers (any constant step), calendar months / quarters /
years (the same day of the month, or every value a month end), business days (no weekend
dates, one business day apart), days, weeks, and any constant time step (timestamps).
A group column is chosen when the sequence repeats across the table but each of the
column's values owns a run of it with no repeated (group, value) pair: one row per symbol
per month.  :meth:`Sequence.advance` steps a value forward (or backward) in the same unit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

MIN_SHARE = 0.75
MAX_GROUPS_SHARE = 0.34  # a group column has at most a third as many values as rows


@dataclass
class Sequence:  # pylint: disable=too-many-instance-attributes
    column: str
    unit: str  # "int", "day", "bday", "month", "seconds"
    step: int | float  # in the unit (months for month steps; 12 = yearly)
    direction: int  # +1 ascending, -1 descending in file order
    share: float  # share of the changes that are exactly one step
    repeats: float = 0.0  # share of consecutive pairs (in a group) with the same value
    group: str | None = None  # the column whose values own a run of the sequence
    month_end: bool = False
    parse: Callable[[str], Any] = field(default=lambda s: s, repr=False, compare=False)
    write: Callable[[Any], str] = field(default=str, repr=False, compare=False)

    def describe(self) -> str:
        names = {"int": "step", "day": "day", "bday": "business day", "seconds": "second"}
        if self.unit == "month":
            what = {1: "monthly", 3: "quarterly", 12: "yearly"}.get(
                int(self.step), f"every {self.step} months"
            )
        elif self.unit == "day" and self.step == 7:
            what = "weekly"
        elif self.unit == "day" and self.step == 1:
            what = "daily"
        elif self.unit == "bday":
            what = "trading days (business days)"
        else:
            what = f"every {self.step:g} {names[self.unit]}{'s' if self.step != 1 else ''}"
        way = "ascending" if self.direction > 0 else "descending"
        per = f", per {self.group}" if self.group else ""
        return f"{what}, {way}{per}"

    def advance(self, value: Any, n: int = 1) -> Any:
        """``value`` moved ``n`` steps in the sequence's direction."""
        k = n * self.direction
        if self.unit == "int":
            return value + k * self.step
        if self.unit == "day":
            return value + dt.timedelta(days=k * self.step)
        if self.unit == "seconds":
            return value + dt.timedelta(seconds=k * self.step)
        if self.unit == "bday":
            out, moved = value, 0
            while moved < abs(k):
                out += dt.timedelta(days=1 if k > 0 else -1)
                if out.weekday() < 5:
                    moved += 1
            return out
        return add_months(value, int(k * self.step), self.month_end)

    def next_text(self, last: str, n: int = 1) -> str | None:
        try:
            return self.write(self.advance(self.parse(last), n))
        except (ValueError, OverflowError, TypeError):
            return None


def add_months(value: dt.datetime, months: int, month_end: bool = False) -> dt.datetime:
    total = value.year * 12 + value.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return value.replace(year=year, month=month + 1, day=last if month_end else min(value.day, last))


def _month_index(v: dt.datetime) -> int:
    return v.year * 12 + v.month - 1


def _is_month_end(v: dt.datetime) -> bool:
    return v.day == calendar.monthrange(v.year, v.month)[1]


def _bday_diff(a: dt.datetime, b: dt.datetime) -> int:
    import numpy as np  # pylint: disable=import-outside-toplevel

    return int(np.busday_count(a.date(), b.date()))


def fit_runs(runs: list[list[Any]], is_date: bool) -> tuple[str, float, int, float, float, bool] | None:
    """(unit, step, direction, share, repeats, month_end) of the values in ``runs`` (one list per group)."""
    pairs = [(a, b) for run in runs for a, b in zip(run, run[1:])]
    if not pairs:
        return None
    moved = [(a, b) for a, b in pairs if a != b]
    repeats = 1 - len(moved) / len(pairs)
    if len(moved) < 2:
        return None
    values = [v for run in runs for v in run]
    options: list[tuple[str, Callable[[Any, Any], float]]] = []
    month_end = False
    if not is_date:
        options.append(("int", lambda a, b: b - a))
    else:
        whole_days = all(v.time() == dt.time() for v in values)
        same_day = len({v.day for v in values}) == 1
        month_end = not same_day and all(_is_month_end(v) for v in values)
        if whole_days and (same_day or month_end):
            options.append(("month", lambda a, b: _month_index(b) - _month_index(a)))
        if whole_days and all(v.weekday() < 5 for v in values):
            options.append(("bday", _bday_diff))
        if whole_days:
            options.append(("day", lambda a, b: (b - a).days))
        options.append(("seconds", lambda a, b: (b - a).total_seconds()))
    for unit, diff in options:
        diffs = Counter(diff(a, b) for a, b in moved)
        ((step, count),) = diffs.most_common(1)
        if step == 0:
            continue
        share = count / len(moved)
        if share >= MIN_SHARE:
            return unit, abs(step), (1 if step > 0 else -1), share, repeats, month_end
    return None


def _runs(values: list[Any], keys: list[str] | None) -> list[list[Any]]:
    if keys is None:
        return [[v for v in values if v is not None]]
    by: dict[str, list[Any]] = defaultdict(list)
    for k, v in zip(keys, values):
        if v is not None:
            by[k].append(v)
    return list(by.values())


def infer_sequence(
    name: str,
    texts: list[str],
    parse: Callable[[str], Any],
    write: Callable[[Any], str],
    groups: dict[str, list[str]],
    is_date: bool,
) -> Sequence | None:
    """The sequence in column ``name`` (values ``texts`` in file order), per group when one fits better."""
    values: list[Any] = []
    for t in texts:
        try:
            values.append(parse(t) if t else None)
        except (ValueError, OverflowError):
            values.append(None)
    present = [v for v in values if v is not None]
    if len(present) < 3:
        return None
    best: tuple[float, Sequence] | None = None
    fit = fit_runs(_runs(values, None), is_date)
    distinct = len(set(present)) == len(present)
    if fit:
        seq = Sequence(name, *fit[:5], month_end=fit[5], parse=parse, write=write)
        best = (fit[3] - fit[4], seq)  # share of steps, minus repeats (a repeated date is a key clash)
    if not distinct:
        for gname, keys in groups.items():
            if gname == name or len(set(keys)) < 2 or len(set(keys)) > MAX_GROUPS_SHARE * len(keys):
                continue
            pairs = [(k, v) for k, v in zip(keys, values) if v is not None]
            if len(set(pairs)) != len(pairs):
                continue  # a (group, value) pair repeats: not one run per group value
            gfit = fit_runs(_runs(values, keys), is_date)
            if gfit and (best is None or gfit[3] - gfit[4] > best[0]):
                seq = Sequence(name, *gfit[:5], group=gname, month_end=gfit[5], parse=parse, write=write)
                best = (gfit[3] - gfit[4], seq)
    return best[1] if best else None


def group_successor(keys: list[str]) -> dict[str, str]:
    """For each group value, the group that most often follows it in file order (itself in a block layout)."""
    follow: dict[str, Counter] = defaultdict(Counter)
    for a, b in zip(keys, keys[1:]):
        follow[a][b] += 1
    return {a: c.most_common(1)[0][0] for a, c in follow.items()}
