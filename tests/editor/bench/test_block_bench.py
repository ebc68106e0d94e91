"""``gfv bench block`` without a model: task sampling, the normal form, and a gfv-nollm run end to end."""

from pathlib import Path

import pytest

from editor.bench.block_bench import normal, run_block_bench, sample_block_tasks
from editor.config import Config
from editor.errors import GfvError

A = '''def total(prices):
    """Sum."""
    t = 0
    for p in prices:
        t += p
    return t


def one(x):
    return x
'''
B = """def grand_total(prices):
    t = 0
    for p in prices:
        t += p
    return t
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text(A)
    (tmp_path / "pkg" / "b.py").write_text(B)
    return tmp_path / "pkg"


def test_tasks_are_bodies_of_two_to_eight_lines_after_the_docstring(repo: Path):
    tasks = sample_block_tasks([repo], 10, 0)
    assert sorted((t.path.name, t.function) for t in tasks) == [("a.py", "total"), ("b.py", "grand_total")]
    task = next(t for t in tasks if t.function == "total")
    assert task.truth == "t = 0\nfor p in prices:\n    t += p\nreturn t"
    assert task.text.split("\n")[:4] == ["def total(prices):", '    """Sum."""', "    ", ""]
    slot = task.slot()
    assert slot.block and slot.line == 2 and slot.typed == "    "


def test_the_normal_form_ignores_indentation_trailing_spaces_and_blank_lines():
    assert normal("    a = 1  \n\n    if a:\n        b()") == ["a = 1", "if a:", "    b()"]


def test_gfv_without_a_model_finds_the_twin_body_in_the_other_file(repo: Path):
    config = Config()
    config.generators.enabled = ["templates", "block_templates", "block_retrieval"]
    result = run_block_bench([repo], None, config, tasks=2, seed=0, systems=["gfv-nollm"])
    s = result["systems"]["gfv-nollm"]
    assert s["exact"] == 1.0 and s["valid_shown"] == 1.0 and s["llm_ms"] == 0.0
    assert result["tests_note"].startswith("installed packages ship no tests")


def test_systems_that_need_a_model_refuse_to_run_without_one(repo: Path):
    with pytest.raises(GfvError):
        run_block_bench([repo], None, Config(), tasks=1, systems=["qwen-direct"])
