"""gfv check's SARIF, judged by Microsoft's own SARIF validator (``Sarif.Multitool validate``).

The validator checks the log against the SARIF 2.1.0 JSON schema and its best-practice
rules. ``bash scripts/setup.sh test`` installs it (npm ``@microsoft/sarif-multitool``,
pinned) under ``.gfv-cache/tools``; ``GFV_SARIF_MULTITOOL`` points at another copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DEFAULT = (
    REPO / ".gfv-cache/tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)
# SARIF2005 asks for tool.driver.informationUri, a home page: gfv has no public one to name.
ALLOWED = {"SARIF2005"}

BAD = "def f( x ):\n    return undefined_name + x\n"
BROKEN = "def f(:\n    pass\n"


@pytest.fixture(scope="module")
def multitool() -> Path:
    path = Path(os.environ.get("GFV_SARIF_MULTITOOL", DEFAULT))
    if not os.access(path, os.X_OK):
        pytest.fail(f"the SARIF validator is missing at {path}: run `bash scripts/setup.sh test`")
    return path


def validate(multitool: Path, log: Path) -> list[dict]:
    """The validator's findings about ``log`` (it reports them as SARIF too)."""
    out = log.with_suffix(".validation.sarif")
    proc = subprocess.run(
        [str(multitool), "validate", str(log), "-o", str(out), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    assert out.is_file(), proc.stdout + proc.stderr
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    return [
        {"rule": r["ruleId"], "level": r.get("level", "warning"), "message": r["message"]} for r in results
    ]


def gfv_check_sarif(root: Path, tmp_path: Path) -> Path:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "gfv"), "check", "--format", "sarif", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "GFV_CACHE_DIR": str(tmp_path / "cache"), "GFV_NO_PROGRESS": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    log = tmp_path / "gfv.sarif"
    log.write_text(proc.stdout, encoding="utf-8")
    return log


def test_gfv_sarif_passes_the_official_validator(multitool, tmp_path):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "bad.py").write_text(BAD, encoding="utf-8")
    (root / "broken.py").write_text(BROKEN, encoding="utf-8")
    for name in ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml"):
        shutil.copy(REPO / "samples" / name, root / name)
    with (root / "athletes.csv").open("a", encoding="utf-8") as fh:
        fh.write("A001,Dup Licate,F,1990,60.0,rowing\n")  # a primary-key duplicate
    log = gfv_check_sarif(root, tmp_path)
    results = json.loads(log.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"BLK006", "PYL-E0602", "SYN001", "KEY001"}
    problems = [f for f in validate(multitool, log) if f["rule"] not in ALLOWED]
    assert problems == []


def test_the_validator_catches_a_broken_log(multitool, tmp_path):
    """The check above could pass vacuously if the validator accepted anything."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "bad.py").write_text(BAD, encoding="utf-8")
    log = gfv_check_sarif(root, tmp_path)
    data = json.loads(log.read_text(encoding="utf-8"))
    del data["runs"][0]["tool"]["driver"]["name"]
    data["runs"][0]["results"][0]["level"] = "fatal"
    log.write_text(json.dumps(data), encoding="utf-8")
    rules = {f["rule"] for f in validate(multitool, log) if f["level"] == "error"}
    assert len(rules) >= 1 and all(r.startswith("JSON") for r in rules)
