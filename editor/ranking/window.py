"""The ranker's context window within a token budget.

The window is a number of lines (``context_before`` up, ``context_after`` down), which
is ~350-550 tokens of ordinary code.  Lines of data are denser: in rich's emoji table
the same window is ~1,200 tokens, ~13 s of prefill at this machine's 88 tokens/s, and
a file of long lines (base64 blobs, minified data) gives tens of thousands of tokens,
more than the model's context (``n_ctx``) holds.  So the window also has a budget of
tokens (``ranker.context_tokens``): within it nothing changes; over it, the lines
nearest the cursor are kept, the suffix (after the cursor) taking at most a quarter of
the budget and the prefix the rest.  A single line longer than what is left keeps its
part next to the cursor (the end of a line above, the start of one below) when it is the
nearest line, and ends the window otherwise.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, Sequence

SUFFIX_SHARE = 4  # the suffix gets at most 1/SUFFIX_SHARE of the budget


class LastContext:
    """A ranker's last context, by the text it was built from.

    One request asks for the same context several times (whether it fits the model's
    window, the draft, the ranking, the bounds), and tokenizing it (and, over the budget,
    fitting it) is the work; the text it is built from is cheap to compare."""

    def __init__(self) -> None:
        self._last: tuple[Hashable, list[Any]] | None = None

    def get(self, key: Hashable, build: Callable[[], list[Any]]) -> list[Any]:
        last = self._last
        if last is None or last[0] != key:
            last = self._last = (key, build())
        return list(last[1])  # the caller's own copy: callers extend it


def _cut(text: str, room: int, count: Callable[[str], int], keep_end: bool) -> str:
    """The longest end (``keep_end``) or start of ``text`` that counts at most ``room`` tokens."""
    lo, hi = 0, len(text)  # lo chars fit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        part = text[len(text) - mid :] if keep_end else text[:mid]
        if count(part) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[len(text) - lo :] if keep_end else text[:lo]


def _nearest(
    lines: Sequence[str], room: int, count: Callable[[str], int], keep_end: bool
) -> tuple[list[str], int]:
    """``lines`` in order of distance from the cursor (nearest first), kept while they fit ``room``."""
    kept: list[str] = []
    used = 0
    for line in lines:
        n = count(line + "\n")
        if used + n <= room:
            kept.append(line)
            used += n
            continue
        if not kept and room > 1:  # the nearest line alone is too long: its part next to the cursor
            part = _cut(line, room - 1, count, keep_end)
            if part:
                kept.append(part)
                used += count(part + "\n")
        break
    return kept, used


def fit_window(
    before: Sequence[str], after: Sequence[str], budget: int, count: Callable[[str], int]
) -> tuple[list[str], list[str]]:
    """The lines of ``before`` (above the cursor, in file order) and ``after`` (the rest of the
    cursor's line, then the lines below) that fit ``budget`` tokens (module docstring).

    ``count`` counts a text's tokens.  ``budget`` <= 0: no budget."""
    if budget <= 0:
        return list(before), list(after)
    kept_after, used = _nearest(after, budget // SUFFIX_SHARE, count, keep_end=False)
    kept_before, _ = _nearest(list(reversed(before)), budget - used, count, keep_end=True)
    return list(reversed(kept_before)), kept_after
