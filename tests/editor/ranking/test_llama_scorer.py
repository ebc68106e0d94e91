"""The real Qwen scorer: log-probabilities, KV-cache reuse and shared-prefix batching."""

import math

import numpy as np
import pytest

from editor.ranking.generation import PromptLookup
from editor.ranking.trie import build_trie

PREFIX = "import os\n\n\ndef list_python_files(root):\n    result = []\n    for dirpath, dirnames, filenames in os.walk(root):\n"
SUFFIX = "\n    return result\n"
TYPED = "        for name in "
CANDS = ["filenames:", "dirnames:", "sorted(filenames):", "range(10):"]


def _lcp(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _inputs(scorer):
    ctx = scorer.fim_context(PREFIX, SUFFIX)
    typed = scorer.tokenize(TYPED)
    middles = [scorer.tokenize(TYPED + c) for c in CANDS]
    return ctx, middles, [_lcp(m, typed) for m in middles]


def test_logprobs_match_a_log_softmax_of_sequentially_computed_logits(scorer, model_path):
    """Guards the llama-cpp-python log-probability pitfalls (off-by-one, unnormalised logits)."""
    from llama_cpp import Llama

    ctx, middles, starts = _inputs(scorer)
    results = scorer.score(ctx, middles, starts)
    ref = Llama(str(model_path), n_ctx=1024, logits_all=True, verbose=False, n_threads=2)
    try:
        for middle, start, res in zip(middles, starts, results):
            toks = ctx + middle
            ref.reset()
            ref.eval(toks)
            logits = np.asarray(ref.scores[: len(toks)], dtype=np.float64)
            expected = []
            for j in range(len(ctx) + start, len(toks)):
                row = logits[j - 1]
                expected.append(row[toks[j]] - (row.max() + math.log(np.exp(row - row.max()).sum())))
            assert len(res.token_logprobs) == len(expected)
            # batched and sequential matmuls differ slightly in a 4-bit model; pitfalls differ by nats
            assert np.allclose(res.token_logprobs, expected, atol=0.35), (res.token_logprobs, expected)
            assert all(lp <= 0 for lp in res.token_logprobs) and res.end_logprob <= 0
    finally:
        ref.close()


def test_the_likely_candidate_wins(scorer):
    ctx, middles, starts = _inputs(scorer)
    totals = [r.total("mean") for r in scorer.score(ctx, middles, starts)]
    assert CANDS[int(np.argmax(totals))] == "filenames:"
    assert totals[CANDS.index("range(10):")] < totals[CANDS.index("filenames:")]


def test_second_request_reuses_the_kv_cache(scorer):
    ctx, middles, starts = _inputs(scorer)
    first = scorer.score(ctx, middles, starts)
    # the user types one more character; new candidates: only they are evaluated, the context is cached
    typed = scorer.tokenize(TYPED + "f")
    more = [scorer.tokenize(TYPED + "f" + rest) for rest in ("iles_seen:", "oo_bar:")]
    scorer.score(ctx, more, [_lcp(m, typed) for m in more])
    assert scorer.stats.last["reused_tokens"] >= len(ctx)
    assert scorer.stats.last["context_tokens"] <= 3
    assert scorer.stats.last["cached_candidates"] == 0
    # a request for candidates already scored in this context costs no LLM work and gives the same scores
    again = scorer.score(ctx, middles, starts)
    assert scorer.stats.last["cached_candidates"] == len(middles)
    assert scorer.stats.last["candidate_tokens"] == 0 and scorer.stats.last["context_tokens"] == 0
    assert [r.total() for r in again] == pytest.approx([r.total() for r in first])


def test_cold_reset_forgets_the_caches(scorer):
    ctx, middles, starts = _inputs(scorer)
    first = scorer.score(ctx, middles, starts)
    scorer.reset()
    cold = scorer.score(ctx, middles, starts)
    assert scorer.stats.last["context_tokens"] >= len(ctx) and scorer.stats.last["cached_candidates"] == 0
    assert [r.total() for r in cold] == pytest.approx([r.total() for r in first], abs=0.05)


def test_one_thread_scores_as_all_threads_do_and_more_are_not_taken(scorer):
    ctx, middles, starts = _inputs(scorer)
    scorer.reset()
    both = [r.total() for r in scorer.score(ctx, middles, starts)]
    try:
        scorer.use_threads(1)
        assert scorer._threads_now == 1  # pylint: disable=protected-access
        scorer.reset()
        one = [r.total() for r in scorer.score(ctx, middles, starts)]
        scorer.use_threads(scorer.threads + 8)  # never more than configured
        assert scorer._threads_now == scorer.threads  # pylint: disable=protected-access
    finally:
        scorer.use_threads(scorer.threads)
    assert one == pytest.approx(both, abs=0.05)


def test_greedy_generation_continues_the_middle(scorer):
    ctx = scorer.fim_context(PREFIX, SUFFIX)
    text, n = scorer.generate(ctx + scorer.tokenize(TYPED))
    assert n >= 1 and "filenames" in text and "\n" not in text


def test_a_floor_stops_generation_once_the_line_is_unlikely(scorer):
    ctx = scorer.fim_context(LONG_PREFIX, SUFFIX) + scorer.tokenize(LONG_TYPED)
    full, n = scorer.generate(ctx, max_tokens=30)
    lps = list(scorer.last_logprobs)
    assert not scorer.last_cut and n >= 4 and lps[3] < 0
    floor = sum(lps[:3]) + lps[3] / 2  # three chosen tokens stay above it, the fourth takes the sum below
    cut, m = scorer.generate(ctx, max_tokens=30, floor=floor)
    assert scorer.last_cut and m == 3 and full.startswith(cut)
    scorer.generate(ctx, max_tokens=30, floor=sum(lps) - 1.0)
    assert not scorer.last_cut  # a floor below the whole line never cuts it


def test_candidates_sharing_a_prefix_share_the_work(scorer):
    ctx = scorer.fim_context(PREFIX, SUFFIX)
    typed = scorer.tokenize(TYPED)
    cands = ["sorted(filenames):", "sorted(dirnames):", "sorted(filenames, reverse=True):"]
    middles = [scorer.tokenize(TYPED + c) for c in cands]
    starts = [_lcp(m, typed) for m in middles]
    scorer.score(ctx, middles, starts)
    unshared = sum(len(m) - min(starts) for m in middles)
    assert scorer.stats.last["candidate_tokens"] < unshared


LONG_PREFIX = PREFIX + "        for name in filenames:\n            if name.endswith('.py'):\n"
LONG_TYPED = "                "


def _long_context(scorer):
    return scorer.fim_context(LONG_PREFIX, SUFFIX) + scorer.tokenize(LONG_TYPED)


def test_lookahead_drafts_give_exactly_the_greedy_completion_in_fewer_decodes(scorer):
    ctx = _long_context(scorer)
    scorer.reset()
    start = scorer.stats.decodes
    plain, n_plain = scorer.generate(ctx, max_tokens=30)
    plain_decodes = scorer.stats.decodes - start
    assert n_plain >= 6 and plain_decodes >= n_plain  # one decode call per token
    scorer.reset()
    start = scorer.stats.decodes
    wrong = scorer.tokenize(" result.extend(names)")
    right = scorer.tokenize(plain)
    assert scorer.generate(ctx, max_tokens=30, lookahead=[wrong, right]) == (plain, n_plain)
    # the prefill, the first token's call, then the right draft verified in one call
    assert scorer.stats.decodes - start <= 3 < plain_decodes


def test_a_wrong_draft_does_not_change_the_greedy_completion(scorer):
    ctx = _long_context(scorer)
    scorer.reset()
    plain = scorer.generate(ctx, max_tokens=30)
    scorer.reset()
    half_right = scorer.tokenize(" result.append(os.path.basename(name))")
    assert scorer.generate(ctx, max_tokens=30, lookahead=[half_right]) == plain


REPEAT_PREFIX = (
    "def area(shape):\n    width = shape.width_in_pixels\n    height = shape.height_in_pixels\n"
    "    return width * height\n\n\ndef perimeter(shape):\n    width = shape.width_in_pixels\n    "
)


def test_prompt_lookup_gives_the_greedy_completion_in_fewer_decodes(scorer):
    """The document's own repeat (``height = shape.height_in_pixels``) is verified in batches."""
    ctx = scorer.fim_context(REPEAT_PREFIX, "\n    return 2 * (width + height)\n")
    scorer.reset()
    start = scorer.stats.decodes
    plain = scorer.generate(ctx, max_tokens=30)
    plain_decodes = scorer.stats.decodes - start
    assert "height_in_pixels" in plain[0]
    scorer.reset()
    start, kept = scorer.stats.decodes, scorer.stats.draft_tokens
    assert scorer.generate(ctx, max_tokens=30, lookup=PromptLookup(ctx)) == plain
    assert scorer.stats.draft_tokens > kept and scorer.stats.decodes - start < plain_decodes


def test_a_checkpoint_cancels_between_decode_calls_and_the_cache_stays_consistent(scorer):
    from editor.ranking.llama_scorer import CHECKPOINT_CHUNK, Cancelled

    ctx, middles, starts = _inputs(scorer)
    scorer.reset()
    expected = [r.total() for r in scorer.score(ctx, middles, starts)]
    scorer.reset()
    calls = []
    scorer.checkpoint = lambda: calls.append(1) or len(calls) > 1  # let one chunk through, then cancel
    try:
        with pytest.raises(Cancelled):
            scorer.prefill(ctx)
    finally:
        scorer.checkpoint = None
    assert len(ctx) > CHECKPOINT_CHUNK and len(calls) == 2
    assert len(scorer._seq0) == CHECKPOINT_CHUNK  # pylint: disable=protected-access
    scorer.forget_scores()
    again = [r.total() for r in scorer.score(ctx, middles, starts)]
    assert again == pytest.approx(expected, abs=1e-3)


def test_ranking_after_a_draft_follows_its_path_and_scores_as_a_cold_ranking(scorer):
    """The draft's tokens are in the KV cache with their distributions: the trie reuses them."""
    ctx = scorer.fim_context(LONG_PREFIX, SUFFIX)
    typed = scorer.tokenize(LONG_TYPED)
    scorer.reset()
    _, n = scorer.generate(ctx + typed, max_tokens=30)
    # the generated tokens in the cache (a last token that holds the line's end is not evaluated)
    draft = scorer._seq0[len(ctx) + len(typed) :]  # pylint: disable=protected-access
    assert n - 1 <= len(draft) <= n and len(draft) >= 4
    n = len(draft)
    other = scorer.tokenize(" yield os.path.basename(name)")
    assert other[0] != draft[0]
    middles = [typed + draft, typed + draft[:2] + other[:3], typed + other]
    starts = [len(typed)] * 3
    decodes = scorer.stats.decodes
    warm = scorer.score(ctx, middles, starts)
    reused = scorer.stats.last["path_tokens"]
    evaluated = scorer.stats.last["candidate_tokens"]
    _, nodes = build_trie([m[len(typed) :] for m in middles])
    assert reused == n  # the draft's own tokens, the second candidate's first two among them
    assert evaluated == len(nodes) - n  # only the tokens off the path
    assert scorer.stats.decodes - decodes == 1
    scorer.reset()
    cold = scorer.score(ctx, middles, starts)
    assert scorer.stats.last["path_tokens"] == 0
    assert [r.total() for r in warm] == pytest.approx([r.total() for r in cold], abs=0.1)


def test_bounds_after_a_draft_are_free_exact_on_it_and_never_below_the_score_off_it(scorer):
    """editor/ranking/bounds.py with the real model: nothing is evaluated, and a cold ranking agrees."""
    ctx = scorer.fim_context(LONG_PREFIX, SUFFIX)
    typed = scorer.tokenize(LONG_TYPED)
    scorer.reset()
    scorer.generate(ctx + typed, max_tokens=30)
    draft = scorer._seq0[len(ctx) + len(typed) :]  # pylint: disable=protected-access
    other = scorer.tokenize(" yield os.path.basename(name)")
    middles = [typed + draft, typed + draft[:2] + other[:3], typed + other]
    starts = [len(typed)] * 3
    decodes = scorer.stats.decodes
    bounds = scorer.bounds(ctx, middles, starts)
    assert scorer.stats.decodes == decodes
    assert [b.exact for b in bounds] == [True, False, False]
    scorer.reset()
    cold = [r.total("sum") for r in scorer.score(ctx, middles, starts)]
    assert bounds[0].value == pytest.approx(cold[0], abs=0.1)
    assert all(b.value >= c - 0.1 for b, c in zip(bounds, cold))
    assert bounds[2].value > cold[2] + 0.5  # the rest of a line off the draft costs something
    # after a reset nothing of a draft is in the cache: no bound, except from the score cache
    scorer.reset()
    assert scorer.bounds(ctx, middles, starts) == [None, None, None]


def test_token_texts_are_exact_and_healing_forces_a_word_no_token_covers(scorer):
    tok = scorer.tokenize(" result")[0]
    assert scorer.token_text(tok) == " result"  # no padding
    ctx = scorer.fim_context("def main(argv):\n", "\n")
    text, _ = scorer.generate(ctx + scorer.tokenize("    return"), max_tokens=12, heal=" xq_zzy")
    assert text.startswith(" xq_zzy")


def test_healing_holds_when_the_cache_already_continues_the_first_token_otherwise(scorer):
    # The cache holds greedy's own line; a heal that starts like greedy's first token and then
    # differs must not be overridden by that cached continuation (it is what greedy would pick,
    # but not what the typed text allows).
    ctx = scorer.fim_context("def main(argv):\n", "\n") + scorer.tokenize("    return")
    free, n = scorer.generate(ctx, max_tokens=12)
    assert n >= 2
    first = scorer.token_text(scorer.tokenize(free)[0])
    heal = first + "qzx_total"
    healed, _ = scorer.generate(ctx, max_tokens=12, heal=heal)
    assert healed.startswith(heal), (free, healed)


def test_a_draft_held_to_header_words_starts_with_one_whole(scorer):
    """Above a deeper body only a block header is valid (editor/slot_shape.py): the first token
    is the likeliest of those that spell a header word, after the healed space of the indent."""
    prefix = "def total(items):\n    count = 0\n"
    suffix = "\n        count += item.size\n    return count\n"
    ctx = scorer.fim_context(prefix, suffix)
    free, _ = scorer.generate(ctx + scorer.tokenize("   "), max_tokens=16, heal=" ")
    held, _ = scorer.generate(ctx + scorer.tokenize("   "), max_tokens=16, heal=" ", starts=("if", "while"))
    assert held.split()[0] in ("if", "while") and held.startswith(" ")  # " if ...": the healed space kept
    assert not held.split()[0].startswith(("for", "return"))
    assert free.split()[0] == "for"  # unheld, the model's line is the loop: the words held it
