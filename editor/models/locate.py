"""Which model gfv uses, and why: --model, then GFV_MODEL, then config, then the fetched default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from editor.models.fetch import DEFAULT_MODEL, default_model_path
from editor.models.gguf import check_gguf


@dataclass(frozen=True)
class ModelChoice:
    path: Path | None
    reason: str
    name: str | None = None

    def to_json(self) -> dict | None:
        return None if self.path is None else {"path": str(self.path), "name": self.name}


def locate_model(cli_path: str | None, config_path: str | None, config_source: str = "config") -> ModelChoice:
    """Resolve the model path; the file is checked (GfvError on a bad file), not loaded."""
    for value, reason in (
        (cli_path, "given with --model"),
        (os.environ.get("GFV_MODEL"), "set by the GFV_MODEL environment variable"),
        (config_path, f"set by 'model' in {config_source}"),
    ):
        if value:
            path = Path(value).expanduser()
            check_gguf(path)
            return ModelChoice(path, reason, path.stem)
    default = default_model_path()
    if default.exists():
        check_gguf(default, DEFAULT_MODEL.size)
        return ModelChoice(default, "the default model fetched by `gfv model fetch`", DEFAULT_MODEL.name)
    return ModelChoice(None, "no model: none was given and `gfv model fetch` has not been run")
