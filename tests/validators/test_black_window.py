"""The faithful window of a very long statement (validators/_black_window.py)."""

# pylint: disable=missing-function-docstring

from pathlib import Path

from editor.candidates import Candidate
from editor.document import Document
from validators._black_window import enclosing_brackets, statement_window
from validators.black_format import BlackValidator


def _table(rows: int) -> list[str]:
    """rich's unicode width tables: a call holding a version string and a list of tuples."""
    return [
        "cell_table = CellTable(",
        '    "8.0.0",',
        "    [",
        *[f"        ({i}, {i + 1}, 0)," for i in range(rows)],
        "    ],",
        ")",
    ]


def test_a_line_inside_nested_brackets_is_judged_at_its_own_depth():
    lines = _table(300)
    row = 3 + 150
    lines[row] = "        "
    slot = Document("\n".join(lines) + "\n", Path("t.py")).slot(row, 8)
    good, spaced = BlackValidator().validate(
        slot, [Candidate("(150, 151, 0),", "t"), Candidate("( 150,151, 0),", "t")]
    )
    assert [v.code for v in good] == ["BLK000"] and good[0].ok
    assert spaced[0].code == "BLK001" and spaced[0].replacement == "(150, 151, 0),"


def test_the_window_keeps_every_enclosing_opener_and_closer():
    lines = _table(40)
    cursor = 3 + 20
    typed = "\n".join(lines[:cursor] + ["        "])
    after = "\n".join([""] + lines[cursor + 1 :])
    window = statement_window(typed, after, lambda _lines: True)
    assert window is not None
    kept_before, kept_after = window[0].split("\n"), window[1].split("\n")
    assert kept_before[:3] == ["cell_table = CellTable(", "    [", "        (12, 13, 0),"]
    assert kept_before[-1] == "        " and len(kept_before) == 3 + 8
    assert kept_after[-2:] == ["    ],", ")"] and len(kept_after) == 1 + 8 + 2


def test_brackets_inside_strings_do_not_count():
    lines = ["X = [", '    "(",', "", '    "]",', "]"]
    assert enclosing_brackets(lines, 2) == ([0], [4])


def test_only_the_brackets_open_at_the_cursor_enclose_it():
    lines = ["X = f(", "    [", "", "    1,", "    ],", "    (", "        2,", "    ),", ")"]
    assert enclosing_brackets(lines, 2) == ([0, 1], [4, 8])  # not the tuple opened after the list


def test_no_window_without_an_enclosing_bracket_or_a_trailing_comma():
    assert enclosing_brackets(["x = 1", "", "y = 2"], 1) is None
    lines = ["X = [", "    1,", "", "    2", "]"]  # no magic trailing comma: black may join the lines
    typed, after = "\n".join(lines[:2] + [""]), "\n".join([""] + lines[3:])
    assert statement_window(typed, after, lambda _lines: True) is None


def test_a_comment_after_the_last_elements_comma_keeps_the_window():
    """The standard library's locale.windows_locale: 212 lines of ``0x0436: "af_ZA", # Afrikaans``;
    the comment hid the trailing comma, there was no window, and every line was BLK007."""
    lines = ["windows_locale = {", *[f'    0x{i:04x}: "l{i}", # language {i}' for i in range(250)], "}"]
    row = 120
    lines[row] = "    0x0077: "
    slot = Document("\n".join(lines) + "\n", Path("t.py")).slot(row, len(lines[row]))
    (verdict,) = BlackValidator().validate(slot, [Candidate('"l119", # language 119', "t")])[0]
    assert verdict.ok and verdict.code == "BLK002"  # the window's comments are not black's two spaces
    assert verdict.replacement == '"l119",  # language 119'
