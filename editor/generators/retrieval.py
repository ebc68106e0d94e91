"""The "retrieval" generator: lines of the open document and its repository that continue the slot.

Code repeats itself: a line typed once is often typed again, in the same file or in
another file of the same project (prompt-lookup decoding rests on the same fact).
For a slot, two lookups propose whole rests of the line:

* **prefix**: code lines (stripped of indentation) that start with what the user
  typed on the line, with the typed part cut off; one that followed the line above or
  preceded the line below elsewhere counts for more (on the random cuts of click and
  rich, tuning corpora, seeds 0-3, no LLM: the cheap top-1 was right in 126 slots of
  320 instead of 113; docs/benchmarks.md, code round 13);
* **follows**: when the user typed nothing but indentation, the lines that followed
  the previous code line wherever that line occurs (never across the cursor's line:
  the line below the cursor is there already, it is not what the user is writing);
* **precedes**: on the same empty line, the lines that came right before the next code
  line wherever that line occurs.  A line that did both leads (:func:`_around`).  On the
  start cuts of click and rich (tuning corpora, seeds 0-3, 320 slots, no LLM) this put
  the line among the cheap candidates in 106 slots against 92, and in the cheap top 4
  in 89 against 74 (docs/benchmarks.md, code round 13).

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
from typing import Iterator

from editor.candidates import Candidate
from editor.document import Slot
from editor.stages import StageContext, generators

MIN_LINE = 4  # shorter code lines are not worth retrieving
MAX_LINE = 160
MAX_FILES = 3000
MAX_FILE_BYTES = 1_000_000
DOC_WEIGHT = 3  # a line of the open document counts this many times
PRECEDES_ONLY = 1.0  # nats off a line seen before the line below only (:func:`_around`)
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
    follows: dict[str, Counter] = field(default_factory=dict)  # a line -> the lines right after it
    precedes: dict[str, Counter] = field(default_factory=dict)  # a line -> the lines right before it
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
            if prev and _usable(prev):
                self.precedes.setdefault(code, Counter())[prev] += weight
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

    def sources(self, slot: Slot) -> tuple[LineIndex, LineIndex | None, LineIndex]:
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
        doc, project, own = self.sources(slot)
        seen_in: dict[str, str] = {}
        if not typed:
            around, follows, before = _neighbours_around(slot, (doc, project), own, seen_in)
            return _around(follows, before, limit, seen_in, around)
        weights: Counter = Counter()
        for line, n, where in lines_with_prefix(typed, doc, project, own):
            if len(line) > len(typed):
                weights[line] += n
                seen_in.setdefault(line, where)
        if not weights:
            return []  # every keystroke asks: the neighbours are looked up only when some line matches
        _, follows, before = _neighbours_around(slot, (doc, project), own, seen_in)
        total = sum(weights.values())
        near_f = {k: v for k, v in follows.items() if k in weights}
        near_p = {k: v for k, v in before.items() if k in weights}
        tot_f, tot_p = sum(near_f.values()), sum(near_p.values())
        out = []
        for line, n in weights.items():
            # its share among the lines with this prefix, plus its shares among those of them that
            # followed the line above and that preceded the line below (as :func:`_around` adds them)
            near = near_f.get(line, 0) / (tot_f or 1) + near_p.get(line, 0) / (tot_p or 1)
            share = min(1.0, n / total + near)
            out.append(
                Candidate(
                    text=line[len(typed) :],
                    source="retrieval",
                    scores={"cheap": round(math.log(share), 4)},
                    origin={"lookup": "prefix", "count": n, "seen_in": short_path(seen_in.get(line, ""))},
                )
            )
        out.sort(key=lambda c: -c.scores["cheap"])
        return out[:limit]


def lines_with_prefix(
    prefix: str, doc: LineIndex, project: LineIndex | None, own: LineIndex, limit: int = 2000
) -> Iterator[tuple[str, int, str]]:
    """(line, count, where seen) for the code lines of the document, then of the project, that
    start with ``prefix`` (at most ``limit`` of each); the project's counts less ``own``'s, the
    document's file on disk, which the editor's text supersedes (lines only it holds are left out)."""
    for index, minus in ((doc, None), (project, own.counts)):
        if index is None:
            continue
        for line in index.with_prefix(prefix, limit):
            n = index.counts[line] - (minus[line] if minus else 0)
            if n > 0:
                yield line, n, index.where.get(line, "")


def neighbour_lines(slot: Slot) -> tuple[str, str]:
    """The code lines right above and right below the cursor's line, stripped (blank and comment
    lines skipped; '' where there is none)."""
    prev = next((c for c in reversed(_code_lines("\n".join(slot.before_lines(40)))) if c), "")
    below = next((c for c in _code_lines("\n".join(slot.after_lines(40))) if c), "")
    return prev, below


def _neighbours_around(
    slot: Slot, indexes: tuple[LineIndex, LineIndex | None], own: LineIndex, seen_in: dict
) -> tuple[set[str], Counter, Counter]:
    """The code lines above and below the cursor's line (blank and comment lines skipped), and
    the lines that followed the one above and preceded the one below elsewhere (:func:`_neighbours`)."""
    prev, below = neighbour_lines(slot)
    follows = _neighbours(prev, "follows", indexes, own, seen_in)
    return {prev, below}, follows, _neighbours(below, "precedes", indexes, own, seen_in)


def _neighbours(
    line: str, relation: str, indexes: tuple[LineIndex, LineIndex | None], own: LineIndex, seen_in: dict
) -> Counter:
    """The lines that ``relation`` (``follows``: came right after, ``precedes``: right before)
    ``line``, weighted, in the document and the project (less the document's file on disk)."""
    weights: Counter = Counter()
    if not line:
        return weights
    for index, minus in ((indexes[0], None), (indexes[1], getattr(own, relation))):
        if index is None:
            continue
        for other, n in getattr(index, relation).get(line, Counter()).items():
            n -= minus.get(line, Counter())[other] if minus else 0
            if n > 0:
                weights[other] += n
                seen_in.setdefault(other, index.where.get(other, ""))
    return weights


def _around(
    follows: Counter, precedes: Counter, limit: int, seen_in: dict, neighbours: set[str]
) -> list[Candidate]:
    """Whole lines for an empty line, from what followed the line above it and what preceded the
    line below it elsewhere.

    A line's cheap score is the log of its share among the lines that followed the line
    above; one that also preceded the line below adds its share there (capped at 1); one
    seen only before the line below takes its share there, less ``PRECEDES_ONLY``.

    The lines above and below themselves (``neighbours``) are left out: where the two are
    neighbours elsewhere, each is the other's follower or predecessor there, but neither
    is the line being written (on the start cuts of click and rich, seeds 0-3, the
    missing line was never either, and they took 8 top-4 places).
    """
    total_f, total_p = sum(follows.values()), sum(precedes.values())
    scored = []
    for line in {**follows, **precedes}:
        if line in neighbours:
            continue
        share_f = follows[line] / total_f if follows[line] else 0.0
        share_p = precedes[line] / total_p if precedes[line] else 0.0
        if share_f:
            cheap = math.log(min(1.0, share_f + share_p))
        else:
            cheap = math.log(share_p) - PRECEDES_ONLY
        origin: dict = {
            "lookup": "follows" if share_f else "precedes",
            "count": follows[line] or precedes[line],
        }
        if share_f:
            origin["share"] = round(share_f, 4)  # among the lines after the line above (a sure follower's)
        if share_f and share_p:
            origin["precedes"] = precedes[line]
        origin["seen_in"] = short_path(seen_in.get(line, ""))
        scored.append(
            Candidate(text=line, source="retrieval", scores={"cheap": round(cheap, 4)}, origin=origin)
        )
    scored.sort(key=lambda c: -c.scores["cheap"])
    return scored[:limit]


def short_path(path: str) -> str:
    return path if path.startswith("<") or not path else os.path.basename(path)


@generators.register("retrieval")
def make_retrieval_generator(ctx: StageContext) -> RetrievalGenerator:
    del ctx
    return RetrievalGenerator()
