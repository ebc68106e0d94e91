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
            assert list(blocks.get(ctx).items()) == list(counter.items()), ctx  # order breaks most_common ties
        assert blocks.get(("no", "such")) is None and set(blocks) == set(plain)
        assert Totals(blocks)[("self",)] == sum(plain[("self",)].values())


def test_empty():
    blocks = BlockCounts([], 4)
    assert blocks.get(()) is None and len(blocks) == 0
