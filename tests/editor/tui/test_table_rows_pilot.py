"""Pilot tests of a count then Ctrl+N in ``gfv edit TABLE.csv``: a block of new rows (no LLM)."""

from __future__ import annotations

import datetime as dt
import threading

from editor.choices import ChoiceLog
from editor.tui.messages import CandidateAccepted, SuggestionsDropped
from editor.tui.screens import PromptScreen

from .test_pilot import SIZE, sync, until

KEY = (0, 1, 2)  # sessions.csv's primary key: date, athlete_id, exercise


@sync
async def test_count_then_ctrl_n_proposes_and_accepts_a_block_as_one_undo_step(make_table_app):
    app, path, wrapped = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        original = [list(r) for r in app.doc.rows]
        n = len(original)
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.pause()
        await pilot.press("3")
        assert app.count == "3" and "3^N: 3 rows" in str(app.query_one("#status").render())
        await pilot.press("ctrl+n")
        assert app.count == ""
        await until(pilot, lambda: app.panel.candidates, 60)
        blocks = app.panel.candidates
        assert all(c.kind == "block" and c.text.count("\n") == 2 for c in blocks)
        assert all(v.ok for c in blocks for v in c.verdicts)
        assert "block_keys" in {v.validator for v in blocks[0].verdicts}
        # chained: every row was proposed for the table extended by the rows before it
        asked = [row for row, column in wrapped[-1].calls if column is None]
        assert asked[0] == n and {n + 1, n + 2} <= set(asked)
        await pilot.press("down")
        chosen = app.panel.current.text
        assert chosen == blocks[1].text
        await pilot.press("tab")
        await until(pilot, lambda: all(i in app.verdicts for i in range(n, n + 3)), 15)
        assert len(app.doc.rows) == n + 3 and app.grid.row_count == n + 3
        assert "\n".join(app.doc.record_text(r) for r in app.doc.rows[n:]) == chosen
        assert all(v.ok for i in range(n, n + 3) for v in app.verdicts[i])
        keys = [tuple(r[i] for i in KEY) for r in app.doc.rows]
        assert len(set(keys)) == len(keys)  # unique within the block and against the table
        days = [dt.date.fromisoformat(r[0]) for r in app.doc.rows[n - 1 :]]
        assert days == sorted(days)  # the dates go on across the block
        assert [type(m) for m in app.events if isinstance(m, CandidateAccepted)] == [CandidateAccepted]
        assert ChoiceLog().read()[-1]["inserted"] == chosen
        await pilot.press("ctrl+z")  # the whole block goes in one step
        assert app.doc.rows == original and app.grid.row_count == n and not app.dirty
        await pilot.press("ctrl+y")
        assert len(app.doc.rows) == n + 3
        assert path.read_text().count("\n") == n + 1  # nothing written before Ctrl+S


@sync
async def test_escape_drops_the_count_and_ctrl_n_alone_proposes_one_row(make_table_app):
    app, _, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        n = len(app.doc.rows)
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.press("2", "escape")
        assert app.count == ""
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.panel.candidates, 15)
        assert all(c.kind == "row" and "\n" not in c.text for c in app.panel.candidates)
        await pilot.press("tab")
        assert len(app.doc.rows) == n + 1


@sync
async def test_palette_prompt_asks_for_the_count_and_refuses_a_bad_one(make_table_app):
    app, _, wrapped = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        n = len(app.doc.rows)
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.pause()
        app.action_suggest_rows()
        await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("backspace", "9", "9", "enter")  # over the limit: refused, nothing asked
        await pilot.pause()
        assert not app.panel.candidates and not any(w.calls for w in wrapped)
        app.action_suggest_rows()
        await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("backspace", "2", "enter")
        await until(pilot, lambda: app.panel.candidates, 60)
        assert all(c.kind == "block" and c.text.count("\n") == 1 for c in app.panel.candidates)
        first = app.panel.current.text.split("\n")[0]
        await pilot.press("ctrl+down")  # only the block's first row
        assert len(app.doc.rows) == n + 1 and app.doc.record_text(app.doc.rows[n]) == first


@sync
async def test_a_block_request_superseded_between_rows_stops_and_is_dropped(make_table_app):
    gate = threading.Event()
    app, _, wrapped = make_table_app(gate=gate)
    async with app.run_test(size=SIZE) as pilot:
        n = len(app.doc.rows)
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.pause()
        await pilot.press("4", "ctrl+n")
        await until(pilot, lambda: wrapped and wrapped[-1].calls)  # the block's first row is being asked for
        app.grid.move_cursor(row=0, column=0)  # the request goes stale
        await pilot.pause()
        gate.set()
        await until(pilot, lambda: any(isinstance(m, SuggestionsDropped) for m in app.events), 15)
        assert wrapped[-1].calls == [(n, None)]  # no row after the first was asked for
        assert not app.panel.candidates and len(app.doc.rows) == n
