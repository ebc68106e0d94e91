"""The engine: generate cheaply, filter structurally, rank in context, return a traced result.

Order of work for one slot:

1. every enabled generator proposes candidates (duplicates are merged);
2. the ``pre_rank`` validators (cheap: syntax, black) run on all of them; the repairs a
   failing validator offers (``Verdict.repairs``: a missing ``:``, a bracket) become new
   candidates, validated the same way (one round, see ``Pipeline._repair``);
3. the best ``ranker.pool`` survivors by cheap score are scored by the ranker, and the
   final score blends the two: ``final = blend * llm + (1 - blend) * ngram``;
4. the ``post_rank`` validators (expensive: pylint) run on the top ``post_rank_top``;
5. the first ``k`` candidates that passed everything are shown.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.candidates import Candidate, merge_duplicates
from editor.config import Config
from editor.document import Slot
from editor.stages import StageContext, generators, load_builtin_stages, rankers, validators


@dataclass
class SuggestResult:
    candidates: list[Candidate]
    rejected: list[Candidate]
    timings_ms: dict[str, float]
    model: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)
    work: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": [c.to_json() for c in self.candidates],
            "rejected": [c.to_json() for c in self.rejected],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "model": self.model,
            "notes": self.notes,
            "work": self.work,
        }


# Subtracted from a repaired candidate's cheap and n-gram scores: the generator did not propose it as is.
REPAIR_PENALTY = 1.0


def cheap_score(cand: Candidate) -> float:
    """The order of candidates before ranking: a generator's ``cheap`` score, else ``ngram``."""
    return cand.scores.get("cheap", cand.scores.get("ngram", float("-inf")))


