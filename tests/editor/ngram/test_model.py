"""Querying a trained model: stateful KenLM scores and the successor index."""

from __future__ import annotations

import time

import pytest

from editor.errors import GfvError
from editor.ngram.model import NgramModel


@pytest.fixture(scope="module")
def model(small_model):
    return NgramModel.load(small_model.path)


def test_loads_fast(small_model):
    started = time.perf_counter()
    NgramModel.load(small_model.path)
    assert time.perf_counter() - started < 1.0


def test_successors_after_self_dot(model):
    after_self = [tok for tok, _ in model.successors(["<s>", "<i2>", "self", "."], 32)]
    assert len(after_self) == 32
    assert all(tok.isidentifier() for tok in after_self[:10])
    assert "_" in "".join(after_self[:10])  # private attributes such as self._lock
    after_def = [tok for tok, _ in model.successors(["<s>", "<i1>", "def"], 32)]
    assert "__init__" in after_def[:5]
    after_init = [tok for tok, _ in model.successors(["<s>", "<i1>", "def", "__init__", "("], 5)]
    assert after_init[0] == "self"


def test_successors_back_off_for_unknown_context(model):
    unknown = model.successors(["<s>", "<i0>", "zzz_never_seen", "("], 8)
    assert len(unknown) == 8  # backs off to the unigram distribution, never empty
    after_import = model.successors(["import"], 64)
    assert "os" in [tok for tok, _ in after_import]
    assert len({tok for tok, _ in after_import}) == len(after_import)


def test_stateful_scoring_matches_score_line(model):
    tokens = ["<i0>", "import", "os"]
    state, partial = model.begin(tokens)
    eos, _ = model.advance(state, "</s>")
    assert model.score_line(tokens) == pytest.approx(partial + eos, abs=1e-4)
    assert model.score_line(tokens) == pytest.approx(model.lm.score(" ".join(tokens)), abs=1e-4)
    assert model.score_line(["<i0>", "import", "os"]) > model.score_line(["<i0>", "import", "import"])
    start, _ = model.begin(["<i1>", "def"])
    assert model.logprob_next(start, "__init__") > model.logprob_next(start, "os")


def test_prefix_search(model):
    found = [tok for tok, _ in model.with_prefix("Runtime", 10)]
    assert "RuntimeError" in found and all(tok.startswith("Runtime") for tok in found)
    assert model.with_prefix("zzz_never_", 10) == []


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(GfvError, match="gfv train"):
        NgramModel.load(tmp_path)
