"""Cheap checks on a GGUF file before llama.cpp sees it (llama.cpp may abort the process)."""

from __future__ import annotations

import struct
from pathlib import Path

from editor.errors import ExitCode, GfvError

GGUF_MAGIC = b"GGUF"
MIN_GGUF_SIZE = 1 << 20  # anything smaller cannot be a usable language model


def check_gguf(path: Path, expected_size: int | None = None) -> int:
    """Raise GfvError naming the fix unless ``path`` looks like a complete GGUF file.

    Returns the GGUF version.
    """
    fix = "run `gfv model fetch` for the default model, or pass --model PATH to a .gguf file"
    if not path.exists():
        raise GfvError(f"model file {path} does not exist; {fix}", ExitCode.USAGE)
    if path.is_dir():
        raise GfvError(f"model path {path} is a directory, not a .gguf file; {fix}", ExitCode.USAGE)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(24)
    if head[:4] != GGUF_MAGIC:
        raise GfvError(f"{path} is not a GGUF file (bad magic {head[:4]!r}); {fix}", ExitCode.USAGE)
    if len(head) < 24:
        raise GfvError(f"{path} is truncated ({size} bytes); {fix}", ExitCode.USAGE)
    version, n_tensors, n_kv = struct.unpack("<IQQ", head[4:24])
    if version not in (1, 2, 3) or n_tensors == 0 or n_tensors > 1_000_000 or n_kv > 1_000_000:
        raise GfvError(f"{path}: implausible GGUF header (version {version}); {fix}", ExitCode.USAGE)
    if expected_size is not None and size != expected_size:
        raise GfvError(
            f"{path} is {size} bytes, expected {expected_size} (truncated or corrupt); {fix}", ExitCode.USAGE
        )
    if size < MIN_GGUF_SIZE:
        raise GfvError(f"{path} is only {size} bytes: truncated; {fix}", ExitCode.USAGE)
    return version
