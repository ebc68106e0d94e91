"""End to end: `gfv suggest` where the cheap stage's favourite breaks a property.

The slot is cut out of samples/session_order.py: the cursor sits after
``    return sorted(sessions, key=lambda s: `` in ``chronological``.  The candidates come
from the test-only "fixed" generator (tests/e2e/fixed_generator.py), so that the cheap
order does not depend on today's n-gram model: ``s.load_kg, reverse=True)`` (what the
document's own ``by_load`` suggests) has the BEST cheap score, another wrong order the
next, and the correct ``s.date)`` the worst.  Everything else is gfv's own, nothing
mocked: the syntax, black, pylint and properties validators, the sandbox, the Qwen
ranker.  The properties validator rejects the wrong ones against
samples/session_order_properties.py's "ordered by date", with a shrunk counterexample,
and ``s.date)`` is shown.
"""

# pylint: disable=missing-function-docstring

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor.ngram.train import stdlib_files, train
from fixed_generator import fixed_env

GFV_WITH_FIXED = Path(__file__).resolve().parent / "fixed_generator.py"  # gfv, with the "fixed" generator

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TARGET = "    return sorted(sessions, key=lambda s: s.date)"
TYPED = "    return sorted(sessions, key=lambda s: "
WRONG = "s.load_kg, reverse=True)"
RIGHT = "s.date)"
# The cheap order, best first, scores within the LLM's skip margin (so that it ranks them).
CHEAP_ORDER = [(WRONG, -1.0), ("s.date, reverse=True)", -1.3), ("s.reps)", -1.6), (RIGHT, -1.9)]


@pytest.fixture(scope="module")
def slot_file(tmp_path_factory) -> tuple[Path, int, int]:
    info = train(stdlib_files(), set_current=False)
    folder = tmp_path_factory.mktemp("e2e_props")
    (folder / "gfv.toml").write_text(f'ngram_model = {str(info.path)!r}\n[generators]\nenabled = ["fixed"]\n')
    shutil.copy(SAMPLES / "session_order_properties.py", folder / "session_order_properties.py")
    lines = (SAMPLES / "session_order.py").read_text().split("\n")
    row = lines.index(TARGET)
    lines[row] = TYPED
    path = folder / "session_order.py"
    path.write_text("\n".join(lines))
    return path, row + 1, len(TYPED) + 1


def _gfv(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(GFV_WITH_FIXED), *args],
        capture_output=True, text=True, check=False, timeout=600, env={**os.environ, **fixed_env(CHEAP_ORDER)},
    )  # fmt: skip


def _suggest(path: Path, line: int, col: int, *extra: str) -> dict:
    proc = _gfv("suggest", str(path), "--line", str(line), "--col", str(col), "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_ngram_top_breaks_a_property_is_rejected_with_its_counterexample(slot_file):
    path, line, col = slot_file
    before = sorted(p.name for p in path.parent.iterdir())
    out = _suggest(path, line, col)
    everyone = out["candidates"] + out["rejected"]
    ranked = [c for c in everyone if c["scores"].get("final") is not None]
    # every candidate parses and was ranked
    assert sorted(c["text"] for c in ranked) == sorted(text for text, _ in CHEAP_ORDER)
    assert all(c["scores"]["llm"] is not None for c in ranked)  # the Qwen ranker ran on them
    ngram_top = max(ranked, key=lambda c: c["scores"]["ngram"])
    assert ngram_top["text"] == WRONG  # the cheap stage's favourite (by construction: CHEAP_ORDER)

    (wrong,) = [c for c in out["rejected"] if c["text"] == WRONG]
    (prop,) = [v for v in wrong["verdicts"] if v["validator"] == "properties"]
    assert prop["code"] == "PROP001" and not prop["ok"]
    assert prop["details"]["property"] == "prop_chronological_is_ordered_by_date"
    assert "Session(" in prop["details"]["counterexample"] and "date=" in prop["details"]["counterexample"]
    assert "falsified by" in prop["message"]

    texts = [c["text"] for c in out["candidates"]]
    assert texts == [RIGHT]  # the one that keeps the properties, though the cheap stage ranked it last
    top = out["candidates"][0]
    (ok,) = [v for v in top["verdicts"] if v["validator"] == "properties"]
    assert ok["code"] == "PROP000" and ok["details"]["properties"] == [
        "prop_chronological_is_a_permutation",
        "prop_chronological_is_ordered_by_date",
    ]
    assert out["model"] and out["model"]["name"].startswith("Qwen2.5-Coder-0.5B")
    assert all(all(v["ok"] for v in c["verdicts"]) for c in out["candidates"])
    for cand in out["rejected"]:  # the other wrong orders: rejected by the properties validator too
        assert [v["code"] for v in cand["verdicts"] if not v["ok"]] == ["PROP001"], cand
    assert "validate.properties" in out["timings_ms"]
    assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written beside the file


def test_text_output_shows_the_rejection_reason(slot_file):
    path, line, col = slot_file
    proc = _gfv("suggest", str(path), "--line", str(line), "--col", str(col), "--show-rejected")
    assert proc.returncode == 0, proc.stderr
    assert "PROP001 prop_chronological_is_ordered_by_date falsified by" in proc.stdout
