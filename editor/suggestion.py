"""What the pipeline answers (:class:`SuggestResult`) and the cheap stage it resumes (:class:`CheapStage`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from editor.candidates import Candidate
from editor.document import Slot


@dataclass
class SuggestResult:
    candidates: list[Candidate]
    rejected: list[Candidate]
    timings_ms: dict[str, float]
    model: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)
    work: dict[str, Any] = field(default_factory=dict)
    unshown: list[Candidate] = field(default_factory=list)  # valid so far (pre-rank), not shown
    stage: "CheapStage | None" = field(default=None, repr=False)  # quick(): the cheap stage to resume

    @property
    def valid_texts(self) -> list[str]:
        """Every candidate that passed the validators that ran on it, shown or not."""
        return [c.text for c in self.candidates] + [c.text for c in self.unshown]

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": [c.to_json() for c in self.candidates],
            "rejected": [c.to_json() for c in self.rejected],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "model": self.model,
            "notes": self.notes,
            "work": self.work,
        }


@dataclass
class CheapStage:
    """The cheap stage of one slot: its candidates in cheap order, validated lazily (``judged``)."""

    slot: Slot
    cands: list[Candidate]
    timings: dict[str, float]
    start: float
    judged: set[int] = field(default_factory=set)  # ids of candidates the pre-rank validators ran on
