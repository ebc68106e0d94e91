"""Piecewise tokenization (editor/ngram/chunked.py) gives tokenize_lines' result exactly."""

from __future__ import annotations

import random
import sysconfig
import tokenize
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


def _plain_ok(text):
    return _ok(tokens.tokenize_source, text)


def _ok(function, text):
    try:
        function(text)
    except (SyntaxError, tokenize.TokenError, ValueError):
        return False
    return True


def _edit(lines, rng, kind):
    """``lines`` edited as while typing: a line cut (often inside a bracket or a string), left
    with an open bracket, an open string or a ``\\`` continuation, or indented differently."""
    new = list(lines)
    row = rng.randrange(len(new))
    line = new[row]
    col = rng.randint(0, len(line))
    if kind == "cut":
        new[row] = line[:col]
    elif kind == "bracket":
        new[row] = line[:col] + rng.choice(["(", "[", "{", "f(a, "])
    elif kind == "string":
        new[row] = line[:col] + rng.choice(['"""', "'''", "'abc", 'x = "', "'ab\\"])
    elif kind == "continuation":
        new[row] = line[:col] + " \\"
    elif kind == "indent":
        new[row] = line[1:] if line.startswith("  ") else "   " + line
    elif kind == "tab":
        new[row] = "\t" + line.lstrip(" ")
    return "\n".join(new).rstrip("\n") + "\n"


KINDS = ["cut", "bracket", "string", "continuation", "indent", "tab"]


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py", "tokenize.py", "dataclasses.py"])
def test_edits_of_stdlib_files_tokenize_the_same(name):
    """Each kind of edit, several times, with the pieces of the texts before remembered."""
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    rng = random.Random(name)
    for kind in KINDS * 3:
        text = _edit(lines, rng, kind)
        assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text), (name, kind)
        assert _ok(chunked.tokenize_source, text) == _plain_ok(text), (name, kind)


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py"])
def test_fallback_table_answers_as_tokenizing_each_prefix(name):
    """A failed walk's prefix_ok(m) is whether the first m lines tokenize, for every m."""
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")[:180]
    rng = random.Random(name)
    checked = 0
    for attempt, kind in enumerate(KINDS * 3):
        if attempt % 2:
            chunked._PIECES.clear()  # the table from one fresh pass, and from remembered pieces
        text = _edit(lines, rng, kind)
        scan = chunked._scan(text)
        if scan is None or scan.ok:
            continue
        physical = text.split("\n")
        for count in range(1, len(physical) + 1):
            assert scan.prefix_ok(count) == _plain_ok("\n".join(physical[:count]) + "\n"), (kind, count)
            checked += 1
    assert checked > 400


def test_indented_lines_start_pieces(monkeypatch):
    """A long class is cut at its methods and statements: an edit inside it re-reads a few lines."""
    body = "".join(f"    def m{i}(self, x):\n        y = x + {i}\n        return y\n\n" for i in range(200))
    text = "class A:\n" + body
    assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text)
    read = []
    real = chunked._Pass.run

    def counting(self):
        first = self.first
        real(self)
        read.append((len(self.lines) if self.failed else self.stop) - first)

    monkeypatch.setattr(chunked._Pass, "run", counting)
    edited = text.replace("y = x + 100\n", "y = x + 1000\n")
    assert chunked.tokenize_lines(edited) == tokens.tokenize_lines(edited)
    assert read and sum(read) <= 3, read
    broken = text.replace("y = x + 100\n", "y = f(x + 100\n")  # the rest is read once, not ~10 times
    read.clear()
    assert chunked.tokenize_lines(broken) == tokens.tokenize_lines(broken)
    assert sum(read) <= 2 * len(broken.split("\n")) // 2 + 10, read


def test_indentation_error_found_by_replaying_remembered_pieces():
    """Pieces tokenized where their dedent was fine, reused where it does not match."""
    good = "def f(x):\n    if x:\n        a = 1\n        b = 2\n    return x\n\ny = 2\n"
    bad = "def f(x):\n    if x:\n          a = 1\n        b = 2\n    return x\n\ny = 2\n"
    for text in [good, bad, good.replace("    return x", "  return x"), bad, good]:
        assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text), text
        assert _ok(chunked.tokenize_source, text) == _plain_ok(text), text


@pytest.mark.parametrize(
    "text",
    [
        "x = 'abc\\\ndef\n    y = 1\nz = 2\n",  # a string continued by \ and not closed
        "x = 1 \\\n",  # a continuation at the end
        "x = 1 \\\n\n",
        "x = (\n    1,\n]\ny = )\nz = 3\n",
        "if x:\n\ty = 1\n        z = 2\n",  # a tab is 8 columns to tokenize
        "if x:\n\ty = 1\n    z = 2\n",
        "s = '''\nabc\n'''\nt = 1\n",
        "\n\n# only a comment\n",
        "x = 1\r\ny = 2\n",
        "def f():\n    \\\n    x = 1\n  y = 2\n",
    ],
)
def test_odd_texts(text):
    assert chunked.tokenize_lines(text) == tokens.tokenize_lines(text)
    assert _ok(chunked.tokenize_source, text) == _plain_ok(text)
