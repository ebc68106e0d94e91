"""gfv batch: result shape, error records, resume, parallel workers, memory plan, the real model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from editor.batch.runner import GIB, plan_jobs
from editor.batch.tasks import ResultsFile
from editor.cli.main import main

REPO = Path(__file__).resolve().parents[3]
SAMPLE = (REPO / "samples" / "training_log.py").read_text(encoding="utf-8").split("\n")
CUTS = [(30, "        for row in csv."), (24, "        return self.sets * "), (28, "    sessions = ")]
TEMPLATES_ONLY = '[generators]\nenabled = ["templates"]\n'
# Slots where generators that need no model propose something: a template applies (for-each,
# return-local) and/or the typed prefix starts lines of the other files (retrieval).
PROPOSING_CUTS = [(30, "        for "), (42, "    return "), (28, "    sessions = ")]
TEMPLATES_AND_RETRIEVAL = '[generators]\nenabled = ["templates", "retrieval"]\n'


def _workdir(
    tmp_path: Path, config: str | None = TEMPLATES_ONLY, cuts: list[tuple[int, str]] | None = None
) -> tuple[Path, list[dict]]:
    """Files truncated mid-line (what a user is typing) at ``cuts`` (default CUTS), one task per file."""
    work = tmp_path / "work"
    work.mkdir()
    if config is not None:
        (work / "gfv.toml").write_text(config)
    tasks = []
    for i, (line, cut) in enumerate(cuts or CUTS):
        (work / f"f{i}.py").write_text("\n".join(SAMPLE[: line - 1] + [cut]) + "\n")
        tasks.append({"id": f"t{i}", "file": f"f{i}.py", "line": line, "col": len(cut) + 1, "k": 3})
    return work, tasks


def _write_tasks(path: Path, tasks: list, extra: list[str] = ()) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks) + "".join(line + "\n" for line in extra))
    return path


def _records(path: Path) -> list[dict]:
    text = path.read_text()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")


def test_results_and_error_records(tmp_path, monkeypatch, capsys):
    work, tasks = _workdir(tmp_path)
    bad = [
        '{"id": "missing", "file": "nope.py", "line": 1, "col": 1}',
        '{"id": "far", "file": "f0.py", "line": 999, "col": 1}',
        '{"id": "wide", "file": "f0.py", "line": 1, "col": 500}',
        "this is not json",
        '{"id": "t0", "file": "f0.py", "line": 1, "col": 1}',
        '{"id": "cell", "file": "t.csv", "row": 3, "cell": "a"}',
        '{"id": 5, "file": "f0.py", "line": 0, "col": 1}',
    ]
    _write_tasks(work / "tasks.jsonl", tasks, bad)
    monkeypatch.chdir(work)
    code = main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"])
    assert code == 1  # some tasks became error records
    records = {json.dumps(r["id"]): r for r in _records(work / "out.jsonl")}
    assert len(records) == 10
    ok = records['"t0"']
    assert (ok["file"], ok["line"], ok["col"]) == ("f0.py", 30, len(CUTS[0][1]) + 1)
    assert set(ok) >= {"candidates", "rejected", "timings_ms", "model", "notes", "work"}  # suggest's shape
    assert records['"missing"']["error"]["code"] == "bad-file"
    assert (
        records['"far"']["error"]["code"] == "bad-slot"
        and "out of range" in records['"far"']["error"]["message"]
    )
    assert records['"wide"']["error"]["code"] == "bad-slot"
    assert records['"line-7"']["error"]["code"] == "bad-task"
    assert records['"line-8"']["error"]["code"] == "duplicate-id"
    assert records['"cell"']["error"]["code"] == "bad-file"  # a table task now runs: t.csv is missing
    assert records["5"]["error"]["code"] == "bad-task"
    assert "10 tasks" not in capsys.readouterr().out  # data goes to the file, the summary to stderr


def test_resume_skips_done_and_repairs_a_half_written_line(tmp_path, monkeypatch):
    work, tasks = _workdir(tmp_path)
    _write_tasks(work / "tasks.jsonl", tasks)
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 0
    lines = (work / "out.jsonl").read_text().splitlines(keepends=True)
    # an interrupted run: one whole record, then half of the next one
    (work / "out.jsonl").write_text(lines[0] + lines[1][: len(lines[1]) // 2])
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 0
    records = _records(work / "out.jsonl")
    assert sorted(r["id"] for r in records) == ["t0", "t1", "t2"]
    before = (work / "out.jsonl").read_bytes()
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 0
    assert (work / "out.jsonl").read_bytes() == before  # everything already done


def test_retry_errors_reruns_error_records(tmp_path, monkeypatch):
    work, tasks = _workdir(tmp_path)
    tasks.append({"id": "late", "file": "later.py", "line": 1, "col": 1})
    _write_tasks(work / "tasks.jsonl", tasks)
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 1
    (work / "later.py").write_text("import os\n")
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 0  # skipped, not re-run
    assert "error" in {r["id"]: r for r in _records(work / "out.jsonl")}["late"]
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm", "--retry-errors"]) == 0
    records = _records(work / "out.jsonl")
    assert len(records) == 4 and "error" not in {r["id"]: r for r in records}["late"]


def test_not_a_results_file_is_a_usage_error(tmp_path, monkeypatch, capsys):
    work, tasks = _workdir(tmp_path)
    _write_tasks(work / "tasks.jsonl", tasks)
    (work / "out.jsonl").write_text("hello\n")
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert main(["batch", "nothere.jsonl", "--out", "o.jsonl", "--no-llm"]) == 2


def test_parallel_workers_give_the_same_results(tmp_path, monkeypatch):
    work, tasks = _workdir(tmp_path, TEMPLATES_AND_RETRIEVAL, PROPOSING_CUTS)
    tasks = tasks * 3
    tasks = [dict(t, id=f"{t['id']}-{i}") for i, t in enumerate(tasks)]
    _write_tasks(work / "tasks.jsonl", tasks)
    monkeypatch.chdir(work)
    assert main(["batch", "tasks.jsonl", "--out", "one.jsonl", "--no-llm", "--jobs", "1"]) == 0
    assert main(["batch", "tasks.jsonl", "--out", "two.jsonl", "--no-llm", "--jobs", "2"]) == 0

    def texts(path):
        return {r["id"]: [c["text"] for c in r["candidates"]] for r in _records(path)}

    one, two = texts(work / "one.jsonl"), texts(work / "two.jsonl")
    assert len(two) == 9 and all(two.values())  # every slot has candidates: the comparison can fail
    assert one == two


def test_interrupted_run_leaves_whole_lines_and_resumes(tmp_path):
    """Ctrl-C in the middle of a run with the n-gram generator (slow enough to interrupt)."""
    work, tasks = _workdir(tmp_path, config=None)
    tasks = [dict(t, id=f"{t['id']}-{i}") for i, t in enumerate(tasks * 8)]
    _write_tasks(work / "tasks.jsonl", tasks)
    cmd = [
        sys.executable,
        "-m",
        "gfv_entry",
        "batch",
        "tasks.jsonl",
        "--out",
        "out.jsonl",
        "--no-llm",
        "--jobs",
        "2",
    ]
    env = {**os.environ, "GFV_NO_PROGRESS": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(cmd, cwd=work, env=env, stderr=subprocess.PIPE, text=True)
    out = work / "out.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), err
    partial = _records(out)  # whole lines only
    assert len(partial) >= 2
    rerun = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = [r["id"] for r in _records(out)]
    assert sorted(ids) == sorted(t["id"] for t in tasks)  # each task exactly once
    assert f"{len(partial)} already in" in rerun.stderr


def test_memory_plan():
    plan = plan_jobs(8, llm=True, config_threads=2, cpus=4, memory=int(2.5 * GIB))
    assert plan.jobs == plan.max_jobs == 2 and plan.threads == 2 and "lowered to 2" in plan.notes[0]
    plan = plan_jobs(0, llm=True, config_threads=2, cpus=2, memory=64 * GIB)
    assert (plan.jobs, plan.threads) == (2, 1)
    plan = plan_jobs(0, llm=False, config_threads=2, cpus=16, memory=1 * GIB)
    assert plan.jobs == 3 and plan.per_worker_gib < 0.5
    assert plan_jobs(1, llm=True, config_threads=2, cpus=1, memory=0).jobs == 1


def test_results_file_never_counts_a_partial_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"id": 1, "candidates": []}\n{"id": 2, "cand')
    results = ResultsFile(path)
    results.write({"id": 3, "error": {"code": "bad-file", "message": "x"}})
    results.close()
    assert results.repaired and [r["id"] for r in _records(path)] == [1, 3]


@pytest.mark.e2e
def test_batch_with_the_real_model_two_workers(tmp_path, monkeypatch, model_path):
    """Two workers, each loading the Qwen model once, on three slots; the LLM's work is in the trace."""
    work, tasks = _workdir(tmp_path, config=None)
    _write_tasks(work / "tasks.jsonl", tasks)
    monkeypatch.chdir(work)
    code = main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--jobs", "2", "--model", str(model_path)])
    assert code == 0
    records = {r["id"]: r for r in _records(work / "out.jsonl")}
    assert sorted(records) == ["t0", "t1", "t2"]
    for rec in records.values():
        assert rec["model"]["path"] == str(model_path)
        assert rec["candidates"]
        for cand in rec["candidates"]:  # ranked by Qwen, or Qwen's confident draft made ranking moot
            assert cand["scores"]["llm"] is not None or "draft is confident" in cand["origin"]["llm_skipped"]
        assert any(c["scores"]["llm"] is not None or "draft_min_p" in c["origin"] for c in rec["candidates"])
        assert all(v["ok"] for c in rec["candidates"] for v in c["verdicts"])
    assert "DictReader(fh):" in [c["text"] for c in records["t0"]["candidates"]]
