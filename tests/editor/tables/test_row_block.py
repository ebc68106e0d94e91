"""The next N rows as one block: chaining, the beam, and validation as a block (scripted pipelines)."""

from __future__ import annotations

import datetime as dt

import pytest

from editor.candidates import Candidate, Verdict
from editor.config import load_config
from editor.errors import GfvError
from editor.pipeline import SuggestResult
from editor.tables.block_check import block_keys, parse_block, validate_block
from editor.tables.engine import open_table
from editor.tables.row_block import MAX_ROWS, parse_rows, propose_block, table_validators


class ScriptedPipeline:
    """Proposes rows computed from the table it is asked about (the slot's document), unvalidated."""

    def __init__(self, propose):
        self.propose = propose  # rows -> [(values, final score, source)]
        self.seen: list[list[list[str]]] = []
        self.model = None

    def suggest(self, slot, k=None):
        assert slot.column is None and slot.is_new_row
        self.seen.append([list(r) for r in slot.document.rows])
        cands = [
            Candidate(
                slot.row_text(values), source, "row", {"final": score}, origin={"why": f"{source} guess"}
            )
            for values, score, source in self.propose(slot.document.rows)
        ]
        return SuggestResult(cands[:k], [], {"total": 1.0}, None, ["a note"])


def next_day(rows, load, exercise="power_clean"):
    """The last row one day on, with ``load`` (volume = sets * reps * load)."""
    last = rows[-1]
    day = (dt.date.fromisoformat(last[0]) + dt.timedelta(days=1)).isoformat()
    sets, reps = int(last[3]), int(last[4])
    return [day, last[1], exercise, str(sets), str(reps), f"{load:.1f}", "7", f"{sets * reps * load:.1f}"]


@pytest.fixture
def sessions(tables):
    config = load_config(start=tables)
    table = open_table(tables / "sessions.csv", config=config)
    return table, table_validators(config)


def test_parse_rows_takes_next_n_within_bounds():
    assert (
        parse_rows("next:1") == 1 and parse_rows("next:5") == 5 and parse_rows(f"next:{MAX_ROWS}") == MAX_ROWS
    )
    for bad in ("next:0", f"next:{MAX_ROWS + 1}", "5", "next", "next:-1", "next:x", "last:3", None, 3):
        with pytest.raises(GfvError) as err:
            parse_rows(bad)
        assert err.value.code == 2 and "next:N" in err.value.message


def test_rows_are_chained_and_the_beam_keeps_the_best_blocks(sessions):
    table, validators = sessions
    pipeline = ScriptedPipeline(
        lambda rows: [
            (next_day(rows, 80.0), -0.1, "table_series"),
            (next_day(rows, 60.0), -0.5, "table_copy_edit"),
        ]
    )
    n0 = len(table.document.rows)
    result = propose_block(pipeline, table.slot("next"), 3, 3, validators, width=2)
    # row 1 once, then each of the 2 kept partial blocks per later row: 1 + 2 + 2 calls
    assert [len(rows) for rows in pipeline.seen] == [n0, n0 + 1, n0 + 1, n0 + 2, n0 + 2]
    assert pipeline.seen[1][-1] in (next_day(pipeline.seen[0], 80.0), next_day(pipeline.seen[0], 60.0))
    assert len(result.candidates) == 3 and not result.rejected
    best = result.candidates[0]
    assert best.kind == "block" and best.source == "row_block"
    rows = parse_block(table.document, best.text)
    assert [r[5] for r in rows] == ["80.0", "80.0", "80.0"]
    days = [r[0] for r in rows]
    assert days == ["2024-03-30", "2024-03-31", "2024-04-01"]  # the dates go on across the block
    assert best.scores["final"] == pytest.approx(-0.1)
    finals = [c.scores["final"] for c in result.candidates]
    assert finals == sorted(finals, reverse=True) and len({c.text for c in result.candidates}) == 3
    assert [r["source"] for r in best.origin["rows"]] == ["table_series"] * 3
    assert [r["row"] for r in best.origin["rows"]] == [n0 + 1, n0 + 2, n0 + 3]
    second = result.candidates[1].origin["rows"]
    assert sorted(r["source"] for r in second) == ["table_copy_edit", "table_series", "table_series"]
    codes = {v.code for v in best.verdicts}
    assert codes == {"TAB000", "KEY000", "FRM000", "ROWS000"} and best.ok
    assert result.work["block"] == {"rows": 3, "beam": 2, "calls": 5, "first_row": n0 + 1}
    assert result.notes.count("a note") == 1


