"""Black-style spacing for one logical line given as a list of source tokens.

:func:`render` decides, for each pair of neighbouring tokens, whether black
would put a space between them: spaces around binary operators and ``=`` in
statements, none inside brackets, before ``(``/``[`` of calls and subscripts,
around keyword-argument ``=``, after unary operators and ``*``/``**`` unpacking,
around simple ``**`` operands, and black's "complex slice" rule for ``:``.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

OPENERS = frozenset("([{")
CLOSERS = frozenset(")]}")
ATOM_KEYWORDS = frozenset({"True", "False", "None"})
UNARY_CAPABLE = frozenset({"-", "+", "~", "*", "**"})
KEYWORD_OPERATORS = frozenset({"and", "or", "not", "if", "else", "lambda", "in", "is", "await", "for"})
COMPLEX_MARKERS = frozenset({".", "(", "[", "**"})


def _is_keyword(token: str) -> bool:
    return keyword.iskeyword(token) and token not in ATOM_KEYWORDS


def _is_atom_end(token: str) -> bool:
    """Tokens after which a ``-`` is binary and a ``(`` is a call."""
    if token in CLOSERS or token == "...":
        return True
    if token[:1].isdigit() or (token[:1] == "." and token[1:2].isdigit()):
        return True
    if token.isidentifier():
        return not _is_keyword(token)
    return token[-1:] in "'\"" or token == "<str>"


@dataclass
class _Frame:
    """One open bracket while scanning a line."""

    kind: str
    subscript: bool = False
    arg_has_colon: bool = False
    lambda_params: int = 0


@dataclass
class _Analysis:
    unary: set[int] = field(default_factory=set)
    kwarg_equals: set[int] = field(default_factory=set)
    complex_colons: set[int] = field(default_factory=set)
    colon_kind: dict[int, str] = field(default_factory=dict)  # "slice" or "other"
    subscripts: dict[int, int] = field(default_factory=dict)  # "[" index -> "]" index


def _find_unary(tokens: list[str]) -> set[int]:
    unary = set()
    for i, tok in enumerate(tokens):
        if tok not in UNARY_CAPABLE and not (tok == "@" and i == 0):
            continue
        prev = tokens[i - 1] if i else None
        if prev is None or not _is_atom_end(prev):
            unary.add(i)
    return unary


def _analyse(tokens: list[str]) -> _Analysis:
    result = _Analysis(unary=_find_unary(tokens))
    stack: list[_Frame] = [_Frame("top")]
    open_at: list[int] = []
    for i, tok in enumerate(tokens):
        frame = stack[-1]
        if tok in OPENERS:
            subscript = tok == "[" and i > 0 and _is_atom_end(tokens[i - 1])
            stack.append(_Frame(tok, subscript=subscript))
            open_at.append(i)
        elif tok in CLOSERS:
            if len(stack) > 1:
                closed = stack.pop()
                start = open_at.pop()
                if closed.subscript:
                    result.subscripts[start] = i
        elif tok == "lambda":
            frame.lambda_params += 1
        elif tok == ":":
            if frame.lambda_params:
                frame.lambda_params -= 1
                result.colon_kind[i] = "other"
            else:
                frame.arg_has_colon = True
                result.colon_kind[i] = "slice" if frame.subscript else "other"
        elif tok == ",":
            frame.arg_has_colon = False
        elif tok == "=":
            if frame.lambda_params or (frame.kind == "(" and not frame.arg_has_colon):
                result.kwarg_equals.add(i)
    for start, end in result.subscripts.items():
        _mark_complex_slices(tokens, start, end, result)
    return result


def _mark_complex_slices(tokens: list[str], start: int, end: int, result: _Analysis) -> None:
    """Black spaces ``:`` in a slice element when an operand is not a simple name/number."""
    depth = 0
    element: list[int] = []
    for i in range(start + 1, end + 1):
        tok = tokens[i]
        if depth == 0 and (tok == "," or i == end):
            colons = [j for j in element if result.colon_kind.get(j) == "slice"]
            if colons and any(_complex_token(tokens, j, result) for j in element):
                result.complex_colons.update(colons)
            element = []
            continue
        if tok in OPENERS:
            depth += 1
        elif tok in CLOSERS:
            depth -= 1
        element.append(i)


def _complex_token(tokens: list[str], i: int, result: _Analysis) -> bool:
    tok = tokens[i]
    if tok in COMPLEX_MARKERS and i not in result.unary:
        return True
    if tok in KEYWORD_OPERATORS or (tok == "*" and i in result.unary):
        return True
    binary = tok not in OPENERS | CLOSERS | {",", ":", "..."} and not tok.isidentifier()
    binary = binary and not _is_atom_end(tok) and i not in result.unary
    return binary


def _simple_operand_left(tokens: list[str], i: int) -> bool:
    """Black hugs ``**`` when the left operand is a name, number or attribute chain."""
    j = i - 1
    if j < 0 or not (tokens[j].isidentifier() or tokens[j][:1].isdigit()) or _is_keyword(tokens[j]):
        return False
    while j >= 2 and tokens[j - 1] == "." and tokens[j - 2].isidentifier():
        j -= 2
    return True


def _simple_operand_right(tokens: list[str], i: int, unary: set[int]) -> bool:
    j = i + 1
    while j < len(tokens) and j in unary and tokens[j] in "-+~":
        j += 1
    if (
        j >= len(tokens)
        or not (tokens[j].isidentifier() or tokens[j][:1].isdigit())
        or _is_keyword(tokens[j])
    ):
        return False
    while j + 2 < len(tokens) and tokens[j + 1] == "." and tokens[j + 2].isidentifier():
        j += 2
    return not (j + 1 < len(tokens) and tokens[j + 1] in ("(", "["))


def _hugged_power(tokens: list[str], i: int, analysis: _Analysis) -> bool:
    return (
        tokens[i] == "**"
        and i not in analysis.unary
        and _simple_operand_left(tokens, i)
        and _simple_operand_right(tokens, i, analysis.unary)
    )


def _space_between(tokens: list[str], i: int, analysis: _Analysis) -> bool:
    """Whether black puts a space between ``tokens[i-1]`` and ``tokens[i]``."""
    prev, cur = tokens[i - 1], tokens[i]
    if cur in CLOSERS or prev in OPENERS or cur in (",", ";"):
        return False
    if cur == ":":
        return i in analysis.complex_colons and prev not in ("[", ",", ":")
    if prev == ":":
        if analysis.colon_kind.get(i - 1) == "slice":
            return i - 1 in analysis.complex_colons and cur != ":"
        return True
    if cur == ".":
        return _is_keyword(prev)
    if prev in (".", "...") and (prev == "." or tokens[0] == "from"):
        return cur == "import"
    if i - 1 in analysis.unary:
        return False
    if i in analysis.kwarg_equals or i - 1 in analysis.kwarg_equals:
        return False
    if _hugged_power(tokens, i, analysis) or _hugged_power(tokens, i - 1, analysis):
        return False
    if cur in ("(", "["):
        if prev == "case" and i == 1:
            return True
        return not _is_atom_end(prev)
    return True


def render(tokens: list[str]) -> str:
    """Join source tokens of one logical line with black-style spacing."""
    if not tokens:
        return ""
    analysis = _analyse(tokens)
    out = [tokens[0]]
    for i in range(1, len(tokens)):
        if _space_between(tokens, i, analysis):
            out.append(" ")
        out.append(tokens[i])
    return "".join(out)
