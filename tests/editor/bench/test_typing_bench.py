"""The typing replay: line picking, keystrokes saved and latency bookkeeping (fake systems)."""

from __future__ import annotations

import time
from pathlib import Path

from editor.bench.typing_bench import ReplayClock, TypingTask, _Tally, pick_lines, replay_line
from editor.candidates import Candidate
from editor.shown import Shown

FAST = ReplayClock(key_ms=20, debounce_ms=5, settle_ms=0)


class Oracle:
    """Shows the true rest of the line once ``after`` characters of code are typed."""

    def __init__(self, truth: str, after: int, wrong: bool = False):
        self.truth, self.after, self.wrong = truth, after, wrong
        self.typed = ""
        self.moves = 0

    def prefetch(self, slot):
        self.moves += 1

    def request(self, slot):
        self.typed = slot.typed
        return self.shown()

    def shown(self):
        code = self.typed.lstrip()
        if len(code) < self.after:
            return []
        line = self.typed + ("oops" if self.wrong else self.truth[len(self.typed) :])
        return (
            [Shown(line, Candidate(line[len(self.typed) :], "oracle"), "ranked")]
            if line != self.typed
            else []
        )


def _task(tmp_path: Path) -> TypingTask:
    text = "def f(x):\n    return x + 1\n"
    return TypingTask(tmp_path / "m.py", 1, text, "    return x + 1")


def test_accepting_the_right_top_candidate_saves_the_rest_of_the_line_less_one_key(tmp_path):
    task, tally = _task(tmp_path), _Tally()
    system = Oracle(task.truth, after=3)
    replay_line(system, task, FAST, tally)
    assert system.moves == 1
    assert tally.accepted_lines == 1
    assert tally.typed_chars == len("return x + 1")
    assert tally.saved_chars == len("urn x + 1") - 1
    assert len(tally.latency) == 4  # at the line start, then after "r", "re", "ret"
    assert tally.summary()["keystrokes_saved"] == round((len("urn x + 1") - 1) / len("return x + 1"), 3)
    assert tally.per_line == [
        {
            "line": task.truth,
            "typed": 3,
            "saved": len("urn x + 1") - 1,
            "phase": "ranked",
            "source": "oracle",
            "pending_keys": 0,
            "below_keys": 0,
            "beaten": None,
        }
    ]


def test_a_wrong_candidate_saves_nothing_and_every_character_is_typed(tmp_path):
    task, tally = _task(tmp_path), _Tally()
    replay_line(Oracle(task.truth, after=0, wrong=True), task, FAST, tally)
    assert tally.accepted_lines == 0 and tally.saved_chars == 0
    assert tally.per_line == [
        {
            "line": task.truth,
            "typed": len("return x + 1"),
            "saved": 0,
            "phase": None,
            "source": None,
            "pending_keys": 0,
            "below_keys": 0,
            "beaten": None,
        }
    ]
    assert len(tally.latency) == len("return x + 1") + 1
    assert tally.empty == 0 and tally.none_in_time == 0


class Late(Oracle):
    """The right line from the first key: below a wrong one for ``below`` keys, then on top
    but pending for ``pending`` keys, then on top and checked."""

    def __init__(self, truth, below, pending):
        super().__init__(truth, after=0)
        self.below, self.pending, self.keys = below, pending, 0

    def request(self, slot):
        self.keys += 1
        return super().request(slot)

    def shown(self):
        right = super().shown()
        if not right:
            return []
        if self.keys <= self.below:
            wrong = self.typed + "oops"
            return [Shown(wrong, Candidate("oops", "oracle"), "ranked"), *right]
        if self.keys <= self.below + self.pending:
            right[0].cand.origin["pending"] = ["pylint"]
        return right


