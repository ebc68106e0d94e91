"""The "exports" generator: inside a module's ``__all__`` list, the names it does not list yet.

An ``__all__`` entry is a name the module binds at its top level (a ``def``, a
``class``, an assignment, a ``from … import``) or takes in from a relative star
import (editor/star_imports.py), written as a string.  The n-gram model starts
every line as a statement, so inside the list every line it proposes fails the parse,
and the model's own line is a guess among hundreds of strings.  This generator knows
the answer is one of the module's names that the list does not hold yet (above or below
the cursor), and proposes them as entries in the list's own style (quote, indentation,
trailing comma).

Order: when the entries already written are sorted (at least two, by ``str`` or case-
folded), the missing names in that order, starting from where the cursor falls between
its neighbours; otherwise by how close the module binds them (star-imported names in
their module's order) to the entries just above and below the cursor, the one bound
right after the entry above first.  A name starting
with ``_`` is proposed only when the list holds one (a dunder bound by an assignment or
import, such as ``__version__``, is public), and never a module's implicit attributes
(``__doc__``).  Names seldom exported come after all the others: a dunder ``def`` (a
module hook), ``import x as y``, and, outside a package's ``__init__.py``, names imported
from an absolute module (``TYPE_CHECKING``); a plain ``import x`` and ``__future__``
imports are never proposed.

The cheap score (``cheap``) is ``-0.5 - 0.1 * rank``: above the n-gram model's lines,
which rarely parse here.  No parameter was fitted; the order rules were chosen on the
``__all__`` lists of hypothesis, fsspec, importlib_metadata, annotated_types, pydantic and
numpy (docs/benchmarks.md, "Code, round 15").
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from editor.candidates import Candidate
from editor.document import Slot
from editor.stages import StageContext, generators
from editor.star_imports import star_bound_in_order

_ALL = re.compile(r"__all__\s*(?::[^=]*)?\+?=\s*[\[(]")
LOOK_BACK = 2000  # lines above the cursor searched for the list's start
_STRING = re.compile(r"""^(\s*)(['"])(\w+)\2,?\s*(#.*)?$""")


def _open_list(lines: list[str], row: int) -> tuple[int, list[tuple[int, str, str]]] | None:
    """The ``__all__ = [`` list whose bracket is open at the start of ``row``, as (its first row,
    its string entries ``(row, value, quote)``), or None.  One tokenizing pass, from the list's
    first row to its closing bracket (or the end of the text)."""
    start = next((r for r in range(row - 1, max(row - LOOK_BACK, 0) - 1, -1) if _ALL.match(lines[r])), None)
    if start is None:
        return None
    depth, at_row, strings = 0, None, []
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines[start:]) + "\n").readline):
            here = start + tok.start[0] - 1
            if at_row is None and here >= row:
                at_row = depth
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
                if depth == 0:
                    break
            elif tok.type == tokenize.STRING and depth == 1 and tok.string[:1] in "'\"":
                strings.append((here, tok.string[1:-1], tok.string[0]))
    except (tokenize.TokenError, SyntaxError):  # still open at the end of the text
        pass
    return (start, strings) if (depth if at_row is None else at_row) == 1 else None


def all_list_start(lines: list[str], row: int) -> int | None:
    """The row of the ``__all__ = [`` whose bracket is still open at the start of ``row``, or None."""
    found = _open_list(lines, row)
    return None if found is None else found[0]


