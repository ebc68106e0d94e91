"""Ranking only what can still come first: the first candidate is the one full ranking picks."""

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.candidates import Candidate
from editor.ranking.bounds import PathBound
from editor.ranking.pruning import rank_pool


class FakeRanker:
    """True scores per text; bounds given per text (None, exact, or a slack above the truth)."""

    def __init__(self, truth: dict[str, float], slack: dict[str, float | None]):
        self.truth, self.slack, self.scored = truth, slack, []

    def bounds(self, slot, cands):
        out = []
        for c in cands:
            slack = self.slack[c.text]
            if slack is None:
                out.append(None)
            else:
                out.append(PathBound(self.truth[c.text] + slack, exact=slack == 0.0))
        return out

    def score(self, slot, cands):
        self.scored.append([c.text for c in cands])
        return [self.truth[c.text] for c in cands]


def _cands(texts, draft=None):
    return [Candidate(text=t, source="llm_draft" if t == draft else "ngram") for t in texts]


def test_candidates_that_cannot_beat_the_exact_best_are_not_scored():
    ranker = FakeRanker({"a": -1.0, "b": -5.0, "c": -0.5}, {"a": 0.0, "b": 2.0, "c": 1.0})
    scores, best = rank_pool(ranker, None, _cands("abc"), [0.0, 0.0, 0.0], 1.0)
    assert best == -1.0
    assert ranker.scored == [["c"]]  # b's bound -3.0 cannot pass -1.0; c's -0.5+1.0 can
    assert [(s.value, s.exact) for s in scores] == [(-1.0, True), (-3.0, False), (-0.5, True)]


def test_without_an_exact_score_every_candidate_is_scored_in_one_call():
    ranker = FakeRanker({"d": -1.0, "b": -5.0, "c": -4.0}, {"d": 0.5, "b": 1.0, "c": 3.5})
    scores, best = rank_pool(ranker, None, _cands("dbc", draft="d"), [0.0, 0.0, 0.0], 1.0)
    assert ranker.scored == [["d", "b", "c"]]
    assert best is None and all(s.exact for s in scores)


def test_the_cheap_part_of_the_final_score_counts_in_the_bound():
    ranker = FakeRanker({"a": -1.0, "b": -2.0}, {"a": 0.0, "b": 0.5})
    rank_pool(ranker, None, _cands("ab"), [0.0, 10.0], 0.85)
    assert ranker.scored == [["b"]]  # its n-gram score may lift it over a


def test_no_bounds_means_every_candidate_is_scored():
    ranker = FakeRanker({"a": -1.0, "b": -2.0}, {"a": None, "b": None})
    scores, best = rank_pool(ranker, None, _cands("ab"), [0.0, 0.0], 0.85)
    assert ranker.scored == [["a", "b"]] and best is None and all(s.exact for s in scores)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-20, 0),
            st.one_of(st.none(), st.just(0.0), st.floats(0.01, 10)),
            st.floats(-10, 0),
        ),
        min_size=1,
        max_size=8,
    ),
    st.floats(0.5, 1.0),
)
def test_the_first_candidate_is_the_one_full_ranking_puts_first(rows, blend):
    texts = [f"c{i}" for i in range(len(rows))]
    truth = {t: r[0] for t, r in zip(texts, rows)}
    slack = {t: r[1] for t, r in zip(texts, rows)}
    cheap = [r[2] for r in rows]
    ranker = FakeRanker(truth, slack)
    scores, _ = rank_pool(ranker, None, _cands(texts, draft="c0"), cheap, blend)
    full = [blend * truth[t] + (1 - blend) * c for t, c in zip(texts, cheap)]
    pruned = [blend * s.value + (1 - blend) * c for s, c in zip(scores, cheap)]
    best = max(range(len(texts)), key=lambda i: full[i])
    top = max(range(len(texts)), key=lambda i: pruned[i])
    assert scores[top].exact
    assert abs(full[top] - full[best]) < 1e-9  # the same candidate, or one that ties with it
