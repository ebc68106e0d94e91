"""Never lose work: save, journal, recovery, quit confirmation, reload; plus find and go-to-line.

A mixin for :class:`editor.tui.app.EditorApp` (it uses ``self.code``, ``self.loaded``,
``self.journal``).  The file logic itself is headless (:mod:`editor.files`,
:mod:`editor.journal`).
"""

# pylint: disable=attribute-defined-outside-init,no-member  # a mixin for EditorApp (an App): see init_file_state()
from __future__ import annotations

import time
from typing import Any

from editor.files import atomic_write, changed_on_disk, read_for_edit
from editor.tui.screens import ChoiceScreen, PromptScreen


class FileActions:
    """Mixin; see module docstring."""

    loaded: Any
    journal: Any
    code: Any

    def init_file_state(self) -> None:
        self.saved_text: str = self.loaded.text
        self.stamp = self.loaded.stamp
        self.newline = self.loaded.newline
        self.dirty = False
        self._journaled_version: int | None = None
        self.search_term = ""
        self._quitting = False

    # Hooks (the table view overrides them): the text, its edit counter, the cursor, writing, restoring.
    def current_text(self) -> str:
        return self.code.text

    def edit_version(self) -> int:
        return self.code.version

    def edit_cursor(self) -> tuple[int, int]:
        return tuple(self.code.cursor_location)

    def write_file(self, text: str) -> Any:
        return atomic_write(self.loaded.path, text, self.newline, bom=self.loaded.bom)

    def restore_text(self, text: str, cursor: tuple[int, int]) -> None:
        self.code.load_text(text)
        row = min(cursor[0], self.code.document.line_count - 1)
        self.code.move_cursor((row, cursor[1]))

    def update_dirty(self) -> None:
        self.dirty = self.current_text() != self.saved_text

    # -- save -------------------------------------------------------------------------------

    def action_save(self, force: bool = False) -> bool:
        path = self.loaded.path
        if not force and changed_on_disk(path, self.stamp):
            self.notify(  # type: ignore[attr-defined]
                f"{path.name} changed on disk since gfv read it: not saved. Use the command palette (Ctrl+P): "
                "'Reload from disk' to take the disk version, or 'Save anyway' to overwrite it.",
                title="refused",
                severity="error",
                timeout=10,
            )
            return False
        text = self.current_text()
        try:
            self.stamp = self.write_file(text)
        except OSError as exc:
            self.notify(f"could not save {path}: {exc.strerror or exc}", severity="error", timeout=10)  # type: ignore
            return False
        self.saved_text = text
        self.dirty = False
        self.journal.clear()
        self._journaled_version = None
        self.notify(f"saved {path.name}", timeout=2)  # type: ignore[attr-defined]
        self.update_status()  # type: ignore[attr-defined]
        return True

    def action_reload(self) -> None:
        try:
            loaded = read_for_edit(self.loaded.path)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.notify(f"cannot reload: {getattr(exc, 'message', exc)}", severity="error")  # type: ignore
            return
        self.loaded = loaded
        self.saved_text, self.stamp, self.newline = loaded.text, loaded.stamp, loaded.newline
        self.code.load_text(loaded.text)
        self.journal.clear()
        self.update_dirty()

    # -- journal and recovery ---------------------------------------------------------------

    def journal_tick(self) -> None:
        """Every few seconds: journal unsaved edits (only when they changed since the last write)."""
        version = self.edit_version()
        if not self.dirty or version == self._journaled_version:
            return
        base = self.stamp.sha256 if self.stamp else None
        try:
            self.journal.write(self.current_text(), base, self.edit_cursor())
            self._journaled_version = version
        except OSError as exc:
            self.notify(f"cannot write the journal: {exc}", severity="warning")  # type: ignore[attr-defined]

    def offer_recovery(self) -> None:
        entry = self.journal.recoverable(self.loaded.text)
        if entry is None:
            return
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.saved_at))
        question = (
            f"Unsaved edits to {self.loaded.path.name} from {when} were found (gfv was killed or crashed)."
        )
        current = self.stamp.sha256 if self.stamp else None
        if entry.base_sha256 != current:
            question += " The file on disk has changed since those edits were made."
        question += " Recover them?"

        def answered(answer: str | None) -> None:
            if answer == "recover":
                self.restore_text(entry.text, entry.cursor)
                self.update_dirty()
                self.update_status()  # type: ignore[attr-defined]
                self.notify("recovered the unsaved edits; Ctrl+S saves them", timeout=4)  # type: ignore
            elif answer == "discard":
                self.journal.clear()

        self.push_screen(  # type: ignore[attr-defined]
            ChoiceScreen(question, [("r", "recover", "Recover"), ("d", "discard", "Discard them")]), answered
        )

    # -- quit -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        if self._quitting:
            return
        self.update_dirty()
        if not self.dirty:
            self.journal.clear()
            self.exit()  # type: ignore[attr-defined]
            return
        self._quitting = True

        def answered(answer: str | None) -> None:
            self._quitting = False
            if answer == "save" and self.action_save():
                self.exit()  # type: ignore[attr-defined]
            elif answer == "discard":
                self.journal.clear()
                self.exit()  # type: ignore[attr-defined]

        self.push_screen(  # type: ignore[attr-defined]
            ChoiceScreen(
                f"{self.loaded.path.name} has unsaved changes.",
                [
                    ("s", "save", "Save and quit"),
                    ("d", "discard", "Quit without saving"),
                    ("c", "cancel", "Cancel"),
                ],
            ),
            answered,
        )

    # -- find and go to line ----------------------------------------------------------------

    def action_find(self) -> None:
        def answered(term: str | None) -> None:
            if term:
                self.search_term = term
                self.action_find_next()

        self.push_screen(PromptScreen("Find:", self.search_term), answered)  # type: ignore[attr-defined]

    def action_find_next(self) -> None:
        term = self.search_term
        if not term:
            self.action_find()
            return
        doc = self.code.document
        text = self.code.text
        start = doc.get_index_from_location(self.code.cursor_location)
        index = text.find(term, start + 1)
        if index < 0:
            index = text.find(term)
        if index < 0:
            self.notify(f"not found: {term}", severity="warning", timeout=3)  # type: ignore[attr-defined]
            return
        self.code.move_cursor(doc.get_location_from_index(index))
        self.code.move_cursor(doc.get_location_from_index(index + len(term)), select=True)
        self.code.scroll_cursor_visible(center=True)

    def action_goto_line(self) -> None:
        def answered(value: str | None) -> None:
            if not value:
                return
            try:
                line = int(value.strip())
            except ValueError:
                self.notify(f"not a line number: {value}", severity="warning")  # type: ignore[attr-defined]
                return
            row = max(0, min(line - 1, self.code.document.line_count - 1))
            self.code.move_cursor((row, 0))
            self.code.scroll_cursor_visible(center=True)

        self.push_screen(PromptScreen("Go to line:"), answered)  # type: ignore[attr-defined]
