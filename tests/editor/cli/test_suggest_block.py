"""``gfv suggest --block`` and block tasks of ``gfv batch``: JSON kind, text with newlines, bad input."""

import json
import shutil
from pathlib import Path

import pytest

from editor.cli.main import main

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
NO_NGRAM = (
    '[generators]\nenabled = ["templates", "block_templates", "block_retrieval"]\n[ranker]\nname = "ngram"\n'
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "gfv.toml").write_text(NO_NGRAM)
    (tmp_path / "shapes.py").write_text(
        "class Point:\n    def __init__(self, x, y):\n\n    def norm(self):\n        return abs(self.x)\n"
        "\n\ndef f(a):\n    b = a\n    \n    return b\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")
    return tmp_path


def test_json_gives_kind_block_and_the_text_with_its_newlines(work, capsys):
    code = main(["suggest", "shapes.py", "--line", "3", "--col", "1", "--no-llm", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    blocks = [c for c in out["candidates"] if c["kind"] == "block"]
    assert blocks[0]["text"] == "        self.x = x\n        self.y = y"
    assert blocks[0]["source"] == "block_template:init-store-params"
    assert all(c["kind"] == "line" for c in out["candidates"] if "\n" not in c["text"])


def test_text_output_marks_blocks_and_their_line_count(work, capsys):
    assert main(["suggest", "shapes.py", "--line", "3", "--col", "1", "--no-llm"]) == 0
    out = capsys.readouterr().out
    assert "[block, 2 lines]" in out and "   |         self.y = y" in out


def test_block_forces_a_block_slot_where_the_block_has_a_body_already(work, capsys):
    (work / "loops.py").write_text(
        "def f(rows):\n    for row in rows:\n        print(row)\n        print(len(row))\n\n\n"
        "def g(rows):\n    for row in rows:\n\n        print(row)\n"
    )
    argv = ["suggest", "loops.py", "--line", "9", "--col", "1", "--no-llm", "--format", "json"]
    main(argv)
    plain = json.loads(capsys.readouterr().out)
    main([*argv, "--block"])
    forced = json.loads(capsys.readouterr().out)
    assert not any(c["kind"] == "block" for c in plain["candidates"])
    block = [c for c in forced["candidates"] if c["kind"] == "block"]
    assert block[0]["text"] == "        print(row)\n        print(len(row))"
    assert block[0]["origin"]["line_origins"] == ["<document>:3", "<document>:4"]


def test_block_on_a_line_with_code_is_a_usage_error(work, capsys):
    code = main(["suggest", "shapes.py", "--line", "9", "--col", "5", "--no-llm", "--block"])
    err = capsys.readouterr().err
    assert code == 2 and "--block needs a cursor on a line holding nothing but indentation" in err
    assert "Traceback" not in err


def test_batch_block_tasks_and_bad_block_values(work, capsys):
    tasks = [
        {"id": "b", "file": "shapes.py", "line": 3, "col": 1, "block": True},
        {"id": "bad", "file": "shapes.py", "line": 3, "col": 1, "block": "yes"},
        {"id": "code", "file": "shapes.py", "line": 9, "col": 5, "block": True},
    ]
    (work / "tasks.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks))
    assert main(["batch", "tasks.jsonl", "--out", "out.jsonl", "--no-llm"]) == 1
    recs = {r["id"]: r for r in map(json.loads, (work / "out.jsonl").read_text().splitlines())}
    assert recs["b"]["block"] is True and recs["b"]["candidates"][0]["kind"] == "block"
    assert recs["b"]["candidates"][0]["text"] == "        self.x = x\n        self.y = y"
    assert (
        recs["bad"]["error"]["code"] == "bad-task"
        and "'block' must be true or false" in recs["bad"]["error"]["message"]
    )
    assert recs["code"]["error"]["code"] == "bad-slot"