def test_keys_typed_while_the_right_line_was_below_the_top_or_pending_are_counted(tmp_path):
    task, tally = _task(tmp_path), _Tally()
    replay_line(Late(task.truth, below=2, pending=1), task, FAST, tally)
    assert tally.accepted_lines == 1
    assert tally.per_line[0]["below_keys"] == 2 and tally.per_line[0]["pending_keys"] == 1
    assert tally.per_line[0]["typed"] == 3
    assert tally.per_line[0]["beaten"] == {
        "typed": 0,
        "top": "oops",
        "top_phase": "ranked",
        "top_source": "oracle",
        "right_at": 1,
        "right_phase": "ranked",
        "right_source": "oracle",
    }
    summary = tally.summary()
    assert summary["keys_typed_while_right_below_top"] == 2
    assert summary["keys_typed_while_right_pending"] == 1


def test_lines_are_picked_in_file_order_from_code_not_prose(tmp_path):
    src = tmp_path / "a.py"
    src.write_text(
        '"""A module docstring\nthat spans lines."""\n# a comment line here\nvalue = compute(1, 2)\n'
        "other = value * 2 + 1\n"
    )
    tasks = pick_lines([src], 10)
    assert [t.truth for t in tasks] == ["value = compute(1, 2)", "other = value * 2 + 1"]
    assert tasks[0].slot("val").typed == "val" and tasks[0].slot("").document.lines[3] == ""


def test_the_blocking_baseline_runs_the_whole_pipeline_on_every_request_that_is_not_a_continuation(tmp_path):
    from editor.bench.typing_systems import BlockingPipeline
    from editor.pipeline import SuggestResult

    class Whole:
        def __init__(self):
            self.calls = []

        def suggest(self, slot, k):
            self.calls.append(slot.typed)
            return SuggestResult([Candidate("turn x + 1"[len(slot.typed) - 6 :], "p")], [], {}, None)

    task, tally, pipe = _task(tmp_path), _Tally(), Whole()
    replay_line(BlockingPipeline(pipe, 5), task, FAST, tally)
    assert pipe.calls == ["    ", "    r", "    re"]  # it answers "return x + 1" once "re" is typed
    assert tally.accepted_lines == 1


class Slow(Oracle):
    """The oracle's answer, but each request takes ``delay`` seconds (a synchronous LLM)."""

    def __init__(self, truth, after, delay):
        super().__init__(truth, after)
        self.delay, self.asked = delay, []

    def request(self, slot):
        self.asked.append(slot.typed)
        time.sleep(self.delay)
        return super().request(slot)


def test_with_a_fixed_cadence_nobody_waits_for_a_slow_system(tmp_path):
    from editor.bench.typing_bench import _Asker, replay_line_fixed

    task, slow_tally, fast_tally = _task(tmp_path), _Tally(), _Tally()
    clock = ReplayClock(key_ms=20, debounce_ms=5, settle_ms=0, fixed=True)
    slow = Slow(task.truth, after=3, delay=0.2)
    replay_line_fixed(slow, task, clock, slow_tally, _Asker(slow, slow_tally))
    fast = Oracle(task.truth, after=3)
    replay_line_fixed(fast, task, clock, fast_tally, _Asker(fast, fast_tally))
    assert fast_tally.saved_chars > slow_tally.saved_chars  # the slow answer comes after the user typed on
    assert len(slow.asked) < len(slow_tally.latency)  # superseded requests were coalesced, still counted
    assert min(slow_tally.latency) >= 150


def test_the_peer_replays_as_qwen_direct_on_its_own_model_and_needs_one():
    import pytest  # pylint: disable=import-outside-toplevel

    from editor.bench.typing_bench import make_system  # pylint: disable=import-outside-toplevel
    from editor.config import Config  # pylint: disable=import-outside-toplevel
    from editor.errors import GfvError  # pylint: disable=import-outside-toplevel

    with pytest.raises(GfvError, match="--peer-model"):
        make_system("peer-direct", Config(), Path("main.gguf"), scorer=object(), peer=None)
    main, peer = object(), object()
    system = make_system("peer-direct", Config(), Path("main.gguf"), scorer=main, peer=peer)
    assert system.scorer is peer and system.direct.name == "peer-direct"
