"""The context window's token budget (editor/ranking/window.py): one token per character here."""

from __future__ import annotations

from editor.ranking.window import SUFFIX_SHARE, fit_window


def count(text: str) -> int:
    return len(text)


def cost(before: list[str], after: list[str]) -> int:
    return sum(count(line + "\n") for line in [*before, *after])


def test_a_window_within_the_budget_is_left_as_it_is():
    before, after = ["a = 1", "b = 2"], ["", "c = 3"]
    assert fit_window(before, after, 1000, count) == (before, after)
    assert fit_window(before, after, 0, count) == (before, after)  # 0: no budget


def test_over_the_budget_the_lines_nearest_the_cursor_are_kept():
    before = [f"above_{i:02d} = {i}" for i in range(40)]  # 14 characters + newline each
    after = ["", *(f"below_{i:02d} = {i}" for i in range(10))]
    kept_before, kept_after = fit_window(before, after, 200, count)
    assert kept_before == before[-len(kept_before) :]  # contiguous, ending at the cursor
    assert kept_after == after[: len(kept_after)]  # contiguous, starting at the cursor
    assert cost(kept_after, []) <= 200 // SUFFIX_SHARE
    assert cost(kept_before, kept_after) <= 200
    assert len(kept_before) >= 8 and len(kept_after) >= 2  # the budget is used, not dropped wholesale


def test_a_line_too_long_for_the_budget_keeps_its_part_next_to_the_cursor():
    long_above = "x = '" + "a" * 5000 + "END'"
    long_rest = "START" + "b" * 5000 + "'"
    kept_before, kept_after = fit_window(["import os", long_above], [long_rest, "y = 1"], 400, count)
    assert kept_before == [long_above[-len(kept_before[0]) :]] and kept_before[0].endswith("END'")
    assert kept_after[0].startswith("START") and len(kept_after) == 1
    assert cost(kept_before, kept_after) <= 400


def test_a_long_line_beyond_the_nearest_ends_the_window():
    kept_before, _ = fit_window(["far = 1", "x = '" + "a" * 5000 + "'", "near = 2"], [""], 100, count)
    assert kept_before == ["near = 2"]
