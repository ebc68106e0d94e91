"""Repairs the syntax validator offers for a candidate that breaks the parse.

A line-by-line generator often proposes a line that is right but for its end: the
``:`` of a ``for``/``if``/``def``... header is missing, a bracket opened in the typed
text or in the candidate is never closed, or the candidate closes one bracket too
many.  :func:`line_repairs` returns the candidate with its end fixed, with a short
description, as ``Verdict.repairs`` entries; the pipeline validates each repaired
candidate like any other (``editor/pipeline.py``).

The candidate continues what was typed on the line, so brackets are counted over
``slot.typed + candidate`` with :mod:`tokenize` (brackets inside strings and comments
do not count).  Only one-line candidates on a line with nothing after the cursor are
repaired, and a repair is only offered when the repaired line parses on its own
(:func:`validators.syntax.check_locally`, which tolerates a header with no body yet):
a line that continues a statement from the lines above is left alone.
"""

from __future__ import annotations

import io
import tokenize
from typing import Callable

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}
# The keywords that begin a compound statement's header (``async`` and soft keywords too).
HEADER_KEYWORDS = frozenset(
    {
        "for",
        "while",
        "if",
        "elif",
        "else",
        "with",
        "def",
        "class",
        "try",
        "except",
        "finally",
        "async",
        "match",
        "case",
    }
)
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_SKIPPED = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.COMMENT,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


class Unrepairable(Exception):
    """The line cannot be analysed (an unterminated string, a mismatched bracket...)."""


def significant_tokens(line: str) -> list[tuple[int, str, int, int]]:
    """Significant tokens of a one-line ``line`` as (type, string, start, end) offsets
    (validators/_cut_repair.py too).

    Tokens inside f-strings (Python >= 3.12 splits them) are dropped.  A tokenizer error
    before the end (an unmatched closer on 3.12) is tolerated when only brackets, ``:``
    and spaces remain: those are returned as OP tokens.
    """
    out: list[tuple[int, str, int, int]] = []
    fstring_depth, end = 0, 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if tok.start[0] != 1:
                break
            if tok.type == tokenize.ERRORTOKEN and tok.string.strip():
                raise Unrepairable(f"cannot tokenize {tok.string!r}")
            if tok.type == _FSTRING_START:
                fstring_depth += 1
            elif tok.type == _FSTRING_END:
                fstring_depth -= 1
                out.append((tokenize.STRING, tok.string, tok.start[1], tok.end[1]))
            elif fstring_depth == 0 and tok.type not in _SKIPPED and tok.string.strip():
                out.append((tok.type, tok.string, tok.start[1], tok.end[1]))
            end = max(end, tok.end[1])
    except (tokenize.TokenError, SyntaxError) as exc:
        rest = line[end:]
        if fstring_depth or rest.strip(" \t" + "".join(CLOSERS) + ":"):
            raise Unrepairable(str(exc)) from exc
        for offset, char in enumerate(rest):
            if not char.isspace():
                out.append((tokenize.OP, char, end + offset, end + offset + 1))
    return out


def _header(tokens: list[tuple[int, str, int, int]]) -> bool:
    """True when the line starts with a compound statement keyword."""
    return bool(tokens) and tokens[0][0] == tokenize.NAME and tokens[0][1] in HEADER_KEYWORDS


def _has_colon_at_depth0(tokens: list[tuple[int, str, int, int]]) -> bool:
    depth = 0
    for kind, string, _, _ in tokens:
        if kind != tokenize.OP:
            continue
        if string in OPENERS:
            depth += 1
        elif string in CLOSERS:
            depth -= 1
        elif string == ":" and depth <= 0:
            return True
    return False


def _repair_line(typed: str, text: str) -> list[tuple[str, list[str]]]:
    """Repaired candidates (best first) with what was done to each; empty when nothing applies.

    A line that starts like a header (``match`` may also be a plain name) is offered with
    the ``:`` added first, and without it when its brackets were fixed.
    """
    line = typed + text
    tokens = significant_tokens(line)
    stack: list[tuple[str, int]] = []
    extra: list[int] = []  # offsets of unmatched closers
    for kind, string, start, _ in tokens:
        if kind != tokenize.OP:
            continue
        if string in OPENERS:
            stack.append((string, start))
        elif string in CLOSERS:
            if extra and stack:
                return []  # brackets after an unmatched closer: not a trailing extra
            if not stack:
                extra.append(start)
            elif stack[-1][0] == CLOSERS[string]:
                stack.pop()
            else:
                return []  # a mismatched pair: no guess
    last_end = max((end for _, _, _, end in tokens), default=len(typed))
    new, done = line, []
    if extra:
        if stack or min(extra) < len(typed):
            return []
        tail = [t for t in tokens if t[2] >= min(extra)]
        if any(t[1] not in CLOSERS and t[1] != ":" for t in tail):
            return []  # something else follows the extra closer: not "at the end"
        for offset in sorted(extra, reverse=True):
            new = new[:offset] + new[offset + 1 :]
        last_end -= len(extra)
        done.append("dropped the unmatched " + ", ".join(f"'{line[o]}'" for o in extra))
    if stack:
        closers = "".join(OPENERS[opener] for opener, _ in reversed(stack))
        new = new[:last_end] + closers + new[last_end:]
        last_end += len(closers)
        done.append(f"closed {' '.join(repr(o) for o, _ in stack)} with '{closers}'")
    variants = [(new, done)] if done else []
    retokenized = significant_tokens(new)
    if _header(retokenized) and not _has_colon_at_depth0(retokenized):
        variants.insert(0, (new[:last_end] + ":" + new[last_end:], done + ["added the missing ':'"]))
    return [(fixed[len(typed) :], what) for fixed, what in variants if fixed.startswith(typed)]


def cut_after_opener(typed: str, text: str) -> list[tuple[str, list[str]]]:
    """``text`` cut just after its first bracket opened outside any other (``foo(``).

    For a line whose statement goes on in the next lines (black's exploded calls and
    signatures): the candidate wrote the whole call on one line, the file has its
    arguments below.
    """
    line = typed + text
    depth = 0
    try:
        tokens = significant_tokens(line)
    except Unrepairable:
        return []
    for kind, string, start, _ in tokens:
        if kind != tokenize.OP:
            continue
        if string in OPENERS:
            if depth == 0 and start >= len(typed) and start + 1 < len(line):
                return [
                    (line[len(typed) : start + 1], [f"cut after '{string}': the next lines go on inside it"])
                ]
            depth += 1
        elif string in CLOSERS:
            depth -= 1
    return []


def line_repairs(
    typed: str, text: str, after: str, parses: Callable[[str], bool], continued: bool = False
) -> list[tuple[str, str]]:
    """Repairs of candidate ``text`` typed after ``typed`` (``after`` is the rest of the line).

    Returns ``[(repaired candidate, description)]``, empty when no repair applies or the
    repaired line does not parse on its own according to ``parses(line)``.  With
    ``continued`` (the next code line is indented deeper than this one), the candidate
    cut after its first opening bracket is offered too (:func:`cut_after_opener`): it
    cannot parse on its own, and the validators judge it in the file like any other.
    """
    if "\n" in text or after.strip() or not text.strip():
        return []
    out: list[tuple[str, str]] = []
    try:
        variants = _repair_line(typed, text)
        cuts = cut_after_opener(typed, text) if continued else []
    except Unrepairable:
        return []
    for new_text, done in variants:
        if new_text.strip() and new_text != text and parses(typed + new_text):
            out.append((new_text, "; ".join(done)))
            break
    out.extend((new_text, "; ".join(done)) for new_text, done in cuts if new_text.strip())
    return out
