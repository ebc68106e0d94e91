"""The three stage protocols and their registries.

Adding a stage implementation means one file in ``editor/generators/``,
``validators/`` or ``editor/ranking/`` and one ``@<registry>.register(name)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol, Sequence, runtime_checkable

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.registry import Registry, import_submodules


@dataclass
class StageContext:
    """What a stage may need besides the slot: config and shared resources."""

    config: Any  # editor.config.Config
    resources: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # one-time messages for the user

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


@runtime_checkable
class Generator(Protocol):
    """Proposes candidates for a slot. Each carries its source and cheap score."""

    name: str

    def generate(self, slot: Slot, limit: int) -> Iterable[Candidate]: ...


@runtime_checkable
class Validator(Protocol):
    """Judges candidates. ``cost`` is "cheap" (before ranking) or "expensive" (after).

    ``validate`` returns, for each candidate in order, the list of its verdicts.
    Every verdict has a stable ``code``; a passing one too (e.g. ``SYN000``).
    """

    name: str
    cost: str

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]: ...


def judged(validator: Validator, slot: Slot, cands: list[Candidate]) -> list[list[Verdict]]:
    """``validator``'s verdicts on ``cands``; if it crashed, or did not give one verdict list per
    candidate, every candidate is not checked (``GFV011``): a validator that could not judge never
    passes.  (An empty list is a validator's "nothing to say here", as a table validator's on code.)"""
    try:
        out = validator.validate(slot, cands)
        if len(out) == len(cands):
            return out
        why = f"it gave {len(out)} verdict lists for {len(cands)} candidates"
    except Exception as exc:  # pylint: disable=broad-except  # a validator's bug must not break the editor
        why = f"it crashed: {type(exc).__name__}: {exc}"
    return [[Verdict.not_checked(validator.name, "GFV011", f"not checked: {why}")] for _ in cands]


@runtime_checkable
class Ranker(Protocol):
    """Scores candidates in context; higher is better. Returns one float per candidate."""

    name: str

    def score(self, slot: Slot, candidates: Sequence[Candidate]) -> list[float]: ...


# Each registry maps a name to a factory ``f(context: StageContext) -> stage``.
generators: Registry = Registry("generator")
validators: Registry = Registry("validator")
rankers: Registry = Registry("ranker")

_LOADED = False


def load_builtin_stages() -> None:
    """Import the built-in stage packages so their registrations run."""
    global _LOADED  # pylint: disable=global-statement
    if _LOADED:
        return
    import_submodules("editor.generators")
    import_submodules("validators")
    import_submodules("editor.ranking")
    _LOADED = True
