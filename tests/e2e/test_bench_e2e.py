"""`gfv bench code` and `gfv bench typing` end to end on a small repository: the real KenLM
training of the bench's own corpus, the real Qwen, the real validators; nothing mocked.

The repository is a handful of standard-library modules copied into a folder; the config
beside it turns the installed packages off in the training corpus (it would add ~50 s of
training to the suite; editor/ngram/installed.py has its own tests).
"""

import json
import shutil
import sysconfig
from pathlib import Path

import pytest

from editor.cli.main import main

STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODULES = ["textwrap.py", "fnmatch.py", "glob.py", "shlex.py", "getopt.py", "colorsys.py"]


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("bench")
    repo = root / "minirepo"
    repo.mkdir()
    for name in MODULES:
        shutil.copy(STDLIB / name, repo / name)
    config = root / "gfv.toml"
    config.write_text("[generators]\ntrain_installed = false\n")
    return repo, config


def test_bench_code_scores_every_system_on_every_task(small_repo, model_path, capsys):
    repo, config = small_repo
    argv = ["bench", "code", "--repo", str(repo), "--tasks", "2", "--cut", "random", "--seed", "1",
            "--systems", "gfv,qwen-direct", "--format", "json", "--model", str(model_path), "--config", str(config)]  # fmt: skip
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tasks"] == 2 and len(result["per_task"]) == 2 and result["ngram_tokens"] > 10_000
    gfv = result["systems"]["gfv"]
    assert set(result["systems"]) == {"gfv", "qwen-direct"}
    assert gfv["valid_shown"] in (None, 1.0)  # every candidate gfv shows passed every validator
    for task in result["per_task"]:
        assert task["truth"] and set(task["shown"]) == {"gfv", "qwen-direct"}


def test_bench_typing_replays_a_line_for_each_system(small_repo, model_path, capsys):
    repo, config = small_repo
    argv = ["bench", "typing", "--repo", str(repo), "--lines", "1", "--fixed-cadence", "--key-ms", "200",
            "--settle-ms", "300", "--systems", "gfv", "--format", "json", "--model", str(model_path),
            "--config", str(config)]  # fmt: skip
    assert main(argv) == 0
    gfv = json.loads(capsys.readouterr().out)["systems"]["gfv"]
    assert gfv["lines"] == 1 and 0 <= gfv["saved_chars"] < gfv["chars"]
    assert gfv["latency_ms"]["p50"] is not None and len(gfv["per_line"]) == 1
