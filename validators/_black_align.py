"""Which part of black's output is the candidate's: aligning black's text with the original.

The black validator formats the candidate's statement (what was typed, the candidate,
the rest); when black also rewrites the text around the candidate, these functions
find the candidate's own part of black's output (validators/black_format.py).
"""

from __future__ import annotations

import difflib
from functools import lru_cache


def _non_ws(text: str) -> str:
    return "".join(text.split())


def _position_after(text: str, count: int) -> int:
    """Index just after the ``count``-th non-whitespace character of ``text``."""
    if count == 0:
        return 0
    seen = 0
    for idx, char in enumerate(text):
        if not char.isspace():
            seen += 1
            if seen == count:
                return idx + 1
    return len(text)


def split_like(formatted: str, typed: str, cand: str, after: str) -> str | None:
    """The part of ``formatted`` that corresponds to ``cand``.

    None when black changed more than whitespace (then the parts cannot be aligned).
    """
    if _non_ws(formatted) != _non_ws(typed + cand + after):
        return None
    return _cut(formatted, (typed, cand, after), len(_non_ws(typed)), len(_non_ws(typed + cand)))


@lru_cache(maxsize=16)
def _align(formatted: str, typed: str, cand: str, after: str) -> tuple[str, str, int, int, tuple]:
    """The non-whitespace text of the original and of black's output, the candidate's span
    [low, high) in the first, and difflib's opcodes from the one to the other (each caller of one
    statement's verdict asks again: computed once)."""
    old, new = _non_ws(typed + cand + after), _non_ws(formatted)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return old, new, len(_non_ws(typed)), len(_non_ws(typed + cand)), tuple(opcodes)


def _cand_chars(cand: str, low: int):
    """(index in ``cand``, character, index in the non-whitespace text) of each of the candidate's
    non-whitespace characters; ``low``: the first one's index there."""
    pos = low
    for k, char in enumerate(cand):
        if not char.isspace():
            yield k, char, pos
            pos += 1


def aligned_part(formatted: str, typed: str, cand: str, after: str) -> str | None:
    """:func:`split_like` when black also changes non-whitespace text.

    The non-whitespace characters of the original and of black's output are aligned
    (difflib). Every change must lie either outside the candidate's characters or
    inside them; the candidate's part of ``formatted`` is cut at the aligned
    positions. None when a change straddles the candidate's edge or is inserted at
    it (where the split would be a guess). A part black changed inside the candidate
    is only a guess of its own (black may have changed it together with the text
    around, as the two quotes of a string): callers check it (:func:`_consistent`).
    """
    _, _, low, high, opcodes = _align(formatted, typed, cand, after)
    if low == high:
        return None
    start = end = None
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            if i1 <= low < i2:
                start = j1 + low - i1
            if i1 < high <= i2:
                end = j1 + high - i1
        elif low <= i1 < i2 <= high or (tag == "insert" and low < i1 < high):  # inside the candidate
            start = j1 if i1 == low else start
            end = j2 if i2 == high else end
        elif (tag == "insert" and i1 in (low, high)) or not (i2 <= low or i1 >= high):
            return None  # inserted at its edge, or across it
    if start is None or end is None:
        return None
    return _cut(formatted, (typed, cand, after), start, end)


def _cut(formatted: str, parts: tuple[str, str, str], first: int, through: int) -> str:
    """``formatted`` from its ``first``-th to its ``through``-th non-whitespace character, spaced as typed."""
    typed, cand, after = parts
    start = _position_after(formatted, first)
    if typed and typed[-1].isspace():  # the typed whitespace stays the user's
        # at the start of a line, the line break before it (black's, or a blank line it kept) too
        skip = " \t\n" if not typed.split("\n")[-1].strip() else " \t"
        while start < len(formatted) and formatted[start] in skip:
            start += 1
    end = _position_after(formatted, through)
    if cand.strip() and not (after and after[0].isspace()):
        while end < len(formatted) and formatted[end] in " \t" and _non_ws(after):
            end += 1
    return formatted[start:end]


