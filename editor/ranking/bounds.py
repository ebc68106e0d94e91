"""What the draft already in the KV cache says about each candidate's score, for free.

After the LLM's greedy draft, sequence 0 holds the context and the draft, and the
next-token distribution at each of the draft's positions is known.  A candidate's
middle that follows the draft token for token up to some point has its log-probabilities
there read off those distributions; so does its first token off the draft, whose
distribution is the draft's at that depth.  Every later token and the end of the middle
have log-probability ≤ 0, so under ``sum`` normalisation:

* a middle that stays on the draft to its end, the end's distribution known, has its
  exact score (``exact=True``), at no cost;
* any other middle has an **upper bound**: the sum up to its first token off the draft.

The pipeline ranks only the candidates whose bound could still beat the best exact
score (``editor/ranking/pruning.py``); the others cannot be first, whatever their
remaining tokens cost, so they are not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from editor.ranking.results import ScoreResult
from editor.ranking.trie import end_logprob


@dataclass(frozen=True)
class PathBound:
    """A candidate's summed log-likelihood (``exact``) or an upper bound of it."""

    value: float
    exact: bool
    result: ScoreResult | None = None  # the per-token log-probabilities, when exact


def path_bound(
    seq0: list[int],
    dists: dict[int, np.ndarray],
    end_tokens: list[int],
    context: list[int],
    middle: list[int],
    scored_from: int,
) -> PathBound | None:
    """The bound of one middle after ``context`` (see the module docstring).

    ``dists[i]``: the log-softmax for token ``i`` of sequence 0 given the tokens before it.
    None when nothing is known: sequence 0 does not hold ``context``, or a distribution
    that the bound needs was not kept.
    """
    n = len(context)
    if seq0[:n] != context:
        return None
    lps: list[float] = []
    for j, tok in enumerate(middle):
        if j >= scored_from:
            dist = dists.get(n + j)
            if dist is None:
                return None
            lps.append(float(dist[tok]))
        if n + j >= len(seq0) or seq0[n + j] != tok:
            return PathBound(sum(lps), exact=False)
    dist = dists.get(n + len(middle))
    if dist is None:
        return PathBound(sum(lps), exact=False)
    end = end_logprob(dist, end_tokens)
    return PathBound(sum(lps) + end, exact=True, result=ScoreResult(lps, end))