def _bound(tree: ast.Module, package: bool) -> tuple[list[str], list[str]]:
    """The module's top-level names in binding order (inside top-level ``if``/``try`` too), as
    (likely exports, the others).  The others: names a ``def`` binds as a dunder (a module hook
    such as ``__getattr__``), and, outside a package's ``__init__.py``, names imported from an
    absolute module (``TYPE_CHECKING``, ``Path``: used, seldom re-exported).  ``__future__``
    imports bind nothing to export."""
    likely: list[str] = []
    others: list[str] = []

    def visit(body: Iterable[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                (others if node.name.startswith("__") else likely).append(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                likely.extend(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
            elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
                into = likely if package or node.level else others
                into.extend(a.asname or a.name for a in node.names if a.name != "*")
            elif isinstance(node, ast.Import):
                others.extend(a.asname for a in node.names if a.asname)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(tree.body)
    return likely, others


@lru_cache(maxsize=8)
def _module_names(source: str, path: Path | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(likely exports, the others) of module ``source`` at ``path`` (:func:`_bound`, then the
    names its relative star imports bind), or None when it does not parse.  Remembered: while
    the user types on the line, the rest of the module (the cursor's line emptied) is the same."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    likely, others = _bound(tree, path is not None and path.name == "__init__.py")
    likely += star_bound_in_order(source, path) or []
    return tuple(likely), tuple(others)


def _sorted_by(entries: list[str]):
    """The key the entries are sorted by (``str``, then case-folded), or None."""
    if len(entries) < 2:
        return None
    for key in (str, str.casefold):
        if all(key(a) <= key(b) for a, b in zip(entries, entries[1:])):
            return key
    return None


def _order(missing: list[str], entries: list[tuple[int, str]], row: int, bound: list[str]) -> list[str]:
    """``missing`` in the order the list would take them at ``row`` (see the module's docstring)."""
    values = [value for _, value in entries]
    above = [value for r, value in entries if r < row]
    key = _sorted_by(values)
    if key is not None:
        ordered = sorted(missing, key=key)
        after = [n for n in ordered if not above or key(n) > key(above[-1])]
        return after + [n for n in ordered if n not in after]
    position = {name: i for i, name in enumerate(bound)}
    below = [value for r, value in entries if r > row]
    near = [position[n] for n in (above[-1:] + below[:1]) if n in position]
    if not near:
        return sorted(missing, key=lambda n: position.get(n, len(position)))

    def closeness(name: str) -> tuple[int, bool, int]:
        """Nearest binding to a neighbour entry first; at a tie, the one bound after it."""
        at = position.get(name, len(position))
        return min(abs(at - p) for p in near), at < near[0], at

    return sorted(missing, key=closeness)


# Attributes every module has: never an entry of its own ``__all__``.
IMPLICIT = frozenset({"__all__", "__doc__", "__name__", "__file__", "__path__", "__spec__", "__loader__",
                      "__package__", "__builtins__", "__annotations__", "__cached__"})  # fmt: skip


def _exportable(name: str, private: bool) -> bool:
    """Whether ``name`` may be an entry: not implicit, and not private unless the list holds one."""
    if name in IMPLICIT:
        return False
    return private or not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


class ExportsGenerator:
    name = "exports"

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        if "__all__" not in slot.document.text:
            return []  # every request asks: most files have no list to be inside
        lines = slot.document.lines
        typed = slot.typed.lstrip()
        if slot.after_cursor.strip() or (typed and not re.fullmatch(r"['\"]\w*", typed)):
            return []
        others = lines[: slot.line] + [""] + lines[slot.line + 1 :]
        found = _open_list(others, slot.line)
        if found is None:
            return []
        start, strings = found
        entries = [(r, value) for r, value, _ in strings]
        names = _module_names("\n".join(others), slot.document.path)
        if names is None:
            return []
        likely, unlikely = names
        listed = {value for _, value in entries}
        private = any(v.startswith("_") and not v.startswith("__") for v in listed)
        bound = list(dict.fromkeys(likely + unlikely))
        missing = [n for n in bound if n not in listed and _exportable(n, private)]
        likely_names = set(likely)
        first = [n for n in missing if n in likely_names]
        ordered = _order(first, entries, slot.line, bound) + _order(
            [n for n in missing if n not in first], entries, slot.line, bound
        )
        quote = strings[0][2] if strings else '"'
        indent = _indent(lines, start, slot)
        out = []
        for rank, name in enumerate(ordered):
            line = f"{indent}{quote}{name}{quote},"
            if not line.startswith(slot.typed):
                continue
            out.append(
                Candidate(
                    text=line[len(slot.typed) :],
                    source="exports",
                    scores={"cheap": round(-0.5 - 0.1 * len(out), 4)},
                    origin={"exports": f"bound by the module, not yet in __all__ (order {rank + 1})"},
                )
            )
            if len(out) >= limit:
                break
        return out


def _indent(lines: list[str], start: int, slot: Slot) -> str:
    """The indentation of the list's entries: the nearest entry line above, else the slot's."""
    for row in range(slot.line - 1, start, -1):
        found = _STRING.match(lines[row])
        if found:
            return found.group(1)
    return slot.indent or "    "


@generators.register("exports")
def make_exports_generator(ctx: StageContext) -> ExportsGenerator:
    del ctx
    return ExportsGenerator()
