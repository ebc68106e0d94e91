"""The "llm_block_draft" generator: the ranking model's greedy body for a block slot.

A *late* generator, like ``llm_draft``: the pipeline runs it only when the LLM ranks the
slot, after the cheap candidates are validated, with the ranker's own FIM prompt (the
context is in the KV cache already).  In a block slot (editor/blocks.py) it generates
the body line by line until the dedent (editor/ranking/block_generation.py), with the
valid cheap blocks as speculative drafts: a retrieved or templated body that greedy
decoding would produce anyway is verified in a few decode calls instead of one per token.

It steers only where the cheap sources are weak: when a valid cheap block is a close
match already (a retrieved body of a function with the same name, or a template made for
this very header, ``cheap >= STRONG``), no draft is made and its cost is not paid.
Its cost is counted like every LLM call (the scorer's stats: ``work.llm`` in the result).

It gives up a body that pylint will reject (when pylint is one of the validators): after
each line, a body that loads a name no scope of the slot binds (editor/names.py) is not
generated further.  It gives up a
body that cannot be ranked first (:class:`RankBar`): the cheap bodies it
will be ranked with are scored once the draft is past its first line and below the
draft confidence, and the draft stops as soon as its summed log-probability can no
longer give it the best final score.  Their scores stay in the scorer's cache for the
ranking that follows.
"""

from __future__ import annotations

import math
from typing import Sequence

from editor.blocks import MAX_BODY_LINES, block_at
from editor.candidates import Candidate
from editor.document import Slot
from editor.names import NameCheck
from editor.pool import ngram_terms, select_pool
from editor.ranking.block_generation import generate_block
from editor.ranking.llm import LlmRanker, get_scorer
from editor.scope import blanked
from editor.stages import StageContext, generators

MAX_TOKENS = 160
STRONG = math.log(0.95)  # a cheap block this sure needs no draft (block_retrieval's similarity >= 0.95)


class RankBar:  # pylint: disable=too-few-public-methods
    """The summed log-probability a block draft needs to be ranked above the best of ``rivals``.

    The pipeline ranks the draft with ``rivals`` (the cheap bodies of its pool) by
    ``final = blend * llm + (1 - blend) * ngram``, where the draft, which has no n-gram
    score, takes the pool's mean (editor/pipeline.py ``_rank``).  With ``sum``
    normalisation a body's ``llm`` only falls as it grows, so below
    ``(best rival final - (1 - blend) * mean) / blend`` it cannot come first.  No bar
    while every token so far had p >= ``confidence``: such a draft is shown first
    unranked (``ranker.draft_confidence``).  The rivals are scored on the first call that
    needs them, once.
    """

    def __init__(self, ranker: LlmRanker, slot: Slot, rivals: Sequence[Candidate], blend: float,
                 confidence: float) -> None:  # fmt: skip
        self.ranker, self.slot, self.rivals = ranker, slot, list(rivals)
        self.blend = blend
        self.confident = math.log(confidence) if confidence > 0 else math.inf
        self.value: float | None = None

    def __call__(self, logprobs: Sequence[float]) -> float | None:
        if not self.rivals or (logprobs and min(logprobs) >= self.confident):
            return None
        if self.value is None:
            llm = self.ranker.score(self.slot, self.rivals)
            terms, fill = ngram_terms(self.rivals)  # as the pipeline's ranking computes them
            rest = 1 - self.blend
            best = max(self.blend * s + rest * term for s, term in zip(llm, terms))
            self.value = (best - rest * fill) / self.blend
        return self.value


class LlmBlockDraftGenerator:
    """The greedy body of a block slot (module docstring)."""

    name = "llm_block_draft"
    late = True

    def __init__(  # pylint: disable=too-many-arguments
        self, ranker: LlmRanker | None, max_tokens: int = MAX_TOKENS, *, rivals: int = 0, blend: float = 1.0,
        confidence: float = 0.0, judge_names: bool = False, lookup: bool = False,
    ) -> None:  # fmt: skip
        self.ranker = ranker
        self.lookup = lookup  # ranker.prompt_lookup
        self.max_tokens = max_tokens
        self.rivals = rivals  # cheap bodies ranked with the draft (``ranker.block_pool`` - 1); 0: no bar
        self.blend = blend
        self.confidence = confidence
        self.judge_names = judge_names  # pylint validates: a body loading an unbound name is doomed
        self.abandoned = ""  # why the last slot's draft was given up, if it was

    def generate(self, slot: Slot, limit: int, earlier: Sequence[Candidate] = ()) -> list[Candidate]:
        site = block_at(slot)
        self.abandoned = ""
        if self.ranker is None or limit < 1 or site is None or not self.ranker.fits(slot):
            return []
        blocks = [c for c in earlier if c.kind == "block"]
        strong = [c for c in blocks if c.scores.get("cheap", float("-inf")) >= STRONG]
        if strong:
            return []
        scorer = self.ranker.scorer
        # the line draft (llm_draft runs first) is the body's first line as greedy decoding
        # wrote it, healed the same way: its tokens are in the KV cache, so that line is free
        line_drafts = [c.text for c in earlier if c.source == "llm_draft"]
        bar = None
        if self.rivals > 0 and self.ranker.normalisation == "sum":
            rivals = select_pool(blocks, self.rivals)
            bar = RankBar(self.ranker, slot, rivals, self.blend, self.confidence)
        names: NameCheck | None = None  # the document is parsed on the first line that asks

        def doomed(lines: list[str]) -> str:
            nonlocal names
            names = names or NameCheck(blanked(slot), slot.line)
            undefined = names.undefined([slot.typed + lines[0], *lines[1:]])
            return f"undefined name {', '.join(undefined)} (pylint E0602)" if undefined else ""

        draft = generate_block(
            scorer, self.ranker.context(slot), slot.typed, site.indent, max_lines=MAX_BODY_LINES,
            max_tokens=self.max_tokens, lookahead=[*line_drafts, *(c.text for c in blocks)], heal=True, lookup=self.lookup,
            bar=bar, doomed=doomed if self.judge_names else None,
        )  # fmt: skip
        self.abandoned = draft.why if draft.abandoned else ""
        lines = [line.rstrip() for line in draft.lines]
        if draft.abandoned or not lines or not lines[0].strip():
            return []
        text = "\n".join(lines)
        lps = draft.logprobs
        origin = {"draft_tokens": draft.tokens, "draft_min_p": round(math.exp(min(lps)), 4) if lps else 0.0,
                  "lines": len(lines)}  # fmt: skip
        kind = "block" if len(lines) > 1 else "line"
        return [
            Candidate(text, "llm_block_draft", kind=kind, scores={"cheap": round(sum(lps), 4)}, origin=origin)
        ]


@generators.register("llm_block_draft")
def make_llm_block_draft_generator(ctx: StageContext) -> LlmBlockDraftGenerator:
    path = ctx.resources.get("model_path")
    cfg = ctx.config.ranker
    if not path or cfg.name != "llm":
        return LlmBlockDraftGenerator(None)
    scorer = get_scorer(path, n_ctx=cfg.n_ctx, threads=cfg.threads)
    ranker = LlmRanker.from_config(scorer, cfg)
    checks = ctx.config.validators
    return LlmBlockDraftGenerator(ranker, rivals=cfg.block_pool - 1, blend=cfg.blend, confidence=cfg.draft_confidence,
                                  judge_names="pylint" in [*checks.pre_rank, *checks.post_rank],
                                  lookup=cfg.prompt_lookup)  # fmt: skip
