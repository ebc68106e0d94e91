"""Tests for validators/_string_style.py: does a document follow black's string normalization?"""

# pylint: disable=missing-function-docstring

from validators._string_style import keeps_single_quotes


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
