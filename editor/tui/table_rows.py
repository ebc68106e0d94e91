"""The table view's new rows: Ctrl+N with a count proposes a block, and accepting candidates.

A count typed before Ctrl+N (digits, as in vim: ``3`` then Ctrl+N) asks for the next that
many rows as one block (:mod:`editor.tables.row_block`); the palette's "Propose rows…"
asks for the count in a prompt.  The pending count shows in the status bar; Esc or any
other key drops it.  Accepting a block (Tab) appends all its rows as one step of the
undo history (Ctrl+Z takes the whole block back); Ctrl+↓ appends only its first row.
"""

# pylint: disable=no-member  # a mixin for TableApp (an EditorApp): panel, doc, notify... are the app's
from __future__ import annotations

from typing import Any

from editor.tables.block_check import parse_block
from editor.tables.csvdoc import TableDocument
from editor.tables.row_block import MAX_ROWS
from editor.tui.messages import CandidateAccepted
from editor.tui.screens import PromptScreen
from editor.tui.table_engine import TableRequest

DIGITS = frozenset("0123456789")


class RowBlockMixin:
    """Mixed into :class:`~editor.tui.table_app.TableApp` (see module docstring)."""

    panel: Any
    doc: TableDocument
    anchor: Any
    shown: Any
    _row_mode: bool
    count = ""  # digits typed before Ctrl+N
    block_rows = 1  # rows the request being made asks for (1: a single row)

    def _editor_key(self, key: str) -> bool:
        if self.panel.candidates and self.anchor is not None:
            return super()._editor_key(key)
        if key in DIGITS and (self.count or key != "0"):
            self.count = (self.count + key)[:3]
            self.update_status()
            return True
        if self.count:
            self.count = ""
            self.update_status()
            if key == "escape":
                return True
        return super()._editor_key(key)

    def count_hint(self) -> str:
        """The pending count, for the status bar ("" without one)."""
        return f"{self.count}^N: {self.count} rows" if self.count else ""

    def action_suggest_row(self) -> None:
        """Ctrl+N: a new last row, or (after a count) a block of that many new rows."""
        n, self.count = int(self.count or 1), ""
        self.propose_rows(n)

    def action_suggest_rows(self) -> None:
        """The palette's "Propose rows…": the count from a prompt."""

        def answered(value: str | None) -> None:
            if value is None:
                return
            if not value.strip().isdigit():
                self.notify(f"a count of rows (1-{MAX_ROWS}), not {value!r}", severity="error")
                return
            self.propose_rows(int(value))

        self.push_screen(PromptScreen(f"Propose how many rows (1-{MAX_ROWS})?", "3"), answered)

    def propose_rows(self, n: int) -> None:
        """Ask for the next ``n`` rows (a block when ``n`` > 1; 1 to ``MAX_ROWS``)."""
        if not 1 <= n <= MAX_ROWS:
            self.notify(f"a block has 1 to {MAX_ROWS} rows, not {n}", severity="error", timeout=3)
            self.update_status()
            return
        self._row_mode, self.block_rows = True, n
        try:
            self.request_suggestions(manual=True)
        finally:
            self._row_mode, self.block_rows = False, 1

    def action_accept(self, whole: bool = True, line: bool = False) -> None:
        """Tab: the selected candidate into the table (a block: all its rows, one undo step).

        Ctrl+↓ (``line``) on a block takes its first row only.
        """
        cand, request = self.panel.current, self.shown
        if cand is None or self.anchor is None or not isinstance(request, TableRequest):
            return
        if not whole and not line:
            return
        doc: TableDocument = self.doc
        try:
            rows = (
                parse_block(doc, cand.text) if cand.kind == "block" else [slot_row(doc, request, cand.text)]
            )
        except ValueError as exc:
            self.notify(f"cannot accept: {exc}", severity="error")
            return
        if cand.kind == "block" and line:
            rows = rows[:1]
        elif cand.kind != "block" and not whole:
            return
        self.choice_log.record(
            "accept",
            cand,
            file=str(self.loaded.path),
            line=request.row + 1,
            col=request.cursor[1] + 1,
            typed=self.panel.typed,
            inserted=cand.text,
            rank=self.panel.selected,
            shown=len(self.panel.candidates),
        )
        if cand.kind == "block":
            self.append_rows(rows, (request.row, request.cursor[1]))
            where = (
                f"rows {request.row + 1}-{request.row + len(rows)}"
                if len(rows) > 1
                else f"row {request.row + 1}"
            )
            self.notify(f"accepted {len(rows)} new row{'s' if len(rows) > 1 else ''}: {where}", timeout=2)
        else:
            self.apply_row(request.row, rows[0], (request.row, request.cursor[1]))
            self.notify(f"accepted into row {request.row + 1}", timeout=2)
        self.post_message(CandidateAccepted(cand, cand.text, True))

    def append_rows(self, rows: list[list[str]], cursor: tuple[int, int]) -> None:
        """Append ``rows`` as one step of the undo history; each new row is re-checked."""
        self.history.record(self.doc, self.edit_cursor())
        document = self.doc
        for row in rows:
            document = document.with_row(row)
        self.show_document(document, cursor)


def slot_row(document: TableDocument, request: TableRequest, text: str) -> list[str]:
    """The full row a candidate's text stands for in ``document`` (cell value or CSV record)."""
    if request.column is None:
        values = document.dialect.parse_row(text)
        if len(values) != len(document.header):
            raise ValueError(f"the row has {len(values)} fields; the header has {len(document.header)}")
        return values
    values = list(document.rows[request.row])
    values[document.index(request.column)] = text
    return values
