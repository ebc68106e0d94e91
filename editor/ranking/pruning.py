"""Rank only the candidates that could still come first (``sum`` normalisation).

A candidate's final score is ``blend * llm + (1 - blend) * cheap``, where ``cheap`` is
its n-gram score (or the pool's mean).  The ranker's ``bounds`` give some candidates'
``llm`` exactly for free (the draft, and whatever follows it to its end) and an upper
bound for the others (editor/ranking/bounds.py).  A candidate whose best possible final
score does not exceed the best exact one cannot be first, so its remaining tokens are
not evaluated: it keeps its bound, and ranks below the best.

When no score is known exactly, every candidate is scored.  Scoring the draft first to
get that bar costs a decode call of its own (~43 ms on 2 cores), and measured on click (a
tuning corpus) it saved no more than that: a candidate's bound counts only its first
token off the draft, and under ``sum`` normalisation a long draft's score is low, so
few bounds fall below it.  Pruning is free when it happens, never a cost.

The first candidate is exactly the one full ranking would put first; the order below
it may differ where a bound stands in for a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from editor.candidates import Candidate
from editor.document import Slot


@dataclass(frozen=True)
class LlmScore:
    """A candidate's LLM score, or (``exact`` False) an upper bound that kept it from being ranked."""

    value: float
    exact: bool


def rank_pool(
    ranker, slot: Slot, pool: Sequence[Candidate], cheap: Sequence[float], blend: float
) -> tuple[list[LlmScore], float | None]:
    """The pool's LLM scores (module docstring) and the best exact final score the bounds were held to, if any."""
    bounds = ranker.bounds(slot, pool) if hasattr(ranker, "bounds") else [None] * len(pool)
    known: dict[int, float] = {i: b.value for i, b in enumerate(bounds) if b is not None and b.exact}
    best = max((blend * v + (1 - blend) * cheap[i] for i, v in known.items()), default=None)

    def may_pass(i: int) -> bool:
        bound = bounds[i]
        return best is None or bound is None or blend * bound.value + (1 - blend) * cheap[i] > best

    todo = [i for i in range(len(pool)) if i not in known and may_pass(i)]
    if todo:
        known.update(zip(todo, ranker.score(slot, [pool[i] for i in todo])))
    out = []
    for i, bound in enumerate(bounds):
        if i in known:
            out.append(LlmScore(known[i], True))
        else:
            assert bound is not None  # only a bounded candidate is left out
            out.append(LlmScore(bound.value, False))
    return out, best
