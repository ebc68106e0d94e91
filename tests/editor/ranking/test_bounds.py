"""Bounds read off the draft in the KV cache: exact where a middle stays on it, else never below the score."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.ranking.bounds import path_bound
from editor.ranking.trie import end_logprob

VOCAB = 6
END = [5]


def _dist(prefix: tuple[int, ...]) -> np.ndarray:
    """A fixed toy language model: a log-softmax that depends on the whole prefix."""
    rng = np.random.default_rng(abs(hash(prefix)) % (2**32))
    logits = rng.normal(0, 2, VOCAB)
    return logits - np.log(np.exp(logits).sum())


def _true_score(context, middle, scored_from):
    lps = [_dist(tuple(context + middle[:j]))[tok] for j, tok in enumerate(middle) if j >= scored_from]
    return sum(lps) + end_logprob(_dist(tuple(context + middle)), END)


def _cache(context, draft):
    """Sequence 0 after a draft: the tokens, and the distributions along the draft."""
    seq0 = context + draft
    dists = {i: _dist(tuple(seq0[:i])) for i in range(len(context), len(seq0) + 1)}
    return seq0, dists


def test_a_middle_on_the_draft_to_its_end_is_scored_exactly():
    context, draft = [1, 2], [3, 0, 4]
    seq0, dists = _cache(context, draft)
    for middle in ([3], [3, 0], [3, 0, 4]):
        bound = path_bound(seq0, dists, END, context, middle, 0)
        assert bound is not None and bound.exact
        assert math.isclose(bound.value, _true_score(context, middle, 0))
        assert math.isclose(bound.result.total("sum"), bound.value)


def test_a_middle_off_the_draft_gets_the_sum_up_to_its_first_token_off_it():
    context, draft = [1, 2], [3, 0, 4]
    seq0, dists = _cache(context, draft)
    bound = path_bound(seq0, dists, END, context, [3, 1, 1], 0)
    assert bound is not None and not bound.exact
    assert math.isclose(bound.value, dists[2][3] + dists[3][1])
    assert bound.value >= _true_score(context, [3, 1, 1], 0)


def test_nothing_is_known_without_the_context_or_a_distribution():
    context, draft = [1, 2], [3, 0]
    seq0, dists = _cache(context, draft)
    assert path_bound(seq0, dists, END, [1, 3], [3], 0) is None
    del dists[3]
    assert path_bound(seq0, dists, END, context, [3, 0], 0) is None


def test_tokens_before_scored_from_condition_but_do_not_count():
    context, draft = [1, 2], [3, 0, 4]
    seq0, dists = _cache(context, draft)
    bound = path_bound(seq0, dists, END, context, [3, 0, 4], 1)
    assert math.isclose(bound.value, _true_score(context, [3, 0, 4], 1))
    # off the draft inside the unscored part: nothing scored is known, and 0 bounds any sum
    off = path_bound(seq0, dists, END, context, [1, 0], 1)
    assert off is not None and not off.exact and off.value == 0.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, VOCAB - 2), min_size=1, max_size=5),
    st.lists(st.integers(0, VOCAB - 2), min_size=1, max_size=5),
    st.integers(0, 2),
)
def test_the_bound_is_never_below_the_true_score(draft, middle, scored_from):
    context = [1, 2]
    scored_from = min(scored_from, len(middle) - 1)
    seq0, dists = _cache(context, draft)
    bound = path_bound(seq0, dists, END, context, middle, scored_from)
    assert bound is not None
    truth = _true_score(context, middle, scored_from)
    if bound.exact:
        assert math.isclose(bound.value, truth, abs_tol=1e-9)
    else:
        assert bound.value >= truth - 1e-9
