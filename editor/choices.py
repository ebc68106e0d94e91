"""What the user accepted and rejected: a local JSON-lines log and a session memory.

* :class:`ChoiceLog` appends one JSON object per choice to ``data_dir()/choices.jsonl``
  (``event`` is ``accept``, ``accept_word`` or ``dismiss``; the candidate's trace is
  included).  Nothing leaves the machine.
* :class:`SessionMemory` remembers the lines the user completed by accepting a
  candidate in this session.  :func:`attach_session` makes a pipeline use it:

  - a ``session`` generator proposes a remembered line again when what is typed is a
    prefix of it, so what the user accepts gets proposed more;
  - the n-gram generator's document cache model also counts the remembered lines
    (when the generator exposes ``cache_model(slot)``; otherwise this part is skipped).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from editor.candidates import Candidate
from editor.document import Slot
from editor.paths import data_dir

MAX_SESSION_CANDIDATES = 5


class ChoiceLog:
    """Append-only JSON lines; a write failure never breaks the editor (it is counted)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "choices.jsonl"
        self.failures = 0
        self._lock = threading.Lock()

    def record(self, event: str, candidate: Candidate | None = None, **fields: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"time": round(time.time(), 3), "event": event, **fields}
        if candidate is not None:
            entry["candidate"] = candidate.to_json()
        line = json.dumps(entry, ensure_ascii=False, default=str)
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
            except OSError:
                self.failures += 1
        return entry

    def read(self) -> list[dict[str, Any]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out


class SessionMemory:
    """Lines completed by accepting candidates in this session (thread-safe)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._order: list[str] = []  # most recent last
        self._lock = threading.Lock()

    def remember(self, full_line: str) -> None:
        """``full_line``: the cursor's line right after an accept (indentation kept)."""
        if not full_line.strip():
            return
        with self._lock:
            self._counts[full_line] += 1
            if full_line in self._order:
                self._order.remove(full_line)
            self._order.append(full_line)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._order)

    def count(self, line: str) -> int:
        with self._lock:
            return self._counts[line]

    def __len__(self) -> int:
        with self._lock:
            return len(self._order)


class SessionGenerator:
    """Proposes remembered lines whose start matches what is typed (source ``session``).

    The cheap score grows with how often the line was accepted: ``log(n / (n + 1))``
    per token-ish unit, so a line accepted 3 times scores about -0.29.
    """

    name = "session"

    def __init__(self, memory: SessionMemory) -> None:
        self.memory = memory

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        typed = slot.typed
        stripped = typed.lstrip()
        indent = typed[: len(typed) - len(stripped)]
        out: list[Candidate] = []
        for line in reversed(self.memory.lines()):
            body = line.lstrip()
            line_indent = line[: len(line) - len(body)]
            if not body.startswith(stripped) or len(body) == len(stripped):
                continue
            if not stripped and line_indent != (slot.indent if not typed else indent):
                continue  # on a blank line only propose lines at the same indentation
            text = body[len(stripped) :]
            if not typed and slot.indent:
                text = slot.indent + text
            n = self.memory.count(line)
            out.append(
                Candidate(
                    text=text,
                    source="session",
                    scores={"ngram": round(math.log(n / (n + 1.0)), 4)},
                    origin={"session_line": line, "accepted_times": n},
                )
            )
            if len(out) >= min(limit, MAX_SESSION_CANDIDATES):
                break
        return out


def attach_session(pipeline: Any, memory: SessionMemory) -> list[str]:
    """Make ``pipeline`` use ``memory`` (see module docstring); returns what was attached."""
    attached = []
    if not any(getattr(g, "name", None) == "session" for g in pipeline.generators):
        pipeline.generators.append(SessionGenerator(memory))
        attached.append("session generator")
    for gen in pipeline.generators:
        if callable(getattr(gen, "cache_model", None)) and not getattr(gen, "_gfv_session", False):
            gen.cache_model = _session_cache_model(gen.cache_model, memory)
            gen._gfv_session = True  # pylint: disable=protected-access
            attached.append(f"{gen.name} cache model")
    return attached


def _session_cache_model(original: Any, memory: SessionMemory) -> Any:
    """Wrap ``gen.cache_model(slot)`` so the cache model also counts the remembered lines."""
    memo: dict[str, Any] = {}

    def cache_model(slot: Slot) -> Any:
        extra = memory.lines()
        if not extra:
            return original(slot)
        key = (slot.document.text, slot.line, tuple(extra))
        if memo.get("key") == key:
            return memo["model"]
        try:
            # pylint: disable=import-outside-toplevel
            from editor.ngram.cache_model import CacheModel
            from editor.ngram.tokens import indent_depth, indent_token, tokenize_lines

            row = slot.line + 1
            lines = [
                t.tokens for t in tokenize_lines(slot.document.text) if not t.start_row <= row <= t.end_row
            ]
            for line in extra:
                ind = indent_token(line[: len(line) - len(line.lstrip())])
                for t in tokenize_lines(line.lstrip() + "\n"):
                    toks = list(t.tokens)
                    lines.append([ind, *toks[1:]] if toks and indent_depth(toks[0]) is not None else toks)
            model = CacheModel(lines)
        except Exception:  # pylint: disable=broad-exception-caught
            return original(slot)  # the n-gram internals changed: fall back to the plain model
        memo.update(key=key, model=model)
        return model

    return cache_model
