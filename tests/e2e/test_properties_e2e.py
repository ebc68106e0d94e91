"""End to end, nothing mocked: `gfv suggest` where the n-gram's top candidate breaks a property.

The slot is cut out of samples/session_order.py: the cursor sits after
``    return sorted(sessions, key=lambda s: `` in ``chronological``.  The document's own
``by_load`` makes the n-gram (stdlib model + document cache) prefer
``s.load_kg, reverse=True)``, which breaks samples/session_order_properties.py's
"ordered by date"; the properties validator rejects it with its shrunk
counterexample, and ``s.date)`` is shown.
"""

# pylint: disable=missing-function-docstring

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor.ngram.train import stdlib_files, train

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TARGET = "    return sorted(sessions, key=lambda s: s.date)"
TYPED = "    return sorted(sessions, key=lambda s: "
WRONG = "s.load_kg, reverse=True)"


@pytest.fixture(scope="module")
def slot_file(tmp_path_factory) -> tuple[Path, int, int]:
    info = train(stdlib_files(), set_current=False)
    folder = tmp_path_factory.mktemp("e2e_props")
    (folder / "gfv.toml").write_text(f"ngram_model = {str(info.path)!r}\n")
    shutil.copy(SAMPLES / "session_order_properties.py", folder / "session_order_properties.py")
    lines = (SAMPLES / "session_order.py").read_text().split("\n")
    row = lines.index(TARGET)
    lines[row] = TYPED
    path = folder / "session_order.py"
    path.write_text("\n".join(lines))
    return path, row + 1, len(TYPED) + 1


def _suggest(path: Path, line: int, col: int, *extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(path), "--line", str(line), "--col", str(col),
         "--format", "json", *extra],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_ngram_top_breaks_a_property_is_rejected_with_its_counterexample(slot_file):
    path, line, col = slot_file
    before = sorted(p.name for p in path.parent.iterdir())
    out = _suggest(path, line, col)
    everyone = out["candidates"] + out["rejected"]
    ranked = [c for c in everyone if c["scores"].get("final") is not None]
    ngram_top = max(ranked, key=lambda c: c["scores"]["ngram"])
    assert ngram_top["text"] == WRONG  # the n-gram's favourite among the candidates that parse

    (wrong,) = [c for c in out["rejected"] if c["text"] == WRONG]
    (prop,) = [v for v in wrong["verdicts"] if v["validator"] == "properties"]
    assert prop["code"] == "PROP001" and not prop["ok"]
    assert prop["details"]["property"] == "prop_chronological_is_ordered_by_date"
    assert "Session(" in prop["details"]["counterexample"] and "date=" in prop["details"]["counterexample"]
    assert "falsified by" in prop["message"]

    texts = [c["text"] for c in out["candidates"]]
    assert texts[0] == "s.date)"
    top = out["candidates"][0]
    (ok,) = [v for v in top["verdicts"] if v["validator"] == "properties"]
    assert ok["code"] == "PROP000" and ok["details"]["properties"] == [
        "prop_chronological_is_a_permutation",
        "prop_chronological_is_ordered_by_date",
    ]
    assert out["model"] and out["model"]["name"].startswith("Qwen2.5-Coder-0.5B")
    assert WRONG not in texts and all(all(v["ok"] for v in c["verdicts"]) for c in out["candidates"])
    assert "validate.properties" in out["timings_ms"]
    assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written beside the file


def test_text_output_shows_the_rejection_reason(slot_file):
    path, line, col = slot_file
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(path), "--line", str(line), "--col", str(col),
         "--show-rejected"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "PROP001 prop_chronological_is_ordered_by_date falsified by" in proc.stdout
