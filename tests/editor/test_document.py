from pathlib import Path

import pytest

from editor.document import Document
from editor.errors import ExitCode, GfvError


def test_slot_parts_and_apply():
    doc = Document("def f(x):\n    return x +\n")
    slot = doc.slot(1, 14)
    assert slot.typed == "    return x +"
    assert slot.after_cursor == ""
    assert slot.apply(" 1") == "def f(x):\n    return x + 1\n"
    assert list(slot.touched_lines(" 1")) == [2]
    assert list(slot.touched_lines(" 1\n    y = 2")) == [2, 3]


def test_insertion_keeps_text_after_cursor():
    slot = Document("print()\n").slot(0, 6)
    assert slot.after_cursor == ")"
    assert slot.apply("'hi'") == "print('hi')\n"


def test_slot_after_last_line_appends():
    doc = Document("x = 1\n")
    assert doc.slot(1, 0).apply("y = 2") == "x = 1\ny = 2\n"


def test_inferred_indent_after_block_opener():
    doc = Document("def f():\n\n")
    assert doc.slot(1, 0).indent == "    "


@pytest.mark.parametrize(
    ("line", "col", "fragment"), [(5, 0, "line 6"), (0, 9, "column 10"), (-1, 0, "line 0")]
)
def test_out_of_range_positions_are_usage_errors(line, col, fragment):
    with pytest.raises(GfvError) as info:
        Document("a = 1\nb = 2\n").slot(line, col)
    assert info.value.code == ExitCode.USAGE
    assert fragment in info.value.message


def test_load_refuses_binary_non_utf8_dirs_and_missing(tmp_path: Path):
    (tmp_path / "bin.py").write_bytes(b"x = 1\x00\x01")
    (tmp_path / "latin.py").write_bytes("s = 'caf\xe9'\n".encode("latin-1"))
    for name, needle in (
        ("bin.py", "binary"),
        ("latin.py", "UTF-8"),
        ("missing.py", "no such file"),
        ("", "directory"),
    ):
        with pytest.raises(GfvError) as info:
            Document.load(tmp_path / name)
        assert needle in info.value.message
        assert info.value.code == ExitCode.USAGE


def test_load_normalises_crlf(tmp_path: Path):
    path = tmp_path / "crlf.py"
    path.write_bytes(b"a = 1\r\nb = 2\r\n")
    assert Document.load(path).lines == ["a = 1", "b = 2"]
