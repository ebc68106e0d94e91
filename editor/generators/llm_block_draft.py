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
"""

from __future__ import annotations

import math
from typing import Sequence

from editor.blocks import MAX_BODY_LINES, block_at
from editor.candidates import Candidate
from editor.document import Slot
from editor.ranking.block_generation import generate_block
from editor.ranking.llm import LlmRanker, get_scorer
from editor.stages import StageContext, generators

MAX_TOKENS = 160
STRONG = math.log(0.95)  # a cheap block this sure needs no draft (block_retrieval's similarity >= 0.95)


class LlmBlockDraftGenerator:
    """The greedy body of a block slot (module docstring)."""

    name = "llm_block_draft"
    late = True

    def __init__(self, ranker: LlmRanker | None, max_tokens: int = MAX_TOKENS) -> None:
        self.ranker = ranker
        self.max_tokens = max_tokens

    def generate(self, slot: Slot, limit: int, earlier: Sequence[Candidate] = ()) -> list[Candidate]:
        site = block_at(slot)
        if self.ranker is None or limit < 1 or site is None:
            return []
        blocks = [c for c in earlier if c.kind == "block"]
        strong = [c for c in blocks if c.scores.get("cheap", float("-inf")) >= STRONG]
        if strong:
            return []
        scorer = self.ranker.scorer
        # the line draft (llm_draft runs first) is the body's first line as greedy decoding
        # wrote it, healed the same way: its tokens are in the KV cache, so that line is free
        line_drafts = [c.text for c in earlier if c.source == "llm_draft"]
        draft = generate_block(
            scorer, self.ranker.context(slot), slot.typed, site.indent, max_lines=MAX_BODY_LINES,
            max_tokens=self.max_tokens, lookahead=[*line_drafts, *(c.text for c in blocks)], heal=True, lookup=True,
        )  # fmt: skip
        lines = [line.rstrip() for line in draft.lines]
        if not lines or not lines[0].strip():
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
    return LlmBlockDraftGenerator(LlmRanker(scorer, cfg.normalisation, cfg.context_before, cfg.context_after))
