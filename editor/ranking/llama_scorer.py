"""Score continuations with a llama.cpp model, keeping the shared context in the KV cache.

How a scoring call works (see :meth:`LlamaScorer.score`):

1. The *context* tokens (FIM prefix/suffix, or plain left-to-right text) plus the
   middle tokens that every candidate shares form sequence 0 of the KV cache.  Only
   the part that differs from the previous call is evaluated: a second request in
   the same document re-evaluates what changed and nothing else.
2. The candidates' remaining tokens form a trie.  Every trie node is one token in a
   single ``llama_batch``, tagged with the sequence ids of all candidates that pass
   through it, so candidates that share a prefix share that work, and all of them are
   evaluated in one decode call (``kv_unified`` lets the sequences share the context).
3. Log-probabilities are computed here, as a log-softmax over the raw logits in
   float64, never taken from llama-cpp-python's completion API.
"""

from __future__ import annotations

import ctypes
import math
import time
from pathlib import Path

import numpy as np

from editor.errors import ExitCode, GfvError
from editor.ranking.bounds import PathBound, path_bound
from editor.ranking.generation import GreedyGeneration
from editor.ranking.results import ScoreResult, ScorerStats
from editor.ranking.trie import build_trie, common_prefix, fill_batch, known_depths, on_path, tail_results

MAX_SEQUENCES = 64
CHECKPOINT_CHUNK = 16  # tokens per decode call while a checkpoint is set (about 0.1 s on 2 cores)


class Cancelled(Exception):
    """The work was cancelled (``LlamaScorer.checkpoint`` said so) between two decode calls."""


def _log_softmax_at(logits_ptr, n_vocab: int, tokens: list[int]) -> tuple[list[float], np.ndarray]:
    """Log-probabilities of ``tokens`` and the full log-softmax vector, from raw logits."""
    raw = np.ctypeslib.as_array(logits_ptr, shape=(n_vocab,)).astype(np.float64)
    peak = raw.max()
    lse = peak + math.log(np.exp(raw - peak).sum())
    logp = raw - lse
    return [float(logp[t]) for t in tokens], logp


