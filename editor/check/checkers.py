"""File checkers: which checker handles which file, picked by glob.

A file checker validates whole files of one kind (Python now; tables next).  It
is registered by name with ``@file_checkers.register("name")`` on a factory
``f(CheckConfig) -> FileChecker | None`` (None: switched off by config) and is
found by :func:`load_file_checkers`, which imports every module of
``editor.check`` so their registrations run.  A file goes to the first checker
(in registry-name order) one of whose ``globs`` matches it.

``scope`` says how files may be split up:

* ``"file"``: each file is judged on its own; files are checked in chunks across
  worker processes and cached one by one (Python);
* ``"set"``: the checker needs all its files at once (cross-table rules); they go
  to one call in one process, cached as one entry keyed by every member's content.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

from editor.check.findings import Finding
from editor.check.settings import CheckConfig
from editor.errors import ExitCode, GfvError
from editor.registry import Registry, import_submodules


@dataclass
class FileOutcome:
    """A checker's judgement of one file: findings left after suppressions, and how many were suppressed."""

    findings: list[Finding]
    suppressed: int = 0
    sandbox: dict | None = None  # the property sandbox's facts (isolation used), when properties ran
    cacheable: bool = True  # False: do not cache (a timeout may be load on the machine)


@runtime_checkable
class FileChecker(Protocol):
    """Validates whole files; see the module docstring."""

    name: str
    scope: str  # "file" or "set"
    globs: Sequence[str]

    def fingerprint(self) -> str:
        """Everything besides file contents that changes results: tool versions, settings."""

    def file_fingerprint(self, path: Path) -> str:
        """Per-file settings that change results (e.g. black's mode from the nearest pyproject)."""

    def check(self, paths: Sequence[Path]) -> list[FileOutcome]:
        """One outcome per path, in order.  Must not raise for a bad file: report a finding."""


file_checkers: Registry = Registry("file checker")

_LOADED = False


def load_file_checkers() -> None:
    """Import the modules of ``editor.check`` so that their checkers register."""
    global _LOADED  # pylint: disable=global-statement
    if not _LOADED:
        import_submodules("editor.check")
        _LOADED = True


def build_checkers(cfg: CheckConfig) -> dict[str, FileChecker]:
    """The enabled checkers, by name, in registry order."""
    load_file_checkers()
    out: dict[str, FileChecker] = {}
    for name in file_checkers.names():
        checker = file_checkers.get(name)(cfg)
        if checker is not None:
            out[name] = checker
    return out


def _glob_match(path: Path, rel: str, globs: Sequence[str]) -> bool:
    """A glob with a '/' matches the path relative to the root; one without, the file name."""
    for glob in globs:
        target = rel if "/" in glob else path.name
        if fnmatch.fnmatchcase(target, glob):
            return True
    return False


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form when it lies inside it, else absolute."""
    absolute = path if path.is_absolute() else root / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.resolve().as_posix()


def checker_for(path: Path, checkers: dict[str, FileChecker], root: Path) -> str | None:
    """Name of the first checker whose globs match ``path``, or None."""
    rel = relative(path, root)
    for name, checker in checkers.items():
        if _glob_match(path, rel, checker.globs):
            return name
    return None


@dataclass
class Target:
    """A file to check: how to show it, where it is, and which checker takes it."""

    display: str
    path: Path
    checker: str


def collect_targets(
    paths: Sequence[Path], checkers: dict[str, FileChecker], exclude: Sequence[str], root: Path
) -> tuple[list[Target], list[str]]:
    """Files to check under ``paths`` and notes about named files no checker takes.

    A missing path is a usage error.  Directories are walked, skipping names that
    match ``exclude``; a file named explicitly is checked even if excluded.
    """
    targets: list[Target] = []
    notes: list[str] = []
    seen: set[Path] = set()

    def add(path: Path, display: str, explicit: bool) -> None:
        name = checker_for(path, checkers, root)
        if name is None:
            if explicit:
                notes.append(f"{display}: no checker for this kind of file; skipped")
            return
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            targets.append(Target(display, path, name))

    for given in paths:
        if not given.exists():
            raise GfvError(f"{given}: no such file or directory", ExitCode.USAGE)
        if given.is_file():
            add(given, given.as_posix(), explicit=True)
            continue
        found: list[Path] = []
        for folder, dirs, files in os.walk(given):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatchcase(d, g) for g in exclude))
            for name in files:
                if not any(fnmatch.fnmatchcase(name, g) for g in exclude):
                    found.append(Path(folder) / name)
        for path in sorted(found):
            add(path, path.as_posix(), explicit=False)
    return targets, notes
