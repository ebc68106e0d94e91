"""LiveSession: continuations, the quick answer, background post-checks and refinement (fake pipeline)."""

from __future__ import annotations

import threading
import time

from editor.candidates import Candidate, Verdict
from editor.document import Document
from editor.live import LiveSession
from editor.shown import place_of
from editor.pipeline import SuggestResult
from editor.ranking.results import ScorerStats

TEXT = "import os\n\n\ndef walk(root):\n    \n    return root\n"


def _slot(typed: str, text: str = TEXT, line: int = 4):
    lines = text.split("\n")
    lines[line] = typed
    return Document("\n".join(lines)).slot(line, len(typed))


class FakeScorer:
    threads = 2

    def __init__(self):
        self.checkpoint = None
        self.prefilled = []
        self.gate = None  # when set, a prefill waits for it (a long prefill)
        self.thread_calls = []
        self.stats = ScorerStats()

    def use_threads(self, n):
        self.thread_calls.append(n)

    def prefill(self, context):
        if self.gate is not None:
            self.gate.wait(5)
        if self.checkpoint is not None and self.checkpoint():
            raise type("Cancelled", (Exception,), {})()
        self.prefilled.append(tuple(context))
        self.stats.context_tokens += len(context)


class FakeRanker:
    name = "llm"

    def __init__(self):
        self.scorer = FakeScorer()

    def context(self, slot):
        return [slot.line, len(slot.document.lines)]


class FakePipeline:
    """quick() proposes ``quick_lines`` completions; suggest() ranks ``ranked_lines``; post_check fails ``bad``."""

    def __init__(
        self, quick_lines, ranked_lines, bad=(), refine_gate=None, post_gate=None, drafts=()
    ):  # pylint: disable=too-many-arguments
        self.quick_lines, self.ranked_lines, self.bad = quick_lines, ranked_lines, set(bad)
        self.drafts = set(drafts)  # ranked lines that are the LLM's own draft
        self.post_gate = post_gate  # when set, post_check waits for it (a pilot test sees the pending state)
        self.ranker = FakeRanker()
        self.generators, self.model = [], {"path": "fake.gguf", "name": "fake"}
        self.quick_calls, self.suggest_calls, self.post_calls = [], [], []
        self.refine_gate = refine_gate
        self.warmed = []

    def _cands(self, slot, lines, pending):
        out = []
        for line in lines:
            if line.startswith(slot.typed) and len(line) > len(slot.typed):
                cand = Candidate(line[len(slot.typed) :], "llm_draft" if line in self.drafts else "fake")
                if pending:
                    cand.origin["pending"] = ["pylint"]
                out.append(cand)
        return out

    def quick(self, slot, k):
        self.quick_calls.append(slot.typed)
        shown = self._cands(slot, self.quick_lines, True)[:k]
        return SuggestResult(shown, [], {"total": 1.0}, None, stage=object())

    def post_check(self, slot, cands):
        if self.post_gate is not None:
            self.post_gate.wait(5)
        self.post_calls.append([c.text for c in cands])
        for cand in cands:
            cand.origin.pop("pending", None)
            ok = slot.typed + cand.text not in self.bad
            cand.verdicts.append(Verdict("pylint", ok, "PYL000" if ok else "E0602", "x"))
        return [c for c in cands if c.ok]

    def warm(self, slot):
        self.warmed.append((slot.line, slot.typed))

    def pending_copies(self, cands):
        out = [
            Candidate(c.text, c.source, c.kind, dict(c.scores), list(c.verdicts), dict(c.origin))
            for c in cands
        ]
        for cand in out:
            cand.origin["pending"] = ["pylint"]
        return out

    def suggest(self, slot, k, stage=None, on_draft=None, post_rows=None):  # pylint: disable=unused-argument
        cands = self._cands(slot, self.ranked_lines, False)
        drafts = [c for c in cands if c.source == "llm_draft"]
        if on_draft is not None and drafts:  # as the pipeline: the drafts before ranking
            on_draft(drafts)
        if self.refine_gate is not None:
            self.refine_gate.wait(5)
        self.suggest_calls.append(slot.typed)
        bad = [c for c in cands if slot.typed + c.text in self.bad]  # refused by a validator: not shown
        return SuggestResult([c for c in cands if c not in bad], bad, {}, None)


