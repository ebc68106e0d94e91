"""The "llm_draft" generator: one short greedy completion of the line by the ranking model.

The cheap generators cannot propose a line they have never seen the like of.  When
the LLM ranks a slot anyway, its context is already in the KV cache, so a greedy
draft of the rest of the line costs only its own tokens (decode steps of about
30 ms each on 2 cores).  The draft is a candidate like any other: it is validated,
repaired, ranked against the cheap candidates by the same log-likelihood, and may
lose to them.

It is a *late* generator (``late = True``): the pipeline runs it after the cheap
candidates are validated, and only when the LLM is not skipped for the slot, so that
its cost is paid only where the ranker's is.  Without a model it proposes nothing.

The prompt is the ranker's own (FIM prefix/suffix, then what the user typed on the
line), so drafting and ranking share the KV cache, and the ranker's trie follows the
draft's tokens for free (editor/ranking/trie.py).  The last draft, when the user typed
along it, serves as a speculative draft (:meth:`LlamaScorer.generate` ``lookahead``):
a run of its tokens that greedy decoding would produce anyway is verified in one
decode call.  The cheap candidates are not used that way: greedy decoding kept too
few of their tokens to pay for evaluating them (docs/benchmarks.md).
"""

from __future__ import annotations

import math
from typing import Sequence

from editor.candidates import Candidate
from editor.document import Slot
from editor.ranking.generation import PromptLookup, heal_span
from editor.ranking.llm import LlmRanker, get_scorer
from editor.slot_shape import HEADER_WORDS, needs_header
from editor.stages import StageContext, generators

MAX_TOKENS = 40


class LlmDraftGenerator:
    """A greedy completion of the line by the ranking model (module docstring)."""

    name = "llm_draft"
    late = True

    def __init__(
        self, ranker: LlmRanker | None, max_tokens: int = MAX_TOKENS, floor: float = 0.0, lookup: bool = False
    ) -> None:
        self.ranker = ranker
        self.lookup = lookup  # ranker.prompt_lookup
        self.max_tokens = max_tokens
        self.floor = floor if floor < 0 else None  # ranker.draft_floor; 0 = never cut
        self._last_line = ""  # the typed text plus the last draft: a lookahead for the next keystroke

    def generate(self, slot: Slot, limit: int, earlier: Sequence[Candidate] = ()) -> list[Candidate]:
        del earlier  # the late-generator protocol's; not used for speculation (below)
        if self.ranker is None or limit < 1 or slot.after_cursor.strip() or not self.ranker.fits(slot):
            return []
        scorer = self.ranker.scorer
        # token healing: the typed text's last word (with the space before it) is re-chosen by the
        # model under the constraint that it starts the same, so ``retu`` continues as ``return``
        heal = heal_span(slot.typed)
        base = scorer.tokenize(slot.typed[: len(slot.typed) - len(heal)])
        context = self.ranker.context(slot) + base
        # speculation only from the last draft (the user typed along it); the cheap candidates' tokens
        # were kept by greedy decoding 15 % of the time on click, below the ~35 % at which a
        # speculative token (~15 ms in a batch) pays for the decode call it saves (~43 ms)
        lookahead = []
        if self._last_line.startswith(slot.typed) and len(self._last_line) > len(slot.typed):
            middle = scorer.tokenize(self._last_line)
            if middle[: len(base)] == base:
                lookahead.append(middle[len(base) :])
        # above a deeper body only a header keeps the document valid: the draft starts with one
        starts = (
            HEADER_WORDS
            if not slot.typed.strip() and needs_header(slot.document.lines, slot.line, slot.typed)
            else ()
        )
        full, n_tokens = scorer.generate(
            context,
            max_tokens=self.max_tokens,
            stop="\n",
            starts=starts,
            lookahead=lookahead,
            heal=heal,
            floor=self.floor,
            lookup=PromptLookup(context) if self.lookup else None,  # the document's repeats as drafts
        )
        if scorer.last_cut or not full.startswith(heal):
            return []
        text = full[len(heal) :]
        text = text.rstrip()
        if not text.strip():
            return []
        self._last_line = slot.typed + text
        lps = scorer.last_logprobs[: n_tokens + 1]  # the chosen tokens and the choice that ended the line
        origin = {"draft_tokens": n_tokens, "draft_min_p": round(math.exp(min(lps)), 4) if lps else 0.0}
        if starts:
            origin["draft_starts"] = "a block header: the next code line is indented deeper"
        # its cheap score is its own log-probability, known for free (the ranker may re-score it)
        return [Candidate(text=text, source="llm_draft", scores={"cheap": round(sum(lps), 4)}, origin=origin)]


@generators.register("llm_draft")
def make_llm_draft_generator(ctx: StageContext) -> LlmDraftGenerator:
    path = ctx.resources.get("model_path")
    cfg = ctx.config.ranker
    if not path or cfg.name != "llm":
        return LlmDraftGenerator(None)
    scorer = get_scorer(path, n_ctx=cfg.n_ctx, threads=cfg.threads)
    ranker = LlmRanker.from_config(scorer, cfg)
    return LlmDraftGenerator(ranker, floor=cfg.draft_floor, lookup=cfg.prompt_lookup)
