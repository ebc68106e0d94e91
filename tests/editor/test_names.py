"""The conservative undefined-name check that gives up doomed block drafts."""

from editor.document import Document
from editor.names import NameCheck, parse_body
from editor.scope import blanked

DOC = """import os
from pathlib import Path as P

LIMIT = 3


class Box:
    size = 1

    def grow(self, by):
        for item, count in by.items():
            total = count
        return total


def fetch(paths, *args, key=None, **kw):
    
"""


def _check() -> NameCheck:
    return NameCheck(blanked(Document(DOC).slot(16, 4, block=True)), 16)


def test_a_name_the_slot_cannot_see_is_undefined():
    check = _check()
    assert check.undefined(["    return value"]) == ["value"]
    # parameters, imports (aliased), module constants and classes, builtins, module attributes
    assert (
        check.undefined(
            ["    x = [p for p in paths if p != key]", "    return P(os.sep), LIMIT, len(kw), args"]
        )
        == []
    )
    assert check.undefined(["    print(__file__, Box)"]) == []
    # another function's locals, and a class attribute, are not in scope here
    assert check.undefined(["    return total, item, size"]) == ["item", "size", "total"]


def test_a_nested_function_sees_the_enclosing_ones_and_a_method_not_its_class_body():
    doc = (
        "class C:\n    size = 1\n\n    def m(self, a):\n        b = 2\n\n        def inner():\n            \n"
    )
    inner = NameCheck(blanked(Document(doc).slot(7, 12, block=True)), 7)
    assert inner.undefined(["            return a + b + self.size"]) == []
    assert inner.undefined(["            return size"]) == ["size"]


def test_names_the_body_binds_itself_count_even_when_bound_later():
    check = _check()
    assert check.undefined(["    for x in paths:", "        y = x", "    return y"]) == []
    assert (
        check.undefined(["    try:", "        pass", "    except OSError as err:", "        raise err"]) == []
    )


def test_an_open_block_is_closed_with_pass_and_an_open_bracket_is_not_judged():
    check = _check()
    assert check.undefined(["    if ghost:"]) == ["ghost"]
    assert parse_body(["    foo(", "        ghost,"]) is None
    assert check.undefined(["    foo(", "        ghost,"]) == []


def test_a_star_import_or_a_document_that_does_not_parse_is_never_judged():
    assert NameCheck("from os import *\n\ndef f():\n    pass\n", 3).undefined(["    return ghost"]) == []
    assert NameCheck("def f(:\n", 1).undefined(["    return ghost"]) == []
