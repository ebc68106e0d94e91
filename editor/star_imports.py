"""What a ``from module import *`` binds, read from the module's source without importing it.

The names validator cannot judge a name that a star import may bind (``NAM998``, not
checked). A relative star import whose module is a file beside the document (or a
package's ``__init__.py``) is read statically: the module's ``__all__`` when it is a
literal list or tuple of strings, else its top-level names that do not start with ``_``
(what ``import *`` takes). An absolute one is read by the caller's reader, when it gives
one (the names validator's finds the module on the search path:
validators/_module_names.py). Anything else (a computed ``__all__``, a module that does not
parse, an absolute star import without a reader) leaves the names unknown, and the
validator keeps saying "not checked".  The exports generator (editor/generators/exports.py)
reads the relative ones' names, in order, as ``__all__`` entries.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

_STAR = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\s+\*", re.MULTILINE)  # dots (none: absolute), module
STAR_IMPORT = re.compile(r"^\s*from\s+\S+\s+import\s+\*", re.MULTILINE)  # any star import

AbsoluteReader = Callable[[str], Iterable[str] | None]  # an absolute module -> the names it binds, or None


def star_bound_names(
    text: str, path: Path | None, absolute: AbsoluteReader | None = None
) -> frozenset[str] | None:
    """Every name the document's star imports bind, or None when one of them cannot be read."""
    names = star_bound_in_order(text, path, absolute)
    return None if names is None else frozenset(names)


def star_bound_in_order(
    text: str, path: Path | None, absolute: AbsoluteReader | None = None
) -> list[str] | None:
    """:func:`star_bound_names` in the order the star imports and their modules give them
    (a module's ``__all__`` order, else the order of its bindings), or None.

    ``absolute`` reads an absolute star import's module (the names validator's reader, which
    finds it on the search path: validators/_module_names.py); without it, an absolute star
    import leaves the names unknown."""
    found = _STAR.findall(text)
    if len(found) != len(STAR_IMPORT.findall(text)):
        return None  # a star import these patterns do not read
    names: list[str] = []
    for dots, module in found:
        if not dots:
            bound = absolute(module) if absolute is not None and module else None
        elif path is None:
            return None
        else:
            file = _module_file(Path(path).resolve().parent, len(dots), module)
            bound = _public_names(str(file)) if file else None
        if bound is None:
            return None
        names.extend(bound)
    return list(dict.fromkeys(names))


def _module_file(folder: Path, dots: int, module: str) -> Path | None:
    base = folder
    for _ in range(dots - 1):
        base = base.parent
    if not module:  # from . import *: the package itself
        init = base / "__init__.py"
        return init if init.is_file() else None
    target = base.joinpath(*module.split("."))
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def _public_names(path: str) -> tuple[str, ...] | None:
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
        return None
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = node.value
            if isinstance(value, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
            ):
                return tuple(dict.fromkeys(e.value for e in value.elts))
            return None  # a computed __all__
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                return None  # a star import of its own: not followed
            names.extend((a.asname or a.name).split(".")[0] for a in node.names)
    return tuple(dict.fromkeys(n for n in names if not n.startswith("_")))
