"""Block slots: the cursor on the empty line after a block header, where a whole body is proposed.

A slot is a *block slot* when the user asked for one (``gfv suggest --block``, a batch
task's ``"block": true``: :attr:`~editor.document.Slot.block`) or when it is detected:

* nothing but indentation is typed on the cursor's line and nothing follows the cursor;
* the last code line above it is a block header (``def``, ``class``, ``for``, ``while``,
  ``with``, ``if``/``elif``/``else``, ``try``/``except``/``finally``, ``match``/``case``:
  a line ending with ``:``);
* the block is still empty: the next code line below is not indented deeper than the
  header (so the body is what is missing).

:func:`block_at` returns the :class:`BlockSite` (header, its kind and indentation, the
body's indentation) that the block generators work from, or None.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from editor.document import Slot

MAX_BODY_LINES = 8
_KINDS = ("async def", "def", "class", "for", "async for", "while", "with", "async with", "if", "elif",
          "else", "try", "except", "finally", "match", "case")  # fmt: skip
_KIND_RE = re.compile(
    r"^(" + "|".join(sorted((re.escape(k) for k in _KINDS), key=len, reverse=True)) + r")\b"
)


@dataclass(frozen=True)
class BlockSite:
    """Where a body goes: the header line (0-based), its stripped text and kind, and indentations."""

    header_line: int
    header: str  # stripped, e.g. "def total(items):"
    kind: str  # "def", "for", "with", ... ("block" when forced on a line that follows no header)
    header_indent: str
    indent: str  # the body's indentation

    @property
    def is_function(self) -> bool:
        return self.kind in ("def", "async def")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _header_start(lines: list[str], last: int) -> int:
    """The first line of a header that ends on line ``last`` (a multi-line ``def f(\\n a,\\n):``)."""
    depth = 0
    for idx in range(last, -1, -1):
        code = lines[idx].split("#")[0]
        depth += code.count(")") + code.count("]") + code.count("}")
        depth -= code.count("(") + code.count("[") + code.count("{")
        if depth <= 0 and (idx == last or _KIND_RE.match(lines[idx].strip())):
            return idx
    return last


def _before_docstring(lines: list[str], above: int | None) -> int | None:
    """When line ``above`` ends a docstring right after a header, the header's last line; else ``above``."""
    if above is None:
        return None
    end = lines[above].rstrip()
    quote = end[-3:]
    if quote not in ('"""', "'''"):
        return above
    for start in range(above, -1, -1):
        body = lines[start].lstrip().lstrip("rRuUbB")
        if body.startswith(quote) and (start != above or body.count(quote) >= 2):
            prev = next((i for i in range(start - 1, -1, -1) if _is_code(lines[i])), None)
            if prev is not None and lines[prev].split("#")[0].rstrip().endswith(":"):
                return prev
            return above
    return above


def block_at(slot: Slot) -> BlockSite | None:
    """The block site at ``slot``: detected, or forced by ``slot.block`` (module docstring).

    Only code slots have blocks: a table slot (rows and cells) is never one.
    """
    if not isinstance(slot, Slot):
        return None
    if slot.typed.strip() or slot.after_cursor.strip():
        return None
    lines = slot.document.lines
    above = next((i for i in range(min(slot.line, len(lines)) - 1, -1, -1) if _is_code(lines[i])), None)
    above = _before_docstring(lines, above)
    below = next((i for i in range(slot.line + 1, len(lines)) if _is_code(lines[i])), None)
    if above is not None and lines[above].split("#")[0].rstrip().endswith(":"):
        start = _header_start(lines, above)
        header = " ".join(line.strip() for line in lines[start : above + 1])
        match = _KIND_RE.match(header)
        if match:
            h_indent = _indent(lines[start])
            empty = below is None or len(_indent(lines[below])) <= len(h_indent)
            if empty or slot.block:
                indent = slot.typed if len(slot.typed) > len(h_indent) else h_indent + "    "
                return BlockSite(start, header, match.group(1), h_indent, indent)
    if not slot.block:
        return None
    indent = slot.typed if slot.typed else (_indent(lines[above]) if above is not None else "")
    return BlockSite(above if above is not None else -1, "", "block", indent, indent)


def as_candidate_text(slot: Slot, site: BlockSite, body: list[str]) -> str:
    """Body lines (dedented, relative indentation kept) as the text to insert at the cursor."""
    lines = [site.indent + line if line.strip() else "" for line in body]
    text = "\n".join(lines)
    return text[len(slot.typed) :] if text.startswith(slot.typed) else text


def body_lines(typed: str, text: str) -> list[str]:
    """The lines of ``typed + text`` (a block inserted after typed indentation), dedented."""
    return textwrap.dedent(typed + text).split("\n")
