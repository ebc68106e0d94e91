"""The tolerant parse behind the syntax validator (validators/syntax.py), and its local check.

:func:`parse_tolerant` parses a document that a line-by-line editor leaves incomplete: an
indented ``pass`` is inserted after a block header whose body is not written yet, and a
``try:`` without handlers gets a dummy ``finally:``; errors are mapped back to the
original lines.  :func:`check_locally` parses a candidate's lines on their own (dedented,
with a dummy header for a dangling clause), for a document broken elsewhere.
"""

from __future__ import annotations

import ast
import re
import textwrap
import warnings
from dataclasses import dataclass, field
from typing import Sequence

_BLOCK_ERROR = re.compile(r"expected an indented block after .* on line (\d+)")
_TRY_ERROR = "expected 'except' or 'finally' block"
INCOMPLETE = ("was never closed", "unterminated triple-quoted string")
_MAX_FIXES = 4
_ANY_LINE = range(1, 1 << 30)
# Dummy headers that make a dangling clause parse on its own: (prefix lines, extra indent).
CLAUSE_HEADERS = {
    "elif": (["if _:", "    pass"], ""),
    "else": (["if _:", "    pass"], ""),
    "except": (["try:", "    pass"], ""),
    "finally": (["try:", "    pass"], ""),
    "case": (["match _:"], "    "),
}


@dataclass
class ParseOutcome:
    """The result of a tolerant parse: the error (if any) mapped to original lines."""

    error: SyntaxError | None = None
    line: int | None = None  # 1-based line of the original text
    col: int | None = None  # 0-based
    tolerated: list[str] = field(default_factory=list)
    # The lines as parsed (with the tolerance fixes) and, per line, its 1-based original line
    # (None for an inserted line): the pylint validator lints these.
    lines: list[str] = field(default_factory=list)
    origin: list[int | None] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the (tolerant) parse succeeded."""
        return self.error is None


def _try_parse(source: str) -> SyntaxError | None:
    """Parse ``source``; return the SyntaxError instead of raising it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        return SyntaxError(str(exc) or type(exc).__name__)
    return None


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _insertion_index(err: SyntaxError, lines: list[str], header: int) -> int:
    """Where the missing body goes: before the next code line, or after the last line at EOF."""
    idx = (err.lineno or len(lines)) - 1
    if idx >= len(lines):
        return len(lines)
    line = lines[idx]
    at_code_start = (err.offset or 1) - 1 <= len(indent_of(line))
    if idx > header and at_code_start and line.strip():
        return idx
    return idx + 1


def _fix_for(err: SyntaxError, lines: list[str], origin: list[int | None], window: range, own: range):
    """One tolerance fix for ``err`` as (index, new lines, note), or None if not tolerated.

    A header in ``own`` (the candidate's lines) is only tolerated when the candidate
    writes nothing after it: a candidate must not leave a gap in its own block.
    """
    match = _BLOCK_ERROR.search(err.msg or "")
    if match:
        header = int(match.group(1)) - 1
        if not 0 <= header < len(lines) or origin[header] not in window:
            return None
        idx = _insertion_index(err, lines, header)
        if origin[header] in own and idx < len(lines) and origin[idx] in own:
            return None
        body = indent_of(lines[header]) + "    pass"
        return idx, [body], f"open block after line {origin[header]}"
    if (err.msg or "").startswith(_TRY_ERROR):
        idx = _insertion_index(err, lines, -1)
        for header in range(min(idx, len(lines)) - 1, -1, -1):
            stripped = lines[header].strip()
            if stripped.startswith("try") and stripped[3:].lstrip().startswith(":"):
                if origin[header] not in window:
                    return None
                ind = indent_of(lines[header])
                return (
                    idx,
                    [ind + "finally:", ind + "    pass"],
                    f"try without handler at line {origin[header]}",
                )
    return None


def parse_tolerant(lines: Sequence[str], window: range = _ANY_LINE, own: range = range(0)) -> ParseOutcome:
    """Parse ``lines``, tolerating open blocks whose header lies in ``window`` (1-based).

    ``own`` are the candidate's lines (1-based); see :func:`_fix_for`.
    """
    work = list(lines)
    origin: list[int | None] = list(range(1, len(work) + 1))
    outcome = ParseOutcome(lines=work, origin=origin)  # both grow in place with each fix
    for _ in range(_MAX_FIXES + 1):
        err = _try_parse("\n".join(work) + "\n")
        if err is None:
            outcome.error = None
            return outcome
        outcome.error = err
        fix = _fix_for(err, work, origin, window, own)
        if fix is None:
            break
        idx, new_lines, note = fix
        work[idx:idx] = new_lines
        origin[idx:idx] = [None] * len(new_lines)
        outcome.tolerated.append(note)
    err = outcome.error
    idx = min(max((err.lineno or 1) - 1, 0), len(origin) - 1) if origin else -1
    while idx >= 0 and origin[idx] is None:
        idx -= 1
    outcome.line = origin[idx] if idx >= 0 else 1
    outcome.col = max((err.offset or 1) - 1, 0)
    return outcome


def check_locally(lines: Sequence[str]) -> ParseOutcome:
    """Parse the candidate's lines on their own: dedented, with a dummy header if needed."""
    body = textwrap.dedent("\n".join(lines)).split("\n")
    first = body[0].lstrip() if body else ""
    keyword = re.match(r"[a-z]+", first)
    prefix, extra = CLAUSE_HEADERS.get(keyword.group(0) if keyword else "", ([], ""))
    own = range(len(prefix) + 1, len(prefix) + len(body) + 1)
    outcome = parse_tolerant(prefix + [extra + line if line else line for line in body], own=own)
    outcome.tolerated = [re.sub(r" (at|after) line \d+", "", note) for note in outcome.tolerated]
    if outcome.line is not None:
        outcome.line = max(outcome.line - len(prefix), 1)
        outcome.col = max((outcome.col or 0) - len(extra), 0)
    return outcome
