"""The "black" validator: a candidate must be black-stable, or is offered in black's style.

The statement the candidate completes (usually just the cursor line: what was
typed, the candidate, the rest of the line; the whole statement when the cursor
sits inside a multi-line call or a multi-line header) is formatted with
:func:`black.format_str` in a minimal valid wrapper: dedented, with a dummy
header for ``elif``/``else``/``except``/``finally``/``case``, a ``pass`` body for
a block it opens, a dummy ``def`` after a lone decorator.  The line length is the
project's ``[tool.black] line-length`` (found with black's own config lookup from
the document's folder; without one, the length the document is written to:
validators/_line_length.py) minus the statement's indentation.

Codes: ``BLK000`` already black-formatted; ``BLK001`` offered in black's
formatting (``replacement`` holds the reformatted candidate, possibly split over
several lines); ``BLK002`` the text around the candidate is not black-formatted,
the candidate is not punished for it (a replacement is offered when the candidate
part itself changes); ``BLK003`` black cannot parse the candidate's statement
(not ok); ``BLK004`` black would split the line before the cursor (not ok);
``BLK005`` not checked: black failed internally, or the candidate's part of black's
output cannot be told apart; ``BLK007`` not checked: the statement spans more than
``MAX_STATEMENT_LINES`` lines and no faithful window of it could be formatted instead
(:func:`validators._black_window.statement_window`); ``BLK008`` the document breaks the
candidate's multi-line statement over lines its own way (no line too long) and black
would re-split it whole: the candidate is judged on spacing and quotes in black's output
of the statement joined on one line (ok, maybe with a ``replacement``); ``BLK009`` black would
only drop redundant parentheses that the document keeps around the candidate's statement
(``from x import (`` over lines), the candidate otherwise black's (ok); ``BLK010``
black would only requote a string that straddles the candidate's edge (opened by the
typed text), the candidate otherwise black's (ok); ``BLK011`` black would re-split the
statement for other lines of it that are too long, and the candidate's line, judged alone
within the statement's brackets, is black's (ok, maybe with a ``replacement``).  Not checked is never a pass:
:meth:`~editor.candidates.Verdict.not_checked` (``ok=False``).
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import black

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.stages import StageContext, validators
from validators import _line_shape
from validators._black_align import aligned_part, excused_change, split_like
from validators._black_statement import (
    ends_with_comma,
    format_lines,
    leading_ws,
    packs_elements,
    parse_lines,
    statement_span,
    window_parses,
)
from validators._black_window import MAX_STATEMENT_LINES, statement_window
from validators._line_length import document_line_length
from validators._region import OUTSIDE, enclosing_region
from validators._string_style import keeps_single_quotes_at

DEFAULT_LINE_LENGTH = 88


def project_config_path(folder: str) -> str | None:
    """The pyproject.toml black's own lookup finds from ``folder`` (it may lie above it), or None."""
    try:
        return black.find_pyproject_toml((folder,)) or None
    except OSError:
        return None


@lru_cache(maxsize=64)
def project_conf(folder: str) -> dict:
    """The nearest pyproject.toml's [tool.black] (black's own lookup); {} when there is none."""
    found = project_config_path(folder)
    try:
        return black.parse_pyproject_toml(found) if found else {}
    except (OSError, ValueError) as exc:  # unreadable or invalid TOML: black's defaults
        warnings.warn(f"gfv: ignoring black config: {exc}", stacklevel=2)
        return {}


@lru_cache(maxsize=64)
def project_mode(folder: str) -> black.Mode:
    """black's Mode from the nearest pyproject.toml's [tool.black] (black's own lookup)."""
    conf = project_conf(folder)
    targets = set()
    for name in conf.get("target_version", []) or []:
        try:
            targets.add(black.TargetVersion[str(name).upper()])
        except KeyError:
            pass
    return black.Mode(
        target_versions=targets,
        line_length=int(conf.get("line_length", DEFAULT_LINE_LENGTH)),
        string_normalization=not conf.get("skip_string_normalization", False),
        magic_trailing_comma=not conf.get("skip_magic_trailing_comma", False),
        preview=bool(conf.get("preview", False)),
    )


