"""The open statement a line continues: what the n-gram generator conditions on there.

The n-gram model is trained on logical lines (editor/ngram/tokens.py), so a line inside an
open bracket (the next argument of a call split over lines, the next entry of a dict) is
the middle of a sentence it knows: ``f ( a , b ,`` is followed by an argument, not by a new
statement.  :func:`statement_lead` gives the generator that sentence's start.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.logical_lines import open_statement
from editor.ngram.tokens import code_tokens, indent_token

MAX_ROWS = 200  # a statement open for longer (a long data literal) is not read back
CONTEXT_TOKENS = 16  # the lead's last tokens kept as context (the models look back less)
OPENERS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Lead:
    """The open statement before a line.

    ``indent``: the ``<iN>`` of its first line; ``context``: its last tokens; ``skeleton``: each
    bracket still open with the token before it (``f (``), enough for the layout rules to
    space what follows as black does inside that bracket; ``depth``: brackets open.
    """

    indent: str
    context: tuple[str, ...]
    skeleton: tuple[str, ...]
    depth: int


def statement_lead(lines: list[str], row: int) -> Lead | None:
    """The open statement that 0-based line ``row`` of ``lines`` continues; None when the line
    starts a statement, when it is unknown, or when the statement began over
    :data:`MAX_ROWS` lines above."""
    if row <= 0:
        return None
    found = open_statement("".join(line + "\n" for line in lines[:row]))
    if found is None:
        return None
    first, depth = found
    if row - first > MAX_ROWS:
        return None
    head = lines[first]
    tokens = code_tokens("\n".join(lines[first:row]) + "\n")
    if not tokens:
        return None
    return Lead(
        indent=indent_token(head[: len(head) - len(head.lstrip())]),
        context=tuple(tokens[-CONTEXT_TOKENS:]),
        skeleton=_skeleton(tokens),
        depth=depth,
    )


def _skeleton(tokens: list[str]) -> tuple[str, ...]:
    """The brackets left open by ``tokens``, each with the token before it."""
    open_at: list[int] = []
    for i, token in enumerate(tokens):
        if token in OPENERS:
            open_at.append(i)
        elif token in (")", "]", "}") and open_at:
            open_at.pop()
    out: list[str] = []
    for i in open_at:
        if i and tokens[i - 1] not in OPENERS:  # an opener right before is in ``out`` already
            out.append(tokens[i - 1])
        out.append(tokens[i])
    return tuple(out)
