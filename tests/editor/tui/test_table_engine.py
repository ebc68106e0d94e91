"""The table engine: the cheap stage's answer early, then the ranked one (real table pipeline, no model)."""

from editor.config import load_config
from editor.tables.engine import open_table
from editor.tui.table_engine import TableEngine, TableRequest


def _engine(table_dir):
    config = load_config(start=table_dir)
    table = open_table(table_dir / "sessions.csv", None, config)
    return TableEngine(table, config, None), table


def _request(table, column, manual=False):
    row = 3 if column else len(table.document.rows)  # a cell of a row, or a new row
    return TableRequest(1, 1, (row, 0), "", 5, manual, document=table.document, row=row, column=column)


def test_a_cell_request_answers_early_with_valid_candidates_then_ranks(table_dir):
    engine, table = _engine(table_dir)
    early = []
    result = engine.suggest(_request(table, "exercise"), early=early.append)
    assert len(early) == 1
    (first,) = early
    assert first.work["phase"] == "quick" and first.candidates
    # every candidate of the early answer has passed every table validator: none is pending
    for cand in first.candidates:
        assert cand.ok and not cand.origin.get("pending") and cand.verdicts
    assert result is not first and result.candidates and all(c.ok for c in result.candidates)


def test_a_manual_request_is_answered_early_too(table_dir):
    engine, table = _engine(table_dir)
    early = []
    assert engine.suggest(_request(table, "exercise", manual=True), early=early.append).candidates
    assert len(early) == 1 and early[0].candidates  # the table's keys ask: there is no other request


def test_without_a_listener_there_is_only_the_ranked_answer(table_dir):
    engine, table = _engine(table_dir)
    result = engine.suggest(_request(table, "exercise"))
    assert result.candidates and result.work.get("phase") != "quick"


def test_a_request_that_went_stale_after_the_early_answer_is_dropped(table_dir):
    engine, table = _engine(table_dir)
    stale = []
    result = engine.suggest(_request(table, None), is_stale=lambda: bool(stale), early=stale.append)
    assert stale and result is None
