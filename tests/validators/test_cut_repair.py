"""The cut-back repair of the model's line at an undefined name (validators/_cut_repair.py)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import pytest

from validators._cut_repair import cut_repair


def cut(typed: str, text: str, name: str) -> str | None:
    line = typed + text
    offset = line.index(name, len(typed))
    got = cut_repair(typed, text, name, offset)
    assert len(got) <= 1
    if got:
        assert got[0][1] == f"cut before the undefined name '{name}'"
    return got[0][0] if got else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("return cache.get(key)", "return cache"),  # not ``return cache.get``: a callee without its call
        ("x = a + b * key", "x = a + b"),
        ("total += counts[key]", "total += counts"),
        ("foo(a).bar(key)", "foo(a)"),  # an expression statement that still calls
        ("return a if b else key", "return a"),
    ],
)
def test_the_line_is_cut_at_its_last_statement_of_the_same_kind_before_the_name(text, expected):
    assert cut("    ", text, "key") == expected


@pytest.mark.parametrize(
    "text",
    [
        "return key",  # a bare ``return`` is another statement
        "raise ValueError(key)",  # so is a bare re-``raise``
        "x = foo(key)",  # ``x = foo`` leaves a callee; ``x`` is no assignment
        "self.check(a, key)",  # ``self`` alone does nothing
        "yield key",
        "if ready(key):",  # a block header is not cut
        "x = [a, key]",  # every shorter prefix is an open bracket or another statement
    ],
)
def test_no_cut_when_nothing_of_the_same_kind_is_left(text):
    assert cut("    ", text, "key") is None


def test_only_the_candidates_part_is_cut_and_something_of_it_is_kept():
    assert cut("    ret", "urn a + key", "key") == "urn a"
    assert cut("    return a + ", "key", "key") is None  # nothing of the candidate would be left
    assert (
        cut_repair("    return ", "a + key", "key", 2) == []
    )  # the name in the typed text: not the candidate's


def test_multi_line_and_continued_statements_are_not_cut():
    assert cut("    ", "x = a\n    return key", "key") is None
    assert cut("    ", "a + key)", "key") is None  # closes a bracket opened above: no statement alone
