"""The engine: generate cheaply, filter structurally, rank in context, return a traced result.

Order of work for one slot:

1. every enabled generator proposes candidates (duplicates are merged);
2. the ``pre_rank`` validators (cheap: syntax, black) run on all of them; the repairs a
   failing validator offers (``Verdict.repairs``: a missing ``:``, a bracket) become new
   candidates, validated the same way (one round, see ``Pipeline._repair``);
3. up to ``ranker.pool`` survivors are chosen for ranking (``start_pool`` at the start of
   a line, ``block_pool`` in a block slot: editor/cascade.py), taking the best of each
   source in turn (n-gram, retrieval, templates...), so that no source crowds the
   others out on cheap scores that are not comparable across sources;
4. unless the cheap stage is confident (``ranker.skip_margin``, on a line with code typed
   before the cursor: editor/cascade.py), the *late* generators
   (the LLM's own greedy draft) add their candidates, validated like the others, and
   the ranker scores the pool; ``final = blend * llm + (1 - blend) * ngram``, where a
   candidate without an n-gram score takes the pool's mean n-gram score; with ``sum``
   normalisation, a candidate whose upper bound (read off the draft in the KV cache)
   cannot beat the best exact score is not evaluated (editor/ranking/pruning.py); in a
   block slot whose block draft ended after one line, that line goes first and the
   bodies are not ranked (editor/cascade.py ``one_line_body``);
5. the ``post_rank`` validators (expensive: pylint) run on the top ``post_rank_top``;
6. the first ``k`` candidates that passed everything are shown.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from pathlib import Path
from typing import Any, Callable

from editor.blocks import block_at
from editor.candidates import Candidate, merge_duplicates
from editor.cascade import follower_reason, one_line_body, pool_size, skip_reason, sure_follower
from editor.config import Config
from editor.document import Slot
from editor.pool import (
    add_drafts,
    cheap_score,
    in_block,
    is_draft,
    ngram_terms,
    quick_score,
    select_pool,
    split_by_kind,
    unranked_fallback,
)
from editor.ranking.pruning import rank_pool
from editor.stages import StageContext, generators, load_builtin_stages, rankers, validators
from editor.suggestion import CheapStage, SuggestResult
from editor.validation import repairs_of, run_validators


class Pipeline:
    """Builds the configured stages once; ``suggest`` may be called many times (KV cache)."""

    def __init__(self, config: Config, model_path: Path | None, model_name: str | None = None) -> None:
        load_builtin_stages()
        self.config = config
        self.context = StageContext(config, resources={"model_path": model_path})
        self.model = {"path": str(model_path), "name": model_name} if model_path else None
        made = [generators.get(name)(self.context) for name in config.generators.enabled]
        self.generators = [g for g in made if not getattr(g, "late", False)]
        self.late_generators = [g for g in made if getattr(g, "late", False)]
        self.pre = [validators.get(name)(self.context) for name in config.validators.pre_rank]
        self.post = [validators.get(name)(self.context) for name in config.validators.post_rank]
        # The live session checks its quick answer while the LLM ranks (two threads): one candidate
        # is never checked twice at once.
        self._post_lock = threading.RLock()
        ranker_name = config.ranker.name if model_path else "ngram"
        if config.ranker.name == "llm" and not model_path:
            self.context.note(
                "LLM ranker is off: no model (run `gfv model fetch` or pass --model); ranking by n-gram score"
            )
        self.ranker = rankers.get(ranker_name)(self.context)

    def _validate(
        self, stages: list, slot: Slot, cands: list[Candidate], timings: dict[str, float], prefix: str = ""
    ) -> None:
        with self._post_lock if stages is self.post else contextlib.nullcontext():
            run_validators(stages, slot, cands, timings, prefix)

    def _repair(self, slot: Slot, cands: list[Candidate], timings: dict[str, float]) -> None:
        """Add to ``cands`` the repairs the pre-rank validators offered for the failed ones, validated
        by every pre-rank validator from the first (one round: editor/validation.py ``repairs_of``)."""
        repaired = repairs_of(cands)
        if not repaired:
            return
        spent: dict[str, float] = {}
        self._validate(self.pre, slot, repaired, spent)
        timings.update({f"repair.{key}": ms for key, ms in spent.items()})
        cands.extend(repaired)
        cands.sort(key=lambda c: -cheap_score(c))  # stable: the earlier order is kept

    def _skip_reason(self, pool: list[Candidate], slot: Slot | None = None) -> str | None:
        """Why the LLM need not rank this pool, or None (editor/cascade.py)."""
        if self.ranker.name != "llm":
            return None
        if not self._fits(slot):
            what = "line" if isinstance(slot, Slot) else "row"
            return f"the {what} is too long for the model's window (ranker.n_ctx)"
        return skip_reason(self.config.ranker.skip_margin, pool, slot, bool(self.late_generators))

    def _fits(self, slot: Slot | None) -> bool:
        fits = getattr(self.ranker, "fits", None)
        return slot is None or fits is None or fits(slot)

    def _generate_late(
        self, slot: Slot, valid: list[Candidate], timings: dict[str, float]
    ) -> list[Candidate]:
        """Candidates of the late generators (the LLM's draft), validated like the others."""
        late: list[Candidate] = []
        for gen in self.late_generators:
            t0 = time.perf_counter()
            late.extend(  # a later one sees the earlier ones' (unvalidated) output: the line draft
                c
                for c in gen.generate(slot, self.config.generators.max_candidates, earlier=[*valid, *late])
                if c.text.strip()
            )
            timings[f"generate.{gen.name}"] = (time.perf_counter() - t0) * 1000
        self._validate(self.pre, slot, late, timings, prefix="late.")
        self._repair(slot, late, timings)
        return late

    def _early_drafts(
        self, stage: CheapStage, timings: dict[str, float], on_draft: Callable[[list[Candidate]], None] | None
    ) -> list[Candidate] | None:
        """For ``on_draft`` (the live session) on a line slot: the LLM's line draft first, before the
        other candidates are validated, and told at once; None when it is made in its usual place.

        The line draft does not depend on the other candidates (a block draft does: not here)."""
        if (
            on_draft is None
            or self.ranker.name != "llm"
            or not self.late_generators
            or not self._fits(stage.slot)
        ):
            return None
        if block_at(stage.slot) is not None:
            return None
        late = self._generate_late(stage.slot, [], timings)
        drafts = [c for c in late if c.ok and is_draft(c)]  # the model's own lines, not a lookalike of them
        if drafts:
            on_draft(drafts)
        return late

    def _rank(self, slot: Slot, pool: list[Candidate], use_llm: bool, skip: str | None) -> None:
        """Give each pool candidate its final score: ranked (``blend``), or, unranked, its
        cheap score with the agreement of sources (:func:`~editor.pool.quick_score`)."""
        if not use_llm:
            for cand in pool:
                if skip:
                    cand.origin["llm_skipped"] = skip
                cand.scores["final"] = round(quick_score(cand), 4)
            return
        blend = self.config.ranker.blend
        cheap, _ = ngram_terms(pool)
        scores, best = rank_pool(self.ranker, slot, pool, cheap, blend)
        for cand, score, term in zip(pool, scores, cheap):
            cand.scores["llm" if score.exact else "llm_max"] = round(score.value, 4)
            cand.scores["final"] = round(blend * score.value + (1 - blend) * term, 4)
            if not score.exact:
                cand.origin["llm_pruned"] = (
                    f"cannot rank first: final <= {cand.scores['final']}, the best is {best:.4f}"
                )

    # -- the cheap stage, resumable -------------------------------------------------------
    def propose(self, slot: Slot) -> CheapStage:
        """Every non-late generator's candidates, merged and in cheap-score order, not yet validated."""
        stage = CheapStage(slot, [], {}, time.perf_counter())
        cands: list[Candidate] = []
        for gen in self.generators:
            t0 = time.perf_counter()
            cands.extend(gen.generate(slot, self.config.generators.max_candidates))
            stage.timings[f"generate.{gen.name}"] = (time.perf_counter() - t0) * 1000
        cands = merge_duplicates([c for c in cands if c.text.strip() and in_block(slot, c)])
        cands.sort(key=lambda c: -cheap_score(c))
        stage.cands = cands
        return stage

    def judge(self, stage: CheapStage, want: int | None = None) -> None:
        """Run the pre-rank validators (and repairs) on candidates not judged yet.

        With ``want``, only until that many candidates (in :func:`select_pool`'s order of the
        candidates by :func:`~editor.pool.quick_score`, as :meth:`quick` shows them) are valid:
        the first answer while typing needs a few valid candidates, not all of them.
        """
        while True:
            todo = [c for c in stage.cands if id(c) not in stage.judged]
            if not todo:
                break
            if want is not None:
                if sum(1 for c in stage.cands if id(c) in stage.judged and c.ok) >= want:
                    break
                todo = select_pool(sorted(todo, key=lambda c: -quick_score(c)), max(want, 4))
            spent: dict[str, float] = {}
            self._validate(self.pre, stage.slot, todo, spent)
            added = list(todo)  # _repair appends its repairs to the list it is given
            self._repair(stage.slot, added, spent)
            seen = {id(c) for c in todo}
            repairs = [c for c in added if id(c) not in seen]
            stage.judged.update(id(c) for c in (*todo, *repairs))
            stage.cands = merge_duplicates([*stage.cands, *repairs])
            stage.cands.sort(key=lambda c: -cheap_score(c))
            for key, ms in spent.items():
                stage.timings[key] = stage.timings.get(key, 0.0) + ms

    def quick(self, slot: Slot, k: int | None = None) -> SuggestResult:
        """The first answer while typing: no LLM, no post-rank validator, the first ``k`` valid.

        The shown candidates carry ``origin["pending"]``: the post-rank validators still due
        on them (pylint).  :meth:`post_check` runs those; :meth:`suggest` with the returned
        ``stage`` finishes the work (every other candidate validated, the LLM, ranking).
        """
        k = k or self.config.k
        stage = self.propose(slot)
        self.judge(stage, want=k)
        judged = [c for c in stage.cands if id(c) in stage.judged]
        shown = select_pool(sorted((c for c in judged if c.ok), key=lambda c: -quick_score(c)), k)
        pending = [v.name for v in self.post]
        for cand in shown:
            cand.scores["final"] = round(quick_score(cand), 4)
            if pending:
                cand.origin["pending"] = list(pending)
        stage.timings["total"] = (time.perf_counter() - stage.start) * 1000
        work = {"generated": len(stage.cands), "judged": len(judged), "phase": "quick"}
        rejected = [c for c in judged if not c.ok]
        return SuggestResult(shown, rejected, dict(stage.timings), self.model, list(self.context.notes), work,
                             stage=stage)  # fmt: skip

    def detach(self, on: bool = True) -> None:
        """Let the validators that can do their work in a child process (pylint) do so, or stop
        (editor/live.py: the live session's threads would share the interpreter lock with it)."""
        for validator in [*self.pre, *self.post]:
            detach = getattr(validator, "detach", None)
            if detach is not None:
                detach(on)

    def warm(self, slot: Slot) -> None:
        """The cursor settled on ``slot``: let the validators do their per-place work now."""
        for validator in [*self.pre, *self.post]:
            warm = getattr(validator, "warm", None)
            if warm is not None:
                warm(slot)

    def pending_copies(self, cands: list[Candidate]) -> list[Candidate]:
        """Copies of pre-validated ``cands`` to show before the post-rank validators ran on them
        (marked ``origin["pending"]``, as :meth:`quick` marks its answer; see :meth:`post_check`)."""
        pending = [v.name for v in self.post]
        out = [copy.copy(c) for c in cands]
        for cand in out:
            cand.scores, cand.verdicts = dict(cand.scores), list(cand.verdicts)
            cand.origin = {**cand.origin, **({"pending": list(pending)} if pending else {})}
        return out

    def post_check(self, slot: Slot, cands: list[Candidate]) -> list[Candidate]:
        """Run the post-rank validators still due on ``cands``; returns those that passed them."""
        self._validate(self.post, slot, cands, {})
        for cand in cands:
            cand.origin.pop("pending", None)
        return [c for c in cands if c.ok]

    def _post(
        self, slot: Slot, pool: list[Candidate], rest: list[Candidate], k: int, post_rows: int | None,
        drafted: bool, made: tuple[list[Candidate], list[Candidate]], timings: dict[str, float],
    ) -> tuple[int, list[Candidate]]:  # fmt: skip
        """The post-rank validators on the top of ``pool``, more only if they fail, until ``k``
        passed (``post_rows`` of them, if given).  Every candidate failed: the unranked
        ``rest``, else (the LLM skipped) the model's draft, join the pool (the pool grows and
        ``made``'s rejected list with it).  Returns how many rows were checked, and ``rest``."""
        valid, rejected = made
        want = k if post_rows is None else min(post_rows, k)
        checked, step = 0, max(self.config.validators.post_rank_top if post_rows is None else want, 1)
        while checked < len(pool):  # expensive checks on the top few, more only if they fail
            self._validate(self.post, slot, pool[checked : checked + step], timings)
            checked = min(checked + step, len(pool))  # the pool may grow below (the fallback)
            if sum(c.ok for c in pool[:checked]) >= want:
                break
            if checked >= len(pool) and rest and not any(c.ok for c in pool):
                pool += unranked_fallback(rest)  # every ranked one failed: rather than nothing, the rest
                rest = []
            elif (
                checked >= len(pool)
                and not drafted
                and not any(c.ok for c in pool)
                and self.ranker.name == "llm"
            ):
                drafted = (
                    True  # the LLM was skipped and every candidate failed: rather than nothing, its draft
                )
                late = self._generate_late(slot, valid, timings)
                rejected += [c for c in late if not c.ok]
                for cand in (c for c in late if c.ok):
                    cand.origin["llm_skipped"] = "every other candidate failed: the draft, unranked"
                    cand.scores["final"] = round(cheap_score(cand), 4)
                    pool.append(cand)
        return checked, rest

    def suggest(
        self, slot: Slot, k: int | None = None, stage: CheapStage | None = None,
        on_draft: Callable[[list[Candidate]], None] | None = None, post_rows: int | None = None,
    ) -> SuggestResult:  # fmt: skip
        """The whole pipeline for ``slot``; ``stage`` resumes a :meth:`quick` answer's cheap stage.

        ``on_draft`` is told of the LLM's drafts that passed the pre-rank validators as soon
        as they are made, before ranking and the post-rank validators (the live session
        shows them early: :meth:`pending_copies`).  On a line slot the draft is then made
        first, and kept even when the LLM's ranking is skipped (it was paid for): it then
        leads the cheap order, as Qwen alone would show its line.

        ``post_rows``: the post-rank validators run until that many rows passed them; the rows
        below, down to ``k``, are returned unchecked, marked as :meth:`pending_copies` marks
        them, for the caller to check (:meth:`post_check`).  Default: until ``k`` passed.
        """
        k = k or self.config.k
        cfg = self.config
        if stage is None or stage.slot != slot:
            stage = self.propose(slot)
            timings, start = stage.timings, stage.start
        else:  # resumed: this call's own work only
            timings, start = {}, time.perf_counter()
            stage.timings = timings
        early = self._early_drafts(stage, timings, on_draft)
        self.judge(stage)
        cands = merge_duplicates(stage.cands)  # black may have made two candidates equal
        valid = [c for c in cands if c.ok]
        rejected = [c for c in cands if not c.ok]
        t0 = time.perf_counter()
        skip = self._skip_reason(valid, slot)
        follower = sure_follower(slot, valid) if self.ranker.name == "llm" and not skip else None
        if follower is not None:
            skip = follower_reason(follower)
        use_llm = self.ranker.name == "llm" and not skip
        drafted = early is not None or (use_llm and bool(self.late_generators))
        if drafted:
            late = early if early is not None else self._generate_late(slot, valid, timings)
            rejected += [c for c in late if not c.ok]
            valid = add_drafts(valid, [c for c in late if c.ok])
        ranked_kind, lines_after, why_after = split_by_kind(slot, valid, k)
        pool = select_pool(ranked_kind, pool_size(self.config.ranker, slot))
        single = one_line_body(slot, valid) if use_llm else None
        if single is not None and all(single is not c for c in (*pool, *lines_after)):
            lines_after.insert(0, single)
        in_pool = {id(c) for c in pool}
        in_pool.update(id(c) for c in lines_after)
        rest = [c for c in valid if id(c) not in in_pool]
        sure = (
            [follower]
            if follower is not None
            else [
                c
                for c in pool
                if is_draft(c) and c.origin.get("draft_min_p", 0.0) >= cfg.ranker.draft_confidence > 0
            ]
        )
        if single is not None:
            skip, use_llm, sure = (
                "the model's body is this one line: the bodies are not ranked",
                False,
                [single],
            )
        elif len(pool) < 2 and use_llm:
            skip, use_llm = "one candidate: nothing to rank", False
            sure = [c for c in pool if is_draft(c)]  # the LLM's own, ahead of the unranked rest
        elif sure and use_llm:
            skip, use_llm = f"the draft is confident (every token p >= {cfg.ranker.draft_confidence})", False
        elif early is not None and skip and follower is None:  # drafted first (the live session), then
            sure = [c for c in pool + rest if is_draft(c)][:1]  # not ranked: the model's line leads
        if not use_llm:  # the pool bounds LLM work only: without it, every valid candidate may be shown
            pool, rest = pool + rest, []
        self._rank(slot, pool, use_llm, skip)
        for cand in lines_after:
            cand.origin["llm_skipped"] = skip if single is not None else why_after
            cand.scores["final"] = round(cheap_score(cand), 4)
        timings[f"rank.{self.ranker.name}"] = (time.perf_counter() - t0) * 1000
        pool += lines_after
        # the other kind follows, from ``rest`` too when the pool took it
        asked = {id(c) for c in ranked_kind}
        pool.sort(
            key=lambda c: (
                not (sure and c is sure[0]),
                id(c) not in asked,  # the kind the slot asks for first
                id(c) not in asked and not is_draft(c),  # then the model's own line
                -c.scores["final"],
                "llm_max" in c.scores,  # a bound that ties a score cannot pass it
            )
        )
        ranked = len(pool)
        checked, rest = self._post(slot, pool, rest, k, post_rows, drafted, (valid, rejected), timings)
        for cand in pool[:checked]:
            cand.origin.pop("pending", None)
        shown = [c for c in pool[:checked] if c.ok][:k]
        rejected += [c for c in pool[:checked] if not c.ok]
        if post_rows is not None:  # the next rows down to k, shown unchecked (marked) for the caller to check
            due = [v.name for v in self.post]
            for cand in pool[checked : checked + k - len(shown)]:
                if due:
                    cand.origin["pending"] = list(due)
                shown.append(cand)
        shown_ids = {id(c) for c in shown}
        unshown = [c for c in pool if c.ok and id(c) not in shown_ids] + rest
        timings["total"] = (time.perf_counter() - start) * 1000
        work: dict[str, Any] = {"generated": len(cands), "ranked": ranked, "unranked_valid": len(rest)}
        scorer = getattr(self.ranker, "scorer", None)
        if scorer is not None:
            work["llm"] = dict(scorer.stats.last)
        return SuggestResult(shown, rejected, timings, self.model, list(self.context.notes), work, unshown)
