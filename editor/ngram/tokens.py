"""Python source <-> KenLM token streams.

One KenLM "sentence" is one logical line of code: a leading indentation token
``<iN>`` (N = indentation / 4) followed by the line's tokens, space separated.
Comments, NL and ENCODING tokens are dropped.  String literals of at most
:data:`MAX_STRING` characters are kept with whitespace and ``%`` escaped
reversibly (``%20``, ``%09``, ``%0A``, ``%25`` ...), because KenLM words cannot
contain spaces; longer strings and lines that are only a string (docstrings)
become the placeholder ``<str>``.

:func:`detokenize` renders tokens back with black-style spacing (the layout
rules live in :mod:`editor.ngram.layout`).
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from dataclasses import dataclass
from typing import Callable

from editor.ngram.layout import render

TOKENIZER_VERSION = "2"  # bump when the token stream changes: it is part of the model hash
MAX_STRING = 40
STR_PLACEHOLDER = "<str>"
PLACEHOLDERS = frozenset({STR_PLACEHOLDER, "<unk>"})
_INDENT_RE = re.compile(r"^<i(\d+)>$")
_ESCAPE_RE = re.compile(r"%(u[0-9A-F]{4}|[0-9A-F]{2})")

_OPERATORS = sorted(
    """!= % %= & &= ( ) * ** **= *= + += , - -= -> . ... / // //= /= : := ; < << <<= <= = == > >= >> >>=
    @ @= [ ] ^ ^= { | |= } ~""".split(),
    key=len,
    reverse=True,
)
_STRING_PREFIX = r"(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?"
_FALLBACK_RE = re.compile(
    r"""
    (?P<ws>[ \t\f]+|\\\r?\n)
  | (?P<comment>\#[^\r\n]*)
  | (?P<newline>\r?\n)
  | (?P<string>{p}(?:'''(?:\\.|[^\\])*?(?:'''|$)|\"\"\"(?:\\.|[^\\])*?(?:\"\"\"|$)
                   |'(?:\\.|[^\\'\n])*(?:'|$|(?=\n))|"(?:\\.|[^\\"\n])*(?:"|$|(?=\n))))
  | (?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJlL]?|0[xXoObB][\da-fA-F_]+)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>{ops})
  | (?P<other>\S)
    """.format(p=_STRING_PREFIX, ops="|".join(re.escape(op) for op in _OPERATORS)),
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class TokenLine:
    """One logical line: its physical row span (1-based, inclusive) and tokens (with ``<iN>``)."""

    start_row: int
    end_row: int
    tokens: list[str]


def indent_token(indent: str) -> str:
    """``<iN>`` for an indentation string (tabs count as 4 columns)."""
    width = len(indent.expandtabs(4))
    return f"<i{width // 4}>"


def indent_depth(token: str) -> int | None:
    """N for an ``<iN>`` token, else None."""
    match = _INDENT_RE.match(token)
    return int(match.group(1)) if match else None


def is_placeholder(token: str) -> bool:
    """True for tokens that stand for text we do not have (``<str>``, ``<unk>``)."""
    return token in PLACEHOLDERS


def escape(text: str) -> str:
    """Make ``text`` a KenLM-safe word: whitespace, control characters and ``%`` become %XX."""
    out = []
    for char in text:
        if char == "%" or char.isspace() or ord(char) < 32:
            code = ord(char)
            out.append(f"%{code:02X}" if code < 256 else f"%u{code:04X}")
        else:
            out.append(char)
    return "".join(out)


def unescape(token: str) -> str:
    """Inverse of :func:`escape`."""
    if "%" not in token:
        return token
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1).lstrip("u"), 16)), token)


def string_token(literal: str) -> str:
    """The token for a string literal: escaped if short, else ``<str>``."""
    return escape(literal) if len(literal) <= MAX_STRING else STR_PLACEHOLDER


def _finish(tokens: list[str], only_strings: bool, indent_col: int) -> list[str]:
    if only_strings:
        tokens = [STR_PLACEHOLDER]
    return [f"<i{indent_col // 4}>", *tokens]


def tokenize_source(text: str) -> list[TokenLine]:
    """Tokenize a whole file with :mod:`tokenize`; raises SyntaxError/TokenError on bad input."""
    lines: list[TokenLine] = []
    current: list[str] = []
    only_strings = True
    start_row = indent_col = 0
    fstring_depth = 0
    fstring_start: tuple[int, int] = (0, 0)
    source_lines = text.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        kind = tok.type
        if kind in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.INDENT, tokenize.DEDENT):
            continue
        if kind == tokenize.ENDMARKER:
            break
        if kind == tokenize.NEWLINE:
            if current:
                lines.append(TokenLine(start_row, tok.start[0], _finish(current, only_strings, indent_col)))
            current, only_strings = [], True
            continue
        if not current and fstring_depth == 0:
            start_row, indent_col = tok.start[0], len(
                source_lines[tok.start[0] - 1][: tok.start[1]].expandtabs(4)
            )
        # Python 3.12+ splits f-strings; glue them back into one STRING token.
        name = tokenize.tok_name.get(kind, "")
        if name == "FSTRING_START":
            if fstring_depth == 0:
                fstring_start = tok.start
            fstring_depth += 1
            continue
        if fstring_depth:
            if name == "FSTRING_END":
                fstring_depth -= 1
                if fstring_depth == 0:
                    literal = _source_span(source_lines, fstring_start, tok.end)
                    current.append(string_token(literal))
            continue
        if kind == tokenize.STRING:
            current.append(string_token(tok.string))
            continue
        only_strings = False
        current.append(tok.string)
    if current:
        lines.append(TokenLine(start_row, len(source_lines), _finish(current, only_strings, indent_col)))
    return lines


def _source_span(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1] : end[1]]
    parts = [lines[start[0] - 1][start[1] :], *lines[start[0] : end[0] - 1], lines[end[0] - 1][: end[1]]]
    return "".join(parts)


def fallback_tokens(text: str) -> list[tuple[str, str]]:
    """A forgiving regex tokenizer: (kind, raw text) pairs, never raises.

    Kinds: ``string``, ``number``, ``name``, ``op``, ``other`` and ``newline``;
    whitespace and comments are dropped.  Unterminated strings run to the end.
    """
    out = []
    for match in _FALLBACK_RE.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append((kind, match.group()))
    return out


def tokenize_lines(text: str, source: Callable[[str], list[TokenLine]] | None = None) -> list[TokenLine]:
    """Tokenize a document that may be mid-edit: tokenize first, regex fallback for the rest.

    Lines up to a tokenize error are kept as tokenize saw them; the rest of the
    document is tokenized physical line by physical line.  ``source`` stands in for
    :func:`tokenize_source` (editor/ngram/chunked.py: the same, with pieces reused).
    """
    tokenize_source = source or _tokenize_source  # pylint: disable=redefined-outer-name
    try:
        return tokenize_source(text)
    except (SyntaxError, tokenize.TokenError, ValueError):
        pass
    return lines_after_failure(text, tokenize_source)


def lines_after_failure(
    text: str,
    source: Callable[[str], list[TokenLine]],
    prefix_ok: Callable[[int], bool] | None = None,
    prefix_lines: Callable[[int], list[TokenLine]] | None = None,
) -> list[TokenLine]:
    """:func:`tokenize_lines` once ``source(text)`` has failed.

    ``prefix_ok(m)`` tells whether ``source`` accepts the first ``m`` physical lines (plus
    ``\\n``) and ``prefix_lines(m)`` what it returns for them; by default both are found out
    by calling ``source``.  editor/ngram/chunked.py answers both from one tokenizer pass: the
    binary search below then probes the same prefixes and ends at the same one.
    """
    physical = text.split("\n")

    def tokenizes(count: int) -> bool:
        try:
            source("\n".join(physical[:count]) + "\n")
        except (SyntaxError, tokenize.TokenError, ValueError):
            return False
        return True

    ok = prefix_ok or tokenizes
    # Largest prefix that tokenizes cleanly (binary search over physical line counts).
    low, high = 0, len(physical)
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    if not low:
        good = []
    elif prefix_lines is not None:
        good = prefix_lines(low)
    else:
        good = source("\n".join(physical[:low]) + "\n")
    for row in range(low, len(physical)):
        tokens = _fallback_line(physical[row])
        if tokens is not None:
            good.append(TokenLine(row + 1, row + 1, tokens))
    return good


_FALLBACK_LINES: dict[str, list[str] | None] = {}  # line -> its tokens (a few documents' worth)


def _fallback_line(line: str) -> list[str] | None:
    """The tokens (with ``<iN>``) of one physical line as the fallback reads it, None if none."""
    found = _FALLBACK_LINES.get(line, False)
    if found is not False:
        return found  # type: ignore[return-value]
    tokens = [_token_of(kind, raw) for kind, raw in fallback_tokens(line) if kind != "newline"]
    result = None
    if tokens:
        only_strings = all(t.startswith(("'", '"')) or t == STR_PLACEHOLDER for t in tokens) and bool(
            re.match(r"\s*" + _STRING_PREFIX + "['\"]", line)
        )
        indent_col = len(line[: len(line) - len(line.lstrip())].expandtabs(4))
        result = _finish(tokens, only_strings, indent_col)
    if len(_FALLBACK_LINES) >= 20000:
        _FALLBACK_LINES.clear()
    _FALLBACK_LINES[line] = result
    return result


_tokenize_source = tokenize_source


def _token_of(kind: str, raw: str) -> str:
    return string_token(raw) if kind == "string" else raw


def tokenize_partial_line(text: str) -> tuple[list[str], str]:
    """Split what was typed before the cursor into complete tokens and a partial fragment.

    ``"    self.na"`` -> (["self", "."], "na"); ``"x = "`` -> (["x", "="], "").
    The partial fragment is a trailing NAME, NUMBER or unterminated string, given
    in token form (strings escaped), so a completion's first token starts with it.
    Indentation is not included (see :func:`indent_token`).  Never raises.
    """
    pieces = fallback_tokens(text.replace("\n", " "))
    tokens = [_token_of(kind, raw) for kind, raw in pieces]
    if not pieces:
        return [], ""
    kind, raw = pieces[-1]
    trailing_space = text[-1:].isspace()
    partial = ""
    if kind == "string" and not _string_closed(raw):
        partial = escape(raw)
    elif kind in ("name", "number") and not trailing_space:
        partial = raw
    if partial:
        tokens.pop()
    return tokens, partial


def _string_closed(literal: str) -> bool:
    body = literal.lstrip("rRbBuUfF")
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote):
            return len(body) >= 2 * len(quote) and body.endswith(quote) and not body.endswith("\\" + quote)
    return False


def is_name_token(token: str) -> bool:
    """True for identifiers and keywords."""
    return token.isidentifier()


def is_keyword(token: str) -> bool:
    """True for Python keywords (soft keywords excluded)."""
    return keyword.iskeyword(token)


def line_context_token(previous: list[str] | None) -> str:
    """A token that summarises the previous logical line, put before each line's ``<iN>``.

    A 6-gram model sees only the line it completes; this token carries what matters most
    from the line before: its leading keyword (``def``, ``try``, ``@``…; ``x`` for anything
    else) and whether it opens a block. ``<p>`` starts a file.
    """
    # Only the first and the last body token (not ``<iN>``, not a context token) matter.
    first = last = None
    for token in previous or ():
        if not _is_marker(token):
            first = token
            break
    if first is None:
        return "<p>"
    for token in reversed(previous):  # type: ignore[arg-type]
        if not _is_marker(token):
            last = token
            break
    head = first if first == "@" or is_keyword(first) else "x"
    return f"<p{head}{':' if last == ':' else ''}>"


def _is_marker(token: str) -> bool:
    """An ``<iN>`` or line-context token (both start with ``<``; the regex only runs then)."""
    return token[:1] == "<" and (indent_depth(token) is not None or is_line_context(token))


def is_line_context(token: str) -> bool:
    return token.startswith("<p") and token.endswith(">")


def with_line_context(lines: list[list[str]]) -> list[list[str]]:
    """Each token line prefixed with the :func:`line_context_token` of the line before it."""
    out, previous = [], None
    for tokens in lines:
        out.append([line_context_token(previous), *tokens])
        previous = tokens
    return out


def detokenize(tokens: list[str]) -> str:
    """Render tokens as source text with black-style spacing.

    A leading ``<iN>`` token becomes ``4*N`` spaces; string tokens are unescaped;
    placeholders are kept verbatim (callers drop such lines).
    """
    indent = ""
    if tokens and indent_depth(tokens[0]) is not None:
        indent = " " * (4 * (indent_depth(tokens[0]) or 0))
        tokens = tokens[1:]
    return indent + render([unescape(t) if "'" in t or '"' in t else t for t in tokens])
