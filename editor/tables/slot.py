"""TableSlot: where a table candidate goes — a whole row (new or replaced) or one cell.

``text`` of a candidate is the cell value (cell slots) or the CSV record in the file's
dialect (row slots).  :meth:`TableSlot.candidate_row` turns either back into the full
row the validators judge.  In a cell slot only failures that concern the slot's column
(or the row as a whole) count against the candidate: the rest of the row is context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from editor.errors import ExitCode, GfvError
from editor.tables.csvdoc import TableDocument
from editor.tables.rules import ForeignKey, TableRules


@dataclass(eq=False)
class TableSlot:  # pylint: disable=too-many-instance-attributes
    document: TableDocument
    row: int  # 0-based data row; == len(rows) means "append a new row"
    column: str | None = None  # None: the candidate is a whole row
    schema: Any = None  # pandera DataFrameSchema, or None
    rules: TableRules = field(default_factory=TableRules)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.document.rows)
        if not 0 <= self.row <= n:
            raise GfvError(
                f"row {self.row + 1} is out of range (the table has {n} data rows; use --row next to add one)",
                ExitCode.USAGE,
            )
        if self.column is not None:
            self.document.index(self.column)

    # -- where --------------------------------------------------------------------------
    @property
    def header(self) -> list[str]:
        return self.document.header

    @property
    def is_new_row(self) -> bool:
        return self.row == len(self.document.rows)

    @property
    def kind(self) -> str:
        return "cell" if self.column is not None else "row"

    @property
    def col_index(self) -> int:
        return self.document.index(self.column) if self.column is not None else -1

    @cached_property
    def current(self) -> list[str]:
        """The row as it is now (empty cells for a new row)."""
        return list(self.document.rows[self.row]) if not self.is_new_row else [""] * len(self.header)

    @cached_property
    def existing(self) -> list[list[str]]:
        """Every other row of the table (the one being replaced is left out)."""
        rows = self.document.rows
        return rows if self.is_new_row else rows[: self.row] + rows[self.row + 1 :]

    @property
    def before(self) -> list[list[str]]:
        return self.document.rows[: self.row]

    @property
    def after(self) -> list[list[str]]:
        return self.document.rows[self.row + 1 :]

    def neighbours(self, k: int) -> list[list[str]]:
        """The ``k`` rows nearest to the slot, nearest first (before it first on ties)."""
        out, rows = [], self.document.rows
        for d in range(1, len(rows) + 1):
            for i in (self.row - d, self.row + d - (0 if self.is_new_row else 0)):
                if 0 <= i < len(rows) and i != self.row and rows[i] not in out:
                    out.append(rows[i])
            if len(out) >= k:
                break
        return out[:k]

    # -- candidates -------------------------------------------------------------------
    def candidate_row(self, text: str) -> list[str]:
        """The full row a candidate's text stands for; ValueError when it is not one."""
        if self.column is not None:
            row = list(self.current)
            row[self.col_index] = text
            return row
        fields = self.document.dialect.parse_row(text)
        if len(fields) != len(self.header):
            raise ValueError(f"the row has {len(fields)} fields; the header has {len(self.header)}")
        return fields

    def row_text(self, values: list[str]) -> str:
        return self.document.record_text(values)

    def counts(self, column: str) -> bool:
        """Whether a failure in ``column`` counts against the candidate."""
        return self.column is None or column in (None, "", self.column) or "," in str(column)

    def applied(self, text: str) -> TableDocument:
        """The document with the candidate accepted."""
        return self.document.with_row(self.candidate_row(text), self.row)

    # -- lookups shared by generators and validators -----------------------------------
    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Results several stages of one request share, keyed by what computed them."""
        return {}

    @cached_property
    def _key_sets(self) -> dict[tuple[int, ...], set[tuple[str, ...]]]:
        return {}

    def key_set(self, columns: tuple[str, ...]) -> set[tuple[str, ...]]:
        idx = tuple(self.document.index(c) for c in columns)
        if idx not in self._key_sets:
            self._key_sets[idx] = {tuple(r[i] for i in idx) for r in self.existing}
        return self._key_sets[idx]

    @cached_property
    def _refs(self) -> dict[ForeignKey, set[tuple[str, ...]]]:
        return {}

    def ref_values(self, fk: ForeignKey) -> set[tuple[str, ...]]:
        """The referenced table's key tuples (the table is read once per slot)."""
        if fk not in self._refs:
            base = self.document.path.parent if self.document.path else Path.cwd()
            ref_path = base / fk.ref_table
            if ref_path.resolve() == (self.document.path.resolve() if self.document.path else None):
                ref = self.document
            else:
                ref = TableDocument.load(ref_path)
            idx = [ref.index(c) for c in fk.ref_columns]
            self._refs[fk] = {tuple(r[i] for i in idx) for r in ref.rows}
        return self._refs[fk]

    def column_values(self, column: str) -> list[str]:
        i = self.document.index(column)
        return [r[i] for r in self.existing]
