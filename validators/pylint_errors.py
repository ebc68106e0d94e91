"""The "pylint" validator: pylint's error-class messages on the lines a candidate touches.

pylint runs in-process.  One :class:`~pylint.lint.PyLinter` is configured once
(errors and fatals only, no reports, no score, no persistence, one job, no
config file) and kept for the life of the process.  Each call writes one
temporary file per candidate (the whole document with that candidate inserted)
into one fresh temporary folder and lints them all in a single
``linter.check([...])``; a small in-memory reporter collects the messages per
file.  Module names are unique per call and are evicted from astroid's cache
afterwards, so no stale module is ever reused, while astroid keeps its cache of
the standard library and installed packages (the expensive part) between calls.

In the live session (``gfv edit``, ``gfv bench typing``) pylint runs in a child process
instead (:meth:`PylintValidator.detach`, validators/_pylint_worker.py), so that it does not
hold the interpreter lock while the next keystroke's quick answer is computed.

The messages of a document already linted in this process are reused (typing one
more character usually completes to the same lines).  Only messages on
``slot.touched_lines(candidate)`` count: an undefined name
elsewhere in the document is not the candidate's fault.  Nor is a message that pylint
also gives, word for word, on a line the candidate does not touch: that is the
document's own (``Instance of 'Scanner' has no 'peek' member`` all over a mixin that
PyYAML composes with its ``Reader``), and real code written the same way must pass; nor is
a message wholly inside the text the user typed on the cursor's line, or a no-member on a
member the document uses as ``self.x`` (validators/_pylint_blame.py).  Bodies of functions
away from the candidate are blanked first (``validators/_focus.py``), without moving a line,
their ``self.x = ...`` kept with a value astroid cannot infer, and pylint walks only the functions and classes that reach the candidate's lines
(their signatures and decorators elsewhere were most of a check's time), so that a long
file costs about what a short one does.

A document being typed is often incomplete: the candidate (or the line above the
cursor) opens a block whose body is not written yet.  pylint cannot analyse such a
document at all (it reports only ``E0001`` syntax-error, often on a line the
candidate does not touch), so the document is first made analysable exactly as the
syntax validator tolerates it (:func:`validators.syntax.parse_tolerant`: an indented
``pass`` after such a header, a ``finally:`` for a bare ``try:``); pylint's lines are
mapped back to the document's.  A validator that could not judge never passes: a
document that still does not parse, or a syntax error or fatal message from pylint
anywhere in the linted source, is ``PYL998``, and a crash of pylint ``PYL999``; both
are :meth:`~editor.candidates.Verdict.not_checked` verdicts (``ok=False``).

Codes: ``PYL000`` ok; ``PYL-<msgid>`` (e.g. ``PYL-E0602``) a pylint error on the
candidate's lines, with pylint's message, line, column and
``details={"symbol": ...}``; ``PYL998`` not checked, pylint could not parse the
document; ``PYL999`` not checked, pylint crashed.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import sys
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

from editor.candidates import Candidate, Verdict
from editor.document import Document, Slot
from editor.stages import StageContext, validators
from validators._focus import FocusedWalk, focus
from validators._imports import absolute_imports, import_root
from validators._name_repair import add_name_repairs
from validators._pylint_blame import in_typed, own_member
from validators._pylint_worker import PylintWorker
from validators._visible import self_reads
from validators.syntax import block_window_start, parse_tolerant

PYLINT_ARGS = [
    "--disable=all",
    "--enable=E,F",
    "--reports=n",
    "--score=n",
    "--persistent=n",
    "--jobs=1",
]
# Messages that mean "pylint could not analyse this document" rather than a finding:
# a syntax error, and every fatal message (F0001 astroid error, F0002 astroid crash, ...).
_SYNTAX_ID = "E0001"

_LOCK = threading.Lock()
_STATE: dict = {}
_COUNTER = itertools.count()


def _build_linter():
    """Create the shared PyLinter and its collecting reporter (once per process)."""
    # pylint is imported lazily: it is the slowest import of the validators.
    # pylint: disable=import-outside-toplevel
    from pylint.config.config_initialization import _config_initialization
    from pylint.lint import PyLinter
    from pylint.reporters.base_reporter import BaseReporter

    class CollectingReporter(BaseReporter):
        """Keeps messages in memory, grouped by the absolute path of the linted file."""

        name = "gfv-collect"

        def __init__(self) -> None:
            super().__init__()
            self.by_path: dict[str, list] = {}

        def handle_message(self, msg) -> None:
            self.by_path.setdefault(os.path.realpath(msg.abspath), []).append(msg)

        def _display(self, layout) -> None:  # no textual output
            return None

    class FocusedLinter(PyLinter):
        """Walks each module only where its candidate is (``focus``: validators/_focus.py)."""

        focus: dict[str, range | None] = {}

        def check_astroid_module(self, ast_node, walker, rawcheckers, tokencheckers):
            FocusedWalk.install(walker, self.focus.get(os.path.realpath(ast_node.file)))
            return super().check_astroid_module(ast_node, walker, rawcheckers, tokencheckers)

    reporter = CollectingReporter()
    linter = FocusedLinter(reporter=reporter)
    linter.load_default_plugins()
    _config_initialization(linter, list(PYLINT_ARGS), reporter, config_file=None)
    linter.set_reporter(reporter)
    return linter, reporter


def _linter():
    if "linter" not in _STATE:
        _STATE["linter"], _STATE["reporter"] = _build_linter()
    return _STATE["linter"], _STATE["reporter"]


@contextmanager
def _extra_sys_path(folder: str | None) -> Iterator[None]:
    """Let astroid resolve the document's sibling modules while linting."""
    if not folder or folder in sys.path:
        yield
        return
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        try:
            sys.path.remove(folder)
        except ValueError:
            pass


