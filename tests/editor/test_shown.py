"""editor/shown.py: the rows of an answer, and places."""

from editor.candidates import Candidate
from editor.shown import Shown


def test_a_shown_line_agrees_with_typed_text_it_extends_and_knows_what_it_was_proposed_for():
    shown = Shown("    return x", Candidate("return x", "fake"), "quick")
    assert shown.agrees("    ret") and not shown.agrees("    return x") and not shown.agrees("    y")
    assert shown.proposed_for == "    "
