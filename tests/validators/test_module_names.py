"""What ``from module import name`` may import, read from the module's source (never imported)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import os

import pytest

from tests.helpers import make_package
from validators._module_names import importable, imported_names

DUNDERS = {"__doc__", "__name__", "__file__", "__spec__", "__loader__", "__package__", "__path__", "__builtins__",
           "__dict__", "__cached__"}  # fmt: skip


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("from os import path", (0, "os", ["path"])),
        ("from json import loads, dumps as d  # comment", (0, "json", ["loads", "dumps"])),
        ("from . import x", (1, "", ["x"])),
        ("from ..pkg.mod import (a, b)", (2, "pkg.mod", ["a", "b"])),
        ("from x import (", None),  # not complete on the line
        ("from x import a as", None),
        ("from x import *", None),
        ("import os", None),
    ],
)
def test_imported_names_reads_one_complete_line(line, found):
    assert imported_names(line) == found


def _package(tmp_path, init: str, **modules: str):
    make_package(tmp_path, "pkg_under_test", init, **modules)
    return [str(tmp_path)]


def test_top_level_bindings_in_blocks_and_submodules_are_importable(tmp_path):
    search = _package(
        tmp_path,
        "import os as osmod\nfrom json import loads\nA = 1\nif A:\n    B: int = 2\nelse:\n    C = 3\n"
        "try:\n    import zlib\nexcept ImportError as failed:\n    zlib = None\n"
        "def f():\n    global LATE\n    LATE = 1\n    inner = 2\nclass K:\n    attr = 1\n",
        sub="X = 1\n",
    )
    names = importable("pkg_under_test", search)
    assert {"osmod", "loads", "A", "B", "C", "zlib", "failed", "f", "LATE", "K", "sub"} <= names
    assert "inner" not in names and "attr" not in names and "os" not in names
    assert importable("pkg_under_test.sub", search) == {"X"} | DUNDERS  # a module's own attributes too


@pytest.mark.parametrize(
    "init",
    [
        "from json import *\n",
        "def __getattr__(name):\n    return name\n",
        "globals()['made'] = 1\n",
        "import sys\nsys.modules['pkg_under_test.alias'] = sys\n",
        "for name in 'ab':\n    setattr(object, name, 1)\n",
    ],
)
def test_a_module_that_may_bind_names_no_statement_shows_is_not_judged(tmp_path, init):
    assert importable("pkg_under_test", _package(tmp_path, init)) is None


def test_what_cannot_be_read_is_not_judged(tmp_path):
    assert importable("no_such_module_anywhere", []) is None
    assert importable("sys", []) is None  # built in: no source
    assert importable("pkg_under_test.missing", _package(tmp_path, "A = 1\n")) is None
    (tmp_path / "broken_mod.py").write_text("def (:\n")
    assert importable("broken_mod", [str(tmp_path)]) is None


def test_a_changed_module_is_read_again(tmp_path):
    mod = tmp_path / "changing_mod.py"
    mod.write_text("A = 1\n")
    assert importable("changing_mod", [str(tmp_path)]) == {"A"} | DUNDERS
    mod.write_text("A = 1\nB = 2\n")
    os.utime(mod, ns=(mod.stat().st_atime_ns, mod.stat().st_mtime_ns + 1_000_000))
    assert importable("changing_mod", [str(tmp_path)]) == {"A", "B"} | DUNDERS


def test_a_submodule_added_to_a_package_is_seen(tmp_path):
    search = _package(tmp_path, "A = 1\n")
    assert "added" not in importable("pkg_under_test", search)
    folder = tmp_path / "pkg_under_test"
    (folder / "added.py").write_text("")
    os.utime(folder, ns=(folder.stat().st_atime_ns, folder.stat().st_mtime_ns + 1_000_000))
    assert "added" in importable("pkg_under_test", search)