def _evict(names: set[str], folder: str) -> None:
    """Drop the temporary modules from astroid's caches so nothing stale survives the call."""
    from astroid import MANAGER  # pylint: disable=import-outside-toplevel

    for name in names:
        MANAGER.astroid_cache.pop(name, None)
    mod_file_cache = getattr(MANAGER, "_mod_file_cache", None)
    if isinstance(mod_file_cache, dict):
        for key in [k for k in mod_file_cache if isinstance(k, tuple) and k and k[0] in names]:
            mod_file_cache.pop(key, None)
    sys.path_importer_cache.pop(folder, None)


def _plain(msg, name: str, path: str) -> dict:
    """A pylint Message as a plain dict, with the temporary file's names replaced."""
    text = msg.msg.replace(path, "<document>").replace(name, "<document>")
    return {
        "msg_id": msg.msg_id, "symbol": msg.symbol, "msg": text, "line": msg.line, "column": msg.column,
        "end_line": getattr(msg, "end_line", None), "end_column": getattr(msg, "end_column", None),
    }  # fmt: skip


def lint_sources(
    sources: Sequence[str], search_path: str | None = None, focus: Sequence[range | None] | None = None
) -> list[list[dict]]:
    """Lint each source as its own module in one pylint run; one message list per source.

    Each message is a dict with ``msg_id``, ``symbol``, ``msg``, ``line`` and ``column``.
    With ``focus`` (1-based lines per source), pylint walks only the functions and classes
    that reach those lines (:class:`~validators._focus.FocusedWalk`).

    Raises whatever pylint raises if the run as a whole crashes.
    """
    if not sources:
        return []
    # pylint: disable=import-outside-toplevel
    from pylint.utils import LinterStats

    with _LOCK:
        linter, reporter = _linter()
        folder = os.path.realpath(tempfile.mkdtemp(prefix="gfv-pylint-"))
        token = f"{os.getpid()}_{next(_COUNTER)}"
        names = [f"_gfv_cand_{token}_{i}" for i in range(len(sources))]
        paths = [os.path.join(folder, name + ".py") for name in names]
        try:
            for path, source in zip(paths, sources):
                Path(path).write_text(source, encoding="utf-8")
            reporter.by_path = {}
            linter.focus = dict(zip(paths, focus or ()))
            linter.stats = LinterStats()
            with _extra_sys_path(search_path):
                linter.check(paths)
            return [
                [_plain(msg, name, path) for msg in reporter.by_path.get(path, [])]
                for name, path in zip(names, paths)
            ]
        finally:
            reporter.by_path, linter.focus = {}, {}
            _evict(set(names), folder)
            shutil.rmtree(folder, ignore_errors=True)


