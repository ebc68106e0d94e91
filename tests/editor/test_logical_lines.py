"""The logical-line scanner (editor/logical_lines.py)."""

from __future__ import annotations

import pytest

from editor.logical_lines import open_statement, scan, scan_clean


@pytest.mark.parametrize(
    "text, clean",
    [
        ("x = 1\n", True),
        ("x = (1,\n", False),
        ("x = f(a)[0]\n", True),
        ("s = '''a\n", False),
        ("s = '''a\nb'''\n", True),
        ("s = 'a(' + \"[\"\n", True),
        ("x = 1 + \\\n", False),
        ("# a ( comment \\\n", True),
        ("s = 'it\\'s ('\n", True),
        ("x = )\n", False),
        ("s = 'open\n", False),
        ("x = 1\r\n", False),
    ],
)
def test_scan_clean(text, clean):
    assert scan_clean(text) is clean


@pytest.mark.parametrize(
    "text, open_at, depth",
    [
        ("a = 1\nf(\n    x,\n", 6, 1),  # the call's line, not the file's start
        ("a = [  # (\n    {\n", 0, 2),  # a bracket inside a comment does not count
        ('s = """\n(\n"""\nd = {\n', 14, 1),  # nor one inside a string
        ("x = 1 + \\\n", 0, 0),  # a backslash continuation keeps the line open
        ("f(a,\n  b)\ng = (\n", 10, 1),
    ],
)
def test_scan_finds_where_the_open_logical_line_starts(text, open_at, depth):
    found = scan(text)
    assert found.known and not found.clean
    assert (found.open_at, found.depth) == (open_at, depth)


def test_scan_reports_what_it_cannot_follow_as_unknown():
    for text in ("x = )\n", "s = 'open\n", "x = (\r\n"):
        assert not scan(text).known


def test_open_statement_per_line():
    text = "x = 1\ncall(\n    a,\n    [b,\n     c],\n)\ny = 2\n"
    found = [open_statement(text, i) for i in range(7)]
    assert found == [None, None, (1, 1), (1, 1), (1, 2), (1, 1), None]
