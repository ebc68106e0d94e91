"""A one-line candidate whose line is a statement of its own: what the cheap validators may skip.

Parsing the block around the cursor once per candidate was most of the syntax and black
validators' time (a 400-line function parsed 30 times a keystroke).  Most candidates
complete a line that is a logical line on its own; for those:

* :func:`starts_clean`: the cursor's line starts a logical line when no bracket, string or
  backslash continuation is open after the lines above it.  The scanner of
  editor/logical_lines.py tells, once per document and line.  Anything it cannot follow (an
  unterminated string, a ``\\r``, a closing bracket too many) is "not clean": the slow path.
* :func:`shape_of`: the completed line, dedented, parses on its own as simple statements
  (``x = f(a); y``), as the header of a block (``for x in y:``) or as a one-line compound
  statement (``if x: return``) of a few kinds.  Its :data:`STUBS` entry is a line of the same
  shape.

Python's parser is context-free on statements (``return`` or ``await`` anywhere are compile
errors, not parse errors; checked in tests/validators/test_line_shape.py), so a line that
starts a logical line and parses alone as shape ``S`` can be replaced by ``S``'s stub
without changing whether, or how tolerantly, the file parses; and the smallest statement
holding it is the line itself (black's span).  Clauses (``else:``, ``except``, ``case``),
decorators, ``match`` and ``try`` headers, and lines that do not parse alone keep the slow path.
"""

from __future__ import annotations

import ast
import warnings
from functools import lru_cache

from editor.logical_lines import scan_above, scan_clean

# Tests turn this off to compare the fast paths with the slow ones they stand for.
ENABLED = True
SIMPLE = "simple"
STUBS = {
    SIMPLE: "pass",
    "If": "if _:",
    "If1": "if _: pass",
    "For": "for _ in _:",
    "For1": "for _ in _: pass",
    "While": "while _:",
    "While1": "while _: pass",
    "With": "with _:",
    "With1": "with _: pass",
    "FunctionDef": "def _():",
    "FunctionDef1": "def _(): pass",
    "ClassDef": "class _:",
    "ClassDef1": "class _: pass",
    "AsyncFunctionDef": "async def _():",
    "AsyncFunctionDef1": "async def _(): pass",
    "AsyncFor": "async for _ in _:",
    "AsyncFor1": "async for _ in _: pass",
    "AsyncWith": "async with _:",
    "AsyncWith1": "async with _: pass",
}
_COMPOUND = (
    ast.If,
    ast.For,
    ast.While,
    ast.With,
    ast.FunctionDef,
    ast.ClassDef,
    ast.AsyncFunctionDef,
    ast.AsyncFor,
    ast.AsyncWith,
)
_BLOCKS = (*_COMPOUND, ast.Try, ast.Match) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())


def starts_clean(text: str, line: int) -> bool:
    """Whether 0-based ``line`` of document ``text`` starts a logical line (see module docstring)."""
    return scan_above(text, line).clean if line else "\r" not in text


def _parse(source: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _one_line(node: ast.AST) -> bool:
    return all(getattr(n, "end_lineno", 1) == 1 for n in ast.walk(node) if hasattr(n, "lineno"))


@lru_cache(maxsize=4096)
def shape_of(line: str) -> tuple[str, str] | None:
    """(indentation, shape) of a line that parses on its own as one of :data:`STUBS`' shapes, else None."""
    indent = line[: len(line) - len(line.lstrip())]
    if indent.strip(" \t") or not line.strip():
        return None
    body = line[len(indent) :]
    if not scan_clean(body + "\n"):  # a bracket, string or backslash continuation runs on
        return None
    tree = _parse(body + "\n")
    if tree is not None:
        if not tree.body or not _one_line(tree):
            return None
        if not any(isinstance(n, _BLOCKS) for n in tree.body):
            return indent, SIMPLE
        node = tree.body[0]
        if len(tree.body) != 1 or not isinstance(node, _COMPOUND) or getattr(node, "orelse", None):
            return None
        return indent, type(node).__name__ + "1"
    tree = _parse(body + "\n    pass\n")
    if tree is None or len(tree.body) != 1:
        return None
    node = tree.body[0]
    if not isinstance(node, _COMPOUND) or node.lineno != 1 or getattr(node, "orelse", None):
        return None
    if getattr(node, "decorator_list", None):
        return None
    if len(node.body) != 1 or not isinstance(node.body[0], ast.Pass) or node.body[0].lineno != 2:
        return None
    if any(
        getattr(n, "end_lineno", 1) > 1 for n in ast.walk(node) if n is not node and n is not node.body[0]
    ):
        return None
    return indent, type(node).__name__


def own_line_shape(text: str, line: int, completed: str) -> tuple[str, str] | None:
    """(indentation, shape) when line ``line`` (0-based) of ``text``, completed as ``completed``, is a
    logical line of its own of a known shape; None when the slow path must decide."""
    if not ENABLED or "\n" in completed or "\r" in completed:
        return None
    shape = shape_of(completed)
    if shape is None or not starts_clean(text, line):
        return None
    return shape