class PylintValidator:  # pylint: disable=too-few-public-methods
    """pylint E/F messages restricted to each candidate's lines (see module docstring)."""

    name = "pylint"
    cost = "expensive"

    def __init__(self, remember: int = 256) -> None:
        self.remember = remember
        self._seen: OrderedDict[tuple[str | None, bytes], list[dict]] = OrderedDict()  # by source digest
        self._worker: PylintWorker | None = None

    def detach(self, on: bool = True) -> None:
        """Lint in a child process from now on (``on``), or in this one again (the live session
        detaches: validators/_pylint_worker.py says why)."""
        if on and self._worker is None:
            self._worker = PylintWorker()
            self._worker.start()
        elif not on and self._worker is not None:
            self._worker.close()
            self._worker = None

    def _lint_cached(
        self, sources: list[str], search_path: str | None, focus: list[range]
    ) -> list[list[dict]]:
        """:func:`lint_sources`, reusing the messages of a source linted before in this process.

        Typing one more character usually yields the same completed lines, hence the same
        documents, as the request before.  (A change in another module the document
        imports is not seen until the document changes.)
        """
        keys = [
            (search_path, keep.start, keep.stop, hashlib.blake2b(src.encode(), digest_size=16).digest())
            for src, keep in zip(sources, focus)
        ]
        todo = {k: (src, keep) for k, src, keep in zip(keys, sources, focus) if k not in self._seen}
        if self._worker is not None and self._worker.broken:  # its child cannot start here
            self.detach(False)
        lint = self._worker.lint if self._worker is not None else lint_sources
        if todo:
            srcs, keeps = zip(*todo.values())
            for key, msgs in zip(todo, lint(list(srcs), search_path, focus=list(keeps))):
                self._seen[key] = msgs
        out = []
        for key in keys:
            self._seen.move_to_end(key)
            out.append(self._seen[key])
        while len(self._seen) > self.remember:
            self._seen.popitem(last=False)
        return out

    def warm(self, slot: Slot) -> None:
        """The cursor settled on ``slot``: lint its document as it stands, so that astroid has
        built the modules it imports before the first candidate there is checked (the first
        check in a file otherwise pays for them).  The cursor's line is left as its indentation
        (a half-typed line would not parse).  Only caches are filled."""
        lines = list(slot.document.lines)
        line = lines[slot.line]
        lines[slot.line] = line[: len(line) - len(line.lstrip())]
        bare = Document("\n".join(lines) + "\n", slot.document.path).slot(slot.line, len(lines[slot.line]))
        self.validate(bare, [Candidate("", "warm")])

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        """Lint all candidates' documents in one pylint run."""
        if not candidates:
            return []
        # relative imports are made absolute against the package
        package, search_path = import_root(slot.document.path)
        out: list[list[Verdict] | None] = [None] * len(candidates)
        todo: list[tuple[int, Analysable]] = []
        typed = (slot.line + 1, len(slot.typed))
        lines = slot.document.lines
        # the document without the cursor's line, as the names validator reads it (one cached scan)
        reads = self_reads("\n".join([*lines[: slot.line], *lines[slot.line + 1 :]]))
        for i, cand in enumerate(candidates):
            prepared = analysable(
                slot.apply(cand.text), slot.touched_lines(cand.text), block_window_start(slot)
            )
            if isinstance(prepared, Verdict):
                out[i] = [prepared]
            else:
                todo.append((i, prepared._replace(source=absolute_imports(prepared.source, package))))
        try:
            per_candidate = self._lint_cached(
                [p.source for _, p in todo], search_path, [p.keep for _, p in todo]
            )
        except Exception as exc:  # pylint: disable=broad-except  # pylint must not break the pipeline
            crash = f"not checked: pylint crashed: {type(exc).__name__}: {exc}"
            for i, _ in todo:
                out[i] = [Verdict.not_checked(self.name, "PYL999", crash)]
            return out  # type: ignore[return-value]
        for (i, prepared), msgs in zip(todo, per_candidate):
            out[i] = self._verdicts(
                slot.touched_lines(candidates[i].text), msgs, prepared.origin, typed, reads
            )
        add_name_repairs(slot, candidates, out)  # E0602: the close in-scope name, offered (not applied)
        return out  # type: ignore[return-value]

    def _verdicts(  # pylint: disable=too-many-arguments
        self, touched: range, messages: list, origin: list[int | None], typed: tuple[int, int] = (0, 0),
        reads: frozenset[str] = frozenset(),
    ) -> list[Verdict]:  # fmt: skip
        """The verdict on one candidate from pylint's ``messages`` on its document.  ``typed``:
        the cursor's line (1-based) and how much of it the user typed; a message wholly inside
        that text is the user's (validators/_pylint_blame.py), not the candidate's.  ``reads``: the
        members the document uses as ``self.x`` off the cursor's line; pylint's no-member on one of
        those is the document's own (the same module)."""
        messages = [
            {**m, "line": _original_line(m["line"], origin), "typed": in_typed(m, origin, typed)}
            for m in messages
        ]
        failed = [m for m in messages if m["msg_id"] == _SYNTAX_ID or m["msg_id"].startswith("F")]
        if failed:
            msg = failed[0]
            first = (msg["msg"].strip() or msg["symbol"]).splitlines()[0]
            return [
                Verdict.not_checked(
                    self.name,
                    "PYL998",
                    f"not checked: pylint could not parse the document: {first} ({msg['symbol']},"
                    f" line {msg['line']})",
                    line=msg["line"],
                    details={"symbol": msg["symbol"]},
                )
            ]
        verdicts: list[Verdict] = []
        seen = set()
        # the document's own: pylint says the same elsewhere in it (a mixin's members, say)
        own = {(m["msg_id"], m["msg"]) for m in messages if m["line"] not in touched}
        for msg in sorted(messages, key=lambda m: (m["line"], m["column"], m["msg_id"])):
            key = (msg["msg_id"], msg["line"], msg["column"], msg["msg"])
            if msg["line"] not in touched or key in seen or (msg["msg_id"], msg["msg"]) in own:
                continue
            if msg["typed"] or own_member(msg, reads):
                continue
            seen.add(key)
            verdicts.append(
                Verdict(
                    self.name,
                    False,
                    f"PYL-{msg['msg_id']}",
                    f"{msg['msg']} ({msg['symbol']}, line {msg['line']}, col {msg['column']})",
                    line=msg["line"],
                    col=msg["column"],
                    details={"symbol": msg["symbol"]},
                )
            )
        return verdicts or [Verdict(self.name, True, "PYL000", "no pylint errors on the candidate's lines")]


