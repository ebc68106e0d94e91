""":func:`~editor.ngram.tokens.tokenize_lines` with the work of unchanged pieces of the text reused.

The cache model re-tokenised the whole document on every request (~90 ms on a 2000-line
file, several times more when the cursor's line leaves a bracket open and the fallback
searches for the longest clean prefix).  Between two requests most of the file is the same.

**Pieces.**  Python's tokenizer (3.11's pure-Python :mod:`tokenize`) reads the text line by
line; what it carries from one line to the next is the bracket depth, an open string, a
``\\`` continuation and the indentation stack.  After a line that ends a statement with no
bracket, string or continuation open (a *clean* line end), a line is tokenized as it would
be at the start of a file, except for the indentation stack, which only decides INDENT and
DEDENT tokens (dropped here) and the "unindent does not match" IndentationError.  So the
text is cut, at clean line ends before a *candidate* line (code indented by at most
:data:`CUT_INDENT`; which lines are candidates only decides the size of the pieces), into
pieces whose tokens, remembered by their text, are the whole text's tokens with the rows
shifted.  Each piece also remembers the indentation column of its logical lines (where it
changes): replaying the indentation stack over them finds the tokenizer's IndentationError.

**Walk.**  From the top, a remembered piece that starts where the last one ended is taken
as is.  At the first line without one, one tokenizer pass starts there (the indentation
stack set up by a few synthetic lines before it); it cuts new pieces at the clean line ends
it meets and hands back to the walk at the first candidate line where a remembered piece
starts again.  If it fails, the text does not tokenize.

**Fallback table.**  Then :func:`editor.ngram.tokens.tokenize_lines` binary-searches the
longest prefix that tokenizes.  Whether a prefix of ``m`` lines does is known without
tokenizing it again: it is the tokenizer's state after line ``m`` (no error so far, clean
line end), recorded by the pieces and the last pass.  The search probes the same prefixes
and ends at the same one.

Anything unusual (other line breaks than ``\\n``, a string continued by ``\\`` whose next
line does not close it, Python >= 3.12 and its C tokenizer) takes the plain functions.
:data:`ENABLED` off (tests) gives the plain functions.
"""

from __future__ import annotations

import itertools
import sys
import threading
import tokenize
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field

from editor.ngram import tokens as _tokens
from editor.ngram.tokens import TokenLine, _finish, string_token

ENABLED = True
# The pieces rest on the pure-Python tokenizer's line-by-line state (3.12 has a C tokenizer).
_SUPPORTED = sys.version_info < (3, 12)
CUT_INDENT = 8  # candidate lines: code (not a comment, not a closing bracket) indented at most this
_ERRORS = (SyntaxError, tokenize.TokenError, ValueError)
# Characters str.splitlines() breaks at besides "\n": tokenize_source indexes rows by them.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_TABSIZE = 8  # tokenize's, for indentation columns
_COMMENT, _NL, _NEWLINE = tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE
_INDENT, _DEDENT, _ENDMARKER = tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER
_STRING, _OP, _ERRORTOKEN = tokenize.STRING, tokenize.OP, tokenize.ERRORTOKEN
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")


class _Piece:
    """Lines that tokenize alone from a clean line end to a clean line end; rows are 1-based within it."""

    __slots__ = ("n_lines", "text", "lines", "columns", "clean", "placed")

    def __init__(self, n_lines, text, lines, columns, clean) -> None:  # type: ignore[no-untyped-def]
        self.n_lines: int = n_lines
        self.text: str = text  # "\n".join of its lines
        self.lines: tuple[TokenLine, ...] = lines
        # (row, indentation column) of the logical lines where the column changes (the first too)
        self.columns: tuple[tuple[int, int], ...] = columns
        self.clean: frozenset[int] = clean  # rows after which the tokenizer's state is clean
        self.placed: tuple[int, list[TokenLine]] = (0, list(lines))  # its lines at a first line, last used

    def lines_at(self, first: int) -> list[TokenLine]:
        """Its token lines with the rows of a text where it starts at line index ``first``."""
        placed = self.placed
        if placed[0] != first:
            shifted = [TokenLine(t.start_row + first, t.end_row + first, t.tokens) for t in self.lines]
            placed = self.placed = (first, shifted)
        return placed[1]


