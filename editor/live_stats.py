"""What a live session (editor/live.py) did: counts and timings for the benchmark and the status bar."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class LiveStats:
    """What the session did, for the benchmark and the status bar."""

    quick: int = 0
    continued: int = 0
    refined: int = 0
    post_checked: int = 0
    removed_by_post: int = 0
    prefetched: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)
    timings: list[dict[str, float]] = field(default_factory=list)  # per quick answer, by stage (ms)
    refine_timings: list[dict[str, float]] = field(default_factory=list)  # per refinement, by stage (ms)
    # per finished prefetch (timed_prefill)
    prefill_timings: list[dict[str, float]] = field(default_factory=list)

    @contextmanager
    def timed_prefill(self, scorer_stats: Any) -> Iterator[None]:
        """Record a prefetch's prefill if it finishes: its wall time, the context tokens it
        evaluated, its time in llama.cpp's decode calls (the rest: waits at checkpoints) and, of
        that, on fewer threads than configured (company: editor/live.py)."""
        start, before = time.perf_counter(), dict(vars(scorer_stats))
        yield
        self.prefill_timings.append({
            "ms": round((time.perf_counter() - start) * 1000, 1),
            "tokens": scorer_stats.context_tokens - before["context_tokens"],
            "decode_ms": round(scorer_stats.decode_ms - before["decode_ms"], 1),
            "fewer_threads_ms": round(scorer_stats.fewer_threads_ms - before["fewer_threads_ms"], 1),
        })  # fmt: skip
