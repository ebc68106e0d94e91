"""The document cut to a faithful window of a very long statement, for the syntax validator.

Inside a 3,600-line dict literal every candidate's parse is a parse of the whole literal
(~40 ms each: seconds for one keystroke's candidates).  Such a statement is a collection
literal with one element per line, and a one-line candidate there parses in the document
exactly when it parses in a window that keeps the same brackets around the cursor's line
(validators/_black_window.py): the statement's first and last lines, every line that
opens or closes a bracket open at the cursor, and ``WINDOW`` lines on each side of the
cursor inside the innermost one.  The lines outside the statement are all kept.

The window is used only when both it and the whole document parse with the cursor's line
blank (else None: the whole document is parsed, as before, and a document broken
elsewhere is told as such); it is computed once per place (the cursor's line blanked:
the same for every keystroke there).  Line numbers in the verdicts are mapped back to
the document's.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import warnings
from functools import lru_cache

from editor.candidates import Verdict
from editor.document import Document, Slot
from validators._black_window import MAX_STATEMENT_LINES, enclosing_brackets, window_rows

LINE_REF = re.compile(
    r"line (\d+)"
)  # a line number in a message or note (the syntax validator maps them too)


@dataclasses.dataclass(frozen=True)
class SyntaxWindow:
    """The slot in the cut document, and each of its lines' 0-based row in the document."""

    slot: Slot
    rows: tuple[int, ...]

    def to_file(self, line: int | None) -> int | None:
        """A 1-based line of the cut document as the document's."""
        if line is None or not 1 <= line <= len(self.rows):
            return line
        return self.rows[line - 1] + 1

    def verdict(self, verdict: Verdict) -> Verdict:
        """``verdict`` (on the cut document) with its lines as the document's."""

        def fix(text: str) -> str:
            return LINE_REF.sub(lambda m: f"line {self.to_file(int(m.group(1)))}", text)

        details = dict(verdict.details)
        if "tolerated" in details:
            details["tolerated"] = [fix(note) for note in details["tolerated"]]
        details["window"] = f"judged in a window of a statement over {MAX_STATEMENT_LINES} lines"
        return dataclasses.replace(
            verdict, line=self.to_file(verdict.line), message=fix(verdict.message), details=details
        )


def syntax_window(slot: Slot) -> SyntaxWindow | None:
    """The window for ``slot`` (module docstring), or None when the whole document is to be parsed."""
    lines = list(slot.document.lines)
    if slot.line >= len(lines):
        return None
    blank = [*lines[: slot.line], "", *lines[slot.line + 1 :]]
    rows = _rows("\n".join(blank), slot.line)
    if rows is None:
        return None
    cut = [lines[row] for row in rows]
    at = rows.index(slot.line)
    text = "\n".join(cut) + ("\n" if slot.document.text.endswith("\n") else "")
    return SyntaxWindow(Document(text, slot.document.path).slot(at, slot.col), rows)


@lru_cache(maxsize=8)
def _rows(blank_text: str, cursor: int) -> tuple[int, ...] | None:
    blank = blank_text.split("\n")
    found = enclosing_brackets(blank, cursor)
    if found is None:
        return None
    openers, closers = found
    first, last = openers[0], closers[-1]
    if last - first <= MAX_STATEMENT_LINES:
        return None
    kept = window_rows(openers, closers, cursor, last, first)
    rows = (*range(first), *kept, *range(last + 1, len(blank)))
    return rows if _parses(blank_text) and _parses("\n".join(blank[row] for row in rows)) else None


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
