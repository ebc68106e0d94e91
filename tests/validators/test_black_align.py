"""Tests for validators/_black_align.py: the candidate's part of black's output."""

# pylint: disable=missing-function-docstring

from validators._black_align import aligned_part, split_like, stable_but_parens, stable_but_requoted


def test_whitespace_only_changes_are_split_like_the_original():
    assert split_like("x = a + b", "x = ", "a+b", "") == "a + b"
    assert split_like('x = "a"', "x = ", "'a'", "") is None  # more than whitespace changed


def test_changes_outside_the_candidate_leave_its_part_alone():
    assert aligned_part('x = "a" + b', "x = 'a' + ", "b", "") == "b"


def test_a_change_wholly_inside_the_candidate_is_cut_at_its_edges():
    typed, after = "N = (\n    'a',\n    ", "\n)"
    assert aligned_part('N = (\n    "a",\n    "b",\n)', typed, "'b',", after) == '"b",'


def test_an_insertion_at_the_candidates_edge_is_a_guess():
    # is the inserted "," the typed text's or the candidate's? neither can be told
    assert aligned_part("x = f(a, b)", "x = f(a", "b)", "") is None


def test_a_change_inside_tied_to_one_outside_is_returned_for_the_caller_to_check():
    # black requoted the string whose opening quote was typed: the cut is c" (the black
    # validator then finds that typed + c" does not format the same: BLK005)
    assert aligned_part('x = "abc"', "x = 'ab", "c'", "") == 'c"'


def test_parentheses_black_drops_around_the_candidate_leave_it_stable():
    flat = "from collections.abc import Sequence"
    assert stable_but_parens(flat, "from collections.abc import (\n\tSequ", "ence)", "")
    assert stable_but_parens("from .g import Backend", "from", " .g import (", "\n\tBackend)")
    assert stable_but_parens("if a == 1:\n    pass", "if (", "a == 1):", "\n    pass")


def test_the_candidates_own_parentheses_or_spacing_are_not_excused():
    assert not stable_but_parens("return x", "", "return (x)", "")  # the whole pair is the candidate's
    assert not stable_but_parens("return x", "return (", "x )", "")  # black never spaces before ")"
    assert not stable_but_parens("if a == 1:\n    pass", "if (", "a==1):", "\n    pass")
    assert not stable_but_parens("x = [1]", "x = [", "1]", "")  # nothing but parentheses dropped


def test_a_string_the_typed_text_opened_may_close_with_its_own_quote():
    flat = 'zif = getattr(g, "_cached_instance", None)'
    assert stable_but_requoted(flat, "zif = getattr(g, '_cached", "_instance', None)", "")
    assert not stable_but_requoted('x = "ab"', "x = ", "'ab'", "")  # the candidate's own string
    assert not stable_but_requoted(flat, "zif = getattr(g, '_cached", "_instance',None)", "")  # spacing
