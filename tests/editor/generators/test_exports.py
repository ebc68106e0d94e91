"""The exports generator: the module's names that its ``__all__`` does not list yet."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

from pathlib import Path

from editor.document import Document
from editor.generators.exports import ExportsGenerator

UNSORTED = """from __future__ import annotations
import os
from typing import TYPE_CHECKING
from ._impl import helper as _helper

__all__ = [
    "load",
    CURSOR
    "Reader",
]

__doc__ = "x"


def load(path):
    return os.fspath(path)


def save(path):
    return path


def __getattr__(name):
    raise AttributeError(name)


class Reader:
    pass


LIMIT = 3
"""


def proposed(text: str, typed: str = "    ", path: Path | None = None, limit: int = 10) -> list[str]:
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if "CURSOR" in line)
    lines[row] = typed
    slot = Document("\n".join(lines), path).slot(row, len(typed))
    return [typed + c.text for c in ExportsGenerator().generate(slot, limit)]


def test_the_names_not_listed_come_nearest_the_neighbours_bindings_first_in_the_lists_style():
    got = proposed(UNSORTED)
    # ``save`` is bound right after ``load`` (the entry above); ``LIMIT`` last of the module's own;
    # an absolute import outside an ``__init__.py`` and a module hook after them
    assert got == ['    "save",', '    "LIMIT",', '    "TYPE_CHECKING",', '    "__getattr__",']
    assert all(not n.strip().strip('",').startswith("_h") for n in got)  # private: the list holds none


def test_a_sorted_list_takes_the_missing_names_from_the_cursors_place_on():
    text = "def b(): pass\ndef d(): pass\ndef a(): pass\ndef e(): pass\n\n__all__ = (\n    'a',\n    CURSOR\n    'c',\n)\n\ndef c(): pass\n"
    assert proposed(text) == ["    'b',", "    'd',", "    'e',"]


def test_a_typed_prefix_filters_and_the_candidate_is_the_rest():
    lines = UNSORTED.replace("CURSOR", '"sa').split("\n")
    row = next(i for i, line in enumerate(lines) if '"sa' in line)
    slot = Document("\n".join(lines)).slot(row, len(lines[row]))
    assert [c.text for c in ExportsGenerator().generate(slot, 5)] == ['ve",']


def test_nothing_outside_an_open_all_list():
    closed = UNSORTED.replace('    CURSOR\n    "Reader",\n]', '    "Reader",\n]\nCURSOR')
    assert proposed(closed, typed="") == []
    other = UNSORTED.replace("__all__ = [", "names = [")
    assert proposed(other) == []
    assert proposed(UNSORTED, typed="    x = ") == []  # not an entry being typed


def test_in_a_packages_init_imported_names_and_a_sibling_star_import_are_exports(tmp_path):
    (tmp_path / "_shapes.py").write_text("import math\n\n__all__ = ['Square', 'Circle']\n")
    init = tmp_path / "__init__.py"
    text = "from pathlib import Path\nfrom ._shapes import *\n\n__all__ = [\n    'Path',\n    CURSOR\n]\n"
    init.write_text(text)
    assert proposed(text, path=init) == ["    'Square',", "    'Circle',"]
