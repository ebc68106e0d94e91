"""Messages the editor posts to itself (tests assert on them through ``EditorApp.events``)."""

from __future__ import annotations

from textual.message import Message

from editor.candidates import Candidate
from editor.pipeline import SuggestResult
from editor.tui.engine import Request


class SuggestionsReady(Message):
    """A worker finished a request (it may be stale by the time it is handled)."""

    def __init__(self, request: Request, result: SuggestResult, final: bool = True) -> None:
        super().__init__()
        self.request, self.result = request, result
        self.final = final  # False: an early answer (a table's cheap stage); the ranked one follows


class SuggestionsDropped(Message):
    """A result was not shown: ``reason`` is ``stale`` (text or cursor changed) or ``superseded``."""

    def __init__(self, request: Request, reason: str) -> None:
        super().__init__()
        self.request, self.reason = request, reason


class SuggestionFailed(Message):
    def __init__(self, request: Request, error: str) -> None:
        super().__init__()
        self.request, self.error = request, error


class EngineReady(Message):
    """The pipeline was built (model loaded or fallen back); ``status`` says which."""

    def __init__(self, status: str) -> None:
        super().__init__()
        self.status = status


class CandidateAccepted(Message):
    def __init__(self, candidate: Candidate, inserted: str, whole: bool) -> None:
        super().__init__()
        self.candidate, self.inserted, self.whole = candidate, inserted, whole


class SuggestionsUpdated(Message):
    """The live session's background changed the answer (pylint done, or the LLM's ranking arrived)."""
