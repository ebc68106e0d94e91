"""What the generators know about a table's columns: kind, schema constraints, observed values.

Pure Python on the rows of strings (no pandas): a profile is cheap and cached per
document, so every generator of a slot shares it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from editor.tables.dates import DateFormat, detect
from editor.tables.sequence import Sequence, group_successor, infer_sequence

TAIL = 3000  # sequences are inferred from the last rows (what comes next depends on them)
_ID = re.compile(r"^([A-Za-z]+[-_]?)(\d+)$")
_CACHE: dict[int, tuple[Any, dict[str, "ColumnProfile"]]] = {}


@dataclass
class ColumnProfile:  # pylint: disable=too-many-instance-attributes
    name: str
    kind: str  # "int", "float", "date", "id", "str"
    values: list[str]  # in file order, empties included
    counts: Counter = field(default_factory=Counter)
    decimals: int | None = None  # fixed decimals of a float column, None when mixed
    max_decimals: int | None = None  # the most decimals a float column writes
    allowed: list[Any] | None = None  # schema isin
    low: float | None = None  # schema range (numbers) or ISO date bounds as ordinals
    high: float | None = None
    pattern: str | None = None  # schema str_matches
    monotone: bool = False  # non-decreasing in file order
    step: float | None = None  # most common positive step of a monotone column
    change_rate: float = 0.0  # how often consecutive rows differ here
    date_format: DateFormat | None = None  # how a date column writes its dates
    sequence: Sequence | None = None  # the column steps regularly (per group, maybe)
    group_values: list[str] | None = None  # the sequence's group column, in file order
    successor: dict[str, str] = field(default_factory=dict)  # group value -> the group that follows it

    def next_group(self) -> str | None:
        """The group the next row belongs to: the last row's (a block layout) or the one that follows it."""
        if not self.group_values:
            return None
        last = next((g for g in reversed(self.group_values) if g), None)
        return self.successor.get(last, last) if last is not None else None

    def fmt(self, value: float) -> str:
        """A number written like this column writes its numbers."""
        if self.kind == "int":
            return str(int(round(value)))
        if self.decimals is not None:
            return f"{value:.{self.decimals}f}"
        if self.max_decimals is not None:  # mixed decimals: trailing zeros are dropped
            text = f"{value:.{self.max_decimals}f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        return f"{value:g}" if abs(value) < 1e15 else repr(value)

    def numeric(self) -> list[float]:
        out = []
        for v in self.values:
            try:
                out.append(self.parse(v))
            except ValueError:
                pass
        return out

    def parse(self, text: str) -> float:
        if self.kind == "date":
            when = self.date_format.parse(text) if self.date_format else dt.datetime.fromisoformat(text)
            return (
                when.toordinal()
                + (when - when.replace(hour=0, minute=0, second=0, microsecond=0)).seconds / 86400
            )
        return float(text)

    def render(self, value: float) -> str:
        if self.kind == "date":
            when = dt.datetime.fromordinal(int(value)) + dt.timedelta(days=value - int(value))
            return self.date_format.write(when) if self.date_format else when.date().isoformat()
        return self.fmt(value)

    def last_in_group(self, group: str | None = None) -> str | None:
        """The column's last non-empty value (in the sequence's group ``group``, when it has one)."""
        keys = self.group_values
        for i in range(len(self.values) - 1, -1, -1):
            if self.values[i] and (group is None or keys is None or keys[i] == group):
                return self.values[i]
        return None

    def next_values(self) -> list[str]:
        """Where a sequence goes next: the last value (of the last row's group) + one step.

        When the column repeats values (several rows per date), the last value itself
        comes first.  Without an inferred sequence, a non-decreasing column goes on with
        its most common step.
        """
        present = [v for v in self.values if v]
        if not present:
            return []
        seq = self.sequence
        if seq is not None:
            last = self.last_in_group(self.next_group())
            nxt = seq.next_text(last) if last else None
            if nxt is None:
                return []
            return [last, nxt] if seq.repeats > 0.1 and last else [nxt]
        if self.kind == "id":
            best = max(present, key=lambda v: int(_ID.match(v).group(2)))  # type: ignore[union-attr]
            m = _ID.match(best)
            assert m is not None
            return [f"{m.group(1)}{int(m.group(2)) + 1:0{len(m.group(2))}d}"]
        if not self.monotone or self.kind not in ("int", "float", "date"):
            return []
        last = self.parse(present[-1])
        out = [self.render(last + (self.step or 1))]
        if self.change_rate < 0.9:  # values repeat (several rows per date): the same one too
            out.insert(0, present[-1])
        return out


