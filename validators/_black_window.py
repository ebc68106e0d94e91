"""A faithful window of a very long statement, for the black validator (``BLK007``).

Formatting a 3,600-line dict literal once per candidate takes seconds, so a candidate on
a line of a statement longer than ``MAX_STATEMENT_LINES`` is judged in a window of it.
Such a statement is almost always a collection literal with one element per line, and
black formats each such line on its own: a window that keeps the same brackets around
the cursor's line, at the same indentation, formats that line as the whole would.

The window keeps the statement's first and last lines, every line that opens a bracket
still open at the cursor (``CellTable(`` and ``    [`` around a table of tuples) and
every line that closes one, and ``WINDOW`` lines on each side of the cursor inside the
innermost bracket.  It must parse with the cursor's line left blank (no element cut in
half), and the element before the innermost closing bracket must end with a comma (a
comment after it aside), so that black keeps the window exploded (the magic trailing
comma, as in the whole).
"""

from __future__ import annotations

import io
import tokenize
from functools import lru_cache
from typing import Callable

from validators._black_statement import ends_with_comma
from validators._repairs import CLOSERS, OPENERS

WINDOW = 8  # lines kept above and below the cursor's line in a long statement
MAX_STATEMENT_LINES = 200


def enclosing_brackets(lines: list[str], cursor: int) -> tuple[list[int], list[int]] | None:
    """(rows opening the brackets open at row ``cursor``, rows closing them), 0-based; None
    when ``lines`` (with the cursor's row blank) do not tokenize, or nothing encloses it.

    Every candidate of a slot asks for the same statement: it is tokenized once (a
    3,600-line literal takes about 50 ms)."""
    return _enclosing("\n".join(lines), cursor)


@lru_cache(maxsize=8)
def _enclosing(text: str, cursor: int) -> tuple[list[int], list[int]] | None:
    stack: list[tuple[int, int]] = []  # (row, the bracket's number) of each open bracket
    enclosing: list[tuple[int, int]] | None = None
    closers: list[int] = []
    try:
        for number, tok in enumerate(tokenize.generate_tokens(io.StringIO(text + "\n").readline)):
            if tok.type != tokenize.OP or (tok.string not in OPENERS and tok.string not in CLOSERS):
                continue
            row = tok.start[0] - 1
            if enclosing is None and row > cursor:
                enclosing = list(stack)
            if tok.string in OPENERS:
                stack.append((row, number))
            elif not stack:
                return None
            elif stack.pop() in (enclosing or ()):
                closers.append(row)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    openers = [row for row, _ in enclosing or ()]
    if not openers or not closers:
        return None
    return openers, sorted(set(closers))


def window_rows(  # pylint: disable=too-many-arguments
    openers: list[int], closers: list[int], cursor: int, last: int, first: int = 0, *, window: int = WINDOW
) -> list[int]:
    """The rows a window of the statement on rows ``first``..``last`` keeps, the cursor's
    included (module docstring); ``openers`` and ``closers`` in row order, so the innermost
    bracket opens at ``openers[-1]`` and closes at ``closers[0]``; ``window`` rows each side."""
    kept = {first, last, cursor, *openers, *closers}
    kept.update(range(max(openers[-1] + 1, cursor - window), min(closers[0], cursor + window + 1)))
    return sorted(kept)


def statement_window(
    typed: str,
    after: str,
    parses: Callable[[list[str]], bool],
    magic_trailing_comma: bool = True,
    window: int = WINDOW,
) -> tuple[str, str] | None:
    """(typed, after) of a long statement cut to a faithful window (module docstring), or None.

    ``typed``: the statement's lines up to the cursor (the last one what was typed on its
    line); ``after``: the rest of that line and the statement's later lines.  ``parses``
    tells whether the window's lines (the cursor's line blank) form valid code.  ``window``:
    the rows kept on each side of the cursor's inside the innermost bracket (0: the cursor's
    line alone within its brackets).
    """
    before, rest = typed.split("\n"), after.split("\n")
    if len(before) < 2 or len(rest) < 2 or not magic_trailing_comma:
        return None
    cursor = len(before) - 1
    probe = [*before[:-1], "", *rest[1:]]
    found = enclosing_brackets(probe, cursor)
    if found is None:
        return None
    openers, closers = found
    last_element = min(closers[0], cursor + window + 1) - 1  # the last row kept inside, after the cursor
    if last_element > cursor and not ends_with_comma(probe[last_element]):
        return None
    rows = window_rows(openers, closers, cursor, len(probe) - 1, window=window)
    if not parses([probe[row] for row in rows]):
        return None
    at = rows.index(cursor)
    return (
        "\n".join([*(probe[row] for row in rows[:at]), before[-1]]),
        "\n".join([rest[0], *(probe[row] for row in rows[at + 1 :])]),
    )