def _consistent(part: str, parts: tuple[str, str, str], formatted: str, mode: black.Mode) -> bool:
    """Whether the candidate replaced by ``part`` formats to the same ``formatted`` text."""
    typed, _, after = parts
    again = format_lines((typed + part + after).split("\n"), mode)
    return isinstance(again, str) and again == formatted


class BlackValidator:
    """Checks candidates against black's formatting (see module docstring)."""

    name = "black"
    cost = "cheap"

    def __init__(self, line_length: int | None = None) -> None:
        self.line_length = line_length
        self._outside = OUTSIDE

    def mode_for(self, slot: Slot) -> black.Mode:
        """black's Mode for this document: project config, or the explicit line length; the
        document's own line length (validators/_line_length.py) and quotes (those of the top-level
        unit around the cursor: validators/_string_style.py) where the project does not say."""
        path = slot.document.path
        folder = str(Path(path).resolve().parent) if path else str(Path.cwd())
        mode = project_mode(folder)
        if self.line_length is not None:
            mode = dataclasses.replace(mode, line_length=self.line_length)
        elif "line_length" not in project_conf(folder):
            mode = dataclasses.replace(
                mode, line_length=document_line_length(slot.document.text, mode.line_length)
            )
        if (
            mode.string_normalization
            and "skip_string_normalization" not in project_conf(folder)
            and keeps_single_quotes_at(slot.document.text, slot.line)
        ):
            mode = dataclasses.replace(mode, string_normalization=False)
        return mode

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        """One verdict per candidate."""
        mode = self.mode_for(slot)
        return [[self._judge(slot, cand.text, mode)] for cand in candidates]

    def _span_in_block(self, lines: list[str], first: int, last: int) -> tuple[int, int] | None:
        """The statement span found by parsing only the enclosing block (see validators/_region.py)."""
        region = enclosing_region(lines, first, last)
        if region is None or not self._outside.verified(lines, region):
            return None
        tree = parse_lines(region.wrapped(lines))
        if tree is None:
            return None
        span = statement_span(tree, region.to_local(first), region.to_local(last))
        if span is None or span[0] <= len(region.prefix):
            return (first, last)
        return region.to_file(span[0]), region.to_file(span[1])

    def _context(self, slot: Slot, cand: str) -> tuple[str, str]:
        """(text before the candidate, text after it) within the statement the candidate completes."""
        typed, after = slot.typed, slot.after_cursor
        if _line_shape.own_line_shape(slot.document.text, slot.line, typed + cand + after) is not None:
            return typed, after  # the line is its own statement (validators/_line_shape.py)
        applied = slot.apply(cand).split("\n")
        first, last = slot.line + 1, slot.line + 1 + cand.count("\n")
        span = self._span_in_block(applied, first, last)
        if span is None:
            tree = parse_lines(applied)
            if tree is None:
                return typed, after
            span = statement_span(tree, first, last) or (first, last)
        before_lines = applied[span[0] - 1 : first - 1]
        after_lines = applied[last : span[1]]
        return "\n".join(before_lines + [typed]), "\n".join([after] + after_lines)

    def _judge(self, slot: Slot, cand: str, mode: black.Mode) -> Verdict:
        typed, after = self._context(slot, cand)
        original = typed + cand + after
        span = original.count("\n") + 1
        windowed = False
        if span > MAX_STATEMENT_LINES:
            # Formatting such a statement per candidate takes seconds: judge the candidate in a
            # window of the statement instead, where that is faithful (see statement_window).
            window = statement_window(typed, after, window_parses, mode.magic_trailing_comma)
            if window is None:
                return Verdict.not_checked(
                    self.name,
                    "BLK007",
                    f"not checked: the statement spans {span} lines (black runs per keystroke on statements"
                    f" of up to {MAX_STATEMENT_LINES} lines, or on a window of a longer one's lines at the"
                    " same bracket depth; gfv check formats whole files)",
                )
            typed, after = window
            original, windowed = typed + cand + after, True
        formatted = format_lines(original.split("\n"), mode)
        if windowed and not isinstance(formatted, tuple) and formatted.count("\n") < original.count("\n"):
            return Verdict.not_checked(
                self.name,
                "BLK007",
                "not checked: black joined lines of the statement's window (not faithful)",
            )
        if isinstance(formatted, tuple):
            ok, code, message = formatted
            if code == "BLK005":
                return Verdict.not_checked(self.name, code, message)
            return Verdict(self.name, ok, code, message)
        return self._compare(slot, (typed, cand, after), formatted, mode)

    def _compare(self, slot: Slot, parts: tuple[str, str, str], formatted: str, mode: black.Mode) -> Verdict:
        typed, cand, after = parts
        original = typed + cand + after
        if formatted == original.rstrip() and formatted.endswith(after.rstrip()):
            return Verdict(self.name, True, "BLK000", "black-formatted")
        tail = after.rstrip()
        if (
            formatted.startswith(typed)
            and formatted.endswith(tail)
            and len(formatted) >= len(typed) + len(tail)
        ):
            replacement = formatted[len(typed) : len(formatted) - len(tail)]
            if replacement == cand:
                return Verdict(self.name, True, "BLK000", "black-formatted")
            split = replacement.count("\n") > cand.count("\n")
            how = f", split over {formatted.count(chr(10)) + 1} lines" if split else ""
            return Verdict(
                self.name,
                True,
                "BLK001",
                f"offered in black's formatting{how}",
                replacement=replacement,
                details={"original": cand},
            )
        if formatted.count("\n") > original.count("\n"):
            longest = max(len(line) for line in original.split("\n"))
            own = self._own_line_breaks(parts, mode, longest) or self._line_alone(slot, parts, mode)
            if own is not None:
                return own
            why = (
                f"line too long for black's style ({longest} > {mode.line_length})"
                if longest > mode.line_length
                else "black would lay this statement out over more lines (a magic trailing comma,"
                " a body on its header's line, a backslash continuation)"
            )
            return Verdict(
                self.name,
                False,
                "BLK004",
                f"{why}; black's split does not keep the text before the cursor",
                line=slot.line + 1,
                details={"black": formatted},
            )
        return self._around(parts, formatted, mode)

    def _own_line_breaks(self, parts: tuple[str, str, str], mode: black.Mode, longest: int) -> Verdict | None:
        """BLK008: a statement the document breaks over lines its own way, none of them too long.

        black would re-split it whole (one element per line, say), which is the document's
        style, not the candidate's doing. The candidate is judged on what is left: its
        spacing and quotes, in black's output of the statement joined on one line. None
        when that does not apply or the candidate's part cannot be found (BLK004 stands).
        """
        original = "".join(parts)
        if "\n" not in original or longest > mode.line_length:
            return None
        flat_mode = dataclasses.replace(mode, line_length=10_000, magic_trailing_comma=False)
        flat = format_lines(original.split("\n"), flat_mode)
        if isinstance(flat, tuple):
            return None
        verdict = self._around(parts, flat, flat_mode)
        if not verdict.ok or verdict.replacement is not None and "\n" in verdict.replacement:
            return None
        how = "" if verdict.replacement is None else "; the candidate offered in black's spacing"
        return Verdict(
            self.name,
            True,
            "BLK008",
            "the document breaks this statement over lines its own way (black would re-split it"
            f" whole); the candidate's spacing and quotes are black's{how}",
            replacement=verdict.replacement,
            details={"black": flat, **({"original": parts[1]} if verdict.replacement else {})},
        )

    def _line_alone(self, slot: Slot, parts: tuple[str, str, str], mode: black.Mode) -> Verdict | None:
        """BLK011: black would re-split the statement for other lines of it that are too long
        (pygments' lexer tables of long regular expressions), not for the candidate's line.
        The candidate's line is judged alone within the statement's brackets (the window of
        validators/_black_window.py with no line around it), as black formats each element
        line of an exploded literal on its own; a line that packs several elements (black: one
        a line) is judged as :meth:`_own_line_breaks` judges a statement, on its spacing and
        quotes.  None when the candidate's line is itself too long or no faithful window exists
        (BLK004 stands)."""
        typed, cand, after = parts
        line = typed.rsplit("\n", 1)[-1] + cand + after.split("\n", 1)[0]
        if "\n" in cand or len(line) > mode.line_length:
            return None
        window = statement_window(typed, after, window_parses, mode.magic_trailing_comma, window=0)
        if window is None:
            return None
        original = window[0] + cand + window[1]
        formatted = format_lines(original.split("\n"), mode)
        if isinstance(formatted, tuple):
            return None
        if formatted.count("\n") != original.count("\n"):
            verdict = self._packed(parts, window, line, mode)
            formatted = verdict.details["black"] if verdict is not None else formatted
            why = "black would put one element a line where the document packs several"
        else:
            verdict = self._compare(slot, (window[0], cand, window[1]), formatted, mode)
            why = "black would re-split this statement for other lines of it that are too long"
        if verdict is None or not verdict.ok:
            return None
        return Verdict(
            self.name,
            True,
            "BLK011",
            f"{why}; the candidate's line alone is black's"
            + ("" if verdict.replacement is None else " once respaced"),
            replacement=verdict.replacement,
            details={"black": formatted, **({"original": cand} if verdict.replacement else {})},
        )

    def _packed(
        self, parts: tuple[str, str, str], window: tuple[str, str], line: str, mode: black.Mode
    ) -> Verdict | None:
        """A line packing several elements where the statement's other lines do too (html's table
        of code points) is the document's layout: its spacing and quotes are judged, in black's
        output of the window joined on one line (:meth:`_own_line_breaks`).  None when no other
        line packs (black's one a line is the document's too) or that cannot be judged."""
        typed, cand, after = parts
        others = [*typed.split("\n")[:-1], *after.split("\n")[1:]]
        if not any(packs_elements(other) for other in others):
            return None
        rest, _, closing = window[1].partition("\n")
        if ends_with_comma(line):  # joined on one line, black would drop the last comma
            closing = f"{leading_ws(line)}_,\n{closing}"  # an element after it keeps it
        return self._own_line_breaks((window[0], cand, f"{rest}\n{closing}"), mode, len(line))

    def _around(self, parts: tuple[str, str, str], formatted: str, mode: black.Mode) -> Verdict:
        """BLK002: black also changes the text around the candidate; judge the candidate part only."""
        part = split_like(formatted, *parts)
        if part is None:
            part = aligned_part(formatted, *parts)
            if part is not None and part != parts[1] and not _consistent(part, parts, formatted, mode):
                part = None
        cand = parts[1]
        excuse = excused_change(formatted, *parts) if part is None else None
        if excuse is not None:  # BLK009, BLK010: the document's parentheses or quotes, not the candidate's
            return Verdict(self.name, True, *excuse, details={"black": formatted})
        if part is None:
            return Verdict.not_checked(
                self.name,
                "BLK005",
                "not checked: black rewrites the candidate's text together with the text around it;"
                " the candidate's part cannot be told apart",
                details={"black": formatted},
            )
        if part == cand:
            return Verdict(
                self.name,
                True,
                "BLK002",
                "the text around the candidate is not black-formatted; the candidate itself is stable",
                details={"black": formatted},
            )
        return Verdict(
            self.name,
            True,
            "BLK002",
            "the text around the candidate is not black-formatted; candidate offered in black's formatting",
            replacement=part,
            details={"black": formatted, "original": cand},
        )


@validators.register("black")
def make_black_validator(ctx: StageContext) -> BlackValidator:  # pylint: disable=unused-argument
    """Factory for the registry."""
    return BlackValidator()
