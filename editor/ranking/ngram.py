"""The fallback ranker when no LLM is available: the generators' own cheap score."""

from __future__ import annotations

from typing import Sequence

from editor.candidates import Candidate
from editor.document import Slot
from editor.stages import StageContext, rankers


class NgramRanker:
    """Ranks by ``scores["ngram"]`` (mean natural-log probability per token)."""

    name = "ngram"

    def score(self, slot: Slot, candidates: Sequence[Candidate]) -> list[float]:
        del slot
        return [c.scores.get("ngram", float("-inf")) for c in candidates]


@rankers.register("ngram")
def make_ngram_ranker(ctx: StageContext) -> NgramRanker:
    del ctx
    return NgramRanker()
