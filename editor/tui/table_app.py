"""``gfv edit TABLE.csv``: a DataTable view of a CSV/TSV table with validated, ranked suggestions.

The code editor (:class:`~editor.tui.app.EditorApp`) with a grid in place of the code
area: the same workers and stale-result rule (a request carries the table version and
the grid cursor; a result for another is dropped), candidate panel, trace screen,
choice log, journal, recovery, quit confirmation and refusal to overwrite a file changed
on disk.  Ctrl+Space fills the selected cell, Ctrl+N proposes a new row (a count typed
first, ``3`` Ctrl+N, proposes that many rows as one block: :mod:`editor.tui.table_rows`); Enter edits a
cell by hand, after which the table validators re-run on that row and its verdicts show
as the row's badge (✓/✗ by the row number) and in the status bar.  Saving goes through
:meth:`TableDocument.save`, which rewrites only the changed records and keeps the
dialect, quoting and line endings.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable

from editor.candidates import Verdict
from editor.files import LoadedFile
from editor.history import EditHistory
from editor.tables.csvdoc import TableDocument
from editor.tui.app import EditorApp
from editor.tui.engine import TuiSettings
from editor.tui.messages import EngineReady
from editor.tui.screens import PromptScreen
from editor.tui.table_engine import TableEngine, TableRequest
from editor.tui.table_rows import RowBlockMixin
from editor.tui.widgets import CandidatePanel, KeyHook, StatusBar, one_line


class TableGrid(KeyHook, DataTable):  # pylint: disable=too-many-ancestors
    """The table; the app claims keys first (Tab, arrows, Esc while candidates are shown)."""

    def __init__(self, *args: Any, key_hook: Any = None, **kwargs: Any) -> None:
        self.key_hook = key_hook
        super().__init__(*args, **kwargs)


class RowValidated(Message):
    """The table validators judged row ``index`` of table version ``version``."""

    def __init__(self, version: int, index: int, row: list[str], verdicts: list[Verdict]) -> None:
        super().__init__()
        self.version, self.index, self.row, self.verdicts = version, index, row, verdicts


class TableApp(RowBlockMixin, EditorApp):  # pylint: disable=too-many-public-methods,too-many-ancestors
    """See module docstring."""

    TITLE = "gfv edit (table)"
    CSS = """
    #grid { height: 1fr; }
    #candidates { text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("ctrl+n", "suggest_row", "Propose a row", priority=True),
        Binding("ctrl+g", "goto_line", "Go to row"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo"),
    ]

    def __init__(
        self, document: TableDocument, engine: TableEngine, settings: TuiSettings | None = None, **kwargs: Any
    ) -> None:
        self.doc = document
        self.version = 0
        self.verdicts: dict[int, list[Verdict]] = {}  # row index -> verdicts of the last check
        self.shown: TableRequest | None = None  # the request the panel shows candidates for
        self._row_mode = False
        self.history: EditHistory[TableDocument] = EditHistory()
        loaded = LoadedFile(document.path, document.text(), document.dialect.newline, document.stamp)
        super().__init__(loaded, engine, settings, **kwargs)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TableGrid(id="grid", cursor_type="cell", zebra_stripes=True, key_hook=self._editor_key)
        yield CandidatePanel(id="candidates")
        yield StatusBar(id="status")

    @property
    def grid(self) -> TableGrid:
        return self.query_one(TableGrid)

    def on_mount(self, event: events.Mount) -> None:  # pylint: disable=arguments-differ
        event.prevent_default()  # Textual would run EditorApp.on_mount too (handlers follow the MRO)
        self.populate()
        self.grid.focus()
        self.update_status()
        self.set_interval(self.settings.journal_interval_s, self.journal_tick)
        if self.warm_up:
            self.run_worker(self._warm, thread=True, group="load", exit_on_error=False)
        for note in self.engine.table.notes:
            self.notify(note, timeout=6)
        self.offer_recovery()

    def _warm(self) -> None:
        """Build the pipeline (load the model) and the validators, off the UI thread."""
        self.engine.load()
        self.post_message(EngineReady(self.engine.status))
        if self.doc.rows:
            self.engine.validate_row(self.doc, 0)

    def populate(self, cursor: tuple[int, int] | None = None) -> None:
        grid = self.grid
        cursor = cursor or (grid.cursor_row, grid.cursor_column)
        grid.clear(columns=True)
        for name in self.doc.header:
            grid.add_column(name, key=name)
        for i, row in enumerate(self.doc.rows):
            grid.add_row(*row, key=str(i), label=self._label(i))
        grid.move_cursor(row=cursor[0], column=cursor[1])

    def _label(self, index: int) -> Text:
        verdicts = self.verdicts.get(index)
        mark = " " if verdicts is None else "✓" if all(v.ok for v in verdicts) else "✗"
        style = "" if verdicts is None else "green" if mark == "✓" else "bold red"
        return Text.assemble(f"{index + 1:>4} ", (mark, style))

    def update_status(self) -> None:
        row, col = self.edit_cursor()
        latency = f"last {self.last_latency_ms:.0f} ms" if self.last_latency_ms is not None else "last —"
        header = self.doc.header
        self.query_one(StatusBar).set_fields(
            file=f"{self.loaded.path.name}{' [+]' if self.dirty else ''}",
            pos=f"row {row + 1}/{len(self.doc.rows)}, {header[col] if col < len(header) else '?'}",
            row=self.row_summary(row),
            model=self.engine.status,
            latency=latency + (" ⋯" if self.busy else ""),
            help=self.count_hint() or "^␣ cell · ^N row · ⏎ edit · ^P commands",
        )

    def row_summary(self, index: int) -> str:
        verdicts = self.verdicts.get(index)
        if verdicts is None:
            return ""
        failed = [v for v in verdicts if not v.ok]
        if not failed:
            return "row ✓ " + " ".join(sorted({v.validator for v in verdicts}))
        return "row ✗ " + one_line("; ".join(f"{v.code} {v.message}" for v in failed), 60)

    # -- the table as the file (hooks of FileActions) -----------------------------------------

    def current_text(self) -> str:
        return self.doc.text()

    def edit_version(self) -> int:
        return self.version

    def edit_cursor(self) -> tuple[int, int]:
        if not self.is_mounted:
            return (0, 0)
        grid = self.grid
        return (grid.cursor_row, grid.cursor_column)

    def write_file(self, text: str) -> Any:
        del text  # the document renders itself: unchanged records byte-for-byte
        return self.doc.save(self.loaded.path)

    def restore_text(self, text: str, cursor: tuple[int, int]) -> None:
        document = TableDocument.parse(text, self.loaded.path)
        document.stamp, document.bom = self.doc.stamp, self.doc.bom
        self.history.clear()
        self.set_document(document)
        self.verdicts.clear()
        self.populate(cursor)

    def action_reload(self) -> None:
        try:
            document = TableDocument.load(self.loaded.path)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.notify(f"cannot reload: {getattr(exc, 'message', exc)}", severity="error")
            return
        self.saved_text, self.stamp = (
            document.text(),
            document.stamp,
        )  # pylint: disable=attribute-defined-outside-init
        self.history.clear()
        self.set_document(document)
        self.verdicts.clear()
        self.populate()
        self.journal.clear()

    def set_document(self, document: TableDocument) -> None:
        """Every change of the table goes through here (it bumps the version: results go stale)."""
        self.doc = document
        self.version += 1
        self.clear_candidates()
        self.update_dirty()
        self.update_status()

    # -- suggestions --------------------------------------------------------------------------

    def make_request(self, request_id: int, k: int, manual: bool) -> TableRequest | None:
        row, col = self.edit_cursor()
        whole_row = self._row_mode
        if not whole_row and not self.doc.rows:
            self.notify("the table has no rows yet: Ctrl+N proposes one", timeout=3)
            return None
        return TableRequest(
            request_id,
            self.version,
            (row, col),
            "",
            k,
            manual,
            document=self.doc,
            row=len(self.doc.rows) if whole_row else row,
            column=None if whole_row else self.doc.header[col],
            rows=self.block_rows if whole_row else 1,
        )

    def action_suggest(self) -> None:
        self._row_mode = False
        self.request_suggestions(manual=True)

    def show_result(self, request: Any, result: Any) -> None:
        current = request.document.rows[request.row][self.doc.index(request.column)] if request.column else ""
        where = f"row {request.row + 1}" + (f", {request.column}" if request.column else " (new)")
        where = f"a block of {request.rows} new rows" if request.rows > 1 else where
        note = f"no valid candidate for {where}" if not result.candidates else ""
        self.shown = request
        self.panel.show(list(result.candidates), list(result.rejected), current, note)

    def clear_candidates(self) -> None:
        self.anchor = None
        if self.panel.candidates or self.panel.note:
            self.panel.clear()

    def _ghost(self) -> None:
        """No inline preview in the grid: the panel's selected row is the preview."""

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        del event
        if self.anchor is not None and self.anchor[1] != self.edit_cursor():
            self.clear_candidates()
        self.update_status()

    def apply_row(self, index: int, values: list[str], cursor: tuple[int, int]) -> None:
        """Put ``values`` in row ``index`` (appending when it is one past the end) and re-check it."""
        self.history.record(self.doc, self.edit_cursor())
        self.show_document(self.doc.with_row(values, None if index == len(self.doc.rows) else index), cursor)

    def show_document(self, document: TableDocument, cursor: tuple[int, int]) -> None:
        """Make ``document`` current and bring the grid up to date with as little redrawing as it takes.

        Rows that differ are updated in place (and re-checked); rows gained or lost at the
        end are added or removed; anything else (a row in the middle inserted or removed)
        rebuilds the grid.
        """
        before = self.doc.rows
        self.set_document(document)
        rows, grid = document.rows, self.grid
        if rows[: len(before)] != before[: len(rows)] and len(rows) != len(before):
            self.verdicts.clear()
            self.populate(cursor)
            return
        changed = [i for i in range(min(len(rows), len(before))) if rows[i] != before[i]]
        for i in range(len(rows), len(before)):  # rows lost at the end
            self.verdicts.pop(i, None)
            grid.remove_row(str(i))
        for i in changed:
            self.verdicts.pop(i, None)
            for name, value in zip(document.header, rows[i]):
                grid.update_cell(str(i), name, value, update_width=True)
        for i in range(len(before), len(rows)):  # rows gained at the end
            grid.add_row(*rows[i], key=str(i), label=self._label(i))
        grid.move_cursor(row=min(cursor[0], max(len(rows) - 1, 0)), column=cursor[1])
        for i in [*changed, *range(len(before), len(rows))]:
            self.revalidate(i)

    def action_undo(self) -> None:
        self._step(self.history.undo, "nothing to undo")

    def action_redo(self) -> None:
        self._step(self.history.redo, "nothing to redo")

    def _step(self, move: Any, empty: str) -> None:
        state = move(self.doc, self.edit_cursor())
        if state is None:
            self.notify(empty, timeout=2)
            return
        document, cursor = state
        self.show_document(document, cursor)

    # -- hand edits and row verdicts ------------------------------------------------------------

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: edit it in a one-line prompt."""
        event.stop()
        row, col = event.coordinate.row, event.coordinate.column
        column = self.doc.header[col]

        def answered(value: str | None) -> None:
            if value is None or value == self.doc.rows[row][col]:
                return
            values = list(self.doc.rows[row])
            values[col] = value
            self.apply_row(row, values, (row, col))

        self.push_screen(PromptScreen(f"row {row + 1}, {column}:", self.doc.rows[row][col]), answered)

    def revalidate(self, index: int) -> None:
        document, version = self.doc, self.version

        def check() -> None:
            verdicts = self.engine.validate_row(document, index)
            self.post_message(RowValidated(version, index, list(document.rows[index]), verdicts))

        self.run_worker(check, thread=True, group=f"validate-{index}", exclusive=True, exit_on_error=False)

    def on_row_validated(self, message: RowValidated) -> None:
        self.events.append(message)
        index = message.index
        if index >= len(self.doc.rows) or self.doc.rows[index] != message.row:
            return  # the row changed again since: a newer check is on its way
        self.verdicts[index] = message.verdicts
        grid, key = self.grid, str(index)
        grid.rows[key].label = self._label(index)  # type: ignore[index]
        grid.update_cell(key, self.doc.header[0], self.doc.rows[index][0])  # redraws the row and its label
        self.update_status()

    # -- navigation and palette -----------------------------------------------------------------

    def action_find_next(self) -> None:
        term, (row, col) = self.search_term, self.edit_cursor()
        if not term:
            self.action_find()
            return
        width = len(self.doc.header)
        cells = [(r, c) for r in range(len(self.doc.rows)) for c in range(width)]
        start = row * width + col + 1
        for r, c in cells[start:] + cells[:start]:
            if term in self.doc.rows[r][c]:
                self.grid.move_cursor(row=r, column=c)
                return
        self.notify(f"not found: {term}", severity="warning", timeout=3)

    def action_goto_line(self) -> None:
        def answered(value: str | None) -> None:
            if value and value.strip().isdigit():
                self.grid.move_cursor(row=max(0, min(int(value) - 1, len(self.doc.rows) - 1)))

        self.push_screen(PromptScreen("Go to row:"), answered)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = [
            ("Fill cell", "Candidates for the selected cell (Ctrl+Space)", self.action_suggest),
            ("Propose a row", "Candidates for a new last row (Ctrl+N)", self.action_suggest_row),
            (
                "Propose rows…",
                "The next N rows as one block (a count, then Ctrl+N)",
                self.action_suggest_rows,
            ),
            ("Accept candidate", "Put the selected candidate in the table (Tab)", self.action_accept),
            ("Dismiss candidates", "Hide the candidates (Esc)", self.action_dismiss),
            ("Toggle rejected candidates", "Why candidates were rejected (F4)", self.action_toggle_rejected),
            ("Candidate trace", "The selected candidate's trace (F2)", self.action_show_trace),
            ("Save", "Save atomically (Ctrl+S)", self.action_save),
            ("Save anyway", "Overwrite the file even if it changed on disk", partial(self.action_save, True)),
            ("Reload from disk", "Discard the edits and reload the file", self.action_reload),
            ("Find", "Search the cells (Ctrl+F; F3 finds the next)", self.action_find),
            ("Go to row", "Move the cursor to a row (Ctrl+G)", self.action_goto_line),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
        yield from super(EditorApp, self).get_system_commands(screen)  # Textual's own, not the code editor's
