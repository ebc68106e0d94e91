"""The pre-commit hook, through `pre-commit try-repo`, against a throw-away git repository.

try-repo installs the hook repository into a fresh virtualenv with pip (gfv's light
core only: black, pylint, platformdirs) and uses its committed HEAD, so the test
commits a copy of this working tree (tracked and new files) into a temporary repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "gfv test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "gfv test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ, **GIT_ENV}
    )
    return proc.stdout


def _snapshot_of_this_repo(dest: Path) -> Path:
    """A git repo whose HEAD is the current working tree (tracked + untracked, not ignored)."""
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory):
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is not installed next to {sys.executable} (it is in gfv[dev])")
    hook_repo = _snapshot_of_this_repo(tmp_path_factory.mktemp("gfv-hook-repo"))
    work = tmp_path_factory.mktemp("user-repo")
    (work / "good.py").write_text('"""Fine."""\n\n\ndef add(a, b):\n    return a + b\n')
    (work / "bad.py").write_text("import requests\n\ndef f( x ):\n    return undefined_name + x\n")
    (work / "README.md").write_text("not python\n")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GFV_CACHE_DIR": str(tmp_path_factory.mktemp("gfv-cache")),
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("VIRTUAL_ENV", None)
    return hook_repo, work, env


def _try_repo(hook_env, *files: str) -> subprocess.CompletedProcess:
    hook_repo, work, env = hook_env
    cmd = [str(PRE_COMMIT), "try-repo", str(hook_repo), "gfv-check", "--verbose", "--files", *files]
    return subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False, env=env, timeout=900)


def test_hook_passes_the_good_file(hook_env):
    proc = _try_repo(hook_env, "good.py", "README.md")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_hook_fails_the_bad_file_readably(hook_env):
    proc = _try_repo(hook_env, "good.py", "bad.py")
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "Failed" in out
    assert "bad.py:3:1: BLK006 black would reformat line 3; black writes: def f(x):" in out
    assert "bad.py:4:12: PYL-E0602 Undefined variable 'undefined_name' (undefined-variable)" in out
    assert "PYL-E0401" not in out  # the hook's venv lacks `requests`; the hook ignores import-error
    assert "good.py:" not in out
    assert "2 findings in 1 file (2 files checked" in out


TABLE_FILES = ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml")


@pytest.fixture(scope="module")
def table_env(hook_env, tmp_path_factory):
    hook_repo, _, env = hook_env
    work = tmp_path_factory.mktemp("user-tables")
    for name in TABLE_FILES:
        shutil.copy(REPO / "samples" / name, work / name)
    bad = work / "bad" / "sessions.csv"
    bad.parent.mkdir()
    for name in TABLE_FILES:
        if name != "sessions.csv":
            shutil.copy(REPO / "samples" / name, bad.parent / name)
    rows = (REPO / "samples" / "sessions.csv").read_text(encoding="utf-8").splitlines()
    rows.append("2024-06-30,A999,back_squat,5,5,100.0,7,2500.0")  # no athlete A999
    rows.append("2024-06-30,A001,deadlift,3,5,100.0,7,1234.0")  # 3 x 5 x 100 is 1500
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    return hook_repo, work, env, len(rows)


def _try_tables(table_env, *files: str) -> subprocess.CompletedProcess:
    hook_repo, work, env, _ = table_env
    cmd = [str(PRE_COMMIT), "try-repo", str(hook_repo), "gfv-check-tables", "--verbose", "--files", *files]
    return subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False, env=env, timeout=900)


def test_table_hook_passes_good_tables(table_env):
    proc = _try_tables(table_env, "athletes.csv", "sessions.csv", "gfv.toml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout and "2 files checked" in proc.stdout


def test_table_hook_fails_a_foreign_key_and_a_formula_readably(table_env):
    _, _, _, n = table_env
    proc = _try_tables(table_env, "athletes.csv", "bad/sessions.csv")
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert f"bad/sessions.csv:{n - 1}:1: KEY003 athlete_id = A999 not found in athletes.csv" in out
    assert f"bad/sessions.csv:{n}:1: FRM001 volume_kg = 1234.0 but sets * reps * load_kg = 1500" in out
    assert "athletes.csv:" not in out.replace("in athletes.csv", "")
