"""Pilot tests of ``gfv edit`` with the live session (a scripted pipeline with a quick answer)."""

from __future__ import annotations

import threading

from editor.tui.messages import SuggestionsUpdated
from tests.editor.test_live import FakePipeline

from .test_pilot import SIZE, sync, until

TYPED = "        for row in csv."


async def _type(app, pilot, text):
    app.code.move_cursor((5, 0))
    app.code.action_delete_to_end_of_line()
    await pilot.press(*text)
    await pilot.pause()


@sync
async def test_a_pending_candidate_is_marked_then_the_ranked_answer_replaces_it(make_app):
    gate, post_gate = threading.Event(), threading.Event()
    # pylint is held until the pending state was seen (an instant post-check raced the pilot)
    pipe = FakePipeline(
        [TYPED + "reader(fh):"], [TYPED + "DictReader(fh):"], refine_gate=gate, post_gate=post_gate
    )
    app, _, _ = make_app(pipeline=pipe, debounce_ms=1)
    async with app.run_test(size=SIZE) as pilot:
        await _type(app, pilot, TYPED)
        await until(pilot, lambda: app.panel.candidates)
        first = app.panel.candidates[0]
        assert first.text == "reader(fh):" and first.origin.get("pending") == ["pylint"]
        assert "⋯pylint" in str(app.panel.render_table())
        post_gate.set()
        gate.set()
        await until(pilot, lambda: app.panel.candidates and app.panel.candidates[0].text == "DictReader(fh):")
        assert any(isinstance(m, SuggestionsUpdated) for m in app.events)
        assert "⋯pylint" not in str(app.panel.render_table())
        await pilot.press("tab")
        await pilot.pause()
        assert app.code.document.get_line(5) == TYPED + "DictReader(fh):"


@sync
async def test_a_pending_candidate_that_fails_pylint_leaves_the_panel(make_app):
    pipe = FakePipeline([TYPED + "reader(fh):", TYPED + "nope(fh):"], [], bad={TYPED + "nope(fh):"})
    pipe.ranker.scorer = None  # no LLM: the quick answer, post-checked, is final
    app, _, _ = make_app(pipeline=pipe, debounce_ms=1)
    async with app.run_test(size=SIZE) as pilot:
        await _type(app, pilot, TYPED)
        await until(pilot, lambda: [c.text for c in app.panel.candidates] == ["reader(fh):"])
        assert not app.panel.candidates[0].origin.get("pending")


@sync
async def test_moving_to_another_line_prefetches_its_context(make_app):
    pipe = FakePipeline([TYPED + "reader(fh):"], [])
    app, _, _ = make_app(pipeline=pipe, debounce_ms=1)
    async with app.run_test(size=SIZE) as pilot:
        await _type(app, pilot, TYPED)
        await until(pilot, lambda: app.panel.candidates)
        app.code.move_cursor((2, 0))
        await pilot.pause()
        await until(pilot, lambda: any(ctx[0] == 2 for ctx in pipe.ranker.scorer.prefilled))
