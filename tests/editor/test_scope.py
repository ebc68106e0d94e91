from editor.document import Document
from editor.scope import scope_at

SRC = """import os
from pathlib import Path as P

class Store:
    def __init__(self, root, limit=3):
        self.root = root
        self.items = []

    def scan(self, pattern):
        found = []
        for dirpath, _dirs, files in os.walk(self.root):
            found.extend(files)
        total = len(found
"""


def test_scope_inside_method_with_broken_current_line():
    scope = scope_at(Document(SRC).slot(12, 8))
    assert scope.where == "method" and scope.function == "scan"
    assert scope.params == ["pattern"]
    assert scope.locals[:3] == ["files", "dirpath", "found"]  # most recent first, _private dropped
    assert set(scope.imports) == {"os", "P"}
    assert {"root", "items"} <= set(scope.attrs)


def test_scope_falls_back_to_regex_when_unparseable_elsewhere():
    broken = SRC.replace("self.items = []", "self.items = [")
    scope = scope_at(Document(broken).slot(12, 8))
    assert "found" in scope.locals and "scan" in scope.functions and "os" in scope.imports


def test_scope_is_remembered_per_blanked_document_as_a_copy_and_never_stale():
    doc = "import os\n\ndef f(a):\n    b = 1\n    \n"
    first = scope_at(Document(doc).slot(4, 4))
    first.where = "module"
    first.locals.append("mutated")
    again = scope_at(Document(doc.replace("    \n", "    re\n")).slot(4, 6))  # one more keystroke
    assert again.where == "function" and "mutated" not in again.locals and "b" in again.locals
    changed = scope_at(Document(doc.replace("b = 1", "c = 1")).slot(4, 4))  # the text around changed
    assert "c" in changed.locals and "b" not in changed.locals


HEADER_LINE = """import typing as t

V = t.TypeVar("V")
TABLE = {"a": 1}


class Bar:
    def update(self, steps, item=None):
        done = steps + 1
        label = str(item)
@@
            self.render(done, label)
        return done
""".replace("@@", " " * 8)


def test_an_emptied_line_that_opened_a_block_is_still_in_its_method():
    # the line above the deeper-indented body is empty (the start of ``if wait:``): ``pass`` does
    # not parse there, a header does; before, this fell back to a module-wide regex scan
    scope = scope_at(Document(HEADER_LINE).slot(10, 8))
    assert scope.where == "method" and scope.function == "update"
    assert scope.params == ["steps", "item"]
    assert scope.locals == ["label", "done"]  # the function's own names only ...
    assert scope.globals == ["TABLE", "V"]  # ... the module's apart, still in all_names
    assert {"TABLE", "V", "label", "steps"} <= set(scope.all_names())


def test_an_except_header_is_tried_when_if_does_not_parse():
    doc = "def f(path):\n    try:\n        data = open(path)\n    \n        data = None\n    return data\n"
    scope = scope_at(Document(doc).slot(3, 4))
    assert scope.where == "function" and scope.params == ["path"] and scope.locals == ["data"]


def test_the_regex_scan_finds_the_enclosing_method_by_indentation():
    broken = HEADER_LINE.replace('{"a": 1}', '{"a": 1').replace(
        "            self.render", "        self.render"
    )
    # a comment at the margin inside the method encloses nothing
    broken = broken.replace("        label = str(item)", "# a note\n        label = str(item)")
    scope = scope_at(Document(broken).slot(11, 8))  # the open brace spoils the parse everywhere
    assert scope.where == "method" and scope.function == "update" and scope.params == ["steps", "item"]
    assert scope.locals == ["label", "done"] and scope.globals == ["TABLE", "V"]
    module = scope_at(Document(broken + "print(V)\n").slot(14, 0))
    assert module.where == "module" and module.function is None and module.locals == module.globals


def test_locals_are_the_names_bound_in_line_order_not_those_only_loaded_or_nested():
    doc = (
        "import os\n\ndef f(env):\n    old = dict(os.environ)\n    def inner():\n        hidden = 1\n"
        "        return hidden\n    try:\n        os.environ['A'] = env\n        yield\n    finally:\n"
        "        for key, value in old.items():\n            \n"
    )
    scope = scope_at(Document(doc).slot(12, 12))
    assert scope.locals == ["value", "key", "old"]  # not os (loaded by a target), not inner's hidden
