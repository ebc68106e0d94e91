"""``gfv edit`` refuses, with a clear message and exit 2, what it must not open."""

import pytest

from editor.cli.main import main


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\x00\x01binary"), "looks binary"),
        (lambda p: p.write_bytes(b"x = '\xff'\n"), "not valid UTF-8"),
    ],
)
def test_edit_refuses(tmp_path, capsys, setup, message):
    path = tmp_path / "f.py"
    setup(path)
    assert main(["edit", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_edit_help_lists_keys(capsys):
    assert main(["edit", "--help"]) == 0
    assert "Ctrl+Space" in capsys.readouterr().out


def test_edit_refuses_a_malformed_table(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    assert main(["edit", str(path), "--no-llm"]) == 2
    err = capsys.readouterr().err
    assert "ragged row" in err and "Traceback" not in err
