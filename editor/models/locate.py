"""Which model gfv uses, and why: --model, then GFV_MODEL, then config, then the fetched default.

Each of the first three is a path to a .gguf file, or the name of a pinned model
(``qwen2.5-coder-1.5b``: editor/models/fetch.py ``pinned_models``) once ``gfv model fetch --name``
has stored it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from editor.errors import ExitCode, GfvError
from editor.models.fetch import DEFAULT_MODEL, default_model_path, model_path, pinned_models
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
            if value in pinned_models() and not Path(value).expanduser().exists():
                return _pinned_choice(value, reason)
            path = Path(value).expanduser()
            check_gguf(path)
            return ModelChoice(path, reason, path.stem)
    default = default_model_path()
    if default.exists():
        check_gguf(default, DEFAULT_MODEL.size)
        return ModelChoice(default, "the default model fetched by `gfv model fetch`", DEFAULT_MODEL.name)
    return ModelChoice(None, "no model: none was given and `gfv model fetch` has not been run")


def _pinned_choice(key: str, reason: str) -> ModelChoice:
    """The fetched file of the pinned model ``key``; GfvError (usage) naming the fetch when it is missing."""
    pin = pinned_models()[key]
    path = model_path(pin)
    if not path.exists():
        raise GfvError(
            f"the pinned model {key!r} ({pin.name}) is not fetched yet: run `gfv model fetch --name {key}`",
            ExitCode.USAGE,
        )
    check_gguf(path, pin.size)
    return ModelChoice(path, f"{reason} (pinned model {key!r})", pin.name)
