"""The "syntax" validator: the document with the candidate inserted must parse.

Parsing is pure :func:`ast.parse` (no compilation), so a check costs well under a
millisecond for ordinary files.  Two kinds of incompleteness are tolerated,
because a line-by-line editor produces them all the time:

* a block header whose body is not written yet (``for x in items:`` at the end of
  the file, or before a line that is not indented deeper), and the open block the
  document already had just above the cursor (``def f():`` with an empty body);
  an indented ``pass`` is inserted after such a header before parsing, and a
  ``try:`` without handlers gets a dummy ``finally:`` (the tolerant parse:
  validators/_tolerant_parse.py);
* a document that is already broken somewhere else: the candidate's lines are
  then checked on their own (dedented, with a dummy header for ``elif``/``else``/
  ``except``/``finally``/``case`` lines) and the verdict says so (``SYN002``).

Codes: ``SYN000`` ok, ``SYN001`` the candidate breaks the parse, ``SYN002`` ok but
checked locally, ``SYN003`` the candidate leaves a bracket or triple-quoted string
open, ``SYN004`` the candidate closes on its line a bracket that the next lines go on
inside (the file parses with the candidate cut after that bracket: its repair).  Lines in verdicts are 1-based, columns 0-based.  A failing verdict may carry
``repairs`` (a missing header ``:``, unclosed or extra brackets: ``validators/_repairs.py``).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.stages import StageContext, validators
from validators import _line_shape
from validators._region import OUTSIDE, enclosing_region
from validators._repairs import cut_after_opener, line_repairs
from validators._syntax_window import LINE_REF, syntax_window
from validators._tolerant_parse import INCOMPLETE, ParseOutcome, indent_of, check_locally, parse_tolerant

__all__ = [
    "SyntaxValidator",
    "block_window_start",
    "check_locally",
    "parse_tolerant",
]  # the others' shared parse


def block_window_start(slot: Slot) -> int:
    """1-based first line whose open block is tolerated: the last code line before the cursor."""
    for idx in range(min(slot.line, len(slot.document.lines)) - 1, -1, -1):
        stripped = slot.document.lines[idx].strip()
        if stripped and not stripped.startswith("#"):
            return idx + 1
    return slot.line + 1


def _continued(slot: Slot, text: str) -> bool:
    """Whether the next code line after the cursor's line is indented deeper than that line."""
    if "\n" in text:
        return False
    depth = len(indent_of(slot.typed))
    for after in slot.after_lines(40):
        if after.strip() and not after.lstrip().startswith("#"):
            return len(indent_of(after)) > depth
    return False


def _document_broken_elsewhere(slot: Slot, window: range) -> bool:
    """True when the document fails to parse outside the cursor line whatever that line holds.

    Remembered by the text around the cursor's line: every keystroke on a line asks the
    same (two whole-file parses, ~7 ms on a 1,000-line file, each time a candidate failed)."""
    lines = slot.document.lines
    return _broken_around(slot.indent, window.start, tuple(lines[: slot.line]), tuple(lines[slot.line + 1 :]))


@functools.lru_cache(maxsize=16)
def _broken_around(indent: str, window_start: int, above: tuple[str, ...], below: tuple[str, ...]) -> bool:
    current = len(above) + 1  # the cursor's line, 1-based
    error_line = None
    for replacement in (indent + "pass", ""):
        outcome = parse_tolerant([*above, replacement, *below], range(window_start, current + 1))
        if outcome.ok:
            return False
        error_line = outcome.line  # the empty-line variant's error is the telling one
    return error_line != current


def _describe(err: SyntaxError, line: int | None, col: int | None) -> str:
    return f"{err.msg} (line {line}, col {col})"


