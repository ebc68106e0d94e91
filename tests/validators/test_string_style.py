"""Tests for validators/_string_style.py: does a document follow black's string normalization?"""

# pylint: disable=missing-function-docstring

from editor.slot_shape import unit_at
from validators._string_style import keeps_single_quotes, keeps_single_quotes_at


def test_a_document_of_single_quoted_strings_keeps_them():
    assert keeps_single_quotes("A = ('x', 'y')\nB = 'z'\nC = \"w\"\n")


def test_a_black_formatted_document_does_not():
    assert not keeps_single_quotes('A = ("x", "y")\nB = "z"\nC = \'say "hi"\'\n')


def test_strings_black_would_not_requote_comments_and_docstrings_do_not_count():
    text = "'''doc 'a' 'b' 'c'''' \n# 'd' 'e' 'f'\nX = 'has \"quote\"', 'a \"b', 'c \"d'\nY = \"one\"\n"
    assert not keeps_single_quotes(text)


def test_too_few_strings_to_tell_keep_blacks_default():
    assert not keeps_single_quotes("A = 'x'\nB = 'y'\n")


def test_escaped_quotes_stay_inside_their_string():
    assert keeps_single_quotes("A = 'it\\'s'\nB = 'a'\nC = 'b'\nD = \"c\"\n")


MIXED = (
    'import os\n\nA = "x"\nB = "y"\nC = "z"\nD = "w"\n\n\n'
    "@decorated\nclass Html:\n    def table(self, a):\n        a('<table>')\n        a('<tr>')\n"
    "        \n        a('</tr>')\n\n\ndef plain():\n    return \"q\"\n"
)


def test_the_unit_around_the_cursor_decides_when_it_has_strings_enough():
    lines = MIXED.split("\n")
    assert not keeps_single_quotes(MIXED)  # the document as a whole: double quotes
    assert unit_at(lines, lines.index("        ")) == (lines.index("@decorated"), lines.index("def plain():"))
    assert keeps_single_quotes_at(MIXED, lines.index("        "))  # the class: single quotes
    assert not keeps_single_quotes_at(MIXED, lines.index('    return "q"'))  # too few strings: the document
    assert unit_at(lines, lines.index('B = "y"')) == (None, 0)  # module-level code: the document
