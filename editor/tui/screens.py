"""Modal screens: a question with keyed answers, a one-line prompt, a candidate's full trace."""

from __future__ import annotations

import json

from rich.text import Text

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from editor.candidates import Candidate

MODAL_CSS = """
ChoiceScreen, PromptScreen, TraceScreen { align: center middle; }
#dialog { width: 72; height: auto; max-height: 90%; border: thick $primary; background: $surface; padding: 1 2; }
#dialog Horizontal { height: auto; margin-top: 1; }
#dialog Button { margin-right: 1; }
#trace { height: auto; max-height: 30; }
"""


class ChoiceScreen(ModalScreen[str]):
    """Asks a question; each answer has a key (``("s", "Save and quit")``); Esc gives ``cancel``."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape", "choose('cancel')", "Cancel")]

    def __init__(self, question: str, answers: list[tuple[str, str, str]]) -> None:
        """``answers``: (key, result, label)."""
        super().__init__()
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.question), id="question")
            with Horizontal():
                for key, result, label in self.answers:
                    yield Button(Text(f"[{key}] {label}"), id=f"answer-{result}")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        for key, result, _ in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(result)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "answer-cancel").removeprefix("answer-"))

    def action_choose(self, result: str) -> None:
        self.dismiss(result)


class PromptScreen(ModalScreen[str | None]):
    """One line of input (search text, line number); Enter submits, Esc cancels (None)."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, value: str = "") -> None:
        super().__init__()
        self.label, self.value = label, value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.label))
            yield Input(value=self.value, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TraceScreen(ModalScreen[None]):
    """The full trace of one candidate: source, origin, every score and verdict (JSON)."""

    DEFAULT_CSS = MODAL_CSS
    BINDINGS = [Binding("escape,f2,q", "close", "Close")]

    def __init__(self, candidate: Candidate, typed: str) -> None:
        super().__init__()
        self.candidate, self.typed = candidate, typed

    def compose(self) -> ComposeResult:
        cand = self.candidate
        with Vertical(id="dialog"):
            yield Label(Text(f"candidate from {cand.source!r} — Esc closes"))
            with VerticalScroll(id="trace"):
                origins = cand.origin.get("line_origins")
                if origins:  # a retrieved block: where each of its lines came from
                    lines = (self.typed + cand.text).split("\n")
                    rows = [f"{where:>24} │ {text}" for where, text in zip(origins, lines)]
                    head = (
                        f"lines from {cand.origin.get('seen_in')}, function {cand.origin.get('function')!r}:"
                    )
                    yield Static(Text("\n".join([head, *rows, ""]), style="bold"))
                yield Static(
                    Text(json.dumps({"typed": self.typed, **cand.to_json()}, indent=2, ensure_ascii=False))
                )

    def action_close(self) -> None:
        self.dismiss(None)
