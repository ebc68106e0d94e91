"""gfv suggest / infer-schema on tables: JSON shape, clear errors, files left untouched."""

import json

import pytest

from editor.cli.main import main


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_suggest_json_shape_without_model(tables, capsys):
    before = (tables / "sessions.csv").read_bytes()
    rc, out, _ = _run(
        capsys, "suggest", str(tables / "sessions.csv"), "--row", "next", "--no-llm", "--format", "json"
    )
    assert rc == 0
    data = json.loads(out)
    assert set(data) == {"candidates", "rejected", "timings_ms", "model", "notes", "work"}
    assert data["candidates"][0]["kind"] == "row" and data["work"]["slot"]["row"] == 121
    assert (tables / "sessions.csv").read_bytes() == before


@pytest.mark.parametrize(
    "setup, needle",
    [
        (lambda d: (d / "sessions.csv").write_bytes(b"date,athlete_id\n2024-01-01\n"), "ragged row"),
        (
            lambda d: (d / "sessions.csv").write_bytes((d / "sessions.csv").read_bytes() + b"\xe9\n"),
            "not valid UTF-8",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text("columns: [unclosed\n"),
            "not a valid pandera YAML schema",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text(""),
            "sessions.schema.yaml: the schema file is empty",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text("{}\n"),
            "sessions.schema.yaml: the schema declares no columns",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text("schema_type: dataframe\ncolumns: {}\n"),
            "sessions.schema.yaml: the schema declares no columns",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text(
                "columns:\n  date:\n    dtype: str\n    checks:\n      no_such_check: 1\n"
            ),
            "sessions.schema.yaml: not a valid pandera YAML schema",
        ),
        (
            lambda d: (d / "sessions.schema.yaml").write_text(
                (d / "sessions.schema.yaml").read_text().replace("  rpe:", "  effort:")
            ),
            "the schema has columns the file lacks: effort",
        ),
        (
            lambda d: (d / "gfv.toml").write_text(
                '[tables]\nformulas = ["sessions.csv: volume_kg = sets ** reps"]\n'
            ),
            "'tables.formulas' entry",
        ),
        (
            lambda d: (d / "gfv.toml").write_text(
                '[tables]\nforeign_keys = ["sessions.csv: athlete_id -> athletes.csv"]\n'
            ),
            "'tables.foreign_keys' entry",
        ),
        (
            lambda d: (d / "gfv.toml").write_text('[tables]\nprimary_keys = ["sessions.csv: day"]\n'),
            "name columns the file lacks: day",
        ),
    ],
)
def test_malformed_input_is_a_clear_usage_error(tables, capsys, setup, needle):
    setup(tables)
    snapshot = {p.name: p.read_bytes() for p in tables.iterdir()}
    rc, out, err = _run(capsys, "suggest", str(tables / "sessions.csv"), "--row", "next", "--no-llm")
    assert rc == 2, out + err
    assert needle in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == snapshot


def test_usage_errors(tables, capsys):
    csv = str(tables / "sessions.csv")
    assert _run(capsys, "suggest", csv, "--no-llm")[0] == 2  # no --row
    rc, _, err = _run(capsys, "suggest", csv, "--row", "500", "--no-llm")
    assert rc == 2 and "out of range" in err
    rc, _, err = _run(capsys, "suggest", csv, "--row", "1", "--column", "nope", "--no-llm")
    assert rc == 2 and "no column 'nope'" in err


def test_infer_schema_writes_a_tight_schema_that_the_file_passes(tables, capsys):
    from editor.tables.csvdoc import TableDocument
    from editor.tables.frame import validate_rows
    from editor.tables.schema import load_schema

    (tables / "sessions.schema.yaml").unlink()
    rc, _, err = _run(capsys, "infer-schema", str(tables / "sessions.csv"))
    assert rc == 0, err
    schema = load_schema(tables / "sessions.schema.yaml")
    assert str(schema.columns["date"].dtype).startswith("datetime64")
    isin = [c for c in schema.columns["exercise"].checks if c.name == "isin"]
    assert isin and set(isin[0].statistics["allowed_values"]) == {
        "back_squat",
        "bench_press",
        "deadlift",
        "power_clean",
        "romanian_deadlift",
        "pull_up",
    }
    assert [c.name for c in schema.columns["sets"].checks] == ["in_range"]
    doc = TableDocument.load(tables / "sessions.csv")
    assert not any(validate_rows(schema, doc.header, doc.rows))
    athletes = tables / "a.yaml"
    assert _run(capsys, "infer-schema", str(tables / "athletes.csv"), "-o", str(athletes))[0] == 0
    assert load_schema(athletes).columns["athlete_id"].unique
    rc, _, err = _run(capsys, "infer-schema", str(tables / "sessions.csv"))
    assert rc == 2 and "already exists" in err


def test_infer_schema_takes_empty_columns_and_whole_numbers_with_gaps(tmp_path, capsys):
    """Shapes of real tables that once made infer-schema fail with an internal error
    (statsmodels' fertility.csv: years never filled in; vega's la-riots.csv: ages with gaps)."""
    from editor.tables.csvdoc import TableDocument
    from editor.tables.frame import validate_rows
    from editor.tables.schema import load_schema

    csv = tmp_path / "people.csv"
    rows = [f"{i},name{i},{'' if i % 3 == 0 else 20 + i},," for i in range(1, 13)]
    csv.write_text("id,name,age,note,2013\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rc, _, err = _run(capsys, "infer-schema", str(csv))
    assert rc == 0, err
    schema = load_schema(tmp_path / "people.schema.yaml")
    assert schema.columns["note"].nullable and schema.columns["note"].checks == []
    assert schema.columns["age"].nullable and [c.name for c in schema.columns["age"].checks] == ["in_range"]
    doc = TableDocument.load(csv)
    assert not any(validate_rows(schema, doc.header, doc.rows))
    (failures,) = validate_rows(schema, doc.header, [["13", "name13", "-500", "", ""]])
    assert {c["column"] for c in failures} == {"age"}