def _wait_until(done, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        time.sleep(0.01)


def _texts(session, typed):
    return [s.text_after(typed) for s in session.shown()]


def test_the_quick_answer_is_shown_pending_then_refined_by_the_background():
    gate = threading.Event()
    pipe = FakePipeline(
        ["    return os.sep", "    return walk"], ["    for path in os.walk(root):"], refine_gate=gate
    )
    session = LiveSession(pipe, k=5)
    try:
        first = session.request(_slot("    "))
        assert [s.text_after("    ") for s in first] == ["return os.sep", "return walk"]
        assert all(s.pending == ["pylint"] and s.phase == "quick" for s in first)
        end = time.monotonic() + 5
        while len(pipe.post_calls) < 2 and time.monotonic() < end:  # checked while the LLM is busy
            time.sleep(0.01)
        assert pipe.post_calls == [["return os.sep"], ["return walk"]]  # one at a time, the best first
        gate.set()
        assert session.idle(10)
        shown = session.shown()
        assert [s.text_after("    ") for s in shown][0] == "for path in os.walk(root):"
        assert shown[0].phase == "ranked" and not any(s.pending for s in shown)
    finally:
        session.close()


def test_the_draft_is_shown_pending_before_the_refinement_ranks_then_replaced_by_its_answer():
    gate = threading.Event()
    draft = "    for path in os.walk(root):"
    pipe = FakePipeline(["    return os.sep"], [draft, "    return root"], refine_gate=gate, drafts={draft})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        _wait_until(lambda: any(s.phase == "draft" for s in session.shown()))
        early = session.shown()
        assert [(s.text_after("    "), s.phase) for s in early] == [
            ("for path in os.walk(root):", "draft"),  # above the quick answer, as Qwen alone shows it
            ("return os.sep", "quick"),
        ]
        while any(s.pending for s in session.shown()) and time.monotonic() < end:
            time.sleep(0.01)  # the llm thread checks it before it ranks
        assert ["for path in os.walk(root):"] in pipe.post_calls and not pipe.suggest_calls
        gate.set()
        assert session.idle(10)
        assert [(s.text_after("    "), s.phase) for s in session.shown()] == [
            ("for path in os.walk(root):", "ranked"),
            ("return root", "ranked"),
        ]
        assert pipe.post_calls.count(["for path in os.walk(root):"]) == 1  # not by both threads
    finally:
        session.close()


def test_a_settled_cursor_warms_the_validators_for_its_place_on_the_check_thread():
    pipe = FakePipeline([], [])
    session = LiveSession(pipe, k=5)
    try:
        session.prefetch(_slot("    ", line=4))
        assert session.idle(10)
        session.request(_slot("    re", line=4))  # typing there: nothing more to warm
        assert session.idle(10)
        assert pipe.warmed == [(4, "    ")]
    finally:
        session.close()


def test_a_pending_candidate_that_fails_the_slow_validator_is_removed_and_forgotten_elsewhere():
    pipe = FakePipeline(["    return os.sep", "    return walk"], [], bad={"    return walk"})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        assert _texts(session, "    ") == ["return os.sep"]
        assert session.stats.removed_by_post == 1
        assert [c.text for c in session.rejected()] == ["return walk"]  # the F4 view
        session.prefetch(_slot("    ", line=2))  # the same typed text at another place
        assert session.rejected() == [] and session.shown() == []
    finally:
        session.close()


def test_typing_what_the_answer_proposes_continues_it_without_new_work():
    pipe = FakePipeline(["    return os.sep"], ["    return os.sep"])
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        quick_before, suggest_before = len(pipe.quick_calls), len(pipe.suggest_calls)
        answer = session.request(_slot("    ret"))
        assert [s.text_after("    ret") for s in answer] == ["urn os.sep"]
        assert session.idle(10)
        assert (len(pipe.quick_calls), len(pipe.suggest_calls)) == (quick_before, suggest_before)
        assert session.stats.continued == 1
    finally:
        session.close()


def test_typing_against_the_answer_asks_again():
    pipe = FakePipeline(["    return os.sep", "    yield root"], [])
    session = LiveSession(pipe, k=1)
    try:
        assert [s.text_after("    ") for s in session.request(_slot("    "))] == ["return os.sep"]
        answer = session.request(_slot("    y"))
        assert [s.text_after("    y") for s in answer] == ["ield root"]
        assert pipe.quick_calls == ["    ", "    y"]
    finally:
        session.close()


def test_typing_away_from_the_ranked_draft_drafts_again_while_the_agreeing_lines_stay():
    gate = threading.Event()
    gate.set()
    ranked = ["    return os.sep", "    return root", "    return os.path.join(root)"]
    pipe = FakePipeline([], ranked, refine_gate=gate, drafts={"    return root"})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        assert pipe.suggest_calls == ["    "]
        session.request(_slot("    return "))  # along the draft: nothing to redo
        assert session.idle(10)
        assert pipe.suggest_calls == ["    "]
        gate.clear()
        answer = session.request(_slot("    return o"))  # the draft "root" is left
        assert [s.text_after("    return o") for s in answer] == ["s.sep", "s.path.join(root)"]
        assert session.stats.continued == 2 and pipe.quick_calls == ["    "]
        gate.set()
        assert session.idle(10)
        assert pipe.suggest_calls == ["    ", "    return o"]
        session.request(_slot("    return os"))  # no draft in the new answer: no more redrafts
        assert session.idle(10)
        assert pipe.suggest_calls == ["    ", "    return o"]
    finally:
        session.close()


def test_a_draft_the_validators_refused_is_drafted_again_once_the_typing_leaves_it():
    ranked = ["    return os.sep", "    return Path(root)"]
    pipe = FakePipeline([], ranked, bad={"    return Path(root)"}, drafts={"    return Path(root)"})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        assert _texts(session, "    ") == ["return os.sep"]
        session.request(_slot("    return P"))  # still the refused draft's way: nothing to redo
        assert session.idle(10)
        session.request(_slot("    return o"))
        assert session.idle(10)
        assert pipe.suggest_calls[-1] == "    return o"
    finally:
        session.close()


def test_the_quick_answer_is_checked_while_the_llm_still_prefills_the_place():
    pipe = FakePipeline(["    return os.sep", "    return walk"], [], bad={"    return walk"})
    pipe.ranker.scorer.gate = threading.Event()
    session = LiveSession(pipe, k=5)
    try:
        session.prefetch(_slot("    "))
        session.request(_slot("    "))
        end = time.monotonic() + 5
        while (not pipe.post_calls or any(s.pending for s in session.shown())) and time.monotonic() < end:
            time.sleep(0.01)
        assert [(s.text_after("    "), s.pending) for s in session.shown()] == [("return os.sep", [])]
        assert (
            pipe.ranker.scorer.prefilled == [] and "llm" in session._busy
        )  # pylint: disable=protected-access
        pipe.ranker.scorer.gate.set()
        assert session.idle(10)
        assert pipe.ranker.scorer.prefilled
    finally:
        session.close()


def test_a_slow_validator_that_crashes_removes_what_it_could_not_check():
    pipe = FakePipeline(["    return os.sep"], [])

    def crash(slot, cands):
        raise RuntimeError("pylint crashed")

    pipe.post_check = crash
    session = LiveSession(pipe, k=5)
    try:
        assert [s.pending for s in session.request(_slot("    "))] == [["pylint"]]
        assert session.idle(10)
        assert session.shown() == [] and session.stats.errors == ["post: RuntimeError: pylint crashed"]
    finally:
        session.close()


def test_the_refused_view_holds_what_was_refused_for_the_typed_text_on_screen():
    pipe = FakePipeline(
        ["    return os.sep", "    return walk", "    yield root"], [], bad={"    return walk"}
    )
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        assert [c.text for c in session.rejected()] == ["return walk"]
        session.request(_slot("    y"))  # a new quick answer: "return walk" was refused for "    "
        assert session.idle(10)
        assert session.rejected() == []
    finally:
        session.close()


def test_a_move_to_another_place_drops_the_old_answer_and_prefetches_the_new_place():
    pipe = FakePipeline(["    return os.sep"], [])
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        assert session.idle(10)
        other = _slot("", line=2)
        assert place_of(other) != place_of(_slot("    "))
        session.prefetch(other)
        assert session.shown() == []
        assert session.idle(10)
        assert pipe.ranker.scorer.prefilled[-1] == (2, len(other.document.lines))
        last = session.stats.prefill_timings[-1]  # the fake's context is 2 tokens, decoded on no thread
        assert last["tokens"] == 2 and last["fewer_threads_ms"] == 0.0 and last["ms"] >= 0.0
        assert len(session.stats.prefill_timings) == session.stats.prefetched
    finally:
        session.close()


def test_the_background_checkpoint_shares_the_cpu_with_a_request_and_stops_when_the_place_is_stale():
    pipe = FakePipeline([], [])
    session = LiveSession(pipe, k=5)
    scorer = pipe.ranker.scorer
    try:
        here = _slot("    ")
        session.prefetch(here)
        assert session.idle(10)
        check = session._checkpoint(place_of(here))  # pylint: disable=protected-access
        assert check() is False and scorer.thread_calls[-1] == 2
        with session._cv:  # pylint: disable=protected-access
            session._in_request = 1  # pylint: disable=protected-access
        start = time.monotonic()
        assert check() is False  # a request in flight: no pause, but one thread, a core left to it
        assert time.monotonic() - start < 0.2 and scorer.thread_calls[-1] == 1
        with session._cv:  # pylint: disable=protected-access
            session._in_request = 0  # pylint: disable=protected-access
        assert check() is False and scorer.thread_calls[-1] == 2
        session.prefetch(_slot("", line=2))
        assert check() is True
    finally:
        session.close()


def test_the_background_checkpoint_gives_the_cpu_to_pylint_on_the_top_shown_row():
    gate = threading.Event()
    pipe = FakePipeline(["    return os.sep"], [], post_gate=gate)
    session = LiveSession(pipe, k=5)
    try:
        here = _slot("    ")
        session.request(here)  # the check thread takes the pending top row and waits at the gate
        end = time.monotonic() + 5
        while "check" not in session._busy and time.monotonic() < end:  # pylint: disable=protected-access
            time.sleep(0.01)
        check = session._checkpoint(place_of(here))  # pylint: disable=protected-access
        done = threading.Event()
        worker = threading.Thread(target=lambda: (check(), done.set()))
        worker.start()
        assert not done.wait(0.3)  # the LLM waits while the row the user may accept is checked
        gate.set()
        assert done.wait(5) and session.idle(10)
        assert [(s.text_after("    "), s.pending) for s in session.shown()] == [("return os.sep", [])]
        assert check() is False  # nothing urgent left: no wait
    finally:
        gate.set()
        session.close()


def test_the_model_runs_on_one_thread_while_the_check_thread_has_a_core():
    warming, warm_gate = threading.Event(), threading.Event()

    class Pipe(FakePipeline):
        def warm(self, slot):  # the validators' per-place work (pylint) on the check thread
            warming.set()
            warm_gate.wait(5)
            super().warm(slot)

    pipe = Pipe(["    return os.sep"], ["    return os.sep"])
    scorer = pipe.ranker.scorer
    scorer.gate = threading.Event()  # the prefill waits until the check thread is at work
    session = LiveSession(pipe, k=5)
    try:
        session.prefetch(_slot("    "))
        assert warming.wait(5)
        scorer.gate.set()
        _wait_until(lambda: scorer.prefilled)
        assert scorer.prefilled and scorer.thread_calls[:1] == [1]  # decoded beside the warm-up
        warm_gate.set()
        assert session.idle(10)
        assert scorer.thread_calls[-1] == 2  # all threads again once the llm job is done
    finally:
        warm_gate.set()
        session.close()


def test_a_refinement_overtaken_by_typing_stops_after_its_draft_and_drafts_again_for_the_new_text():
    gate = threading.Event()
    draft = "    for path in os.walk(root):"

    class Pipe(FakePipeline):
        def suggest(self, slot, k, stage=None, on_draft=None, post_rows=None):
            if slot.typed == "    ":  # ranking the first text: decode calls, with checkpoints between
                cands = self._cands(slot, [draft], False)
                on_draft(cands)
                gate.wait(5)
                if self.ranker.scorer.checkpoint():
                    raise type("Cancelled", (Exception,), {})()
            return super().suggest(slot, k, stage, on_draft, post_rows)

    pipe = Pipe(["    return os.sep", "    return root"], ["    return root"], drafts={draft})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        _wait_until(lambda: any(s.phase == "draft" for s in session.shown()))
        session.request(_slot("    r"))  # the user typed past the draft
        gate.set()
        assert session.idle(10)
        assert session.stats.cancelled == 1 and pipe.suggest_calls == ["    r"]  # the old one never ranked
        assert [(s.text_after("    r"), s.phase) for s in session.shown()][0] == ("eturn root", "ranked")
    finally:
        gate.set()
        session.close()


def test_a_refinement_whose_draft_still_agrees_with_the_typing_runs_to_its_end():
    gate = threading.Event()
    draft = "    for path in os.walk(root):"

    class Pipe(FakePipeline):
        def suggest(self, slot, k, stage=None, on_draft=None, post_rows=None):
            result = super().suggest(slot, k, stage, on_draft, post_rows)
            assert not self.ranker.scorer.checkpoint()
            return result

    pipe = Pipe([], [draft], refine_gate=gate, drafts={draft})
    session = LiveSession(pipe, k=5)
    try:
        session.request(_slot("    "))
        _wait_until(lambda: any(s.phase == "draft" for s in session.shown()))
        session.request(_slot("    fo"))  # typing along the draft
        gate.set()
        assert session.idle(10)
        assert session.stats.cancelled == 0 and not session.stats.errors and pipe.suggest_calls == ["    "]
        assert [(s.text_after("    fo"), s.phase) for s in session.shown()] == [
            ("r path in os.walk(root):", "ranked")
        ]
    finally:
        gate.set()
        session.close()
