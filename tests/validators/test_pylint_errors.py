"""Tests for the "pylint" validator (real pylint in-process, no mocks)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import time

import pytest

from editor.candidates import Candidate
from editor.document import Document
from editor.stages import StageContext, validators
from validators.pylint_errors import PylintValidator, lint_sources

DOC = "import os\n\nLIMIT = 3\n\n\ndef double(a):\n    return a * 2\n\n\nprint(not_defined_anywhere)\n"


def judge(text: str, line: int, col: int, *cands: str):
    slot = Document(text).slot(line, col)
    return PylintValidator().validate(slot, [Candidate(text=c, source="test") for c in cands])


def test_registered_as_expensive():
    validator = validators.get("pylint")(StageContext(config=None))
    assert validator.name == "pylint" and validator.cost == "expensive"


def test_undefined_name_on_candidate_line():
    (verdicts,) = judge(DOC, 10, 0, "y = missing_name + 1")
    assert [v.code for v in verdicts] == ["PYL-E0602"]
    assert not verdicts[0].ok and verdicts[0].line == 11
    assert verdicts[0].details == {"symbol": "undefined-variable"}
    assert "missing_name" in verdicts[0].message


def test_undefined_name_elsewhere_not_reported_and_defined_name_passes():
    (verdicts,) = judge(DOC, 10, 0, "y = double(LIMIT) + len(os.sep)")
    assert [v.code for v in verdicts] == ["PYL000"] and verdicts[0].ok


def test_other_error_classes():
    no_member, no_arg, too_many = judge(DOC, 10, 0, "os.no_such_thing()", "double()", "double(1, 2)")
    assert [v.code for v in no_member] == ["PYL-E1101"]
    assert [v.code for v in no_arg] == ["PYL-E1120"]
    assert [v.code for v in too_many] == ["PYL-E1121"]


def test_used_before_assignment_in_function():
    doc = "def f():\n    \n    value = 1\n    return value\n"
    (verdicts,) = judge(doc, 1, 4, "print(value)")
    assert verdicts[0].code in {"PYL-E0601", "PYL-E0606"} and not verdicts[0].ok


def test_no_stale_modules_between_calls():
    first = lint_sources(["def helper():\n    return 1\n\nhelper()\n"])
    second = lint_sources(["helper()\n"])
    assert first == [[]]
    assert [m["symbol"] for m in second[0]] == ["undefined-variable"]


def test_thirty_candidates_in_one_call():
    doc = "import os\n\nLIMIT = 3\n" + "".join(
        f"\n\ndef f{i}(a):\n    return os.path.join(str(a), '{i}')\n" for i in range(30)
    )
    slot = Document(doc).slot(len(Document(doc).lines), 0)
    cands = [
        Candidate(text=f"y{i} = f{i}(LIMIT)" if i % 2 else f"y{i} = g{i}(LIMIT)", source="test")
        for i in range(30)
    ]
    start = time.perf_counter()
    results = PylintValidator().validate(slot, cands)
    elapsed = time.perf_counter() - start
    assert len(results) == 30
    for i, verdicts in enumerate(results):
        expected = ["PYL000"] if i % 2 else ["PYL-E0602"]
        assert [v.code for v in verdicts] == expected, (i, verdicts)
    assert elapsed < 30  # generous: a few dozen ms per candidate is typical


@pytest.fixture
def lint_calls(monkeypatch):
    """The sources of each lint_sources call the validator makes (the real pylint still runs)."""
    import validators.pylint_errors as mod

    calls = []
    real = mod.lint_sources

    def counting(sources, search_path=None, focus=None):
        calls.append(list(sources))
        return real(sources, search_path, focus=focus)

    monkeypatch.setattr(mod, "lint_sources", counting)
    return calls


def test_a_document_linted_before_is_not_linted_again(lint_calls):
    validator = PylintValidator()
    doc = Document("import os\n\nx = \n")
    slot_a = doc.slot(2, 4)
    first = validator.validate(slot_a, [Candidate("os.getcwd()", "t"), Candidate("undefined_thing", "t")])
    assert [v[0].code for v in first] == ["PYL000", "PYL-E0602"] and [len(c) for c in lint_calls] == [2]
    # one more character typed: the same completed lines, nothing linted again
    slot_b = Document("import os\n\nx = o\n").slot(2, 5)
    again = validator.validate(slot_b, [Candidate("s.getcwd()", "t"), Candidate("s.nope()", "t")])
    assert [v[0].code for v in again] == ["PYL000", "PYL-E1101"] and [len(c) for c in lint_calls] == [2, 1]


def test_an_open_block_is_tolerated_so_pylint_can_judge_the_candidate():
    # the `for` has no body yet: pylint alone sees only a syntax error, on line 3's block
    doc = "import os\n\nfor root, dirs, files in os.wa\n"
    (verdicts,) = judge(doc, 2, len("for root, dirs, files in os.wa"), "lk(path):")
    assert [v.code for v in verdicts] == ["PYL-E0602"] and not verdicts[0].ok
    assert "Undefined variable 'path'" in verdicts[0].message and verdicts[0].line == 3
    (ok,) = judge(doc, 2, len("for root, dirs, files in os.wa"), "lk('.'):")
    assert [v.code for v in ok] == ["PYL000"] and ok[0].ok


def test_lines_after_an_inserted_pass_map_back_to_the_document():
    doc = "import os\nfor name in os.listdir('.'):\n\nLIMIT = 3\n"
    (verdicts,) = judge(doc, 2, 0, "print(missing_name)")
    assert [v.code for v in verdicts] == ["PYL-E0602"]
    assert verdicts[0].line == 3 and "line 3" in verdicts[0].message


def test_a_document_broken_elsewhere_is_not_checked_never_a_pass():
    doc = "import os\n\ndef broken(:\n    pass\n\n\nx = 1\n"
    (verdicts,) = judge(doc, 6, 5, " + len(os.sep)")
    (verdict,) = verdicts
    assert verdict.code == "PYL998" and not verdict.ok and not verdict.checked
    assert verdict.message.startswith("not checked: pylint could not parse the document")
    assert verdict.line == 3


def test_a_syntax_error_or_fatal_from_pylint_anywhere_is_not_checked(monkeypatch):
    for msg_id, symbol in (("E0001", "syntax-error"), ("F0002", "astroid-error"), ("F0010", "parse-error")):
        message = {"msg_id": msg_id, "symbol": symbol, "msg": "boom", "line": 1, "column": 0}
        monkeypatch.setattr(
            "validators.pylint_errors.lint_sources",
            lambda srcs, path, focus=None, m=message: [[m]] * len(srcs),
        )
        (verdicts,) = judge(DOC, 10, 0, "y = 1")
        assert [(v.code, v.ok, v.checked) for v in verdicts] == [("PYL998", False, False)], msg_id
        assert verdicts[0].details["symbol"] == symbol


def test_a_pylint_crash_is_not_checked_never_a_pass(monkeypatch):
    def crash(sources, search_path=None, focus=None):
        raise RuntimeError("astroid exploded")

    monkeypatch.setattr("validators.pylint_errors.lint_sources", crash)
    first, second = judge(DOC, 10, 0, "y = 1", "y = 2")
    for verdicts in (first, second):
        assert [(v.code, v.ok, v.checked) for v in verdicts] == [("PYL999", False, False)]
        assert "astroid exploded" in verdicts[0].message


def test_far_function_bodies_are_blanked_after_the_open_block_is_tolerated():
    far = "def helper(a):\n" + "".join(f"    v{i} = a + {i}\n" for i in range(30)) + "    return a\n\n\n"
    doc = far + "\n"
    line = doc.count("\n") - 1
    bad, good = judge(doc, line, 0, "for item in helper(undefined_here):", "for item in helper(3):")
    assert [v.code for v in bad] == ["PYL-E0602"] and bad[0].line == line + 1
    assert [v.code for v in good] == ["PYL000"]


def test_warm_lints_the_document_as_it_stands_so_its_imports_are_built_before_a_candidate(
    lint_calls, tmp_path
):
    import astroid

    calls = lint_calls
    (tmp_path / "gfv_warm_helper_mod.py").write_text("def helper(a):\n    return a\n", encoding="utf-8")
    text = "import gfv_warm_helper_mod\n\nx = \n"
    (tmp_path / "main.py").write_text(text, encoding="utf-8")
    astroid.MANAGER.astroid_cache.pop("gfv_warm_helper_mod", None)
    validator = PylintValidator()
    slot = Document(text, tmp_path / "main.py").slot(2, 4)
    validator.warm(slot)
    assert len(calls) == 1 and "import gfv_warm_helper_mod" in calls[0][0]
    assert "gfv_warm_helper_mod" in astroid.MANAGER.astroid_cache  # built once, kept for the candidates
    got = validator.validate(slot, [Candidate("gfv_warm_helper_mod.helper(1)", "t"), Candidate("nope", "t")])
    assert [v[0].code for v in got] == ["PYL000", "PYL-E0602"] and len(calls) == 2


MIXIN = """class Scanner:
    def scan(self):
        if self.peek() == " ":
            self.forward()
        
        return self.peek()
