"""``gfv edit``: a Textual editor where the human picks from validated, ranked candidates.

Suggestions run in a thread worker (group ``suggest``, exclusive), never on the UI
thread.  Every request is tagged with the code area's ``version`` (bumped
synchronously on each edit) and the cursor; a result for another version or cursor
is dropped (``SuggestionsDropped(reason="stale")``) and never shown.  The ghost
preview is TextArea's ``suggestion``, drawn inline at the cursor.  File safety
(atomic save, journal, recovery, refusing a file changed on disk) lives in
:mod:`editor.tui.file_actions`.
"""

from __future__ import annotations

import dataclasses
import re
from functools import partial
from typing import Any, Iterable

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from editor.choices import ChoiceLog
from editor.files import LoadedFile
from editor.journal import Journal
from editor.tui.engine import Request, SuggestionEngine, TuiSettings
from editor.tui.file_actions import FileActions
from editor.tui.live_updates import LiveUpdates
from editor.tui.palette import palette_commands
from editor.tui.messages import (
    CandidateAccepted,
    EngineReady,
    SuggestionFailed,
    SuggestionsDropped,
    SuggestionsReady,
)
from editor.tui.screens import TraceScreen
from editor.tui.widgets import CandidatePanel, CodeArea, StatusBar

_WORD_RE = re.compile(r"\s*(\w+|[^\w\s]+)", re.S)


def next_word(text: str) -> str:
    """The first word of ``text`` with its leading whitespace (Ctrl+Right accepts this much)."""
    m = _WORD_RE.match(text)
    return m.group(0) if m else text


