"""Names a drafted body may load: a cheap, conservative undefined-name check.

pylint, a post-rank validator, rejects a body that loads a name bound nowhere (E0602
undefined-variable).  The block draft (editor/generators/llm_block_draft.py) is checked
line by line as it is generated and given up at the first line that loads such a name:
the rest of it would be decoded for a candidate that pylint rejects.  On the tuning
corpora click and rich, 12 of 30 block drafts were rejected, 10 of them by pylint's name
errors (docs/benchmarks.md, "LLM compute, round 6").

The check says "undefined" only when it is sure, so that it never costs a body pylint
would pass.  A name is bound if the body so far binds it, or the scopes the body sees do:
the module (anything bound at its top level, or declared ``global`` anywhere), each
function around the slot (anything bound anywhere inside it, nested scopes included), the
class body when the slot is directly in it, the builtins and the module attributes.  A
document with a star import, or that does not parse with the slot's line blanked, is not
judged; neither is a body so far that does not parse, even with ``pass`` under its last line.
"""

from __future__ import annotations

import ast
import builtins
import textwrap
from typing import Sequence

from editor.scope import parse_blanked

MODULE_NAMES = frozenset(
    {"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__path__",
     "__annotations__", "__dict__", "__class__", "__qualname__", "__module__", "__debug__"}
)  # fmt: skip
BUILTINS = frozenset(dir(builtins)) | MODULE_NAMES


def _binds(node: ast.AST) -> list[str]:
    """The names ``node`` itself binds."""
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.alias):
        return [(node.asname or node.name).split(".")[0]]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


def bound_names(tree: ast.AST) -> set[str]:
    """Every name that something in ``tree`` binds, in any scope."""
    return {name for node in ast.walk(tree) for name in _binds(node)}


def _star_import(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names) for node in ast.walk(tree)
    )


def parse_body(lines: Sequence[str]) -> ast.Module | None:
    """The body so far (lines with their indentation), dedented and parsed; an open block
    at its end gets ``pass``; None if it still does not parse (an open bracket, a ``try``)."""
    text = textwrap.dedent("\n".join(lines))
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    for attempt in (text, f"{text}\n{last[: len(last) - len(last.lstrip())]}    pass"):
        try:
            return ast.parse(attempt)
        except (SyntaxError, ValueError):
            continue
    return None


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def module_names(tree: ast.Module) -> set[str]:
    """Names bound at the module's top level (not inside a def, class or lambda), or declared global."""
    out: set[str] = set()
    todo: list[ast.AST] = [tree]
    while todo:
        for child in ast.iter_child_nodes(todo.pop()):
            out.update(_binds(child))
            if not isinstance(child, _SCOPES):
                todo.append(child)
    out.update(name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names)
    return out


def visible_names(tree: ast.Module, line: int) -> set[str]:
    """Names bound in the scopes that code at 1-based ``line`` sees (module docstring)."""
    out = module_names(tree)
    chain = [
        node
        for node in ast.walk(tree)
        if isinstance(node, _SCOPES) and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    chain.sort(key=lambda n: n.lineno)
    for i, node in enumerate(chain):
        innermost = i == len(chain) - 1
        if not isinstance(node, ast.ClassDef) or innermost:  # a class body is no scope for its methods
            out |= bound_names(node)
    return out


class NameCheck:
    """The names visible at a slot, to judge bodies drafted into it (module docstring)."""

    def __init__(self, document_text: str, line: int) -> None:
        """``document_text``: the document with the slot's line blanked; ``line``: the slot's, 0-based."""
        try:
            tree = parse_blanked(document_text, line)
        except (SyntaxError, ValueError, RecursionError):
            tree = None
        self.known: frozenset[str] | None = None
        if tree is not None and not _star_import(tree):
            self.known = frozenset(visible_names(tree, line + 1)) | BUILTINS

    def undefined(self, lines: Sequence[str]) -> list[str]:
        """Names the body ``lines`` loads that nothing binds, sorted; [] when it cannot judge."""
        if self.known is None:
            return []
        tree = parse_body(lines)
        if tree is None:
            return []
        own = bound_names(tree)
        loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        return sorted(loads - self.known - own)
