"""Helpers shared by test modules (not fixtures)."""

from __future__ import annotations

from pathlib import Path


def make_package(folder: Path, name: str, init: str = "", **modules: str) -> Path:
    """A package ``name`` in ``folder``: its ``__init__.py`` and one ``<module>.py`` per keyword."""
    pkg = folder / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text(init)
    for module, text in modules.items():
        (pkg / f"{module}.py").write_text(text)
    return pkg
