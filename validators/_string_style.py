"""Which quotes a document's own strings use: does it follow black's string normalization?

black turns ``'text'`` into ``"text"`` unless ``skip-string-normalization`` is set.
Code formatted by black has almost no single-quoted strings (only those holding a
``"``); code that was never formatted by black may have nothing but. For a project
without a ``[tool.black] skip-string-normalization`` setting, the "black" validator
keeps the document's own quotes when the document plainly does not normalize them:
otherwise every candidate of a single-quoted file would be offered with quotes the
file never uses, and a candidate inside a long literal of such strings could not be
told apart from black's rewriting of the lines around it (BLK005: not checked).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Comments, triple-quoted strings (skipped: black keeps docstring quotes its own way)
# and one-line strings; a string prefix (r, b, f, u...) does not change the quote.
_LITERAL = re.compile(
    r"""#[^\n]*"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"(?:[^"\\\n]|\\.)*"'''
    r"""|'(?:[^'\\\n]|\\.)*'""",
    re.S,
)

MIN_STRINGS = 3  # fewer one-line strings than this: too little to tell; black's default holds


@lru_cache(maxsize=8)
def keeps_single_quotes(text: str) -> bool:
    """True when most of the one-line strings of ``text`` that black would requote are single-quoted.

    A single-quoted string holding a ``"`` is left alone by black too, so it does not count.
    """
    single = double = 0
    for match in _LITERAL.finditer(text):
        literal = match.group()
        if literal[0] == "#" or literal[:3] in ('"""', "'''"):
            continue
        if literal[0] == '"':
            double += 1
        elif '"' not in literal:
            single += 1
    return single >= MIN_STRINGS and single > double
