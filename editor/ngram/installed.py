"""The installed packages' sources as n-gram training text (``generators.train_installed``).

The standard library is one style of Python; the packages installed next to gfv (its
own dependencies and whatever the user installed) are many more: typed signatures,
dataclasses, f-strings, the idioms of current projects.  :func:`installed_files` picks
their ``.py`` files from the environment's ``purelib`` directory, with bounds so that
no one package dominates the counts:

* test directories and vendored copies (``_vendor``, ``vendored``...) are left out;
* a file over ``MAX_FILE_BYTES`` (generated tables, long literal data) is left out;
* a package contributes at most ``PACKAGE_BYTES``, its files taken in path order.

``exclude`` leaves packages out by name, wherever the name occurs on a file's path,
and ``exclude_files`` leaves out files with the same bytes as the given ones: a
benchmark's repository must never be part of its own training text, nor a copy of it
another package carries (editor/bench/tasks.py ``training_corpus``).
"""

from __future__ import annotations

import hashlib
import sysconfig
from pathlib import Path
from typing import Callable, Iterable, Sequence

MAX_FILE_BYTES = 200_000
PACKAGE_BYTES = 1_500_000
SKIP_DIRS = frozenset(
    {"test", "tests", "testing", "__pycache__", "_vendor", "vendor", "vendored", "_vendored", "_distutils"}
)
OWN = frozenset({"editor", "validators", "gfv_entry"})  # gfv's own modules: never its own training text


def site_packages() -> Path:
    """The environment's directory of installed pure-Python packages."""
    return Path(sysconfig.get_paths()["purelib"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copies_of(files: Sequence[Path]) -> Callable[[Path], bool]:
    """Whether a file has the same bytes as one of ``files`` (read only when its size matches)."""
    same, sizes = {_digest(p) for p in files}, {p.stat().st_size for p in files}

    def copied(path: Path) -> bool:
        try:
            return path.stat().st_size in sizes and _digest(path) in same
        except OSError:
            return False

    return copied


def without_repository(
    files: Iterable[Path], root: Path, names: Iterable[str], exclude_files: Sequence[Path]
) -> list[Path]:
    """``files`` (all under ``root``) without those of the top-level packages or modules in ``names`` and
    without copies of ``exclude_files``: the standard library when the benchmark's repository is one of
    its packages, or a copy of one."""
    names = frozenset(names)
    copied = copies_of(exclude_files)
    return [
        p for p in files if p.relative_to(root).parts[0].removesuffix(".py") not in names and not copied(p)
    ]


def _package_files(top: Path, root: Path, skip: frozenset[str]) -> list[Path]:
    if top.is_file():
        return [top] if top.suffix == ".py" else []
    return sorted(p for p in top.rglob("*.py") if not skip & set(p.relative_to(root).parts[:-1]))


def installed_files(
    exclude: Iterable[str] = (), exclude_files: Sequence[Path] = (), root: Path | None = None
) -> list[Path]:
    """``.py`` files of the installed packages under ``root`` (default: :func:`site_packages`), bounded
    as the module docstring says, without the packages named in ``exclude`` and the copies of
    ``exclude_files``."""
    root = root or site_packages()
    if not root.is_dir():
        return []
    names = frozenset(exclude)
    skip = SKIP_DIRS | names
    copied = copies_of(exclude_files)
    out: list[Path] = []
    for top in sorted(root.iterdir()):
        name = top.name.removesuffix(".py")
        if name in names or name in OWN or name.startswith("_") or "." in name or "-" in name:
            continue  # dist-info, egg-info, private helpers (``_pytest`` is ``pytest``'s own copy)
        total = 0
        for path in _package_files(top, root, skip):
            try:
                size = path.stat().st_size
                if size > MAX_FILE_BYTES or total + size > PACKAGE_BYTES or copied(path):
                    continue
            except OSError:
                continue
            total += size
            out.append(path)
    return out
