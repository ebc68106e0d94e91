"""Which quotes a document's own strings use: does it follow black's string normalization?

black turns ``'text'`` into ``"text"`` unless ``skip-string-normalization`` is set.
Code formatted by black has almost no single-quoted strings (only those holding a
``"``); code that was never formatted by black may have nothing but. For a project
without a ``[tool.black] skip-string-normalization`` setting, the "black" validator
keeps the document's own quotes when the document plainly does not normalize them (judged on
the top-level ``def`` or ``class`` around the cursor when it has strings enough to tell):
otherwise every candidate of a single-quoted file would be offered with quotes the
file never uses, and a candidate inside a long literal of such strings could not be
told apart from black's rewriting of the lines around it (BLK005: not checked).
"""

from __future__ import annotations

import re
from functools import lru_cache

from editor.slot_shape import unit_at

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
def _quotes(text: str) -> tuple[int, int]:
    """How many one-line strings of ``text`` that black would requote are single- and double-quoted.
    A single-quoted string holding a ``"`` is left alone by black too, so it does not count."""
    single = double = 0
    for match in _LITERAL.finditer(text):
        literal = match.group()
        if literal[0] == "#" or literal[:3] in ('"""', "'''"):
            continue
        if literal[0] == '"':
            double += 1
        elif '"' not in literal:
            single += 1
    return single, double


def keeps_single_quotes(text: str) -> bool:
    """True when most of the one-line strings of ``text`` that black would requote are single-quoted."""
    single, double = _quotes(text)
    return single >= MIN_STRINGS and single > double


def keeps_single_quotes_at(text: str, line: int) -> bool:
    """:func:`keeps_single_quotes` of the top-level ``def`` or ``class`` holding 0-based ``line`` when
    it has at least ``MIN_STRINGS`` such strings, else of the whole ``text``.  Older code mixes the
    styles by unit: the standard library's calendar.py is mostly double-quoted, its HTMLCalendar
    class single-quoted throughout (``a('</table>')``)."""
    lines = text.split("\n")
    first, last = unit_at(lines, line)
    if first is not None:
        unit = "\n".join(lines[first:last])
        if sum(_quotes(unit)) >= MIN_STRINGS:
            return keeps_single_quotes(unit)
    return keeps_single_quotes(text)
