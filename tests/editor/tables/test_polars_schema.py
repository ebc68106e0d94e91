"""Each built-in check kind ported to pandera.polars fails where pandera (pandas) fails; a check
that cannot be ported is a note (a TAB998 warning in gfv check), never a silent pass."""

from __future__ import annotations

import csv
from pathlib import Path

import pandera.pandas as pa

from editor.cli.main import main
from editor.tables.chunked import validate_file
from editor.tables.engines.polars_engine import validate_polars
from editor.tables.engines.polars_schema import port_schema
from editor.tables.rules import TableRules

C = pa.Check
# column: (dtype, check, a passing cell, a failing cell)
KINDS = {
    "in_range": ("int64", C.in_range(1, 10), "5", "11"),
    "ge": ("int64", C.ge(0), "0", "-1"),
    "le": ("float64", C.le(5.5), "5.5", "6"),
    "gt": ("float64", C.gt(0), "0.5", "0"),
    "lt": ("int64", C.lt(10), "9", "10"),
    "eq": ("str", C.eq("x"), "x", "y"),
    "ne": ("str", C.ne("bad"), "good", "bad"),
    "isin": ("str", C.isin(["p", "q"]), "p", "r"),
    "notin": ("str", C.notin(["z"]), "y", "z"),
    "str_matches": ("str", C.str_matches(r"^\d+$"), "12", "a1"),
    "str_contains": ("str", C.str_contains("@"), "a@b", "nope"),
    "str_startswith": ("str", C.str_startswith("ab"), "abc", "xab"),
    "str_endswith": ("str", C.str_endswith("yz"), "xyz", "yzx"),
    "str_length": ("str", C.str_length(2, 3), "ab", "abcd"),
    "date_range": ("datetime64[ns]", C.in_range("2020-01-01", "2020-12-31"), "2020-06-01", "2021-01-01"),
}


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    return path


def test_every_builtin_check_kind_fails_on_polars_where_it_fails_on_pandas(tmp_path):
    schema = pa.DataFrameSchema(
        {name: pa.Column(dtype, checks=[check]) for name, (dtype, check, _, _) in KINDS.items()},
        coerce=True,
    )
    names = list(KINDS)
    good = [KINDS[n][2] for n in names]
    rows = [good]
    for i, name in enumerate(names):  # row i + 2 fails exactly the check of column `name`
        row = list(good)
        row[i] = KINDS[name][3]
        rows.append(row)
    path = write(tmp_path / "t.csv", names, rows)
    ported = port_schema(schema)
    assert not ported.notes
    pandas = validate_file(path, schema, TableRules())
    polars = validate_polars(path, schema, TableRules())
    assert [(p.row, p.column) for p in polars.problems] == [(i + 2, n) for i, n in enumerate(names)]
    assert polars.problems == pandas.problems
    assert polars.problems[0].message == "in_range: in_range(1, 10) fails for '11'"


def test_dtype_and_null_cases_convert_like_pandas(tmp_path):
    schema = pa.DataFrameSchema(
        {
            "i": pa.Column("int64", nullable=False),
            "f": pa.Column("float64", nullable=True, checks=[C.ge(0)]),
            "d": pa.Column("datetime64[ns]", nullable=False),
        },
        coerce=True,
    )
    rows = [["1", "0.5", "2024-01-01"], ["x", "", "2024-01-02"], ["", "-1", "2024-02-30"], ["2.5", "y", ""]]
    path = write(tmp_path / "t.csv", ["i", "f", "d"], rows)
    pandas = validate_file(path, schema, TableRules())
    polars = validate_polars(path, schema, TableRules())
    assert polars.problems == pandas.problems
    assert {(p.row, p.column, p.message.split(": ", 1)[1]) for p in polars.problems} == {
        (2, "i", "coerce_dtype('int64') fails for 'x'"),
        (3, "i", "not_nullable fails for ''"),
        (3, "f", "greater_than_or_equal_to(0) fails for '-1'"),
        (3, "d", "coerce_dtype('datetime64[ns]') fails for '2024-02-30'"),
        (4, "i", "coerce_dtype('int64') fails for '2.5'"),
        (4, "f", "coerce_dtype('float64') fails for 'y'"),
        (4, "d", "not_nullable fails for ''"),
    }


def test_a_check_without_a_polars_implementation_is_a_note(tmp_path):
    schema = pa.DataFrameSchema(
        {
            "n": pa.Column("int64", checks=[C(lambda s: s > 0, name="positive"), C.le(100)]),
            "s": pa.Column("str", checks=[C(lambda v: v.islower(), element_wise=True, name="lower")]),
        },
        checks=[C(lambda df: df["n"] < 1000, name="frame_small")],
        coerce=True,
    )
    ported = port_schema(schema)
    assert len(ported.notes) == 3
    assert any("check positive has no polars implementation" in n for n in ported.notes)
    assert any("check lower has no polars implementation" in n for n in ported.notes)
    assert any("frame_small" in n and "frame-wide" in n for n in ported.notes)
    path = write(tmp_path / "t.csv", ["n", "s"], [["-3", "ok"], ["200", "ok"]])
    polars = validate_polars(path, schema, TableRules())
    assert [(p.row, p.message) for p in polars.problems] == [
        (2, "n: less_than_or_equal_to(100) fails for '200'")
    ]
    assert polars.notes == ported.notes
    pandas = validate_file(path, schema, TableRules())  # pandas still runs the lambda
    assert (1, "n: positive fails for '-3'") in [(p.row, p.message) for p in pandas.problems]


def test_gfv_check_warns_about_an_unported_check(tmp_path, monkeypatch, capsys):
    (tmp_path / "t.schema.py").write_text(
        "import pandera.pandas as pa\n"
        "positive = pa.Check(lambda s: s > 0, name='positive')\n"
        "schema = pa.DataFrameSchema({'n': pa.Column('int64', checks=[positive])}, coerce=True)\n"
    )
    write(tmp_path / "t.csv", ["n"], [["1"], ["-3"]])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", "t.csv", "--no-cache", "--engine", "polars"]) == 0  # a warning does not fail
    out = capsys.readouterr().out
    assert "t.csv:1:1: TAB998 column n: check positive has no polars implementation" in out
    assert main(["check", "t.csv", "--no-cache", "--engine", "pandas"]) == 1
    assert "t.csv:3:1: TAB001 n: positive fails for '-3'" in capsys.readouterr().out
