"""Tests for the "syntax" validator (real ast parsing, no mocks)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import time

from editor.candidates import Candidate
from editor.document import Document
from editor.stages import StageContext, validators
from validators.syntax import SyntaxValidator


def judge(text: str, line: int, col: int, *cands: str):
    """The single verdict of each candidate."""
    slot = Document(text).slot(line, col)
    results = SyntaxValidator().validate(slot, [Candidate(text=c, source="test") for c in cands])
    assert all(len(r) == 1 for r in results)
    return [r[0] for r in results]


def test_registered_as_cheap():
    validator = validators.get("syntax")(StageContext(config=None))
    assert validator.name == "syntax" and validator.cost == "cheap"


def test_plain_statement_ok():
    (verdict,) = judge("x = 1\n", 1, 0, "y = x + 1")
    assert verdict.ok and verdict.code == "SYN000"


def test_block_header_at_end_of_document():
    (verdict,) = judge("items = [1, 2]\n", 1, 0, "for x in items:")
    assert verdict.ok and verdict.code == "SYN000"
    assert verdict.details["tolerated"]


def test_block_header_mid_document():
    (verdict,) = judge("items = [1, 2]\n\nprint(items)\n", 1, 0, "for x in items:")
    assert verdict.ok and verdict.code == "SYN000"


def test_header_with_existing_body_needs_no_tolerance():
    (verdict,) = judge("items = [1]\n\n    print(items)\n", 1, 0, "for x in items:")
    assert verdict.ok and verdict.code == "SYN000" and not verdict.details


def test_try_header_tolerated():
    (verdict,) = judge("x = 1\n\ny = 2\n", 1, 0, "try:")
    assert verdict.ok


def test_open_block_already_in_document():
    ok, comment = judge("def f():\n    \n", 1, 4, "return 1", "# nothing yet")
    assert ok.code == "SYN000" and comment.code == "SYN000"


def test_open_bracket_is_incomplete():
    (verdict,) = judge("x = 0\n", 1, 0, "x = (1,")
    assert not verdict.ok and verdict.code == "SYN003"
    assert verdict.line == 2


def test_candidate_breaking_parse():
    unmatched, no_colon = judge("x = 0\n\nprint(x)\n", 1, 0, "y = 1)", "if x")
    assert not unmatched.ok and unmatched.code == "SYN001"
    assert "unmatched ')'" in unmatched.message and unmatched.line == 2
    assert not no_colon.ok and no_colon.code == "SYN001"


def test_wrong_indentation_rejected():
    (verdict,) = judge("x = 1\n\ny = 2\n", 1, 0, "    z = 3")
    assert not verdict.ok and verdict.code == "SYN001"


def test_continuation_line_inside_call():
    good, bad = judge("x = foo(\n    a,\n    \n)\n", 2, 4, "b,", "b)")
    assert good.ok and good.code == "SYN000"
    assert not bad.ok and bad.code == "SYN001"


def test_document_broken_elsewhere_checked_locally():
    doc = "def g(:\n    pass\n\nif a:\n    pass\n\n"
    good, clause, bad = judge(doc, 5, 0, "y = 1", "else:", "y = 1)")
    assert good.ok and good.code == "SYN002"
    assert clause.ok and clause.code == "SYN002"
    assert not bad.ok and bad.code == "SYN001" and "locally" in bad.message


def test_broken_above_with_open_bracket():
    (verdict,) = judge("x = (\n\ndef g(:\n    pass\n", 1, 0, "y = 1")
    assert verdict.ok and verdict.code == "SYN002"


def test_multiline_candidate():
    good, bad = judge("x = 1\n", 1, 0, "if x:\n    y = 2", "if x:\ny = 2")
    assert good.ok and good.code == "SYN000"
    assert not bad.ok


def test_fast_enough():
    doc = "".join(f"def f{i}(a):\n    return a + {i}\n\n" for i in range(100))
    slot = Document(doc).slot(len(Document(doc).lines), 0)
    cands = [Candidate(text=f"y{i} = f{i}(1)", source="test") for i in range(40)]
    start = time.perf_counter()
    results = SyntaxValidator().validate(slot, cands)
    per_candidate = (time.perf_counter() - start) / len(cands)
    assert all(r[0].ok for r in results)
    assert per_candidate < 0.02


def test_a_text_python_cannot_analyse_fails_never_passes():
    doc = "x = 1\n\n"
    slot = Document(doc).slot(1, 0)
    cands = [Candidate("y = '\x00'", "t"), Candidate("y = " + "(" * 300 + ")" * 300, "t")]
    for (verdict,) in SyntaxValidator().validate(slot, cands):
        assert not verdict.ok and verdict.code == "SYN001", verdict.message


def test_the_documents_health_is_remembered_per_text_around_the_line_and_never_stale(monkeypatch):
    import validators.syntax as syntax  # pylint: disable=import-outside-toplevel

    calls = []
    real = syntax.parse_tolerant
    monkeypatch.setattr(syntax, "parse_tolerant", lambda *a, **k: calls.append(1) or real(*a, **k))
    validator = SyntaxValidator()
    broken = "def g(:\n    pass\n\nif a:\n    pass\n\n"
    cands = [Candidate("y = 1)", "test")]
    first = validator.validate(Document(broken + "y").slot(6, 1), cands)
    asked = len(calls)
    again = validator.validate(
        Document(broken + "y = ").slot(6, 4), [Candidate("1)", "test")]
    )  # one more keystroke
    assert first[0][0].code == again[0][0].code == "SYN001" and "locally" in again[0][0].message
    assert len(calls) - asked < asked  # the whole document was not parsed again for its health
    fixed = broken.replace("def g(:", "def g():")  # the text around the line changed: asked again
    ((verdict,),) = validator.validate(Document(fixed + "y = ").slot(6, 4), [Candidate("1)", "test")])
    assert verdict.code == "SYN001" and "locally" not in verdict.message
