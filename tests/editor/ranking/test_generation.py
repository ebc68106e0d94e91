"""Prompt lookup: the drafts a token sequence proposes from its own repeats."""

from editor.ranking.generation import PromptLookup


def test_prompt_lookup_proposes_what_followed_the_longest_recurring_suffix():
    look = PromptLookup([1, 2, 3, 4, 5, 6, 1, 2, 3, 9, 9, 7])
    assert look.draft([0, 1, 2, 3], 8) == [9, 9, 7]  # 3 tokens recur, the last occurrence: 3 proposed
    assert look.draft([5, 6], 8) == [1, 2]  # 2 recur: 2 proposed
    assert look.draft([4, 5, 6], 1) == [1]  # never more than asked
    assert look.draft([8, 8], 3) == [] and look.draft([6], 3) == []  # no match; one token is not a key