class _Unsupported(Exception):
    """A case the pieces do not cover: the plain functions are used."""


class _PieceCache:
    """Pieces by the text of their lines up to the next candidate line (a few may share it)."""

    def __init__(self, size: int = 32768) -> None:
        self.size = size
        self._seen: OrderedDict[str, list[_Piece]] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, lines: list[str], start: int, key_stop: int) -> _Piece | None:
        """The remembered piece starting with lines[start:], if any."""
        key = "\n".join(lines[start:key_stop])
        with self._lock:
            found = self._seen.get(key)
            if found is None:
                return None
            self._seen.move_to_end(key)
            found = list(found)
        for piece in found:
            if piece.n_lines == key_stop - start:
                return piece
            stop = start + piece.n_lines
            if stop <= len(lines) and "\n".join(lines[start:stop]) == piece.text:
                return piece
        return None

    def add(self, key: str, piece: _Piece) -> None:
        with self._lock:
            found = self._seen.setdefault(key, [])
            if all(p.text != piece.text for p in found):
                found.append(piece)
                del found[:-4]
            self._seen.move_to_end(key)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


_PIECES = _PieceCache()


@dataclass
class _Scan:
    """The pieces of a text in order; when it does not tokenize, what the fallback table needs."""

    ok: bool
    lines: list[TokenLine]
    pieces: list[tuple[int, _Piece]] = field(default_factory=list)  # (0-based first line, piece)
    starts: list[int] = field(default_factory=list)
    tail_start: int = 0  # lines from here on were read by the last (failed) pass
    tail_clean: set[int] = field(default_factory=set)  # their clean rows (1-based, whole text)
    tail_lines: list[TokenLine] = field(default_factory=list)  # and their token lines
    error_row: int | None = None  # the tokenizer raises at this row (1-based), rows after do too

    def prefix_ok(self, count: int) -> bool:
        """Whether the first ``count`` lines (and a newline) tokenize: the state after row ``count``."""
        if self.error_row is not None and count >= self.error_row:
            return False
        if count > self.tail_start:
            return count in self.tail_clean
        idx = bisect_right(self.starts, count - 1) - 1
        start, piece = self.pieces[idx]
        return count - start in piece.clean

    def prefix_lines(self, count: int) -> list[TokenLine]:
        """What tokenize_source returns for the first ``count`` lines when :meth:`prefix_ok`.

        A clean line end inside a piece or the last pass ends every logical line before it
        (a string continued by ``\\`` into a line that does not close it is not covered), so
        the prefix's lines are the text's lines that start up to there."""
        return [t for t in itertools.chain(self.lines, self.tail_lines) if t.start_row <= count]


