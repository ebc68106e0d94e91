"""The repair the names validator offers for the model's own line that uses an undefined name:
the line cut back to its longest statement before that name.

The LLM's line draft is often right up to a name it made up: where the function has a
``cache`` but no ``key``, a draft ``return cache.get(key)`` for the truth ``return cache``.
Rejected whole, it leaves only cheap lines that are further off.  :func:`cut_repair` offers the draft cut
before the undefined name, at the last token boundary where what is left is still a
statement of the same kind (a ``return`` or ``raise`` keeps a value, an assignment stays
an assignment), and where the cut does not leave a callee without its call
(``return cache.get`` is skipped: the model meant to call it).  An expression statement
is kept only when it still calls, yields or awaits something.

Only one-line simple statements are cut, and only the candidate's part: the cut keeps
something of the candidate.  The repaired candidate is validated like any other, and is
ranked by the LLM with its end (a cut line the model would not end there scores low).
"""

from __future__ import annotations

import ast

from validators._repairs import Unrepairable, significant_tokens

_CALLING = (ast.Call, ast.Yield, ast.YieldFrom, ast.Await)


def _statement(source: str) -> ast.stmt | None:
    """The one simple statement ``source`` (one line, any indentation) parses to, or None."""
    try:
        body = ast.parse(source.strip()).body
    except (SyntaxError, ValueError):
        return None
    if len(body) != 1 or isinstance(body[0], (ast.If, ast.For, ast.While, ast.With, ast.Try)):
        return None
    return body[0]


def _keeps_meaning(cut: ast.stmt, whole: ast.stmt) -> bool:
    """Whether ``cut`` is still the kind of statement ``whole`` is, and not an empty one."""
    if type(cut) is not type(whole):
        return False
    if isinstance(cut, (ast.Return, ast.Raise)):  # not a bare ``return`` or re-``raise``
        return (cut.value if isinstance(cut, ast.Return) else cut.exc) is not None
    if isinstance(cut, ast.Expr):
        value = cut.value
        return isinstance(value, _CALLING) and not (isinstance(value, ast.Yield) and value.value is None)
    return True


def _token_ends(line: str) -> list[tuple[int, str]]:
    """(end offset, next significant token's text) for each significant token of one-line ``line``."""
    try:
        toks = significant_tokens(line)
    except Unrepairable:
        return []
    return [(tok[3], toks[i + 1][1] if i + 1 < len(toks) else "") for i, tok in enumerate(toks)]


def cut_repair(typed: str, text: str, name: str, offset: int) -> list[tuple[str, str]]:
    """``[(text cut back before the undefined name at ``offset`` of typed + text, description)]``,
    or ``[]`` when no cut keeps a statement of the same kind (see the module's docstring)."""
    line = typed + text
    if "\n" in text or offset <= len(typed) or offset > len(line):
        return []
    whole = _statement(line)
    if whole is None:
        return []
    for end, following in reversed(_token_ends(line)):
        if end > offset or end <= len(typed) or following == "(":
            continue
        cut = _statement(line[:end])
        if cut is not None and _keeps_meaning(cut, whole) and line[len(typed) : end].strip():
            return [(line[len(typed) : end], f"cut before the undefined name '{name}'")]
    return []
