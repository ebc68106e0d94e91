"""What the lines around an empty line demand of it: a block header, where nothing else parses.

At the start of a line whose next code line is indented deeper, only two kinds of line
leave the document valid: a compound statement's header (``if x:``) whose body that
deeper line is, or a line that opens a bracket the deeper lines continue (``f(a,``).
:func:`needs_header` tells the first apart by parsing the line's top-level unit with a
stub in the cursor's place: a header stub parses, a ``pass`` and an open bracket do not.
The LLM's draft then starts with a header keyword (editor/generators/llm_draft.py): a
greedy line that is neither would be rejected by every validator, its decode steps paid
for nothing (the standard library's ``ftplib``: the model wrote ``return conn, size``
above an indented body).

:func:`unit_at` is the top-level ``def`` or ``class`` around a line, found by indentation
alone, so that it works on a document being typed; the black validator reads the quote
style of the same unit (validators/_string_style.py).
"""

from __future__ import annotations

import ast
import re
import warnings
from functools import lru_cache

HEADER_WORDS = ("if", "for", "while", "with", "try", "def", "class", "async", "elif", "else", "except",
                "finally", "match", "case")  # fmt: skip
_TOP = re.compile(r"(?:async\s+def|def|class)\b|@")
_HEADERS = (
    "if _:",
    "try:",
    "except _:",
    "else:",
)  # a header of any kind: the clauses fit where "if" does not
_OTHERS = ("pass", "_(")  # a simple statement; a line that opens a bracket


def unit_at(lines: list[str], line: int) -> tuple[int | None, int]:
    """(first, end) rows of the top-level ``def``/``class`` (its decorators included) holding
    ``line``: the nearest unindented code line at or above it must start one, and the unit ends
    at the next unindented code line below.  (None, 0) for module-level code."""
    first = next((row for row in range(min(line, len(lines) - 1), -1, -1) if _unindented(lines[row])), None)
    if first is None or not _TOP.match(lines[first]):
        return None, 0
    while first > 0 and lines[first - 1].startswith("@"):
        first -= 1
    end = next((row for row in range(line + 1, len(lines)) if _unindented(lines[row])), len(lines))
    return first, end


def _unindented(text: str) -> bool:
    return bool(text) and not text[0].isspace() and not text.startswith("#") and not text.startswith(")")


def _code(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("#")


def needs_header(lines: list[str], line: int, indent: str) -> bool:
    """Whether only a block header fits row ``line`` (typed: nothing but ``indent``), as the
    module docstring says.  False wherever that cannot be told (no deeper line below, a unit
    that does not parse with any stub, module-level code)."""
    below = next((row for row in range(line + 1, len(lines)) if _code(lines[row])), None)
    if below is None:
        return False
    deeper = lines[below]
    if len(deeper) - len(deeper.lstrip()) <= len(indent):
        return False
    first, end = unit_at(lines, line)
    if first is None:
        return False
    unit = tuple(lines[first:end])
    row = line - first
    return not any(_fits(unit, row, indent + stub) for stub in _OTHERS) and any(
        _fits(unit, row, indent + stub) for stub in _HEADERS
    )


@lru_cache(maxsize=64)
def _fits(unit: tuple[str, ...], row: int, stub: str) -> bool:
    text = "\n".join([*unit[:row], stub, *unit[row + 1 :]])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True
