"""The pandas, polars and dask engines report the same problems, word for word, row for row.

dask runs on a real local cluster (worker processes), started once for the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.errors import GfvError
from editor.tables.engines import EngineOptions, engine_session, validate_table
from editor.tables.tablefile import open_table_file, reference_keys

# (line appended to sessions.csv, the (code, column) it must produce)
BAD_ROWS = [
    ("2024-04-01,A001,deadlift,11,5,100.0,8,5500.0", ("TAB001", "sets")),  # in_range
    ("2024-04-01,A002,curls,3,5,100.0,8,1500.0", ("TAB001", "exercise")),  # isin
    ("2024-04-01,B01,deadlift,3,5,100.0,8,1500.0", ("TAB001", "athlete_id")),  # str_matches (and FK)
    ("2024-04-01,A003,deadlift,abc,5,100.0,8,1500.0", ("TAB001", "sets")),  # dtype
    ("2024-04-01,A004,deadlift,3,5,,8,1500.0", ("TAB001", "load_kg")),  # null
    ("2024-04-01,A999,deadlift,3,5,100.0,8,1500.0", ("KEY003", "athlete_id")),  # foreign key
    ("2024-04-02,A001,deadlift,3,5,100.0,8,1400.0", ("FRM001", "volume_kg")),  # formula
    ("2019-13-01,A001,deadlift,3,5,100.0,8,1500.0", ("TAB001", "date")),  # not a date
]


@pytest.fixture(scope="module")
def dask_session():
    with engine_session("dask", EngineOptions()) as client:
        yield client


def seeded(tables: Path) -> tuple[Path, int]:
    """sessions.csv with one violation of each kind; returns the path and the row of the first
    line of the file repeated at the end (a primary-key duplicate far from its original)."""
    path = tables / "sessions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines + [row for row, _ in BAD_ROWS] + [lines[3]]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path, len(body) - 1


def run(engine: str, path: Path, session=None, cap: int = 200, **opts):
    table = open_table_file(path)
    refs = {fk: reference_keys(table, fk) for fk in table.rules.foreign_keys}
    return validate_table(
        engine,
        path,
        table.schema,
        table.rules,
        table.delimiter,
        refs=refs,
        cap=cap,
        options=EngineOptions(**opts),
        session=session,
    )


def test_engines_agree_on_every_kind_of_problem(tables, dask_session):
    path, dup_row = seeded(tables)
    pandas = run("pandas", path, chunksize=7)  # the duplicate's original is many chunks earlier
    polars = run("polars", path)
    dask = run("dask", path, dask_session, blocksize=1500)  # and many partitions earlier
    assert pandas.chunks > 10 and dask.chunks >= 4 and polars.chunks == 1
    assert pandas.rows == polars.rows == dask.rows == dup_row
    found = {(p.code, p.column) for p in pandas.problems}
    for _, expected in BAD_ROWS:
        assert expected in found
    dup = [p for p in pandas.problems if p.code == "KEY001"]
    assert [p.row for p in dup] == [dup_row] and "duplicate date, athlete_id, exercise" in dup[0].message
    assert pandas.problems == polars.problems == dask.problems
    assert not pandas.notes and not polars.notes and not dask.notes
    # one verdict per cell: a value that is not a number is not also out of range
    cells = [(p.row, p.column) for p in pandas.problems if p.code == "TAB001"]
    assert len(cells) == len(set(cells))


def test_engines_agree_on_the_cap(tables, dask_session):
    path, _ = seeded(tables)
    results = [
        run("pandas", path, cap=4, chunksize=5),
        run("polars", path, cap=4),
        run("dask", path, dask_session, cap=4, blocksize=1500),
    ]
    assert all(len(r.problems) == 4 for r in results)
    assert results[0].problems == results[1].problems == results[2].problems
    assert results[0].truncated == results[1].truncated == results[2].truncated > 0
    assert [p.row for p in results[0].problems] == sorted(p.row for p in results[0].problems)


def test_unique_column_duplicates_across_partitions(tables, dask_session):
    """athletes.csv declares athlete_id unique and a primary key: a repeat is KEY001 in each engine."""
    path = tables / "athletes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1].replace("Maja", "Maia")]) + "\n", encoding="utf-8")
    results = [
        run("pandas", path, chunksize=2),
        run("polars", path),
        run("dask", path, dask_session, blocksize=60),
    ]
    assert results[2].chunks > 1
    for stats in results:
        assert [(p.row, p.code) for p in stats.problems] == [(len(lines), "KEY001")]


def test_a_reader_failure_is_an_error_naming_the_engine(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(GfvError, match="the polars engine cannot read the table"):
        validate_table("polars", path, None, open_table_file(path).rules)


def test_dask_partitions_by_default_keep_every_worker_busy():
    from editor.tables.engines.dask_engine import auto_blocksize

    assert auto_blocksize(44 * 2**20, 2) == 44 * 2**20 // 8  # ~4 partitions per thread
    assert auto_blocksize(1000, 2) == 2**20 and auto_blocksize(10 * 2**30, 2) == 64 * 2**20
