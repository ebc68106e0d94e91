"""The table view's connection to the pipeline (Textual-free, runs in worker threads).

:class:`TableEngine` is the code editor's :class:`~editor.tui.engine.SuggestionEngine`
(lazy build in a worker, one lock, fallback to prior ranking when the model fails) with
table slots: a :class:`TableRequest` carries the :class:`~editor.tables.csvdoc.TableDocument`
snapshot it was made for, the 0-based row (``len(rows)`` = a new row) and the column
(None = the whole row).  The pipeline is the table one
(:func:`editor.tables.engine.table_pipeline`); the session memory of code lines is not
attached (it proposes code lines).  :meth:`TableEngine.validate_row` runs the table
validators on one row as it stands (after a hand edit), outside the suggestion lock.
A request with ``rows`` > 1 (Ctrl+N with a count) is answered with blocks of that many
new rows (:func:`editor.tables.row_block.propose_block`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from editor.candidates import Candidate, Verdict
from editor.config import Config
from editor.tables.csvdoc import TableDocument
from editor.tables.engine import OpenTable, table_pipeline
from editor.tables.slot import TableSlot
from editor.tui.engine import PipelineFactory, Request, SuggestionEngine


@dataclass(frozen=True)
class TableRequest(Request):
    """A request for one table slot; ``cursor`` is the grid's (row, column) when it was made."""

    document: Any = None  # the TableDocument snapshot (never mutated: edits make copies)
    row: int = 0  # 0-based data row; len(document.rows) means a new row
    column: str | None = None  # None: propose a whole row
    rows: int = 1  # more than 1: propose that many new rows as one block (editor/tables/row_block.py)

    @property
    def kind(self) -> str:
        """ "cell", "row" or "block" (several new rows)."""
        return "cell" if self.column is not None else "block" if self.rows > 1 else "row"


class TableEngine(SuggestionEngine):
    """See module docstring."""

    def __init__(  # pylint: disable=too-many-arguments
        self,
        table: OpenTable,
        config: Config,
        model_path: Path | None,
        model_name: str | None = None,
        factory: PipelineFactory = table_pipeline,
    ) -> None:
        super().__init__(config, model_path, model_name, table.document.path, factory)
        self.table = table
        self._validators: list[Any] | None = None
        self._validate_lock = threading.Lock()

    @property
    def validators_on(self) -> list[str]:
        return list(self.config.tables.validators)

    def attach(self, pipeline: Any) -> None:
        del pipeline  # the session memory proposes code lines; nothing to add for tables

    def make_slot(self, request: Request) -> TableSlot:
        assert isinstance(request, TableRequest)
        t = self.table
        return TableSlot(request.document, request.row, request.column, t.schema, t.rules, list(t.notes))

    def _answer(
        self, slot: Any, request: Request, is_stale: Callable[[], bool], early: Callable[[Any], None] | None
    ) -> Any:
        """A block request asks ``is_stale`` between its rows' requests; a cell or row request
        gives the cheap stage's answer to ``early`` before ranking."""
        rows = getattr(request, "rows", 1)
        if rows <= 1:
            return self._quick_then_ranked(slot, request, is_stale, early)
        # pylint: disable-next=import-outside-toplevel
        from editor.tables.row_block import propose_block, table_validators

        result = propose_block(
            self.pipeline, slot, rows, request.k, table_validators(self.config), stop=is_stale
        )
        return None if is_stale() else result  # superseded while its rows were asked for: dropped

    def _quick_then_ranked(
        self,
        slot: TableSlot,
        request: Request,
        is_stale: Callable[[], bool],
        early: Callable[[Any], None] | None,
    ) -> Any:
        """The cheap stage's answer first (``early``), then the ranked one.

        The table pipeline has no post-rank validators, so the quick answer's candidates
        have passed every validator: it is shown at once after a move, without waiting
        for the table context's prefill and the ranking (seconds on 2 cores).  Every
        table request is asked for by a key (Ctrl+Space, Ctrl+N), so a manual one is
        answered early too; the ranked answer replaces it.
        """
        if early is None or not hasattr(self.pipeline, "quick"):
            return self.pipeline.suggest(slot, request.k)
        quick = self.pipeline.quick(slot, request.k)
        if quick.candidates and not any(c.origin.get("pending") for c in quick.candidates):
            early(quick)
        return None if is_stale() else self.pipeline.suggest(slot, request.k, stage=quick.stage)

    def validate_row(self, document: TableDocument, index: int) -> list[Verdict]:
        """Every table validator's verdicts on row ``index`` (0-based) of ``document``."""
        # pylint: disable-next=import-outside-toplevel
        from editor.tables.row_block import table_validators

        with self._validate_lock:
            if self._validators is None:
                self._validators = table_validators(self.config)
            t = self.table
            slot = TableSlot(document, index, None, t.schema, t.rules, [])
            out: list[Verdict] = []
            for validator in self._validators:
                cand = Candidate(document.record_text(document.rows[index]), "hand", kind="row")
                out.extend(validator.validate(slot, [cand])[0])
            return out
