"""Tokenizing Python into KenLM sentences and rendering tokens back with black spacing."""

from __future__ import annotations

import black
import pytest

from editor.ngram.tokens import (
    STR_PLACEHOLDER,
    detokenize,
    escape,
    indent_token,
    tokenize_lines,
    tokenize_partial_line,
    tokenize_source,
    unescape,
)

BLACK_LINES = [
    "import os",
    "from . import x",
    "from .mod import y, z",
    "from ..pkg import w",
    "@property",
    "@functools.wraps(func)",
    "x = -1",
    "x = a - -b",
    "y = a[1:2]",
    "y = a[::2]",
    "y = a[:-1]",
    "y = a[i + 1 :]",
    "y = ham[lower + offset : upper + offset]",
    "y = ham[: upper_fn(x) : step_fn(x)], ham[:: step_fn(x)]",
    "y = ham[lower:upper], ham[lower::step]",
    "y = ham[a, b:c]",
    'z = {"a": 1, **b}',
    "z = {k: v for k, v in d.items()}",
    'print(*args, sep="", end="\\n")',
    "print(f(x)[0].y)",
    "x = i**2 + y**-1 + a.b**c.d",
    "x = f(x) ** 2",
    "x = y[1] ** 2",
    "f = lambda x=1: x",
    "f = lambda: 0",
    "f = lambda *args, **kw: (args, kw)",
    "sorted(x, key=lambda item: item[1], reverse=True)",
    "return [i for i in range(10) if i % 2 == 0]",
    "x: int = 5",
    "x: list[int] = []",
    'assert x, "msg %s" % y',
    'raise ValueError("x") from None',
    "if (n := len(a)) > 10:",
    "x = ~y",
    "x = (1,)",
    "x = ...",
    "result = yield from g()",
    "return await f()",
    "x = y if -z else w",
    "x >>= 2",
    "print(not x)",
    "x = [*a, *b]",
    "obj.attr[key](arg).method()",
    "super().__init__(*args, **kwargs)",
    "x = 0x1F + 1e-5 + 1.5j",
]
BLOCK_LINES = [
    "def f(a, b=1, *args, c: int = 2, **kwargs) -> dict[str, int]:",
    "def g(a, /, b, *, c):",
    "class A(B, metaclass=M):",
    "with open(p) as f, open(q) as g:",
    "for i in range(len(x) - 1):",
    "if x in (1, 2) and not y:",
]


@pytest.mark.parametrize("line", BLACK_LINES + BLOCK_LINES)
def test_round_trip_black_lines(line):
    suffix = (
        "\n    pass\n" if line.endswith(":") else "\ndef f():\n    pass\n" if line.startswith("@") else "\n"
    )
    source = line + suffix
    assert (
        black.format_str(source, mode=black.Mode(line_length=110)).splitlines()[0] == line
    )  # input is black
    tokens = tokenize_source(source)[0].tokens
    assert tokens[0] == "<i0>"
    assert detokenize(tokens) == line


def test_indentation_token_and_rendering():
    lines = tokenize_source("class A:\n    def f(self):\n        return 1\n")
    assert [line.tokens[0] for line in lines] == ["<i0>", "<i1>", "<i2>"]
    assert detokenize(lines[2].tokens) == "        return 1"
    assert indent_token("\t") == "<i1>" and indent_token("        ") == "<i2>"


def test_comments_and_blank_lines_dropped_rows_kept():
    lines = tokenize_source("# header\n\nx = 1  # note\ny = (1,\n     2)\n")
    assert [line.tokens for line in lines] == [
        ["<i0>", "x", "=", "1"],
        ["<i0>", "y", "=", "(", "1", ",", "2", ")"],
    ]
    assert (lines[1].start_row, lines[1].end_row) == (4, 5)


def test_string_escaping_is_reversible():
    literal = "'a b%c\\t\td\n'"
    token = escape(literal)
    assert " " not in token and "\t" not in token and "\n" not in token
    assert token == "'a%20b%25c\\t%09d%0A'"
    assert unescape(token) == literal
    tokens = tokenize_source('s = "x y"\n')[0].tokens
    assert tokens == ["<i0>", "s", "=", '"x%20y"']
    assert detokenize(tokens) == 's = "x y"'


def test_long_strings_and_docstrings_become_placeholders():
    source = 'def f():\n    """Short doc."""\n    s = "' + "x" * 50 + '"\n    t = "short"\n'
    lines = tokenize_source(source)
    assert lines[1].tokens == ["<i1>", STR_PLACEHOLDER]
    assert lines[2].tokens == ["<i1>", "s", "=", STR_PLACEHOLDER]
    assert lines[3].tokens == ["<i1>", "t", "=", '"short"']


@pytest.mark.parametrize(
    "typed, tokens, partial",
    [
        ("    self.na", ["self", "."], "na"),
        ("x = ", ["x", "="], ""),
        ("import o", ["import"], "o"),
        ("foo(a, b", ["foo", "(", "a", ","], "b"),
        ("x = 1", ["x", "="], "1"),
        ("    ", [], ""),
        ("", [], ""),
        ("print(x) ", ["print", "(", "x", ")"], ""),
        ('print("hello wor', ["print", "("], '"hello%20wor'),
        ('d["a b"] = f(x', ["d", "[", '"a%20b"', "]", "=", "f", "("], "x"),
        ("if x ==", ["if", "x", "=="], ""),
    ],
)
def test_tokenize_partial_line(typed, tokens, partial):
    assert tokenize_partial_line(typed) == (tokens, partial)


def test_tokenize_lines_survives_broken_code():
    text = "import os\nx = foo(1,\ndef g(:\n    return [\n"
    lines = tokenize_lines(text)
    assert lines[0].tokens == ["<i0>", "import", "os"]
    rows = [line.start_row for line in lines]
    assert rows == sorted(rows) and 4 in rows
    assert ["<i1>", "return", "["] in [line.tokens for line in lines]


def _line_context_as_it_was(previous):
    from editor.ngram.tokens import indent_depth, is_keyword, is_line_context

    body = [t for t in previous or [] if indent_depth(t) is None and not is_line_context(t)]
    if not body:
        return "<p>"
    head = body[0] if body[0] == "@" or is_keyword(body[0]) else "x"
    return f"<p{head}{':' if body[-1] == ':' else ''}>"


def test_line_context_token_looks_only_at_the_ends_with_the_same_result():
    import sysconfig
    from pathlib import Path

    from editor.ngram.tokens import line_context_token, tokenize_source

    odd = [None, [], ["<i0>"], ["<i1>", "<px:>"], ["<", "<=", ":"], ["<i2>", "@", "x", "<i1>"], ["<p>", ":"]]
    odd += [["<i0>", "<pdef:>", "<"], ["<ix>", ":"], ["<i1>", "else", ":", "<p>"], ["<i3>\n", "if"]]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ["textwrap.py", "argparse.py", "dataclasses.py"]:
        odd += [line.tokens for line in tokenize_source((stdlib / name).read_text(encoding="utf-8"))]
    for previous in odd:
        assert line_context_token(previous) == _line_context_as_it_was(previous), previous
