"""The one data model that flows from a generator to the screen and to JSON.

A :class:`Candidate` is a piece of text proposed for a :class:`~editor.document.Slot`.
It carries its trace: where it came from (``source`` and ``origin``), every score
a stage gave it (``scores``) and every validator's :class:`Verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Verdict:
    """One validator's judgement of one candidate.

    ``code`` is stable across releases (documented in README); ``message`` is for
    humans.  ``replacement`` lets a validator offer the candidate in a canonical
    form (black does this); the pipeline applies it and records the original.
    ``repairs`` lets a failing validator offer corrected candidates; the pipeline
    validates each like any other candidate.
    ``details`` carries failure cases (failing cells, counterexamples, lines), and
    ``details["cuts"]``: the repairs that keep only a part of what the generator proposed
    (its confidence in the whole does not carry over: editor/validation.py).
    """

    validator: str
    ok: bool
    code: str
    message: str
    line: int | None = None
    col: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    replacement: str | None = None
    # Corrected candidates a failing validator offers: (repaired text, what was fixed).
    repairs: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def not_checked(cls, validator: str, code: str, message: str, **kw: Any) -> "Verdict":
        """A validator that could not analyse the document: never a pass (``ok=False``).

        ``details["not_checked"]`` marks it, so the pipeline rejects the candidate with
        the reason instead of showing it (docs/verdict-codes.md, "Not checked").
        """
        details = {**kw.pop("details", {}), "not_checked": True}
        return cls(validator, False, code, message, details=details, **kw)

    @property
    def checked(self) -> bool:
        """False when the validator could not judge (see :meth:`not_checked`)."""
        return not self.details.get("not_checked", False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "validator": self.validator,
            "ok": self.ok,
            "code": self.code,
            "message": self.message,
        }
        if self.line is not None:
            out["line"] = self.line
        if self.col is not None:
            out["col"] = self.col
        if self.details:
            out["details"] = self.details
        if self.repairs:
            out["repairs"] = [{"text": text, "repair": what} for text, what in self.repairs]
        if not self.checked:
            out["not_checked"] = True
        return out


@dataclass
class Candidate:
    """Text to insert at the slot's cursor, with its full trace."""

    text: str
    source: str
    kind: str = "line"
    scores: dict[str, float] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)
    origin: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no validator that ran rejected the candidate."""
        return all(v.ok for v in self.verdicts)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "kind": self.kind,
            "scores": {
                "ngram": self.scores.get("ngram"),
                "llm": self.scores.get("llm"),
                "final": self.scores.get("final"),
                **{k: v for k, v in self.scores.items() if k not in ("ngram", "llm", "final")},
            },
            "verdicts": [v.to_json() for v in self.verdicts],
            "origin": self.origin,
        }


def merge_duplicates(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per text: the best cheap score wins, other sources are recorded."""
    best: dict[str, Candidate] = {}
    for cand in candidates:
        kept = best.get(cand.text)
        if kept is None:
            best[cand.text] = cand
            continue
        winner, loser = (
            (cand, kept)
            if cand.scores.get("ngram", float("-inf")) > kept.scores.get("ngram", float("-inf"))
            else (kept, cand)
        )
        also = winner.origin.setdefault("also_from", [])
        also.append(loser.source)
        also.extend(loser.origin.get("also_from", []))
        best[cand.text] = winner
    return list(best.values())
