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
