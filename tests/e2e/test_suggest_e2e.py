"""End to end, nothing mocked: real KenLM tools and model, real validators, real Qwen ranker.

(The LLM-order test takes its candidates from the test-only "fixed" generator,
tests/e2e/fixed_generator.py: an input with a chosen cheap order, not a mock.)

The slot is cut out of samples/training_log.py: the cursor sits after ``    ret`` on the
line ``    return sessions`` that ends ``read_sessions``.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.config import Config
from editor.document import Document
from editor.ngram.train import stdlib_files, train
from editor.pipeline import Pipeline
from fixed_generator import fixed_env

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "training_log.py"
TARGET = "    return sessions"
TYPED = "    ret"


@pytest.fixture(scope="module")
def slot_file(tmp_path_factory) -> tuple[Path, int, int]:
    """The cut sample, beside a gfv.toml naming an n-gram model trained on the stdlib only.

    The default corpus would include this repository (and so the sample itself), which
    changes with every commit; the stdlib is the same for a given Python.
    """
    info = train(stdlib_files(), set_current=False)  # real lmplz/build_binary; cached after the first run
    lines = SAMPLE.read_text().split("\n")
    row = lines.index(TARGET)
    lines[row] = TYPED
    folder = tmp_path_factory.mktemp("e2e")
    (folder / "gfv.toml").write_text(f"ngram_model = {str(info.path)!r}\n")
    path = folder / "training_log_cut.py"
    path.write_text("\n".join(lines))
    return path, row + 1, len(TYPED) + 1


def _config(path: Path) -> Config:
    from editor.config import load_config

    return load_config(start=path.parent)


def _all_valid(cands: list[Candidate]) -> bool:
    return all(v.ok for c in cands for v in c.verdicts) and all(c.verdicts for c in cands)


def test_cli_json_has_the_expected_completion_and_only_valid_candidates(slot_file):
    path, line, col = slot_file
    before = path.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(path), "--line", str(line), "--col", str(col), "--format", "json"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    texts = [c["text"] for c in out["candidates"]]
    assert "urn sessions" in texts
    assert out["model"] and out["model"]["name"].startswith("Qwen2.5-Coder-0.5B")
    for cand in out["candidates"]:
        assert cand["verdicts"] and all(v["ok"] for v in cand["verdicts"])
        assert {"syntax", "black"} <= {v["validator"] for v in cand["verdicts"]}
        assert cand["scores"]["final"] is not None
        # ranked by Qwen, or the draft was confident and the ranking was skipped, with the reason
        assert cand["scores"]["llm"] is not None or "draft is confident" in cand["origin"]["llm_skipped"]
    finals = [c["scores"]["final"] for c in out["candidates"]]
    if "llm_skipped" in out["candidates"][0]["origin"]:
        finals = finals[1:]  # the confident draft comes first, the rest in cheap order
    assert finals == sorted(finals, reverse=True)
    assert all(not c["verdicts"] or not all(v["ok"] for v in c["verdicts"]) for c in out["rejected"])
    assert path.read_bytes() == before  # suggest never touches the file


# The cheap stage's order for the LLM test, best first: valid rests of ``    ret`` (they pass
# syntax, black, pylint), the true line LAST.  Their n-gram scores are within the ranker's
# skip margin of each other, so the LLM ranks them; the truth's is the worst, so the blend
# (``final = 0.85 * llm + 0.15 * ngram``) counts against it: only the LLM can put it first.
# Measured: Qwen's sum log-probability is -10.2 for the truth, -18.8 for the next best.
TRUTH = "urn sessions"
CHEAP_ORDER = [
    ("urn None", -2.0),
    ("urn []", -2.2),
    ("urn sessions[1:]", -2.4),
    ("urn path", -2.6),
    (TRUTH, -2.8),
]


def test_llm_fixes_the_order_where_the_ngram_alone_was_wrong(slot_file, model_path, monkeypatch):
    """The cheap order puts the true line last (by construction: the "fixed" test generator);
    the real Qwen ranker puts it first.  Everything but the generator is gfv's own."""
    for key, value in fixed_env(CHEAP_ORDER).items():
        monkeypatch.setenv(key, value)
    path, line, col = slot_file
    slot = Document.load(path).slot(line - 1, col - 1)
    k = len(CHEAP_ORDER)

    def config(ranker: str) -> Config:
        cfg = _config(path)
        cfg.generators.enabled = ["fixed"]  # no llm_draft: the LLM must reorder, not propose
        cfg.ranker.name = ranker
        return cfg

    ngram_only = Pipeline(config("ngram"), None).suggest(slot, k)
    with_llm = Pipeline(config("llm"), model_path, "qwen").suggest(slot, k)
    assert _all_valid(ngram_only.candidates) and _all_valid(with_llm.candidates)
    ngram_texts = [c.text for c in ngram_only.candidates]
    llm_texts = [c.text for c in with_llm.candidates]
    assert ngram_texts == [text for text, _ in CHEAP_ORDER]  # all valid, in the cheap order: truth last
    assert sorted(llm_texts) == sorted(ngram_texts)  # the same candidates, all ranked by the LLM
    assert all("llm_skipped" not in c.origin and c.scores["llm"] is not None for c in with_llm.candidates)
    assert llm_texts[0] == TRUTH  # the LLM scores put the true line first
    assert with_llm.work["llm"]["candidates"] >= 2


def test_without_a_model_gfv_still_works_and_says_so(slot_file):
    path, line, col = slot_file
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(path), "--line", str(line), "--col", str(col), "--no-llm", "--format", "json"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] is None and out["candidates"]
    assert all(c["scores"]["llm"] is None for c in out["candidates"])
