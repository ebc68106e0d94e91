"""The editor's side of :class:`~editor.live.LiveSession`: prefetch on a move, redraw on an update.

* When the cursor settles on another line, the engine prefetches that line's context
  (a thread worker that returns at once: the work runs in the live session's thread).
* When the background changes the answer (a pending validator finished, the LLM's
  ranking arrived), the session calls the engine's ``on_update`` from its thread; the
  editor posts :class:`SuggestionsUpdated` to itself and, if the panel still shows the
  answer for the current text and cursor, redraws it from ``engine.current``.
"""

from __future__ import annotations

from typing import Any

from editor.tui.messages import SuggestionsUpdated


class LiveUpdates:
    """Mixin for :class:`~editor.tui.app.EditorApp` (uses its engine, code area, panel and anchor)."""

    engine: Any
    anchor: Any
    events: list

    def connect_live(self) -> None:
        self.engine.on_update = lambda: self.post_message(SuggestionsUpdated())  # type: ignore[attr-defined]
        self._prefetched_row: int | None = None

    def prefetch_here(self) -> None:
        """Called on cursor moves: prefetch once per line the cursor settles on."""
        row = self.edit_cursor()[0]  # type: ignore[attr-defined]
        if row == getattr(self, "_prefetched_row", None) or self.engine.live is None:
            return
        self._prefetched_row = row
        request = self.make_request(0, 1, False)  # type: ignore[attr-defined]
        if request is not None:
            self.engine.prefetch(request)

    def on_suggestions_updated(self, message: SuggestionsUpdated) -> None:
        self.events.append(message)
        if self.anchor is None or self.anchor != (self.edit_version(), self.edit_cursor()):  # type: ignore[attr-defined]
            return
        request = self.make_request(0, 1, False)  # type: ignore[attr-defined]
        result = self.engine.current(request) if request is not None else None
        if result is None:
            return
        keep = getattr(self.panel.current, "text", None)  # type: ignore[attr-defined]
        self.show_result(request, result)  # type: ignore[attr-defined]
        texts = [c.text for c in result.candidates]
        if keep in texts:  # the user's selection survives a redraw
            self.panel.selected = texts.index(keep)  # type: ignore[attr-defined]
            self.panel.redraw()  # type: ignore[attr-defined]
            self._ghost()  # type: ignore[attr-defined]
