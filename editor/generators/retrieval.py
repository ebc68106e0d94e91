"""The "retrieval" generator: lines of the open document and its repository that continue the slot.

Code repeats itself: a line typed once is often typed again, in the same file or in
another file of the same project (prompt-lookup decoding rests on the same fact).
For a slot, two lookups propose whole rests of the line:

* **prefix**: code lines (stripped of indentation) that start with what the user
  typed on the line, with the typed part cut off;
* **follows**: when the user typed nothing but indentation, the lines that followed
  the previous code line wherever that line occurs (never across the cursor's line:
  the line below the cursor is there already, it is not what the user is writing).

Lines come from the open document (the text in the editor, not the file on disk,
counted ``DOC_WEIGHT`` times) and from the other ``.py`` files of the project
(:func:`project_root`).  The project's index is built once per process and rebuilt
when a file's size or modification time changes; the document's own file on disk is
left out of it, since the editor's text supersedes it.

``scores["cheap"]`` is the natural log of the candidate's share of the matching
weight, so it is comparable across slots; ``origin`` records the lookup, the count
and where the line was seen.
"""

from __future__ import annotations

import bisect
import math
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from editor.candidates import Candidate
from editor.document import Slot
from editor.stages import StageContext, generators

MIN_LINE = 4  # shorter code lines are not worth retrieving
MAX_LINE = 160
MAX_FILES = 3000
MAX_FILE_BYTES = 1_000_000
DOC_WEIGHT = 3  # a line of the open document counts this many times
RECHECK_S = 30.0  # how often the project's file signature is re-read
_SKIP_DIRS = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", ".tox", "build", "dist"}


def _code_lines(text: str) -> list[str]:
    """Stripped lines of code, in order; blank and comment-only lines become ''."""
    out = []
    for line in text.split("\n"):
        code = line.strip()
        out.append("" if not code or code.startswith("#") else code)
    return out


def _usable(code: str) -> bool:
    return MIN_LINE <= len(code) <= MAX_LINE


@dataclass
class LineIndex:
    """Counts of code lines and of which line follows which, for prefix and follow lookups."""

    counts: Counter = field(default_factory=Counter)
    follows: dict[str, Counter] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # a line -> one file it was seen in
    _sorted: list[str] | None = None

    def add(self, lines: list[str], weight: int = 1, source: str = "") -> None:
        prev = ""
        for code in lines:
            if not code:
                continue
            if _usable(code):
                self.counts[code] += weight
                self.where.setdefault(code, source)
                if prev:
                    self.follows.setdefault(prev, Counter())[code] += weight
            prev = code
        self._sorted = None

    def with_prefix(self, prefix: str, limit: int = 2000) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        keys, out = self._sorted, []
        i = bisect.bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix) and len(out) < limit:
            out.append(keys[i])
            i += 1
        return out


def project_root(path: Path) -> Path:
    """The top of the project a file belongs to: its package's top folder, else its git root, else its folder."""
    folder = path.resolve().parent
    top = folder
    while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file():
        top = top.parent
    if (top / "__init__.py").is_file():
        return top
    for cand in (folder, *folder.parents):
        if (cand / ".git").exists():
            return cand
    return folder


