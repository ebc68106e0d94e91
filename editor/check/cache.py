"""The ``gfv check`` result cache: one small JSON file per (content, settings) key.

Keys are SHA-256 digests of the checker's fingerprint (tool versions, enabled
validators), the file's own settings (black's mode), its resolved path and the
SHA-256 of its bytes.  Entries are written to a temporary file and renamed into
place, so parallel runs (several pre-commit hooks, several terminals) never see
half an entry; a corrupt entry reads as a miss.  The cache lives under the gfv
cache directory (``GFV_CACHE_DIR`` overrides it) in ``check/``.

What a key does not cover: the contents of *other* files.  pylint's no-member or
no-name-in-module on a name imported from a file that changed since is not
re-checked until the importing file changes (``--no-cache`` re-checks everything).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def make_key(*parts: str) -> str:
    """A cache key from its parts (order matters)."""
    digest = hashlib.sha256(f"gfv-check-cache-{FORMAT}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ResultCache:
    """Get and put JSON-able values by key; every failure is a miss, never an error."""

    def __init__(self, root: Path | None = None) -> None:
        if root is None:
            from editor.paths import cache_dir  # pylint: disable=import-outside-toplevel

            root = cache_dir() / "check"
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None."""
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` atomically; an unwritable cache is silently skipped."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(value, fh, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # no cache is not an error
