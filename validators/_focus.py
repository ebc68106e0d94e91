"""Shrink a document for pylint without moving a line: bodies far from the candidate go blank.

pylint's cost grows with the document; an error on the candidate's lines depends on
the module's names and signatures, not on the bodies of other functions. So the
body of every function that does not contain the touched lines is blanked (a
``raise NotImplementedError`` stands on its first line, so calls infer as unknown),
except that ``self.<attr> = ...`` assignments are kept as ``self.<attr> = eval("")`` so
that attribute checks still see them: a value astroid cannot infer, unlike ``None``,
which made pylint call a blanked ``self.lock = threading.Lock()`` not a context manager
(``E1129``) and a ``self.func = ...`` not callable (``E1102``) wherever the candidate
used them.  Line numbers are unchanged, so messages map back to the document as they are.

pylint then walks only what reaches the candidate (:class:`FocusedWalk`): the
signatures, decorators and annotations left of the other functions, and the other
classes, are still in the module (for inference) but are not checked again for every
candidate; most of a check's time went to them.
"""

from __future__ import annotations

import ast


def _self_attrs(stmt: ast.stmt) -> list[str]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
    out = []
    for target in targets:
        for node in ast.walk(target) if target is not None else []:
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                out.append(node.attr)
    return out


def _blank(func: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> None:
    first, last = func.body[0].lineno, func.end_lineno or func.body[-1].lineno
    if first == func.lineno or lines[first - 1][: func.body[0].col_offset].strip():
        return  # the body starts on the header's (last) line, e.g. ``) -> None: ...``: nothing to gain
    indent = " " * func.body[0].col_offset
    kept: dict[int, str] = {}
    for node in ast.walk(func):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            attrs = _self_attrs(node)
            if attrs:
                kept[node.lineno] = indent + " = ".join(f"self.{a}" for a in attrs) + ' = eval("")'
    for number in range(first, last + 1):
        lines[number - 1] = kept.get(number, "")
    if not kept:  # a lone raise: astroid infers calls as unknown, pylint sees no "no return"
        lines[first - 1] = indent + "raise NotImplementedError"
    elif first not in kept:
        lines[first - 1] = indent + "pass"


def reaches(start: int, end: int, lines: range) -> bool:
    """A function or class on lines ``start``..``end`` (decorators included) reaches ``lines``:
    what the blanking keeps is what pylint walks."""
    return len(lines) > 0 and start < lines.stop and end >= lines.start


def focus(source: str, touched: range) -> str:
    """``source`` with the bodies of functions away from ``touched`` (1-based lines) blanked."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.split("\n")

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                if reaches(start, child.end_lineno or child.lineno, touched):
                    visit(child)  # the candidate is inside: keep it, but blank nested functions
                else:
                    _blank(child, lines)
            else:
                visit(child)

    visit(tree)
    focused = "\n".join(lines)
    try:  # blanking must never make a parsable document unparsable (pylint would not check it)
        ast.parse(focused)
    except SyntaxError:
        return source
    return focused


class FocusedWalk:  # pylint: disable=too-few-public-methods
    """pylint's walk of a module, skipping each function and class (decorators included) that
    does not reach the lines in ``keep`` (1-based; ``None``: the whole module).  A message pylint
    would give inside a skipped one is on a line the candidate does not touch, which the
    validator does not count; the skipped nodes stay in the module, so inference sees them."""

    def __init__(self, walk) -> None:
        # pylint: disable=import-outside-toplevel  # astroid is pylint's, imported with it
        from astroid import nodes

        self.walk = walk  # pylint's own, which calls ``walker.walk`` (this) for each child
        self.keep: range | None = None
        self.scopes = (nodes.FunctionDef, nodes.ClassDef)  # an AsyncFunctionDef is a FunctionDef

    def __call__(self, node) -> None:
        if self.keep is not None and isinstance(node, self.scopes):
            decorators = node.decorators.nodes if node.decorators is not None else []
            start = min([node.fromlineno, *(d.fromlineno for d in decorators)])
            if not reaches(start, node.tolineno, self.keep):
                return
        self.walk(node)

    @classmethod
    def install(cls, walker, keep: range | None) -> None:
        """Make ``walker`` (a ``pylint.utils.ASTWalker``) walk only what reaches ``keep``."""
        focused = walker.__dict__.get("walk")
        if not isinstance(focused, cls):
            focused = walker.walk = cls(walker.walk)
        focused.keep = keep
