"""The open statement a line continues (editor/ngram/statement.py)."""

from __future__ import annotations

from editor.ngram import statement
from editor.ngram.statement import statement_lead


def test_a_line_that_starts_a_statement_has_no_lead():
    lines = ["x = 1", "y = f(x)", "z = [", "]", "w = 2"]
    assert [statement_lead(lines, r) is None for r in range(5)] == [True, True, True, False, True]


def test_the_lead_of_a_line_inside_a_call():
    lines = ["    result = call(  # a comment (", "        first,", '        "text (",', ""]
    lead = statement_lead(lines, 3)
    assert lead.indent == "<i1>"
    assert lead.context == ("result", "=", "call", "(", "first", ",", '"text%20("', ",")
    assert lead.skeleton == ("call", "(")
    assert lead.depth == 1


def test_the_skeleton_keeps_only_the_brackets_still_open():
    lines = ["x = f(a, g(b), [c,", "     {d: (", ""]
    lead = statement_lead(lines, 2)
    assert lead.skeleton == ("f", "(", ",", "[", ",", "{", ":", "(")
    assert lead.depth == 4
    assert statement_lead(["f((", ""], 1).skeleton == ("f", "(", "(")


def test_a_long_open_statement_is_not_read_back(monkeypatch):
    lines = ["DATA = ["] + ["    1,"] * 5 + [""]
    assert statement_lead(lines, 6).depth == 1
    monkeypatch.setattr(statement, "MAX_ROWS", 4)
    assert statement_lead(lines, 6) is None


def test_the_context_is_the_last_tokens():
    lines = ["x = ["] + [f"    {i}," for i in range(20)] + [""]
    lead = statement_lead(lines, 21)
    assert len(lead.context) == statement.CONTEXT_TOKENS
    assert lead.context[-2:] == ("19", ",")
    assert lead.skeleton == ("=", "[")