class EditorApp(LiveUpdates, FileActions, App):
    """The editor (see module docstring)."""

    TITLE = "gfv edit"
    CSS = """
    #code { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("ctrl+space,ctrl+@", "suggest", "Suggest", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+f", "find", "Find"),
        Binding("f3", "find_next", "Find next"),
        Binding("ctrl+g", "goto_line", "Go to line"),
        Binding("f2", "show_trace", "Candidate trace"),
        Binding("f4", "toggle_rejected", "Show rejected"),
    ]

    def __init__(
        self,
        loaded: LoadedFile,
        engine: SuggestionEngine,
        settings: TuiSettings | None = None,
        journal: Journal | None = None,
        choice_log: ChoiceLog | None = None,
        warm_up: bool = True,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.engine = engine
        self.settings = settings or TuiSettings()
        self.journal = journal or Journal(loaded.path)
        self.choice_log = choice_log or ChoiceLog()
        self.warm_up = warm_up
        self.events: list[Message] = []  # the editor's own messages, in order (tests read this)
        self.latest: Request | None = None
        self.anchor: tuple[int, tuple[int, int]] | None = None  # (version, cursor) the panel is for
        self.last_latency_ms: float | None = None
        self.busy = False
        self._next_id = 0
        self._debounce: Any = None
        self.init_file_state()

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        code = CodeArea(
            self.loaded.text,
            language="python",
            theme="monokai",
            soft_wrap=False,
            tab_behavior="indent",
            show_line_numbers=True,
            id="code",
            key_hook=self._editor_key,
        )
        code.cursor_blink = False
        yield code
        yield CandidatePanel(id="candidates")
        yield StatusBar(id="status")

    @property
    def code(self) -> CodeArea:
        return self.query_one(CodeArea)

    @property
    def panel(self) -> CandidatePanel:
        return self.query_one(CandidatePanel)

    def on_mount(self) -> None:
        self.connect_live()
        self.code.focus()
        self.update_status()
        self.set_interval(self.settings.journal_interval_s, self.journal_tick)
        if self.warm_up:
            self.run_worker(self._warm, thread=True, group="load", exit_on_error=False)
        self.offer_recovery()

    def _warm(self) -> None:
        """Load the model, then prime llama.cpp (first decode, KV cache) with an unseen request."""
        self.engine.load()
        self.post_message(EngineReady(self.engine.status))
        code = self.code
        prime = Request(0, code.version, tuple(code.cursor_location), code.text, 1)
        try:
            self.engine.suggest(prime, is_stale=lambda: self.latest is not None)
        except Exception:  # pylint: disable=broad-exception-caught
            pass  # a real request will report the problem

    def update_status(self) -> None:
        row, col = self.code.cursor_location
        latency = f"last {self.last_latency_ms:.0f} ms" if self.last_latency_ms is not None else "last —"
        self.query_one(StatusBar).set_fields(
            file=f"{self.loaded.path.name}{' [+]' if self.dirty else ''}",
            pos=f"Ln {row + 1}, Col {col + 1}",
            model=self.engine.status,
            latency=latency + (" ⋯" if self.busy else ""),
            validators="validators: " + (" ".join(self.engine.validators_on) or "none"),
            help="^P commands",
        )

    # -- requests and results ---------------------------------------------------------------

    def is_stale(self, request: Request) -> bool:
        return request.version != self.edit_version() or tuple(request.cursor) != self.edit_cursor()

    def make_request(self, request_id: int, k: int, manual: bool) -> Request:
        """Hook: the request for the current text and cursor (the table view asks for table slots)."""
        code = self.code
        return Request(request_id, code.version, tuple(code.cursor_location), code.text, k, manual)

    def request_suggestions(self, manual: bool = False) -> Request | None:
        self._next_id += 1
        request = self.make_request(self._next_id, self.settings.k or self.engine.config.k, manual)
        if request is None:
            return None
        self.latest = request
        self.busy = True
        self.update_status()
        self.run_worker(
            partial(self._suggest_in_worker, request),
            thread=True,
            exclusive=True,
            group="suggest",
            name=f"suggest-{request.id}",
            exit_on_error=False,
        )
        return request

    def _suggest_in_worker(self, request: Request) -> None:
        worker = get_current_worker()

        def superseded() -> bool:
            return worker.is_cancelled or self.latest is not request or self.is_stale(request)

        def early(result: Any) -> None:
            if not superseded():
                self.post_message(SuggestionsReady(request, result, final=False))

        try:
            result = self.engine.suggest(request, is_stale=superseded, early=early)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.post_message(SuggestionFailed(request, f"{type(exc).__name__}: {exc}"))
            return
        if result is None:
            self.post_message(SuggestionsDropped(request, "superseded"))
        else:
            self.post_message(SuggestionsReady(request, result))

    def on_suggestions_ready(self, message: SuggestionsReady) -> None:
        self.events.append(message)
        request, result = message.request, message.result
        if self.latest is request and message.final:
            self.busy = False
        if self.is_stale(request):
            self.post_message(SuggestionsDropped(request, "stale"))
            self.update_status()
            return
        self.last_latency_ms = result.timings_ms.get("total")
        self.anchor = (request.version, tuple(request.cursor))
        self.show_result(request, result)
        self.update_status()

    def show_result(self, request: Request, result: Any) -> None:
        """Hook: put a fresh result on screen (the panel and the ghost at the cursor)."""
        row, col = request.cursor
        typed = self.code.document.get_line(row)[:col]
        note = "no valid candidate" if not result.candidates else ""
        self.panel.show(list(result.candidates), list(result.rejected), typed, note)
        self._ghost()

    def on_suggestions_dropped(self, message: SuggestionsDropped) -> None:
        self.events.append(message)
        if self.latest is message.request:
            self.busy = False
            self.update_status()

    def on_suggestion_failed(self, message: SuggestionFailed) -> None:
        self.events.append(message)
        self.busy = False
        self.notify(f"suggestions failed: {message.error}", severity="error", timeout=6)
        self.update_status()

    def on_engine_ready(self, message: EngineReady) -> None:
        self.events.append(message)
        self.update_status()

    # -- edits and cursor moves -------------------------------------------------------------

    def on_text_area_changed(self, event: CodeArea.Changed) -> None:
        del event
        code = self.code
        self.update_dirty()
        if self.anchor != (code.version, tuple(code.cursor_location)):
            self.clear_candidates()
            self._schedule()
        self.update_status()

    def on_text_area_selection_changed(self, event: CodeArea.SelectionChanged) -> None:
        del event
        if self.anchor is not None and self.anchor[1] != tuple(self.code.cursor_location):
            self.clear_candidates()
        self.prefetch_here()
        self.update_status()

    def _schedule(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if self.settings.debounce_ms > 0:
            self._debounce = self.set_timer(self.settings.debounce_ms / 1000, self.request_suggestions)

    def clear_candidates(self) -> None:
        self.anchor = None
        if self.panel.candidates or self.panel.note or self.code.suggestion:
            self.panel.clear()
            self.code.suggestion = ""

    def _ghost(self) -> None:
        current = self.panel.current
        self.code.set_ghost(current.text if current else "")

    # -- candidate keys ---------------------------------------------------------------------

    def _editor_key(self, key: str) -> bool:
        """Keys the candidate panel takes while it shows candidates (see CodeArea.key_hook)."""
        if not self.panel.candidates or self.anchor is None:
            if key == "escape" and self.panel.note:
                self.clear_candidates()
                return True
            return False
        actions = {
            "tab": lambda: self.action_accept(True),
            "ctrl+right": lambda: self.action_accept(False),
            "ctrl+down": lambda: self.action_accept(False, line=True),
            "down": lambda: self.action_cycle(1),
            "alt+right_square_bracket": lambda: self.action_cycle(1),
            "up": lambda: self.action_cycle(-1),
            "alt+left_square_bracket": lambda: self.action_cycle(-1),
            "escape": self.action_dismiss,
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        return True

    def action_suggest(self) -> None:
        self.request_suggestions(manual=True)

    def action_cycle(self, step: int) -> None:
        self.panel.cycle(step)
        self._ghost()

    def action_accept(self, whole: bool = True, line: bool = False) -> None:
        """Insert the selected candidate, or its next word, or (``line``) its next line of a block."""
        cand = self.panel.current
        if cand is None or self.anchor is None:
            return
        code = self.code
        row, col = code.cursor_location
        typed = code.document.get_line(row)[:col]
        text = cand.text if whole else next_word(cand.text)
        if line:
            text = cand.text.split("\n", 1)[0] + "\n" if "\n" in cand.text else cand.text
            whole = text == cand.text
        rank, shown = self.panel.selected, len(self.panel.candidates)
        code.suggestion = ""
        code.insert(text, location=(row, col))
        self.choice_log.record(
            "accept" if whole else ("accept_line" if line else "accept_word"),
            cand,
            file=str(self.loaded.path),
            line=row + 1,
            col=col + 1,
            typed=typed,
            inserted=text,
            rank=rank,
            shown=shown,
        )
        if whole:
            self.engine.session.remember(code.document.get_line(row))
            self.clear_candidates()
        else:
            rest = [
                dataclasses.replace(c, text=c.text[len(text) :], origin={**c.origin, "accepted": text})
                for c in self.panel.candidates
                if c.text.startswith(text) and len(c.text) > len(text)
            ]
            if rest:
                self.anchor = (code.version, tuple(code.cursor_location))
                self.panel.show(rest, self.panel.rejected, (typed + text).rsplit("\n", 1)[-1])
                self._ghost()
            else:
                self.clear_candidates()
        self.post_message(CandidateAccepted(cand, text, whole))

    def on_candidate_accepted(self, message: CandidateAccepted) -> None:
        self.events.append(message)

    def action_dismiss(self) -> None:
        shown = self.panel.candidates
        if shown:
            row, col = self.edit_cursor()
            self.choice_log.record(
                "dismiss",
                None,
                file=str(self.loaded.path),
                line=row + 1,
                col=col + 1,
                candidates=[{"text": c.text, "source": c.source, "scores": c.scores} for c in shown],
            )
        self.clear_candidates()

    def action_toggle_rejected(self) -> None:
        self.panel.show_rejected = not self.panel.show_rejected
        self.panel.redraw()

    def action_show_trace(self) -> None:
        cand = self.panel.current
        if cand is None:
            self.notify("no candidate selected (Ctrl+Space asks for suggestions)", timeout=3)
            return
        self.push_screen(TraceScreen(cand, self.panel.typed))

    # -- command palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, callback in palette_commands(self):
            yield SystemCommand(title, help_text, callback)
