import ast

from editor.candidates import Candidate
from editor.document import Document
from validators._focus import focus
from validators.pylint_errors import PylintValidator, lint_sources

SRC = """import os


class Store:
    def __init__(self, root):
        if root:
            self.root = root
        self.items: list = []

    def far(self):
        value = os.getcwd()
        def inner():
            return value
        return inner

    def near(self):
        x = 1
        return x


def helper(a):
    b = a + 1
    return b
"""


def test_focus_keeps_line_numbers_and_the_touched_function():
    out = focus(SRC, range(17, 18))
    assert len(out.split("\n")) == len(SRC.split("\n"))
    ast.parse(out)
    lines = out.split("\n")
    assert lines[16] == "        x = 1" and lines[17] == "        return x"  # near() kept
    assert (
        lines[10] == "        raise NotImplementedError" and lines[11] == "" and lines[13] == ""
    )  # far() blanked
    assert lines[6] == '        self.root = eval("")' and lines[7] == '        self.items = eval("")'
    assert lines[21] == "    raise NotImplementedError" and lines[22] == ""  # helper() blanked


def test_pylint_still_sees_attributes_set_in_blanked_methods():
    doc = Document(SRC.replace("        x = 1\n", "        x = \n"))
    slot = doc.slot(16, 12)
    good, bad = Candidate("len(self.items)", "t"), Candidate("len(self.itemz)", "t")
    verdicts = PylintValidator().validate(slot, [good, bad])
    assert [v.code for v in verdicts[0]] == ["PYL000"]
    assert [v.code for v in verdicts[1]] == ["PYL-E1101"]


LOCKED = """import threading


class Waiter:
    def __init__(self):
        self.lock = threading.Lock()
        self.callback = print

    def add(self, item):
        with self.lock:
            self.callback(item)
"""


def test_members_set_in_a_blanked_method_are_not_taken_for_none():
    lines = LOCKED.split("\n")
    lines[9] = "        with self.lo"  # the cursor after "self.lo"
    slot = Document("\n".join(lines)).slot(9, len(lines[9]))
    verdicts = PylintValidator().validate(slot, [Candidate("ck:", "t")])
    assert [v.code for v in verdicts[0]] == ["PYL000"]  # not E1129 on a None, nor E1102 below


def test_a_body_on_the_header_line_of_a_multiline_signature_is_kept():
    source = (
        "import typing as t\n\n\nclass A:\n    @t.overload\n    def f(\n        self,\n        value: None,\n"
        "    ) -> None: ...\n\n    def g(self):\n        return 1\n"
    )
    out = focus(source, range(12, 13))
    assert "    ) -> None: ..." in out.split("\n")
    compile(out, "<focused>", "exec")  # still parses


WALKED = """import os


@undefined_decorator
def far(a):
    return a.missing + nowhere


class Other:
    limit = os.no_such_thing


class Store:
    def near(self):
        return self.itemz
"""


def _ids(messages):
    return sorted((m["msg_id"], m["line"]) for m in messages)


def test_pylint_walks_only_the_functions_and_classes_that_reach_the_focus():
    (whole,) = lint_sources([WALKED])
    assert ("E0602", 4) in _ids(whole) and ("E0602", 6) in _ids(whole) and ("E1101", 10) in _ids(whole)
    (focused,) = lint_sources([WALKED], focus=[range(15, 16)])
    assert _ids(focused) == [("E1101", 15)]  # near() is walked (its class too); far() and Other are not


def test_a_decorator_line_in_the_focus_is_walked():
    (focused,) = lint_sources([WALKED], focus=[range(4, 5)])
    assert ("E0602", 4) in _ids(focused)  # the decorator is above the def line, still walked
    assert ("E1101", 15) not in _ids(focused)


def test_the_focused_walk_gives_the_same_verdicts_on_the_touched_lines():
    doc = Document(WALKED.replace("        return self.itemz\n", "        return \n"))
    slot = doc.slot(14, 15)
    cands = [
        Candidate(c, "t") for c in ("self.itemz", "os.getcwd()", "far(1)", "far()", "Other.limit", "gone")
    ]
    focused = PylintValidator().validate(slot, cands)
    assert [[v.code for v in vs] for vs in focused] == [
        ["PYL-E1101"],
        ["PYL000"],
        ["PYL000"],
        ["PYL-E1120"],
        ["PYL000"],
        ["PYL-E0602"],
    ]
