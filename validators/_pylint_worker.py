"""pylint in a child process, for the live session (editor/live.py).

In-process, pylint shares the interpreter lock with everything else gfv does in Python:
while the check thread lints a candidate, the quick answer to the next keystroke (the
cheap generators and validators, all Python) runs at about half speed.  A child process
has its own interpreter: the two share only the CPU.

One child per :class:`PylintWorker`, started on first use, kept for the process's life
(astroid's caches of the standard library and the installed packages live in it), and
started again after it died.  It runs :func:`validators.pylint_errors.lint_sources`
and sends back its plain message dicts.  Anything that goes wrong (the child crashed,
did not answer within ``timeout`` seconds, or pylint raised) is raised here as
:class:`WorkerError`: the validator turns it into a not-checked verdict (``PYL999``).
A child that failed twice without ever answering cannot start here (``broken``): the
validator then lints in-process again.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Sequence

_HEADER = struct.Struct("!Q")
# The child is started with ``python -c`` (not multiprocessing: its spawn would run the
# parent's ``__main__`` again), finds this very package first on its path, and answers on
# a copy of its stdout while its own stdout goes to stderr (pylint may print).
_CHILD = "from validators._pylint_worker import serve; serve()"


class WorkerError(RuntimeError):
    """The child could not lint: it died, timed out, or pylint raised there."""


def _write(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def serve() -> None:  # pragma: no cover - runs in the child
    """The child's loop: (sources, search_path, focus) in, ("ok", messages) or ("error", text) out."""
    # pylint: disable=import-outside-toplevel
    from validators.pylint_errors import lint_sources

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    lint_sources(["x = 1\n"])  # build the linter before the first real request
    while True:
        try:
            sources, search_path, focus = _read(inp)
        except EOFError:
            return
        try:
            _write(out, ("ok", lint_sources(sources, search_path, focus=focus)))
        except Exception as exc:  # pylint: disable=broad-exception-caught  # reported to the parent
            _write(out, ("error", f"{type(exc).__name__}: {exc}"))


class PylintWorker:
    """A child process that lints (see the module docstring).  Thread-safe: one call at a time."""

    def __init__(self, timeout: float = 60.0, executable: str = sys.executable) -> None:
        self.timeout = timeout
        self.executable = executable
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._answered = False  # the child has answered at least once
        self._failures = 0  # calls that failed in a row

    @property
    def broken(self) -> bool:
        """The child failed twice and never answered: it cannot start here (lint in-process)."""
        return not self._answered and self._failures >= 2

    def _start(self) -> None:
        here = str(Path(__file__).resolve().parent.parent)  # the folder holding this ``validators``
        path = [here, *(p or os.getcwd() for p in sys.path)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
        self._proc = subprocess.Popen(  # pylint: disable=consider-using-with  # lives until close()
            [self.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the child now (it imports pylint and builds its linter meanwhile)."""
        with self._lock:
            if not self._alive():
                self._start()

    def lint(
        self, sources: Sequence[str], search_path: str | None, focus: Sequence[range | None] | None = None
    ) -> list[list[dict]]:
        """:func:`~validators.pylint_errors.lint_sources` in the child."""
        with self._lock:
            if not self._alive():
                self._start()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            self._failures += 1
            try:
                _write(proc.stdin, (list(sources), search_path, focus))
                ready, _, _ = select.select([proc.stdout], [], [], self.timeout)
                if not ready:
                    self._stop()
                    raise WorkerError(f"pylint's process did not answer within {self.timeout:.0f} s")
                status, payload = _read(proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                self._stop()
                raise WorkerError(f"pylint's process died ({type(exc).__name__})") from None
            self._answered, self._failures = True, 0
            if status != "ok":
                raise WorkerError(payload)
            return payload

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(5)
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
        self._proc = None

    def close(self) -> None:
        with self._lock:
            self._stop()
