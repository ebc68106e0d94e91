"""The table validators on real slots of the sample pair (no model)."""

from editor.candidates import Candidate
from editor.config import load_config
from editor.stages import load_builtin_stages, validators
from editor.tables.engine import open_table


def _judge(slot, texts, names=("table_schema", "table_keys", "table_formula")):
    load_builtin_stages()
    cands = [Candidate(t, "test", kind=slot.kind) for t in texts]
    for name in names:
        for cand, verdicts in zip(cands, validators.get(name)(None).validate(slot, cands)):
            cand.verdicts.extend(verdicts)
    return cands


def _codes(cand):
    return sorted(v.code for v in cand.verdicts if not v.ok)


def test_row_candidates_get_their_codes(tables):
    table = open_table(tables / "sessions.csv", config=load_config(start=tables))
    slot = table.slot("next")
    good, bad_fk, bad_formula, bad_schema, dup, not_a_row = _judge(
        slot,
        [
            "2024-04-01,A003,deadlift,3,5,100.0,8,1500.0",
            "2024-04-01,A999,deadlift,3,5,100.0,8,1500.0",
            "2024-04-01,A003,deadlift,3,5,100.0,8,1400.0",
            "2024-04-01,A003,curls,3,5,-1,8,-15.0",
            "2024-03-29,A002,power_clean,5,3,80.0,7.5,1200.0",
            "2024-04-01,A003",
        ],
    )
    assert good.ok and {v.code for v in good.verdicts} == {"TAB000", "KEY000", "FRM000"}
    assert _codes(bad_fk) == ["KEY003"]
    fk = next(v for v in bad_fk.verdicts if v.code == "KEY003")
    assert fk.details["cells"] == [{"row": 121, "column": "athlete_id", "value": "A999"}]
    assert _codes(bad_formula) == ["FRM001"]
    assert next(v for v in bad_formula.verdicts if v.code == "FRM001").details["expected"] == 1500.0
    assert "TAB001" in _codes(bad_schema)
    cases = next(v for v in bad_schema.verdicts if v.code == "TAB001").details["failure_cases"]
    assert {(c["column"], c["value"]) for c in cases} >= {
        ("exercise", "curls"),
        ("load_kg", -1.0),
        ("volume_kg", -15.0),
    }
    assert _codes(dup) == ["KEY001"]
    assert "TAB002" in _codes(not_a_row)


def test_uncoercible_cell_is_pinned_to_its_row(tables):
    table = open_table(tables / "sessions.csv", config=load_config(start=tables))
    ok, bad = _judge(
        table.slot("next"),
        [
            "2024-04-01,A003,deadlift,3,5,100.0,8,1500.0",
            "2024-04-01,A003,deadlift,five,5,100.0,8,1500.0",
        ],
        names=("table_schema",),
    )
    assert ok.ok and _codes(bad) == ["TAB001"]


def test_cell_slot_counts_only_its_column(tables):
    table = open_table(tables / "sessions.csv", config=load_config(start=tables))
    slot = table.slot(3, "volume_kg")  # 2024-03-04,A008,romanian_deadlift,3,8,87.5,...
    right, wrong = _judge(slot, ["2100.0", "2000.0"])
    assert right.ok and _codes(wrong) == ["FRM001"]
    # a cell in a column no rule mentions: the formula does not apply
    (rpe,) = _judge(table.slot(3, "rpe"), ["8.5"])
    assert rpe.ok and "FRM000" in {v.code for v in rpe.verdicts}


def test_unique_column_against_existing_rows(tables):
    table = open_table(tables / "athletes.csv", config=load_config(start=tables))
    new, taken = _judge(
        table.slot("next"), ["A009,Ana Silva,F,2000,60.5,sprint", "A001,Ana Silva,F,2000,60.5,sprint"]
    )
    assert new.ok
    assert "TAB003" in _codes(taken) and "KEY001" in _codes(taken)


def test_generators_propose_valid_rows_without_a_model(tables):
    from editor.tables.engine import suggest_cells

    result = suggest_cells(tables / "sessions.csv", "next", config=load_config(start=tables))
    assert result.candidates
    for cand in result.candidates:
        assert cand.ok and {v.code for v in cand.verdicts} == {"TAB000", "KEY000", "FRM000"}
    # copies of the neighbours whose (date, athlete_id, exercise) is taken are caught by the key
    assert result.rejected and all(c.failures for c in result.rejected)
    assert any(v.code == "KEY001" for c in result.rejected for v in c.failures)
    # the neighbours name an athlete that athletes.csv no longer has: those rows fail the foreign key
    athletes_csv = tables / "athletes.csv"
    lines = athletes_csv.read_text().splitlines(keepends=True)
    athletes_csv.write_text("".join(line for line in lines if not line.startswith("A002,")))
    orphaned = suggest_cells(tables / "sessions.csv", "next", config=load_config(start=tables))
    assert any(v.code == "KEY003" for c in orphaned.rejected for v in c.failures)
    assert all(c.text.split(",")[1] != "A002" for c in orphaned.candidates)
    athletes_csv.write_text("".join(lines))
    athletes = suggest_cells(tables / "athletes.csv", "next", "athlete_id", config=load_config(start=tables))
    assert athletes.candidates[0].text == "A009"


def test_what_a_table_validator_cannot_read_never_passes(tables):
    table = open_table(tables / "sessions.csv", config=load_config(start=tables))
    slot = table.slot("next")
    (not_a_row,) = _judge(slot, ['2024-04-01,"A003,deadlift'])
    assert not not_a_row.ok and {"TAB002", "KEY005", "FRM004"} <= set(_codes(not_a_row))
    (not_a_number,) = _judge(
        slot, ["2024-04-01,A003,deadlift,three,5,100.0,8,1500.0"], names=("table_formula",)
    )
    assert _codes(not_a_number) == ["FRM002"]
    (tables / "athletes.csv").unlink()  # the referenced table cannot be read: KEY004, never KEY000
    (unreadable,) = _judge(slot, ["2024-04-01,A003,deadlift,3,5,100.0,8,1500.0"], names=("table_keys",))
    assert _codes(unreadable) == ["KEY004"]


def test_a_formula_with_an_empty_input_is_not_due_yet(tables):
    table = open_table(tables / "sessions.csv", config=load_config(start=tables))
    (row,) = _judge(table.slot("next"), ["2024-04-01,A003,deadlift,3,5,,8,"], names=("table_formula",))
    (verdict,) = row.verdicts
    assert verdict.ok and verdict.checked and verdict.code == "FRM003"
    assert "not due yet" in verdict.message and "load_kg" in verdict.message
