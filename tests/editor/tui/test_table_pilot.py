"""Pilot tests of ``gfv edit TABLE.csv``: the real table engine (pandera, keys, formulas), no LLM."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from editor.choices import ChoiceLog
from editor.journal import Journal
from editor.tables.engine import table_pipeline
from editor.tui.messages import CandidateAccepted, SuggestionsDropped
from editor.tui.screens import ChoiceScreen, PromptScreen, TraceScreen

from .test_pilot import SIZE, sync, until

ROW4 = "2024-03-04,A008,power_clean,5,3,67.5,9,1012.5"  # data row 4 (index 3); rpe is column 6
RPE = 6


async def ask_cell(app, pilot, row=3, col=RPE):
    app.grid.move_cursor(row=row, column=col)
    await pilot.pause()
    await pilot.press("ctrl+space")
    await until(pilot, lambda: app.panel.candidates or app.panel.note, 15)


async def hand_edit(app, pilot, row, col, keys):
    app.grid.move_cursor(row=row, column=col)
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, PromptScreen))
    await pilot.press(*keys, "enter")
    await pilot.pause()


def cell(app, row, col):
    return str(app.grid.get_cell_at((row, col)))


@sync
async def test_accept_fills_the_selected_cell(make_table_app):
    app, path, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask_cell(app, pilot)
        shown = app.panel.candidates
        assert shown and all(v.ok for c in shown for v in c.verdicts)
        assert {v.validator for v in shown[0].verdicts} == {"table_schema", "table_keys", "table_formula"}
        await pilot.press("f4")
        assert app.panel.show_rejected
        await pilot.press("f2")
        assert isinstance(app.screen, TraceScreen)
        await pilot.press("escape")
        await pilot.press("down")  # cycle
        choice = app.panel.current.text
        assert choice == shown[1].text
        await pilot.press("tab")
        await until(pilot, lambda: 3 in app.verdicts)
        assert app.doc.rows[3][RPE] == choice and cell(app, 3, RPE) == choice
        assert app.dirty and not app.panel.candidates
        assert all(v.ok for v in app.verdicts[3])
        assert [type(m) for m in app.events if isinstance(m, CandidateAccepted)] == [CandidateAccepted]
        assert ChoiceLog().read()[-1]["event"] == "accept"
        assert path.read_text().splitlines()[4] == ROW4  # nothing written before Ctrl+S


@sync
async def test_accept_appends_the_proposed_row(make_table_app):
    app, _, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        n = len(app.doc.rows)
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.panel.candidates, 15)
        text = app.panel.current.text
        await pilot.press("tab")
        await until(pilot, lambda: n in app.verdicts)
        assert len(app.doc.rows) == n + 1 and app.grid.row_count == n + 1
        assert app.doc.record_text(app.doc.rows[n]) == text
        assert [cell(app, n, c) for c in range(len(app.doc.header))] == app.doc.rows[n]
        assert all(v.ok for v in app.verdicts[n])


@sync
async def test_hand_edit_revalidates_the_row(make_table_app):
    app, _, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        await hand_edit(app, pilot, 3, 5, ["backspace", "backspace", "backspace", "backspace", "7", "0"])
        assert app.doc.rows[3][5] == "70" and cell(app, 3, 5) == "70"
        await until(pilot, lambda: 3 in app.verdicts)
        failed = [v for v in app.verdicts[3] if not v.ok]
        assert [v.code for v in failed] == ["FRM001"]  # volume_kg no longer equals sets * reps * load_kg
        assert "row ✗ FRM001" in str(app.query_one("#status").render())
        assert app.grid.rows["3"].label.plain.endswith("✗")
        await hand_edit(app, pilot, 3, 7, ["backspace"] * 6 + list("1050.0"))
        await until(pilot, lambda: 3 in app.verdicts and all(v.ok for v in app.verdicts[3]))
        assert "row ✓" in str(app.query_one("#status").render())


@pytest.mark.parametrize("change", ["cursor moved", "table changed"])
@sync
async def test_stale_result_is_dropped(make_table_app, change):
    gate = threading.Event()
    app, _, wrapped = make_table_app(gate=gate)
    async with app.run_test(size=SIZE) as pilot:
        app.grid.move_cursor(row=3, column=RPE)
        await pilot.pause()
        await pilot.press("ctrl+space")
        await until(pilot, lambda: wrapped and wrapped[0].calls)  # the worker is inside the pipeline
        if change == "cursor moved":
            await pilot.press("right")
        else:
            await hand_edit(app, pilot, 3, RPE, ["backspace", "8"])
            assert app.edit_cursor() == (3, RPE)
        gate.set()
        await until(pilot, lambda: any(isinstance(m, SuggestionsDropped) for m in app.events))
        dropped = [m for m in app.events if isinstance(m, SuggestionsDropped)]
        assert dropped[0].reason == "stale"
        assert app.panel.candidates == [] and not app.panel.has_class("-visible")


def _crlf_quoted(path: Path) -> bytes:
    """The sample rewritten with CRLF line endings and one record fully quoted."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join(f'"{v}"' for v in lines[1].split(","))
    data = ("\r\n".join(lines) + "\r\n").encode()
    path.write_bytes(data)
    return data


