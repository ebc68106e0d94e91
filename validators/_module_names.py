"""What ``from module import name`` may import: the module's top-level names, read from its
source file, never imported.

The names validator's stand-in for pylint's ``E0611`` no-name-in-module.  The generators
put names after ``from x import`` that belong to another module (``from __future__ import
subprocess``: on click's typing replay, 194 of the quick answers' candidates that pylint
removed, the most common code).  A module is found on the search path the way the import
system would find it (``importlib.machinery.PathFinder``, which executes nothing), and its
source is parsed: a name is importable when the module binds it at its top level (in any
``if``/``try``/``with``/loop block, not inside a function or class), or when the module is a
package with a submodule of that name.

Whatever cannot be read this way is never judged (:func:`importable` returns None): a
module without Python source (built in, an extension), one that is not found, one that
star-imports, defines a module ``__getattr__`` or a class with a decorator that may export
names (``enum.global_enum``: ``from re import IGNORECASE``), or whose module-level code calls
``globals()``, ``vars()``, ``exec``, ``setattr`` or ``__import__``, or whose source (or that
of a sibling it imports with ``from . import``) mentions ``globals()``, ``exec(``,
``sys.modules``, ``meta_path`` or ``__dict__.update(`` or grows its ``__all__`` anywhere
(turtle's functions are made by ``exec`` at import time, toolz's ``tlz`` by an import hook,
``numpy.dtypes`` sets its own attributes from a function).
A function's ``global x`` counts as binding ``x``.  Names are cached per file and modification time
(and a package's folders' times, for its submodules).
"""

from __future__ import annotations

import ast
import re
import sys
import threading
from importlib.machinery import PathFinder
from pathlib import Path

from editor.star_imports import star_bound_names

