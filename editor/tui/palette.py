"""The code editor's command palette entries: (title, help, callback), with their keys."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable


def palette_commands(app: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """The editor's commands for Textual's command palette (Ctrl+P)."""
    return [
        ("Suggest", "Ask for candidates at the cursor (Ctrl+Space)", app.action_suggest),
        ("Accept candidate", "Insert the selected candidate (Tab)", partial(app.action_accept, True)),
        (
            "Accept one word",
            "Insert the next word of the selected candidate (Ctrl+Right)",
            partial(app.action_accept, False),
        ),
        ("Accept one line", "Insert the next line of the selected block (Ctrl+Down)",
             partial(app.action_accept, False, True)),  # fmt: skip
        ("Next candidate", "Select the next candidate (Alt+] or Down)", partial(app.action_cycle, 1)),
        (
            "Previous candidate",
            "Select the previous candidate (Alt+[ or Up)",
            partial(app.action_cycle, -1),
        ),
        ("Dismiss candidates", "Hide the candidates (Esc)", app.action_dismiss),
        (
            "Toggle rejected candidates",
            "Show why candidates were rejected (F4)",
            app.action_toggle_rejected,
        ),
        (
            "Candidate trace",
            "Source, scores and verdicts of the selected candidate (F2)",
            app.action_show_trace,
        ),
        ("Save", "Save atomically (Ctrl+S)", app.action_save),
        ("Save anyway", "Overwrite the file even if it changed on disk", partial(app.action_save, True)),
        ("Reload from disk", "Discard the edits and reload the file", app.action_reload),
        ("Find", "Search the text (Ctrl+F; F3 finds the next)", app.action_find),
        ("Find next", "Next match of the last search (F3)", app.action_find_next),
        ("Go to line", "Move the cursor to a line (Ctrl+G)", app.action_goto_line),
        ("Undo", "Undo the last edit (Ctrl+Z)", app.code.action_undo),
        ("Redo", "Redo (Ctrl+Y)", app.code.action_redo),
        ("Quit", "Quit, asking first if there are unsaved changes (Ctrl+Q)", app.action_quit),
    ]
