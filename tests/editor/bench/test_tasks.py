from pathlib import Path

from editor.bench import tasks
from editor.bench.tasks import repo_packages, training_corpus
from editor.ngram import installed


def _write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_repo_packages_of_a_package_and_of_a_project(tmp_path):
    pkg = tmp_path / "site" / "tornado"
    _write(pkg / "__init__.py")
    _write(pkg / "web.py")
    assert repo_packages(pkg) == {"tornado"}  # its modules are its own, not top-level names
    project = tmp_path / "proj"
    _write(project / "setup.py")
    _write(project / "src" / "lib" / "__init__.py")
    _write(project / "app" / "__init__.py")
    _write(project / "docs" / "conf.py")
    assert repo_packages(project) == {"proj", "setup", "lib", "app"}


def test_the_training_corpus_never_holds_the_repository_or_a_copy_of_its_files(tmp_path, monkeypatch):
    site = tmp_path / "site"
    repo = site / "alpha"
    held = _write(repo / "held.py", "def held():\n    return 'out'\n")
    train = _write(repo / "__init__.py", "from .held import held\n")
    _write(site / "beta" / "vendored_held.py", held.read_text())  # a copy another package carries
    other = _write(site / "beta" / "other.py", "y = 2\n")
    monkeypatch.setattr(installed, "site_packages", lambda: site)
    monkeypatch.setattr(tasks, "stdlib_files", lambda: [])
    corpus = training_corpus(repo, [train], [held], installed=True)
    assert corpus == [train, other]
    assert training_corpus(repo, [train], [held], installed=False) == [train]


def test_a_standard_library_package_as_the_repository_leaves_the_standard_library_too(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    std_json = [
        _write(lib / "json" / "__init__.py", "import json.decoder\n"),
        _write(lib / "json" / "decoder.py"),
    ]
    elsewhere = _write(lib / "textwrap.py", "def wrap(text):\n    return [text]\n")
    copied = _write(lib / "shlex.py", "def split(s):\n    return s.split()\n")
    monkeypatch.setattr(tasks, "stdlib_files", lambda: [*std_json, elsewhere, copied])
    monkeypatch.setattr(tasks, "stdlib_root", lambda: lib)
    repo = tmp_path / "copy" / "json"  # the bench runs on a copy of the standard library's json
    train = _write(repo / "__init__.py", "import json.decoder\n")
    held = _write(repo / "tool.py", copied.read_text())  # a held-out file the stdlib holds under another name
    assert training_corpus(repo, [train], [held], installed=False) == [train, elsewhere]
    other = tmp_path / "copy" / "alpha"
    train = _write(other / "__init__.py", "z = 3\n")
    assert training_corpus(other, [train], [], installed=False) == [train, *std_json, elsewhere, copied]