class Analysable(NamedTuple):
    """A document made ready for pylint: its ``source``, each line's line in the document
    (``None``: inserted), and the lines (1-based, of ``source``) pylint should walk."""

    source: str
    origin: list[int | None]
    keep: range


def analysable(text: str, touched: range, window_start: int) -> Analysable | Verdict:
    """The document as pylint should see it, with each of its lines' original line, or PYL998.

    Open blocks are tolerated as the syntax validator tolerates them (headers from
    ``window_start``, the last code line above the cursor, through the candidate's lines);
    then far function bodies are blanked (:func:`~validators._focus.focus`, which needs a
    parsable document and moves no line).  A document that still does not parse cannot be
    analysed: the result is a not-checked verdict, without running pylint.
    """
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    outcome = parse_tolerant(lines, range(window_start, touched.stop), touched)
    if not outcome.ok:
        err = outcome.error
        return Verdict.not_checked(
            "pylint",
            "PYL998",
            f"not checked: pylint could not parse the document: {err.msg if err else 'syntax error'}"
            f" (line {outcome.line})",
            line=outcome.line,
            details={"symbol": "syntax-error"},
        )
    origin = outcome.origin
    inside = [n for n, line in enumerate(origin, 1) if line in touched]
    focus_on = range(inside[0], inside[-1] + 1) if inside else touched
    return Analysable(focus("\n".join(outcome.lines) + "\n", focus_on), origin, focus_on)


def _original_line(line: int | None, origin: list[int | None]) -> int | None:
    """A 1-based line of the linted source as the document's line (an inserted ``pass``: its header's)."""
    if not line or not origin:
        return line
    idx = min(line, len(origin)) - 1
    while idx > 0 and origin[idx] is None:
        idx -= 1
    return origin[idx] or line


@validators.register("pylint")
def make_pylint_validator(ctx: StageContext) -> PylintValidator:  # pylint: disable=unused-argument
    """Factory for the registry."""
    return PylintValidator()
