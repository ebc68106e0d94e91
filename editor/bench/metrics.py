"""Metrics for completion benchmarks."""

from __future__ import annotations

import math


def squash(text: str) -> str:
    """Text with all whitespace removed: em1/hit5 ignore whitespace."""
    return "".join(text.split())


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_similarity(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance (1.0 = identical)."""
    if not a and not b:
        return 1.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def mean_or_none(values: list[float], digits: int = 4) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def latency_summary(cold_ms: list[float], warm_ms: list[float]) -> dict:
    """``{"cold": {"p50", "p95"}, "warm": {...}}`` in ms, None where nothing was measured."""
    pct = lambda xs, q: round(percentile(xs, q), 1) if xs else None  # noqa: E731
    return {
        name: {"p50": pct(xs, 0.5), "p95": pct(xs, 0.95)}
        for name, xs in (("cold", cold_ms), ("warm", warm_ms))
    }
