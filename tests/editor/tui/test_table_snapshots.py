"""Snapshot of the table view (pytest-textual-snapshot): a cell's candidates, no model, fixed latency.

Update with ``pytest tests/editor/tui/test_table_snapshots.py --snapshot-update`` and review the SVG.
"""

from __future__ import annotations

SIZE = (100, 30)


def test_table_cell_candidates(snap_compare, make_table_app):
    app, _, _ = make_table_app(total_ms=12.0)

    async def run_before(pilot):
        app.grid.move_cursor(row=3, column=6)
        await pilot.pause()
        await pilot.press("ctrl+space")
        for _ in range(500):
            if app.panel.candidates:
                break
            await pilot.pause(0.02)
        assert app.panel.candidates
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
