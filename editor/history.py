"""Undo and redo over immutable snapshots (the table view's documents), with a bounded depth."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")
Cursor = tuple[int, int]


class EditHistory(Generic[T]):
    """Two stacks of (state, cursor).  ``record`` before each edit; a new edit clears redo."""

    def __init__(self, limit: int = 500) -> None:
        self.limit = limit
        self._undo: list[tuple[T, Cursor]] = []
        self._redo: list[tuple[T, Cursor]] = []

    def record(self, state: T, cursor: Cursor) -> None:
        """``state`` is the one before the edit about to happen; ``cursor`` where it happens."""
        self._undo.append((state, cursor))
        del self._undo[: -self.limit]
        self._redo.clear()

    def undo(self, current: T, cursor: Cursor) -> tuple[T, Cursor] | None:
        """The state before the last edit, or None; ``current`` becomes redoable."""
        if not self._undo:
            return None
        self._redo.append((current, cursor))
        return self._undo.pop()

    def redo(self, current: T, cursor: Cursor) -> tuple[T, Cursor] | None:
        if not self._redo:
            return None
        self._undo.append((current, cursor))
        return self._redo.pop()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)
