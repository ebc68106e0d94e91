"""A private copy of the sample table pair with its schemas and rules."""

import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
FILES = ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml")


@pytest.fixture
def tables(tmp_path) -> Path:
    for name in FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


TEST_CACHE = SAMPLES.parent / ".gfv-cache" / "test"  # shared with tests/editor/ngram (gitignored)


@pytest.fixture
def kenlm_cache(monkeypatch) -> Path:
    """GFV_CACHE_DIR at the shared test cache, with the REAL KenLM tools built there."""
    from editor.ngram.tools import ensure_kenlm_tools
    from editor.tables import column_lm

    monkeypatch.setenv("GFV_CACHE_DIR", str(TEST_CACHE))
    monkeypatch.setattr(column_lm, "_TOOLS", {"tools": ensure_kenlm_tools()})
    return TEST_CACHE