class SyntaxValidator:  # pylint: disable=too-few-public-methods
    """Checks that each candidate leaves the document parseable (see module docstring)."""

    name = "syntax"
    cost = "cheap"

    def __init__(self) -> None:
        self._outside = OUTSIDE
        self._stubs: OrderedDict[tuple, ParseOutcome] = OrderedDict()

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        """One verdict per candidate; inside a very long statement, one-line candidates are
        judged in a faithful window of it (validators/_syntax_window.py)."""
        cut = syntax_window(slot) if all("\n" not in c.text for c in candidates) else None
        if cut is None:
            return self._validate(slot, candidates)
        return [[cut.verdict(v) for v in verdicts] for verdicts in self._validate(cut.slot, candidates)]

    def _validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        """One verdict per candidate; the document's own health is computed once per slot."""
        window = range(block_window_start(slot), 1 << 30)
        broken_elsewhere: bool | None = None
        cut_parses: dict[str, bool] = {}  # many candidates cut to the same text (``foo(``)
        results = []
        for cand in candidates:
            text = slot.apply(cand.text)
            lines = (text[:-1] if text.endswith("\n") else text).split("\n")
            touched = slot.touched_lines(cand.text)
            outcome = self._by_stub(slot, cand.text, lines, range(window.start, touched.stop), touched)
            if outcome is None:
                outcome = self._focused(lines, range(window.start, touched.stop), touched)
            if outcome is None:
                outcome = parse_tolerant(lines, range(window.start, touched.stop), touched)
            if outcome.ok:
                details = {"tolerated": outcome.tolerated} if outcome.tolerated else {}
                results.append([Verdict(self.name, True, "SYN000", "parses", details=details)])
                continue
            if broken_elsewhere is None:
                broken_elsewhere = _document_broken_elsewhere(slot, window)
            if broken_elsewhere:
                verdict = self._local_verdict(lines[touched.start - 1 : touched.stop - 1], touched)
                results.append([self._closes_too_soon(slot, cand.text, window, touched, verdict, cut_parses)])
                if results[-1][0].ok or results[-1][0].repairs:
                    continue
            else:
                results.append([self._failure(outcome, touched)])
            if not results[-1][0].ok:  # a missing ':' or bracket: offer the fixed candidate
                results[-1][0].repairs = line_repairs(
                    slot.typed,
                    cand.text,
                    slot.after_cursor,
                    lambda line: check_locally([line]).ok,
                    continued=_continued(slot, cand.text),
                )
        return results

    def _by_stub(
        self, slot: Slot, cand: str, lines: list[str], window: range, touched: range
    ) -> ParseOutcome | None:
        """The outcome known from the file with the candidate's line replaced by a stub of its shape.

        See validators/_line_shape.py: a one-line candidate whose line is a logical line of its
        own parses in the file exactly when a line of the same shape (``pass``, ``if _:``...) at
        the same indentation does, with the same tolerated open blocks, or fails with the same
        error when that error lies on another line.  The stub's outcome is computed once per
        shape, indentation and text around the line; an error on the line itself decides
        nothing (None: the candidate's own parse tells that error).
        """
        line = slot.typed + cand + slot.after_cursor
        shape = _line_shape.own_line_shape(slot.document.text, slot.line, line)
        if shape is None:
            return None
        idx = touched.start - 1
        key = (shape, idx, len(lines), window.start, "\n".join(lines[:idx]), "\n".join(lines[idx + 1 :]))
        stub = self._stubs.get(key)
        if stub is None:
            stub_lines = [*lines[:idx], shape[0] + _line_shape.STUBS[shape[1]], *lines[idx + 1 :]]
            stub = self._focused(stub_lines, window, touched) or parse_tolerant(stub_lines, window, touched)
            self._stubs[key] = stub
            while len(self._stubs) > 32:
                self._stubs.popitem(last=False)
        else:
            self._stubs.move_to_end(key)
        if stub.ok:
            return ParseOutcome(tolerated=list(stub.tolerated))
        if stub.line is None or stub.line == touched.start:
            return None  # the error is on the line itself: its text decides the message
        # An error elsewhere (an indented block after a one-line `if`): the same for the same shape.
        return ParseOutcome(stub.error, stub.line, stub.col, list(stub.tolerated))

    def _focused(self, lines: list[str], window: range, touched: range) -> ParseOutcome | None:
        """The parse of the block around the candidate when it stands for the file's (see _region), else None.

        A success is taken from the block; a failure only when it stands for the file's
        (:meth:`~validators._region.Region.failure_stands`), else the whole file is parsed.
        """
        region = enclosing_region(lines, touched.start, touched.stop - 1)
        if region is None or not self._outside.verified(lines, region):
            return None
        local = range(max(region.to_local(window.start), 1), region.to_local(window.stop))
        own = range(region.to_local(touched.start), region.to_local(touched.stop))
        outcome = parse_tolerant(region.wrapped(lines), local, own)
        if not outcome.ok:
            if outcome.line is None or not region.failure_stands(
                lines, touched.start, region.to_file(outcome.line)
            ):
                return None
            outcome.line = region.to_file(outcome.line)
            return outcome
        outcome.tolerated = [
            LINE_REF.sub(lambda m: f"line {region.to_file(int(m.group(1)))}", note)
            for note in outcome.tolerated
        ]
        return outcome

    def _failure(self, outcome: ParseOutcome, touched: range, local: bool = False) -> Verdict:
        err = outcome.error
        assert err is not None
        details: dict = {"error": err.msg}
        if local:
            details["checked"] = "locally (the document is broken elsewhere)"
        incomplete = outcome.line in touched and any(key in (err.msg or "") for key in INCOMPLETE)
        if incomplete:
            return Verdict(
                self.name,
                False,
                "SYN003",
                f"candidate is incomplete: {_describe(err, outcome.line, outcome.col)}",
                line=outcome.line,
                col=outcome.col,
                details=details,
            )
        where = " (checked locally: the document is broken elsewhere)" if local else ""
        return Verdict(
            self.name,
            False,
            "SYN001",
            f"candidate breaks the parse: {_describe(err, outcome.line, outcome.col)}{where}",
            line=outcome.line,
            col=outcome.col,
            details=details,
        )

    def _closes_too_soon(  # pylint: disable=too-many-arguments
        self, slot: Slot, text: str, window: range, touched: range, local: Verdict, memo: dict[str, bool]
    ) -> Verdict:
        """``local`` (a verdict checked locally), unless it passed and the file parses with
        ``text`` cut after its first bracket: then the lines after go on inside that bracket,
        and the candidate, closing it, breaks the parse (``SYN004``, the cut as its repair)."""
        if not local.ok:
            return local
        cuts = cut_after_opener(slot.typed, text) if _continued(slot, text) else []
        for cut, done in cuts:
            if cut not in memo:
                text_with = slot.apply(cut)
                lines = (text_with[:-1] if text_with.endswith("\n") else text_with).split("\n")
                memo[cut] = parse_tolerant(lines, range(window.start, touched.stop), touched).ok
            if memo[cut]:
                return Verdict(self.name, False, "SYN004", "the candidate closes a bracket that the next lines "
                               "go on inside", line=touched.start, repairs=[(cut, "; ".join(done))])  # fmt: skip
        return local

    def _local_verdict(self, cand_lines: list[str], touched: range) -> Verdict:
        outcome = check_locally(cand_lines)
        if outcome.ok:
            return Verdict(
                self.name,
                True,
                "SYN002",
                "the candidate's lines parse; checked locally because the document is broken elsewhere",
                details={
                    "checked": "locally",
                    **({"tolerated": outcome.tolerated} if outcome.tolerated else {}),
                },
            )
        if outcome.line is not None:
            outcome.line += touched.start - 1
        return self._failure(outcome, touched, local=True)


@validators.register("syntax")
def make_syntax_validator(ctx: StageContext) -> SyntaxValidator:  # pylint: disable=unused-argument
    """Factory for the registry."""
    return SyntaxValidator()
