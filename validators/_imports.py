"""Relative imports made absolute, so that pylint can resolve them from a temporary file.

pylint lints each candidate's document as a temporary module outside its package, where
``from .pretty import Pretty`` is "beyond the top-level package" (E0402) and its names
cannot be inferred.  The document's package is known from its path (the chain of folders
with an ``__init__.py``), so each relative ``from`` import becomes the absolute one it
stands for, on the same line, and the folder that holds the top package goes on pylint's
search path.  A relative import that climbs above the top package is left alone: pylint
reports it, rightly.
"""

from __future__ import annotations

import re
from pathlib import Path

_RELATIVE = re.compile(r"^(\s*from\s+)(\.+)([\w.]*)(\s+import\b)", re.MULTILINE)


def package_of(path: Path) -> tuple[list[str], Path | None]:
    """The dotted package a file is in (outermost first) and the folder holding the top package."""
    folder = path.resolve().parent
    parts: list[str] = []
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return parts, folder if parts else None


def import_root(path: Path | None) -> tuple[list[str], str | None]:
    """The document's package (:func:`package_of`) and the folder its imports resolve from: the
    one holding the top package, else the document's own folder (None without a path)."""
    if path is None:
        return [], None
    package, top = package_of(Path(path))
    return package, str(top) if top is not None else str(Path(path).resolve().parent)


def absolute_module(package: list[str], dots: int, module: str) -> str | None:
    """The absolute module of ``from <dots><module> import`` in ``package``; None when it climbs
    above the top package."""
    up = dots - 1
    if up >= len(package):
        return None
    base = package[: len(package) - up]
    return ".".join([*base, module] if module else base)


def absolute_imports(source: str, package: list[str]) -> str:
    """``source`` with relative ``from`` imports rewritten against ``package``; lines are not moved."""
    if not package:
        return source

    def repl(match: re.Match) -> str:
        module = absolute_module(package, len(match.group(2)), match.group(3))
        return match.group(0) if module is None else f"{match.group(1)}{module}{match.group(4)}"

    return _RELATIVE.sub(repl, source)
