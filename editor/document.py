"""Documents and slots: where a candidate goes and what the text around it is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from editor.errors import ExitCode, GfvError
from editor.files import read_existing_text


@dataclass(frozen=True)
class Document:
    """An immutable snapshot of a text file's content."""

    text: str
    path: Path | None = None

    @cached_property
    def lines(self) -> list[str]:
        """Lines without their line endings; a final newline gives no extra line."""
        return self.text.split("\n")[:-1] if self.text.endswith("\n") else self.text.split("\n")

    @classmethod
    def load(cls, path: Path) -> "Document":
        """Read a UTF-8 text file, refusing directories, binary and non-UTF-8 content."""
        path = Path(path)
        text, _ = read_existing_text(path)
        return cls(text.replace("\r\n", "\n"), path)

    def slot(self, line: int, col: int, block: bool = False) -> "Slot":
        """A slot at 0-based ``line`` and ``col``; out-of-range positions raise GfvError.

        ``block`` asks for whole blocks (several lines) there; see editor/blocks.py.
        """
        n = len(self.lines)
        if not 0 <= line <= n:
            raise GfvError(f"line {line + 1} is out of range (the file has {n} lines)", ExitCode.USAGE)
        current = self.lines[line] if line < n else ""
        if not 0 <= col <= len(current):
            raise GfvError(
                f"column {col + 1} is out of range on line {line + 1} (it has {len(current)} characters;"
                f" the last usable column is {len(current) + 1})",
                ExitCode.USAGE,
            )
        return Slot(self, line, col, block)


@dataclass(frozen=True)
class Slot:
    """A cursor position in a document: the candidate is inserted at (line, col).

    ``block``: the user asked for a block here (``--block``); a block slot is also
    detected without it (editor/blocks.py).
    """

    document: Document
    line: int
    col: int
    block: bool = False

    @property
    def current_line(self) -> str:
        lines = self.document.lines
        return lines[self.line] if self.line < len(lines) else ""

    @property
    def typed(self) -> str:
        """What the user has typed on the line before the cursor."""
        return self.current_line[: self.col]

    @property
    def after_cursor(self) -> str:
        """The rest of the current line after the cursor."""
        return self.current_line[self.col :]

    @property
    def indent(self) -> str:
        line = self.current_line
        return line[: len(line) - len(line.lstrip())] if line.strip() else self._inferred_indent()

    def _inferred_indent(self) -> str:
        """Indentation for an empty line: the typed whitespace, else the previous code line's."""
        if self.typed and not self.typed.strip():
            return self.typed
        for prev in reversed(self.document.lines[: self.line]):
            if prev.strip():
                ind = prev[: len(prev) - len(prev.lstrip())]
                return ind + "    " if prev.rstrip().endswith(":") else ind
        return ""

    def before_lines(self, limit: int | None = None) -> list[str]:
        lines = self.document.lines[: self.line]
        return lines[-limit:] if limit else lines

    def after_lines(self, limit: int | None = None) -> list[str]:
        lines = self.document.lines[self.line + 1 :]
        return lines[:limit] if limit is not None else lines

    def apply(self, text: str) -> str:
        """The whole document with ``text`` inserted at the cursor."""
        lines = list(self.document.lines)
        if self.line == len(lines):
            lines.append("")
        cur = lines[self.line]
        lines[self.line] = cur[: self.col] + text + cur[self.col :]
        out = "\n".join(lines)
        return (
            out + "\n" if self.document.text.endswith("\n") or self.line == len(self.document.lines) else out
        )

    def touched_lines(self, text: str) -> range:
        """1-based line numbers that inserting ``text`` changes."""
        return range(self.line + 1, self.line + 2 + text.count("\n"))
