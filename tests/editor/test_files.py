"""editor.files: atomic save that keeps the mode, refusing what an editor must not open."""

import os
import stat

import pytest

from editor.errors import ExitCode, GfvError
from editor.files import atomic_write, changed_on_disk, disk_stamp, read_for_edit


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    stamp = atomic_write(path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]
    assert stamp == disk_stamp(path)


def test_atomic_write_new_file_uses_umask(tmp_path):
    path = tmp_path / "new.py"
    old = os.umask(0o027)
    try:
        atomic_write(path, "x = 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_atomic_write_follows_symlink(tmp_path):
    target = tmp_path / "real.py"
    target.write_text("a\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    atomic_write(link, "b\n")
    assert link.is_symlink() and target.read_text() == "b\n"


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "a.py"
    path.write_text("old\n")

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


def test_crlf_round_trip(tmp_path):
    path = tmp_path / "win.py"
    path.write_bytes(b"a = 1\r\nb = 2\r\n")
    loaded = read_for_edit(path)
    assert loaded.text == "a = 1\nb = 2\n" and loaded.newline == "\r\n"
    atomic_write(path, loaded.text + "c = 3\n", loaded.newline)
    assert path.read_bytes() == b"a = 1\r\nb = 2\r\nc = 3\r\n"


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"ab\x00cd"), "looks binary"),
        (lambda p: p.write_bytes(b"caf\xe9 = 1\n"), "not valid UTF-8"),
    ],
)
def test_read_for_edit_refuses(tmp_path, setup, message):
    path = tmp_path / "f.py"
    setup(path)
    with pytest.raises(GfvError) as err:
        read_for_edit(path)
    assert message in err.value.message and err.value.code == ExitCode.USAGE


def test_missing_file_is_new(tmp_path):
    loaded = read_for_edit(tmp_path / "new.py")
    assert loaded.text == "" and not loaded.exists
    with pytest.raises(GfvError):
        read_for_edit(tmp_path / "nope" / "new.py")


def test_changed_on_disk(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("a\n")
    stamp = read_for_edit(path).stamp
    assert not changed_on_disk(path, stamp)
    os.utime(path, ns=(1, 1))  # touched, same content: not a change
    assert not changed_on_disk(path, stamp)
    path.write_text("b\n")
    assert changed_on_disk(path, stamp)
    assert changed_on_disk(tmp_path / "new.py", None) is False
    (tmp_path / "new.py").write_text("x")
    assert changed_on_disk(tmp_path / "new.py", None)


def test_byte_order_mark_survives_an_edit(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\r\n")
    loaded = read_for_edit(path)
    assert loaded.bom and loaded.text == "x = 1\n"
    atomic_write(path, loaded.text + "y = 2\n", loaded.newline, bom=loaded.bom)
    assert path.read_bytes() == b"\xef\xbb\xbfx = 1\r\ny = 2\r\n"
    assert not read_for_edit(tmp_path / "new.py").bom
