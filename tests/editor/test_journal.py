"""editor.journal: unsaved edits survive a crash and are offered back."""

from editor.journal import Journal


def test_write_read_recover_clear(tmp_path):
    journal = Journal(tmp_path / "a.py", root=tmp_path / "j")
    assert journal.read() is None
    journal.write("x = 1\n", "abc", (0, 5))
    entry = journal.read()
    assert entry.text == "x = 1\n" and entry.base_sha256 == "abc" and entry.cursor == (0, 5)
    assert journal.recoverable("x = 1\n") is None  # same as disk: nothing to recover
    assert journal.recoverable("") == entry
    journal.clear()
    assert not journal.exists() and journal.read() is None


def test_one_journal_per_file_and_default_root(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_DATA_DIR", str(tmp_path / "data"))
    a, b = Journal(tmp_path / "a.py"), Journal(tmp_path / "sub" / "a.py")
    assert a.path != b.path and a.path.parent == tmp_path / "data" / "journal"


def test_corrupt_journal_is_ignored(tmp_path):
    journal = Journal(tmp_path / "a.py", root=tmp_path)
    journal.path.write_text("{not json")
    assert journal.read() is None and journal.recoverable("") is None