@sync
async def test_save_round_trips_every_byte_but_the_changed_record(make_table_app, table_dir):
    before = _crlf_quoted(table_dir / "sessions.csv")
    app, path, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        await hand_edit(app, pilot, 3, RPE, ["backspace", "8"])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.dirty)
        assert path.read_bytes() == before.replace(ROW4.encode(), ROW4.replace(",9,", ",8,").encode())
        assert not app.journal.exists()


@sync
async def test_save_refuses_a_file_changed_on_disk(make_table_app):
    app, path, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        await hand_edit(app, pilot, 3, RPE, ["backspace", "8"])
        outside = path.read_text() + "2024-03-29,A001,back_squat,5,5,100.0,7,2500.0\n"
        path.write_text(outside)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == outside and app.dirty


@sync
async def test_journal_recovery_restores_the_edits(make_table_app):
    app, path, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        await hand_edit(app, pilot, 3, RPE, ["backspace", "8"])
        app.journal_tick()  # the 2 s timer, now
        assert Journal(path).read().text == app.doc.text()
    # "crash": the app ended without saving or quitting; the journal is still there
    again, _, _ = make_table_app()
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(again.screen, ChoiceScreen))
        await pilot.press("r")
        await pilot.pause()
        assert again.doc.rows[3][RPE] == "8" and cell(again, 3, RPE) == "8" and again.dirty
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(again.screen, ChoiceScreen))  # unsaved: asks first


@sync
async def test_model_failure_falls_back_to_prior_ranking(make_table_app):
    def factory(config, model_path, model_name=None):
        if model_path is not None:
            raise RuntimeError("bad gguf")
        return table_pipeline(config, None)

    app, _, _ = make_table_app(model_path=Path("broken.gguf"), factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await ask_cell(app, pilot)
        assert app.panel.candidates
        assert "n-gram only (model failed to load: bad gguf)" in str(app.query_one("#status").render())


@sync
async def test_undo_and_redo_hand_edits_and_accepted_rows(make_table_app):
    app, path, _ = make_table_app()
    async with app.run_test(size=SIZE) as pilot:
        original = [list(r) for r in app.doc.rows]
        n = len(original)
        await hand_edit(app, pilot, 3, 5, ["backspace", "backspace", "backspace", "backspace", "7", "0"])
        assert app.doc.rows[3][5] == "70" and app.dirty
        app.grid.move_cursor(row=n - 1, column=0)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.panel.candidates, 15)
        await pilot.press("tab")
        assert len(app.doc.rows) == n + 1 and app.grid.row_count == n + 1
        await pilot.press("ctrl+z")  # the appended row goes
        assert len(app.doc.rows) == n and app.grid.row_count == n
        assert app.doc.rows[3][5] == "70" and cell(app, 3, 5) == "70"
        await pilot.press("ctrl+z")  # the hand edit goes: back to the file
        assert app.doc.rows == original and cell(app, 3, 5) == original[3][5]
        assert not app.dirty and app.edit_cursor() == (3, 5)
        await until(pilot, lambda: 3 in app.verdicts and all(v.ok for v in app.verdicts[3]))
        await pilot.press("ctrl+z")
        assert app.doc.rows == original  # nothing more to undo
        await pilot.press("ctrl+y")
        assert app.doc.rows[3][5] == "70" and cell(app, 3, 5) == "70" and app.dirty
        await until(pilot, lambda: 3 in app.verdicts and not all(v.ok for v in app.verdicts[3]))
        await pilot.press("ctrl+y")
        assert len(app.doc.rows) == n + 1 and app.grid.row_count == n + 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = path.read_text().splitlines()
        assert len(saved) == n + 2 and saved[4].split(",")[5] == "70"


@sync
async def test_a_cell_request_shows_the_cheap_answer_first_then_the_ranked_one(make_table_app):
    from editor.tui.messages import SuggestionsReady

    app, _, _ = make_table_app(factory=lambda cfg, mp, mn=None: table_pipeline(cfg, mp, mn))
    async with app.run_test(size=SIZE) as pilot:
        await ask_cell(app, pilot)
        await until(pilot, lambda: not app.busy, 15)
        ready = [m for m in app.events if isinstance(m, SuggestionsReady)]
        assert [m.final for m in ready] == [False, True]
        early, ranked = ready
        assert early.request is ranked.request and early.result.work["phase"] == "quick"
        assert all(v.ok for c in early.result.candidates for v in c.verdicts) and early.result.candidates
        assert app.panel.candidates and [c.text for c in app.panel.candidates] == [
            c.text for c in ranked.result.candidates
        ]
