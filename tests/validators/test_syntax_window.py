"""validators/_syntax_window.py: a very long literal is judged in a faithful window, with the same verdicts."""

import pytest

import validators.syntax as syntax_mod
from editor.candidates import Candidate
from editor.document import Document
from validators._syntax_window import syntax_window
from validators.syntax import SyntaxValidator

ROWS = 400
LONG = (
    "import os\n\nCODES = {\n"
    + "".join(f'    "k{i}": {i},\n' for i in range(ROWS))
    + "}\n\n\ndef f():\n    return CODES\n"
)
CURSOR = 3 + ROWS // 2  # 0-based row of an element in the middle

CANDIDATES = [
    '"k": 1,',  # fine
    '"k": (1,',  # an unclosed bracket: the rest of the literal goes on inside it
    '"k" 1,',  # a missing colon
    '"k": 1}',  # closes the dict early: the next elements no longer parse
    '"k": """1,',  # an unterminated triple-quoted string
]


def _slot(text=LONG, row=CURSOR):
    lines = text.split("\n")
    lines[row] = "    "
    return Document("\n".join(lines)).slot(row, 4)


def _verdicts(slot, monkeypatch=None):
    return SyntaxValidator().validate(slot, [Candidate(c, "t") for c in CANDIDATES])


def test_a_line_of_a_long_literal_is_judged_in_a_window_with_the_whole_documents_verdicts(monkeypatch):
    slot = _slot()
    cut = syntax_window(slot)
    assert cut is not None and len(cut.rows) < 40 and cut.to_file(cut.slot.line + 1) == CURSOR + 1
    windowed = _verdicts(slot)
    monkeypatch.setattr(syntax_mod, "syntax_window", lambda slot: None)
    whole = _verdicts(slot)
    assert [v[0].ok for v in windowed] == [v[0].ok for v in whole] == [True, False, False, False, False]
    assert [v[0].code for v in windowed] == [v[0].code for v in whole]
    for got, want in zip(windowed, whole):
        assert got[0].line == want[0].line or got[0].line == CURSOR + 1  # document lines, not the window's
        assert sorted(t for t, _ in got[0].repairs) == sorted(t for t, _ in want[0].repairs)
    assert all("window" in v[0].details for v in windowed)


@pytest.mark.parametrize(
    "text, row",
    [
        ("CODES = {\n" + "".join(f'    "k{i}": {i},\n' for i in range(50)) + "}\n", 20),  # a short literal
        ("def f():\n    x = 1\n    \n    return x\n", 2),  # no bracket around the line
        (
            "CODES = {\n" + "".join(f'    "k{i}": {i},\n' for i in range(300)) + "    'open\n}\n",
            100,
        ),  # broken
    ],
)
def test_no_window_where_the_whole_document_is_cheap_or_the_window_would_not_be_faithful(text, row):
    assert syntax_window(_slot(text, row)) is None


def test_a_multi_line_candidate_is_judged_on_the_whole_document(monkeypatch):
    calls = []
    monkeypatch.setattr(syntax_mod, "syntax_window", lambda slot: calls.append(slot) or None)
    SyntaxValidator().validate(_slot(), [Candidate('"k": 1,', "t")])
    SyntaxValidator().validate(_slot(), [Candidate('"k": [\n        1],', "t")])
    assert len(calls) == 1
