"""gfv batch on table tasks: suggest_cells' record shape, error records, the real model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from editor.batch.tasks import Task, read_tasks
from editor.cli.main import main

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
TABLE_FILES = ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml")
GOOD = [
    {"id": "cell", "file": "sessions.csv", "row": 4, "column": "volume_kg", "k": 3},
    {"id": "next", "file": "sessions.csv", "row": "next", "k": 2},
]
BAD = [
    {"id": "badcol", "file": "sessions.csv", "row": 2, "column": "nope"},
    {"id": "far", "file": "sessions.csv", "row": 999, "column": "reps"},
    {"id": "missing", "file": "nope.csv", "row": 1, "column": "reps"},
    {"id": "zero", "file": "sessions.csv", "row": 0, "column": "reps"},
    {"id": "word", "file": "sessions.csv", "row": "last"},
    {"id": "both", "file": "sessions.csv", "row": 1, "line": 1, "col": 1},
    {"id": "nocol", "file": "sessions.csv", "row": 1, "column": 3},
]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")


def _work(tmp_path: Path, tasks: list[dict]) -> Path:
    for name in TABLE_FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    (tmp_path / "tasks.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks))
    return tmp_path


def _records(path: Path) -> dict:
    return {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}


def test_table_tasks_parse(tmp_path):
    work = _work(tmp_path, GOOD + BAD)
    items = list(read_tasks(work / "tasks.jsonl"))
    tasks = {t.id: t for t in items if isinstance(t, Task)}
    assert tasks["cell"].is_table and (tasks["cell"].row, tasks["cell"].column, tasks["cell"].k) == (
        4,
        "volume_kg",
        3,
    )
    assert tasks["next"].row == "next" and tasks["next"].column is None and tasks["next"].line is None
    errors = {e["id"]: e["error"] for e in items if isinstance(e, dict)}
    assert set(errors) == {"zero", "word", "both", "nocol"}
    assert all(e["code"] == "bad-task" for e in errors.values())
    assert "not both" in errors["both"]["message"] and "'column'" in errors["nocol"]["message"]


def test_table_tasks_write_suggest_records_and_error_records(tmp_path, monkeypatch):
    work = _work(tmp_path, GOOD + BAD)
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 1
    records = _records(work / "out.jsonl")
    assert len(records) == len(GOOD) + len(BAD)
    cell = records["cell"]
    assert (cell["file"], cell["row"], cell["column"]) == ("sessions.csv", 4, "volume_kg")
    assert set(cell) >= {"candidates", "rejected", "timings_ms", "model", "notes", "work"}
    texts = [c["text"] for c in cell["candidates"]]
    assert "1012.5" in texts and len(texts) in (1, 2, 3)  # 5 sets x 3 reps x 67.5 kg (the formula)
    assert cell["work"]["slot"]["kind"] == "cell"
    nxt = records["next"]
    assert nxt["row"] == "next" and nxt["column"] is None and nxt["work"]["slot"]["kind"] == "row"
    assert nxt["candidates"] and all(c["text"].count(",") == 7 for c in nxt["candidates"])
    assert (
        records["badcol"]["error"]["code"] == "bad-slot" and "nope" in records["badcol"]["error"]["message"]
    )
    assert (
        records["far"]["error"]["code"] == "bad-slot" and "out of range" in records["far"]["error"]["message"]
    )
    assert records["missing"]["error"]["code"] == "bad-file"
    assert all(records[i]["error"]["code"] == "bad-task" for i in ("zero", "word", "both", "nocol"))


@pytest.mark.e2e
def test_table_task_with_the_real_model(tmp_path, monkeypatch, model_path):
    """One cell with several valid candidates: the worker's Qwen ranks them (a one-candidate cell is not ranked)."""
    work = _work(tmp_path, [{"id": "rpe", "file": "sessions.csv", "row": 4, "column": "rpe", "k": 3}])
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--model", str(model_path)]) == 0
    rec = _records(work / "out.jsonl")["rpe"]
    assert rec["model"]["path"] == str(model_path) and (rec["row"], rec["column"]) == (4, "rpe")
    assert len(rec["candidates"]) >= 2 and all(c["scores"]["llm"] is not None for c in rec["candidates"])
    assert all(v["ok"] for c in rec["candidates"] for v in c["verdicts"])
    assert all(float(c["text"]) > 0 for c in rec["candidates"])
