"""``gfv suggest TABLE --rows next:N`` and batch block tasks: JSON shape, text, exit codes (no LLM)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor.batch.tasks import Task, read_tasks
from editor.cli.main import main

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
FILES = ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml")
KEY = (0, 1, 2)  # date, athlete_id, exercise


@pytest.fixture
def tables(tmp_path) -> Path:
    for name in FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return rc, out.out, out.err


def test_json_gives_validated_blocks_with_their_rows_origins(tables, capsys):
    path = tables / "sessions.csv"
    before = path.read_bytes()
    lines = path.read_text().splitlines()
    rc, out, _ = _run(
        capsys, "suggest", str(path), "--rows", "next:3", "--no-llm", "--format", "json", "--k", "3"
    )
    assert rc == 0 and path.read_bytes() == before
    data = json.loads(out)
    assert set(data) == {"candidates", "rejected", "timings_ms", "model", "notes", "work"}
    assert data["work"]["slot"] == {
        "table": str(path),
        "row": 121,
        "rows": 3,
        "kind": "block",
        "schema": str(tables / "sessions.schema.yaml"),
    }
    assert data["candidates"], "no block shown"  # --k 3 bounds how many
    table_keys = {tuple(line.split(",")[i] for i in KEY) for line in lines[1:]}
    last_day = dt.date.fromisoformat(lines[-1].split(",")[0])
    for cand in data["candidates"]:
        assert cand["kind"] == "block" and cand["source"] == "row_block"
        rows = cand["text"].split("\n")
        assert len(rows) == 3 and all(r.count(",") == 7 for r in rows)
        assert [r["row"] for r in cand["origin"]["rows"]] == [121, 122, 123]
        assert all(r["source"].startswith("table_") for r in cand["origin"]["rows"])
        assert all(v["ok"] for v in cand["verdicts"])
        assert {v["code"] for v in cand["verdicts"]} >= {"TAB000", "KEY000", "ROWS000"}
        keys = [tuple(r.split(",")[i] for i in KEY) for r in rows]
        assert len(set(keys)) == 3 and not set(keys) & table_keys
        days = [dt.date.fromisoformat(r.split(",")[0]) for r in rows]
        assert days[0] >= last_day and days == sorted(days)


def test_text_lists_each_row_with_its_generator(tables, capsys):
    rc, out, _ = _run(
        capsys, "suggest", str(tables / "sessions.csv"), "--rows", "next:2", "--no-llm", "--k", "2"
    )
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "1. [block, 2 rows]"
    assert lines[1].startswith("   | 2024-") and "  ← table_" in lines[1]
    assert "ROWS000" in lines[3] and lines[-1].startswith("(") and "row requests" in lines[-1]


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--rows", "next:0"], "next:N with N from 1 to 50"),
        (["--rows", "next:51"], "next:N with N from 1 to 50"),
        (["--rows", "5"], "got '5'"),
        (["--rows", "next:x"], "next:N"),
        (["--rows", "next:3", "--row", "next"], "excludes --row and --column"),
        (["--rows", "next:3", "--column", "rpe"], "excludes --row and --column"),
        (["--rows", "next:3", "--line", "1", "--col", "1"], "--line/--col are for code files"),
        (["--rows", "next:3", "--k", "0"], "--k must be at least 1"),
        (["--rows", "next:3", "--block"], "--block is for code files"),
    ],
)
def test_bad_rows_arguments_are_usage_errors(tables, capsys, argv, needle):
    rc, out, err = _run(capsys, "suggest", str(tables / "sessions.csv"), *argv, "--no-llm")
    assert rc == 2 and needle in err and not out


def test_rows_on_a_code_file_is_a_usage_error(tmp_path, capsys):
    code = tmp_path / "m.py"
    code.write_text("x = 1\n")
    rc, _, err = _run(capsys, "suggest", str(code), "--rows", "next:2", "--no-llm")
    assert rc == 2 and "--rows is for tables" in err


def test_bad_rows_from_the_command_line_prints_no_traceback(tables):
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(tables / "sessions.csv")]
        + ["--rows", "next:99", "--no-llm"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--rows takes next:N" in proc.stderr


def test_batch_block_tasks_parse_and_run(tables, monkeypatch):
    tasks = [
        {"id": "b", "file": "sessions.csv", "rows": "next:2", "k": 2},
        {"id": "zero", "file": "sessions.csv", "rows": "next:0"},
        {"id": "both", "file": "sessions.csv", "rows": "next:2", "row": "next"},
        {"id": "num", "file": "sessions.csv", "rows": 3},
    ]
    (tables / "tasks.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks))
    items = list(read_tasks(tables / "tasks.jsonl"))
    parsed = {t.id: t for t in items if isinstance(t, Task)}
    assert set(parsed) == {"b"} and (parsed["b"].rows, parsed["b"].row, parsed["b"].k) == (2, "next", 2)
    errors = {e["id"]: e["error"] for e in items if isinstance(e, dict)}
    assert {i: e["code"] for i, e in errors.items()} == {
        "zero": "bad-task",
        "both": "bad-task",
        "num": "bad-task",
    }
    assert "excludes 'row' and 'column'" in errors["both"]["message"]
    monkeypatch.chdir(tables)
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 1  # the error records
    records = {r["id"]: r for r in map(json.loads, (tables / "out.jsonl").read_text().splitlines())}
    block = records["b"]
    assert (block["file"], block["rows"]) == ("sessions.csv", "next:2") and block["work"]["slot"][
        "kind"
    ] == "block"
    assert block["candidates"], "no block shown"
    assert all(c["kind"] == "block" and c["text"].count("\n") == 1 for c in block["candidates"])
