"""Block-wise counts (editor/ngram/block_counts.py) equal a plain count of the whole document."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from editor.ngram.block_counts import BlockCounts, Totals, count_lines
from editor.ngram.tokens import tokenize_lines, with_line_context

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py"])
def test_same_counts_and_order_as_a_plain_count(name):
    lines = with_line_context([t.tokens for t in tokenize_lines((STDLIB / name).read_text(encoding="utf-8"))])
    for variant in (lines, lines[:40] + lines[41:], lines[1:] + [["<p>", "<i0>", "x"]]):  # edits reuse blocks
        plain = count_lines(variant, 4)
        blocks = BlockCounts(variant, 4)
        for ctx, counter in plain.items():
            assert list(blocks.get(ctx).items()) == list(
                counter.items()
            ), ctx  # order breaks most_common ties
        assert blocks.get(("no", "such")) is None and set(blocks) == set(plain)
        assert Totals(blocks)[("self",)] == sum(plain[("self",)].values())


def test_empty():
    blocks = BlockCounts([], 4)
    assert blocks.get(()) is None and len(blocks) == 0


def _count_as_it_was(lines, order):
    from collections import Counter, defaultdict

    from editor.ngram.index import BOS, EOS

    counts = defaultdict(Counter)
    for tokens in lines:
        sentence = [BOS, *tokens, EOS]
        for i in range(1, len(sentence)):
            for length in range(0, order):
                if i - length < 0:
                    break
                counts[tuple(sentence[i - length : i])][sentence[i]] += 1
    return dict(counts)


@pytest.mark.parametrize("order", [1, 2, 4, 6])
def test_count_lines_counts_as_counter_increments_did(order):
    lines = with_line_context(
        [t.tokens for t in tokenize_lines((STDLIB / "argparse.py").read_text(encoding="utf-8"))]
    )
    lines += [[], ["x"]]
    got, want = count_lines(lines, order), _count_as_it_was(lines, order)
    assert list(got) == list(want)
    assert all(
        type(c).__name__ == "Counter" and list(c.items()) == list(want[k].items()) for k, c in got.items()
    )
    assert got[()].most_common(5) == want[()].most_common(5)


def test_merged_counters_reused_across_documents_stay_exact():
    """Counters merged for one document are reused for another with the same blocks."""
    lines = with_line_context(
        [t.tokens for t in tokenize_lines((STDLIB / "calendar.py").read_text(encoding="utf-8"))]
    )
    for cut in range(0, 400, 37):
        variant = lines[:cut] + lines[cut + 1 :]
        plain = _count_as_it_was(variant, 4)
        blocks = BlockCounts(variant, 4)
        for ctx in [("self",), ("self", "."), (".",), ("<i2>",), ("=",), ("(", "self")]:
            assert list(blocks.get(ctx, {}).items()) == list(plain.get(ctx, {}).items()), (cut, ctx)
