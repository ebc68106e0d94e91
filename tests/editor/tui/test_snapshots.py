"""Snapshots of the editor (pytest-textual-snapshot), with a scripted pipeline and the cursor blink off.

Update them with ``pytest tests/editor/tui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from .conftest import FakePipeline, cand

SIZE = (100, 30)


async def _ask(pilot):
    app = pilot.app
    app.code.move_cursor((5, 0))
    app.code.action_delete_to_end_of_line()
    await pilot.press(*"        for row in csv.")
    await pilot.press("ctrl+space")
    for _ in range(250):
        if app.panel.candidates:
            break
        await pilot.pause(0.02)
    assert app.panel.candidates
    await pilot.pause()


def pipeline():
    return FakePipeline(
        [
            cand("DictReader(fh):", llm=-0.41),
            cand("reader(fh):", llm=-0.93),
            cand("DictReader(fh, delimiter=';'):", "template", -2.1, -1.2),
        ]
    )


def test_candidates_with_ghost_preview(snap_compare, make_app):
    app, _, _ = make_app(pipeline=pipeline(), warm_up=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_ask)


def test_rejected_candidates_shown(snap_compare, make_app):
    app, _, _ = make_app(pipeline=pipeline(), warm_up=False)

    async def run_before(pilot):
        await _ask(pilot)
        await pilot.press("down", "f4")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_quit_confirmation(snap_compare, make_app):
    app, _, _ = make_app(warm_up=False)

    async def run_before(pilot):
        await pilot.press("x", "ctrl+q")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
