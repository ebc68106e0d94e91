"""The attributes ``self`` can have in a method, when the file tells them all (for ``names``).

The names visible at a line are :func:`editor.names.visible_names` (the block draft's
undefined-name check uses it too); this module adds what pylint's ``E1101`` no-member
needs for ``self.x``, taken conservatively: a class whose attributes cannot all be known
from the file is not judged.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from editor.names import module_names

_SELF_ATTR = re.compile(r"\bself\.([^\W\d]\w*)")


@lru_cache(maxsize=8)
def self_reads(text: str) -> frozenset[str]:
    """Every member ``text`` uses as ``self.x`` (read or set).  A member the document uses
    elsewhere is its own (a mixin's, set by the class it is mixed into): the names and pylint
    validators do not hold it against a candidate.  Cached: both ask it of the same text, the
    document without the cursor's line."""
    return frozenset(_SELF_ATTR.findall(text))


def _inside(node: ast.AST, line: int) -> bool:
    start = getattr(node, "lineno", 0)
    return start <= line <= (getattr(node, "end_lineno", None) or start)


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
        names = module_names(cls)
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