def stable_but_parens(formatted: str, typed: str, cand: str, after: str) -> bool:
    """Whether black changed nothing but whitespace and dropped redundant parentheses that the
    document keeps (``from x import (`` over lines, ``if (a):``), each pair with at least one of
    its parentheses outside the candidate, and the candidate is otherwise as black would space it.

    A pair wholly inside the candidate is the candidate's own doing, and a space or tab next to
    a dropped parenthesis in the candidate (``x )``) is not black's spacing: both are False.
    """
    old, _, low, high, opcodes = _align(formatted, typed, cand, after)
    dropped: set[int] = set()
    for tag, i1, i2, _j1, _j2 in opcodes:
        if tag == "equal":
            continue
        if tag != "delete" or any(c not in "()" for c in old[i1:i2]):
            return False
        dropped.update(range(i1, i2))
    if not dropped or not _pairs_reach_outside(old, dropped, low, high):
        return False
    kept = list(cand)  # the candidate without its dropped parentheses
    for k, char, pos in _cand_chars(cand, low):
        if pos in dropped:
            if (
                char == ")"
                and cand[k - 1 : k] in (" ", "\t")
                or char == "("
                and cand[k + 1 : k + 2] in (" ", "\t")
            ):
                return False
            kept[k] = ""
    first = low - sum(1 for i in dropped if i < low)
    through = high - sum(1 for i in dropped if i < high)
    return _cut(formatted, (typed, cand, after), first, through).strip() == "".join(kept).strip()


def _pairs_reach_outside(text: str, dropped: set[int], low: int, high: int) -> bool:
    """Whether the ``dropped`` parentheses of ``text`` are matched pairs, none wholly in [low, high)."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            pairs.append((stack.pop(), i))
    partner = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    for i in dropped:
        j = partner.get(i)
        if j is None or j not in dropped or (low <= min(i, j) and max(i, j) < high):
            return False
    return True


def stable_but_requoted(formatted: str, typed: str, cand: str, after: str) -> bool:
    """Whether black changed nothing but whitespace and the quotes of strings that straddle the
    candidate's edge (opened in the typed text, closed by the candidate, or the other way round),
    the candidate otherwise spaced as black spaces it.

    Such a string's quote was chosen by what was typed; the candidate can only close it with
    the same quote, and black's requoting of the whole string is not the candidate's doing.
    """
    old, new, low, high, opcodes = _align(formatted, typed, cand, after)
    changed: list[int] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return False
        if any(a not in "'\"" or b not in "'\"" for a, b in zip(old[i1:i2], new[j1:j2])):
            return False
        changed.extend(range(i1, i2))
    if not changed or len(changed) % 2:
        return False
    for first, second in zip(changed[::2], changed[1::2]):  # a requoted string's two delimiters, in order
        if old[first] != old[second] or (low <= first < high) == (low <= second < high):
            return False
    swapped = list(cand)
    for k, _, pos in _cand_chars(cand, low):
        if pos in changed:
            swapped[k] = new[pos]
    return _cut(formatted, (typed, cand, after), low, high).strip() == "".join(swapped).strip()


def excused_change(formatted: str, typed: str, cand: str, after: str) -> tuple[str, str] | None:
    """(code, message) when black's change that hides the candidate's part is the document's
    doing, not the candidate's (:func:`stable_but_parens`, :func:`stable_but_requoted`); else None."""
    if stable_but_parens(formatted, typed, cand, after):
        return "BLK009", (
            "black would drop the statement's redundant parentheses, which the document keeps;"
            " the candidate is black's otherwise"
        )
    if stable_but_requoted(formatted, typed, cand, after):
        return "BLK010", (
            "black would requote a string that the typed text opened (or the text after closes);"
            " the candidate keeps its quote and is black's otherwise"
        )
    return None
