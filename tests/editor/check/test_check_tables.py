"""gfv check on tables: [tables] globs, physical line numbers, --engine (dask end to end), extras."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from editor.check.checkers import build_checkers
from editor.check.settings import load_check_config
from editor.cli.main import main
from editor.tables.tablefile import open_table_file, record_lines

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
FILES = ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml")


@pytest.fixture
def tables(tmp_path, monkeypatch) -> Path:
    for name in FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("GFV_DASK_SCHEDULER", raising=False)
    return tmp_path


def append(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


def test_the_checker_takes_the_config_globs(tables, capsys):
    with (tables / "gfv.toml").open("a", encoding="utf-8") as fh:
        fh.write('globs = ["*.tab"]\n')  # appended to the [tables] table
    shutil.copy(tables / "sessions.csv", tables / "log.tab")
    shutil.copy(tables / "sessions.schema.yaml", tables / "log.schema.yaml")
    append(tables / "log.tab", "2024-04-01,A001,curls,3,5,100.0,8,1500.0")
    append(tables / "sessions.csv", "2024-04-01,A001,curls,3,5,100.0,8,1500.0")
    cfg = load_check_config(None, tables)
    assert cfg.table_globs == ["*.tab"] and build_checkers(cfg)["tables"].globs == ("*.tab",)
    assert main(["check", ".", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "log.tab:122:1: TAB001 exercise" in out
    assert "sessions.csv" not in out  # not a table under these globs


def test_table_globs_is_not_a_check_key(tables, capsys):
    (tables / "gfv.toml").write_text("[check]\ntable_globs = ['*.x']\n")
    assert main(["check", "."]) == 2
    assert "unknown config key 'check.table_globs'" in capsys.readouterr().err


def test_findings_are_at_the_physical_line_of_their_record(tables, capsys):
    path = tables / "athletes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Maja Lindqvist", '"Maja\nLindqvist"')  # one record on two lines
    lines[3] = lines[3].replace("Aiko Tanaka", '"Aiko\n\nTanaka"')  # one record on three lines
    lines.append("A099,Nobody,X,2000,70.0,rowing")  # data row 9: sex not in [F, M]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", "athletes.csv", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "athletes.csv:13:1: TAB001 sex: isin(['F', 'M']) fails for 'X'" in out
    table = open_table_file(path)
    assert record_lines(table, [1, 2, 3, 4, 9]) == {1: 2, 2: 4, 3: 5, 4: 8, 9: 13}


def test_a_ragged_row_is_one_finding_at_its_line(tables, capsys):
    append(tables / "sessions.csv", "2024-04-01,A001,deadlift,3,5")
    assert main(["check", "sessions.csv", "--no-cache", "--engine", "polars"]) == 1
    out = capsys.readouterr().out
    assert "sessions.csv:122:1: GFV001" in out and "has 5 fields, the header has 8 (ragged row)" in out
    assert sum(line.startswith("sessions.csv:") for line in out.splitlines()) == 1


def test_gfv_check_engine_dask_end_to_end(tables, capsys):
    """A real local cluster, through the CLI, on a copy of the samples with bad rows."""
    append(
        tables / "sessions.csv",
        "2024-04-01,A999,deadlift,3,5,100.0,8,1500.0",  # unknown athlete
        "2024-04-01,A001,deadlift,3,5,100.0,8,1400.0",  # wrong volume
        "2024-04-01,A001,deadlift,3,5,100.0,8,1500.0",  # duplicate key
    )
    assert main(["check", ".", "--no-cache", "--engine", "dask", "--format", "text"]) == 1
    dask_out = capsys.readouterr().out
    assert "sessions.csv:122:1: KEY003 athlete_id = A999 not found in athletes.csv" in dask_out
    assert "sessions.csv:123:1: FRM001 volume_kg = 1400.0 but sets * reps * load_kg = 1500" in dask_out
    assert "sessions.csv:124:1: KEY001 duplicate date, athlete_id, exercise" in dask_out
    assert main(["check", ".", "--no-cache", "--engine", "pandas"]) == 1
    pandas_out = capsys.readouterr().out
    findings = lambda out: [
        line for line in out.splitlines() if ": " in line and "findings in" not in line
    ]  # noqa: E731
    assert findings(dask_out) == findings(pandas_out)


def test_the_engine_comes_from_the_config(tables, capsys):
    with (tables / "gfv.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[check]\ntable_engine = "polars"\n')
    assert load_check_config(None, tables).table_engine == "polars"
    (tables / "gfv.toml").write_text('[check]\ntable_engine = "spark"\n')
    assert main(["check", "."]) == 2
    assert "'check.table_engine' must be one of pandas, polars, dask" in capsys.readouterr().err


@pytest.mark.usefixtures("tables")
def test_a_missing_extra_is_a_usage_error(capsys, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "polars" else real(name, *a)
    )
    assert main(["check", ".", "--engine", "polars"]) == 2
    err = capsys.readouterr().err
    assert "the polars table engine needs polars: pip install 'gfv[polars]'" in err


@pytest.mark.usefixtures("tables")
def test_dask_scheduler_needs_the_dask_engine(capsys):
    assert main(["check", ".", "--dask-scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--dask-scheduler needs --engine dask" in capsys.readouterr().err


@pytest.mark.usefixtures("tables")
def test_an_unreachable_scheduler_stops_the_run(capsys, monkeypatch):
    """Not a finding about a table: exit 2 (a real unreachable address takes dask's 20 s timeout)."""
    from editor.tables.engines import dask_engine

    def refuse(scheduler):
        raise OSError(f"Timed out trying to connect to {scheduler}")

    monkeypatch.setattr(dask_engine, "dask_client", refuse)
    assert (
        main(["check", ".", "--no-cache", "--engine", "dask", "--dask-scheduler", "tcp://10.0.0.1:8786"]) == 2
    )
    err = capsys.readouterr().err
    assert "cannot connect to the dask scheduler at tcp://10.0.0.1:8786" in err
