"""A crash journal of unsaved edits, one JSON file per edited file, under ``data_dir()/journal``.

An editor calls :meth:`Journal.write` every few seconds while there are unsaved
edits, :meth:`Journal.clear` after a save or a clean quit.  After a crash or a kill
the journal is still there; :meth:`Journal.recoverable` returns it when its text
differs from what is on disk, so the editor can offer to restore it.  Writes are
atomic (:func:`editor.files.atomic_write`), so a kill mid-write leaves the previous
journal intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from editor.files import atomic_write
from editor.paths import data_dir

FORMAT = 1


@dataclass(frozen=True)
class JournalEntry:
    path: str  # absolute path of the edited file
    text: str  # the unsaved text
    base_sha256: str | None  # sha256 of the file on disk the edits started from (None: new file)
    saved_at: float  # time.time() of the journal write
    cursor: tuple[int, int] = (0, 0)
    pid: int = 0
    format: int = FORMAT

    @property
    def age_s(self) -> float:
        return max(0.0, time.time() - self.saved_at)


class Journal:
    """The journal of one file (see module docstring)."""

    def __init__(self, target: Path, root: Path | None = None) -> None:
        self.target = Path(target).absolute()
        root = Path(root) if root is not None else data_dir() / "journal"
        digest = hashlib.sha256(str(self.target).encode("utf-8")).hexdigest()[:16]
        self.path = root / f"{digest}-{self.target.name}.json"

    def write(self, text: str, base_sha256: str | None, cursor: tuple[int, int] = (0, 0)) -> JournalEntry:
        entry = JournalEntry(str(self.target), text, base_sha256, time.time(), tuple(cursor), os.getpid())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(asdict(entry), ensure_ascii=False))
        return entry

    def read(self) -> JournalEntry | None:
        """The journal entry, or None when there is none or it is unreadable (never raises)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("path") != str(self.target):
                return None
            data["cursor"] = tuple(data.get("cursor", (0, 0)))
            return JournalEntry(**data)
        except (OSError, ValueError, TypeError):
            return None

    def recoverable(self, disk_text: str) -> JournalEntry | None:
        """The entry if it holds edits that differ from ``disk_text``; else None."""
        entry = self.read()
        if entry is None or entry.text == disk_text:
            return None
        return entry

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def exists(self) -> bool:
        return self.path.exists()
