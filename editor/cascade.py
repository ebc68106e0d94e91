"""When the LLM is paid for, and how much of it: the cascade's two decisions for a slot.

* :func:`skip_reason`: no LLM call at all (no prefill, no draft, no ranking) when there
  is nothing to order, or when the cheap stage is sure of a line;
* :func:`pool_size`: how many candidates the LLM ranks, drafts included, by the slot's kind;
* :func:`one_line_body`: in a block slot, the model's own body is one line: the bodies
  are not ranked, and that line is shown first;
* :func:`sure_follower`: at the start of a line, a line that followed the previous one
  almost everywhere it occurs is shown first, with no LLM call.

All were decided on the tuning corpora click and rich (docs/ranking.md, and
docs/benchmarks.md "LLM compute, round 4"), never on the report corpora.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from editor.blocks import block_at
from editor.candidates import Candidate
from editor.document import Slot
from editor.pool import cheap_score


def skip_reason(  # pylint: disable=too-many-return-statements
    margin: float, pool: Sequence[Candidate], slot: Any, has_late: bool
) -> str | None:
    """Why the LLM need not rank ``pool`` (the valid cheap candidates) at ``slot``, or None.

    The cheap stage is trusted only on a line with code typed before the cursor, where its
    best valid candidate is the only one, or leads the next by ``margin`` nats of cheap
    score.  On click and rich (40 tasks each cut) the cheap top-1 was right in 20 of the 24
    such slots, gfv's ranked top-1 in 18; at the start of a line (nothing typed but
    indentation) it was right in 2 of the 33 slots where the same rule held, so it is never
    trusted there.  The margin says nothing about a block slot's bodies (it compares first
    lines).  A table's slot keeps the n-gram scores' margin.
    """
    if not pool and not has_late:
        return "no candidate: nothing to rank"
    if margin <= 0 or not pool or slot is None:
        return None
    if not isinstance(slot, Slot):  # a table's cell or row
        ngram = sorted((c.scores["ngram"] for c in pool if "ngram" in c.scores), reverse=True)
        confident = len(ngram) >= 2 and ngram[0] - ngram[1] >= margin
        return f"cheap stage confident (margin >= {margin})" if confident else None
    if not slot.typed.strip() or block_at(slot) is not None:
        return None
    if len(pool) == 1:
        return "cheap stage sure: the only valid candidate on a typed line"
    best, second = sorted((cheap_score(c) for c in pool), reverse=True)[:2]
    if best - second >= margin:
        return f"cheap stage confident (its best leads the next by >= {margin})"
    return None


def pool_size(ranker: Any, slot: Any) -> int:
    """How many candidates the LLM ranks at ``slot``, drafts included (``ranker``: the ranker config).

    ``block_pool`` in a block slot, ``start_pool`` at the start of a line (1: the draft is
    shown first, unranked), ``pool`` elsewhere and in tables.
    """
    if not isinstance(slot, Slot):
        return ranker.pool
    if block_at(slot) is not None:
        return ranker.block_pool
    return ranker.pool if slot.typed.strip() else ranker.start_pool


def one_line_body(slot: Any, valid: Sequence[Candidate]) -> Candidate | None:
    """In a block slot, the model's block draft when it ended after its first line, or None.

    The block draft (``llm_block_draft``) goes on until the model ends the body (an end
    token, an empty line, the dedent to the code after the slot).  When it stops after one
    line, the model, which sees that code, says the body is that line: ranking the cheap
    bodies against each other would pay for every one of their tokens (up to 3 s on rich,
    a tuning corpus) to order candidates it has just said are too long.  A line that opens
    a block (ends with ``:``) is no whole body, so it does not count.
    """
    if not isinstance(slot, Slot) or block_at(slot) is None:
        return None
    for cand in valid:
        drafted = cand.source == "llm_block_draft" or "llm_block_draft" in cand.origin.get("also_from", [])
        if (
            drafted
            and cand.kind != "block"
            and "\n" not in cand.text
            and not cand.text.rstrip().endswith(":")
        ):
            return cand
    return None


FOLLOWS_COUNT = 5  # retrieval's weighted count: the document counts 3 (two places at least)
FOLLOWS_SHARE = 2 / 3
BETWEEN_SHARE = 0.8


def sure_follower(slot: Any, valid: Sequence[Candidate]) -> Candidate | None:
    """At the start of a line, a retrieved line that followed the previous line in at least
    ``FOLLOWS_COUNT`` of its weighted occurrences and ``FOLLOWS_SHARE`` of them, or None.

    Nothing typed says little (:func:`skip_reason`), but code that repeats a line pair
    many times (a table of tuples, ``def __rich_console__(`` then ``self, console: ...``)
    says it for the user.  On the start cuts of click and rich (tuning corpora, seeds 1-4
    and 0-3, 320 slots) the rule held on 24 slots (3 on click, 21 on rich) and the
    retrieved line was right on all 24; the LLM's prefill (~2.5 s on 2 cores) would have
    been paid there to confirm it.  With a count of 3 (one place in the document) or a
    share of 0.6 it was wrong 13 and 3 times.  Not in a block slot, whose bodies are ranked.

    A retrieved line that also preceded the line below elsewhere is sure at a lower count:
    when its shares after the line above and before the line below add up to
    ``BETWEEN_SHARE``.  On the same start cuts (seeds 0-3, no LLM) that held on 43 slots
    and was right on 36 (click 4 of 6, rich 32 of 37); on the 8 slots of seed 0 the
    model's line was right on 5, the rule's on 6, and wherever the rule was wrong the
    model was too (docs/benchmarks.md, code round 13).
    """
    if not isinstance(slot, Slot) or slot.typed.strip() or block_at(slot) is not None:
        return None
    for cand in valid:
        if cand.source != "retrieval" or cand.origin.get("lookup") != "follows":
            continue
        if _between(cand) or (
            cand.origin.get("count", 0) >= FOLLOWS_COUNT and cand.origin.get("share", 0.0) >= FOLLOWS_SHARE
        ):
            return cand
    return None


def _between(cand: Candidate) -> bool:
    """A retrieved line that followed the line above and preceded the line below elsewhere, with
    ``BETWEEN_SHARE`` of the evidence (its cheap score, editor/generators/retrieval.py ``_around``)."""
    return "precedes" in cand.origin and cand.scores.get("cheap", -math.inf) >= math.log(BETWEEN_SHARE)


def follower_reason(cand: Candidate) -> str:
    """Why the LLM is not called for :func:`sure_follower`'s candidate (its trace's ``llm_skipped``)."""
    count, share = cand.origin["count"], cand.origin["share"]
    if _between(cand):
        return (
            f"cheap stage sure: this line came after the line above {count} times and before the line"
            f" below {cand.origin['precedes']} times"
        )
    return f"cheap stage sure: this line followed the previous one {count} times, {share:.0%} of all"
