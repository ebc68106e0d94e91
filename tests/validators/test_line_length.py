"""The line length a document is written to (validators/_line_length.py)."""

# pylint: disable=missing-function-docstring

from validators._line_length import MAX_LENGTH, document_line_length


def lines_of(*lengths: int) -> str:
    return "\n".join("x = " + "1" * (n - 4) for n in lengths) + "\n"


def test_too_few_long_lines_keep_the_default():
    assert document_line_length(lines_of(40, 95, 130), 88) == 88
    assert document_line_length("", 88) == 88


def test_the_third_longest_long_line_sets_the_length():
    assert document_line_length(lines_of(40, 95, 100, 105, 140, 150), 88) == 105
    assert document_line_length(lines_of(99, 99, 99), 88) == 99


def test_the_length_is_capped_and_never_below_the_default():
    assert document_line_length(lines_of(200, 210, 220), 88) == MAX_LENGTH
    assert document_line_length(lines_of(130, 130, 130), 140) == 140


def test_comment_lines_do_not_count():
    comments = "\n".join("# " + "c" * 110 for _ in range(5)) + "\n"
    assert document_line_length(comments + lines_of(40), 88) == 88
