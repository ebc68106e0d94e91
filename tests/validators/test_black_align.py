"""Tests for validators/_black_align.py: the candidate's part of black's output."""

# pylint: disable=missing-function-docstring

from validators._black_align import aligned_part, split_like


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
