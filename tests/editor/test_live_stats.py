"""LiveStats.timed_prefill: a finished prefill is recorded with its scorer's work, a cancelled one is not."""

from __future__ import annotations

import pytest

from editor.live_stats import LiveStats
from editor.ranking.results import ScorerStats


def test_a_finished_prefill_records_the_tokens_and_decode_time_it_added():
    stats, scorer = LiveStats(), ScorerStats(context_tokens=100, decode_ms=50.0, fewer_threads_ms=10.0)
    with stats.timed_prefill(scorer):
        scorer.context_tokens += 300
        scorer.decode_ms += 2000.0
        scorer.fewer_threads_ms += 500.0
    (record,) = stats.prefill_timings
    assert record["tokens"] == 300 and record["decode_ms"] == 2000.0 and record["fewer_threads_ms"] == 500.0
    assert 0.0 <= record["ms"] < 2000.0  # a real clock: nothing was decoded here


def test_a_cancelled_prefill_records_nothing():
    stats, scorer = LiveStats(), ScorerStats()
    with pytest.raises(RuntimeError):
        with stats.timed_prefill(scorer):
            scorer.context_tokens += 16
            raise RuntimeError("cancelled")
    assert stats.prefill_timings == []