def _kind(values: list[str]) -> str:
    present = [v for v in values if v]
    if not present:
        return "str"

    def all_of(fn) -> bool:
        try:
            for v in present:
                fn(v)
            return True
        except ValueError:
            return False

    if all(re.fullmatch(r"[+-]?\d+", v) for v in present):
        return "date" if detect(present) else "int"  # YYYYMMDD numbers are dates
    if all_of(float):
        return "float"
    if detect(present):
        return "date"
    if all(_ID.match(v) for v in present) and len(set(present)) == len(present) and len(present) > 1:
        return "id"
    return "str"


def _schema_constraints(prof: ColumnProfile, column: Any) -> None:
    for check in getattr(column, "checks", []) or []:
        stats = getattr(check, "statistics", None) or {}
        name = getattr(check, "name", "")
        if name == "isin" and "allowed_values" in stats:
            prof.allowed = list(stats["allowed_values"])
        elif name in ("in_range", "between"):
            prof.low, prof.high = _bound(prof, stats.get("min_value")), _bound(prof, stats.get("max_value"))
        elif name in ("greater_than_or_equal_to", "greater_than"):
            prof.low = _bound(prof, stats.get("min_value"))
        elif name in ("less_than_or_equal_to", "less_than"):
            prof.high = _bound(prof, stats.get("max_value"))
        elif name in ("str_matches", "str_contains") and "pattern" in stats:
            prof.pattern = str(stats["pattern"])


def _bound(prof: ColumnProfile, value: Any) -> float | None:
    if value is None:
        return None
    try:
        if prof.kind == "date":
            return float(dt.date.fromisoformat(str(value)[:10]).toordinal())
        return float(value)
    except (TypeError, ValueError):
        return None


def profile(header: list[str], rows: list[list[str]], schema: Any) -> dict[str, ColumnProfile]:
    """Column profiles of ``rows`` (cached by the identity of the rows list and schema)."""
    key = id(rows) ^ id(schema)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is rows:
        return hit[1]
    out = {}
    for i, name in enumerate(header):
        values = [r[i] for r in rows]
        prof = ColumnProfile(name, _kind(values), values, Counter(v for v in values if v))
        if prof.kind == "date":
            prof.date_format = detect(values)
        if prof.kind == "float":
            decs = {len(v.split(".", 1)[1]) if "." in v else 0 for v in values if v}
            prof.max_decimals = min(max(decs), 9) if decs else None
            prof.decimals = decs.pop() if len(decs) == 1 else None
        if schema is not None and name in getattr(schema, "columns", {}):
            _schema_constraints(prof, schema.columns[name])
        nums = prof.numeric() if prof.kind in ("int", "float", "date") else []
        if len(nums) > 2:
            diffs = [b - a for a, b in zip(nums, nums[1:])]
            prof.monotone = all(d >= 0 for d in diffs) and any(d > 0 for d in diffs)
            pos = Counter(round(d, 9) for d in diffs if d > 0)
            prof.step = pos.most_common(1)[0][0] if pos else None
        if len(values) > 1:
            prof.change_rate = sum(a != b for a, b in zip(values, values[1:])) / (len(values) - 1)
        out[name] = prof
    infer_column_sequences(out, len(rows))
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = (rows, out)
    return out


def infer_column_sequences(profs: dict[str, ColumnProfile], n: int) -> None:
    """Set ``sequence`` (and ``group_values``) on the int and date columns that step regularly."""
    start = max(0, n - TAIL)
    groups = {
        name: p.values[start:]
        for name, p in profs.items()
        if p.kind in ("str", "int") and 2 <= len(p.counts) <= max(2, n // 3)
    }
    for name, prof in profs.items():
        if prof.kind == "int":
            parse, write, is_date = int, str, False
        elif prof.kind == "date" and prof.date_format is not None:
            parse, write, is_date = prof.date_format.parse, prof.date_format.write, True
        else:
            continue
        seq = infer_sequence(name, prof.values[start:], parse, write, groups, is_date)
        if seq is not None:
            prof.sequence = seq
            prof.group_values = profs[seq.group].values if seq.group else None
            prof.successor = group_successor(groups[seq.group]) if seq.group else {}


def similarity(a: list[str], b: list[str], skip: int = -1) -> float:
    """Share of equal cells (ignoring column ``skip`` and cells empty in ``a``)."""
    pairs = [(x, y) for i, (x, y) in enumerate(zip(a, b)) if i != skip and x != ""]
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else 0.0


def log_prior(weight: float, total: float) -> float:
    """A cheap log-probability in the generators' ``ngram`` score slot."""
    return math.log(max(weight, 1e-9) / max(total, 1e-9))
