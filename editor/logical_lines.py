"""Where logical lines start: a small scanner that follows brackets, strings and ``\\`` continuations.

Python joins physical lines into one logical line while a bracket is open or a line ends
in a backslash.  :func:`scan` reads whole lines (strings with their escapes, comments,
brackets; the rules of Python 3.11's tokenizer) and tells whether they leave a logical
line open, and if so where that line started.  Anything it cannot follow (an unterminated
string, a ``\\r``, a closing bracket too many) is reported as unknown, never as a guess.

The validators use it to know when a line is a statement of its own
(validators/_line_shape.py), and the names validator to read a line inside open brackets
with its statement's earlier lines (validators/names.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_OPENING = re.compile(r"""(?P<q>'''|\"\"\"|'|")|(?P<c>\#[^\n]*)|(?P<o>[(\[{])|(?P<x>[)\]}])|(?P<b>\\\n)""")
# The rest of a string after its opening quote, through its closing quote (escapes skip one char).
_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.S),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'", re.S),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"', re.S),
}


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found: ``known`` is False when the scanner could not follow the text.

    When known, ``open_at`` is the offset where a logical line that is still open at the end
    starts (None when every logical line is closed) and ``depth`` the brackets open there.
    """

    known: bool
    open_at: int | None = None
    depth: int = 0

    @property
    def clean(self) -> bool:
        """True when the text is known to leave no bracket, string or continuation open."""
        return self.known and self.open_at is None


_UNKNOWN = Scan(False)


def scan(text: str) -> Scan:
    """Scan whole lines ``text`` (each ending in ``\\n``); see :class:`Scan`."""
    if "\r" in text or "\0" in text:
        return _UNKNOWN
    pos, depth, continued_at, line_start = 0, 0, -1, 0
    while True:
        match = _OPENING.search(text, pos)
        stop = match.start() if match is not None else len(text)
        if depth == 0:
            newline = text.rfind("\n", pos, stop)
            if newline >= 0:
                line_start = newline + 1  # a newline outside brackets ends the logical line
        if match is None:
            break
        kind = match.lastgroup
        pos = match.end()
        if kind == "q":
            end = _STRING_END[match.group()].match(text, pos)
            if end is None:
                return _UNKNOWN  # unterminated: the tokenizer fails, the slow path decides
            pos = end.end()
        elif kind == "o":
            depth += 1
        elif kind == "x":
            depth -= 1
            if depth < 0:
                return _UNKNOWN
        elif kind == "b":
            continued_at = pos
    if depth == 0 and continued_at != len(text):
        return Scan(True)
    return Scan(True, line_start, depth)


def scan_clean(text: str) -> bool:
    """True when ``text`` (whole lines) leaves no bracket, string or backslash continuation open."""
    return scan(text).clean


@lru_cache(maxsize=64)
def scan_above(text: str, line: int) -> Scan:
    """:func:`scan` of the lines of document ``text`` above 0-based ``line`` (``line`` > 0).

    Cached: the validators ask whether the cursor's line starts a logical line, and the names
    validator where its statement starts, of the same document and line."""
    lines = text.split("\n")
    return scan("\n".join(lines[:line]) + "\n")


def open_statement(text: str, line: int) -> tuple[int, int] | None:
    """``(first row, bracket depth)`` of the logical line that 0-based ``line`` of document
    ``text`` continues; None when ``line`` starts a logical line, or when that is unknown."""
    if not line:
        return None
    found = scan_above(text, line)
    if not found.known or found.open_at is None:
        return None
    return text.count("\n", 0, found.open_at), found.depth  # the lines above are text's own prefix
