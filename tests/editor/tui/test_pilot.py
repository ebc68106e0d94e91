"""Pilot tests of ``gfv edit`` with a scripted pipeline: messages posted and the document's state."""

from __future__ import annotations

import asyncio
import functools
import threading

from editor.choices import ChoiceLog
from editor.journal import Journal
from editor.tui.messages import CandidateAccepted, SuggestionsDropped, SuggestionsReady
from editor.tui.screens import ChoiceScreen, TraceScreen

from .conftest import FakePipeline, cand

SIZE = (110, 32)


def sync(fn):
    """Run an async test with asyncio.run (no pytest-asyncio needed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


LINE5 = "        for row in csv."  # row 5 typed so far


async def until(pilot, predicate, timeout=5.0):
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def type_line5(app, pilot):
    app.code.move_cursor((5, 0))
    app.code.action_delete_to_end_of_line()
    await pilot.press(*LINE5)
    await pilot.pause()


def kinds(app):
    return [type(m).__name__ for m in app.events if not type(m).__name__ == "EngineReady"]


@sync
async def test_accept_inserts_the_selected_candidate(make_app):
    app, path, pipe = make_app(pipeline=FakePipeline([cand("DictReader(fh):"), cand("reader(fh):")]))
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)
        assert app.code.suggestion == "DictReader(fh):"  # the ghost preview at the cursor
        assert pipe.calls[-1] == (5, len(LINE5), LINE5)
        await pilot.press("down")  # cycle
        assert app.code.suggestion == "reader(fh):"
        await pilot.press("up")
        await pilot.press("tab")
        await pilot.pause()
        assert app.code.document.get_line(5) == LINE5 + "DictReader(fh):"
        assert app.code.cursor_location == (5, len(LINE5 + "DictReader(fh):"))
        assert not app.panel.candidates and app.code.suggestion == ""
        accepted = [m for m in app.events if isinstance(m, CandidateAccepted)]
        assert len(accepted) == 1 and accepted[0].inserted == "DictReader(fh):" and accepted[0].whole
        assert kinds(app) == ["SuggestionsReady", "CandidateAccepted"]
        log = ChoiceLog().read()
        assert log[-1]["event"] == "accept" and log[-1]["typed"] == LINE5 and log[-1]["rank"] == 0
        # what was accepted is remembered for the session (proposed again by the session generator)
        assert app.engine.session.lines() == [LINE5 + "DictReader(fh):"]


@sync
async def test_ctrl_right_accepts_one_word(make_app):
    app, _, _ = make_app(pipeline=FakePipeline([cand("DictReader(fh):")]))
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)
        await pilot.press("ctrl+right")
        await pilot.pause()
        assert app.code.document.get_line(5) == LINE5 + "DictReader"
        assert [c.text for c in app.panel.candidates] == ["(fh):"]  # the rest stays on offer
        assert app.code.suggestion == "(fh):"
        await pilot.press("tab")
        await pilot.pause()
        assert app.code.document.get_line(5) == LINE5 + "DictReader(fh):"


@sync
async def test_stale_result_is_dropped_and_never_shown(make_app):
    gate = threading.Event()
    app, _, pipe = make_app(pipeline=FakePipeline([cand("DictReader(fh):")], gate=gate), warm_up=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: pipe.calls)  # the worker is inside the pipeline
        await pilot.press("D")  # typing is not blocked while the worker runs
        assert app.code.document.get_line(5) == LINE5 + "D"
        gate.set()
        await until(pilot, lambda: any(isinstance(m, SuggestionsDropped) for m in app.events))
        ready = [m for m in app.events if isinstance(m, SuggestionsReady)]
        dropped = [m for m in app.events if isinstance(m, SuggestionsDropped)]
        assert ready and dropped[0].request is ready[0].request and dropped[0].reason == "stale"
        assert app.panel.candidates == [] and app.code.suggestion == ""
        assert app.code.document.get_line(5) == LINE5 + "D"


@sync
async def test_cursor_move_makes_a_result_stale(make_app):
    gate = threading.Event()
    app, _, pipe = make_app(pipeline=FakePipeline([cand("DictReader(fh):")], gate=gate), warm_up=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: pipe.calls)
        await pilot.press("left")
        gate.set()
        await until(pilot, lambda: any(isinstance(m, SuggestionsDropped) for m in app.events))
        assert app.panel.candidates == []


@sync
async def test_escape_dismisses_and_logs(make_app):
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)
        await pilot.press("escape")
        assert app.panel.candidates == [] and app.code.suggestion == ""
        assert ChoiceLog().read()[-1]["event"] == "dismiss"
        assert app.code.document.get_line(5) == LINE5


@sync
async def test_rejected_toggle_and_trace(make_app):
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)
        await pilot.press("f4")
        assert app.panel.show_rejected and app.panel.rejected[0].failures[0].code == "SYN001"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TraceScreen) and app.screen.candidate.text == "csv.reader(fh)"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TraceScreen)


@sync
async def test_debounced_suggestions_on_a_pause(make_app):
    app, _, pipe = make_app(debounce_ms=50)
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await until(pilot, lambda: app.panel.candidates)
        assert pipe.calls[-1] == (5, len(LINE5), LINE5)


@sync
async def test_save_is_atomic_and_clears_the_journal(make_app):
    app, path, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        assert app.dirty
        app.journal_tick()
        assert app.journal.exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text().startswith("ximport csv") and not app.dirty and not app.journal.exists()


@sync
async def test_save_refuses_a_file_changed_on_disk(make_app):
    app, path, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        path.write_text("changed behind the editor\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == "changed behind the editor\n" and app.dirty
        assert app.action_save(force=True)
        assert path.read_text().startswith("ximport csv")


@sync
async def test_new_file_is_created_on_first_save(make_app):
    app, path, _ = make_app(text=None, name="brand_new.py")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"x = 1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == "x = 1"


@sync
async def test_recovery_restores_the_journal(make_app, tmp_path):
    path = tmp_path / "sample.py"
    path.write_text("a = 1\n")
    Journal(path).write("a = 1\nb = 2  # unsaved\n", None, (1, 5))
    app, _, _ = make_app(text="a = 1\n")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("r")
        await pilot.pause()
        assert app.code.text == "a = 1\nb = 2  # unsaved\n" and app.dirty
        assert app.code.cursor_location == (1, 5)
        assert path.read_text() == "a = 1\n"  # recovering does not write the file


@sync
async def test_recovery_can_be_discarded(make_app, tmp_path):
    path = tmp_path / "sample.py"
    path.write_text("a = 1\n")
    Journal(path).write("lost\n", None)
    app, _, _ = make_app(text="a = 1\n")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("d")
        await pilot.pause()
        assert app.code.text == "a = 1\n" and not Journal(path).exists()


@sync
async def test_quit_with_unsaved_changes_asks(make_app):
    app, path, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        await pilot.press("c")  # cancel
        await pilot.pause()
        assert app.is_running and app.code.text.startswith("ximport")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")  # save and quit
        await pilot.pause()
    assert path.read_text().startswith("ximport csv") and app.return_code == 0


@sync
async def test_quit_discard_leaves_the_file(make_app):
    app, path, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert path.read_text().startswith("import csv")


@sync
async def test_find_and_goto_line(make_app):
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("4", "enter")
        await pilot.pause()
        assert app.code.cursor_location == (3, 0)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"DictReader", "enter")
        await pilot.pause()
        assert app.code.selected_text == "DictReader"


@sync
async def test_palette_reaches_every_action(make_app):
    app, _, _ = make_app()
    async with app.run_test(size=SIZE):
        titles = {c.title for c in app.get_system_commands(app.screen)}
    for title in [
        "Suggest",
        "Accept candidate",
        "Accept one word",
        "Next candidate",
        "Previous candidate",
        "Dismiss candidates",
        "Toggle rejected candidates",
        "Candidate trace",
        "Save",
        "Save anyway",
        "Reload from disk",
        "Find",
        "Find next",
        "Go to line",
        "Undo",
        "Redo",
        "Quit",
    ]:
        assert title in titles


@sync
async def test_status_bar_shows_model_latency_and_validators(make_app):
    app, _, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)
        status = str(app.query_one("#status").render())
        assert "model: fake-model" in status and "last 12 ms" in status
        assert "validators: syntax names black pylint" in status


@sync
async def test_model_failure_shows_ngram_mode(make_app):
    from editor.errors import GfvError

    app, _, pipe = make_app()

    def factory(config, model_path, name=None):
        if model_path is not None:
            raise GfvError("llama.cpp could not load the model")
        return pipe

    app.engine.factory = factory
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "n-gram only" in str(app.query_one("#status").render()))
        assert "model failed to load" in str(app.query_one("#status").render())
        await type_line5(app, pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: app.panel.candidates)  # still suggesting
