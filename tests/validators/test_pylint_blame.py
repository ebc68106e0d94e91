"""Whose fault a pylint message is (validators/_pylint_blame.py), on plain message dicts."""

# pylint: disable=missing-function-docstring

from validators._pylint_blame import in_typed, own_member


def message(msg_id="E1102", msg="x is not callable", line=7, end_line=7, end_column=20):
    return {
        "msg_id": msg_id,
        "msg": msg,
        "line": line,
        "column": 4,
        "end_line": end_line,
        "end_column": end_column,
    }


def test_in_typed_only_when_the_span_ends_within_the_typed_text_of_the_cursors_line():
    assert in_typed(message(end_column=20), [], (7, 20))
    assert not in_typed(message(end_column=21), [], (7, 20))  # reaches into the candidate
    assert not in_typed(message(line=6, end_line=7), [], (7, 20))  # starts on another line
    assert not in_typed(message(end_column=None), [], (7, 20))  # no span: not judged the user's
    assert not in_typed(message(), [], (0, 0))  # no typed text known


def test_in_typed_maps_the_linted_line_back_and_never_blames_an_inserted_line():
    origin = [1, 2, 3, 4, 5, 7, None]  # a line was dropped above; the last one was inserted
    assert in_typed(message(line=6, end_line=6), origin, (7, 20))
    assert not in_typed(message(line=7, end_line=7), origin, (7, 20))


def test_own_member_is_a_no_member_on_a_member_the_document_uses():
    mixin = message("E1101", "Instance of 'Scanner' has no 'peek' member")
    assert own_member(mixin, frozenset({"peek", "forward"}))
    assert not own_member(mixin, frozenset({"forward"}))
    module = message("E1101", "Module 'os' has no 'peek' member")
    assert not own_member(module, frozenset({"peek"}))
    assert not own_member(message("E0602", "Undefined variable 'peek'"), frozenset({"peek"}))
