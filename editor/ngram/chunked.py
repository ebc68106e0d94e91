""":func:`~editor.ngram.tokens.tokenize_lines` with the work of unchanged top-level pieces reused.

The cache model re-tokenised the whole document on every request (~70 ms on a 600-line
file, several times more when the cursor's line leaves a bracket open and the fallback
searches for the longest clean prefix).  Between two requests most of the file is the same.

The text is cut into *pieces* before each line that starts at column 0 with code.  A piece
that tokenizes cleanly on its own ends with no bracket, string or continuation open, so the
tokenizer enters the next piece (a column-0 line: every indentation level closes) exactly as
if it started afresh: the whole text's tokens are the pieces' tokens, rows shifted.  From the
first piece that does not tokenize alone, the rest of the text is tokenized as one (then it
fails or succeeds as in the whole).  Each piece's result is remembered by its text.
:data:`ENABLED` off (tests) gives the plain functions.
"""

from __future__ import annotations

import threading
import tokenize
from collections import OrderedDict

from editor.ngram import tokens as _tokens
from editor.ngram.tokens import TokenLine

ENABLED = True
_ERRORS = (SyntaxError, tokenize.TokenError, ValueError)
# Characters str.splitlines() breaks at besides "\n": tokenize_source indexes rows by them.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_FAILED = object()


class _PieceCache:
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._seen: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def tokenize(self, text: str) -> list[TokenLine] | object:
        """tokenize_source(text), or _FAILED."""
        with self._lock:
            if text in self._seen:
                self._seen.move_to_end(text)
                return self._seen[text]
        try:
            result: list[TokenLine] | object = _tokens.tokenize_source(text)
        except _ERRORS:
            result = _FAILED
        with self._lock:
            self._seen[text] = result
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
        return result


_PIECES = _PieceCache()


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for idx in range(1, len(lines)):
        line = lines[idx]
        if line and line[0] not in " \t#" and line.strip():
            starts.append(idx)
    return starts


def tokenize_source(text: str) -> list[TokenLine]:
    """Same result (or exception) as :func:`editor.ngram.tokens.tokenize_source` (text ends with ``\\n``)."""
    if not ENABLED or not text.endswith("\n") or any(ch in text for ch in _OTHER_BREAKS):
        return _tokens.tokenize_source(text)
    lines = text[:-1].split("\n")
    starts = _starts(lines)
    out: list[TokenLine] = []
    for number, start in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else len(lines)
        piece = _PIECES.tokenize("\n".join(lines[start:stop]) + "\n")
        if piece is _FAILED:  # the rest as one: it fails, or succeeds, as the whole does
            piece = _PIECES.tokenize("\n".join(lines[start:]) + "\n")
            if piece is _FAILED:
                raise tokenize.TokenError("does not tokenize", (start + 1, 0))
            out.extend(TokenLine(t.start_row + start, t.end_row + start, t.tokens) for t in piece)
            return out
        out.extend(TokenLine(t.start_row + start, t.end_row + start, t.tokens) for t in piece)
    return out


def tokenize_lines(text: str) -> list[TokenLine]:
    """:func:`editor.ngram.tokens.tokenize_lines` with :func:`tokenize_source` above."""
    if not ENABLED:
        return _tokens.tokenize_lines(text)
    return _tokens.tokenize_lines(text, source=tokenize_source)
