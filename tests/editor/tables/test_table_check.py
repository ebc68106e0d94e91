"""gfv check on tables: chunked validation, cross-file keys, formulas, malformed files."""

import pytest

from editor.cli.main import main
from editor.tables.chunked import validate_file
from editor.tables.engine import open_table


def test_check_reports_table_problems(tables, capsys):
    path = tables / "sessions.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("2024-04-01,A999,deadlift,3,5,100.0,8,1500.0\n")  # unknown athlete
        fh.write("2024-04-01,A001,deadlift,3,5,100.0,8,1400.0\n")  # wrong volume
        fh.write("2024-04-01,A001,deadlift,3,5,100.0,8,1500.0\n")  # duplicate key (and the volume is right)
        fh.write("2024-04-02,A001,curls,3,5,100.0,8,1500.0\n")  # not an exercise
    (tables / "broken.csv").write_text("a,b\n1\n")
    assert main(["check", str(tables), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "sessions.csv:122:1: KEY003" in out
    assert "sessions.csv:123:1: FRM001" in out
    assert "sessions.csv:124:1: KEY001" in out
    assert "sessions.csv:125:1: TAB001 exercise" in out
    assert "broken.csv:2:1: GFV001" in out and "ragged row" in out  # at the bad record
    assert "athletes.csv:" not in out


def test_chunks_give_the_same_answer_as_one_pass(tables):
    path = tables / "sessions.csv"
    lines = path.read_text().splitlines()
    fields = lines[10].split(",")
    lines[10] = ",".join([*fields[:2], "curls", *fields[3:]])
    lines[50] = lines[5]
    path.write_text("\n".join(lines) + "\n")
    table = open_table(path)
    one = validate_file(path, table.schema, table.rules, chunksize=1_000_000)
    small = validate_file(path, table.schema, table.rules, chunksize=7)
    assert small.chunks > 10 and one.chunks == 1
    key = lambda s: sorted((p.row, p.code) for p in s.problems)  # noqa: E731
    assert key(one) == key(small) and {c for _, c in key(one)} == {"TAB001", "KEY001"}


def test_cached_result_is_dropped_when_a_referenced_table_changes(tables, capsys, monkeypatch):
    monkeypatch.setenv("GFV_CACHE_DIR", str(tables / "cache"))
    monkeypatch.chdir(tables)
    assert main(["check", "sessions.csv"]) == 0
    assert main(["check", "sessions.csv"]) == 0
    assert "1 from cache" in capsys.readouterr().out
    athletes = tables / "athletes.csv"
    kept = [
        line for line in athletes.read_text(encoding="utf-8").splitlines() if not line.startswith("A001,")
    ]
    athletes.write_text("\n".join(kept) + "\n", encoding="utf-8")  # sessions.csv itself is unchanged
    assert main(["check", "sessions.csv"]) == 1
    out = capsys.readouterr().out
    assert "KEY003 athlete_id = A001 not found in athletes.csv" in out and "0 from cache" in out


@pytest.mark.parametrize("engine", ["pandas", "polars", "dask"])
def test_tables_with_a_byte_order_mark(tables, capsys, monkeypatch, engine):
    for name in ("athletes.csv", "sessions.csv"):
        path = tables / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with (tables / "sessions.csv").open("a", encoding="utf-8") as fh:
        fh.write("2024-04-01,A999,deadlift,3,5,100.0,8,1500.0\n")
    monkeypatch.chdir(tables)
    assert main(["check", "athletes.csv", "sessions.csv", "--no-cache", "--engine", engine]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "sessions.csv:122:1: KEY003 athlete_id = A999 not found in athletes.csv"
    assert "GFV001" not in out


@pytest.mark.parametrize("engine", ["pandas", "polars", "dask"])
def test_tables_with_comment_lines_before_the_header(tables, capsys, monkeypatch, engine):
    # as matplotlib's Stocks.csv: "# Data source: ..." before the header; the foreign key's
    # table has a preamble too, and findings keep their physical line numbers
    for name in ("athletes.csv", "sessions.csv"):
        path = tables / name
        path.write_text(
            "# exported 2024-04-02\n# by hand\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
        )
    with (tables / "sessions.csv").open("a", encoding="utf-8") as fh:
        fh.write("2024-04-01,A999,deadlift,3,5,100.0,8,1500.0\n")  # unknown athlete
        fh.write("2024-04-01,A001,curls,3,5,100.0,8,1500.0\n")  # not an exercise
    monkeypatch.chdir(tables)
    assert main(["check", "athletes.csv", "sessions.csv", "--no-cache", "--engine", engine]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "sessions.csv:124:1: KEY003 athlete_id = A999 not found in athletes.csv"
    assert out[1].startswith("sessions.csv:125:1: TAB001 exercise")
    assert not any("GFV001" in line for line in out)