def _column(indent: str) -> int:
    """The tokenizer's indentation column of leading whitespace (tabs to multiples of 8, \\f resets)."""
    if "\t" not in indent and "\f" not in indent:
        return len(indent)
    column = 0
    for char in indent:
        if char == " ":
            column += 1
        elif char == "\t":
            column = (column // _TABSIZE + 1) * _TABSIZE
        elif char == "\f":
            column = 0
    return column


def _candidates(lines: list[str]) -> tuple[list[int], bytearray]:
    """Line indexes where a piece may start (0 always), and a flag per line (and the end)."""
    starts = [0]
    flags = bytearray(len(lines) + 1)
    flags[0] = 1
    for idx, line in enumerate(lines):
        if not line or not idx:
            continue
        head = line[0]
        if head == " " or head == "\t":
            body = line.lstrip(" \t")
            if not body or len(line) - len(body) > CUT_INDENT:
                continue
            head = body[0]
        if head in "#)]}" or head.isspace():
            continue
        starts.append(idx)
        flags[idx] = 1
    return starts, flags


def _replay(stack: list[int], columns: tuple[tuple[int, int], ...], first: int) -> int | None:
    """Apply a piece's indentation columns to the tokenizer's stack; the row (1-based, whole text)
    of an IndentationError, else None."""
    for row, column in columns:
        top = stack[-1]
        if column > top:
            stack.append(column)
        elif column < top:
            if column not in stack:
                return first + row
            while column < stack[-1]:
                stack.pop()
    return None


def _next_candidate(starts: list[int], pos: int, n_lines: int) -> int:
    k = bisect_right(starts, pos)
    return starts[k] if k < len(starts) else n_lines


class _Pass:
    """One tokenizer pass from a clean line end at ``first`` with the indentation stack ``stack``."""

    def __init__(self, lines: list[str], starts: list[int], flags: bytearray, first: int, stack: list[int]):
        self.lines, self.starts, self.flags, self.first = lines, starts, flags, first
        self.stack = stack
        self.pieces: list[tuple[int, _Piece]] = []
        self.stop = len(lines)  # where the walk goes on (the end when the pass read it all)
        self.failed = False
        self.error_row: int | None = None
        self.tail_start = first
        self.tail_clean: set[int] = set()
        self.tail_lines: list[TokenLine] = []

    def run(self) -> None:
        lines, n_lines, flags = self.lines, len(self.lines), self.flags
        prefix = [" " * column + "0\n" for column in self.stack[1:]]
        shift = len(prefix)
        delta = self.first - shift  # whole-text row = tokenizer row + delta
        feed = itertools.chain(
            prefix,
            (lines[idx] + "\n" for idx in range(self.first, n_lines)),
            ("\n",),  # tokenize_lines also asks about the text with one more (empty) line
            itertools.repeat(""),
        )
        piece_start = self.first
        out: list[TokenLine] = []
        columns: list[tuple[int, int]] = []
        clean: list[int] = []
        current: list[str] = []
        only_strings = True
        start_row = indent_col = 0
        parenlev = 0
        top = self.stack[-1]
        line_row = 0  # row of the current logical line's first token
        try:
            for kind, string, (srow, scol), (erow, _), physical in tokenize.generate_tokens(feed.__next__):
                if srow <= shift:
                    continue
                if kind == _COMMENT:
                    continue
                if kind == _INDENT:
                    top = _column(string)
                    continue
                if kind == _DEDENT:
                    if physical:  # not the ones at the end
                        top = _column(physical[:scol])
                    continue
                if kind == _ENDMARKER:
                    break
                row = srow + delta
                if kind == _NEWLINE or kind == _NL:
                    if kind == _NEWLINE:
                        if current:
                            out.append(TokenLine(start_row, row, _finish(current, only_strings, indent_col)))
                            current, only_strings = [], True
                        if not columns or columns[-1][1] != top:
                            columns.append((line_row or row, top))
                        line_row = 0
                    if parenlev:
                        continue
                    # A clean line end: the prefix up to here tokenizes; a piece may end here.
                    clean.append(row)
                    if row > n_lines or current:
                        continue
                    if row == n_lines or flags[row]:
                        self._close(piece_start, row, out, columns, clean)
                        out, columns, clean = [], [], []
                        piece_start = row
                        if row == n_lines:
                            self.tail_start = n_lines
                            return
                        if _PIECES.find(lines, row, _next_candidate(self.starts, row, n_lines)) is not None:
                            self.stop = self.tail_start = row
                            return
                    continue
                if not line_row:
                    line_row = row
                if not current:
                    start_row = row
                    indent_col = len(lines[row - 1][:scol].expandtabs(4))
                if kind == _STRING:
                    current.append(string_token(string))
                    continue
                if kind == _OP:
                    if string in _OPEN:
                        parenlev += 1
                    elif string in _CLOSE:
                        parenlev -= 1
                elif kind == _ERRORTOKEN and erow > srow:
                    # A string continued by "\" and not closed on the next line: tokenize goes
                    # on with the logical line unfinished; not covered by the pieces.
                    raise _Unsupported
                only_strings = False
                current.append(string)
        except IndentationError as exc:
            self.error_row = (exc.lineno or 0) + delta
        except tokenize.TokenError:
            pass  # at the end of the input: an open bracket, string or continuation
        except _Unsupported:
            raise
        except _ERRORS as exc:
            raise _Unsupported from exc
        # The text does not tokenize (from the end of the last piece on, rows as recorded).
        self.failed = True
        self.tail_start = piece_start
        self.tail_clean = set(clean)
        self.tail_lines = out

    def _close(self, first: int, stop: int, out: list, columns: list, clean: list) -> None:
        text = "\n".join(self.lines[first:stop])
        piece = _Piece(
            n_lines=stop - first,
            text=text,
            lines=(
                tuple(TokenLine(t.start_row - first, t.end_row - first, t.tokens) for t in out)
                if first
                else tuple(out)
            ),
            columns=tuple((row - first, column) for row, column in columns),
            clean=frozenset(row - first for row in clean),
        )
        piece.placed = (first, out)
        key_stop = _next_candidate(self.starts, first, len(self.lines))
        _PIECES.add(text if key_stop >= stop else "\n".join(self.lines[first:key_stop]), piece)
        self.pieces.append((first, piece))


def _scan(text: str) -> _Scan | None:
    """``text`` (ends with a newline) walked by pieces; None for what the pieces do not cover."""
    lines = text[:-1].split("\n")
    n_lines = len(lines)
    starts, flags = _candidates(lines)
    out: list[TokenLine] = []
    pieces: list[tuple[int, _Piece]] = []
    stack = [0]
    pos = 0
    while pos < n_lines:
        piece = _PIECES.find(lines, pos, _next_candidate(starts, pos, n_lines))
        if piece is None:
            run = _Pass(lines, starts, flags, pos, list(stack))
            try:
                run.run()
            except _Unsupported:
                return None
            for first, new in run.pieces:
                _replay(stack, new.columns, first)  # the pass had the same stack: no error
                pieces.append((first, new))
                out.extend(new.lines_at(first))
            if run.failed:
                starts = [p[0] for p in pieces]
                return _Scan(
                    False, out, pieces, starts, run.tail_start, run.tail_clean, run.tail_lines, run.error_row
                )
            pos = run.stop
            continue
        error = _replay(stack, piece.columns, pos)
        pieces.append((pos, piece))
        out.extend(piece.lines_at(pos))
        if error is not None:
            return _Scan(False, out, pieces, [p[0] for p in pieces], pos + piece.n_lines, error_row=error)
        pos += piece.n_lines
    return _Scan(True, out)


def _covered(text: str) -> bool:
    return ENABLED and _SUPPORTED and text.endswith("\n") and not any(ch in text for ch in _OTHER_BREAKS)


def tokenize_source(text: str) -> list[TokenLine]:
    """Same result as :func:`editor.ngram.tokens.tokenize_source` (raises when it does)."""
    scan = _scan(text) if _covered(text) else None
    if scan is None:
        return _tokens.tokenize_source(text)
    if not scan.ok:
        raise tokenize.TokenError("does not tokenize", (scan.error_row or 0, 0))
    return scan.lines


def tokenize_lines(text: str) -> list[TokenLine]:
    """:func:`editor.ngram.tokens.tokenize_lines` with :func:`tokenize_source` above and the
    fallback's binary search answered from the failed walk."""
    scan = _scan(text) if _covered(text) else None
    if scan is None:
        return _tokens.tokenize_lines(text)
    if scan.ok:
        return scan.lines
    return _tokens.lines_after_failure(text, tokenize_source, scan.prefix_ok, scan.prefix_lines)
