"""Fixtures for the n-gram tests: the REAL KenLM tools and a small model trained on stdlib modules.

Everything is cached under ``<repo>/.gfv-cache/test`` (gitignored): the first run
builds lmplz/build_binary (about a minute); later runs reuse the tools and model.
GFV_CACHE_DIR is only set while our helpers run, so other tests keep their own cache.
"""

from __future__ import annotations

import contextlib
import os
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TEST_CACHE = REPO / ".gfv-cache" / "test"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SMALL_CORPUS = [
    "os.py",
    "argparse.py",
    "dataclasses.py",
    "enum.py",
    "pathlib.py",
    "shutil.py",
    "subprocess.py",
    "threading.py",
    "tempfile.py",
    "logging/__init__.py",
    "json/encoder.py",
    "collections/__init__.py",
    "unittest/case.py",
    "configparser.py",
]


@contextlib.contextmanager
def test_cache_env():
    """Temporarily point GFV_CACHE_DIR at the shared test cache."""
    old = os.environ.get("GFV_CACHE_DIR")
    os.environ["GFV_CACHE_DIR"] = str(TEST_CACHE)
    try:
        yield TEST_CACHE
    finally:
        if old is None:
            os.environ.pop("GFV_CACHE_DIR", None)
        else:
            os.environ["GFV_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def kenlm_tools():
    from editor.ngram.tools import ensure_kenlm_tools

    with test_cache_env():
        return ensure_kenlm_tools()


@pytest.fixture(scope="session")
def small_corpus() -> list[Path]:
    return [STDLIB / name for name in SMALL_CORPUS]


@pytest.fixture(scope="session")
def small_model(kenlm_tools, small_corpus):
    """NgramModelInfo of an order-5 model over a dozen class-heavy stdlib modules."""
    from editor.ngram.train import train

    with test_cache_env():
        return train(small_corpus, order=5, set_current=False)


@pytest.fixture
def cache_env(monkeypatch):
    """GFV_CACHE_DIR set to the shared test cache for one test."""
    monkeypatch.setenv("GFV_CACHE_DIR", str(TEST_CACHE))
    return TEST_CACHE
