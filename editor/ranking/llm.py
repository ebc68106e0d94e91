"""The Qwen ranker: log-likelihood of each candidate given the text around it.

The FIM prompt is ``<fim_prefix>`` + the lines before the cursor's line (from a line
number that is a multiple of 16, so that it stays put as the cursor moves down) +
``<fim_suffix>`` + the rest of the line after the cursor and the lines after +
``<fim_middle>``.  The middle is what the user typed on the line followed by the
candidate, so the context stays the same while the user types on a line and stays
in the KV cache.  Only the candidate's tokens are scored (those after the longest
common token prefix with the typed text alone), plus the probability that the
middle ends there.  Models without FIM tokens are scored left to right, with the
end of the line as the end marker.

Normalisation: ``mean`` (default) averages the log-probabilities of the scored
tokens and the end token; ``sum`` adds them.  See docs/ranking.md for the measurement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from editor.candidates import Candidate
from editor.config import RankerConfig
from editor.document import Slot
from editor.ranking.bounds import PathBound
from editor.ranking.llama_scorer import LlamaScorer
from editor.ranking.results import ScoreResult
from editor.ranking.window import LastContext, fit_window
from editor.stages import StageContext, rankers

_SCORERS: dict[tuple[str, int, int], LlamaScorer] = {}
ANCHOR = 16  # lines; see LlmRanker.context
CONTEXT_TOKENS = 1024  # the window's token budget (ranker.context_tokens; editor/ranking/window.py)
HEADROOM = 512  # tokens kept free in n_ctx for the typed text's and the candidates' tokens


def get_scorer(path: Path, n_ctx: int = 4096, threads: int = 2) -> LlamaScorer:
    """One loaded model per process and settings, so its KV cache lives across requests."""
    key = (str(Path(path).resolve()), n_ctx, threads)
    if key not in _SCORERS:
        _SCORERS[key] = LlamaScorer(Path(path), n_ctx=n_ctx, threads=threads)
    return _SCORERS[key]


def _lcp(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class LlmRanker:
    """Scores candidates with a llama.cpp model; see the module docstring."""

    name = "llm"

    def __init__(  # pylint: disable=too-many-arguments
        self, scorer: LlamaScorer, normalisation: str = "mean", before: int = 60, after: int = 20,
        max_tokens: int = CONTEXT_TOKENS,
    ):  # fmt: skip
        self.scorer = scorer
        self.normalisation = normalisation
        self.before = before
        self.after = after
        self.max_tokens = max_tokens
        self._last = LastContext()

    @classmethod
    def from_config(cls, scorer: LlamaScorer, cfg: RankerConfig) -> "LlmRanker":
        """The ranker ``[tool.gfv.ranker]`` (``cfg``) describes."""
        return cls(scorer, cfg.normalisation, cfg.context_before, cfg.context_after, cfg.context_tokens)

    def fits(self, slot: Slot) -> bool:
        """Whether the context, what was typed on the line and room for candidates fit the model's
        window (a line of thousands of characters does not: the LLM then sits the slot out)."""
        n_ctx = getattr(self.scorer, "n_ctx", None)
        if n_ctx is None:
            return True
        return len(self.context(slot)) + len(self.scorer.tokenize(slot.typed)) + HEADROOM <= n_ctx

    def context(self, slot: Slot) -> list[int]:
        # The prefix starts on a multiple of ANCHOR lines, at least ``before`` lines up: moving
        # to the next line keeps the prefix's start, so its tokens stay in the KV cache.
        # Over the token budget, the lines nearest the cursor within it (editor/ranking/window.py).
        start = max(slot.line - self.before, 0)
        before = slot.document.lines[start - start % ANCHOR : slot.line]
        after = [slot.after_cursor, *slot.after_lines(self.after)]
        return self._last.get((tuple(before), tuple(after)), lambda: self._fitted(before, after))

    def _fitted(self, before: list[str], after: list[str]) -> list[int]:
        tokens = self._context(before, after)
        if self.max_tokens > 0 and len(tokens) > self.max_tokens:
            tokens = self._context(*fit_window(before, after, self.max_tokens, self._count))
        return tokens

    def _count(self, text: str) -> int:
        return len(self.scorer.tokenize(text))

    def _context(self, before: Sequence[str], after: Sequence[str]) -> list[int]:
        prefix = "\n".join(before) + "\n" if before else ""
        if self.scorer.fim_tokens is None:
            return self.scorer.tokenize(prefix)
        suffix = (after[0] if after else "") + "\n" + "\n".join(after[1:])
        return self.scorer.fim_context(prefix, suffix)

    def middle(self, slot: Slot, text: str) -> str:
        return slot.typed + text + ("" if self.scorer.fim_tokens else "\n")

    def _middles(self, slot: Slot, candidates: Sequence[Candidate]) -> tuple[list[list[int]], list[int]]:
        """Each candidate's middle tokens, and the index from which they are scored."""
        typed_tokens = self.scorer.tokenize(slot.typed)
        middles = [self.scorer.tokenize(self.middle(slot, c.text)) for c in candidates]
        scored_from = [_lcp(m, typed_tokens) for m in middles]
        # a candidate whose tokens are all shared with the typed text still scores its last token
        return middles, [min(s, max(len(m) - 1, 0)) for s, m in zip(scored_from, middles)]

    def score(self, slot: Slot, candidates: Sequence[Candidate]) -> list[float]:
        if not candidates:
            return []
        middles, scored_from = self._middles(slot, candidates)
        return score_middles(
            self.scorer, candidates, self.context(slot), middles, scored_from, self.normalisation
        )

    def bounds(self, slot: Slot, candidates: Sequence[Candidate]) -> list[PathBound | None]:
        """Free exact scores or upper bounds (``sum`` normalisation only; editor/ranking/bounds.py)."""
        if self.normalisation != "sum" or not candidates:
            return [None] * len(candidates)
        middles, scored_from = self._middles(slot, candidates)
        found = self.scorer.bounds(self.context(slot), middles, scored_from)
        for cand, bound in zip(candidates, found):
            if bound is not None and bound.result is not None:
                record(cand, bound.result)
        return found


def score_middles(scorer, candidates, context, middles, scored_from, normalisation) -> list[float]:
    """Score candidates' middle tokens after ``context``; record the work in each trace."""
    results = scorer.score(context, middles, scored_from)
    for cand, res in zip(candidates, results):
        record(cand, res)
    return [r.total(normalisation) for r in results]


def record(cand: Candidate, res: ScoreResult) -> None:
    """Put what the LLM computed for ``cand`` in its trace."""
    cand.origin["llm_tokens"] = len(res.token_logprobs)
    cand.origin["llm_end_logprob"] = round(res.end_logprob, 4)


@rankers.register("llm")
def make_llm_ranker(ctx: StageContext) -> LlmRanker:
    cfg = ctx.config.ranker
    path = ctx.resources["model_path"]
    scorer = get_scorer(path, n_ctx=cfg.n_ctx, threads=cfg.threads)
    return LlmRanker.from_config(scorer, cfg)