def test_a_key_repeated_within_the_block_rejects_it_never_shown(sessions):
    table, validators = sessions
    fixed = next_day(table.document.rows, 70.0)
    pipeline = ScriptedPipeline(lambda rows: [(fixed, -0.1, "table_series")])
    result = propose_block(pipeline, table.slot("next"), 2, 3, validators)
    assert not result.candidates and len(result.rejected) == 1
    failed = {v.code: v for v in result.rejected[0].failures}
    assert set(failed) == {"KEY001", "ROWS001"}
    assert failed["ROWS001"].message.startswith("block rows 1 and 2 share (date, athlete_id, exercise)")
    assert failed["KEY001"].details["block_row"] in (1, 2)


def test_a_key_already_in_the_table_rejects_the_block(sessions):
    table, validators = sessions
    copy = list(table.document.rows[0])
    n0 = len(table.document.rows)

    def propose(rows):  # row 1 goes on; row 2 copies the table's first row
        return [(copy if len(rows) > n0 else next_day(rows, 70.0), -0.1, "table_copy_edit")]

    result = propose_block(ScriptedPipeline(propose), table.slot("next"), 2, 3, validators)
    assert not result.candidates and len(result.rejected) == 1
    failed = result.rejected[0].failures
    rows2 = [v for v in failed if v.code == "ROWS002"]
    assert rows2 and rows2[0].message.startswith("block row 2:") and "already exists" in rows2[0].message
    assert any(v.code == "KEY001" and v.message.startswith("block row 2:") for v in failed)


def test_a_row_failing_the_schema_or_formula_rejects_the_block_with_its_row(sessions):
    table, validators = sessions
    base = table.document
    good = next_day(base.rows, 70.0)
    bad = next_day([good], 70.0)
    bad[6] = "11"  # rpe above its range
    bad[7] = "1.0"  # volume_kg != sets * reps * load_kg
    verdicts = validate_block(
        base, base.record_text(good) + "\n" + base.record_text(bad), table.schema, table.rules, validators
    )
    failed = [v for v in verdicts if not v.ok]
    assert {v.code for v in failed} == {"TAB001", "FRM001"}
    assert all(v.message.startswith("block row 2:") and v.details["block_row"] == 2 for v in failed)


def test_a_validator_that_does_not_judge_a_row_never_passes_the_block(sessions):
    table, validators = sessions

    class Silent:
        name = "silent"

        def validate(self, slot, candidates):
            return [[] for _ in candidates]

    text = table.document.record_text(next_day(table.document.rows, 70.0))
    verdicts = validate_block(table.document, text, table.schema, table.rules, [*validators, Silent()])
    silent = [v for v in verdicts if v.validator == "silent"]
    assert len(silent) == 1 and not silent[0].ok and not silent[0].checked and silent[0].code == "ROWS009"


def test_text_that_is_not_rows_of_the_table_is_rejected(sessions):
    table, validators = sessions
    verdicts = validate_block(table.document, "a,b\nc", table.schema, table.rules, validators)
    assert [(v.code, v.ok) for v in verdicts] == [("ROWS003", False)]
    with pytest.raises(ValueError):
        parse_block(table.document, "")


def test_block_keys_without_key_rules_pass_and_say_so(sessions):
    table, _ = sessions
    from editor.tables.rules import TableRules

    verdict = block_keys(table.document, [next_day(table.document.rows, 1.0)] * 2, None, TableRules())
    assert verdict.ok and verdict.code == "ROWS000" and verdict.message == "no key rules"


def test_quoted_newlines_survive_the_block_text(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('id,note\n1,"two\nlines"\n')
    table = open_table(path, config=load_config(start=tmp_path))
    rows = [["2", "a\nb"], ["3", "c"]]
    text = "\n".join(table.document.record_text(r) for r in rows)
    assert parse_block(table.document, text) == rows


def test_no_valid_row_ends_the_block_with_a_note(sessions):
    table, validators = sessions
    result = propose_block(ScriptedPipeline(lambda rows: []), table.slot("next"), 4, 3, validators)
    assert not result.candidates and not result.rejected
    assert "no valid candidate for block row 1 of 4" in result.notes


def test_a_block_is_proposed_after_the_last_row_only(sessions):
    table, validators = sessions
    with pytest.raises(GfvError):
        propose_block(ScriptedPipeline(lambda rows: []), table.slot(2), 2, 3, validators)


def test_stop_ends_the_search_between_rows(sessions):
    table, validators = sessions
    pipeline = ScriptedPipeline(lambda rows: [(next_day(rows, 80.0), -0.1, "table_series")])
    result = propose_block(
        pipeline, table.slot("next"), 5, 3, validators, stop=lambda: len(pipeline.seen) >= 2
    )
    assert len(pipeline.seen) == 2 and not result.candidates and "stopped" in result.notes