# anywhere in the source (a function called at import time may do it): names bound out of sight
_DYNAMIC = re.compile(
    r"\bglobals\(\)|\bexec\(|\bsys\.modules\b|\bmeta_path\b|__dict__\.update\("
    r"|\b__all__\s*(?:\.append|\.extend|\+=)"
)
_DYNAMIC_CALLS = frozenset({"globals", "vars", "exec", "setattr", "__import__"})
# ``from x import a, b as c`` on one line (no continuation); group 1 dots, 2 module, 3 the names
FROM_IMPORT = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?([\w\s,]+?)\)?\s*(?:#.*)?$")
_CACHE: dict[tuple, frozenset[str] | None] = {}
_LOCK = threading.Lock()
_MODULE_ATTRIBUTES = ("__doc__", "__name__", "__file__", "__spec__", "__loader__", "__package__", "__path__",
                      "__builtins__", "__dict__", "__cached__")  # fmt: skip
_HARMLESS_DECORATORS = frozenset(
    {"dataclass", "total_ordering", "final", "runtime_checkable", "unique", "frozen"}
)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_PLAIN = (ast.Expr, ast.Pass, ast.Delete, ast.Assert, ast.Raise)
_BLOCKS = (
    ast.If,
    ast.Try,
    ast.With,
    ast.AsyncWith,
    ast.For,
    ast.AsyncFor,
    ast.While,
    getattr(ast, "TryStar", ast.Try),
)


def imported_names(line: str) -> tuple[int, str, list[str]] | None:
    """``(dots, module, names)`` of a complete one-line ``from … import …``, else None."""
    match = FROM_IMPORT.match(line)
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    names = []
    for part in match.group(3).split(","):
        words = part.split()
        if len(words) not in (1, 3) or (len(words) == 3 and words[1] != "as"):
            return None
        names.append(words[0])
    return len(match.group(1)), match.group(2), names


def importable(module: str, search: list[str]) -> frozenset[str] | None:
    """The names ``from module import …`` may take (module docstring), or None: not judged.

    ``search``: folders searched before ``sys.path`` (the document's project)."""
    spec = _find_spec(module, search)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None  # built in, an extension, a namespace package: not read
    origin = Path(spec.origin)
    folders = list(spec.submodule_search_locations or [])
    try:  # a package's folder changes when a submodule is added: its names with it
        key = (str(origin), origin.stat().st_mtime_ns, *(Path(f).stat().st_mtime_ns for f in folders))
    except OSError:
        return None
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    names = _top_level(origin)
    if names is not None and folders:
        names |= _submodules(folders)
    with _LOCK:
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = found = frozenset(names) if names is not None else None
    return found


def _find_spec(module: str, search: list[str]):
    """The module's spec, found as the import system would find it without executing anything."""
    parts = module.split(".")
    path: list[str] = [*search, *sys.path]
    spec = None
    for i in range(len(parts)):
        try:
            spec = PathFinder.find_spec(".".join(parts[: i + 1]), path)
        except (ImportError, KeyError, ValueError, OSError):  # a namespace package wants its parent imported
            return None
        if spec is None:
            return None
        path = list(spec.submodule_search_locations or [])
        if i < len(parts) - 1 and not path:
            return None
    return spec


def _top_level(origin: Path) -> set[str] | None:
    try:
        source = origin.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
        return None
    if _DYNAMIC.search(source) or any(_DYNAMIC.search(text) for text in _sibling_sources(tree, origin)):
        return None
    names: set[str] = set(_MODULE_ATTRIBUTES)
    if not _bind(tree.body, names):
        return None
    for node in ast.walk(tree):  # a function's ``global x`` binds x in the module when it runs
        if isinstance(node, ast.Global):
            names.update(node.names)
    return names


def _sibling_sources(tree: ast.Module, origin: Path) -> list[str]:
    """The sources of the modules of the same folder that ``tree`` imports at its top level with
    ``from . import x`` (toolz's ``tlz`` builds itself that way, by an import hook)."""
    out = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for name in [node.module] if node.module else [a.name for a in node.names]:
                sibling = origin.parent / f"{name.split('.')[0]}.py"
                try:
                    out.append(sibling.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
    return out


def _dynamic(node: ast.AST) -> bool:
    """Module-level code that may bind names no statement shows (``globals()[...] =``, ``exec``,
    ``setattr`` or ``sys.modules`` games)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in _DYNAMIC_CALLS:
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == "modules" and isinstance(sub.value, ast.Name):
            return True
    return False


def _targets(node: ast.AST, names: set[str]) -> None:
    names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))


def _bind(body: list[ast.stmt], names: set[str]) -> bool:
    """Add what ``body`` binds at module level; False when it cannot be known (a star import,
    a module ``__getattr__``, dynamic bindings, a statement not read here such as ``match``)."""
    for node in body:
        if isinstance(node, _DEFS):
            names.add(node.name)
            ok = node.name != "__getattr__" and not _may_export(node)
        elif _dynamic(node):
            ok = False
        elif isinstance(node, _BLOCKS):
            ok = _bind_block(node, names)
        else:
            ok = _bind_statement(node, names)
        if not ok:
            return False
    return True


def _may_export(node: ast.stmt) -> bool:
    """A class decorator that may put names in the module (``enum.global_enum`` puts the members
    of ``re.RegexFlag`` there: ``from re import IGNORECASE``); the common harmless ones aside."""
    if not isinstance(node, ast.ClassDef):
        return False
    for deco in node.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name not in _HARMLESS_DECORATORS:
            return True
    return False


def _bind_statement(node: ast.stmt, names: set[str]) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if any(a.name == "*" for a in node.names):
            return False
        full = isinstance(node, ast.ImportFrom)
        names.update(a.asname or (a.name if full else a.name.split(".")[0]) for a in node.names)
        return True
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    for target in targets:
        _targets(target, names)
    for sub in ast.walk(node):
        if isinstance(sub, ast.NamedExpr):
            _targets(sub.target, names)
    return bool(targets) or isinstance(node, _PLAIN)


def _bind_block(node: ast.stmt, names: set[str]) -> bool:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        _targets(node.target, names)
    if isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                _targets(item.optional_vars, names)
    for handler in getattr(node, "handlers", []):
        if handler.name:
            names.add(handler.name)
        if not _bind(handler.body, names):
            return False
    return all(_bind(getattr(node, field, []), names) for field in ("body", "orelse", "finalbody"))


def _submodules(locations) -> set[str]:
    out: set[str] = set()
    for folder in locations:
        try:
            for entry in Path(folder).iterdir():
                if entry.is_dir() and entry.name.isidentifier():
                    out.add(entry.name)  # a package, or a namespace package: importable either way
                elif entry.suffix in (".py", ".so", ".pyd", ".pyc"):
                    out.add(entry.name.split(".")[0])
        except OSError:
            continue
    return out


def star_names(text: str, path: Path | None, search: list[str]) -> frozenset[str] | None:
    """Every name the document's star imports may bind, or None when one of them cannot be read.

    A relative one as editor/star_imports.py reads it; an absolute one (``from tkinter import
    *``, ``from distutils.errors import *``) by :func:`importable`: every name its module binds
    at its top level, a superset of what ``import *`` takes, so a name it may bind is never
    judged missing.  A module that cannot be read that way (an extension, a module that
    star-imports itself, one that makes names at run time) leaves the names unknown."""
    return star_bound_names(text, path, absolute=lambda module: importable(module, search))
