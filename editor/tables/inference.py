"""What the data supports beyond one column: primary keys and row-wise relations.

* :func:`primary_key`: the fewest columns (at most three) that are unique and never empty
  on every row.  Candidates are key-like columns only: dates, sequences, id-like and text
  columns, and integers with few distinct values (``quarter``); a measurement that happens
  to be unique (a volume, a price) is not a key.
* :func:`ordered_pairs`: ``a <= b`` that holds on every row where both are numbers, for
  columns on a comparable scale (their observed ranges overlap by at least half the smaller
  one) that meet or come close on some row (the smallest gap is at most a quarter of the
  median gap: ``Low`` touches ``Open``; two sectors that merely never cross are left out); pairs implied by two others are left out
  (``Low <= Open <= High`` drops ``Low <= High``).
* :func:`sums`: ``total = a + b`` on every row, within the columns' rounding.

All work on a frame of numbers and strings (pandas), as ``gfv infer-schema`` reads a table.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

MAX_SUM_COLUMNS = 30
MIN_ROWS = 5
_ID_NAME = re.compile(r"(^|_)(id|key|code|no|nr|num)$|^(obs|index|iata)$", re.I)


def _numeric(frame: Any) -> dict[str, Any]:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    out = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out[name] = pd.to_numeric(col, errors="coerce").astype(float)
    return out


def key_like(frame: Any, special: set[str]) -> list[str]:
    """Columns that may take part in a key (``special``: date and sequence columns)."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    n = len(frame)
    out = []
    for name in frame.columns:
        col = frame[name]
        if col.isna().any():
            continue
        if name in special or _ID_NAME.search(str(name)):
            out.append(name)
        elif pd.api.types.is_float_dtype(col):
            continue
        elif pd.api.types.is_integer_dtype(col):
            if col.nunique() <= max(2, n // 3):
                out.append(name)
        elif col.astype(str).str.len().mean() <= 30:  # text: codes and names, not free prose
            out.append(name)
    return out


def primary_key(frame: Any, special: set[str] | None = None, max_columns: int = 3) -> tuple[str, ...] | None:
    """The smallest unique, never-empty column group among the key-like columns (None if none)."""
    n = len(frame)
    if n < MIN_ROWS:
        return None
    special = special or set()
    cols = key_like(frame, special)
    rank = {c: (0 if c in special else 1 if _ID_NAME.search(str(c)) else 2, i) for i, c in enumerate(cols)}
    cols = sorted(cols, key=lambda c: rank[c])[:12]
    for size in range(1, max_columns + 1):
        for group in itertools.combinations(cols, size):
            if size > 1 and any(frame[c].is_unique for c in group):
                continue  # a smaller key already covers it
            if not frame.duplicated(subset=list(group)).any():
                return tuple(sorted(group, key=list(frame.columns).index))
    return None


def _overlap(x: Any, y: Any) -> bool:
    lo, hi = max(x.min(), y.min()), min(x.max(), y.max())
    smaller = min(x.max() - x.min(), y.max() - y.min())
    return hi - lo >= 0.5 * smaller and smaller > 0


def ordered_pairs(frame: Any, skip: set[str] | None = None) -> list[tuple[str, str]]:
    """``(a, b)`` with ``a <= b`` on every row (both present), strictly on some, transitively reduced."""
    if len(frame) < MIN_ROWS:
        return []
    nums = {
        k: v for k, v in _numeric(frame).items() if k not in (skip or set()) and v.notna().sum() >= MIN_ROWS
    }
    found = []
    for a, b in itertools.permutations(nums, 2):
        x, y = nums[a], nums[b]
        both = x.notna() & y.notna()
        if both.sum() < MIN_ROWS or not _overlap(x[both], y[both]):
            continue
        gap = y[both] - x[both]
        if (gap >= 0).all() and (gap > 0).any() and gap.min() <= 0.25 * gap.median():
            found.append((a, b))
    pairs = set(found)
    return [
        (a, c)
        for a, c in found
        if not any((a, b) in pairs and (b, c) in pairs for b in nums if b not in (a, c))
    ]


def _tolerance(col: Any) -> float:
    """Half a unit of the column's last written decimal (rounding), at least 1e-9."""
    text = col.dropna().astype(str)
    decimals = text.str.split(".").str[1].str.len().max() if text.str.contains(r"\.").any() else 0
    decimals = 0 if decimals != decimals else int(decimals)
    return max(10.0**-decimals * 0.51, 1e-9)


def sums(frame: Any, skip: set[str] | None = None) -> list[tuple[str, tuple[str, str], float]]:
    """``(total, (a, b), tolerance)`` with ``total = a + b`` on every row (all present, parts not all zero)."""
    if len(frame) < MIN_ROWS:
        return []
    nums = {
        k: v for k, v in _numeric(frame).items() if k not in (skip or set()) and v.notna().sum() >= MIN_ROWS
    }
    if len(nums) > MAX_SUM_COLUMNS or len(nums) < 3:
        return []
    import numpy as np  # pylint: disable=import-outside-toplevel

    names = list(nums)
    values = {k: v.to_numpy(dtype=float) for k, v in nums.items()}
    nonzero = {k for k, v in values.items() if np.any(np.nan_to_num(v) != 0)}
    tol = {k: _tolerance(frame[k]) for k in names}
    out = []
    for total in names:
        t = values[total]
        for a, b in itertools.combinations([c for c in names if c != total and c in nonzero], 2):
            rest = t - values[a] - values[b]
            every = ~np.isnan(rest)
            if every.sum() < MIN_ROWS:
                continue
            limit = tol[total] + tol[a] + tol[b]
            if np.all(np.abs(rest[every]) <= limit):
                out.append((total, (a, b), round(limit, 12)))
    return out
