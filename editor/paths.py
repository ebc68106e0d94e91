"""Where gfv keeps its caches: models, KenLM tools, n-gram models, logs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """The user's gfv cache directory; ``GFV_CACHE_DIR`` overrides it (tests, CI)."""
    override = os.environ.get("GFV_CACHE_DIR")
    path = Path(override) if override else Path(platformdirs.user_cache_dir("gfv"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """The user's gfv data directory (choice logs); ``GFV_DATA_DIR`` overrides it."""
    override = os.environ.get("GFV_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir("gfv"))
    path.mkdir(parents=True, exist_ok=True)
    return path