class Pipeline:
    """Builds the configured stages once; ``suggest`` may be called many times (KV cache)."""

    def __init__(self, config: Config, model_path: Path | None, model_name: str | None = None) -> None:
        load_builtin_stages()
        self.config = config
        self.context = StageContext(config, resources={"model_path": model_path})
        self.model = {"path": str(model_path), "name": model_name} if model_path else None
        self.generators = [generators.get(name)(self.context) for name in config.generators.enabled]
        self.pre = [validators.get(name)(self.context) for name in config.validators.pre_rank]
        self.post = [validators.get(name)(self.context) for name in config.validators.post_rank]
        ranker_name = config.ranker.name if model_path else "ngram"
        if config.ranker.name == "llm" and not model_path:
            self.context.note("LLM ranker is off: no model (run `gfv model fetch` or pass --model); ranking by n-gram score")
        self.ranker = rankers.get(ranker_name)(self.context)

    def _validate(self, stages: list, slot: Slot, cands: list[Candidate], timings: dict[str, float]) -> None:
        for validator in stages:
            live = [c for c in cands if c.ok]
            if not live:
                return
            start = time.perf_counter()
            for cand, verdicts in zip(live, validator.validate(slot, live)):
                cand.verdicts.extend(verdicts)
                for verdict in verdicts:
                    if verdict.ok and verdict.replacement is not None and verdict.replacement != cand.text:
                        cand.origin.setdefault("original_text", cand.text)
                        cand.text = verdict.replacement
            timings[f"validate.{validator.name}"] = (time.perf_counter() - start) * 1000

    def _repair(self, slot: Slot, cands: list[Candidate], timings: dict[str, float]) -> None:
        """Add to ``cands`` the repairs that pre-rank validators offered for the failed ones (one round).

        A repaired candidate keeps its original's source, kind and origin (plus
        ``repaired_from``, ``repair``, ``repaired_by``) and scores, less ``REPAIR_PENALTY``
        on ``cheap`` and ``ngram``.  It is validated by every pre-rank validator from the
        first, like any other; its own failures are not repaired again.  A text that is
        already a candidate is not added twice.  ``cands`` stays in cheap-score order.
        Repairs offered by post-rank validators (pylint's undefined-name repair) are not
        applied: they stay in the verdict, in the trace.
        """
        known = {c.text for c in cands}
        repaired: list[Candidate] = []
        for cand in cands:
            if cand.ok or "repaired_from" in cand.origin:
                continue
            for verdict in cand.failures:
                for text, what in verdict.repairs:
                    if text in known or not text.strip():
                        continue
                    known.add(text)
                    scores = dict(cand.scores)
                    for key in ("cheap", "ngram"):
                        if key in scores:
                            scores[key] = round(scores[key] - REPAIR_PENALTY, 4)
                    origin = {
                        **copy.deepcopy(cand.origin),
                        "repaired_from": cand.text,
                        "repair": what,
                        "repaired_by": verdict.validator,
                    }
                    repaired.append(Candidate(text, cand.source, cand.kind, scores, origin=origin))
        if not repaired:
            return
        spent: dict[str, float] = {}
        self._validate(self.pre, slot, repaired, spent)
        timings.update({f"repair.{key}": ms for key, ms in spent.items()})
        cands.extend(repaired)
        cands.sort(key=lambda c: -cheap_score(c))  # stable: the earlier order is kept

    def _skip_reason(self, pool: list[Candidate]) -> str | None:
        """Why the LLM need not rank this pool, or None: nothing to order, or a confident cheap stage."""
        if self.ranker.name != "llm":
            return None
        if len(pool) < 2:
            return "one candidate: nothing to rank"
        margin = self.config.ranker.skip_margin
        if margin > 0 and cheap_score(pool[0]) - cheap_score(pool[1]) >= margin:
            return f"cheap stage confident (margin >= {margin})"
        return None

    def suggest(self, slot: Slot, k: int | None = None) -> SuggestResult:
        k = k or self.config.k
        cfg = self.config
        timings: dict[str, float] = {}
        start = time.perf_counter()
        cands: list[Candidate] = []
        for gen in self.generators:
            t0 = time.perf_counter()
            cands.extend(gen.generate(slot, cfg.generators.max_candidates))
            timings[f"generate.{gen.name}"] = (time.perf_counter() - t0) * 1000
        cands = merge_duplicates([c for c in cands if c.text.strip()])
        cands.sort(key=lambda c: -cheap_score(c))
        self._validate(self.pre, slot, cands, timings)
        self._repair(slot, cands, timings)
        cands = merge_duplicates(cands)  # black may have made two candidates equal
        valid = [c for c in cands if c.ok]
        rejected = [c for c in cands if not c.ok]
        pool, rest = valid[: cfg.ranker.pool], valid[cfg.ranker.pool :]
        t0 = time.perf_counter()
        skip = self._skip_reason(pool)
        scores = [c.scores.get("ngram", float("-inf")) for c in pool] if skip else self.ranker.score(slot, pool)
        timings[f"rank.{self.ranker.name}"] = (time.perf_counter() - t0) * 1000
        use_llm = self.ranker.name == "llm" and not skip
        blend = cfg.ranker.blend if use_llm else 0.0
        for cand, score in zip(pool, scores):
            if skip:
                cand.origin["llm_skipped"] = skip
            if use_llm:
                cand.scores["llm"] = round(score, 4)
            ngram = cand.scores.get("ngram", score)
            cand.scores["final"] = round(blend * score + (1 - blend) * ngram, 4)
        pool.sort(key=lambda c: -c.scores["final"])
        checked, step = 0, max(cfg.validators.post_rank_top, 1)
        while checked < len(pool):  # expensive checks on the top few, more only if they fail
            self._validate(self.post, slot, pool[checked : checked + step], timings)
            checked += step
            if sum(c.ok for c in pool[:checked]) >= k:
                break
        shown = [c for c in pool[:checked] if c.ok][:k]
        rejected += [c for c in pool[:checked] if not c.ok]
        timings["total"] = (time.perf_counter() - start) * 1000
        work: dict[str, Any] = {"generated": len(cands), "ranked": len(pool), "unranked_valid": len(rest)}
        scorer = getattr(self.ranker, "scorer", None)
        if scorer is not None:
            work["llm"] = dict(scorer.stats.last)
        return SuggestResult(shown, rejected, timings, self.model, list(self.context.notes), work)
