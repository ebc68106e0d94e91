"""Piecewise tokenization (editor/ngram/chunked.py) gives tokenize_lines' result exactly."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest

from editor.ngram import chunked, tokens

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_pieces_shift_rows():
    text = "def f(\n    a,\n):\n    return a\n\nx = [\n    1,\n]\n"
    assert chunked.tokenize_source(text) == tokens.tokenize_source(text)


def test_a_piece_that_fails_alone_is_tokenized_with_the_rest():
    text = "x = (\n1,\n)\ny = 2\n"  # column-0 lines inside a bracket
    assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text)


def test_broken_document_uses_the_same_fallback():
    text = "def f():\n    return g(a,\n\nclass A:\n    pass\n"
    assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text)


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py", "calendar.py", "argparse.py"])
def test_cut_stdlib_files_tokenize_the_same(name):
    """Property-style: each file cut at random points (often leaving a bracket open)."""
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    rng = random.Random(name)
    for _ in range(6):
        row = rng.randrange(len(lines))
        col = rng.randint(0, len(lines[row]))
        text = "\n".join(lines[:row] + [lines[row][:col]] + lines[row + 1 :]).rstrip("\n") + "\n"
        assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text), (name, row, col)


def test_switch_off_gives_the_plain_function(monkeypatch):
    monkeypatch.setattr(chunked, "ENABLED", False)
    assert chunked.tokenize_lines("x = (\n") == tokens.tokenize_lines("x = (\n")
