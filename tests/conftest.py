"""Shared fixtures: the real default model (fetched by scripts/setup.sh) and sample paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The real Qwen GGUF. Missing means set-up did not run: fail loudly, never skip."""
    from editor.models.fetch import DEFAULT_MODEL, default_model_path

    path = default_model_path()
    if not path.exists() or path.stat().st_size != DEFAULT_MODEL.size:
        pytest.fail(f"the default model is missing at {path}: run `gfv model fetch` (scripts/setup.sh does)")
    return path


@pytest.fixture(scope="session")
def scorer(model_path):
    from editor.ranking.llm import get_scorer

    return get_scorer(model_path, n_ctx=4096, threads=2)


@pytest.fixture
def kenlm_cache(monkeypatch) -> Path:
    """GFV_CACHE_DIR at the shared test cache (as tests/editor/ngram), with the REAL KenLM tools built there."""
    from editor.ngram.tools import ensure_kenlm_tools
    from editor.tables import column_lm

    cache = REPO / ".gfv-cache" / "test"
    monkeypatch.setenv("GFV_CACHE_DIR", str(cache))
    monkeypatch.setattr(column_lm, "_TOOLS", {"tools": ensure_kenlm_tools()})
    return cache
