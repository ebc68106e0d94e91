"""What the live session shows: a place, and the rows of an answer that survive more typing.

A *place* is everything but what the user typed on the cursor's line (editor/live.py).
A row (:class:`Shown`) keeps the whole line its candidate makes, so that it can be shown
again, shortened, while the typed text agrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.candidates import Candidate
from editor.document import Slot

# What an answer's rows are, in the order they are shown: ranked by the whole pipeline, the
# model's draft before ranking (shown as soon as it is made), the quick answer (cheap, unranked).
PHASES = ("ranked", "draft", "quick")


def extends(line: str, typed: str) -> bool:
    """``line`` agrees with what was typed and has more to offer."""
    return line.startswith(typed) and len(line) > len(typed)


def place_of(slot: Slot) -> tuple:
    """Everything around the typed text of the cursor's line (see the module docstring)."""
    lines = slot.document.lines
    return (str(slot.document.path), slot.line, tuple(lines[: slot.line]), slot.after_cursor,
            tuple(lines[slot.line + 1 :]))  # fmt: skip


@dataclass
class Shown:
    """One candidate of an answer: the whole line it makes, so that it survives more typing."""

    line: str  # the typed text it was proposed for, plus its text
    cand: Candidate
    phase: str  # one of PHASES

    def text_after(self, typed: str) -> str:
        return self.line[len(typed) :]

    def agrees(self, typed: str) -> bool:
        return extends(self.line, typed)

    @property
    def proposed_for(self) -> str:
        """The typed text the candidate was proposed for (its text follows it)."""
        return self.line[: len(self.line) - len(self.cand.text)]

    @property
    def pending(self) -> list[str]:
        return list(self.cand.origin.get("pending", []))
