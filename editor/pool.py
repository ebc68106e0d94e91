"""Which candidates the LLM ranks: the drafts, then the best of each source in turn."""

from __future__ import annotations

from editor.blocks import block_at
from editor.candidates import Candidate
from editor.document import Slot

LINE_DRAFT = "llm_draft"  # the LLM's own line (editor/generators/llm_draft.py)
DRAFT_SOURCES = (LINE_DRAFT, "llm_block_draft")
AGREEMENT = 1.5  # nats per other kind of source proposing the same line (orders what the LLM did not rank)


def is_draft(cand: Candidate) -> bool:
    """The LLM's own draft (of a line or a block), or a candidate whose text a draft proposed too."""
    return cand.source in DRAFT_SOURCES or any(s in DRAFT_SOURCES for s in cand.origin.get("also_from", []))


def add_drafts(valid: list[Candidate], drafts: list[Candidate]) -> list[Candidate]:
    """``valid`` with the valid drafts; a draft equal to a cheap candidate marks that one instead."""
    by_text = {c.text: c for c in valid}
    new = []
    for draft in drafts:
        same = by_text.get(draft.text)
        if same is None:
            new.append(draft)
            by_text[draft.text] = draft
        elif same is not draft:
            same.origin.setdefault("also_from", []).append(draft.source)
            same.origin.update({k: v for k, v in draft.origin.items() if k.startswith("draft_")})
    return [*new, *valid]


def select_pool(valid: list[Candidate], size: int) -> list[Candidate]:
    """Up to ``size`` candidates: the LLM's drafts, then the best of each source in turn.

    ``valid`` is in cheap-score order within each source; cheap scores of different
    sources (n-gram log-probabilities, retrieval shares, template weights) are not
    comparable, so the pool takes them round-robin, sources in order of first appearance.
    """
    pool = [c for c in valid if is_draft(c)]
    groups: dict[str, list[Candidate]] = {}
    for cand in valid:
        if not is_draft(cand):
            groups.setdefault(cand.source.split(":")[0], []).append(cand)
    queues = list(groups.values())
    depth = 0
    while len(pool) < size and any(depth < len(q) for q in queues):
        pool.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return pool[: max(size, sum(is_draft(c) for c in pool))]


def in_block(slot: Slot, cand: Candidate) -> bool:
    """False for a candidate that would leave a block slot's block empty (its first line dedents out of it)."""
    site = block_at(slot)
    if site is None:
        return True
    first = (slot.typed + cand.text).split("\n", 1)[0]
    return not first.strip() or len(first) - len(first.lstrip()) >= len(site.indent)


def cheap_score(cand: Candidate) -> float:
    """The order of candidates before ranking: a generator's ``cheap`` score, else ``ngram``."""
    return cand.scores.get("cheap", cand.scores.get("ngram", float("-inf")))


def sources_agreeing(cand: Candidate) -> int:
    """How many other kinds of source proposed ``cand``'s text too (``origin["also_from"]``:
    ``template:for-each`` counts as ``template``; a repair that met its own source's line, none)."""
    own = cand.source.split(":")[0]
    return len({s.split(":")[0] for s in cand.origin.get("also_from", [])} - {own})


def quick_score(cand: Candidate) -> float:
    """The order of candidates the LLM did not rank (the quick answer, a skipped ranking): the cheap
    score, ``AGREEMENT`` nats more for each other kind of source that proposed the same text
    (docs/ranking.md, "The quick answer").  Code only: a table's cells and rows keep their
    generators' order (measured on code, not on tables)."""
    if cand.kind not in ("line", "block"):
        return cheap_score(cand)
    return cheap_score(cand) + AGREEMENT * sources_agreeing(cand)


def ngram_terms(pool: list[Candidate]) -> tuple[list[float], float]:
    """Each candidate's n-gram term of its final score, and the pool's mean n-gram score,
    which a candidate without one (a draft, a retrieved line) takes instead."""
    ngrams = [c.scores["ngram"] for c in pool if "ngram" in c.scores]
    fill = sum(ngrams) / len(ngrams) if ngrams else 0.0
    return [c.scores.get("ngram", fill) for c in pool], fill


def unranked_fallback(rest: list[Candidate]) -> list[Candidate]:
    """Valid candidates left out of the ranking pool, in cheap order, marked as not ranked."""
    for cand in rest:
        cand.origin["llm_skipped"] = "not in the ranking pool: checked because every ranked candidate failed"
        cand.scores["final"] = round(cheap_score(cand), 4)
    return list(rest)


def split_by_kind(slot: Slot, valid: list[Candidate], k: int) -> tuple[list[Candidate], list[Candidate], str]:
    """(candidates of the kind the slot ranks, the first ``k`` of the others, why those follow).

    A block slot ranks its bodies only: a one-line middle out-scores any body by summed
    log-likelihood, so lines are not compared with them; they follow in cheap order.  A
    line slot ranks its one-line candidates: a multi-line one (an open list or call
    continued over many lines) costs the LLM all its tokens (measured: 100-180 candidate
    tokens a slot in isort's lists of module names) and is never the rest of the line.
    """
    if block_at(slot) is not None:
        blocks = [c for c in valid if c.kind == "block"]
        if blocks:
            after = "a line in a block slot: the bodies are ranked, lines follow"
            return blocks, [c for c in valid if c.kind != "block"][:k], after
    singles = [c for c in valid if "\n" not in c.text]
    if not singles:
        return valid, [], ""
    after = "several lines in a line slot: the one-line candidates are ranked, these follow"
    return singles, [c for c in valid if "\n" in c.text][:k], after
