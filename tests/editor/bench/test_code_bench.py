from pathlib import Path

from editor.bench.code_bench import render_table
from editor.bench.metrics import edit_similarity, levenshtein, percentile, squash
from editor.bench.tasks import black_config, sample_tasks, split_files

SRC = '''"""Module docstring
spanning lines."""
import os


def f(x):
    """Docstring prose."""
    # a comment
    total = x + 1
    return os.path.join(str(total), "a")
'''


def _repo(tmp_path: Path) -> Path:
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(SRC.replace("total", f"total{i}"))
    return tmp_path


def test_split_and_sampling_are_deterministic_and_skip_prose(tmp_path):
    repo = _repo(tmp_path)
    train, held = split_files(repo, 0.4, seed=3)
    assert split_files(repo, 0.4, seed=3) == (train, held) and len(held) == 2 and not set(train) & set(held)
    tasks = sample_tasks(held, 50, seed=1, cut="random")
    assert tasks == sample_tasks(held, 50, seed=1, cut="random")
    for task in tasks:
        line = task.path.read_text().split("\n")[task.line]
        assert "Docstring" not in line and "spanning" not in line and not line.strip().startswith("#")
        assert line[: task.col] + task.truth == line.rstrip()
        assert task.slot().typed == line[: task.col]  # the document is cut at the cursor


def test_cut_start_puts_the_cursor_after_indentation(tmp_path):
    for task in sample_tasks(split_files(_repo(tmp_path), 0.4, 0)[1], 10, 0, "start"):
        assert task.slot().typed.strip() == ""


def test_metrics():
    assert squash(" a = b ") == "a=b"
    assert levenshtein("kitten", "sitting") == 3
    assert edit_similarity("abc", "abc") == 1.0 and edit_similarity("abc", "xyz") == 0.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5


def test_render_table_lists_every_system():
    row = {"em1": 0.5, "hit5": 1.0, "edit_sim": 0.7, "valid_shown": 1.0, "recall": 0.875, "no_candidate": 0.125,
           "llm_ms": 4321.5, "llm_tokens": {"prefill": 1, "incremental": 2},
           "llm_calls": 1, "wall_ms": {"cold": {"p50": 1, "p95": 2}, "warm": {"p50": 1, "p95": 2}}}  # fmt: skip
    text = render_table(
        {"tasks": 1, "repo": "r", "cut": "start", "seed": 0, "systems": {"gfv": row, "qwen-direct": row}}
    )
    assert "gfv" in text and "qwen-direct" in text and "0.500" in text
    assert "0.875" in text and "0.125" in text and "4321.5" in text and "recall" in text
    from editor.bench.code_bench import render_markdown

    md = render_markdown({"tasks": 1, "repo": "r", "cut": "start", "seed": 0, "holdout_files": 2,
                          "systems": {"gfv": row}})  # fmt: skip
    assert "| gfv | 0.500 | 1.000 | 0.700 | 1.000 | 0.875 | 0.125 | 4322 | 1 / 2.0 | 1 | 1.0 | 2.0 |" in md


def test_recall_no_candidate_and_llm_ms_are_tallied_per_task(tmp_path):
    from editor.bench.code_bench import _charge, _Prefill, _record, _Tally
    from editor.bench.systems import SystemRun
    from editor.bench.tasks import CodeTask

    task = CodeTask(tmp_path / "m.py", 0, 4, "rn x", "retu")
    tally = _Tally()
    hit_later = _charge(
        SystemRun(["rn y"], 10.0, calls=2, llm_ms=5.0, valid=["rn y", "rn x"]), _Prefill(100.0, 50)
    )
    assert (hit_later.ms, hit_later.llm_ms, hit_later.prefill) == (110.0, 105.0, 50)
    _record(tally, task, hit_later, [True])
    no_llm = _charge(SystemRun([], 3.0, valid=[]), _Prefill(100.0, 50))
    assert (no_llm.ms, no_llm.llm_ms, no_llm.prefill) == (3.0, 0.0, 0)  # did not call the LLM: pays nothing
    _record(tally, task, no_llm, [])
    summary = tally.summary()
    assert summary["recall"] == 0.5 and summary["em1"] == 0.0 and summary["no_candidate"] == 0.5
    assert summary["llm_ms"] == 52.5


def test_black_config_is_said_when_it_lies_outside_the_repository(tmp_path):
    said: list[str] = []
    for name in ("bare", "outer", "own"):
        (tmp_path / name / "pkg").mkdir(parents=True)
    assert black_config(tmp_path / "bare" / "pkg", said.append) is None and not said
    (tmp_path / "outer" / "pyproject.toml").write_text("[tool.black]\nline-length = 110\n", encoding="utf-8")
    found = black_config(tmp_path / "outer" / "pkg", said.append)
    assert found == str(tmp_path / "outer" / "pyproject.toml")
    assert len(said) == 1 and "outside the repository" in said[0]
    own = tmp_path / "own" / "pkg" / "pyproject.toml"
    own.write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")
    assert black_config(own.parent, said.append) == str(own) and len(said) == 1


def test_peer_systems_need_a_peer_model():
    import pytest  # pylint: disable=import-outside-toplevel

    from editor.bench.systems import build_systems  # pylint: disable=import-outside-toplevel
    from editor.config import Config  # pylint: disable=import-outside-toplevel
    from editor.errors import GfvError  # pylint: disable=import-outside-toplevel

    with pytest.raises(GfvError, match="--peer-model") as err:
        build_systems(Config(), None, None, ["qwen-direct", "peer-direct"])
    assert err.value.code == 2
