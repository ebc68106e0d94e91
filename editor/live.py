"""Suggestions while typing: an instant answer, then better ones from the background.

One :class:`LiveSession` per open document serves the editor (``gfv edit``) and the
typing replay (``gfv bench typing``).  It is Textual-free.

A *place* is everything but what the user typed on the cursor's line: the lines above,
the rest of the line after the cursor and the lines below.  Per request:

1. **Continuation.**  If the place is the one of the last answer and the new typed text
   extends the old one, the answer's candidates that the new characters agree with are
   shown again, shortened (no work at all: the completed lines are the same lines, so
   every verdict still holds).
2. **Quick answer.**  Otherwise :meth:`~editor.pipeline.Pipeline.quick` runs on the
   caller's thread: the cheap generators, and the pre-rank validators on just enough
   candidates to fill ``k``.  No LLM, no pylint.  The shown candidates are marked
   *pending* (``Candidate.origin["pending"]``) until the post-rank validators ran on them.

Two background threads then work for the latest state.  The *check* thread:

* ``warm``: when the cursor settles on a place (:meth:`LiveSession.prefetch`), the
  validators' per-place work (the names validator's parse of the scopes; pylint on the
  document as it stands, so that astroid has built the modules it imports), so that the
  first keystroke there does not pay it;
* ``post``: the post-rank validators (pylint, in a child process while the session is
  open: :meth:`~editor.pipeline.Pipeline.detach`) on the pending shown candidates, one at a
  time, best first; while the top shown row is checked, the llm thread waits at its next
  checkpoint (that check stands between the user and an answer to accept); a candidate
  that fails (or that they could not judge) is removed from
  the answer, the others lose their mark.  It does not wait for the LLM: a right cheap
  candidate can be accepted while the new place's context is still being prefilled.  One
  at a time, because the candidates the next keystroke leaves behind need no check, and
  pylint takes CPU from the prefill (2 cores).

The *llm* thread, the only user of llama.cpp:

* ``prefetch``: a new place's context is evaluated into the KV cache (the cursor
  settled there: :meth:`LiveSession.prefetch`, or the first request there).
* ``refine``: the whole pipeline (the LLM's draft, ranking, pylint) for the latest
  typed text, when no ranked candidate agrees with it, or when the typed text left every
  line the last refinement drafted, shown or refused (a *redraft*: the model, given the
  new characters, drafts again, as Qwen alone would; the ranked lines that still agree
  stay on screen meanwhile).  The model's draft of the line is shown as soon as it is
  made and has passed the pre-rank validators, above the quick answer and marked pending
  like it, as Qwen alone would show its line; the llm thread runs pylint on it before it
  ranks.  The refinement's ranked answer then replaces both; pylint runs in it until one
  row passed (``post_rows=1``), the rows below are shown pending and left to the check
  thread, so that the llm thread is free sooner for the next redraft.

The pipeline never runs the post-rank validators on two threads at once.  Between two
decode calls (``LlamaScorer.checkpoint``, every 16 tokens) the llm thread stops if the
user moved to another place (a request never waits behind a stale prefetch), and picks
its number of threads: while a request runs on the caller's thread or the check thread
works (pylint, in its child process, takes a core), llama.cpp runs on 1 thread, else on
all of ``ranker.threads``.  A decode split over 2 threads with only 1 core free runs
slower than on 1 (``LlamaScorer.use_threads``), and the request keeps a core to itself
without the prefill stopping for it (it used to pause: ~0.8 s per new place).
Listeners (``on_update``) are told when the answer changed; they call :meth:`shown`.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from editor.candidates import Candidate
from editor.document import Slot
from editor.live_stats import LiveStats
from editor.pool import is_draft
from editor.shown import PHASES, Shown, extends, place_of

# The background's threads: "check" runs the post-rank validators on the shown pending candidates,
# "llm" is the only user of llama.cpp (prefetch, refine); pylint need not wait for a prefill.
WORKERS = ("check", "llm")


class LiveSession:
    """See the module docstring.  ``pipeline`` is a :class:`~editor.pipeline.Pipeline`."""

    def __init__(
        self, pipeline: Any, k: int = 5, on_update: Callable[[], None] | None = None, background: bool = True
    ) -> None:
        self.pipeline = pipeline
        self.k = k
        self.on_update = on_update
        self.stats = LiveStats()
        self._cv = threading.Condition()
        self._slot: Slot | None = None
        self._place: tuple | None = None
        self._answer: list[Shown] = []
        # of the current place: what the validators refused, with why, and the typed text it was for
        self._rejected: list[tuple[str, Candidate]] = []
        self._stage: Any = None  # the quick answer's cheap stage, resumed by the refinement
        self._prefetched: tuple | None = None  # the place whose context is in the KV cache
        self._want_prefetch: Slot | None = None
        self._want_warm: Slot | None = None  # the place's per-place validator work (check thread)
        self._drafts: list[str] = []  # the lines the LLM drafted in the last refinement, valid or not
        self._early_lines: list[str] | None = None  # the running refinement's drafts, once shown
        self._redraft: str | None = None  # the typed text that left them (module docstring)
        self._in_request = 0
        self._urgent = 0  # post checks running on the top shown row: the llm thread gives them the CPU
        self._closed = False
        self._busy: set[str] = set()  # the workers at work
        self._checking: set[int] = set()  # ids of the pending candidates a thread is checking
        scorer = getattr(getattr(pipeline, "ranker", None), "scorer", None)
        self._scorer = scorer
        self._detached = background and hasattr(pipeline, "detach")
        if self._detached:  # pylint in its own process: the quick answer keeps the interpreter lock
            pipeline.detach(True)
        self._threads = [
            threading.Thread(target=self._run, args=(worker,), name=f"gfv-live-{worker}", daemon=True)
            for worker in (WORKERS if background else ())
        ]
        for thread in self._threads:
            thread.start()

    def seed(self, slot: Slot, cands: list[Candidate], phase: str = "ranked") -> None:
        """Make ``cands`` (an answer for ``slot`` computed elsewhere) the current answer."""
        with self._cv:
            if place_of(slot) != self._place:
                self._forget_place()
            self._slot, self._place = slot, place_of(slot)
            self._answer = [Shown(slot.typed + c.text, c, phase) for c in cands]
            self._stage = None

    # -- the caller's side ------------------------------------------------------------
    def request(self, slot: Slot) -> list[Shown]:
        """The answer for ``slot`` now: a continuation, else the quick answer (module docstring)."""
        place = place_of(slot)
        with self._cv:
            moved = place != self._place
            self._slot, self._place = slot, place
            if moved:
                self._forget_place()
                self._want_prefetch = slot
            else:
                agreeing = self._agreeing(slot.typed)
                if agreeing:
                    self.stats.continued += 1
                    if self._left_draft(slot.typed):
                        self._redraft = slot.typed
                    self._cv.notify_all()
                    return agreeing
            self._in_request += 1
        try:
            result = self.pipeline.quick(slot, self.k)
        finally:
            with self._cv:
                self._in_request -= 1
        with self._cv:
            self.stats.quick += 1
            self.stats.timings.append(dict(result.timings_ms))
            if self._slot is slot:
                kept = [s for s in self._answer if s.phase == "ranked" and s.line.startswith(slot.typed)]
                self._answer = kept + [Shown(slot.typed + c.text, c, "quick") for c in result.candidates]
                self._stage = result.stage
                self._refused(slot.typed, result.rejected)
            self._cv.notify_all()
            return self._agreeing(slot.typed) if self._slot is slot else []

    def prefetch(self, slot: Slot) -> None:
        """The cursor settled on ``slot``: evaluate its context in the background."""
        place = place_of(slot)
        with self._cv:
            if place != self._place:
                self._slot, self._place = slot, place
                self._forget_place()
            self._want_prefetch = self._want_warm = slot
            self._cv.notify_all()

    def shown(self) -> list[Shown]:
        """The current answer for the current typed text, best first."""
        with self._cv:
            return self._agreeing(self._slot.typed) if self._slot is not None else []

    def rejected(self) -> list[Candidate]:
        """What the validators refused for the current typed text (the panel's F4 view)."""
        with self._cv:
            typed = self._slot.typed if self._slot is not None else None
            return [c for t, c in self._rejected if t == typed]

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until the background has nothing left to do (tests, benchmarks)."""
        end = time.monotonic() + timeout
        with self._cv:
            while self._threads and (self._busy or any(self._next_job(w) is not None for w in WORKERS)):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(min(left, 0.05))
            return True

    def close(self) -> None:
        with self._cv:
            self._closed = True
            self._cv.notify_all()
        for thread in self._threads:
            thread.join(timeout=30)
        if self._detached:
            self.pipeline.detach(False)

    def _forget_place(self) -> None:
        """The cursor moved to another place: nothing of the old one is shown or resumed."""
        self._answer, self._rejected, self._drafts = [], [], []
        self._stage = self._redraft = None

    def _refused(self, typed: str, cands: list[Candidate]) -> None:
        """Keep what a validator refused for ``typed`` at this place (newest first, at most 50)."""
        known = {id(c) for c in cands}
        old = [(t, c) for t, c in self._rejected if id(c) not in known]
        self._rejected = [*((typed, c) for c in cands), *old][:50]

    def _left_draft(self, typed: str) -> bool:
        """The last refinement drafted lines (shown or not), and ``typed`` agrees with none of them."""
        return bool(self._drafts) and not any(extends(d, typed) for d in self._drafts)

    def _early(self, slot: Slot, place: tuple, drafts: list[Candidate]) -> None:
        """The refinement's drafts: shown at once (pending), then checked on this (the llm) thread
        before it ranks, so that a right draft can be accepted as soon as Qwen alone would show it
        plus one pylint run (the check thread leaves them alone: ``_checking``)."""
        with self._cv:
            if self._place != place:
                return
            early = [Shown(slot.typed + c.text, c, "draft") for c in self.pipeline.pending_copies(drafts)]
            self._answer = early + self._answer
            self._early_lines = [s.line for s in early]
            if self._overtaken(slot):  # typed past them while they were drafted: not worth a pylint run
                return
            self._checking.update(id(s.cand) for s in early)
            self._cv.notify_all()
        if self.on_update is not None:
            self.on_update()
        try:
            self._do("post", slot, place, None, early)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.stats.errors.append(f"post: {type(exc).__name__}: {exc}")
            with self._cv:  # not checked: never shown as if it were
                self._answer = [s for s in self._answer if all(s is not e for e in early)]
        finally:
            with self._cv:
                self._checking.difference_update(id(s.cand) for s in early)
                self._cv.notify_all()
        if self.on_update is not None:
            self.on_update()

    def _overtaken(self, slot: Slot) -> bool:
        """The running refinement (for ``slot``) has shown its drafts, and the user has since typed
        text that agrees with none of them: the rest of it (pylint, ranking) is for a line they
        are not typing.  Qwen alone would draft again for the new text; so does the session."""
        latest = self._slot.typed if self._slot is not None else slot.typed
        return (
            self._early_lines is not None
            and latest != slot.typed
            and not any(extends(line, latest) for line in self._early_lines)
        )

    def _unchecked(self, typed: str) -> list[Shown]:
        """The shown rows for ``typed`` still pending, that no thread is checking."""
        return [s for s in self._agreeing(typed) if s.pending and id(s.cand) not in self._checking]

    def _agreeing(self, typed: str) -> list[Shown]:
        out, seen = [], set()
        for item in sorted(self._answer, key=lambda s: PHASES.index(s.phase)):
            if item.agrees(typed) and item.line not in seen:
                seen.add(item.line)
                out.append(item)
        return out[: self.k]

    # -- the background ---------------------------------------------------------------
    def _next_job(self, worker: str) -> str | None:
        """What ``worker`` should do next for the latest state (called with the lock held)."""
        if self._closed or self._slot is None or self._in_request:
            return None
        shown = self._agreeing(self._slot.typed)
        if worker == "check":
            if self._want_warm is not None:
                return "warm"
            return "post" if self._unchecked(self._slot.typed) else None
        if self._scorer is None:
            return None
        if self._want_prefetch is not None and self._prefetched != self._place:
            return "prefetch"
        if self._stage is not None and not any(s.phase == "ranked" for s in shown):
            return "refine"
        if self._redraft is not None and self._redraft == self._slot.typed:
            return "refine"
        return None

    def _run(self, worker: str) -> None:
        while True:
            with self._cv:
                while (job := self._next_job(worker)) is None and not self._closed:
                    self._cv.wait()
                if self._closed:
                    return
                slot, place, stage = self._slot, self._place, self._stage
                pending = self._unchecked(slot.typed)[:1] if job == "post" else []  # best first, one by one
                urgent = bool(pending) and self._agreeing(slot.typed)[0] is pending[0]
                self._urgent += urgent
                if job == "warm":
                    slot, self._want_warm = self._want_warm, None
                self._checking.update(id(s.cand) for s in pending)
                self._busy.add(worker)
            try:
                self._do(job, slot, place, stage, pending)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                if type(exc).__name__ == "Cancelled":
                    self.stats.cancelled += 1
                else:
                    self.stats.errors.append(f"{job}: {type(exc).__name__}: {exc}")
                    with self._cv:  # do not retry the same failing work forever
                        if job == "post":  # not checked: never shown as if it were
                            self._answer = [s for s in self._answer if all(s is not p for p in pending)]
                        else:
                            self._stage = self._redraft = None
            finally:
                with self._cv:
                    self._checking.difference_update(id(s.cand) for s in pending)
                    self._urgent -= urgent
                if worker == "llm" and self._scorer is not None:
                    self._scorer.checkpoint = None
                    self._scorer.use_threads(self._scorer.threads)
                with self._cv:
                    self._busy.discard(worker)
                    self._cv.notify_all()
            if self.on_update is not None:
                self.on_update()

    def _checkpoint(self, place: tuple, slot: Slot | None = None) -> Callable[[], bool]:
        """Between two decode calls: one thread while a request or the check thread has a core,
        wait while pylint checks the top shown row (it stands between the user and an acceptable
        answer), then stop if ``place`` is
        stale, or if the refinement for ``slot`` was overtaken by typing (:meth:`_overtaken`: a
        refinement for the latest text follows)."""

        def check() -> bool:
            with self._cv:
                end = time.monotonic() + 5.0
                while self._urgent and not self._closed and time.monotonic() < end:
                    self._cv.wait(0.05)
                company = bool(self._in_request) or "check" in self._busy
            self._scorer.use_threads(1 if company else self._scorer.threads)
            with self._cv:
                if slot is not None and self._place == place and self._overtaken(slot):
                    self._redraft = self._slot.typed if self._slot is not None else None
                    return True
                return self._closed or self._place != place

        return check

    def _do(self, job: str, slot: Slot, place: tuple, stage: Any, pending: list[Shown]) -> None:
        if job == "warm":
            warm = getattr(self.pipeline, "warm", None)
            if warm is not None:
                warm(slot)
            return
        if job == "post":
            passed = {id(c) for c in self.pipeline.post_check(slot, [s.cand for s in pending])}
            with self._cv:
                self.stats.post_checked += len(pending)
                failed = {id(s.cand) for s in pending if id(s.cand) not in passed}
                self.stats.removed_by_post += len(failed)
                self._answer = [s for s in self._answer if id(s.cand) not in failed]
                for item in pending:  # a candidate's text is for the typed text it was proposed for
                    if id(item.cand) in failed:
                        self._refused(item.proposed_for, [item.cand])
            return
        self._scorer.checkpoint = self._checkpoint(place)
        if job == "prefetch":
            with self.stats.timed_prefill(self._scorer.stats):
                self._scorer.prefill(self.pipeline.ranker.context(slot))
            with self._cv:
                self.stats.prefetched += 1
                if self._place == place:
                    self._prefetched = place
            return
        with self._cv:
            self._early_lines = None
        self._scorer.checkpoint = self._checkpoint(place, slot)
        result = self.pipeline.suggest(
            slot, self.k, stage=stage, on_draft=lambda d: self._early(slot, place, d), post_rows=1
        )
        with self._cv:
            self.stats.refined += 1
            self.stats.refine_timings.append(dict(result.timings_ms))
            if self._place != place:
                return
            self._prefetched = place
            self._refused(slot.typed, result.rejected)
            made = [*result.candidates, *result.unshown, *result.rejected]
            self._drafts = [slot.typed + c.text for c in made if is_draft(c)]
            ranked = [Shown(slot.typed + c.text, c, "ranked") for c in result.candidates]
            quick = [s for s in self._answer if s.phase in ("draft", "quick")] if not ranked else []
            self._answer = ranked + quick + [s for s in self._answer if s.phase == "ranked"]
            if self._slot is not None and self._slot.typed == slot.typed:
                self._stage = None  # this typed text is done; more typing brings a new quick stage
            if self._redraft == slot.typed:
                self._redraft = None
