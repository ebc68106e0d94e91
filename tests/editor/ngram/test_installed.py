from pathlib import Path

from editor.ngram import installed
from editor.ngram.installed import installed_files


def _write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site-packages"
    _write(root / "alpha" / "__init__.py")
    _write(root / "alpha" / "core.py", "def f():\n    return 1\n")
    _write(root / "alpha" / "tests" / "test_core.py")
    _write(root / "alpha" / "_vendor" / "six.py")
    _write(root / "beta.py", "import os\n")
    _write(root / "beta-1.0.dist-info" / "x.py")
    _write(root / "_private" / "y.py")
    _write(root / "editor" / "document.py")  # gfv's own name: never its own training text
    _write(root / "gamma" / "gamma" / "inner.py", "y = 2\n")
    _write(root / "delta" / "copy_of_core.py", "def f():\n    return 1\n")
    return root


def test_installed_files_skip_tests_vendored_copies_metadata_private_and_gfv(tmp_path):
    root = _site(tmp_path)
    names = [p.relative_to(root).as_posix() for p in installed_files(root=root)]
    assert names == [
        "alpha/__init__.py",
        "alpha/core.py",
        "beta.py",
        "delta/copy_of_core.py",
        "gamma/gamma/inner.py",
    ]


def test_excluded_names_anywhere_on_the_path_and_copies_of_excluded_files_are_left_out(tmp_path):
    root = _site(tmp_path)
    core = root / "alpha" / "core.py"
    names = [p.relative_to(root).as_posix() for p in installed_files({"gamma"}, [core], root=root)]
    assert names == ["alpha/__init__.py", "beta.py"]  # core.py and its copy in delta go too
    assert installed_files(root=tmp_path / "missing") == []


def test_large_files_and_a_packages_share_are_bounded(tmp_path, monkeypatch):
    root = tmp_path / "site-packages"
    for i in range(5):
        _write(root / "big" / f"m{i}.py", "x = 1\n" * 100)  # 600 bytes each
    _write(root / "big" / "huge.py", "x = 1\n" * 1000)
    monkeypatch.setattr(installed, "PACKAGE_BYTES", 1500)
    monkeypatch.setattr(installed, "MAX_FILE_BYTES", 1000)
    names = [p.name for p in installed_files(root=root)]
    assert names == ["m0.py", "m1.py"]  # huge.py is over the file bound, m2 would pass the package's


def test_the_real_environment_gives_a_bounded_corpus_without_gfv():
    files = installed_files()
    assert files, "the venv has packages installed (black, pylint...)"
    tops = {p.relative_to(installed.site_packages()).parts[0] for p in files}
    assert "black" in tops and not tops & {"editor", "validators"}
    assert all(p.stat().st_size <= installed.MAX_FILE_BYTES for p in files)
