"""Blocks in ``gfv edit`` (scripted pipeline): the panel marks them, previews every line, accepts
one line at a time or the whole block, and F2 shows where each retrieved line came from."""

from __future__ import annotations

from editor.candidates import Candidate, Verdict
from editor.tui.screens import TraceScreen

from .conftest import FakePipeline, cand
from .test_pilot import SIZE, sync, until

DOC = "def total(prices):\n    \n\n\nx = 1\n"
BODY = "total = 0\n    for price in prices:\n        total += price\n    return total"


def block() -> Candidate:
    origins = [f"shop/cart.py:{n}" for n in range(12, 16)]
    return Candidate(BODY, "block_retrieval", "block", {"cheap": -0.2, "final": -0.2},
                     [Verdict("syntax", True, "SYN000", "ok")],
                     {"seen_in": "shop/cart.py", "function": "subtotal", "line_origins": origins})  # fmt: skip


async def ask(app, pilot):
    app.code.move_cursor((1, 4))
    await pilot.press("ctrl+space")
    await until(pilot, lambda: app.panel.candidates)


@sync
async def test_the_panel_marks_a_block_with_its_line_count_and_previews_it(make_app):
    app, _, _ = make_app(DOC, FakePipeline([block(), cand("return 0")], []))
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot)
        shown = app.panel.render_table().plain
        assert "▤4 total = 0 ⏎…" in shown
        for n, line in enumerate(("    total = 0", "    for price in prices:", "        total += price"), 1):
            assert f"{n:>2}│ {line}" in shown
        assert "Ctrl+↓ one line" in app.panel.border_subtitle
        await pilot.press("down")  # a line candidate: no preview
        assert "│ " not in app.panel.render_table().plain


@sync
async def test_ctrl_down_accepts_one_line_then_tab_the_rest(make_app):
    app, _, _ = make_app(DOC, FakePipeline([block()], []))
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot)
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.code.document.get_line(1) == "    total = 0"
        assert app.code.cursor_location == (2, 0)
        assert app.panel.current.text == "    for price in prices:\n        total += price\n    return total"
        await pilot.press("ctrl+down")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.code.text == "def total(prices):\n    " + BODY + "\n\n\nx = 1\n"
        assert not app.panel.candidates


@sync
async def test_f2_shows_each_lines_origin(make_app):
    app, _, _ = make_app(DOC, FakePipeline([block()], []))
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, TraceScreen))
        text = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert "lines from shop/cart.py, function 'subtotal':" in text
        assert "shop/cart.py:13 │     for price in prices:" in text
