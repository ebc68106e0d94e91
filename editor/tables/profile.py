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

_ID = re.compile(r"^([A-Za-z]+[-_]?)(\d+)$")
_CACHE: dict[int, tuple[Any, dict[str, "ColumnProfile"]]] = {}


@dataclass
class ColumnProfile:  # pylint: disable=too-many-instance-attributes
    name: str
    kind: str  # "int", "float", "date", "id", "str"
    values: list[str]  # in file order, empties included
    counts: Counter = field(default_factory=Counter)
    decimals: int | None = None  # fixed decimals of a float column, None when mixed
    allowed: list[Any] | None = None  # schema isin
    low: float | None = None  # schema range (numbers) or ISO date bounds as ordinals
    high: float | None = None
    pattern: str | None = None  # schema str_matches
    monotone: bool = False  # non-decreasing in file order
    step: float | None = None  # most common positive step of a monotone column
    change_rate: float = 0.0  # how often consecutive rows differ here

    def fmt(self, value: float) -> str:
        """A number written like this column writes its numbers."""
        if self.kind == "int":
            return str(int(round(value)))
        if self.decimals is not None:
            return f"{value:.{self.decimals}f}"
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
            return float(dt.date.fromisoformat(text).toordinal())
        return float(text)

    def render(self, value: float) -> str:
        if self.kind == "date":
            return dt.date.fromordinal(int(value)).isoformat()
        return self.fmt(value)

    def next_values(self) -> list[str]:
        """Where a monotone column goes next: the last value and the last + step."""
        present = [v for v in self.values if v]
        if not present:
            return []
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
        return "int"
    if all_of(float):
        return "float"
    if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in present) and all_of(dt.date.fromisoformat):
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
        if prof.kind == "float":
            decs = {len(v.split(".", 1)[1]) if "." in v else 0 for v in values if v}
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
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = (rows, out)
    return out


def similarity(a: list[str], b: list[str], skip: int = -1) -> float:
    """Share of equal cells (ignoring column ``skip`` and cells empty in ``a``)."""
    pairs = [(x, y) for i, (x, y) in enumerate(zip(a, b)) if i != skip and x != ""]
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else 0.0


def log_prior(weight: float, total: float) -> float:
    """A cheap log-probability in the generators' ``ngram`` score slot."""
    return math.log(max(weight, 1e-9) / max(total, 1e-9))