"""


def test_what_pylint_says_of_the_document_elsewhere_is_not_the_candidates_fault():
    # PyYAML's Scanner is a mixin: its peek() comes from the Reader it is composed with
    same, new = judge(MIXIN, 4, 8, "while self.peek() == ' ':", "self.unheard_of()")
    assert [v.code for v in same] == ["PYL000"]
    assert [v.code for v in new] == ["PYL-E1101"] and "unheard_of" in new[0].message


def test_a_message_wholly_in_the_typed_text_is_the_users_not_the_candidates():
    """diskcache's ``index = self._hash(key) % se``: pylint's E1102 on the typed call rejected
    every completion of the line.  A message that reaches into the candidate still counts."""
    head = "class Box:\n    _hash = 3\n    _count = 2\n\n\n"
    head += "    def index(self, key):\n"
    typed = "        return self._hash(key) % se"
    (whole,) = judge(head + "\n", 6, 0, typed + "lf._count")
    assert [v.code for v in whole] == ["PYL-E1102"]  # the precondition: pylint gets the call wrong
    fine, wrong = judge(head + typed + "\n", 6, len(typed), "lf._count", "lf._count + missing_name")
    assert [v.code for v in fine] == ["PYL000"]
    assert [v.code for v in wrong] == ["PYL-E0602"] and "missing_name" in wrong[0].message
    call = "def pair(a, b):\n    return a, b\n\n\nTOTAL = pair(\n"
    (short,) = judge(call, 4, len("TOTAL = pair("), "1)")
    assert [v.code for v in short] == ["PYL-E1120"]  # the call spans the typed text and the candidate


def test_a_member_the_document_uses_as_self_x_elsewhere_is_its_own_even_out_of_focus():
    """yaml's ``ch = self.peek()`` was refused: the document's other ``self.peek()`` calls are
    in functions pylint's focused walk skips, so "pylint says the same elsewhere" did not hold."""
    far = "\n".join(f"    def step{i}(self):\n        return self.peek() + {i}\n" for i in range(12))
    doc = f"class Scanner:\n{far}\n    def scan(self):\n        ch = \n        return ch\n"
    line = doc.split("\n").index("        ch = ")
    same, new = judge(doc, line, len("        ch = "), "self.peek()", "self.unheard_of()")
    assert [v.code for v in same] == ["PYL000"]
    assert [v.code for v in new] == ["PYL-E1101"] and "unheard_of" in new[0].message


def test_a_member_set_in_a_blanked_method_is_callable_and_a_class_constant_is_not():
    """fsspec's ``self.open_refs(field, record)`` and markupsafe's ``self.escape(...)`` were refused
    with ``E1102``: the focused walk kept ``self.make = ...`` in a blanked ``__init__`` as ``None``."""
    init = "    limit = 3\n\n    def __init__(self, **kwargs):\n        self.make = kwargs.pop('make', int)\n"
    far = "\n".join(f"    def step{i}(self):\n        return {i}\n" for i in range(12))
    doc = f"class Box:\n{init}\n{far}\n    def scan(self):\n        item = \n        return item\n"
    line = doc.split("\n").index("        item = ")
    called, constant = judge(doc, line, len("        item = "), "self.make(1)", "self.limit(1)")
    assert [v.code for v in called] == ["PYL000"]
    assert [v.code for v in constant] == ["PYL-E1102"]
