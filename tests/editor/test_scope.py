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