def _python_files(root: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime_ns) of the project's .py files, at most MAX_FILES, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".py"):
                full = os.path.join(dirpath, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                if st.st_size <= MAX_FILE_BYTES:
                    out.append((os.path.realpath(full), st.st_size, st.st_mtime_ns))
                if len(out) >= MAX_FILES:
                    return out
    return out


@dataclass
class _Project:
    signature: tuple
    index: LineIndex
    per_file: dict[str, list[str]]
    checked_at: float
    _file_indexes: dict[str, LineIndex] = field(default_factory=dict)

    def file_index(self, path: str) -> LineIndex:
        """One file's own counts and follows, built once (what is subtracted for the open document)."""
        if path not in self._file_indexes:
            index = LineIndex()
            index.add(self.per_file.get(path, []))
            self._file_indexes[path] = index
        return self._file_indexes[path]


class ProjectIndexes:
    """One :class:`LineIndex` per project root, shared by every slot in the process."""

    def __init__(self) -> None:
        self._projects: dict[str, _Project] = {}
        self._lock = threading.Lock()

    def get(self, root: Path) -> _Project:
        key = str(root)
        with self._lock:
            proj = self._projects.get(key)
            now = time.monotonic()
            if proj is not None and now - proj.checked_at < RECHECK_S:
                return proj
            files = _python_files(root)
            signature = tuple(files)
            if proj is not None and proj.signature == signature:
                proj.checked_at = now
                return proj
            index, per_file = LineIndex(), {}
            for path, _size, _mtime in files:
                try:
                    lines = _code_lines(Path(path).read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
                per_file[path] = lines
                index.add(lines, source=path)
            proj = self._projects[key] = _Project(signature, index, per_file, now)
            return proj


_INDEXES = ProjectIndexes()


class RetrievalGenerator:
    """Proposes rests of the line seen elsewhere in the document or the project (module docstring)."""

    name = "retrieval"

    def __init__(self, indexes: ProjectIndexes | None = None, use_project: bool = True) -> None:
        self.indexes = indexes or _INDEXES
        self.use_project = use_project

    def _sources(self, slot: Slot) -> tuple[LineIndex, LineIndex | None, LineIndex]:
        """The document's index (cursor line left out), the project's, and the document file's own index."""
        doc_lines = _code_lines(slot.document.text)
        doc = LineIndex()
        # the cursor's line is left out, and no line follows across it: the line above the cursor
        # is not followed by the line below it (blank lines are skipped), which is already there
        doc.add(doc_lines[: slot.line], DOC_WEIGHT, "<document>")
        doc.add(doc_lines[slot.line + 1 :], DOC_WEIGHT, "<document>")
        path = slot.document.path
        if not (self.use_project and path):
            return doc, None, LineIndex()
        proj = self.indexes.get(project_root(Path(path)))
        return doc, proj.index, proj.file_index(os.path.realpath(path))

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        typed = slot.typed.lstrip()
        if slot.after_cursor.strip():
            return []  # the rest of the line is there already: not a line completion
        doc, project, own = self._sources(slot)
        own_counts, own_follow = own.counts, own.follows  # the file on disk, left out of the project's
        weights: Counter = Counter()
        seen_in: dict[str, str] = {}
        if typed:
            lookup = "prefix"
            for index, minus in ((doc, None), (project, own_counts)):
                if index is None:
                    continue
                for line in index.with_prefix(typed):
                    n = index.counts[line] - (minus[line] if minus else 0)
                    if n > 0 and len(line) > len(typed):
                        weights[line] += n
                        seen_in.setdefault(line, index.where.get(line, ""))
        else:
            lookup = "follows"
            prev = next((c for c in reversed(_code_lines("\n".join(slot.before_lines(40)))) if c), "")
            if not prev:
                return []
            for index, minus in ((doc, None), (project, own_follow)):
                if index is None:
                    continue
                for line, n in index.follows.get(prev, Counter()).items():
                    n -= minus.get(prev, Counter())[line] if minus else 0
                    if n > 0:
                        weights[line] += n
                        seen_in.setdefault(line, index.where.get(line, ""))
        if not weights:
            return []
        total = sum(weights.values())
        out = []
        for line, n in weights.most_common(limit):
            rest = line[len(typed) :]
            out.append(
                Candidate(
                    text=rest,
                    source="retrieval",
                    scores={"cheap": round(math.log(n / total), 4)},
                    origin={"lookup": lookup, "count": n, "seen_in": _short(seen_in.get(line, ""))},
                )
            )
        return out


def _short(path: str) -> str:
    return path if path.startswith("<") or not path else os.path.basename(path)


@generators.register("retrieval")
def make_retrieval_generator(ctx: StageContext) -> RetrievalGenerator:
    del ctx
    return RetrievalGenerator()
