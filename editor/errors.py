"""Errors with a documented exit code, so no user ever sees a traceback."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of every gfv command (documented in README)."""

    OK = 0
    FINDINGS = 1  # gfv check found problems; gfv suggest found no valid candidate
    USAGE = 2  # bad arguments, bad input file, bad config
    INTERNAL = 3  # a bug or an environment failure (model load, tool build)


class GfvError(Exception):
    """An error meant for the user: a clear message and an exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