class LlamaScorer(GreedyGeneration):
    """A loaded GGUF model with one context whose KV cache persists across calls."""

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int = 2, n_batch: int = 512) -> None:
        # Imported here so that the core imports (and tests run) without llama.cpp loaded.
        import llama_cpp  # pylint: disable=import-outside-toplevel
        from llama_cpp import _internals  # pylint: disable=import-outside-toplevel

        self._lib = llama_cpp
        llama_cpp.llama_log_set(_silent_log, ctypes.c_void_p(0))
        mparams = llama_cpp.llama_model_default_params()
        try:
            self.model = _internals.LlamaModel(path_model=str(model_path), params=mparams, verbose=False)
        except (ValueError, OSError) as exc:
            raise GfvError(f"llama.cpp could not load {model_path}: {exc}", ExitCode.INTERNAL) from None
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = n_ctx
        cparams.n_batch = n_batch
        cparams.n_ubatch = n_batch
        cparams.n_threads = threads
        cparams.n_threads_batch = threads
        cparams.n_seq_max = MAX_SEQUENCES
        cparams.kv_unified = True
        cparams.no_perf = True
        try:
            self.ctx = _internals.LlamaContext(model=self.model, params=cparams, verbose=False)
        except (ValueError, OSError) as exc:
            raise GfvError(f"llama.cpp could not create a context: {exc}", ExitCode.INTERNAL) from None
        self.batch = _internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=MAX_SEQUENCES, verbose=False)
        self.n_batch = n_batch
        self.n_ctx = n_ctx
        self.threads = threads  # as configured (ranker.threads)
        self._threads_now = threads
        self.n_vocab = self.model.n_vocab()
        self.path = Path(model_path)
        self.memory = llama_cpp.llama_get_memory(self.ctx.ctx)
        vocab = self.model.vocab
        fim = [llama_cpp.llama_vocab_fim_pre(vocab), llama_cpp.llama_vocab_fim_suf(vocab)]
        fim.append(llama_cpp.llama_vocab_fim_mid(vocab))
        self.fim_tokens: tuple[int, int, int] | None = tuple(fim) if min(fim) >= 0 else None  # type: ignore
        self.end_tokens = self._end_tokens()
        self.stats = ScorerStats()
        self._seq0: list[int] = []  # tokens in sequence 0 of the KV cache
        self._seq0_lp: dict[int, float] = {}  # i -> log P(token i | tokens < i), where known
        # i -> the log-softmax for token i given tokens < i, where computed (the middle's
        # positions: the draft's, so that ranking reuses them; editor/ranking/trie.py)
        self._seq0_dist: dict[int, np.ndarray] = {}
        self.last_logprobs: list[float] = []  # log-probabilities of the tokens generate() chose last
        self._tail_logp: np.ndarray | None = None  # log-softmax after the last token of seq 0
        # (context, middle) -> log-probs of every middle token and of the end: a warm request
        # (one more character typed) re-scores a candidate it has seen without any LLM work
        self._vocab_text: list[str] | None = None
        self._by_first: dict[str, list[int]] = {}
        self._compatible_cache: dict[str, np.ndarray] = {}
        self._score_cache: dict[tuple[int, tuple[int, ...]], tuple[list[float | None], float]] = {}
        self._last_fim: tuple[tuple[str, str] | None, list[int]] = (None, [])
        # While set, evaluations run in CHECKPOINT_CHUNK-token decode calls, and it is called
        # before each: it may block (to let a request have the CPU), and once it returns
        # True the work stops with Cancelled (background work while typing: editor/live.py).
        self.checkpoint = None

    def _end_tokens(self) -> list[int]:
        """Tokens that end a FIM middle: every end-of-generation token, plus fim_pad/file_sep."""
        lib, vocab = self._lib, self.model.vocab
        ends = {t for t in range(self.n_vocab) if lib.llama_vocab_is_eog(vocab, t)}
        for fn in (lib.llama_vocab_fim_pad, lib.llama_vocab_fim_sep):
            tok = fn(vocab)
            if tok >= 0:
                ends.add(tok)
        return sorted(ends)

    # -- tokens -----------------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        """Tokens of user text; control-token look-alikes in the text stay plain text."""
        if not text:
            return []
        return self.model.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def detokenize(self, tokens: list[int]) -> str:
        return self.model.detokenize(tokens).decode("utf-8", errors="replace")

    def fim_context(self, prefix: str, suffix: str) -> list[int]:
        """The FIM prompt's tokens; the last one is remembered, as the draft, the block draft,
        the bounds and the ranking of one request each ask for the same prompt."""
        if self.fim_tokens is None:
            raise GfvError(f"{self.path.name} has no FIM tokens", ExitCode.INTERNAL)
        if self._last_fim[0] != (prefix, suffix):
            pre, suf, mid = self.fim_tokens
            self._last_fim = (
                (prefix, suffix),
                [pre, *self.tokenize(prefix), suf, *self.tokenize(suffix), mid],
            )
        return list(self._last_fim[1])

    def use_threads(self, n: int) -> None:
        """Run the next decode calls on ``n`` threads (at most the configured ``threads``).

        On 2 cores, a decode split over 2 threads while another thread of gfv (pylint) takes a
        core runs at a third to a half of its speed, below 1 thread's (docs/benchmarks.md,
        "Typing round 11"): the live session drops to 1 while it has company."""
        n = max(1, min(n, self.threads))
        if n != self._threads_now:
            self._lib.llama_set_n_threads(self.ctx.ctx, n, n)
            self._threads_now = n

    # -- KV cache ---------------------------------------------------------------------
    def _check(self) -> None:
        if self.checkpoint is not None and self.checkpoint():
            raise Cancelled()

    def _decode(self, fill) -> None:
        start = time.perf_counter()
        self.batch.reset()
        fill(self.batch.batch)
        rc = self._lib.llama_decode(self.ctx.ctx, self.batch.batch)
        self.stats.decodes += 1
        ms = (time.perf_counter() - start) * 1000
        self.stats.decode_ms += ms
        if self._threads_now < self.threads:
            self.stats.fewer_threads_ms += ms
        if rc != 0:
            raise GfvError(f"llama_decode failed with code {rc} (context full?)", ExitCode.INTERNAL)

    def _sync_seq0(self, tokens: list[int], known_from: int) -> None:
        """Make sequence 0 hold ``tokens``, evaluating only what the cache lacks.

        Log-probabilities are recorded for positions >= ``known_from``.
        """
        if len(tokens) + 1 > self.n_ctx:
            raise GfvError(f"context of {len(tokens)} tokens exceeds n_ctx={self.n_ctx}", ExitCode.USAGE)
        common = 0
        for a, b in zip(self._seq0, tokens):
            if a != b:
                break
            common += 1
        if common == len(tokens) == len(self._seq0) and self._tail_logp is not None:
            self.stats.reused_tokens += common
            self._fill_lp(tokens, known_from)
            return
        if common == len(tokens) < len(self._seq0) and len(tokens) in self._seq0_dist:
            self._drop_from(len(tokens))  # a prefix of what is cached, its logits known: nothing to evaluate
            self._tail_logp = self._seq0_dist[len(tokens)]
            self.stats.reused_tokens += common
            self._fill_lp(tokens, known_from)
            return
        extends = common == len(self._seq0) < len(tokens) and self._tail_logp is not None
        tail = self._tail_logp
        common = min(common, len(tokens) - 1)  # re-evaluate at least the last token for its logits
        self._drop_from(common)
        if extends and tail is not None:
            self._seq0_lp[common] = float(tail[tokens[common]])
        self.stats.reused_tokens += common
        self.stats.context_tokens += len(tokens) - common
        pos = common
        step = CHECKPOINT_CHUNK if self.checkpoint is not None else self.n_batch
        while pos < len(tokens):
            self._check()
            chunk = tokens[pos : pos + step]
            first = pos

            def fill(b, chunk=chunk, first=first):
                for i, tok in enumerate(chunk):
                    b.token[i] = tok
                    b.pos[i] = first + i
                    b.n_seq_id[i] = 1
                    b.seq_id[i][0] = 0
                    b.logits[i] = first + i >= known_from - 1 or first + i == len(tokens) - 1
                b.n_tokens = len(chunk)

            self._decode(fill)
            for i, tok in enumerate(chunk):
                p = first + i
                self._seq0.append(tok)
                if p >= known_from - 1 or p == len(tokens) - 1:
                    nxt = tokens[p + 1] if p + 1 < len(tokens) else None
                    (lp,), logp = _log_softmax_at(self.ctx.get_logits_ith(i), self.n_vocab, [nxt or 0])
                    self._seq0_dist[p + 1] = logp
                    if nxt is not None:
                        self._seq0_lp[p + 1] = lp
                    else:
                        self._tail_logp = logp
            pos += len(chunk)
        self._fill_lp(tokens, known_from)

    def _drop_from(self, n: int) -> None:
        """Keep the first ``n`` tokens of sequence 0 (its later cells, and what was known of them, go)."""
        self._lib.llama_memory_seq_rm(self.memory, -1, n, -1)
        del self._seq0[n:]
        self._seq0_lp = {i: v for i, v in self._seq0_lp.items() if i < n}
        self._seq0_dist = {i: v for i, v in self._seq0_dist.items() if i <= n}
        self._tail_logp = None

    def _top(self, i: int) -> tuple[int, float] | None:
        """The most likely token at position ``i`` of sequence 0 and its log-probability, where known."""
        dist = self._seq0_dist.get(i)
        if dist is None:
            return None
        best = int(np.argmax(dist))
        return best, float(dist[best])

    def _lps_from_dists(self, tokens: list[int], start: int, end: int) -> None:
        """Record log P(token i | tokens < i) for ``start <= i < end`` where its distribution is known."""
        for i in range(start, end):
            if i not in self._seq0_lp and i in self._seq0_dist:
                self._seq0_lp[i] = float(self._seq0_dist[i][tokens[i]])

    def _hold(self, tokens: list[int], known_from: int) -> np.ndarray:
        """The distribution after ``tokens``, sequence 0 holding them, and maybe more after them.

        When sequence 0 already continues ``tokens`` (a draft generated from there) and the
        distributions along it are known, nothing is evaluated and the rest stays in the
        cache for the trie to follow; otherwise sequence 0 becomes exactly ``tokens``.
        """
        n = len(tokens)
        if (
            self._seq0[:n] == tokens
            and n < len(self._seq0)
            and all(i in self._seq0_dist for i in range(known_from, n + 1))
        ):
            self._lps_from_dists(tokens, known_from, n)
            self.stats.reused_tokens += n
            return self._seq0_dist[n]
        self._sync_seq0(tokens, known_from)
        assert self._tail_logp is not None
        return self._tail_logp

    def _fill_lp(self, tokens: list[int], known_from: int) -> None:
        self._lps_from_dists(tokens, known_from, len(tokens))
        missing = [i for i in range(known_from, len(tokens)) if i not in self._seq0_lp]
        if missing:  # cached from a call that did not need them: re-evaluate from there
            self._drop_from(missing[0] - 1)
            self._sync_seq0(tokens, known_from)

    # -- scoring ----------------------------------------------------------------------
    def score(
        self, context: list[int], middles: list[list[int]], scored_from: list[int]
    ) -> list[ScoreResult]:
        """Score each middle after ``context``, from the score cache where possible (see _score)."""
        key = hash(tuple(context))
        if len(self._score_cache) > 4096:
            self._score_cache.clear()
        stats = self.stats
        before = (stats.context_tokens, stats.candidate_tokens, stats.reused_tokens, stats.path_tokens)
        results: list[ScoreResult | None] = [self._cached(key, m, s) for m, s in zip(middles, scored_from)]
        todo = [i for i, res in enumerate(results) if res is None]
        self.stats.cached_candidates += len(middles) - len(todo)
        if todo:
            fresh = self._score(context, [middles[i] for i in todo], [scored_from[i] for i in todo])
            for i, res in zip(todo, fresh):
                results[i] = res
                lps: list[float | None] = [None] * scored_from[i] + list(res.token_logprobs)
                self._score_cache[(key, tuple(middles[i]))] = (lps, res.end_logprob)
        self.stats.last = {
            "context_tokens": self.stats.context_tokens - before[0],
            "candidate_tokens": self.stats.candidate_tokens - before[1],
            "reused_tokens": self.stats.reused_tokens - before[2],
            "path_tokens": self.stats.path_tokens - before[3],
            "candidates": len(middles),
            "cached_candidates": len(middles) - len(todo),
        }
        return results  # type: ignore[return-value]

    def _cached(self, key: int, middle: list[int], start: int) -> ScoreResult | None:
        hit = self._score_cache.get((key, tuple(middle)))
        if hit is None or any(lp is None for lp in hit[0][start:]):
            return None
        return ScoreResult([float(lp) for lp in hit[0][start:]], hit[1])  # type: ignore[arg-type]

    def bounds(
        self, context: list[int], middles: list[list[int]], scored_from: list[int]
    ) -> list[PathBound | None]:
        """Each middle's summed score or an upper bound of it, without evaluating anything.

        From the score cache, else from the draft that sequence 0 holds (editor/ranking/bounds.py).
        """
        key = hash(tuple(context))
        out: list[PathBound | None] = []
        for middle, start in zip(middles, scored_from):
            hit = self._cached(key, middle, start)
            if hit is not None:
                out.append(PathBound(hit.total("sum"), exact=True, result=hit))
            else:
                out.append(path_bound(self._seq0, self._seq0_dist, self.end_tokens, context, middle, start))
        return out

    def _score(
        self, context: list[int], middles: list[list[int]], scored_from: list[int]
    ) -> list[ScoreResult]:
        """Score each middle (token list) after ``context``.

        ``scored_from[i]`` is the index in ``middles[i]`` from which tokens count
        (earlier ones, e.g. what the user typed, condition but are not scored).
        """
        if not middles:
            return []
        self.stats.calls += 1
        shared = common_prefix(middles)
        seq0 = context + middles[0][:shared]
        first_scored = len(context) + min(min(scored_from), shared)
        first = self._hold(seq0, first_scored)
        results: list[ScoreResult] = []
        trie_results = self._score_trie(len(seq0), [m[shared:] for m in middles], first)
        for i, (middle, start) in enumerate(zip(middles, scored_from)):
            shared_lps = [self._seq0_lp[len(context) + j] for j in range(start, shared)]
            tail_lps, end_lp = trie_results[i]
            own = tail_lps[max(0, start - shared) :]
            results.append(ScoreResult([float(x) for x in shared_lps] + own, end_lp))  # type: ignore[misc]
        return results

    def _score_trie(
        self, base: int, tails: list[list[int]], first: np.ndarray
    ) -> list[tuple[list[float], float]]:
        """Evaluate all tails as one token trie hanging off sequence 0 at position ``base``.

        ``first`` is the distribution at ``base``.  Nodes that follow what sequence 0 holds
        beyond ``base`` (a draft) are not evaluated (editor/ranking/trie.py).
        """
        roots, order = build_trie(tails)
        path = self._seq0[base:]
        dists = [self._seq0_dist.get(base + d + 1) for d in range(len(path))]
        known = on_path(roots, path, dists)
        todo = [n for n in order if id(n) not in known]
        self.stats.candidate_tokens += len(todo)
        self.stats.path_tokens += len(order) - len(todo)
        n_seqs = len(tails)
        if n_seqs >= MAX_SEQUENCES:
            raise GfvError(f"at most {MAX_SEQUENCES - 1} candidates per call", ExitCode.INTERNAL)
        # each candidate's sequence: the context, then the draft's cells as far as it follows them
        for seq, depth in enumerate(known_depths(roots, tails, known), start=1):
            self._lib.llama_memory_seq_cp(self.memory, 0, seq, -1, base + depth)
        node_logp: dict[int, np.ndarray] = dict(known)
        step = CHECKPOINT_CHUNK if self.checkpoint is not None else self.n_batch
        try:
            for start in range(0, len(todo), step):
                self._check()
                chunk = todo[start : start + step]
                self._decode(lambda b, chunk=chunk: fill_batch(b, chunk, base))
                for node in chunk:
                    _, logp = _log_softmax_at(self.ctx.get_logits_ith(node.batch_index), self.n_vocab, [])
                    node_logp[id(node)] = logp
        finally:
            for seq in range(1, n_seqs + 1):
                self._lib.llama_memory_seq_rm(self.memory, seq, -1, -1)
        return tail_results(roots, tails, first, lambda node: node_logp[id(node)], self.end_tokens)

    def prefill(self, context: list[int]) -> None:
        """Evaluate ``context`` into sequence 0 of the KV cache (reusing what is there)."""
        self._sync_seq0(list(context), len(context))

    def forget_scores(self) -> None:
        """Forget the score cache, keeping the KV cache (benchmarks: no system reuses another's scores)."""
        self._score_cache.clear()

    def reset(self) -> None:
        """Forget the KV cache and the score cache (a cold start, for benchmarks)."""
        self._lib.llama_memory_clear(self.memory, True)
        self._seq0, self._seq0_lp, self._seq0_dist, self._tail_logp = [], {}, {}, None
        self._score_cache.clear()

    def close(self) -> None:
        for obj in (self.batch, self.ctx, self.model):
            obj.close()


@ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
def _silent_log(_level, _text, _user_data):  # pragma: no cover - called from C
    return None
