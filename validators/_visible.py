"""The names a line of a parsed module can see: its enclosing scopes' bindings (for ``names``).

Python's rule, taken conservatively (a name is counted visible whenever it might be):

* the module's bindings anywhere outside function and class bodies (inside ``if``,
  ``try``, ``for``, ``with`` included), and every name declared ``global`` anywhere;
* for each function (or lambda) that encloses the line: its parameters and every name
  bound anywhere inside it, nested functions and comprehensions included;
* for each class that encloses the line: the names its own body binds (not its methods'),
  and only when the line is not inside one of its methods, as Python's class scope is
  not visible from methods.

A binding is a ``Name`` stored or deleted, a parameter, a ``def`` or ``class`` name, an
import's name, an ``except … as`` name and a ``match`` capture.
"""

from __future__ import annotations

import ast
import re

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _bound_by(node: ast.AST) -> list[str]:
    """The names ``node`` itself binds (not its children)."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    return []


def _outside_bodies(node: ast.AST) -> list[str]:
    """Bindings in ``node``'s subtree that do not lie inside a nested function or class body."""
    out: list[str] = []
    todo = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        out.extend(_bound_by(child))
        if isinstance(child, _SCOPES):
            # decorators, defaults, bases and annotations belong to the outer scope
            todo.extend(getattr(child, "decorator_list", []))
            todo.extend(getattr(child, "bases", []))
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                todo.extend(d for d in [*child.args.defaults, *child.args.kw_defaults] if d is not None)
            continue
        todo.extend(ast.iter_child_nodes(child))
    return out


def _inside(node: ast.AST, line: int) -> bool:
    return (
        getattr(node, "lineno", 0)
        <= line
        <= (getattr(node, "end_lineno", None) or getattr(node, "lineno", 0))
    )


def visible_names(tree: ast.Module, line: int) -> set[str]:
    """The names visible on 1-based ``line`` of ``tree`` (module docstring)."""
    names = set(_outside_bodies(tree))
    names.update(n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names)
    scope: ast.AST = tree
    while True:
        inner = next((c for c in _children_scopes(scope) if _inside(c, line)), None)
        if inner is None:
            break
        if isinstance(inner, ast.ClassDef):
            in_method = any(
                isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef)) and _inside(c, line)
                for c in inner.body
            )
            if not in_method:
                names.update(_outside_bodies(inner))
        else:
            names.update(n for sub in ast.walk(inner) for n in _bound_by(sub))
        scope = inner
    return names


def _children_scopes(node: ast.AST) -> list[ast.AST]:
    """The functions, lambdas and classes directly nested in ``node``'s scope."""
    out = []
    todo = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        if isinstance(child, _SCOPES):
            out.append(child)
        else:
            todo.extend(ast.iter_child_nodes(child))
    return out


_OPEN_CLASS = re.compile(r".*[Mm]ixin")  # pylint's default mixin-class-rgx: it never reports their members
_DYNAMIC = {"__getattr__", "__getattribute__", "__setattr__"}


def self_attributes(tree: ast.Module, line: int) -> tuple[str, set[str]] | None:
    """For a ``line`` inside a method whose first parameter is ``self``: the class's name and
    every attribute its instances can have, or None when that cannot be known from this module.

    Known only for a *closed* class: no decorator, no keyword (metaclass), not a mixin, no
    ``__getattr__``-like method, and every base ``object`` or a closed class of this module.
    Its attributes: ``object``'s, the names bound in its and its bases' bodies, and every
    attribute assigned anywhere in the module (``<anything>.x = ...``, conservatively).
    """
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    owner = next((c for c in classes.values() if _inside(c, line)), None)
    if owner is None:
        return None
    method = next(
        (
            f
            for f in owner.body
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and _inside(f, line)
        ),
        None,
    )
    if method is None or not method.args.args or method.args.args[0].arg != "self":
        return None
    if any(not (isinstance(d, ast.Name) and d.id == "property") for d in method.decorator_list):
        return None  # a static or class method, or a decorator that may change what ``self`` is
    attrs = set(dir(object))
    todo, seen = [owner], set()
    while todo:
        cls = todo.pop()
        if cls.name in seen:
            continue
        seen.add(cls.name)
        if cls.decorator_list or cls.keywords or _OPEN_CLASS.match(cls.name):
            return None
        names = set(_outside_bodies(cls))
        if names & _DYNAMIC or _sets_attributes_dynamically(cls):
            return None
        attrs |= names
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id == "object":
                continue
            if not isinstance(base, ast.Name) or base.id not in classes:
                return None
            todo.append(classes[base.id])
    attrs.update(
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load)
    )
    return owner.name, attrs


def _sets_attributes_dynamically(cls: ast.ClassDef) -> bool:
    """``setattr(...)``, ``vars(...)`` or ``__dict__`` anywhere in the class."""
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "vars")
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return True
    return False
